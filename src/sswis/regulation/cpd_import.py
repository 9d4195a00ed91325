"""Importing CPD records in bulk: a provider's attendance list, or an online-course (MOOC) platform's
certificates (:func:`cpd_records_import`; the command ``sswis regulation_cpd_import``).

The file is a CSV file with the columns of :data:`CPD_COLUMNS` (``person_identifier``, ``course``,
``completion_date``, ``certificate_id``), read exactly as a template file is (``sswis.imports.readers``:
character set and delimiter detected, size limit, binary files refused; column names without case,
spaces or underscores). Each row says that a person completed one of the provider's activities (its
code, ``course``) on a day:

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
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from sswis.access.regulation_policy import require_regulation_change
from sswis.auditing import instance_apply_changes
from sswis.database import lookup_batch_size
from sswis.imports.messages import message
from sswis.imports.modes import ImportMode
from sswis.imports.readers import CsvSource, RawTable, TemplateReadError, header_key
from sswis.imports.report import FileCounts, ImportReport, Problem
from sswis.imports.safety import limits_current
from sswis.imports.schema import Column, Kind
from sswis.imports.services import import_transaction_run
from sswis.imports.values import column_parser
from sswis.registry.models import Worker
from sswis.regulation.models import CpdActivity, CpdProvider, CpdRecord
from sswis.regulation.services import cpd_record_add
from sswis.text import text_problem, text_shown

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


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    ok: bool = True
    worker: int | None = None
    activity: CpdActivity | None = None


@dataclass
class _Run:
    """One import of one file (see the module docstring)."""

    actor: Any
    provider: CpdProvider
    file: str
    report: ImportReport
    counts: FileCounts
    rows: list[_Row] = field(default_factory=list)
    worker_ids: dict[int, str] = field(default_factory=dict)  # worker pk -> worker ID, for messages

    def problem(self, row: int, column: str, value: Any, text: str) -> None:
        shown = value.isoformat() if isinstance(value, datetime.date) else str(value or "")
        self.report.problems.append(
            Problem(file=self.file, row=row, column=column, value=shown, message=text)
        )

    def error(self, row: _Row, column: str, value: Any, text: str) -> None:
        self.problem(row.number, column, value, text)
        row.ok = False

    # Reading ---------------------------------------------------------------------------------------------

    def read(self, table: RawTable) -> None:
        """Check the header and every cell; keep the rows (all of them: a file of attendance is small)."""
        known = {header_key(column.name): column for column in CPD_COLUMNS}
        names = ", ".join(column.name for column in CPD_COLUMNS)
        present: list[tuple[int, Column]] = []
        usable = bool(table.header)
        if not table.header:
            self.problem(0, "", "", message("empty_file", file=self.file))
        for index, (key, raw) in enumerate(zip(table.header, table.raw_header, strict=True)):
            column = known.get(key) if key else None
            if key and column is None:
                self.problem(0, raw, "", message("unknown_column", column=raw, file=self.file, columns=names))
                usable = False
            elif column is not None and any(column is other for _, other in present):
                self.problem(0, raw, "", message("duplicate_column", column=raw))
                usable = False
            elif column is not None:
                present.append((index, column))
        for column in CPD_COLUMNS:
            if table.header and column.required and all(column is not other for _, other in present):
                self.problem(
                    0, column.name, "", message("missing_column", column=column.name, file=self.file)
                )
                usable = False
        parsers = {column.name: column_parser(column=column) for _, column in present}
        width = len(table.header)
        for number, cells in table.rows:
            self.counts.read += 1
            row = _Row(number=number, values={}, ok=usable)
            if len(cells) > width and any(cells[width:]):
                self.error(row, "", ", ".join(cell for cell in cells[width:] if cell), message("extra_cells"))
            for index, column in present:
                text = cells[index] if index < len(cells) else ""
                if not text:
                    if column.required:
                        self.error(
                            row, column.name, "", message("required", label=column.title, entity=ENTITY)
                        )
                    else:
                        row.values[column.name] = ""
                elif (refused := text_problem(text)) is not None:
                    found = message(
                        "unprintable", label=column.title, code=refused.code_point, position=refused.position
                    )
                    self.error(row, column.name, text_shown(text), found)
                else:
                    try:
                        row.values[column.name] = parsers[column.name](text)
                    except ValueError as problem:
                        self.error(row, column.name, text, str(problem))
            self.rows.append(row)

    # Resolving -------------------------------------------------------------------------------------------

    def resolve(self) -> None:
        """The worker and the activity of every row, in bulk; an unknown or ambiguous one is an error."""
        identifiers = {
            row.values["person_identifier"] for row in self.rows if row.values.get("person_identifier")
        }
        matches = workers_matching(identifiers=identifiers)
        codes = {row.values["course"] for row in self.rows if row.values.get("course")}
        activities: dict[str, CpdActivity] = {}
        for batch in _batches(sorted(codes)):
            for activity in CpdActivity.objects.filter(code__in=batch).select_related("provider"):
                activities[activity.code] = activity
        for row in self.rows:
            identifier, code = row.values.get("person_identifier"), row.values.get("course")
            if identifier:
                found = matches.get(identifier, {})
                if len(found) == 1:
                    ((row.worker, worker_id),) = found.items()
                    self.worker_ids[row.worker] = worker_id
                elif found:
                    listed = ", ".join(sorted(found.values()))
                    text = cpd_message("person_ambiguous", value=identifier, count=len(found), workers=listed)
                    self.error(row, "person_identifier", identifier, text)
                else:
                    self.error(
                        row, "person_identifier", identifier, cpd_message("person_unknown", value=identifier)
                    )
            if code:
                held = activities.get(code)
                if held is not None and held.provider_id == self.provider.pk:
                    row.activity = held
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
        placed = [row for row in self.rows if row.worker is not None and row.activity is not None]
        stored: dict[tuple[int, int], CpdRecord] = {}
        for batch in _batches(sorted({row.worker for row in placed if row.worker is not None})):
            for record in CpdRecord.objects.filter(worker_id__in=batch, activity__provider=self.provider):
                stored[(record.worker_id, record.activity_id)] = record
        certificates = {row.values.get("certificate_id") for row in placed} - {"", None}
        holders: dict[str, CpdRecord] = {}
        for batch in _batches(sorted(certificates)):
            for record in CpdRecord.objects.filter(
                certificate_id__in=batch, activity__provider=self.provider
            ).select_related("worker", "activity"):
                holders[record.certificate_id] = record
        workers = Worker.objects.in_bulk(sorted({row.worker for row in placed if row.worker is not None}))
        first_of_pair: dict[tuple[int, int], int] = {}
        first_of_certificate: dict[str, int] = {}
        for row in self.rows:
            if row.worker is not None and row.activity is not None:
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
        assert row.worker is not None and row.activity is not None
        worker_id, course = self.worker_ids[row.worker], row.activity.code
        pair = (row.worker, row.activity.pk)
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
            self.create(row, workers[row.worker], row.activity, completed_on, certificate)
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


def _batches(items: list[Any]) -> Iterable[list[Any]]:
    size = lookup_batch_size()
    for start in range(0, len(items), size):
        yield items[start : start + size]


def workers_matching(*, identifiers: set[str]) -> dict[str, dict[int, str]]:
    """For each of ``identifiers``, the workers it names: by worker ID, national ID or email (any case),
    as primary key -> worker ID. An identifier naming no worker is absent; one naming several has them all."""
    found: dict[str, dict[int, str]] = defaultdict(dict)
    lowered: dict[str, set[str]] = defaultdict(set)
    for identifier in identifiers:
        lowered[identifier.lower()].add(identifier)  # as the database's LOWER() does
    ordered = sorted(identifiers)
    for batch in _batches(ordered):
        for pk, worker_id in Worker.objects.filter(worker_id__in=batch).values_list("pk", "worker_id"):
            found[worker_id][pk] = worker_id
        for pk, worker_id, national_id in Worker.objects.filter(national_id__in=batch).values_list(
            "pk", "worker_id", "national_id"
        ):
            found[national_id][pk] = worker_id
    emails = sorted(lowered)
    for batch in _batches(emails):
        for pk, worker_id, email in (
            Worker.objects.annotate(email_key=Lower("email"))
            .filter(email_key__in=batch)
            .values_list("pk", "worker_id", "email")
        ):
            for identifier in lowered.get(email.lower(), ()):
                found[identifier][pk] = worker_id
    return dict(found)


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
    report = ImportReport(mode=ImportMode.of(dry_run=dry_run, skip_invalid=False))
    name = source.name
    counts = report.files.setdefault(name, FileCounts())
    run = _Run(actor=actor, provider=provider, file=name, report=report, counts=counts)
    limit = limits_current().max_bytes
    if not source.is_file():
        report.problems.append(
            Problem(file="", row=0, column="", value=str(source), message=message("no_source", path=source))
        )
        return report
    if source.stat().st_size > limit:
        text = message("too_large", file=name, limit=limit // 2**20)
        report.problems.append(Problem(file=name, row=0, column="", value="", message=text))
        return report
    try:
        reader = CsvSource(encoding=encoding, source=name)
        with reader:
            run.read(reader.csv_table(name="cpd", file=name, opener=lambda: source.open("rb")))
    except TemplateReadError as exc:
        report.problems.append(Problem(file=name, row=exc.row, column="", value="", message=exc.message))
        counts.created = counts.updated = counts.unchanged = 0
        counts.rejected = counts.read
        return report

    def work() -> None:
        run.resolve()
        run.write()

    import_transaction_run(report=report, work=work)
    return report


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
    import tempfile

    require_regulation_change(user=actor, body_id=provider.body_id)
    name = Path(file_name.replace("\\", "/")).name or "cpd.csv"
    with tempfile.TemporaryDirectory(prefix="sswis-cpd-") as folder:
        source = Path(folder) / name
        with source.open("wb") as target:
            for chunk in chunks:
                target.write(chunk)
        return cpd_records_import(actor=actor, source=source, provider=provider, dry_run=dry_run)
