"""Importing CPD records in bulk: a provider's attendance list, or an online-course (MOOC) platform's
certificates (:func:`cpd_records_import`; the command ``sswis regulation_cpd_import``).

The file is a CSV file with the columns of :data:`CPD_COLUMNS` (``person_identifier``, ``course``,
``completion_date``, ``certificate_id``), read by the shared list reader (``sswis.imports.platform_lists``)
exactly as a template file is: character set and delimiter detected, size limit, binary files refused;
column names without case, spaces or underscores. Each row says that a person completed one of the
provider's activities (its code, ``course``) on a day:

* the person is the registry worker whose worker ID, national ID or email (any case) is
  ``person_identifier``; no worker, or several, is an error (never dropped, never guessed);
* the course is an activity of the provider given (an activity of another provider is an error);
* a person and a course appear once in the file; a certificate ID once in the file, and never on a record
  of another person or course of the same provider;
* the record is created through ``services.cpd_record_add`` (so the provider must have been accredited
  on the day the activity was held, and the completion is not before it); a record already there with
  the same completion date is unchanged, or updated when the file brings the certificate ID it lacked; a
  record with another completion date or certificate ID is an error (an import never rewrites a
  person's CPD).

The report is the template import's (``sswis.imports.report``): every problem at once with its file,
row, column, value and sentence; per-file counts of created, updated, unchanged and rejected rows. All or
nothing: with any error nothing is written (``imports.services.import_transaction_run``). Running the
same file again creates nothing and says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sswis.access.regulation_policy import require_regulation_change
from sswis.auditing import instance_apply_changes
from sswis.imports import platform_lists
from sswis.imports.platform_lists import PERSON, ListRow, ListRun, batches, upload_kept
from sswis.imports.report import ImportReport
from sswis.imports.schema import Column, Kind
from sswis.registry.models import Worker
from sswis.regulation.models import CpdActivity, CpdProvider, CpdRecord
from sswis.regulation.services import cpd_record_add

CPD_COLUMNS: tuple[Column, ...] = (
    Column(
        "person_identifier",
        Kind.CODE,
        _("the person: worker ID, national ID or email"),
        "W000123",
        required=True,
        max_length=254,
        label=_("Person identifier"),
    ),
    Column(
        "course",
        Kind.CODE,
        _("code of the provider's CPD activity"),
        "ETH-2024-03",
        required=True,
        max_length=50,
        label=_("Course"),
    ),
    Column(
        "completion_date",
        Kind.DATE,
        _("the day the person completed it"),
        "2024-03-02",
        required=True,
        label=_("Completion date"),
    ),
    Column(
        "certificate_id",
        Kind.CODE,
        _("the certificate's identifier, if there is one"),
        "MOOC-88412",
        max_length=100,
        label=_("Certificate ID"),
    ),
)
"""The columns of a CPD file, in the template's terms (``sswis.imports.schema``)."""

ENTITY = _("CPD record")

MESSAGES: dict[str, Any] = {
    "person_unknown": _(
        "No worker has the worker ID, national ID or email '{value}'; check it, or record the person in the "
        "registry first."
    ),
    "person_ambiguous": _(
        "'{value}' is the worker ID, national ID or email of {count} workers ({workers}); give the worker ID."
    ),
    "course_unknown": _("Course '{value}' is not an activity of provider {provider}."),
    "course_of_another": _("Course '{value}' is an activity of provider {other}, not of {provider}."),
    "attended_twice": _(
        "Worker {worker} completed course {course} on row {first} already; a course counts once."
    ),
    "certificate_twice": _("Certificate '{value}' appears more than once in {file} (first on row {first})."),
    "certificate_taken": _("Certificate '{value}' is already recorded for worker {worker}, course {course}."),
    "date_differs": _(
        "Worker {worker} has course {course} recorded as completed on {stored}, not {given}; an import does "
        "not change a completion date: correct the row."
    ),
    "certificate_differs": _(
        "Worker {worker} has course {course} recorded with certificate '{stored}', not '{given}'; an import "
        "does not change a certificate: correct the row."
    ),
}
"""The sentences of the CPD import's own errors (the others are the template import's, ``imports.messages``)."""

SERVICE_COLUMNS = {"activity": "course", "completed_on": "completion_date", "worker": "person_identifier"}
"""The column of the file a refusal of ``cpd_record_add`` names, by the field it names."""


def cpd_message(key: str, /, **fields: Any) -> str:
    """The CPD import's message ``key`` with its fields filled in, in the active language."""
    return str(MESSAGES[key]).format(**fields)


_Row = ListRow[CpdActivity]


@dataclass(kw_only=True)
class _Run(ListRun[CpdActivity]):
    """One import of one file (see the module docstring); a row's ``course`` is its activity."""

    columns = CPD_COLUMNS
    entity = ENTITY
    table = "cpd"

    provider: CpdProvider

    def person_ambiguous(self, identifier: str, step: str, workers: dict[int, str]) -> str:
        listed = ", ".join(sorted(workers.values()))
        return cpd_message("person_ambiguous", value=identifier, count=len(workers), workers=listed)

    def person_unknown(self, row: _Row, identifier: str) -> None:
        self.error(row, PERSON, identifier, cpd_message("person_unknown", value=identifier))

    # Resolving -------------------------------------------------------------------------------------------

    def resolve(self) -> None:
        """The worker and the activity of every row, in bulk; an unknown or ambiguous one is an error."""
        matches = platform_lists.workers_matching(identifiers=self.values_of(PERSON), first_step_only=False)
        activities: dict[str, CpdActivity] = {}
        for batch in batches(self.values_of("course")):
            for activity in CpdActivity.objects.filter(code__in=batch).select_related("provider"):
                activities[activity.code] = activity
        for row in self.rows:
            self.match_person(row, matches)
            code = row.values.get("course")
            if code:
                held = activities.get(code)
                if held is not None and held.provider_id == self.provider.pk:
                    row.course = held
                elif held is not None:
                    text = cpd_message(
                        "course_of_another",
                        value=code,
                        other=held.provider.code,
                        provider=self.provider.code,
                    )
                    self.error(row, "course", code, text)
                else:
                    self.error(
                        row,
                        "course",
                        code,
                        cpd_message("course_unknown", value=code, provider=self.provider.code),
                    )

    # Checking against the file and the stored records ------------------------------------------------------

    def write(self) -> None:
        """Compare each row with the earlier rows and the stored records; create or update; count every row."""
        placed = [row for row in self.rows if row.worker is not None and row.course is not None]
        stored: dict[tuple[int, int], CpdRecord] = {}
        for batch in batches({row.worker for row in placed if row.worker is not None}):
            for record in CpdRecord.objects.filter(worker_id__in=batch, activity__provider=self.provider):
                stored[(record.worker_id, record.activity_id)] = record
        certificates = {row.values.get("certificate_id") for row in placed} - {"", None}
        holders: dict[str, CpdRecord] = {}
        for batch in batches(certificates):
            for record in CpdRecord.objects.filter(
                certificate_id__in=batch, activity__provider=self.provider
            ).select_related("worker", "activity"):
                holders[record.certificate_id] = record
        workers = Worker.objects.in_bulk(sorted({row.worker for row in placed if row.worker is not None}))
        first_of_pair: dict[tuple[int, int], int] = {}
        first_of_certificate: dict[str, int] = {}
        for row in self.rows:
            if row.worker is not None and row.course is not None:
                self.check_and_write(row, stored, holders, workers, first_of_pair, first_of_certificate)
            if not row.ok:
                self.counts.rejected += 1

    def check_and_write(
        self,
        row: _Row,
        stored: dict[tuple[int, int], CpdRecord],
        holders: dict[str, CpdRecord],
        workers: dict[int, Worker],
        first_of_pair: dict[tuple[int, int], int],
        first_of_certificate: dict[str, int],
    ) -> None:
        assert row.worker is not None and row.course is not None
        worker_id, course = self.worker_ids[row.worker], row.course.code
        pair = (row.worker, row.course.pk)
        certificate: str = row.values.get("certificate_id", "")
        if pair in first_of_pair:
            text = cpd_message("attended_twice", worker=worker_id, course=course, first=first_of_pair[pair])
            self.error(row, "course", course, text)
        else:
            first_of_pair[pair] = row.number
        holder = holders.get(certificate) if certificate else None
        if certificate and certificate in first_of_certificate:
            text = cpd_message(
                "certificate_twice",
                value=certificate,
                file=self.file,
                first=first_of_certificate[certificate],
            )
            self.error(row, "certificate_id", certificate, text)
        elif holder is not None and (holder.worker_id, holder.activity_id) != pair:
            text = cpd_message(
                "certificate_taken",
                value=certificate,
                worker=holder.worker.worker_id,
                course=holder.activity.code,
            )
            self.error(row, "certificate_id", certificate, text)
        if certificate:
            first_of_certificate.setdefault(certificate, row.number)
        completed_on: datetime.date | None = row.values.get("completion_date")
        if "completion_date" not in row.values or completed_on is None:
            row.ok = False  # already reported
        record = stored.get(pair)
        if record is not None and completed_on is not None and record.completed_on != completed_on:
            text = cpd_message(
                "date_differs",
                worker=worker_id,
                course=course,
                stored=record.completed_on.isoformat(),
                given=completed_on.isoformat(),
            )
            self.error(row, "completion_date", completed_on, text)
        if record is not None and certificate and record.certificate_id not in ("", certificate):
            text = cpd_message(
                "certificate_differs",
                worker=worker_id,
                course=course,
                stored=record.certificate_id,
                given=certificate,
            )
            self.error(row, "certificate_id", certificate, text)
        if not row.ok or completed_on is None:
            return
        if record is None:
            self.create(row, workers[row.worker], row.course, completed_on, certificate)
        elif certificate and not record.certificate_id:
            # The certificate of an attendance recorded without one: filled in, in the record's history.
            instance_apply_changes(
                record,
                actor=self.actor,
                changes={"certificate_id": certificate},
                allowed_fields=("certificate_id",),
            )
            self.counts.updated += 1
        else:
            self.counts.unchanged += 1

    def create(
        self, row: _Row, worker: Worker, activity: CpdActivity, completed_on: datetime.date, certificate: str
    ) -> None:
        """Through ``cpd_record_add``, whose refusal becomes the row's error (its savepoint is undone)."""
        try:
            cpd_record_add(
                actor=self.actor,
                worker=worker,
                activity=activity,
                completed_on=completed_on,
                certificate_id=certificate,
            )
        except ValidationError as refusal:
            where, texts = next(iter(refusal.message_dict.items()))
            column = SERVICE_COLUMNS.get(where, "")
            value = {"course": activity.code, "completion_date": completed_on, "person_identifier": ""}.get(
                column, ""
            )
            self.error(row, column, value, " ".join(texts))
            return
        self.counts.created += 1


def workers_matching(*, identifiers: set[str]) -> dict[str, dict[int, str]]:
    """For each of ``identifiers``, the workers it names: by worker ID, national ID or email (any case),
    as primary key -> worker ID. An identifier naming no worker is absent; one naming several has them all."""
    found = platform_lists.workers_matching(identifiers=identifiers, first_step_only=False)
    return {identifier: workers for identifier, (_step, workers) in found.items()}


def cpd_records_import(
    *,
    actor: Any,
    source: Path,
    provider: CpdProvider,
    dry_run: bool = False,
    encoding: str | None = None,
) -> ImportReport:
    """Import the CPD records of the CSV file ``source`` for ``provider`` (see the module docstring).

    ``actor`` must be allowed to change the provider's body (its registrar or a national data manager):
    ``PermissionDenied`` before anything is read. Returns the report of the one file (named as
    ``source``): every problem, and its counts (``read = created + updated + unchanged + rejected``).
    ``report.imported`` is true only when the records were written: never for a dry run (the whole
    import, undone at the end) nor with any error. A source that cannot be read (no such file, too large,
    not CSV text, a character set it does not fit) is reported as a problem, not raised. ``encoding``
    names the character set (``None``: detected).
    """
    require_regulation_change(user=actor, body_id=provider.body_id)
    run = _Run(actor=actor, file=source.name, dry_run=dry_run, provider=provider)
    return run.import_file(source, encoding=encoding)


def cpd_records_import_upload(
    *,
    actor: Any,
    file_name: str,
    chunks: Iterable[bytes],
    provider: CpdProvider,
    dry_run: bool = False,
) -> ImportReport:
    """:func:`cpd_records_import` of a file received by the page or the API (``chunks``: its content): kept
    in a temporary folder under its own base name, so the report names the file the user sent, and removed
    after. The size limit and every check are :func:`cpd_records_import`'s."""
    require_regulation_change(user=actor, body_id=provider.body_id)
    with upload_kept(file_name=file_name, chunks=chunks, default="cpd.csv") as source:
        return cpd_records_import(actor=actor, source=source, provider=provider, dry_run=dry_run)
