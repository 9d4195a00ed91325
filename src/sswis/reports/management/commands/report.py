"""``sswis report profile --year Y [--location CODE] [--language L] [--publication] --output F.pdf|F.html``:
the country workforce profile of a location (default: the country) and year, as a PDF or an HTML file (by
the output's suffix), in one of the interface's languages (default: the command line's, ``SSWIS_LANGUAGE``).

The command line gets every figure, as every command of sswis does; ``--publication`` withholds the small
cells everywhere, as for publishing. The profile is kept in the report history (asked from the command
line: no user) with the fingerprint of its data. Bad input exits non-zero and writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.geo.models import Location
from sswis.reports.models import ReportFormat, ReportOrigin, ReportStatus
from sswis.reports.services import profile_report_create, profile_report_run
from sswis.text import text_problem


class Command(TranslatedCommand):
    help = gettext_lazy("Reports: the country workforce profile as a PDF or an HTML file.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        profile = actions.add_parser("profile", help=gettext("the state of the social service workforce"))
        profile.add_argument("--year", type=int, required=True, help=gettext("the year, e.g. 2024"))
        profile.add_argument(
            "--location", default="", help=gettext("a location's code (default: the country)")
        )
        profile.add_argument(
            "--language",
            default="",
            help=gettext("one of %(languages)s (default: SSWIS_LANGUAGE)")
            % {"languages": ", ".join(code for code, _name in settings.LANGUAGES)},
        )
        profile.add_argument(
            "--publication", action="store_true", help=gettext("withhold every small cell, for publishing")
        )
        profile.add_argument("--output", required=True, help=gettext("the file to write: F.pdf or F.html"))

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("location", "language", "output"):
            problem = text_problem(options[name])
            if problem is not None:
                raise CommandError(
                    gettext("--%(name)s holds a character that is not allowed (%(problem)s).")
                    % {"name": name, "problem": problem.code_point}
                )
        output = Path(options["output"])
        suffix = output.suffix.lower().lstrip(".")
        if suffix not in ReportFormat.values:
            raise CommandError(
                gettext("--output must end in .pdf or .html, not %(name)s.") % {"name": output.name}
            )
        if not output.parent.is_dir():
            raise CommandError(gettext("The folder %(folder)s does not exist.") % {"folder": output.parent})
        code = options["location"]
        location = (
            Location.objects.filter(code=code).first()
            if code
            else Location.objects.filter(parent__isnull=True).order_by("pk").first()
        )
        if location is None:
            raise CommandError(
                gettext("No location has the code %(code)s.") % {"code": code}
                if code
                else gettext("No location is recorded yet.")
            )
        try:
            report = profile_report_create(
                actor=None,
                location=location,
                year=options["year"],
                language=options["language"] or settings.LANGUAGE_CODE,
                format=suffix,
                publication=options["publication"],
                origin=ReportOrigin.COMMAND,
            )
        except ValidationError as problem:
            raise CommandError(" ".join(problem.messages)) from problem
        report = profile_report_run(report=report)
        if report.status != ReportStatus.FINISHED:
            raise CommandError(report.error)
        with report.file.open("rb") as made:
            output.write_bytes(made.read())
        self.stdout.write(
            gettext("Wrote %(file)s (%(size)d bytes): the profile of %(location)s, %(year)d, report %(id)s.")
            % {
                "file": output,
                "size": report.size,
                "location": location.name,
                "year": report.year,
                "id": report.uuid,
            }
        )
