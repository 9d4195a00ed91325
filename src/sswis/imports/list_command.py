"""The shape of a command that imports a list (``imports.platform_lists``): ``FILE``, the importer's own
options, ``--user USERNAME`` (else the environment variable ``SSWIS_USER``), ``--dry-run``, ``--encoding
NAME`` and ``--format text|json``. It prints the report (counts and every problem) and exits with status 1
when nothing was written because of errors (also for a dry run with errors)."""

from __future__ import annotations

import json
import os
from abc import abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext

from sswis.commands import TranslatedCommand
from sswis.imports.report import ImportReport, report_as_dict, report_as_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ListImportCommand(TranslatedCommand):
    """A subclass adds its options (:meth:`add_list_arguments`) and runs its import (:meth:`list_import`)."""

    help: StrOrPromise = ""  # lazily translated, as in TranslatedCommand

    def add_list_arguments(self, parser: CommandParser) -> None:
        """The importer's own options, shown after ``FILE``."""

    @abstractmethod
    def list_import(self, *, user: Any, options: dict[str, Any]) -> ImportReport:
        """Import ``options["path"]`` as ``user``; a ``CommandError`` for an option naming nothing."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help=gettext("the CSV file"))
        self.add_list_arguments(parser)
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
        try:
            report = self.list_import(user=user, options=options)
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
