"""The public register: what anyone may learn about the people on a register, without logging in.

An entry shows a registration's person by name, the register, the registration number, the status on
the day, the end of the licence (valid until) and the conditions or sanctions in force, and nothing else:
no birth date, contact, identifier or employer is ever read from the database for it (``values()`` of
those fields only). The page ``/register/`` and ``GET /api/v1/public/register/`` show exactly this.

Sanctions and conditions in force come from discipline (``sanctions_in_force_by_registration``); a
suspension recorded without a sanction is told from the status history ("Suspended since ...").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Collate, Upper
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sswis.registry.selectors import worker_name_prefixes
from sswis.regulation.models import Licence, Registration, RegistrationStatus
from sswis.regulation.models_discipline import SanctionKind
from sswis.regulation.selectors import registration_status_on_expressions
from sswis.regulation.selectors_discipline import SanctionView, sanctions_in_force_by_registration
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
    """The public register's entries for ``query`` on ``day``: at most ``PUBLIC_RESULTS_LIMIT``, in a stable
    order.

    * A query that is a registration number (equal to it, case-insensitive, after stripping) finds that
      registration in every register that has it, and nothing else, whatever its length.
    * Otherwise it is a name, of at least ``NAME_MINIMUM_LENGTH`` characters, matched by the worker
      list's rule (``registry.selectors.worker_name_prefixes``: the beginning of the given or family name,
      or "given family" with each word a beginning), case-insensitive. People whose family name matches
      come first, by family name, given name; then people matched by their given name only, by given
      name, family name. Ties (namesakes) go by worker, then registration, oldest first.
    * Only registrations registered on or before ``day`` whose status on ``day`` is one of
      ``PUBLIC_STATUSES`` are entries; the status is the one on ``day`` (dates decide, as
      ``registration_status_on``).
    * ``valid_until`` is the last day of the licence valid on ``day``; when none is, of the latest licence
      begun on or before it (so a lapsed registration shows when its licence ended); ``None`` when no
      licence had begun. (Licences of a registration never overlap, so both are the latest begun.)

    Refused with a ``ValidationError`` naming ``q``: a query holding a character the text rule refuses
    (``sswis.text``), an empty one, or a name shorter than ``NAME_MINIMUM_LENGTH``.

    Speed (``bench/regulation.py``: PostgreSQL, 1,000,000 registrations, common names shared by tens of
    thousands of people): names are compared as keys, ``UPPER(name) COLLATE "C"`` (a byte order, the
    same in Python), so that each way of matching is ONE range of an index that also gives the order:
    ``(family key, given key, id)`` or ``(given key, family key, id)`` on the workers (regulation
    migration 0003). A search then reads about 20 workers in order, whatever the number of namesakes,
    instead of all of them to sort them (the order of the whole list by family name cannot come from one
    index when the given name may match too: hence the two groups). The status and the licence are read
    only for those rows (the registration's copy of its status serves every row whose latest change is
    not after ``day``). A number is one lookup in the index ``UPPER(number)``. A trigram index
    (``pg_trgm``) would also find names by their middle, but needs an extension the database administrator
    must install, has no SQLite counterpart, cannot give the order, and a register is searched by the
    beginning of names. Queries: one for a number; for a name, the number first, then one per way of
    matching by family name (one, or two for several words), and one by given name only when those gave
    fewer than ``PUBLIC_RESULTS_LIMIT``.
    """
    term = query.strip()
    problem = text_problem(term)
    if problem is not None:
        raise ValidationError({"q": text_problem_message(label=_("The search"), problem=problem)})
    if not term:
        raise ValidationError({"q": _("Type a name or a registration number.")})
    on_register = _keyed(Registration.objects.filter(registered_on__lte=day), day=day)
    rows = _rows(on_register.filter(number__iexact=term), order=FAMILY_ORDER)
    if not rows:
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
        rows = _rows_by_name(on_register, term=term)
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


FAMILY_ORDER = ("family_key", "given_key", "worker_id", "pk")
GIVEN_ORDER = ("given_key", "family_key", "worker_id", "pk")
COLUMNS = (
    "pk",
    "worker_id",
    "worker__given_name",
    "worker__family_name",
    "family_key",
    "given_key",
    "register__name",
    "number",
    "status_on",
    "since_on",
    "valid_until",
)
"""What an entry reads: never a personal field beyond the names."""


def _name_key(field: str) -> Collate:
    """A worker's name as the search compares and orders it: in upper case, in byte order (the collation
    ``C`` of PostgreSQL, ``BINARY`` of SQLite), as the indexes of regulation migration 0003 hold it."""
    return Collate(Upper(f"worker__{field}"), "C" if connection.vendor == "postgresql" else "BINARY")


def _keyed(registrations: QuerySet[Registration], *, day: datetime.date) -> QuerySet[Registration]:
    """The registrations the public may see on ``day``, with their name keys, status on ``day`` and
    end of licence."""
    status_on, since_on = registration_status_on_expressions(day=day)
    latest_licence = Licence.objects.filter(registration=OuterRef("pk"), valid_from__lte=day).order_by(
        "-valid_from"
    )
    return (
        registrations.annotate(status_on=status_on, since_on=since_on)
        .filter(status_on__in=PUBLIC_STATUSES)
        .annotate(
            family_key=_name_key("family_name"),
            given_key=_name_key("given_name"),
            valid_until=Subquery(latest_licence.values("valid_until")[:1]),
        )
    )


def _rows(registrations: QuerySet[Registration], *, order: tuple[str, ...]) -> list[dict[str, Any]]:
    return list(registrations.order_by(*order).values(*COLUMNS)[:PUBLIC_RESULTS_LIMIT])


def _begins(key: str, prefix: str) -> Q:
    """``key`` begins with ``prefix`` in upper case (upper-cased by the database, as the key is)."""
    return Q(**{f"{key}__startswith": Upper(Value(prefix))})


def _rows_by_name(registrations: QuerySet[Registration], *, term: str) -> list[dict[str, Any]]:
    """The first entries matching ``term`` by name: by family name first, then by given name only
    (``public_register_search``). Each way of matching is one query reading its index range in order."""

    def order_of(key_names: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
        return lambda row: tuple(row[name] for name in key_names)

    by_family: dict[int, dict[str, Any]] = {}
    by_given: list[tuple[str, str]] = []
    for given, family in worker_name_prefixes(term=term):
        if not family:
            by_given.append((given, family))
            continue
        condition = _begins("family_key", family) & (_begins("given_key", given) if given else Q())
        for row in _rows(registrations.filter(condition), order=FAMILY_ORDER):
            by_family[row["pk"]] = row
    rows = sorted(by_family.values(), key=order_of(FAMILY_ORDER))[:PUBLIC_RESULTS_LIMIT]
    for given, _family in by_given:
        if len(rows) >= PUBLIC_RESULTS_LIMIT:
            break
        more = _rows(registrations.filter(_begins("given_key", given)), order=GIVEN_ORDER)
        rows += [row for row in more if row["pk"] not in by_family][: PUBLIC_RESULTS_LIMIT - len(rows)]
    return rows


def sanction_public_text(sanction: SanctionView) -> str:
    """What the public register says of a sanction in force: its kind and period, and the conditions on
    practice themselves (nothing of the case: no complainant, no summary)."""
    if sanction.kind == SanctionKind.CONDITIONS:
        if sanction.ends_on is None:
            return _("Conditions on practice from %(start)s: %(conditions)s") % {
                "start": sanction.starts_on.isoformat(),
                "conditions": sanction.conditions,
            }
        return _("Conditions on practice from %(start)s to %(end)s: %(conditions)s") % {
            "start": sanction.starts_on.isoformat(),
            "end": sanction.ends_on.isoformat(),
            "conditions": sanction.conditions,
        }
    if sanction.ends_on is None:
        return _("%(sanction)s from %(start)s") % {
            "sanction": sanction.kind_label,
            "start": sanction.starts_on.isoformat(),
        }
    return _("%(sanction)s from %(start)s to %(end)s") % {
        "sanction": sanction.kind_label,
        "start": sanction.starts_on.isoformat(),
        "end": sanction.ends_on.isoformat(),
    }


def _sanctions(rows: list[dict[str, Any]], *, day: datetime.date) -> dict[int, tuple[str, ...]]:
    """The conditions or sanctions in force on ``day`` of each row's registration (one query for all):
    those discipline decided (``sanctions_in_force_by_registration``), and a suspension recorded without a
    sanction (e.g. imported from a council's list) told from the status history."""
    in_force = sanctions_in_force_by_registration(
        registrations=[Registration(pk=row["pk"]) for row in rows], day=day
    )
    found: dict[int, tuple[str, ...]] = {}
    for row in rows:
        decided = in_force.get(row["pk"], [])
        texts = [sanction_public_text(sanction) for sanction in decided]
        suspended = row["status_on"] == RegistrationStatus.SUSPENDED
        if suspended and not any(sanction.kind == SanctionKind.SUSPENSION for sanction in decided):
            texts.insert(0, _("Suspended since %(day)s") % {"day": row["since_on"].isoformat()})
        found[row["pk"]] = tuple(texts)
    return found
