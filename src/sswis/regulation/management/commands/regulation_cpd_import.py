"""``sswis regulation_cpd_import FILE --provider CODE [--user USERNAME] [--dry-run] [--encoding NAME]
[--format text|json]``: import a CPD provider's attendance list, or an online-course platform's
certificates, as CPD records (``regulation.cpd_import.cpd_records_import``).

FILE is a CSV file with the columns ``person_identifier`` (worker ID, national ID or email),
``course`` (the code of one of the provider's activities), ``completion_date`` and ``certificate_id``.
The importing user (``--user``, else the environment variable ``SSWIS_USER``) must be allowed to change
regulation. Prints the counts, every problem (file, row, column, value, message) and what happened; exits
with status 1 when nothing was written because of errors (also for a dry run with errors).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.imports.list_command import ListImportCommand
from sswis.imports.report import ImportReport
from sswis.regulation.cpd_import import cpd_records_import
from sswis.regulation.models import CpdProvider


class Command(ListImportCommand):
    help = gettext_lazy(
        "Import CPD records from a provider's attendance list or an online-course platform's certificates "
        "(CSV: person_identifier, course, completion_date, certificate_id). All or nothing: with any error "
        "nothing is written."
    )

    def add_list_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--provider",
            required=True,
            metavar="CODE",
            help=gettext("code of the CPD provider whose activities the file lists"),
        )

    def list_import(self, *, user: Any, options: dict[str, Any]) -> ImportReport:
        provider = CpdProvider.objects.filter(code=options["provider"]).first()
        if provider is None:
            raise CommandError(
                gettext("There is no CPD provider with the code %(code)r.") % {"code": options["provider"]}
            )
        return cpd_records_import(
            actor=user,
            source=options["path"],
            provider=provider,
            dry_run=options["dry_run"],
            encoding=options["encoding"],
        )
