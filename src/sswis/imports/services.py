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

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from sswis.access import policy
from sswis.imports.loading import ImportProgress, ImportRun, ProgressCallback
from sswis.imports.messages import message
from sswis.imports.models import ImportRecord, ImportStatus
from sswis.imports.modes import ImportMode
from sswis.imports.readers import TemplateReadError, template_source_open
from sswis.imports.report import (
    FileCounts,
    ImportReport,
    Problem,
    database_refusal,
    problem_sort_key,
    report_as_dict,
)
from sswis.imports.writing import bulk_write_settings

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
    of their organisation or area (other rows are errors, other files refused). Otherwise
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
) -> ImportRecord:
    """Keep in the import history an import that ran without an upload (field submissions): a finished
    record with its report, counts and the SHA-256 and size of what was received; no copy is kept
    (``stored_path`` empty). ``file_name`` must hold no credentials (the caller strips them)."""
    document = report_as_dict(report=report)
    return ImportRecord.objects.create(
        user=actor if getattr(actor, "is_authenticated", False) else None,
        file_name=file_name[:255],
        stored_path="",
        sha256=sha256,
        size=size,
        mode=report.mode,
        status=ImportStatus.FINISHED,
        started_at=started_at,
        finished_at=timezone.now(),
        rows_read=sum(counts.read for counts in report.files.values()),
        imported=report.imported,
        errors=len(report.errors),
        warnings=len(report.warnings),
        summary=report.summary,
        counts=document["files"],
        report=document,
    )


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


def _record_folder(record_uuid: uuid.UUID) -> Path:
    return Path(settings.DATA_DIR) / IMPORTS_FOLDER / str(record_uuid)


def _upload_limit() -> int:
    return int(getattr(settings, "SSWIS_IMPORT_MAX_BYTES", 0) or 0)


def too_large_message(*, file_name: str) -> str:
    """What a user sees when a file is over ``settings.SSWIS_IMPORT_MAX_BYTES``."""
    return message("too_large", file=file_name, limit=_upload_limit() // 2**20)


def import_record_create(
    *, actor: Any, file_name: str, chunks: Iterable[bytes], mode: ImportMode, encoding: str | None = None
) -> ImportRecord:
    """Keep the received bytes under ``DATA_DIR/imports/<uuid>/`` and record a queued import of them.

    ``actor`` must be allowed to import (``PermissionDenied`` before anything is stored). ``file_name``
    is reduced to a safe base name and must end in one of :data:`UPLOAD_SUFFIXES`. The bytes are written
    as they come (never held in memory) while their SHA-256 and size are computed; beyond
    ``settings.SSWIS_IMPORT_MAX_BYTES`` the copy is deleted and ``UploadRefused`` raised (no record).
    ``encoding`` (the character set of CSV files; ``None``: detected) is kept for the run.
    """
    policy.require_import(user=actor)
    name = get_valid_filename(Path(file_name.replace("\\", "/")).name) if file_name.strip() else ""
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise UploadRefused(
            f"{name or 'The file'} is not a mapping template: give an .xlsx workbook, a template CSV file "
            "(e.g. workers.csv) or a .zip of CSV files."
        )
    record_uuid = uuid.uuid4()
    folder = _record_folder(record_uuid)
    folder.mkdir(parents=True)
    digest, size, limit = hashlib.sha256(), 0, _upload_limit()
    try:
        with (folder / name).open("wb") as stored:
            for chunk in chunks:
                size += len(chunk)
                if limit and size > limit:
                    raise UploadRefused(too_large_message(file_name=name))
                digest.update(chunk)
                stored.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ImportRecord.objects.create(
        uuid=record_uuid,
        user=actor,
        file_name=name,
        stored_path=f"{IMPORTS_FOLDER}/{record_uuid}/{name}",
        sha256=digest.hexdigest(),
        size=size,
        mode=mode,
        encoding=encoding or "",
    )


def import_record_submit(
    *, actor: Any, file_name: str, chunks: Iterable[bytes], mode: ImportMode, encoding: str | None = None
) -> ImportRecord:
    """Record the upload (:func:`import_record_create`) and queue its import as a background task.

    With the database task backend the import runs in ``sswis db_worker``; with the immediate backend
    (tests) it has run when this returns. Returns the record as it is now.
    """
    from sswis.imports.tasks import import_record_task  # the task module imports this one

    record = import_record_create(
        actor=actor, file_name=file_name, chunks=chunks, mode=mode, encoding=encoding
    )
    import_record_task.enqueue(record_id=record.pk)
    record.refresh_from_db()
    return record


def import_record_from_path(
    *,
    actor: Any,
    source: Path,
    mode: ImportMode,
    progress: ProgressCallback | None = None,
    encoding: str | None = None,
) -> ImportRecord:
    """Record and run, here and now, the import of a template on disk (the command line).

    A file is kept as it is; a folder of CSV files is kept as a folder and its SHA-256 is that of the
    lines ``<sha256 of file>  <name>`` of its files in name order (what ``sha256sum *`` prints), its size
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
    target = _record_folder(record_uuid) / name
    target.mkdir(parents=True)
    lines, size = [], 0
    for entry in sorted(source.iterdir()):
        if entry.is_file() and not entry.name.startswith("."):
            shutil.copyfile(entry, target / entry.name)
            with entry.open("rb") as handle:
                lines.append(f"{hashlib.file_digest(handle, 'sha256').hexdigest()}  {entry.name}\n")
            size += entry.stat().st_size
    record = ImportRecord.objects.create(
        uuid=record_uuid,
        user=actor,
        file_name=name,
        stored_path=f"{IMPORTS_FOLDER}/{record_uuid}/{name}",
        sha256=hashlib.sha256("".join(lines).encode()).hexdigest(),
        size=size,
        mode=mode,
        encoding=encoding or "",
    )
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


def import_record_run(*, record: ImportRecord, progress: ProgressCallback | None = None) -> ImportRecord:
    """Run the queued import of ``record`` as its user, and keep the outcome in the record.

    The record goes ``queued`` -> ``running`` -> ``finished`` (the import ran: the report says what it
    did, errors included) or ``failed`` (it could not run: the user may no longer import, or something
    unexpected; ``failure`` says what). Each status change is committed on its own, so that the pages see
    it while the import's own transaction runs. A record that is no longer queued (a task run twice) is
    returned untouched.
    """
    started = ImportRecord.objects.filter(pk=record.pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    record.refresh_from_db()
    if not started:
        return record
    folder = _record_folder(record.uuid)
    tracker = _ProgressFile(folder / PROGRESS_FILE, progress)
    fields = ["status", "finished_at", "rows_read"]
    try:
        report = template_import(
            actor=record.user,
            source=Path(settings.DATA_DIR) / record.stored_path,
            mode=record.mode_enum,
            progress=tracker,
            encoding=record.encoding or None,
        )
    except PermissionDenied as exc:
        record.status, record.failure = ImportStatus.FAILED, f"The import was refused: {exc}"
        fields.append("failure")
    except Exception as exc:  # the history must say that it failed, whatever the reason
        logger.exception("Import %s failed", record.uuid)
        record.status = ImportStatus.FAILED
        record.failure = f"The import stopped unexpectedly ({type(exc).__name__}: {exc}). Please report this."
        fields.append("failure")
    else:
        document = report_as_dict(report=report)
        record.status = ImportStatus.FINISHED
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
    record.save(update_fields=fields)
    return record
