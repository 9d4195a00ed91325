"""Importing a workforce mapping template into the registry: the only way template data gets in.

:func:`template_import` validates and loads every file inside one transaction. By default it is all or
nothing: with any error (or for a dry run) the transaction is rolled back, so nothing is ever
half-written and a dry run reports exactly what the import would do. When skipping invalid rows
(``ImportMode.SKIP_INVALID``) the valid rows are committed and the others rejected, each with its reason. Rows are upserted by business key (code,
worker_id, (location, year), assignment identity); unchanged rows are not written at all, so importing
the same template twice creates and updates nothing the second time. Every created or updated row gets a
history record whose author is the acting user.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.text import get_valid_filename
from django.utils.translation import gettext, gettext_lazy

from sswis.access import policy
from sswis.imports.loading import ImportProgress, ImportRun, ProgressCallback
from sswis.imports.messages import message
from sswis.imports.models import ImportRecord, ImportStatus
from sswis.imports.modes import ImportMode
from sswis.imports.readers import TemplateReadError, folder_csv_files, template_source_open
from sswis.imports.report import (
    FileCounts,
    ImportReport,
    Problem,
    database_refusal,
    problem_sort_key,
    report_as_dict,
)
from sswis.imports.safety import limits_current
from sswis.imports.writing import bulk_write_settings

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = ["FileCounts", "ImportMode", "ImportReport", "Problem", "import_transaction_run", "template_import"]


def template_import(
    *,
    actor: Any,
    source: Path,
    mode: ImportMode = ImportMode.ALL_OR_NOTHING,
    dry_run: bool = False,
    system: bool = False,
    progress: ProgressCallback | None = None,
    encoding: str | None = None,
) -> ImportReport:
    """Validate the template at ``source`` (folder of CSV files, one template CSV file, ``.zip`` of CSV
    files, or ``.xlsx``) and load it.

    ``actor`` must be allowed to import (``policy.import_limits``): a national data manager imports
    anything; an organisation focal point or a subnational officer only workers, posts and assignments
    of their organisation or area, and the supervision, sessions and caseloads of the workers they see
    (other rows are errors, other files refused). The regulation files
    (registers, registrations, licences) are refused, each with its error, unless ``actor`` may change
    regulation (``regulation_policy.require_regulation_change``). Otherwise
    ``PermissionDenied`` is raised before anything is read. Internal callers that act for the system
    itself (the demo loader) pass ``system=True``, which skips the access check; ``actor`` may then be
    ``None`` and history records have no author. No user-facing entry point (CLI, web, API) passes
    ``system``.

    ``mode`` says what to do with errors and whether to write (``dry_run=True`` turns it into its dry-run
    form). ``progress`` is called now and then with how far the import has read (see ``ImportProgress``).

    Returns the report: every problem of every file (sorted by file then row) and per-file counts.
    ``report.imported`` is true only when the data was committed: never for a dry run; in the
    all-or-nothing mode never with an error; when skipping invalid rows, unless the source as a whole
    could not be read. A dry run is the whole import, rolled back at the end, so its counts and problems
    are exactly those the real import would give. Before anything is committed the counts of every
    file are checked to add up to its rows read; if they do not, nothing is written. The transaction
    holds the database's write lock while it runs (on SQLite, other writers wait; readers are not
    blocked). ``encoding`` names the character set of CSV files (``None``: detected). Unreadable or
    refused sources (no such path, a damaged workbook, a file refused by ``imports/safety.py``, a CSV row
    that does not fit the given character set) are reported as problems (file, row 0 or the row,
    message), not raised. A database refusal (which the checks are meant to prevent, e.g. a concurrent
    import of the same codes) is reported as an error and nothing is written.
    """
    limits = None if system else policy.import_limits(user=actor)
    if dry_run:
        mode = ImportMode.of(dry_run=True, skip_invalid=mode.skip_invalid)
    report = ImportReport(mode=mode)
    try:
        opened = template_source_open(path=Path(source), encoding=encoding)
    except TemplateReadError as exc:
        report.problems.append(
            Problem(file=exc.file, row=exc.row, column="", value=str(source), message=exc.message)
        )
        return report
    with opened:
        import_transaction_run(
            report=report,
            work=lambda: ImportRun(
                source=opened,
                report=report,
                actor=actor,
                skip_invalid=mode.skip_invalid,
                limits=limits,
                progress=progress,
                system=system,
            ).run(),
        )
    return report


def import_transaction_run(*, report: ImportReport, work: Callable[[], None]) -> bool:
    """Run ``work`` (an ``ImportRun`` and whatever its caller writes with it) in one transaction, then
    commit or roll back: the one way every import (templates, field submissions) ends.

    ``work`` adds its problems and counts to ``report``. After it, every file's counts must add up to its
    rows read (``ImportReport.unbalanced_files``); otherwise an error is added and nothing is written.
    Then the transaction is committed only when ``report.mode`` is no dry run and there is no error
    (when skipping invalid rows: no error about the source as a whole); else it is rolled back. A
    database refusal (``DatabaseError``) rolls everything back and is reported as an error. Sets
    ``report.imported``, sorts the problems (``problem_sort_key``) and returns whether it committed.
    """
    mode = report.mode
    committed = False
    try:
        with bulk_write_settings(), transaction.atomic():
            work()
            unbalanced = report.unbalanced_files()
            if unbalanced:
                text = message("counts_unbalanced", files=", ".join(unbalanced))
                report.problems.append(Problem(file="", row=0, column="", value="", message=text))
            writable = not report.has_errors or (mode.skip_invalid and not report.source_refused)
            if mode.dry_run or not writable:
                transaction.set_rollback(True)
            else:
                committed = True
    except DatabaseError as exc:
        committed = False
        report.problems.append(database_refusal(exc))
    report.imported = committed
    report.problems.sort(key=problem_sort_key)
    return committed


def import_record_of_report(
    *, actor: Any, file_name: str, sha256: str, size: int, report: ImportReport, started_at: Any
) -> ImportRecord | None:
    """Keep in the import history an import that ran without an upload (field submissions): a finished
    record with its report, counts and the SHA-256 and size of what was received; no copy is kept
    (``stored_path`` empty). ``file_name`` must hold no credentials (the caller strips them).

    The import has already committed (or rolled back) when this runs, so a busy database must not turn it
    into a crash: the record is retried like an upload's outcome (:data:`SAVE_ATTEMPTS`), and if the
    database never takes it, that is logged and ``None`` returned; the import itself stands.
    """
    document = report_as_dict(report=report)
    values = {
        "user": actor if getattr(actor, "is_authenticated", False) else None,
        "file_name": file_name[:255],
        "stored_path": "",
        "sha256": sha256,
        "size": size,
        "mode": report.mode,
        "status": ImportStatus.FINISHED,
        "started_at": started_at,
        "finished_at": timezone.now(),
        "rows_read": sum(counts.read for counts in report.files.values()),
        "imported": report.imported,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "summary": report.summary,
        "counts": document["files"],
        "report": document,
    }
    try:
        return _while_busy(lambda: ImportRecord.objects.create(**values))
    except DatabaseError:
        logger.exception("The import of %s ran but could not be kept in the history", values["file_name"])
        return None


# The import history ------------------------------------------------------------------------------------

IMPORTS_FOLDER = "imports"
"""Under ``settings.DATA_DIR``: one folder per import record, ``<uuid>/``, with the file as received."""

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".zip")
"""What the upload page and the API accept: one template CSV file, a workbook, or a zip of CSV files."""

PROGRESS_FILE = "progress.json"
PROGRESS_SECONDS = 0.5
"""At most this often the progress of a running import is written for the pages to show."""

logger = logging.getLogger(__name__)


class UploadRefused(ValueError):
    """The file given to :func:`import_record_create` cannot be taken (too large, not a template format)."""


ACCEPTED_SUFFIXES = (*UPLOAD_SUFFIXES, ".xlsm", ".xls")
"""What is taken and kept: besides :data:`UPLOAD_SUFFIXES`, macro-enabled and old-format workbooks, so that
the import's safety checks refuse them with their own message (what to do in Excel), not a generic one."""

HEARTBEAT_FILE = "heartbeat"
HEARTBEAT_SECONDS = 10.0
"""How often a running import touches its heartbeat file, from a thread of its own."""

INTERRUPTED_MESSAGE = "The import stopped before it finished; nothing was written; run it again."

OUTCOME_FILE = "outcome.json"
"""The outcome of an import whose record could not be saved at its end (kept for the next check)."""

ACCEPTED_MESSAGE = gettext_lazy(
    "{name} is not a mapping template: give an .xlsx workbook, a template CSV file (e.g. workers.csv) or a "
    ".zip of CSV files."
)


def _record_folder(record_uuid: uuid.UUID) -> Path:
    return Path(settings.DATA_DIR) / IMPORTS_FOLDER / str(record_uuid)


def too_large_message(*, file_name: str) -> str:
    """What a user sees when a file is over the import's size limit (``safety.limits_current``)."""
    return message("too_large", file=file_name, limit=limits_current().max_bytes // 2**20)


def import_record_create(
    *,
    actor: Any,
    file_name: str,
    chunks: Iterable[bytes],
    mode: ImportMode,
    encoding: str | None = None,
    accepted: tuple[str, ...] = ACCEPTED_SUFFIXES,
    refusal: StrOrPromise = ACCEPTED_MESSAGE,
) -> ImportRecord:
    """Keep the received bytes under ``DATA_DIR/imports/<uuid>/`` and record a queued import of them.

    ``actor`` must be allowed to import (``PermissionDenied`` before anything is stored). ``file_name``
    is reduced to a safe base name and must end in one of ``accepted`` (default :data:`ACCEPTED_SUFFIXES`;
    ``refusal`` is the message otherwise, with ``{name}``). The bytes are
    written as they come (never held in memory) while their SHA-256 and size are computed; beyond the
    size limit (``safety.limits_current().max_bytes``) ``UploadRefused`` is raised. Whatever goes wrong
    (the limit, a full disk, the database refusing the record) the kept copy is deleted: no file with
    personal data stays behind without a record. ``encoding`` (the character set of CSV files; ``None``:
    detected) is kept for the run.
    """
    policy.require_import(user=actor)
    name = get_valid_filename(Path(file_name.replace("\\", "/")).name) if file_name.strip() else ""
    if not name.lower().endswith(accepted):
        raise UploadRefused(str(refusal).format(name=name or gettext("The file")))
    record_uuid = uuid.uuid4()
    folder = _record_folder(record_uuid)
    folder.mkdir(parents=True)
    digest, size, limit = hashlib.sha256(), 0, limits_current().max_bytes
    try:
        with (folder / name).open("wb") as stored:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise UploadRefused(too_large_message(file_name=name))
                digest.update(chunk)
                stored.write(chunk)
        return _record_queued(
            record_uuid=record_uuid,
            actor=actor,
            name=name,
            sha256=digest.hexdigest(),
            size=size,
            mode=mode,
            encoding=encoding,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _record_queued(
    *,
    record_uuid: uuid.UUID,
    actor: Any,
    name: str,
    sha256: str,
    size: int,
    mode: ImportMode,
    encoding: str | None,
) -> ImportRecord:
    """The queued record of the copy kept as ``IMPORTS_FOLDER/<record_uuid>/<name>``, in the language
    active now: the report speaks the uploader's language, whichever process runs the import."""
    return ImportRecord.objects.create(
        uuid=record_uuid,
        user=actor,
        file_name=name,
        stored_path=f"{IMPORTS_FOLDER}/{record_uuid}/{name}",
        sha256=sha256,
        size=size,
        mode=mode,
        encoding=encoding or "",
        language=translation.get_language() or "",
    )


def import_record_submit(
    *, actor: Any, file_name: str, chunks: Iterable[bytes], mode: ImportMode, encoding: str | None = None
) -> ImportRecord:
    """Record the upload (:func:`import_record_create`) and queue its import as a background task
    (:func:`import_record_queue`). Returns the record as it is now."""
    from sswis.imports.tasks import import_record_task  # the task module imports this one

    record = import_record_create(
        actor=actor, file_name=file_name, chunks=chunks, mode=mode, encoding=encoding
    )
    return import_record_queue(record=record, task=import_record_task)


def import_record_queue(*, record: ImportRecord, task: Any, **arguments: Any) -> ImportRecord:
    """Queue ``task`` (a django-tasks task taking ``record_id`` and ``arguments``) to run ``record``.

    With the database task backend the import runs in ``sswis db_worker``; with the immediate backend
    (tests) it has run when this returns. When the task cannot be queued (the task table refused it) the
    record is marked ``failed`` with that reason, not left queued for ever. The arguments are stored
    with the queued task: never give a secret. Returns the record as it is now.
    """
    try:
        task.enqueue(record_id=record.pk, **arguments)
    except Exception as exc:  # the task backend's own errors (a database refusal, a broken configuration)
        logger.exception("Import %s could not be queued", record.uuid)
        _record_fail(
            record,
            f"The import could not be queued ({type(exc).__name__}: {exc}); nothing was written. "
            "Upload the file again; if it happens again, please report this.",
        )
    record.refresh_from_db()
    return record


def _folder_copy(*, source: Path, target: Path) -> tuple[str, int]:
    """Copy the CSV files of the folder ``source`` an import reads (``readers.folder_csv_files``) to ``target``.

    Returns the folder's SHA-256 (see :func:`import_record_from_path`) and size. Files of other kinds are
    not copied (never read); a file over the size limit, or files over the total limit together, raise
    ``UploadRefused`` before anything is copied.
    """
    templates, others = folder_csv_files(path=source)
    entries = sorted([*templates.values(), *others], key=lambda entry: entry.name)
    limits = limits_current()
    for entry in entries:
        if entry.stat().st_size > limits.max_bytes:
            raise UploadRefused(too_large_message(file_name=entry.name))
    total = sum(entry.stat().st_size for entry in entries)
    if total > limits.max_total_bytes:
        text = message(
            "folder_too_large",
            file=source.name,
            size=f"{total / 2**20:,.2f}",
            limit=limits.max_total_bytes // 2**20,
        )
        raise UploadRefused(text)
    target.mkdir(parents=True)
    lines, size = [], 0
    for entry in entries:
        shutil.copyfile(entry, target / entry.name)
        with (target / entry.name).open("rb") as handle:
            lines.append(f"{hashlib.file_digest(handle, 'sha256').hexdigest()}  {entry.name}\n")
        size += (target / entry.name).stat().st_size
    return hashlib.sha256("".join(lines).encode()).hexdigest(), size


def import_record_from_path(
    *,
    actor: Any,
    source: Path,
    mode: ImportMode,
    progress: ProgressCallback | None = None,
    encoding: str | None = None,
) -> ImportRecord:
    """Record and run, here and now, the import of a template on disk (the command line).

    A file is kept as it is (:func:`import_record_create`: ``UploadRefused`` for a file over the limit or
    of another kind). Of a folder only the CSV files the import reads, or names as not read, are kept
    (:func:`_folder_copy`: ``UploadRefused`` over the limits); its SHA-256 is that of the lines
    ``<sha256 of file>  <name>`` of those files in name order (what ``sha256sum *.csv`` prints), its size
    the sum of theirs. Raises ``PermissionDenied`` before anything is stored.
    """
    policy.require_import(user=actor)
    if not source.is_dir():
        with source.open("rb") as handle:
            record = import_record_create(
                actor=actor,
                file_name=source.name,
                chunks=iter(lambda: handle.read(1 << 20), b""),
                mode=mode,
                encoding=encoding,
            )
        return import_record_run(record=record, progress=progress)
    record_uuid = uuid.uuid4()
    name = get_valid_filename(source.resolve().name) or "template"
    folder = _record_folder(record_uuid)
    try:
        sha256, size = _folder_copy(source=source, target=folder / name)
        record = _record_queued(
            record_uuid=record_uuid,
            actor=actor,
            name=name,
            sha256=sha256,
            size=size,
            mode=mode,
            encoding=encoding,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return import_record_run(record=record, progress=progress)


class _ProgressFile:
    """Writes the latest progress to ``progress.json`` beside the kept file, at most every half second.

    Why a file and not the record: the import holds the database's write lock in one transaction until it
    ends (on SQLite no other connection may write meanwhile), and its own writes are invisible to the
    pages until it commits. The file is replaced atomically, so a reader never sees half of it.
    """

    def __init__(self, path: Path, forward: ProgressCallback | None) -> None:
        self.path = path
        self.forward = forward
        self.written_at = 0.0
        self.rows = 0

    def __call__(self, progress: ImportProgress) -> None:
        self.rows = progress.rows
        if self.forward is not None:
            self.forward(progress)
        now = time.monotonic()
        if now - self.written_at < PROGRESS_SECONDS:
            return
        self.written_at = now
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(asdict(progress)), encoding="utf-8")
        os.replace(partial, self.path)


class _Heartbeat:
    """Touches ``path`` every :data:`HEARTBEAT_SECONDS` from a daemon thread while an import runs.

    A file for the same reason as the progress (the database may be locked by the import itself). When
    the process dies, the touching stops: :func:`import_records_interrupted_mark` sees the file grow old.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stopped = threading.Event()
        self.thread = threading.Thread(
            target=self._beat, name=f"import-heartbeat-{path.parent.name}", daemon=True
        )

    def _beat(self) -> None:
        while True:
            try:
                self.path.touch()
            except OSError:
                logger.warning("Import heartbeat %s could not be written", self.path)
            if self.stopped.wait(HEARTBEAT_SECONDS):
                return

    def __enter__(self) -> _Heartbeat:
        self.path.touch()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()
        self.path.unlink(missing_ok=True)


def _record_fail(record: ImportRecord, failure: str, *, status: str = ImportStatus.FAILED) -> None:
    """Mark ``record`` (still queued or running) as ``status`` with ``failure``.

    When the database refuses (busy, or gone) the outcome is kept in :data:`OUTCOME_FILE`, which
    :func:`import_records_interrupted_mark` stores later: the record never stays queued or running for
    ever because the database refused both its start and its failure.
    """
    now = timezone.now()
    try:
        ImportRecord.objects.filter(
            pk=record.pk, status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)
        ).update(status=status, failure=failure, finished_at=now)
    except DatabaseError:
        logger.exception("Import %s could not be marked %s: %s", record.uuid, status, failure)
        _outcome_keep(record, {"status": status, "failure": failure, "finished_at": now.isoformat()})
        return
    record.status, record.failure, record.finished_at = status, failure, now


def _outcome_keep(record: ImportRecord, outcome: dict[str, Any]) -> Path:
    """Write ``outcome`` to the record's :data:`OUTCOME_FILE`, replacing it atomically (a reader never sees
    half of it); return its path."""
    path = _record_folder(record.uuid) / OUTCOME_FILE
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(outcome, cls=DjangoJSONEncoder), encoding="utf-8")
    os.replace(partial, path)
    return path


SAVE_ATTEMPTS = 5
_Written = TypeVar("_Written")


def _while_busy(write: Callable[[], _Written]) -> _Written:
    """``write()``, tried up to :data:`SAVE_ATTEMPTS` times, waiting 1, 2, 4, ... s between tries while the
    database refuses it (SQLite busy); the last refusal is raised."""
    for attempt in range(SAVE_ATTEMPTS - 1):
        try:
            return write()
        except DatabaseError:
            time.sleep(2**attempt)
    return write()


def _record_finish(record: ImportRecord, fields: list[str]) -> None:
    """Save the outcome of a run; retry while the database is busy, and keep it in a file until it is saved.

    The import has already committed (or rolled back) by now, so its outcome must not be lost. It is
    written to :data:`OUTCOME_FILE` first; then the record is updated (running, or already marked
    interrupted by a check that saw it late: the outcome wins) and the file removed. When every attempt
    fails, the file stays and :func:`import_records_interrupted_mark` stores it later (instead of calling
    the import interrupted). ``failure`` is always written, so no stale message survives a finished import.
    """
    if "failure" not in fields:
        fields = [*fields, "failure"]
    outcome = {field: getattr(record, field) for field in fields}
    outcome_path = _outcome_keep(
        record, {**outcome, "finished_at": record.finished_at.isoformat() if record.finished_at else None}
    )
    saving = ImportRecord.objects.filter(
        pk=record.pk, status__in=(ImportStatus.RUNNING, ImportStatus.INTERRUPTED)
    )
    try:
        _while_busy(lambda: saving.update(**outcome))
    except DatabaseError:
        logger.exception("Import %s: its outcome could not be saved; kept in %s", record.uuid, OUTCOME_FILE)
        return
    outcome_path.unlink(missing_ok=True)


RecordImporter = Callable[[ImportRecord, ProgressCallback], ImportReport]
"""What runs a kept import: given the record and a progress callback, it imports the kept file as the
record's user and returns the report (``PermissionDenied`` when the user may no longer import)."""


def _template_of_record(record: ImportRecord, progress: ProgressCallback) -> ImportReport:
    """The default :data:`RecordImporter`: the kept file as a mapping template."""
    return template_import(
        actor=record.user,
        source=import_record_path(record=record),
        mode=record.mode_enum,
        progress=progress,
        encoding=record.encoding or None,
    )


def import_record_path(*, record: ImportRecord) -> Path:
    """Where the file of ``record`` is kept."""
    return Path(settings.DATA_DIR) / record.stored_path


def import_record_run(
    *,
    record: ImportRecord,
    progress: ProgressCallback | None = None,
    importer: RecordImporter = _template_of_record,
) -> ImportRecord:
    """Run the queued import of ``record`` as its user, and keep the outcome in the record.

    The record goes ``queued`` -> ``running`` -> ``finished`` (the import ran: the report says what it
    did, errors included) or ``failed`` (it could not run: the user may no longer import, the database
    refused to mark it running, or something unexpected; ``failure`` says what). Each status change is
    committed on its own, so that the pages see it while the import's own transaction runs. While it runs
    a heartbeat file is touched (:class:`_Heartbeat`); if the process dies, the record is later found
    ``interrupted`` (:func:`import_records_interrupted_mark`). A record that is no longer queued (a task
    run twice) is returned untouched. ``importer`` reads the kept file: a mapping template by default,
    field submissions for ``sswis.surveys.services.submissions_record_submit``.
    """
    folder = _record_folder(record.uuid)
    tracker = _ProgressFile(folder / PROGRESS_FILE, progress)
    fields = ["status", "finished_at", "rows_read"]
    # The report and failures are written in the uploader's language (kept with the record), not the worker's.
    language = record.language if record.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    try:
        started = ImportRecord.objects.filter(pk=record.pk, status=ImportStatus.QUEUED).update(
            status=ImportStatus.RUNNING, started_at=timezone.now()
        )
    except DatabaseError as exc:  # the database is busy (another import holds SQLite's lock) or gone
        logger.exception("Import %s could not start", record.uuid)
        with translation.override(language):
            failure = gettext(
                "The import could not start: the database refused to record it (%(error)s). Nothing was "
                "written; run it again."
            ) % {"error": exc}
        _record_fail(record, failure)
        return record
    record.refresh_from_db()
    if not started:
        return record
    # The heartbeat lasts until the outcome is saved: a run is never taken for dead while it is still
    # writing its report (a large one takes seconds) or waiting for a busy database.
    with _Heartbeat(folder / HEARTBEAT_FILE), translation.override(language):
        try:
            report = importer(record, tracker)
        except PermissionDenied as exc:
            record.status = ImportStatus.FAILED
            record.failure = gettext("The import was refused: %(reason)s") % {"reason": exc}
        except Exception as exc:  # the history must say that it failed, whatever the reason
            logger.exception("Import %s failed", record.uuid)
            record.status = ImportStatus.FAILED
            record.failure = gettext("The import stopped unexpectedly (%(error)s). Please report this.") % {
                "error": f"{type(exc).__name__}: {exc}"
            }
        else:
            document = report_as_dict(report=report)
            record.status, record.failure = ImportStatus.FINISHED, ""
            record.imported = report.imported
            record.errors, record.warnings = len(report.errors), len(report.warnings)
            record.summary = report.summary
            record.counts = document["files"]
            record.report = document
            fields += ["imported", "errors", "warnings", "summary", "counts", "report"]
        finally:
            (folder / PROGRESS_FILE).unlink(missing_ok=True)
        record.rows_read = tracker.rows
        record.finished_at = timezone.now()
        _record_finish(record, fields)
    return record


def _stale_seconds() -> float:
    # Never less than three heartbeats: a live import must not be taken for dead between two of them.
    return max(float(getattr(settings, "SSWIS_IMPORT_STALE_SECONDS", 0) or 300), 3 * HEARTBEAT_SECONDS)


def import_records_interrupted_mark(*, now: datetime.datetime | None = None) -> int:
    """Find running imports whose worker has died and mark them ``interrupted``, and store the outcomes
    kept in files; return how many records changed.

    A running record is taken as dead when its heartbeat file (touched every :data:`HEARTBEAT_SECONDS`
    while the import runs) has not been touched for ``settings.SSWIS_IMPORT_STALE_SECONDS`` (default 300;
    a record with no heartbeat file counts from its start). It then gets status ``interrupted`` and
    :data:`INTERRUPTED_MESSAGE`: the import is one transaction, which the database rolled back when its
    connection went, so nothing was written. If its outcome was kept in :data:`OUTCOME_FILE` (the import
    finished but its record could not be saved) that outcome is stored instead. Its progress and heartbeat
    files are removed. An outcome kept in the file also replaces an ``interrupted`` mark (a run that was
    alive after all), and a failure kept in the file replaces ``queued`` (see :func:`_record_fail`). Cheap
    when nothing runs (one query); called by the import pages, the imports API and
    the worker before each import. A database that refuses the update (busy) leaves the record for the next
    call. The stale age is never below three heartbeats.
    """
    now = now or timezone.now()
    stale = datetime.timedelta(seconds=_stale_seconds())
    marked = 0
    candidates = ImportRecord.objects.filter(
        status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.INTERRUPTED)
    )
    for record in candidates.only("pk", "uuid", "started_at", "status"):
        folder = _record_folder(record.uuid)
        outcome_path = folder / OUTCOME_FILE
        try:
            beat = datetime.datetime.fromtimestamp((folder / HEARTBEAT_FILE).stat().st_mtime, tz=datetime.UTC)
        except OSError:
            beat = record.started_at or now
        if record.status == ImportStatus.RUNNING and now - beat <= stale:
            continue
        try:
            outcome = json.loads(outcome_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            outcome = None
        except (OSError, ValueError):  # unreadable: left for the next call (and the logs)
            logger.exception("Import %s: its kept outcome %s could not be read", record.uuid, OUTCOME_FILE)
            continue
        if outcome is None and record.status != ImportStatus.RUNNING:
            # Interrupted: already marked. Queued: waiting for a worker. Only a kept outcome (saved late,
            # or a failure the database refused) may still change them.
            continue
        try:
            if outcome is not None:
                outcome["finished_at"] = parse_datetime(outcome["finished_at"] or "") or now
                updated = ImportRecord.objects.filter(
                    pk=record.pk,
                    status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.INTERRUPTED),
                ).update(**outcome)
            else:
                updated = ImportRecord.objects.filter(pk=record.pk, status=ImportStatus.RUNNING).update(
                    status=ImportStatus.INTERRUPTED, failure=INTERRUPTED_MESSAGE, finished_at=now
                )
        except DatabaseError:
            logger.warning("Import %s looks interrupted but could not be marked yet", record.uuid)
            continue
        for name in (PROGRESS_FILE, HEARTBEAT_FILE, OUTCOME_FILE):
            (folder / name).unlink(missing_ok=True)
        marked += updated
    return marked


def import_records_prune(*, older_than: datetime.timedelta, now: datetime.datetime | None = None) -> int:
    """Delete the kept files and the problems of imports older than ``older_than``; return how many records.

    What a ministry keeps for good is the fact of each import: who, when, the file name, its SHA-256 and
    size (proof of exactly which file was imported), the mode, the status, the counts per file, the
    numbers of errors and warnings and the summary. What is deleted is what holds personal data: the kept
    copy of the file (``DATA_DIR/imports/<uuid>/``) and the report's problems (their values and messages
    quote the rows). ``pruned_at`` records when. Only records that are done (finished, failed,
    interrupted) and not pruned yet are touched; each is saved on its own after its folder is deleted, so
    an interrupted prune can simply be run again.
    """
    now = now or timezone.now()
    cutoff = now - older_than
    done = (ImportStatus.FINISHED, ImportStatus.FAILED, ImportStatus.INTERRUPTED)
    pruned = 0
    records = ImportRecord.objects.filter(created_at__lt=cutoff, status__in=done, pruned_at__isnull=True)
    for record in records.only("pk", "uuid", "report").iterator(chunk_size=100):
        shutil.rmtree(_record_folder(record.uuid), ignore_errors=True)
        report = dict(record.report or {})
        if "problems" in report:
            report["problems"] = []
        ImportRecord.objects.filter(pk=record.pk).update(report=report, pruned_at=now)
        pruned += 1
    return pruned
