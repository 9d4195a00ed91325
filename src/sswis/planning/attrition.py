"""Attrition other than retirement, estimated from the registry (contract ``planning.md`` section 3).

For a base year ``Y0`` and a cadre: over the (up to) 3 years before ``Y0`` — cohorts ``y - 1`` in
``Y0 - 3 .. Y0 - 1``, followed into ``y`` — the workers of the cadre counted in ``y - 1`` who are not
counted in ``y`` (no child protection assignment overlapping ``y`` anywhere) and whose last assignment's
exit reason is not retirement, divided by the workers of the cadre counted in ``y - 1``; the mean of
those yearly rates. A year is left out when nobody of the cadre was counted in ``y - 1`` (the registry
has fewer years), and the rate is 0 when every year is left out (no history: no attrition observed).

The rate is estimated for the whole country, not per location: the projection is linear in the base-year
stock only when every location shares the rate, so that a region's projection is the sum of its
districts'. Retirements are projected separately, from birth dates; exits for retirement are therefore
not attrition here. Each year is one grouped query over the year's reference assignments (the
indicators' SQL); no worker is loaded into Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from sswis.indicators.computation import REFERENCE_ORDER, aggregate_rows, candidates_condition, table_name
from sswis.indicators.definitions import FIRST_YEAR, reference_period
from sswis.indicators.selectors import reference_assignments_sql, reference_parameters
from sswis.registry.models import Assignment, Cadre, ExitReason

ESTIMATION_YEARS = 3


def _followed_condition(alias: str) -> str:
    """The follow-up year's candidates (counted there), with that year's own named parameters."""
    return (
        candidates_condition(alias)
        .replace("%(reference_date)s", "%(next_reference_date)s")
        .replace("%(first_day)s", "%(next_first_day)s")
    )


def _last_exit_sql() -> str:
    return (
        f"(SELECT l.exit_reason FROM {table_name(Assignment)} l WHERE l.worker_id = r.worker_id "
        "ORDER BY l.start_date DESC, l.id DESC LIMIT 1)"
    )


def _cohort_sql() -> str:
    """Per cadre of the reference assignment in ``y - 1``: the workers counted, and those who left."""
    if connection.vendor == "postgresql":
        return _cohort_sql_postgresql()
    assignment = table_name(Assignment)
    reference = reference_assignments_sql(columns=["a.worker_id", "a.cadre_id"])
    # The workers still counted in the follow-up year are found once (a join), not looked up worker by
    # worker (a NOT EXISTS inside the sum cannot become an anti-join): 30% less (bench/planning.py).
    return (
        "SELECT r.cadre_id, COUNT(*), SUM(CASE WHEN f.worker_id IS NULL AND "
        f"COALESCE({_last_exit_sql()}, '') <> %(retired)s THEN 1 ELSE 0 END) "
        f"FROM ({reference}) r LEFT JOIN (SELECT DISTINCT c.worker_id FROM {assignment} c "
        f"WHERE {_followed_condition('c')}) f "
        "ON f.worker_id = r.worker_id GROUP BY r.cadre_id"
    )


def _cohort_sql_postgresql() -> str:
    """``_cohort_sql`` in one pass over the candidates of both years: each worker's rows in ``y - 1``
    sort first, in the indicators' reference order (``REFERENCE_ORDER``), so ``DISTINCT ON`` keeps the
    same reference assignment as ``reference_assignments_sql``; whether the worker is counted in ``y`` is
    a window over the same rows. Workers with no row in ``y - 1`` are left out. Less than half the time
    of joining the set of workers counted in ``y`` (at 1,000,000 workers)."""
    counted, followed = candidates_condition("a"), _followed_condition("a")
    reference = (
        f"SELECT DISTINCT ON (a.worker_id) a.worker_id, a.cadre_id, "
        f"CASE WHEN {counted} THEN 1 ELSE 0 END AS counted, "
        f"MAX(CASE WHEN {followed} THEN 1 ELSE 0 END) OVER (PARTITION BY a.worker_id) AS followed "
        f"FROM {table_name(Assignment)} a WHERE ({counted}) OR ({followed}) "
        f"ORDER BY a.worker_id, CASE WHEN {counted} THEN 0 ELSE 1 END, {REFERENCE_ORDER}"
    )
    return (
        "SELECT r.cadre_id, COUNT(*), SUM(CASE WHEN r.followed = 0 AND "
        f"COALESCE({_last_exit_sql()}, '') <> %(retired)s THEN 1 ELSE 0 END) "
        f"FROM ({reference}) r WHERE r.counted = 1 GROUP BY r.cadre_id"
    )


def attrition_yearly(*, year: int) -> dict[int, tuple[int, int]]:
    """Per cadre id: (workers counted in ``year - 1``, those of them who left before ``year`` for a
    reason other than retirement)."""
    previous, following = reference_period(year=year - 1), reference_period(year=year)
    parameters = {
        **reference_parameters(previous),
        "next_reference_date": following.reference_date,
        "next_first_day": following.start,
        "retired": ExitReason.RETIRED.value,
    }
    rows = aggregate_rows(sql=_cohort_sql(), parameters=parameters)
    return {cadre_id: (int(counted), int(left or 0)) for cadre_id, counted, left in rows}


@dataclass(frozen=True)
class AttritionYear:
    """One year of the estimate: the workers of the cadre counted in ``year - 1`` and those of them who
    were not counted in ``year`` and whose last assignment's exit reason is not retirement."""

    year: int
    counted: int
    left: int

    @property
    def rate(self) -> float:
        return self.left / self.counted


@dataclass(frozen=True)
class AttritionEstimate:
    """The estimated attrition rate of a cadre for a base year, with the years it is the mean of (those
    with a worker counted in ``year - 1``, in increasing order; none: the rate is 0)."""

    cadre: str
    base_year: int
    years: tuple[AttritionYear, ...]

    @property
    def rate(self) -> float:
        observed = [year.rate for year in self.years]
        return sum(observed) / len(observed) if observed else 0.0


def attrition_estimates(*, base_year: int, cadres: list[str]) -> dict[str, AttritionEstimate]:
    """The estimate of each cadre code in ``cadres`` for ``base_year``, with its yearly parts: THE one
    computation of the estimated attrition (planning's projections and the support's retention page).
    One grouped query per year (at most ``ESTIMATION_YEARS``)."""
    cadre_ids = dict(Cadre.objects.filter(code__in=cadres).values_list("code", "pk"))
    yearly = [
        (year, attrition_yearly(year=year))
        for year in range(base_year - ESTIMATION_YEARS + 1, base_year + 1)
        if year - 1 >= FIRST_YEAR
    ]
    estimates: dict[str, AttritionEstimate] = {}
    for code in cadres:
        years = tuple(
            AttritionYear(year=year, counted=counted, left=left)
            for year, counts in yearly
            for counted, left in [counts.get(cadre_ids.get(code, -1), (0, 0))]
            if counted > 0
        )
        estimates[code] = AttritionEstimate(cadre=code, base_year=base_year, years=years)
    return estimates


def attrition_estimated(*, base_year: int, cadres: list[str]) -> dict[str, float]:
    """The estimated yearly attrition rate of each cadre code in ``cadres`` (0 without history)."""
    return {
        code: estimate.rate
        for code, estimate in attrition_estimates(base_year=base_year, cadres=cadres).items()
    }
