"""``sswis training_graduates [--from Y] [--to Y] [--format text|json|csv]``: the graduates of the pre-service
programmes per year, programme and cadre (``training.pipeline.graduates_recorded``: a programme preparing
for n cadres gives each 1/n of a graduate; one preparing for none has no cadre), unrounded in JSON and CSV.
"""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.indicators.definitions import year_checked
from sswis.training.pipeline import GRADUATE_COLUMNS, graduates_recorded


class Command(TranslatedCommand):
    help = gettext_lazy("Graduates of the pre-service programmes per year, programme and cadre.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="first", help=gettext("the first year, YYYY (default: every year)")
        )
        parser.add_argument("--to", dest="last", help=gettext("the last year, YYYY (default: every year)"))
        parser.add_argument(
            "--format", choices=["text", "json", "csv"], default="text", help=gettext("output format")
        )

    def _year(self, option: str, text: str | None) -> int | None:
        if text is None:
            return None
        try:
            return year_checked(text=text)
        except ValueError as problem:
            raise CommandError(f"{option}: {problem}") from problem

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = self._year("--from", options["first"]), self._year("--to", options["last"])
        if first is not None and last is not None and last < first:
            raise CommandError(
                gettext("--to: the last year comes before the first (%(first)d).") % {"first": first}
            )
        rows = graduates_recorded(first_year=first, last_year=last)
        if options["format"] == "json":
            self.stdout.write(json.dumps({"rows": [row.as_json() for row in rows]}, indent=2))
            return
        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(GRADUATE_COLUMNS)
            writer.writerows([row.year, row.programme, row.cadre or "", row.graduates] for row in rows)
            return
        if not rows:
            self.stdout.write(gettext("No graduates are recorded for these years."))
            return
        self.stdout.write(
            "  ".join((gettext("year"), gettext("programme"), gettext("cadre"), gettext("graduates")))
        )
        for row in rows:
            self.stdout.write(f"{row.year}  {row.programme}  {row.cadre or '-'}  {row.graduates:g}")
