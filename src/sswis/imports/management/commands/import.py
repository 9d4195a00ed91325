"""``sswis import PATH [--user USERNAME] [--dry-run] [--encoding NAME] [--format text|json]``: import a template.

PATH is a folder of CSV files, one template CSV file (e.g. ``workers.csv``), a ``.zip`` of CSV files or an
``.xlsx`` workbook. The character set and the delimiter of CSV files are detected; ``--encoding`` forces
a character set.
The importing user (``--user``, else the environment variable ``SSWIS_USER``) must exist and be allowed
to import (a national data manager). Prints the per-file counts and every problem; exits with status 1
when nothing was imported because of errors (also for a dry run with errors), 0 otherwise.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sswis.imports.report import report_as_dict, report_as_text
from sswis.imports.services import template_import


class Command(BaseCommand):
    help = (
        "Import a workforce mapping template (a folder of CSV files, a .zip of CSV files or an .xlsx workbook) "
        "into the registry. "
        "All or nothing: with any error nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            type=Path,
            help="folder of CSV files, one template CSV file, .zip of CSV files, or .xlsx workbook",
        )
        parser.add_argument(
            "--user",
            default=None,
            metavar="USERNAME",
            help="username of the importing national data manager (default: environment variable SSWIS_USER)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything and report the counts, but write nothing"
        )
        parser.add_argument(
            "--encoding",
            default=None,
            metavar="NAME",
            help="character set of the CSV files, e.g. utf-8, utf-16, cp1252, latin-1 (default: detected)",
        )
        parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["user"] or os.environ.get("SSWIS_USER", "")
        if not username:
            raise CommandError(
                "Say who is importing: give --user USERNAME or set the environment variable SSWIS_USER."
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user named {username!r}.")
        try:
            report = template_import(
                actor=user, source=options["path"], dry_run=options["dry_run"], encoding=options["encoding"]
            )
        except PermissionDenied as exc:
            raise CommandError(f"{username} may not import: {exc}") from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(report_as_dict(report=report), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(report_as_text(report=report), ending="")
        if report.has_errors:
            raise CommandError(report.summary, returncode=1)
