"""``sswis training_framework_import FILE [--user USERNAME] [--dry-run] [--format text|json]``: import
competency frameworks from a spreadsheet (``training.framework_import.frameworks_import``); ``--export FILE``
writes the frameworks to such a file instead (``.csv`` or ``.xlsx``).

FILE is a ``.csv`` or ``.xlsx`` file, one row per competency a cadre requires: ``cadre, area_code,
area_name, competency_code, competency_name, levels, level_required, description, survey_topic``. The
importing user (``--user``, else the environment variable ``SSWIS_USER``) must be a system administrator or
a national data manager. Prints the counts, every problem (file, row, column, value, message) and what
happened; exits with status 1 when nothing was written because of errors (also for a dry run with errors).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.imports.report import report_as_dict, report_as_text
from sswis.training.framework_import import frameworks_export, frameworks_import


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Import competency frameworks from a spreadsheet (.csv or .xlsx; one row per required competency: "
        "cadre, area_code, area_name, competency_code, competency_name, levels, level_required, description, "
        "survey_topic), all or nothing; or export them (--export) to such a file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, nargs="?", help=gettext("the .csv or .xlsx file"))
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
            "--export",
            type=Path,
            default=None,
            metavar="FILE",
            help=gettext("write every framework to FILE (.csv or .xlsx) instead of importing"),
        )
        parser.add_argument(
            "--format", choices=("text", "json"), default="text", help=gettext("output format")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["export"] is not None:
            target: Path = options["export"]
            if target.suffix.lower() not in (".csv", ".xlsx"):
                raise CommandError(gettext("--export: give a .csv or .xlsx file name."))
            count = frameworks_export(path=target)
            self.stdout.write(
                gettext("%(count)d required competencies written to %(path)s.")
                % {"count": count, "path": target}
            )
            return
        if options["path"] is None:
            raise CommandError(gettext("Give the file to import, or --export FILE."))
        username = options["user"] or os.environ.get("SSWIS_USER", "")
        if not username:
            raise CommandError(
                gettext(
                    "Say who is importing: give --user USERNAME or set the environment variable SSWIS_USER."
                )
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(gettext("There is no user named %(username)r.") % {"username": username})
        try:
            report = frameworks_import(actor=user, source=options["path"], dry_run=options["dry_run"])
        except PermissionDenied as exc:
            raise CommandError(
                gettext("%(username)s may not import: %(exc)s") % {"username": username, "exc": exc}
            ) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(report_as_dict(report=report), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(report_as_text(report=report), ending="")
        if report.has_errors:
            raise CommandError(report.summary, returncode=1)
