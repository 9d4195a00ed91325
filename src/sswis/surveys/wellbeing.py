"""The wellbeing of the workforce from the perception survey's wellbeing items: for a round and a location
subtree, per scale (``perceptions.WELLBEING_SCALES``, an example scale), how many answered every item of
it, their mean score and how many reached the scale's high level.

A worker's score on a scale is the sum of their answers' scores (never 0, rarely 1, sometimes 2, often 3,
very often 4) over the scale's items; a worker who left an item of the scale empty has no score on it and
is not counted in it. Mean = the sum of the scores / the workers with a score; high = workers whose score is
the scale's ``high_from`` or more; share high = high / workers with a score.

The answers are personal: only these aggregates are given, to anyone who may see aggregates, and they are
withheld by exactly the perception summary's rule (``selectors.withheld_reason_of``: fewer than 5
respondents in the subtree, or a location within it with 1 to 4 of its own). Everything comes from one
grouped query (a row per location surveyed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.expressions import Combinable

from sswis.access import policy
from sswis.geo.models import Location
from sswis.surveys.models import PerceptionResponse, SurveyRound
from sswis.surveys.perceptions import WELLBEING_FREQUENCY, WELLBEING_SCALES, WellbeingScale
from sswis.surveys.selectors import withheld_reason_of

SCORE = {answer: position for position, (answer, _label) in enumerate(WELLBEING_FREQUENCY)}


@dataclass(frozen=True)
class ScaleSummary:
    name: str
    label: str
    maximum: int
    high_from: int
    scored: int  # workers who answered every item of the scale
    mean: float | None  # None when no one is scored
    high: int
    share_high: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "maximum": self.maximum,
            "high_from": self.high_from,
            "scored": self.scored,
            "mean": self.mean,
            "high": self.high,
            "share_high": self.share_high,
        }


@dataclass(frozen=True)
class WellbeingSummary:
    """``scales`` is empty when ``withheld`` (``withheld_reason`` as the perception summary's)."""

    survey_round: str
    location: str
    respondents: int
    withheld: bool
    withheld_reason: str
    scales: tuple[ScaleSummary, ...]


def _item_score(item: str) -> Case:
    return Case(
        *(When(**{item: answer}, then=Value(score)) for answer, score in SCORE.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def _scale_score(scale: WellbeingScale) -> Combinable:
    total: Any = _item_score(scale.items[0])
    for item in scale.items[1:]:
        total = total + _item_score(item)
    return total


def _complete(scale: WellbeingScale) -> Q:
    condition = Q()
    for item in scale.items:
        condition &= ~Q(**{item: ""})
    return condition


def wellbeing_summary(
    *, user: Any, survey_round: SurveyRound, location: Location | None = None
) -> WellbeingSummary:
    """The wellbeing scales of ``survey_round`` for the subtree of ``location`` (default: the country).
    One query (two without ``location``). Raises ``PermissionDenied`` for outsiders and workers' own
    logins."""
    policy.require_aggregates(user=user)
    if location is None:
        location = Location.objects.get(parent__isnull=True)
    counts: dict[str, Any] = {"respondents": Count("pk")}
    for scale in WELLBEING_SCALES:
        complete = _complete(scale)
        counts[f"{scale.name}__scored"] = Count("pk", filter=complete)
        counts[f"{scale.name}__sum"] = Sum(_scale_score(scale), filter=complete)
        counts[f"{scale.name}__high"] = Count(
            "pk", filter=complete & Q(**{f"{scale.name}_score__gte": scale.high_from})
        )
    grouped: Any = (
        PerceptionResponse.objects.filter(survey_round=survey_round, location__path__startswith=location.path)
        .annotate(**{f"{scale.name}_score": _scale_score(scale) for scale in WELLBEING_SCALES})
        .values("location_id")
        .annotate(**counts)
        .order_by()
    )
    rows: list[dict[str, Any]] = list(grouped)
    totals = {name: sum(int(row[name] or 0) for row in rows) for name in counts}
    reason = withheld_reason_of(respondents_per_location=[row["respondents"] for row in rows])
    scales: list[ScaleSummary] = []
    if not reason:
        for scale in WELLBEING_SCALES:
            scored, high = totals[f"{scale.name}__scored"], totals[f"{scale.name}__high"]
            scales.append(
                ScaleSummary(
                    name=scale.name,
                    label=str(scale.label),
                    maximum=scale.maximum,
                    high_from=scale.high_from,
                    scored=scored,
                    mean=round(totals[f"{scale.name}__sum"] / scored, 2) if scored else None,
                    high=high,
                    share_high=round(high / scored, 4) if scored else None,
                )
            )
    return WellbeingSummary(
        survey_round=survey_round.code,
        location=location.code,
        respondents=totals["respondents"],
        withheld=bool(reason),
        withheld_reason=reason,
        scales=tuple(scales),
    )
