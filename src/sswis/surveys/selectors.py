"""Reads of the surveys app: perception answers as aggregates, and one worker's answers.

Perception answers are personal: :func:`perception_summary` gives only counts and shares for a location
subtree and round (any user with a role, through ``policy.require_aggregates``), and withholds them
when a small group's answers could be read off them, directly or by subtracting the figures of other
locations (see :func:`perception_summary` for the rule). :func:`perception_responses_of_worker` gives a
person's answers only to users who may see that worker (``policy.require_worker_visible``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.db.models.functions import Concat

from sswis.access import policy
from sswis.geo.models import Location
from sswis.registry.models import Worker
from sswis.surveys.models import PerceptionResponse, SurveyRound
from sswis.surveys.perceptions import PERCEPTION_QUESTIONS

MINIMUM_RESPONDENTS = 5
"""Fewer respondents than this in a group (see :func:`perception_summary`): their answers are not shown,
even as counts, nor any figure from which they could be computed."""

FEW_RESPONDENTS = "few_respondents"
"""``withheld_reason``: fewer than :data:`MINIMUM_RESPONDENTS` workers answered in the subtree."""

SMALL_GROUP_WITHIN = "small_group_within"
"""``withheld_reason``: a location in the subtree has 1 to 4 respondents of its own, whose answers could be
recovered by subtracting the figures of the other locations from these."""

WITHHELD_EXPLANATIONS = {
    FEW_RESPONDENTS: "Fewer than {minimum} workers answered here: their answers are not shown, so that no "
    "one's answers can be recognised.",
    SMALL_GROUP_WITHIN: "Fewer than {minimum} workers answered in a place within this area: the answers here "
    "are not shown, because subtracting the figures of the other places would reveal theirs.",
}


@dataclass(frozen=True)
class AnswerCount:
    answer: str
    label: str
    count: int
    share: float  # of the workers who answered the question (0-1)


@dataclass(frozen=True)
class QuestionSummary:
    name: str
    label: str
    answered: int
    answers: tuple[AnswerCount, ...]


@dataclass(frozen=True)
class PerceptionSummary:
    """Counts for one round and location subtree; ``questions`` is empty when ``withheld``."""

    survey_round: str
    location: str
    respondents: int
    withheld: bool
    questions: tuple[QuestionSummary, ...]
    withheld_reason: str = ""  # FEW_RESPONDENTS or SMALL_GROUP_WITHIN when withheld, else ""


def withheld_explanation(*, summary: PerceptionSummary) -> str:
    """Why ``summary`` is withheld, in one sentence for the user (``""`` when it is not)."""
    if not summary.withheld:
        return ""
    text = WITHHELD_EXPLANATIONS.get(summary.withheld_reason, WITHHELD_EXPLANATIONS[FEW_RESPONDENTS])
    return text.format(minimum=MINIMUM_RESPONDENTS)


def withheld_reason_of(*, respondents_per_location: list[int]) -> str:
    """Why the answers of a subtree are withheld (``""``: they are shown), from the respondents surveyed at
    each of its locations: :data:`FEW_RESPONDENTS` when fewer than :data:`MINIMUM_RESPONDENTS` in all,
    :data:`SMALL_GROUP_WITHIN` when one location has 1 to 4 of its own (see :func:`perception_summary`)."""
    if sum(respondents_per_location) < MINIMUM_RESPONDENTS:
        return FEW_RESPONDENTS
    if any(0 < count < MINIMUM_RESPONDENTS for count in respondents_per_location):
        return SMALL_GROUP_WITHIN
    return ""


def perception_summary(*, user: Any, round_code: str, location_code: str = "") -> PerceptionSummary:
    """Counts and shares of every answer of every perception question, for the round and the subtree
    of ``location_code`` (default: the whole country), in one query.

    Withholding (complementary suppression): a response counts at the location where the worker was
    surveyed. The figures (``questions``) are withheld (empty, ``withheld`` true) when

    * fewer than :data:`MINIMUM_RESPONDENTS` workers answered in the whole subtree
      (``withheld_reason`` :data:`FEW_RESPONDENTS`; no respondent at all is withheld too), or
    * any location of the subtree, this one included, has 1 to 4 respondents surveyed at that location
      itself (``withheld_reason`` :data:`SMALL_GROUP_WITHIN`).

    Why the second rule: figures shown for a location and for some of the places within it could
    otherwise be subtracted from each other to reveal a small group withheld on its own. With 5
    respondents in district D11 and 1 in D12, region R1 (6) minus D11 (5) would give the lone D12
    worker's answers; so R1 is withheld, and so is every location above it (country minus the other
    regions would give R1, then minus D11 gives D12 again). With the rule, every figure shown is a sum
    of groups of 0 or at least 5 respondents, each of which is itself shown or part of a figure shown,
    so no difference of figures shown isolates fewer than 5 workers. ``respondents`` (how many
    answered) is given even when withheld.

    Raises ``PermissionDenied`` for outsiders, ``SurveyRound.DoesNotExist`` / ``Location.DoesNotExist``
    for unknown codes. A multiple-choice answer's share is of the workers who answered that question
    (shares of one question may add up to more than 1).
    """
    policy.require_aggregates(user=user)
    return perception_summary_compute(round_code=round_code, location_code=location_code)


def perception_summary_compute(*, round_code: str, location_code: str = "") -> PerceptionSummary:
    """:func:`perception_summary` without asking who reads it (the command line, and the callers that
    have asked the access policy already): the same rule withholds the same figures for everyone."""
    survey_round = SurveyRound.objects.get(code=round_code)
    location = (
        Location.objects.get(code=location_code)
        if location_code
        else Location.objects.get(parent__isnull=True)
    )
    responses = PerceptionResponse.objects.filter(
        survey_round=survey_round, location__path__startswith=location.path
    )
    padded: dict[str, Any] = {}
    counts: dict[str, Any] = {"respondents": Count("pk")}
    for question in PERCEPTION_QUESTIONS:
        counts[f"{question.name}__answered"] = Count("pk", filter=~Q(**{question.name: ""}))
        if question.multiple:
            # Spaces around the stored list: " a b " contains " a " exactly when a was chosen.
            padded[f"{question.name}_padded"] = Concat(
                Value(" "), F(question.name), Value(" "), output_field=CharField()
            )
        for answer in question.choice_names:
            condition = (
                Q(**{f"{question.name}_padded__contains": f" {answer} "})
                if question.multiple
                else Q(**{question.name: answer})
            )
            counts[f"{question.name}__{answer}"] = Count("pk", filter=condition)
    # One row per location where workers were surveyed (the sums of its rows are the subtree's totals):
    # the groups the withholding rule looks at come with the counts, in the same query.
    grouped: Any = responses.annotate(**padded).values("location_id").annotate(**counts).order_by()
    rows: list[dict[str, Any]] = list(grouped)
    totals: dict[str, int] = {name: sum(row[name] for row in rows) for name in counts}
    respondents = totals["respondents"]
    withheld_reason = withheld_reason_of(respondents_per_location=[row["respondents"] for row in rows])
    withheld = bool(withheld_reason)
    questions: list[QuestionSummary] = []
    if not withheld:
        for question in PERCEPTION_QUESTIONS:
            answered = totals[f"{question.name}__answered"]
            questions.append(
                QuestionSummary(
                    name=question.name,
                    label=str(question.label),
                    answered=answered,
                    answers=tuple(
                        AnswerCount(
                            answer=answer,
                            label=str(label),
                            count=totals[f"{question.name}__{answer}"],
                            share=round(totals[f"{question.name}__{answer}"] / answered, 4)
                            if answered
                            else 0.0,
                        )
                        for answer, label in question.choices
                    ),
                )
            )
    return PerceptionSummary(
        survey_round=survey_round.code,
        location=location.code,
        respondents=respondents,
        withheld=withheld,
        questions=tuple(questions),
        withheld_reason=withheld_reason,
    )


def perception_responses_of_worker(*, user: Any, worker: Worker) -> QuerySet[PerceptionResponse]:
    """One worker's answers, every round: only for a user who may see the worker (``PermissionDenied``)."""
    policy.require_worker_visible(user=user, worker=worker)
    return PerceptionResponse.objects.filter(worker=worker).select_related("survey_round", "location")


def survey_round_list(*, user: Any) -> QuerySet[SurveyRound]:
    """Every survey round, newest first (by start date, then code), for anyone who may see aggregates.

    Rounds are not personal data: they say when a survey ran, not who answered. Raises
    ``PermissionDenied`` for outsiders.
    """
    policy.require_aggregates(user=user)
    return SurveyRound.objects.order_by("-starts_on", "code")
