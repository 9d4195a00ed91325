"""``sswis regulation_daily [--date YYYY-MM-DD]``: the regulation's daily job. Brings every registration's
status copy to the status change in force that day (a suspension beginning or ending:
``registrations_status_refresh``), then lapses every registration not renewed by its renewal date plus
the register's grace period (``registrations_lapse_due``), and says how many of each. Run it once a day (cron); running it twice the same day changes nothing more."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from sswis.commands import TranslatedCommand
from sswis.regulation.services import registrations_lapse_due, registrations_status_refresh


class Command(TranslatedCommand):
    help = gettext_lazy(
        "The regulation's daily job: bring statuses to the changes that come into force (a suspension "
        "beginning or ending), then lapse the registrations not renewed in time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help=gettext("the day it runs for, YYYY-MM-DD (default: today)"))

    def handle(self, *args: Any, **options: Any) -> None:
        day = timezone.localdate()
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as problem:
                raise CommandError(
                    gettext("--date: %(value)r is not a date (YYYY-MM-DD).") % {"value": options["date"]}
                ) from problem
        refreshed = registrations_status_refresh(actor=None, day=day)
        self.stdout.write(
            ngettext(
                "%(count)d registration status brought up to date.",
                "%(count)d registration statuses brought up to date.",
                refreshed,
            )
            % {"count": refreshed}
        )
        count = registrations_lapse_due(actor=None, day=day)
        self.stdout.write(
            ngettext("%(count)d registration lapsed.", "%(count)d registrations lapsed.", count)
            % {"count": count}
        )
