"""``sswis survey_round CODE --name NAME --starts YYYY-MM-DD [--ends YYYY-MM-DD] [--user NAME]``.

Creates a survey round, which ``sswis import-submissions --round CODE`` files perception answers under.
"""

from __future__ import annotations

import datetime
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.surveys.services import survey_round_create


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(gettext("'%(text)s' is not a date written YYYY-MM-DD.") % {"text": text}) from None


class Command(TranslatedCommand):
    help = gettext_lazy("Create a survey round for the worker-perception answers of field submissions.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help=gettext("short code of the round, e.g. 2025"))
        parser.add_argument(
            "--name", required=True, help=gettext("name of the round, e.g. 'National mapping 2025'")
        )
        parser.add_argument(
            "--starts", required=True, metavar="YYYY-MM-DD", help=gettext("first day of the round")
        )
        parser.add_argument(
            "--ends", default=None, metavar="YYYY-MM-DD", help=gettext("last day of the round")
        )
        parser.add_argument(
            "--user",
            default=None,
            metavar="USERNAME",
            help=gettext("national data manager (default: SSWIS_USER)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["user"] or os.environ.get("SSWIS_USER", "")
        user = get_user_model().objects.filter(username=username).first() if username else None
        if user is None:
            raise CommandError(
                gettext("Say who creates the round: --user USERNAME (or SSWIS_USER) of an existing user.")
            )
        try:
            survey_round = survey_round_create(
                actor=user,
                code=options["code"],
                name=options["name"],
                starts_on=_date(options["starts"]),
                ends_on=_date(options["ends"]) if options["ends"] else None,
            )
        except PermissionDenied as exc:
            raise CommandError(
                gettext("%(username)s may not create survey rounds: %(exc)s")
                % {"username": username, "exc": exc}
            ) from exc
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(texts)}" for field, texts in exc.message_dict.items())
            raise CommandError(
                gettext("The round was not created: %(problems)s") % {"problems": problems}
            ) from exc
        self.stdout.write(
            gettext("Created survey round %(code)s: %(name)s.")
            % {"code": survey_round.code, "name": survey_round.name}
        )
