"""``sswis rapidpro remind --url URL [--kind sessions|caseloads] [--dry-run] [--format text|json]``: remind
by SMS, as RapidPro broadcasts, the supervisees with no supervision session this quarter and the workers
with no caseload for last month (who exactly: ``sswis.rapidpro.reminders``).

The RapidPro API token is read from ``SSWIS_RAPIDPRO_TOKEN`` (a dry run needs none). A dry run prints who
would get each reminder and who cannot be reached (no phone number) and sends nothing; a run that sends
is kept in the reminders' history (the page ``/support/sms/``). Exits non-zero when RapidPro refuses a
broadcast.
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.rapidpro.models import ReminderKind, ReminderStatus
from sswis.rapidpro.reminders import BroadcastError, Due, broadcasts_url, reminders_due, reminders_send

TOKEN_VARIABLE = "SSWIS_RAPIDPRO_TOKEN"


class Command(TranslatedCommand):
    help = gettext_lazy("SMS through RapidPro: send reminders as RapidPro broadcasts.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        remind = actions.add_parser(
            "remind",
            help=gettext(
                "remind supervisees with no session this quarter and workers with no caseload for last month"
            ),
        )
        remind.add_argument(
            "--url", required=True, help=gettext("the RapidPro server, e.g. https://rapidpro.example.org")
        )
        remind.add_argument(
            "--kind",
            choices=ReminderKind.values,
            help=gettext("only this reminder (default: both)"),
        )
        remind.add_argument(
            "--dry-run", action="store_true", help=gettext("print who would get it; send nothing")
        )
        remind.add_argument(
            "--format", choices=["text", "json"], default="text", help=gettext("text (default) or json")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        token = os.environ.get(TOKEN_VARIABLE, "").strip()
        try:
            broadcasts_url(options["url"])
        except BroadcastError as error:
            raise CommandError(str(error)) from None
        if not dry_run and not token:
            raise CommandError(
                gettext("Give the RapidPro API token in the environment variable %(name)s.")
                % {"name": TOKEN_VARIABLE}
            )
        kinds = [options["kind"]] if options["kind"] else list(ReminderKind.values)
        day = timezone.localdate()
        reports, failed = [], False
        for kind in kinds:
            due = reminders_due(kind=kind, day=day)
            report = _report(due, dry_run=dry_run)
            if not dry_run:
                reminder = reminders_send(due=due, server=options["url"], token=token)
                report |= {
                    "status": reminder.status,
                    "reached": reminder.reached,
                    "broadcasts": reminder.broadcasts,
                    "problem": reminder.problem,
                }
                failed = failed or reminder.status in (ReminderStatus.FAILED, ReminderStatus.PARTLY_SENT)
            reports.append(report)
        if options["format"] == "json":
            self.stdout.write(json.dumps({"reminders": reports}, ensure_ascii=False, indent=2))
        else:
            for report in reports:
                self._text(report)
        if failed:
            raise CommandError(gettext("RapidPro refused a broadcast: see above."))

    def _text(self, report: dict[str, Any]) -> None:
        title = ReminderKind(report["kind"]).label
        self.stdout.write(
            gettext(
                "%(title)s (%(period)s): %(due)d due, %(reachable)d with a phone number, %(unreachable)d not reachable."
            )
            % {
                "title": title,
                "period": report["period"],
                "due": report["due"],
                "reachable": len(report["recipients"]),
                "unreachable": len(report["not_reachable"]),
            }
        )
        if report["dry_run"]:
            self.stdout.write(gettext("  Would send: %(text)s") % {"text": report["text"]})
            for recipient in report["recipients"]:
                self.stdout.write(f"  {recipient['worker_id']}  {recipient['urn']}")
        if report["not_reachable"]:
            self.stdout.write(
                gettext("  Not reachable (no phone number): %(ids)s")
                % {"ids": ", ".join(report["not_reachable"])}
            )
        if not report["dry_run"]:
            self.stdout.write(
                gettext("  %(status)s: %(reached)d workers in %(count)d broadcasts %(ids)s.")
                % {
                    "status": ReminderStatus(report["status"]).label,
                    "reached": report["reached"],
                    "count": len(report["broadcasts"]),
                    "ids": report["broadcasts"],
                }
            )
            if report["problem"]:
                self.stdout.write(f"  {report['problem']}")


def _report(due: Due, *, dry_run: bool) -> dict[str, Any]:
    return {
        "kind": due.kind,
        "period": due.period,
        "dry_run": dry_run,
        "text": due.text,
        "due": len(due.reachable) + len(due.not_reachable),
        "recipients": [{"worker_id": worker_id, "urn": urn} for worker_id, urn in due.reachable],
        "not_reachable": due.not_reachable,
    }
