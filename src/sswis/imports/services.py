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

from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction

from sswis.access import policy
from sswis.imports.loading import ImportRun, ProgressCallback
from sswis.imports.messages import message
from sswis.imports.modes import ImportMode
from sswis.imports.readers import TemplateReadError, template_source_open
from sswis.imports.report import FileCounts, ImportReport, Problem, problem_sort_key
from sswis.imports.writing import bulk_write_settings

__all__ = ["FileCounts", "ImportMode", "ImportReport", "Problem", "template_import"]


def template_import(
    *,
    actor: Any,
    source: Path,
    mode: ImportMode = ImportMode.ALL_OR_NOTHING,
    dry_run: bool = False,
    system: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Validate the template at ``source`` (folder of CSV files, one template CSV file, or ``.xlsx``) and load it.

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
    file are checked to add up to its rows read; if they do not, nothing is written. The transaction holds the database's write lock while
    it runs (on SQLite, other writers wait; readers are not blocked). Unreadable sources (no such path, a damaged workbook, a CSV file that is not UTF-8)
    are reported as problems, not raised. A database refusal (which the checks are meant to prevent,
    e.g. a concurrent import of the same codes) is reported as an error and nothing is written.
    """
    limits = None if system else policy.import_limits(user=actor)
    if dry_run:
        mode = ImportMode.of(dry_run=True, skip_invalid=mode.skip_invalid)
    report = ImportReport(mode=mode)
    try:
        opened = template_source_open(path=Path(source))
    except TemplateReadError as exc:
        report.problems.append(Problem(file="", row=0, column="", value=str(source), message=exc.message))
        return report
    committed = False
    with opened:
        try:
            with bulk_write_settings(), transaction.atomic():
                ImportRun(
                    source=opened,
                    report=report,
                    actor=actor,
                    skip_invalid=mode.skip_invalid,
                    limits=limits,
                    progress=progress,
                ).run()
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
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            report.problems.append(
                Problem(file="", row=0, column="", value="", message=message("database", detail=detail))
            )
    report.imported = committed
    report.problems.sort(key=problem_sort_key)
    return report
