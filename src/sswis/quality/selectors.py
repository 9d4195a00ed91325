"""The reads of the quality-assurance score: the framework inventory, a year's scores of record with the
composite and its band, the history of a year's scores, and the years that have scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from sswis.quality.models import CRITERION_NUMBER, Criterion, CriterionScore, Instrument
from sswis.quality.rules import BANDS, band, composite

CRITERIA = tuple(criterion.value for criterion in Criterion)


def instruments_listed() -> QuerySet[Instrument]:
    """Every instrument of the framework, by kind then title, with its cadres (two queries)."""
    return Instrument.objects.prefetch_related("cadres").order_by("kind", "title", "pk")


@dataclass
class YearScores:
    """A year's scores of record: ``scores`` by criterion (those recorded), ``missing`` the criteria not
    yet scored (in the contract's order), ``composite`` (4-16) and ``band`` only when none is missing."""

    year: int
    scores: dict[str, CriterionScore] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    composite: int | None = None
    band: str | None = None

    @property
    def band_label(self) -> str:
        return str(BANDS[self.band]) if self.band else ""

    def as_json(self) -> dict[str, Any]:
        """``{"year", "scores": {criterion: {...}}, "missing", "composite", "band"}``."""
        return {
            "year": self.year,
            "scores": {name: score_as_json(row) for name, row in self.scores.items()},
            "missing": self.missing,
            "composite": self.composite,
            "band": self.band,
        }


def score_as_json(row: CriterionScore) -> dict[str, Any]:
    return {
        "uuid": str(row.uuid),
        "criterion": row.criterion,
        "number": CRITERION_NUMBER[Criterion(row.criterion)],
        "score": row.score,
        "evidence": row.evidence,
        "links": list(row.links),
        "file_name": row.file_name,
        "proposed": row.proposed,
        "proposal_reasons": row.proposal_reasons,
        "accepted": row.accepted,
        "override_reason": row.override_reason,
        "recorded_by": row.recorded_by.get_username() if row.recorded_by else None,
        "recorded_at": row.recorded_at.isoformat(),
    }


def year_scores(*, year: int) -> YearScores:
    """The scores of record of ``year`` (one query), the criteria still missing, and the composite and band
    when all four are scored."""
    rows = CriterionScore.objects.filter(year=year).select_related("recorded_by")
    by_criterion = {row.criterion: row for row in rows}
    scores = {name: by_criterion[name] for name in CRITERIA if name in by_criterion}
    total = composite({name: row.score for name, row in scores.items()}, criteria=CRITERIA)
    return YearScores(
        year=year,
        scores=scores,
        missing=[name for name in CRITERIA if name not in scores],
        composite=total,
        band=band(total) if total is not None else None,
    )


def score_history(*, year: int) -> list[Any]:
    """Every recorded version of ``year``'s scores, newest first, with its author (one query)."""
    return list(
        CriterionScore.history.filter(year=year)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def scored_years() -> list[int]:
    """The years with at least one score of record, latest first."""
    return list(CriterionScore.objects.order_by("-year").values_list("year", flat=True).distinct())
