"""Supply projection, stock and flow (contract ``planning.md`` section 3), for any location and below.

For each cadre of a scenario and each selected location, year t = 0 is the base year ``Y0`` with its
counted workforce ``S_0``; then each year t = 1..T::

    retirements_t = (base-year workers reaching the retirement age in Y0 + t) * (1 - a) ** (t - 1)
                    (those at or past it by the end of Y0 retire in year 1; no birth date: never)
    exits_t       = a * S_(t-1) + retirements_t
    entrants_t    = (graduates_t * absorption_rate + recruitment_t) * share
    S_t           = S_(t-1) - exits_t + entrants_t
    required_t    = target_per_100k * children_t / 100000   (then task shifting moves shares of it)
    gap_t         = S_t - required_t;   per_100k_t = S_t / children_t * 100000
    cost_t        = S_t * salary * (1 + on_cost_rate) * (1 + salary_growth) ** t
                    + entrants_t * training_cost_per_entrant

Graduates and recruits are the scenario's, for the location it plans for (its ``location``, else the
country): a location below that gets ``share`` of them, its share of the cadre's base-year stock there
(of the children when the cadre has nobody there yet), so that every figure of a location is the sum of
its sub-locations' (the contract: the model is linear).

``children_t`` is the recorded child population of ``Y0 + t`` where there is one (as the indicators
count it: the location's own estimate, else the sum of its sub-locations'), else ``children(Y0) * (1 +
g) ** t``; unknown when ``Y0`` has none either, and then ``required``, ``gap`` and ``per_100k`` are null.
A cadre without a target has no requirement of its own (null) unless task shifting gives it one.

Everything that touches workers is one grouped query (``workforce_by_birth_year``): the base year's
reference assignments, the indicators' own SQL, counted per location, cadre and birth year, then rolled
up the location tree. ``S_0`` is therefore exactly ``workforce.count`` of the cadre, and a location's
stock, flows and cost are those of its sub-locations added up (the model is linear in ``S_0``; the
attrition rate is the same everywhere, see ``planning.attrition``). The rest is arithmetic on those
aggregates: no worker is ever loaded into Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from sswis.geo.models import Location
from sswis.indicators.computation import Tree, aggregate_rows, child_population, table_name
from sswis.indicators.definitions import reference_period
from sswis.indicators.selectors import reference_assignments_sql, reference_parameters
from sswis.planning.attrition import attrition_estimated
from sswis.planning.scenarios import CadrePlan, ScenarioParameters
from sswis.registry.models import Cadre, Worker

PROJECTION_COLUMNS = (
    "year",
    "cadre",
    "location",
    "stock",
    "exits",
    "retirements",
    "entrants",
    "required",
    "gap",
    "per_100k",
    "cost",
)


@dataclass(frozen=True)
class ProjectionRow:
    """One location, cadre and year (calendar year ``Y0 + t``); figures unrounded."""

    year: int
    cadre: str
    location: str
    stock: float
    exits: float
    retirements: float
    entrants: float
    required: float | None
    gap: float | None
    per_100k: float | None
    cost: float


@dataclass(frozen=True)
class Projection:
    scenario: ScenarioParameters
    rows: list[ProjectionRow]
    attrition_rates: dict[str, float]  # the rate used per cadre (given, or estimated from the registry)
    children: dict[str, list[int | float | None]]  # children_t per location, t = 0..T


def _birth_year_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)"  # %% : the query has named parameters


def workforce_by_birth_year(
    *, year: int, tree: Tree, scope: list[int], born_by: int
) -> dict[int, dict[int, dict[int | None, int]]]:
    """The workforce counted in ``year`` per location (rolled up the tree), cadre id and birth year, from
    one grouped query over the reference assignments (``scope``: only workers with a candidate assignment
    in those locations; empty: everyone). Only birth years up to ``born_by`` are told apart: a worker
    born later, like one without a birth date, is under ``None`` (they cannot retire in the projection).
    """
    # Only the workers old enough to retire within the horizon are joined, and after the pick: the pick
    # sorts narrow rows as the indicators' own count does (1,000,000 workers: 2.4 times the indicators
    # with every worker joined inside the pick; bench/planning.py).
    reference = reference_assignments_sql(columns=["a.worker_id", "a.location_id", "a.cadre_id"], scope=scope)
    worker = table_name(Worker)
    sql = (
        f"SELECT r.location_id, r.cadre_id, {_birth_year_sql('w.birth_date')}, COUNT(*) FROM ({reference}) r "
        f"LEFT JOIN (SELECT id, birth_date FROM {worker} WHERE birth_date <= %(born_by)s) w "
        "ON w.id = r.worker_id GROUP BY 1, 2, 3"
    )
    counts: dict[int, dict[int, dict[int | None, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    parameters = reference_parameters(reference_period(year=year), scope=scope)
    rows = aggregate_rows(
        sql=sql,
        parameters={**parameters, "born_by": datetime.date(born_by, 12, 31)},
        # The pick comes out ordered by worker: a merge join with the workers' primary key reads them in
        # order, where the planner's own choice, a hash of the 700,000 picked rows, costs 0.3 s more at
        # 1,000,000 workers (1.0 against 1.3 s; bench/planning.py).
        postgresql_settings=("enable_hashjoin = off",),
    )
    for location_id, cadre_id, birth_year, count in rows:
        for pk in tree.chain.get(location_id, ()):
            counts[pk][cadre_id][birth_year] += count
    return counts


def _children_by_year(
    *, tree: Tree, scenario: ScenarioParameters, selected: list[int]
) -> dict[int, list[int | float | None]]:
    """children_t per selected location for t = 0..T: recorded where there is a figure, else grown."""
    recorded = [child_population(tree=tree, year=scenario.base_year + t) for t in scenario.years]
    growth = scenario.child_population_growth
    result: dict[int, list[int | float | None]] = {}
    for pk in selected:
        base = recorded[0].get(pk)
        result[pk] = [
            recorded[t][pk] if pk in recorded[t] else (base * (1 + growth) ** t if base is not None else None)
            for t in scenario.years
        ]
    return result


def _retirements_of_base(
    *, births: dict[int | None, int], plan: CadrePlan, base_year: int, horizon: int
) -> list[int]:
    """Base-year workers reaching the retirement age in each year t = 0..T (index t; index 0 is 0):
    born in ``Y0 + t - age``; those at or past it by the end of ``Y0`` in year 1; no birth date never."""
    due = [0] * (horizon + 1)
    for birth_year, count in births.items():
        if birth_year is None:
            continue
        t = birth_year + plan.retirement_age - base_year
        if t <= 1:
            due[1] += count
        elif t <= horizon:
            due[t] += count
    return due


def _supply(
    *, start: int, due: list[int], plan: CadrePlan, rate: float, horizon: int, share: float
) -> list[tuple[float, float, float, float, float]]:
    """(stock, exits, retirements, entrants, cost) for t = 0..T; ``share`` of the scenario's entrants."""
    stock = float(start)
    pay = plan.salary * (1 + plan.on_cost_rate)
    years = [(stock, 0.0, 0.0, 0.0, stock * pay)]
    for t in range(1, horizon + 1):
        retirements = due[t] * (1 - rate) ** (t - 1)
        exits = rate * stock + retirements
        entrants = (plan.graduates[t - 1] * plan.absorption_rate + plan.recruitment[t - 1]) * share
        stock = stock - exits + entrants
        cost = stock * pay * (1 + plan.salary_growth) ** t + entrants * plan.training_cost_per_entrant
        years.append((stock, exits, retirements, entrants, cost))
    return years


def requirements_shifted(
    *, scenario: ScenarioParameters, children: int | float | None
) -> dict[str, float | None]:
    """Each cadre's required staff for a child population: ``target * children / 100000`` (``None`` without
    a target or a population), then each task shift moves ``share`` of the giving cadre's own requirement
    to the receiving cadre, times the replacement factor. Shares are taken of the requirements before any
    shift, so the order of the shifts does not matter."""
    own: dict[str, float | None] = {
        code: plan.target_per_100k * children / 100000
        if plan.target_per_100k is not None and children is not None
        else None
        for code, plan in scenario.cadres.items()
    }
    required = dict(own)
    for shift in scenario.task_shifting:
        given = own[shift.from_cadre]
        if given is None:
            continue
        moved = shift.share * given
        required[shift.from_cadre] = (required[shift.from_cadre] or 0.0) - moved
        received = required[shift.to_cadre]
        required[shift.to_cadre] = (received or 0.0) + moved * shift.replacement_factor
    return required


def scenario_project(
    *, scenario: ScenarioParameters, location: Location | None = None, depth: int = 0
) -> Projection:
    """The projection of every cadre of ``scenario`` for ``location`` (default: the scenario's own
    location, the root of the tree unless it names another) and, with ``depth``, the locations that many
    levels below it: rows by location (depth first), then year, then cadre.

    Graduates and recruits are the scenario's, for its own location: a location below it gets the share
    of them that its base-year stock of the cadre is of the scenario location's (by child population
    when the cadre has nobody there yet), so that every flow of a location is the sum of its
    sub-locations'. Raises ``ValueError`` for a negative depth, a base year the indicators refuse or a
    location outside the scenario's.
    """
    if depth < 0:
        raise ValueError(_("The depth may not be negative."))
    tree = Tree.load()
    home = _home_location(tree=tree, scenario=scenario)
    root = location.pk if location is not None else home
    if home not in tree.chain.get(root, ()):
        raise ValueError(
            _("Scenario %(scenario)s plans for %(home)s: choose %(home)s or a location below it.")
            % {"scenario": scenario.code, "home": tree.code[home]}
        )
    selected = tree.selected(root=root, depth=depth)
    scope = tree.selected(root=home, depth=None) if tree.parent[home] is not None else []
    youngest_retiring = min(plan.retirement_age for plan in scenario.cadres.values())
    counts = workforce_by_birth_year(
        year=scenario.base_year,
        tree=tree,
        scope=scope,
        born_by=scenario.base_year + scenario.horizon - youngest_retiring,
    )
    cadre_ids = dict(Cadre.objects.filter(code__in=scenario.cadres).values_list("code", "pk"))
    rates = {
        code: plan.attrition_rate for code, plan in scenario.cadres.items() if plan.attrition_rate is not None
    }
    estimated = [code for code, plan in scenario.cadres.items() if plan.attrition_rate is None]
    if estimated:
        rates.update(attrition_estimated(base_year=scenario.base_year, cadres=estimated))
    children = _children_by_year(tree=tree, scenario=scenario, selected=[*selected, home])
    rows: list[ProjectionRow] = []
    for pk in selected:
        supplies = {}
        for code, plan in scenario.cadres.items():
            births = counts.get(pk, {}).get(cadre_ids.get(code, -1), {})
            home_stock = sum(counts.get(home, {}).get(cadre_ids.get(code, -1), {}).values())
            due = _retirements_of_base(
                births=births, plan=plan, base_year=scenario.base_year, horizon=scenario.horizon
            )
            share = _entrants_share(
                stock=sum(births.values()),
                home_stock=home_stock,
                children=children[pk][0],
                home_children=children[home][0],
                is_home=pk == home,
            )
            supplies[code] = _supply(
                start=sum(births.values()),
                due=due,
                plan=plan,
                rate=rates[code],
                horizon=scenario.horizon,
                share=share,
            )
        for t in scenario.years:
            children_t = children[pk][t]
            required = requirements_shifted(scenario=scenario, children=children_t)
            for code in scenario.cadres:
                stock, exits, retirements, entrants, cost = supplies[code][t]
                need = required[code]
                rows.append(
                    ProjectionRow(
                        year=scenario.base_year + t,
                        cadre=code,
                        location=tree.code[pk],
                        stock=stock,
                        exits=exits,
                        retirements=retirements,
                        entrants=entrants,
                        required=need,
                        gap=stock - need if need is not None else None,
                        per_100k=stock * 100000 / children_t if children_t else None,
                        cost=cost,
                    )
                )
    return Projection(
        scenario=scenario,
        rows=rows,
        attrition_rates=rates,
        children={tree.code[pk]: children[pk] for pk in selected},
    )


def _home_location(*, tree: Tree, scenario: ScenarioParameters) -> int:
    """The scenario's own location: the one it names, else the first root of the tree."""
    if scenario.location:
        for pk, code in tree.code.items():
            if code == scenario.location:
                return pk
        raise ValueError(_("There is no location with the code %(code)r.") % {"code": scenario.location})
    if not tree.children.get(None):
        raise ValueError(_("The registry has no locations yet."))
    return tree.children[None][0]


def _entrants_share(
    *,
    stock: int,
    home_stock: int,
    children: int | float | None,
    home_children: int | float | None,
    is_home: bool,
) -> float:
    """The share of the scenario's graduates and recruits that go to a location: its share of the
    cadre's base-year stock, else of the children, else all of them at the scenario's own location."""
    if is_home:
        return 1.0
    if home_stock > 0:
        return stock / home_stock
    if children is not None and home_children:
        return children / home_children
    return 0.0


def projection_as_json(*, projection: Projection) -> dict[str, Any]:
    """The contract's document: ``{"scenario": CODE, "rows": [{"year", "cadre", "location", "stock",
    "exits", "retirements", "entrants", "required", "gap", "per_100k", "cost"}]}``, unrounded."""
    return {
        "scenario": projection.scenario.code,
        "rows": [{column: getattr(row, column) for column in PROJECTION_COLUMNS} for row in projection.rows],
    }
