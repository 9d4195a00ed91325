"""``sswis quality-score propose --year Y [--format json|text]``, ``sswis quality-score show --year Y
[--format json|text]`` and ``sswis quality-score record --year Y --criterion C --score N --evidence TEXT
[--link URL ...] [--reason TEXT] [--user USERNAME]``: the SP 3.a.1 quality-assurance score (contract
``quality-score.md``).

``propose`` prints the proposed scores of criteria 2, 3 and 4 with their figures: the contract's JSON
``{"year": Y, "criteria": {"supervision": {"proposed": n, "reasons": {...}}, "licensing": {...}, "hris":
{...}}}``, or the same in words (``--format text``). ``show`` prints the year's scores of record, the
composite and its band (or which criteria are still missing). ``record`` records one criterion's score as
the user named by ``--user`` (else the environment variable ``SSWIS_USER``), who must be a national data
manager; it is refused, writing nothing and exiting non-zero, outside 1-4, without evidence, or different
from the proposal without ``--reason``.
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.indicators.definitions import year_checked
from sswis.quality.explanations import proposal_explanation, reason_lines
from sswis.quality.models import CRITERION_NUMBER, Criterion
from sswis.quality.proposals import proposals_as_json, proposals_compute
from sswis.quality.selectors import year_scores
from sswis.quality.services import score_record


def _year(text: str) -> int:
    try:
        return year_checked(text=text)
    except ValueError as problem:
        raise CommandError(gettext("--year: %(problem)s") % {"problem": problem}) from problem


class Command(TranslatedCommand):
    help = gettext_lazy("The SP 3.a.1 quality-assurance score: proposals from the data, scores of record.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        propose = actions.add_parser(
            "propose",
            help=gettext("the proposed scores of criteria 2, 3 and 4 for a year, with their figures"),
        )
        show = actions.add_parser(
            "show", help=gettext("a year's scores of record, the composite and its band")
        )
        for action in (propose, show):
            action.add_argument("--year", required=True, help=gettext("the year, e.g. 2025"))
            action.add_argument(
                "--format", choices=["json", "text"], default="json", help=gettext("json (default) or text")
            )
        record = actions.add_parser(
            "record", help=gettext("record one criterion's score of record for a year")
        )
        record.add_argument("--year", required=True, help=gettext("the year, e.g. 2025"))
        record.add_argument(
            "--criterion",
            required=True,
            choices=[criterion.value for criterion in Criterion],
            help=gettext("framework (1), supervision (2), licensing (3) or hris (4)"),
        )
        record.add_argument("--score", required=True, type=int, help=gettext("the score, 1 to 4"))
        record.add_argument("--evidence", default="", help=gettext("the evidence, in words"))
        record.add_argument(
            "--link",
            action="append",
            default=[],
            metavar="URL",
            help=gettext("a link to evidence (repeatable)"),
        )
        record.add_argument(
            "--reason", default="", help=gettext("why the score differs from the proposal (required then)")
        )
        record.add_argument(
            "--user",
            help=gettext("username of the national data manager (default: environment variable SSWIS_USER)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year = _year(options["year"])
        if options["action"] == "propose":
            self._propose(year=year, output_format=options["format"])
        elif options["action"] == "show":
            self._show(year=year, output_format=options["format"])
        else:
            self._record(year=year, options=options)

    def _propose(self, *, year: int, output_format: str) -> None:
        proposals = proposals_compute(year=year)
        if output_format == "json":
            self.stdout.write(
                json.dumps(proposals_as_json(year=year, proposals=proposals), ensure_ascii=False)
            )
            return
        self.stdout.write(gettext("Proposed scores for %(year)d") % {"year": year})
        for name, proposal in proposals.items():
            criterion = Criterion(name)
            self.stdout.write("")
            self.stdout.write(
                gettext("Criterion %(number)d, %(title)s: %(score)d")
                % {
                    "number": CRITERION_NUMBER[criterion],
                    "title": criterion.label,
                    "score": proposal.proposed,
                }
            )
            self.stdout.write("  " + proposal_explanation(name, proposal.proposed, proposal.reasons))
            for label, value in reason_lines(proposal.reasons):
                self.stdout.write(f"  {label}: {value}")

    def _show(self, *, year: int, output_format: str) -> None:
        scores = year_scores(year=year)
        if output_format == "json":
            self.stdout.write(json.dumps(scores.as_json(), ensure_ascii=False))
            return
        self.stdout.write(gettext("Scores of record for %(year)d") % {"year": year})
        for criterion in Criterion:
            row = scores.scores.get(criterion.value)
            shown = str(row.score) if row else gettext("not scored")
            self.stdout.write(f"  {CRITERION_NUMBER[criterion]}. {criterion.label}: {shown}")
        if scores.composite is None:
            self.stdout.write(
                gettext("No composite: not scored yet: %(missing)s") % {"missing": ", ".join(scores.missing)}
            )
        else:
            self.stdout.write(
                gettext("Composite: %(composite)d of 16, %(band)s")
                % {"composite": scores.composite, "band": scores.band_label}
            )

    def _record(self, *, year: int, options: dict[str, Any]) -> None:
        username = options["user"] or os.environ.get("SSWIS_USER", "")
        if not username:
            raise CommandError(
                gettext(
                    "Say who is recording: give --user USERNAME or set the environment variable SSWIS_USER."
                )
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(gettext("There is no user named %(username)r.") % {"username": username})
        try:
            row = score_record(
                actor=user,
                year=year,
                criterion=options["criterion"],
                score=options["score"],
                evidence=options["evidence"],
                links=options["link"],
                reason=options["reason"],
            )
        except PermissionDenied as refusal:
            raise CommandError(str(refusal)) from refusal
        except ValidationError as refusal:
            problems = [
                gettext("--%(option)s: %(message)s")
                % {"option": name if name != "links" else "link", "message": message}
                for name, messages in refusal.message_dict.items()
                for message in messages
            ]
            raise CommandError("\n".join(problems)) from refusal
        self.stdout.write(
            gettext("Recorded %(criterion)s for %(year)d: %(score)d.")
            % {"criterion": Criterion(row.criterion).label, "year": year, "score": row.score}
        )
