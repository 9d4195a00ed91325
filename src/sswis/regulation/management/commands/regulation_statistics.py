"""``sswis regulation_statistics --year YYYY [--depth N] [--format text|json]``: each register's figures of
the year (``regulation.statistics``): registrations by status on 31 December (and by location), renewals
due, renewed in time, lapsed and the lapse rate, CPD compliance."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.indicators.definitions import year_checked
from sswis.regulation.models import Register, RegistrationStatus
from sswis.regulation.statistics import regulation_statistics


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Each register's figures of a year: statuses, renewals due, lapse rate, CPD compliance."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help=gettext("the year, YYYY"))
        parser.add_argument(
            "--depth", type=int, default=1, help=gettext("location levels below the country (default 1)")
        )
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", help=gettext("output format")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = year_checked(text=options["year"])
        except ValueError as problem:
            raise CommandError(gettext("--year: %(problem)s") % {"problem": problem}) from problem
        if options["depth"] < 0:
            raise CommandError(gettext("--depth: give 0 or more."))
        figures = regulation_statistics(registers=Register.objects.all(), year=year, depth=options["depth"])
        if options["format"] == "json":
            self.stdout.write(
                json.dumps({"year": year, "registers": [f.as_json() for f in figures]}, indent=2)
            )
            return
        for figure in figures:
            statuses = ", ".join(
                f"{RegistrationStatus(status).label}: {count}"
                for status, count in sorted(figure.by_status.items())
            )
            self.stdout.write(f"{figure.name} ({figure.register}), {year}")
            self.stdout.write("  " + (statuses or gettext("no registration")))
            self.stdout.write(
                "  "
                + gettext(
                    "renewals due %(due)d, renewed in time %(renewed)d, lapsed %(lapsed)d (lapse rate %(rate)s); "
                    "CPD compliant %(compliant)d (%(share)s)"
                )
                % {
                    "due": figure.renewals_due,
                    "renewed": figure.renewed_in_time,
                    "lapsed": figure.lapsed,
                    "rate": _share(figure.lapse_rate),
                    "compliant": figure.cpd_compliant,
                    "share": _share(figure.cpd_compliance),
                }
            )
