"""The regulation files of the mapping template: what registers, registrations and licences need beyond the
generic loading (``extension.FileExtension``; the files and columns are ``schema.REGISTERS`` ...).

* ``registers.csv``: ``body`` names the regulatory body; the body of that name (capitals and spaces do not
  matter) is used, else one is created with a code made from the name (:func:`body_code_new`). The
  register's cadres (``cadre_codes``, many-to-many) become exactly those listed.
* ``registrations.csv``: ``status_since`` is required unless the status is ``registered`` and is not before
  ``registered_on``. A new registration is applied for on ``registered_on`` with its documents checked.
  Its dated status history (``RegistrationStatusChange``) is written from the row:
  ``registered`` from ``registered_on``, then the status from ``status_since`` (unless it is ``registered``
  since ``registered_on``). A row that changes those dates or the status replaces the history, except the
  application, so the status on every past day follows the row (dates decide).
* ``licences.csv``: ``valid_until`` is not before ``valid_from``, which is not before the registration's
  ``registered_on``; the licences of one registration do not overlap, the file's and the stored ones
  together.

Everything is read and written in bulk, a few queries per chunk; every row written gets its history record
by the importing user (``writing.TableWriter``), deletions included.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Q
from django.utils.translation import gettext

from sswis.database import lookup_batch_size
from sswis.imports.extension import FileExtension, code_from_name, name_key
from sswis.imports.messages import message
from sswis.imports.writing import TableWriter
from sswis.regulation.models import (
    Licence,
    Register,
    Registration,
    RegistrationStatus,
    RegistrationStatusChange,
    RegulatoryBody,
)

if TYPE_CHECKING:
    from sswis.imports.loading import FileLoad, Row

_Item = TypeVar("_Item")

REGISTERED = RegistrationStatus.REGISTERED.value
APPLIED = RegistrationStatus.APPLIED.value
HISTORY_FIELDS = frozenset({"registered_on", "status", "status_since"})
"""What a registration's status history is written from: a change of any of them writes it again."""

BODY_CODE_LENGTH = 50  # RegulatoryBody.code
DEFAULT_BODY_CODE = "BODY"


def _batches(items: Sequence[_Item]) -> Iterator[Sequence[_Item]]:
    size = lookup_batch_size()
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _writer(load: FileLoad, model: type[Any]) -> TableWriter:
    """A writer of ``model``'s rows for the import of ``load``: same author, instant and writing thread."""
    run = load.run
    return TableWriter(model=model, actor=run.actor, now=run.now, writes=run.writes)


# registers.csv ------------------------------------------------------------------------------------------


def body_name_key(name: str) -> str:
    """What two names of one body have in common: ``Social  service council`` is ``Social Service Council``."""
    return name_key(name)


def body_code_new(*, name: str, taken: set[str]) -> str:
    """The code of a new body called ``name``: its words in capitals joined by hyphens
    (``SOCIAL-SERVICE-COUNCIL``), at most 50 characters (whole words), then ``-2``, ``-3``... while the
    code is in ``taken``; ``BODY`` for a name without a letter or digit. The same name and codes give the
    same code."""
    return code_from_name(name=name, taken=taken, length=BODY_CODE_LENGTH, default=DEFAULT_BODY_CODE)


class RegistersExtension(FileExtension):
    """A register's body found by its name or created; its cadres set to exactly those listed."""

    def __init__(self) -> None:
        self.bodies: dict[str, list[tuple[int, str]]] | None = None  # name key -> (pk, code) of each body
        self.codes: set[str] = set()  # every body code, stored or just created
        self.stored_cadres: dict[int, set[int]] = {}  # register -> cadres, of the registers stored already

    def _bodies(self) -> dict[str, list[tuple[int, str]]]:
        if self.bodies is None:  # bodies are few: read once per import
            self.bodies = defaultdict(list)
            for pk, code, name in RegulatoryBody.objects.order_by("code").values_list("pk", "code", "name"):
                self.bodies[body_name_key(name)].append((pk, code))
                self.codes.add(code)
        return self.bodies

    def check(self, load: FileLoad, rows: list[Row]) -> None:
        bodies = self._bodies()
        for row in rows:
            name = row.values.get("body")
            if not name:
                continue  # missing or invalid: already reported
            found = bodies.get(body_name_key(name), [])
            if len(found) > 1:
                codes = ", ".join(code for _, code in found)
                text = message("body_ambiguous", count=len(found), value=name, codes=codes)
                load.run.problem(load.spec, row.number, "body", name, text)
                row.ok = False
            elif found:
                row.fields["body_id"] = found[0][0]

    def prepare(self, load: FileLoad, rows: list[Row]) -> None:
        """Create the bodies named for the first time (once each, in the order of the rows)."""
        bodies = self._bodies()
        new: dict[str, str] = {}  # name key -> the name as first written
        for row in rows:
            if "body_id" not in row.fields:
                new.setdefault(body_name_key(row.values["body"]), row.values["body"])
        if new:
            entries = []
            for name in new.values():
                code = body_code_new(name=name, taken=self.codes)
                self.codes.add(code)
                entries.append({"code": code, "name": name})
            pks = _writer(load, RegulatoryBody).create(rows=entries)
            for key, entry, pk in zip(new, entries, pks, strict=True):
                bodies[key].append((pk, entry["code"]))
        for row in rows:
            if "body_id" not in row.fields:
                row.fields["body_id"] = bodies[body_name_key(row.values["body"])][0][0]

    def differs(self, load: FileLoad, stored: dict[int, Row]) -> set[int]:
        if "cadre_codes" not in load.names:
            return set()  # the column is absent: the cadres stay as they are
        through = Register.cadres.through
        current: dict[int, set[int]] = defaultdict(set)
        for batch in _batches(sorted(stored)):
            for register_id, cadre_id in through.objects.filter(register_id__in=batch).values_list(
                "register_id", "cadre_id"
            ):
                current[register_id].add(cadre_id)
        self.stored_cadres = current
        return {pk for pk, row in stored.items() if set(row.refs.get("cadre_codes", ())) != current[pk]}

    def written(
        self,
        load: FileLoad,
        rows: list[tuple[Row, int]],
        created: set[int],
        updates: dict[int, dict[str, Any]],
    ) -> None:
        if "cadre_codes" not in load.names:
            return
        through = Register.cadres.through
        added: list[Any] = []
        removed = Q()
        for row, pk in rows:
            wanted = set(row.refs.get("cadre_codes", ()))
            held = set() if pk in created else self.stored_cadres.get(pk, set())
            added.extend(through(register_id=pk, cadre_id=cadre) for cadre in sorted(wanted - held))
            if held - wanted:
                removed |= Q(register_id=pk, cadre_id__in=held - wanted)
        if removed:
            through.objects.filter(removed).delete()
        through.objects.bulk_create(added)


# registrations.csv --------------------------------------------------------------------------------------


class RegistrationsExtension(FileExtension):
    """The status rules, the fields a new registration gets, and its dated status history."""

    derived = ("status", "status_since")
    resolved_extra = ("registered_on",)  # a licence may not begin before it

    def __init__(self) -> None:
        self.rewrite: set[int] = set()  # stored registrations whose history is written again

    def resolved(self, row: Row, pk: int) -> tuple[Any, ...]:
        return (pk, row.fields["registered_on"])

    def check(self, load: FileLoad, rows: list[Row]) -> None:
        run, spec = load.run, load.spec
        status_given, since_given = "status" in load.names, "status_since" in load.names
        for row in rows:
            values, fields = row.values, row.fields
            registered_on: datetime.date | None = values.get("registered_on")
            # Without the column the file lists registered registrations; an invalid cell is reported.
            status: str | None = values.get("status") if status_given else REGISTERED
            since: datetime.date | None = values.get("status_since")
            since_invalid = since_given and "status_since" not in values
            if status not in (None, REGISTERED) and since is None and not since_invalid:
                text = message("status_since_required", status=status)
                run.problem(spec, row.number, "status_since", "", text)
                row.ok = False
            if since is not None and registered_on is not None and since < registered_on:
                text = message(
                    "status_since_before_registered",
                    since=since.isoformat(),
                    registered=registered_on.isoformat(),
                )
                run.problem(spec, row.number, "status_since", since.isoformat(), text)
                row.ok = False
            fields["status"] = status
            fields["status_since"] = since or registered_on
            # A new registration: applied for on the day it was registered, its documents checked (the
            # council registered it). An update leaves both (``updating``).
            fields["applied_on"] = registered_on
            fields["documents_checked"] = True

    def updating(self, load: FileLoad, updates: dict[int, dict[str, Any]]) -> None:
        """A registration registered earlier than it was applied for: the application moves to that day."""
        moved = {
            pk: changes["registered_on"] for pk, changes in updates.items() if "registered_on" in changes
        }
        for batch in _batches(sorted(moved)):
            for pk, applied_on in Registration.objects.filter(pk__in=batch).values_list("pk", "applied_on"):
                if applied_on > moved[pk]:
                    updates[pk]["applied_on"] = moved[pk]
        self.rewrite = {pk for pk, changes in updates.items() if HISTORY_FIELDS & changes.keys()}

    def written(
        self,
        load: FileLoad,
        rows: list[tuple[Row, int]],
        created: set[int],
        updates: dict[int, dict[str, Any]],
    ) -> None:
        targets = [(row, pk) for row, pk in rows if pk in created or pk in self.rewrite]
        if not targets:
            return
        writer = _writer(load, RegistrationStatusChange)
        replaced = {pk: row.fields["registered_on"] for row, pk in targets if pk not in created}
        if replaced:
            gone: list[int] = []
            for batch in _batches(sorted(replaced)):
                for change, registration, status, since in RegistrationStatusChange.objects.filter(
                    registration_id__in=batch
                ).values_list("pk", "registration_id", "status", "since"):
                    # The application (before the registration) is no part of what the row says: kept.
                    if not (status == APPLIED and since <= replaced[registration]):
                        gone.append(change)
            writer.delete(pks=gone)
        changes: list[dict[str, Any]] = []
        for row, pk in targets:
            fields = row.fields
            # In this order: two changes on one day, the later (the status) is the status of that day.
            changes.append({"registration_id": pk, "status": REGISTERED, "since": fields["registered_on"]})
            if fields["status"] != REGISTERED or fields["status_since"] != fields["registered_on"]:
                changes.append(
                    {"registration_id": pk, "status": fields["status"], "since": fields["status_since"]}
                )
        writer.create(rows=changes)


# licences.csv -------------------------------------------------------------------------------------------


class LicencesExtension(FileExtension):
    """A licence's period: within the registration's, and overlapping no other licence of the registration."""

    def __init__(self) -> None:
        # The licences of the file accepted so far, by registration: (valid_from, valid_until, row).
        self.periods: dict[int, list[tuple[datetime.date, datetime.date, int]]] = defaultdict(list)
        # Their keys: the stored licence of the same key is replaced by the row, so not compared.
        self.accepted: set[tuple[int, datetime.date]] = set()

    def check(self, load: FileLoad, rows: list[Row]) -> None:
        run, spec = load.run, load.spec
        candidates: list[Row] = []
        for row in rows:
            values = row.values
            start: datetime.date | None = values.get("valid_from")
            end: datetime.date | None = values.get("valid_until")
            if start is not None and end is not None and end < start:
                text = message("valid_until_before_from", until=end.isoformat(), start=start.isoformat())
                run.problem(spec, row.number, "valid_until", end.isoformat(), text)
                row.ok = False
            registration = row.refs.get("registration_number")
            registered = registration[1] if registration is not None else None
            if start is not None and registered is not None and start < registered:
                text = message(
                    "licence_before_registration",
                    start=start.isoformat(),
                    registered=registered.isoformat(),
                    number=values["registration_number"],
                    register=values["register_code"],
                )
                run.problem(spec, row.number, "valid_from", start.isoformat(), text)
                row.ok = False
            if row.ok and not row.skip and registration is not None and start is not None and end is not None:
                candidates.append(row)
        if candidates:
            self.check_overlaps(load, candidates)

    def check_overlaps(self, load: FileLoad, rows: list[Row]) -> None:
        """Each row against the stored licences of its registration (but the one it replaces, and those
        replaced by rows accepted before it) and against the rows of the file accepted before it."""
        stored: dict[int, list[tuple[datetime.date, datetime.date, int]]] = defaultdict(list)
        registrations = sorted({row.fields["registration_id"] for row in rows})
        for batch in _batches(registrations):
            for registration, start, end in Licence.objects.filter(registration_id__in=batch).values_list(
                "registration_id", "valid_from", "valid_until"
            ):
                stored[registration].append((start, end, 0))
        for row in rows:
            registration = row.fields["registration_id"]
            start, end = row.values["valid_from"], row.values["valid_until"]
            others = [
                period
                for period in stored[registration]
                if period[0] != start and (registration, period[0]) not in self.accepted
            ]
            clash = next(
                (
                    (other_start, other_end, other_row)
                    for other_start, other_end, other_row in [*others, *self.periods[registration]]
                    if other_start <= end and other_end >= start
                ),
                None,
            )
            if clash is None:
                self.periods[registration].append((start, end, row.number))
                self.accepted.add((registration, start))
                continue
            other_start, other_end, other_row = clash
            where = gettext("row %(row)s") % {"row": other_row} if other_row else gettext("in the registry")
            text = message(
                "licence_overlap",
                start=start.isoformat(),
                end=end.isoformat(),
                other_start=other_start.isoformat(),
                other_end=other_end.isoformat(),
                other_where=where,
                number=row.values["registration_number"],
                register=row.values["register_code"],
            )
            load.run.problem(load.spec, row.number, "valid_from", start.isoformat(), text)
            row.ok = False


REGULATION_EXTENSIONS: dict[str, type[FileExtension]] = {
    "registers": RegistersExtension,
    "registrations": RegistrationsExtension,
    "licences": LicencesExtension,
}
