"""``sswis regulation_daily [--date YYYY-MM-DD] [--schedule]``: the regulation's daily job
(``regulation.daily``). Brings every registration's status to the change in force that day (a suspension
beginning or ending), lapses every registration not renewed by its renewal date plus the register's
grace period and e-mails the licence reminders due, and says how many of each. Run it once a day (cron), or once
with ``--schedule``: the background worker then runs it every night. Running it twice the same day changes
nothing more."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from sswis.commands import TranslatedCommand
from sswis.regulation.daily import regulation_daily_run
from sswis.regulation.tasks import regulation_daily_schedule


class Command(TranslatedCommand):
    help = gettext_lazy("The regulation's daily job: lapse the registrations not renewed in time.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help=gettext("the day it runs for, YYYY-MM-DD (default: today)"))
        parser.add_argument(
            "--schedule",
            action="store_true",
            help=gettext("instead, queue it for the background worker to run every night"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            run_after = regulation_daily_schedule()
            if run_after is None:
                self.stdout.write(
                    gettext("The daily job is already queued (or the task backend runs jobs at once).")
                )
            else:
                self.stdout.write(
                    gettext("The daily job runs next at %(time)s, then every night.")
                    % {"time": run_after.isoformat(timespec="minutes")}
                )
            return
        day = timezone.localdate()
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as problem:
                raise CommandError(
                    gettext("--date: %(value)r is not a date (YYYY-MM-DD).") % {"value": options["date"]}
                ) from problem
        result = regulation_daily_run(day=day)
        self.stdout.write(
            ngettext(
                "%(count)d registration status brought up to date.",
                "%(count)d registration statuses brought up to date.",
                result.refreshed,
            )
            % {"count": result.refreshed}
        )
        self.stdout.write(
            ngettext("%(count)d registration lapsed.", "%(count)d registrations lapsed.", result.lapsed)
            % {"count": result.lapsed}
        )
        self.stdout.write(
            ngettext(
                "%(count)d licence reminder sent.", "%(count)d licence reminders sent.", result.reminders
            )
            % {"count": result.reminders}
        )
