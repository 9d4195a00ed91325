"""``sswis training_completions_import FILE [--programme CODE] [--user USERNAME] [--dry-run] [--encoding NAME]
[--format text|json]``: import the completions list of a training institution or an online-course platform
(``training.completion_lists.completion_list_import``).

FILE is a CSV file with the columns ``person_identifier`` (worker ID, national ID or e-mail), ``course`` (a
programme's code or name; may be left out with ``--programme``), ``completion_date``, ``certificate_id`` and,
optionally, ``name``. The importing user (``--user``, else the environment variable ``SSWIS_USER``) must be a
national data manager or an institution's focal point (their institution's programmes only). Prints the
counts, every problem (file, row, column, value, message; the rows matching no worker, kept as unmatched, as
warnings) and what happened; exits with status 1 when nothing was written because of errors (also for a dry
run with errors).
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
from sswis.training.completion_lists import completion_list_import
from sswis.training.models import Programme


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Import the completions list of a training institution or an online-course platform (CSV: "
        "person_identifier, course, completion_date, certificate_id, name). Persons matching no worker are "
        "kept as unmatched completions. All or nothing: with any error nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help=gettext("the CSV file"))
        parser.add_argument(
            "--programme",
            default=None,
            metavar="CODE",
            help=gettext(
                "code of the programme the whole list is of (the course column may then be left out)"
            ),
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
            help=gettext("character set of the file, e.g. utf-8, cp1252 (default: detected)"),
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
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(gettext("There is no user named %(username)r.") % {"username": username})
        programme = None
        if options["programme"]:
            programme = Programme.objects.filter(code=options["programme"]).first()
            if programme is None:
                raise CommandError(
                    gettext("There is no programme with the code %(code)r.") % {"code": options["programme"]}
                )
        try:
            report = completion_list_import(
                actor=user,
                file=options["path"],
                programme=programme,
                dry_run=options["dry_run"],
                encoding=options["encoding"],
            )
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
