"""Scenarios side by side: for each scenario and cadre at one location, the year its gap closes, what
the projection costs until then, and the workers per 100,000 children reached.

Every figure comes from the scenarios' projections (``projection.scenario_project``), nothing else:

* ``gap_closes`` is the first calendar year from the base year on whose gap is 0 or more (supply meets
  the requirement); ``None`` when it never does within the horizon, or when there is no requirement;
* ``cost_to_close`` is the sum of the yearly costs from the base year to that year, both included;
  ``None`` with ``gap_closes``;
* ``total_cost`` sums every year's cost, base year to horizon;
* ``final_stock``, ``final_required``, ``final_gap`` and ``final_per_100k`` are those of the last year.

The row ``cadre: ""`` adds every cadre of the scenario up (its gap and requirement only when every cadre
has a requirement that year).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sswis.geo.models import Location
from sswis.planning.projection import Projection, ProjectionRow, scenario_project
from sswis.planning.scenarios import ScenarioParameters

ALL_CADRES = ""
MAXIMUM_COMPARED = 4


@dataclass(frozen=True)
class ScenarioOutcome:
    scenario: str
    name: str
    cadre: str  # "" for all the scenario's cadres together
    base_year: int
    final_year: int
    gap_closes: int | None
    cost_to_close: float | None
    total_cost: float
    final_stock: float
    final_required: float | None
    final_gap: float | None
    final_per_100k: float | None


def _summed(rows: list[ProjectionRow]) -> list[ProjectionRow]:
    """One row per year adding every cadre's figures up (requirement only when all have one)."""
    by_year: dict[int, list[ProjectionRow]] = defaultdict(list)
    for row in rows:
        by_year[row.year].append(row)
    summed = []
    for year, year_rows in sorted(by_year.items()):
        stock = sum(row.stock for row in year_rows)
        needs = [row.required for row in year_rows]
        required = sum(need for need in needs if need is not None) if None not in needs else None
        per_100k = [row.per_100k for row in year_rows]
        summed.append(
            ProjectionRow(
                year=year,
                cadre=ALL_CADRES,
                location=year_rows[0].location,
                stock=stock,
                exits=sum(row.exits for row in year_rows),
                retirements=sum(row.retirements for row in year_rows),
                entrants=sum(row.entrants for row in year_rows),
                required=required,
                gap=stock - required if required is not None else None,
                per_100k=sum(value for value in per_100k if value is not None)
                if None not in per_100k
                else None,
                cost=sum(row.cost for row in year_rows),
            )
        )
    return summed


def _outcome(parameters: ScenarioParameters, cadre: str, rows: list[ProjectionRow]) -> ScenarioOutcome:
    closes = next((row.year for row in rows if row.gap is not None and row.gap >= 0), None)
    last = rows[-1]
    return ScenarioOutcome(
        scenario=parameters.code,
        name=parameters.name,
        cadre=cadre,
        base_year=parameters.base_year,
        final_year=last.year,
        gap_closes=closes,
        cost_to_close=sum(row.cost for row in rows if row.year <= closes) if closes is not None else None,
        total_cost=sum(row.cost for row in rows),
        final_stock=last.stock,
        final_required=last.required,
        final_gap=last.gap,
        final_per_100k=last.per_100k,
    )


def scenario_outcomes(*, projection: Projection) -> list[ScenarioOutcome]:
    """The outcome of each cadre of a one-location projection, then of all its cadres together."""
    by_cadre: dict[str, list[ProjectionRow]] = defaultdict(list)
    for row in projection.rows:
        by_cadre[row.cadre].append(row)
    outcomes = [_outcome(projection.scenario, cadre, rows) for cadre, rows in by_cadre.items()]
    if len(by_cadre) > 1:
        outcomes.append(_outcome(projection.scenario, ALL_CADRES, _summed(projection.rows)))
    return outcomes


def scenarios_compare(
    *, scenarios: list[ScenarioParameters], location: Location | None = None
) -> tuple[list[Projection], list[ScenarioOutcome]]:
    """The projections of two to four scenarios at ``location`` (default: each one's own location) and
    their outcomes, scenario by scenario in the order given. Raises ``ValueError`` for fewer than two or
    more than four scenarios, or a location outside one of them."""
    if not 2 <= len(scenarios) <= MAXIMUM_COMPARED:
        raise ValueError(_("Compare two to four scenarios."))
    projections = [scenario_project(scenario=scenario, location=location) for scenario in scenarios]
    outcomes = [outcome for projection in projections for outcome in scenario_outcomes(projection=projection)]
    return projections, outcomes


def outcomes_as_json(*, outcomes: list[ScenarioOutcome]) -> dict[str, Any]:
    """``{"outcomes": [...]}``, figures unrounded (the API and the comparison's CSV)."""
    return {"outcomes": [outcome.__dict__.copy() for outcome in outcomes]}


OUTCOME_COLUMNS = tuple(ScenarioOutcome.__dataclass_fields__)


def outcome_rows(*, outcomes: list[ScenarioOutcome]) -> Iterator[list[Any]]:
    """The outcomes as table rows in the order of ``OUTCOME_COLUMNS`` (the comparison's one CSV)."""
    for outcome in outcomes:
        yield [getattr(outcome, column) for column in OUTCOME_COLUMNS]
