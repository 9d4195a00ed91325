"""``sswis training_gaps --year Y [--location CODE] [--cadre CODE] [--level LABEL] [--format text|json|csv]``:
the competency gaps of the counted workforce of a year (``training.gaps.competency_gaps``): for every
location (or ``--location`` and below; ``--level district``: the locations of that level only) and cadre
with a framework, each required competency's counted workers, those who have it at the required level or
above, those who lack it and the share. The command line gets every figure (no small cell withheld)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.geo.models import Location
from sswis.indicators.definitions import year_checked
from sswis.registry.models import Cadre
from sswis.spreadsheets import table_write_csv
from sswis.training.gaps import GAP_COLUMNS, competency_gaps


class Command(TranslatedCommand):
    help = gettext_lazy(
        "The competency gaps of a year's counted workforce: per location, cadre and required competency, the "
        "workers counted, those who have it at the required level, those who lack it and the share."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", required=True, help=gettext("the year, YYYY (reference date 31 December)")
        )
        parser.add_argument("--location", default="", metavar="CODE", help=gettext("this location and below"))
        parser.add_argument("--cadre", default="", metavar="CODE", help=gettext("this cadre only"))
        parser.add_argument(
            "--level",
            default=None,
            metavar="LABEL",
            help=gettext("only the locations of this level, e.g. district"),
        )
        parser.add_argument(
            "--format", choices=("text", "json", "csv"), default="text", help=gettext("output format")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = year_checked(text=options["year"])
        except ValueError as problem:
            raise CommandError(gettext("--year: %(problem)s") % {"problem": problem}) from problem
        location = None
        if options["location"]:
            location = Location.objects.filter(code=options["location"]).first()
            if location is None:
                raise CommandError(
                    gettext("There is no location with the code %(code)r.") % {"code": options["location"]}
                )
        cadre = None
        if options["cadre"]:
            cadre = Cadre.objects.filter(code=options["cadre"]).first()
            if cadre is None:
                raise CommandError(
                    gettext("There is no cadre with the code %(code)r.") % {"code": options["cadre"]}
                )
        rows = competency_gaps(year=year, location=location, level=options["level"], cadre=cadre)
        if options["format"] == "json":
            self.stdout.write(json.dumps({"year": year, "gaps": [row.as_json() for row in rows]}, indent=2))
            return
        if options["format"] == "csv":
            table_write_csv(
                header=GAP_COLUMNS,
                rows=(tuple(row.as_json()[name] for name in GAP_COLUMNS) for row in rows),
                stream=self.stdout,  # type: ignore[arg-type]  # Django's OutputWrapper writes text
            )
            return
        if not rows:
            self.stdout.write(
                gettext("No counted worker of a cadre with a competency framework in %(year)d.")
                % {"year": year}
            )
            return
        for row in rows:
            share = "-" if row.share is None else f"{row.share:.1%}"
            self.stdout.write(
                gettext(
                    "%(location)s %(cadre)s %(competency)s (level %(level)d): %(having)s of %(counted)d have it, "
                    "%(lacking)s lack it (%(share)s)"
                )
                % {
                    "location": row.location,
                    "cadre": row.cadre,
                    "competency": row.competency,
                    "level": row.level,
                    "having": row.having,
                    "counted": row.counted,
                    "lacking": row.lacking,
                    "share": share,
                }
            )
