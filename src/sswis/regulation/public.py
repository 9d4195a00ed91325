"""The public register: what anyone may learn about the people on a register, without logging in.

An entry shows a registration's person by name, the register, the registration number, the status on
the day, the end of the licence (valid until) and the conditions or sanctions in force, and nothing else:
no birth date, contact, identifier or employer is ever read from the database for it (``values()`` of
those fields only). The page ``/register/`` and ``GET /api/v1/public/register/`` show exactly this.

Sanctions and conditions in force come from ``SANCTION_SOURCES`` (see there): until discipline is wired
in, a suspension is told from the status history ("Suspended since ...").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sswis.registry.selectors import worker_name_match
from sswis.regulation.models import Licence, Registration, RegistrationStatus
from sswis.regulation.selectors import registration_status_on_expressions
from sswis.text import text_problem, text_problem_message

PUBLIC_RESULTS_LIMIT = 20
"""At most this many entries answer one search."""

NAME_MINIMUM_LENGTH = 3
"""A search by name needs at least this many characters (after stripping): shorter ones would list
the register a page at a time."""

PUBLIC_STATUSES = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.SUSPENDED,
    RegistrationStatus.LAPSED,
    RegistrationStatus.REMOVED,
)
"""The statuses the public sees: people who are, or were, on the register (a lapsed or removed
registration is shown with that status, so that the public learns it); applications and refusals are
never shown."""

SanctionSource = Callable[..., Iterable[Any]]

SANCTION_SOURCES: list[SanctionSource] = []
"""Where the public register finds the conditions on practice and the sanctions in force on a day.

Each source is called as ``source(registration=registration, day=day)`` for each entry of a search (at
most ``PUBLIC_RESULTS_LIMIT``), with a ``Registration`` whose ``pk``, ``register_id``, ``worker_id``,
``number``, ``status`` and ``status_since`` are loaded (the rest, if read, is loaded then), and returns
what is in force that day; each item is shown as ``str(item)``, so it must be text fit for the public
(translated, naming no personal data). While the list is empty the register tells a suspension from the
status history ("Suspended since 2025-03-01"); once a source is there, the sources alone say what is
in force (a suspension is a sanction: the source tells it). Discipline wires itself in with
``SANCTION_SOURCES.append(sanctions_in_force)``."""


@dataclass(frozen=True)
class PublicEntry:
    """One registration as the public register shows it: everything it may show, nothing more."""

    name: str
    register: str
    number: str
    status: str
    valid_until: datetime.date | None
    sanctions: tuple[str, ...]

    @property
    def status_label(self) -> str:
        return str(RegistrationStatus(self.status).label)


def public_register_search(*, query: str, day: datetime.date) -> list[PublicEntry]:
    """The public register's entries for ``query`` on ``day``: at most ``PUBLIC_RESULTS_LIMIT``, ordered
    by family name, given name, register name, number (and the registration's id, so that the order is
    the same every time).

    * A query that is a registration number (equal to it, case-insensitive, after stripping) finds that
      registration in every register that has it, and nothing else, whatever its length.
    * Otherwise it is a name, of at least ``NAME_MINIMUM_LENGTH`` characters, matched by
      ``registry.selectors.worker_name_match`` (the worker list's rule: the beginning of the given or
      family name, or "given family" with each word a beginning), case-insensitive.
    * Only registrations registered on or before ``day`` whose status on ``day`` is one of
      ``PUBLIC_STATUSES`` are entries; the status is the one on ``day`` (dates decide, as
      ``registration_status_on``).
    * ``valid_until`` is the last day of the licence valid on ``day``; when none is, of the latest licence
      begun on or before it (so a lapsed registration shows when its licence ended); ``None`` when no
      licence had begun. (Licences of a registration never overlap, so both are the latest begun.)

    Refused with a ``ValidationError`` naming ``q``: a query holding a character the text rule refuses
    (``sswis.text``), an empty one, or a name shorter than ``NAME_MINIMUM_LENGTH``.

    Speed (``bench/regulation.py``, PostgreSQL, 1,000,000 registrations): the number is one lookup in the
    expression index ``UPPER(number)`` (regulation migration 0003); a name is two or three ranges of the
    registry's ``UPPER(name) text_pattern_ops`` indexes, combined by PostgreSQL in a bitmap, joined to the
    registrations by their worker index; the status and the licence are read only for the rows that need
    them (the status copy of the registration serves every row whose latest change is not after ``day``,
    and the licence subquery is evaluated for the 20 rows shown only). A trigram index (``pg_trgm``) would
    also find names by their middle, but needs an extension the database administrator must install,
    has no SQLite counterpart and is slower for prefixes; a public register is searched by the beginning
    of names. Two queries for a name (the number first), one for a number.
    """
    term = query.strip()
    problem = text_problem(term)
    if problem is not None:
        raise ValidationError({"q": text_problem_message(label=_("The search"), problem=problem)})
    if not term:
        raise ValidationError({"q": _("Type a name or a registration number.")})
    on_register = Registration.objects.filter(registered_on__lte=day)
    entries = _entries(on_register.filter(number__iexact=term), day=day)
    if entries:
        return entries
    if len(term) < NAME_MINIMUM_LENGTH:
        raise ValidationError(
            {
                "q": ngettext(
                    "Type at least %(count)d character of the name, or the whole registration number.",
                    "Type at least %(count)d characters of the name, or the whole registration number.",
                    NAME_MINIMUM_LENGTH,
                )
                % {"count": NAME_MINIMUM_LENGTH}
            }
        )
    return _entries(on_register.filter(worker_name_match(term=term, via="worker__")), day=day)


def _entries(registrations: QuerySet[Registration], *, day: datetime.date) -> list[PublicEntry]:
    status_on, since_on = registration_status_on_expressions(day=day)
    latest_licence = Licence.objects.filter(registration=OuterRef("pk"), valid_from__lte=day).order_by(
        "-valid_from"
    )
    rows = list(
        registrations.annotate(status_on=status_on, since_on=since_on)
        .filter(status_on__in=PUBLIC_STATUSES)
        .annotate(valid_until=Subquery(latest_licence.values("valid_until")[:1]))
        .order_by("worker__family_name", "worker__given_name", "register__name", "number", "pk")
        .values(
            "pk",
            "worker__given_name",
            "worker__family_name",
            "register__name",
            "number",
            "status_on",
            "since_on",
            "valid_until",
        )[:PUBLIC_RESULTS_LIMIT]
    )
    sanctions = _sanctions(rows, day=day)
    return [
        PublicEntry(
            name=f"{row['worker__given_name']} {row['worker__family_name']}",
            register=row["register__name"],
            number=row["number"],
            status=row["status_on"],
            valid_until=row["valid_until"],
            sanctions=sanctions[row["pk"]],
        )
        for row in rows
    ]


def _sanctions(rows: list[dict[str, Any]], *, day: datetime.date) -> dict[int, tuple[str, ...]]:
    """The conditions or sanctions in force on ``day`` of each row's registration (``SANCTION_SOURCES``)."""
    if not SANCTION_SOURCES:
        return {
            row["pk"]: (
                (_("Suspended since %(day)s") % {"day": row["since_on"].isoformat()},)
                if row["status_on"] == RegistrationStatus.SUSPENDED
                else ()
            )
            for row in rows
        }
    registrations = Registration.objects.only(
        "pk", "register_id", "worker_id", "number", "status", "status_since"
    ).in_bulk([row["pk"] for row in rows])
    return {
        row["pk"]: tuple(
            str(item)
            for source in SANCTION_SOURCES
            for item in source(registration=registrations[row["pk"]], day=day)
        )
        for row in rows
    }
