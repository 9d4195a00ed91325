"""Importing a workforce mapping template into the registry: the only way template data gets in.

:func:`template_import` is all or nothing: every file is validated and loaded inside one transaction,
and with any error (or for a dry run) the transaction is rolled back, so nothing is ever half-written
and a dry run reports exactly what the import would do. Rows are upserted by business key (code,
worker_id, (location, year), assignment identity); unchanged rows are not written at all, so importing
the same template twice creates and updates nothing the second time. Every created or updated row gets a
history record whose author is the acting user.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction

from sswis.access import policy
from sswis.imports.loading import ImportRun
from sswis.imports.messages import message
from sswis.imports.readers import TemplateReadError, template_source_open
from sswis.imports.report import FileCounts, ImportReport, Problem, problem_sort_key
from sswis.imports.writing import bulk_write_settings

__all__ = ["FileCounts", "ImportReport", "Problem", "template_import"]


def template_import(
    *, actor: Any, source: Path, dry_run: bool = False, system: bool = False, encoding: str | None = None
) -> ImportReport:
    """Validate the template at ``source`` (folder of CSV files, one template CSV file, ``.zip`` of CSV files,
    or ``.xlsx``) and load it.

    ``actor`` must be allowed to import (a national data manager); otherwise ``PermissionDenied`` is
    raised before anything is read. Internal callers that act for the system itself (the demo loader)
    pass ``system=True``, which skips the access check; ``actor`` may then be ``None`` and history
    records have no author. No user-facing entry point (CLI, web, API) passes ``system``.

    Returns the report: every problem of every file (sorted by file then row) and per-file counts.
    ``report.imported`` is true only when the data was committed: never with an error, never for a
    ``dry_run``. A dry run is the whole import, rolled back at the end, so its counts and problems are
    exactly those the real import would give. The transaction holds the database's write lock while
    it runs (on SQLite, other writers wait; readers are not blocked). ``encoding`` names the character set
    of CSV files (``None``: detected). Unreadable or refused sources (no such path, a damaged workbook, a
    file refused by ``imports/safety.py``, a CSV row that does not fit the given character set) are
    reported as problems (file, row 0 or the row, message), not raised. A database refusal (which the
    checks are meant to prevent, e.g. a concurrent import of the same codes) is reported as an error and
    nothing is written.
    """
    if not system:
        policy.require_import(user=actor)
    report = ImportReport(dry_run=dry_run)
    try:
        opened = template_source_open(path=Path(source), encoding=encoding)
    except TemplateReadError as exc:
        report.problems.append(
            Problem(file=exc.file, row=exc.row, column="", value=str(source), message=exc.message)
        )
        return report
    committed = False
    with opened:
        try:
            with bulk_write_settings(), transaction.atomic():
                ImportRun(source=opened, report=report, actor=actor).run()
                if report.has_errors or dry_run:
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
