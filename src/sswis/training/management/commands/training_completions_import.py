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

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.imports.list_command import ListImportCommand
from sswis.imports.report import ImportReport
from sswis.training.completion_lists import completion_list_import
from sswis.training.models import Programme


class Command(ListImportCommand):
    help = gettext_lazy(
        "Import the completions list of a training institution or an online-course platform (CSV: "
        "person_identifier, course, completion_date, certificate_id, name). Persons matching no worker are "
        "kept as unmatched completions. All or nothing: with any error nothing is written."
    )

    def add_list_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--programme",
            default=None,
            metavar="CODE",
            help=gettext(
                "code of the programme the whole list is of (the course column may then be left out)"
            ),
        )

    def list_import(self, *, user: Any, options: dict[str, Any]) -> ImportReport:
        programme = None
        if options["programme"]:
            programme = Programme.objects.filter(code=options["programme"]).first()
            if programme is None:
                raise CommandError(
                    gettext("There is no programme with the code %(code)r.") % {"code": options["programme"]}
                )
        return completion_list_import(
            actor=user,
            file=options["path"],
            programme=programme,
            dry_run=options["dry_run"],
            encoding=options["encoding"],
        )
