"""Reads of the surveys app: perception answers as aggregates, and one worker's answers.

Perception answers are personal: :func:`perception_summary` gives only counts and shares for a location
subtree and round (any user with a role, through ``policy.require_aggregates``), and withholds them
when fewer than :data:`MINIMUM_RESPONDENTS` workers answered, so that no one's answers can be read off
a small group. :func:`perception_responses_of_worker` gives a person's answers only to users who may see
that worker (``policy.require_worker_visible``).
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
"""Fewer respondents than this in a subtree and round: their answers are not shown, even as counts."""


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


def perception_summary(*, user: Any, round_code: str, location_code: str = "") -> PerceptionSummary:
    """Counts and shares of every answer of every perception question, for the round and the subtree
    of ``location_code`` (default: the whole country), in one query.

    Raises ``PermissionDenied`` for outsiders, ``SurveyRound.DoesNotExist`` / ``Location.DoesNotExist``
    for unknown codes. A multiple-choice answer's share is of the workers who answered that question
    (shares of one question may add up to more than 1).
    """
    policy.require_aggregates(user=user)
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
    totals = responses.annotate(**padded).aggregate(**counts) if padded else responses.aggregate(**counts)
    respondents = totals["respondents"]
    withheld = respondents < MINIMUM_RESPONDENTS
    questions: list[QuestionSummary] = []
    if not withheld:
        for question in PERCEPTION_QUESTIONS:
            answered = totals[f"{question.name}__answered"]
            questions.append(
                QuestionSummary(
                    name=question.name,
                    label=question.label,
                    answered=answered,
                    answers=tuple(
                        AnswerCount(
                            answer=answer,
                            label=label,
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
