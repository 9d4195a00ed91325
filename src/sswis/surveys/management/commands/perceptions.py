"""``sswis perceptions --round CODE [--location CODE] --user NAME [--format text|json]``.

The workers' perceptions of one survey round as counts and shares per answer, for a location and
everything under it: aggregates only, never a person's answers, and withheld for fewer than five
respondents, or when a place within the location has one to four respondents (their answers could
otherwise be recovered by subtracting figures; see ``perception_summary``), followed by the wellbeing
scales (``surveys.wellbeing``; JSON key ``wellbeing``). Any user with a role may see them.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.geo.models import Location
from sswis.surveys.models import SurveyRound
from sswis.surveys.selectors import perception_summary, withheld_explanation
from sswis.surveys.wellbeing import wellbeing_summary


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Workers' perceptions of a survey round, as counts and shares per answer (aggregates only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True, metavar="CODE", help=gettext("the survey round"))
        parser.add_argument(
            "--location", default="", metavar="CODE", help=gettext("a location (default: the country)")
        )
        parser.add_argument(
            "--user", default=None, metavar="USERNAME", help=gettext("who asks (default: SSWIS_USER)")
        )
        parser.add_argument(
            "--format", choices=("text", "json"), default="text", help=gettext("output format")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["user"] or os.environ.get("SSWIS_USER", "")
        user = get_user_model().objects.filter(username=username).first() if username else None
        if user is None:
            raise CommandError(
                gettext("Say who is asking: --user USERNAME (or SSWIS_USER) of an existing user.")
            )
        try:
            summary = perception_summary(
                user=user, round_code=options["round"], location_code=options["location"]
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except SurveyRound.DoesNotExist:
            raise CommandError(
                gettext("There is no survey round '%(round)s'.") % {"round": options["round"]}
            ) from None
        except Location.DoesNotExist:
            raise CommandError(
                gettext("There is no location '%(location)s'.") % {"location": options["location"]}
            ) from None
        wellbeing = wellbeing_summary(
            user=user,
            survey_round=SurveyRound.objects.get(code=summary.survey_round),
            location=Location.objects.get(code=summary.location),
        )
        if options["format"] == "json":
            body = {**asdict(summary), "wellbeing": [scale.as_json() for scale in wellbeing.scales]}
            self.stdout.write(json.dumps(body, indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            gettext("Survey round %(survey_round)s, %(location)s and below: %(respondents)s respondents.")
            % {
                "survey_round": summary.survey_round,
                "location": summary.location,
                "respondents": summary.respondents,
            }
        )
        if summary.withheld:
            self.stdout.write(withheld_explanation(summary=summary))
            return
        for question in summary.questions:
            self.stdout.write(
                gettext("\n%(label)s (%(answered)s answered)")
                % {"label": question.label, "answered": question.answered}
            )
            for answer in question.answers:
                self.stdout.write(f"  {answer.label:<45} {answer.count:>6}  {answer.share:>6.1%}")
        for scale in wellbeing.scales:
            self.stdout.write(
                gettext("\n%(label)s (0 to %(maximum)s, high from %(high_from)s): %(scored)s scored")
                % {
                    "label": scale.label,
                    "maximum": scale.maximum,
                    "high_from": scale.high_from,
                    "scored": scale.scored,
                }
            )
            if scale.mean is not None and scale.share_high is not None:
                self.stdout.write(
                    gettext("  mean %(mean).2f; high %(high)s (%(share)s)")
                    % {"mean": scale.mean, "high": scale.high, "share": f"{scale.share_high:.1%}"}
                )
