"""``sswis xlsform [--with-perceptions] [--output PATH] [--version V]``: the worker mapping questionnaire.

Writes an XLSForm (``.xlsx``: survey, choices, settings) for ODK Collect or KoboToolbox, generated from
the mapping template's schema and the registry's locations, organisations and cadres, and checked with
pyxform before it is written. Exits non-zero with a plain message when the form cannot be made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.surveys.xlsform import XLSFormError, xlsform_generate, xlsform_version_now


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Write the worker mapping questionnaire as an XLSForm (.xlsx) for ODK Collect or KoboToolbox."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--with-perceptions",
            action="store_true",
            help=gettext(
                "add the worker-perceptions section (satisfaction, supervision, training, intention to leave)"
            ),
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            metavar="PATH",
            help=gettext(
                "the .xlsx file to write (default: sswis-worker-mapping.xlsx in the current folder)"
            ),
        )
        parser.add_argument(
            "--form-version",
            default=None,
            metavar="VERSION",
            help=gettext(
                "the form's version (default: the current time, YYYYMMDDHHMM, so that each form is newer)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"] or Path("sswis-worker-mapping.xlsx")
        if output.suffix.lower() != ".xlsx":
            raise CommandError(gettext("%(output)s must be an .xlsx file.") % {"output": output})
        if not output.parent.is_dir():
            raise CommandError(
                gettext("There is no folder %(parent)s to write %(name)s into.")
                % {"parent": output.parent, "name": output.name}
            )
        version = options["form_version"] or xlsform_version_now()
        try:
            content = xlsform_generate(with_perceptions=options["with_perceptions"], version=version)
        except XLSFormError as exc:
            raise CommandError(str(exc)) from exc
        output.write_bytes(content)
        self.stdout.write(
            gettext("Wrote %(output)s (form version %(version)s).") % {"output": output, "version": version}
        )
