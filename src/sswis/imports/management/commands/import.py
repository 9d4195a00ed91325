"""``sswis import PATH [--user USERNAME] [--dry-run] [--skip-invalid] [--encoding NAME] [--report FILE]``.

PATH is a folder of CSV files, one template CSV file (e.g. ``workers.csv``), a ``.zip`` of CSV files or an
``.xlsx`` workbook. The character set and the delimiter of CSV files are detected; ``--encoding`` forces
a character set.
The importing user (``--user``, else the environment variable ``SSWIS_USER``) must exist and be allowed
to import. The import is kept in the import history (with a copy of the file). Prints the per-file
counts and every problem; ``--report`` also writes the problems to a
``.csv`` or ``.xlsx`` file. A progress bar with the rows per second goes to standard error when it is a
terminal (``--progress`` / ``--no-progress`` to force it). Exits with status 1 when nothing was imported
because of errors (also for a dry run with errors), 0 otherwise (also when invalid rows were skipped).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import time
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.imports.loading import ImportProgress
from sswis.imports.messages import message
from sswis.imports.modes import ImportMode
from sswis.imports.report import REPORT_FORMATS, report_as_dict, report_as_text, report_write
from sswis.imports.selectors import import_record_report
from sswis.imports.services import UploadRefused, import_record_from_path

DISK_FULL_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
"""A write refused for want of space: the disk full, the user's quota or the file size limit reached."""


class ProgressBar:
    """A one-line progress bar on ``stream``: file, rows read of about how many, share and rows per second.

    Redrawn at most ten times a second, whatever the rate the import reports at.
    """

    WIDTH = 24

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.shown = False

    def __call__(self, progress: ImportProgress) -> None:
        now = time.monotonic()
        finished = (
            progress.file_rows_estimate is not None and progress.file_rows >= progress.file_rows_estimate
        )
        if now - self.drawn_at < 0.1 and not finished:
            return
        self.drawn_at = now
        fraction = progress.fraction
        filled = round((fraction or 0) * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        share = f"{fraction * 100:3.0f}%" if fraction is not None else "   ?"
        of = f"/{progress.file_rows_estimate:,}" if progress.file_rows_estimate is not None else ""
        rate = progress.rows / max(now - self.started, 1e-6)
        line = f"{progress.file:<18} {progress.file_rows:>9,}{of} rows [{bar}] {share} {rate:>10,.0f} rows/s"
        self.stream.write("\r" + line)
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Import a workforce mapping template (a folder of CSV files, a .zip of CSV files or an .xlsx workbook) "
        "into the registry. "
        "All or nothing by default: with any error nothing is written; --skip-invalid imports the valid rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            type=Path,
            help=gettext("folder of CSV files, one template CSV file, .zip of CSV files, or .xlsx workbook"),
        )
        parser.add_argument(
            "--user",
            default=None,
            metavar="USERNAME",
            help=gettext("username of the importing user (default: environment variable SSWIS_USER)"),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext("check everything and report the counts, but write nothing"),
        )
        parser.add_argument(
            "--encoding",
            default=None,
            metavar="NAME",
            help=gettext(
                "character set of the CSV files, e.g. utf-8, utf-16, cp1252, latin-1 (default: detected)"
            ),
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=(
                gettext(
                    "import the valid rows; reject the rows with an error and the rows that refer to them "
                    "(default: with any error nothing is imported)"
                )
            ),
        )
        parser.add_argument(
            "--report",
            type=Path,
            default=None,
            metavar="FILE",
            help=gettext(
                "also write the problems (file, row, column, value, message, severity) to FILE (.csv or .xlsx)"
            ),
        )
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=gettext("show a progress bar on standard error (default: when it is a terminal)"),
        )
        parser.add_argument(
            "--format", choices=("text", "json"), default="text", help=gettext("output format")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["user"] or os.environ.get("SSWIS_USER", "")
        if not username:
            raise CommandError(
                gettext(
                    "Say who is importing: give --user USERNAME or set the environment variable SSWIS_USER."
                )
            )
        report_path: Path | None = options["report"]
        if report_path is not None and report_path.suffix.lower() not in REPORT_FORMATS:
            raise CommandError(
                gettext("--report must name a .csv or .xlsx file, not %(name)s.") % {"name": report_path.name}
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(gettext("There is no user named %(username)r.") % {"username": username})
        source: Path = options["path"]
        if not source.exists():
            raise CommandError(message("no_source", path=source))
        mode = ImportMode.of(dry_run=options["dry_run"], skip_invalid=options["skip_invalid"])
        show_progress = options["progress"]
        if show_progress is None:
            show_progress = sys.stderr.isatty()
        bar = ProgressBar(sys.stderr) if show_progress else None
        try:
            record = import_record_from_path(
                actor=user, source=source, mode=mode, progress=bar, encoding=options["encoding"]
            )
        except PermissionDenied as exc:
            raise CommandError(
                gettext("%(username)s may not import: %(exc)s") % {"username": username, "exc": exc}
            ) from exc
        except UploadRefused as exc:  # over the size limit, or not a template format: nothing was kept
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            if exc.errno not in DISK_FULL_ERRORS:
                raise
            # The copy kept for the import history could not be written: it was removed, nothing imported.
            raise CommandError(
                gettext(
                    "The disk is full: the copy of %(name)s kept with the import history could not be "
                    "written (%(error)s); nothing was imported. Free space on the server's disk and "
                    "import again."
                )
                % {"name": source.name, "error": exc.strerror}
            ) from exc
        finally:
            if bar is not None:
                bar.close()
        report = import_record_report(record=record)
        if report is None:
            raise CommandError(record.failure)
        if report_path is not None:
            report_write(report=report, path=report_path)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report_as_dict(report=report), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(report_as_text(report=report), ending="")
        # Skipping invalid rows succeeds with errors (the rejected rows) unless the source was refused.
        if report.has_errors and not (mode.skip_invalid and not report.source_refused):
            raise CommandError(report.summary, returncode=1)
