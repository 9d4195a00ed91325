"""``sswis imports_prune --older-than DAYS``: delete the kept files and problems of old imports.

Keeps each record's facts for good (who, when, file name, SHA-256, size, mode, status, counts, numbers of
errors and warnings, summary) and deletes what holds personal data: the kept copy of the file and the
report's problems (see ``services.import_records_prune``). Run it from cron, e.g. daily with
``--older-than 90``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy, ngettext

from sswis.commands import TranslatedCommand
from sswis.imports.services import import_records_prune


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Delete the kept files and the problem lists of imports older than DAYS days; the records' facts "
        "and counts stay in the import history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            required=True,
            metavar="DAYS",
            help=gettext("prune imports made more than DAYS days ago (1 or more)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["older_than"]
        if days < 1:
            raise CommandError(gettext("--older-than must be 1 or more days."))
        pruned = import_records_prune(older_than=datetime.timedelta(days=days))
        self.stdout.write(
            ngettext(
                "Pruned %(pruned)s import older than %(days)s days.",
                "Pruned %(pruned)s imports older than %(days)s days.",
                pruned,
            )
            % {"pruned": pruned, "days": days}
        )
