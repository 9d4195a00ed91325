"""What the workforce costs in a year, and what closing its gaps would cost (the issue's costing), for
every location and cadre.

For the workers counted in ``year`` (``workforce.count``: the indicators' reference assignments, one
grouped query by location, cadre and the grade of the post the reference assignment fills):

* ``salary_cost`` = the sum of each worker's yearly salary: the cadre's salary scale at the post's grade
  when the scale has that grade (the post's grade wins), else the cadre's own scale (grade empty); the
  scale in force is the latest begun by ``year``;
* ``on_costs`` = ``salary_cost * on_cost_rate`` and ``non_salary_costs`` = counted x (supervision +
  transport + training per worker), from the cadre's costs in force (none: 0);
* ``total_cost`` = the three added up; ``unpriced`` = workers whose cadre has no salary scale in force
  (their salary is left out and said so, never guessed);
* ``shortage`` = required less counted from the cadre's norm in force (``planning.norms``; 0 when there
  are enough, ``None`` without a norm or a population), and ``cost_to_close`` = shortage x the yearly
  cost of one more worker at the cadre's own scale (salary x (1 + on-cost rate) + non-salary costs).

A location's figures add up those of the locations below it. No worker is loaded into Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from sswis.geo.models import Location
from sswis.indicators.computation import Tree, aggregate_rows, table_name
from sswis.indicators.definitions import reference_period
from sswis.indicators.selectors import reference_assignments_sql, reference_parameters
from sswis.planning.models import CadreCost, SalaryScale
from sswis.planning.norms import norm_gaps
from sswis.registry.models import Cadre, Post

COST_COLUMNS = (
    "location",
    "cadre",
    "counted",
    "unpriced",
    "salary_cost",
    "on_costs",
    "non_salary_costs",
    "total_cost",
    "shortage",
    "cost_to_close",
)


@dataclass(frozen=True)
class CadreCostRow:
    location: str
    cadre: str
    counted: int
    unpriced: int
    salary_cost: float
    on_costs: float
    non_salary_costs: float
    total_cost: float
    shortage: float | None
    cost_to_close: float | None


def _counts_by_grade(*, year: int, tree: Tree, scope: list[int]) -> dict[int, dict[tuple[int, str], int]]:
    """Workers counted in ``year`` per location (rolled up), cadre id and grade of the post filled."""
    reference = reference_assignments_sql(columns=["a.location_id", "a.cadre_id", "a.post_id"], scope=scope)
    sql = (
        f"SELECT r.location_id, r.cadre_id, COALESCE(p.grade, ''), COUNT(*) FROM ({reference}) r "
        f"LEFT JOIN {table_name(Post)} p ON p.id = r.post_id GROUP BY 1, 2, 3"
    )
    counts: dict[int, dict[tuple[int, str], int]] = defaultdict(lambda: defaultdict(int))
    rows = aggregate_rows(sql=sql, parameters=reference_parameters(reference_period(year=year), scope=scope))
    for location_id, cadre_id, grade, count in rows:
        for pk in tree.chain.get(location_id, ()):
            counts[pk][(cadre_id, grade)] += count
    return counts


def salaries_in_force(*, year: int) -> dict[tuple[int, str], float]:
    """(cadre id, grade) -> the yearly salary in force in ``year`` (the latest begun)."""
    chosen: dict[tuple[int, str], float] = {}
    for scale in SalaryScale.objects.filter(valid_from__lte=year).order_by("valid_from"):
        chosen[(scale.cadre_id, scale.grade)] = float(scale.annual_salary)
    return chosen


def costs_in_force(*, year: int) -> dict[int, CadreCost]:
    """cadre id -> its costs in force in ``year`` (the latest begun)."""
    chosen: dict[int, CadreCost] = {}
    for cost in CadreCost.objects.filter(valid_from__lte=year).order_by("valid_from"):
        chosen[cost.cadre_id] = cost
    return chosen


def workforce_costs(
    *, year: int, location: Location | None = None, depth: int | None = None
) -> list[CadreCostRow]:
    """Every selected location (the indicators' selection and order) and cadre with workers counted or a
    shortage there. Raises ``ValueError`` for an impossible year or a negative depth."""
    gaps = norm_gaps(year=year, location=location, depth=depth)  # checks the year and the depth
    tree = Tree.load()
    root = location.pk if location is not None else None
    selected = tree.selected(root=root, depth=depth)
    scope = tree.selected(root=root, depth=None) if root is not None else []
    counts = _counts_by_grade(year=year, tree=tree, scope=scope)
    salaries = salaries_in_force(year=year)
    costs = costs_in_force(year=year)
    cadres = dict(Cadre.objects.values_list("pk", "code"))
    shortages = {
        (row.location, row.group["cadre"]): (max(-row.gap, 0.0) if row.gap is not None else None)
        for row in gaps
        if "cadre" in row.group
    }
    rows = []
    for pk in selected:
        by_cadre: dict[int, dict[str, int]] = defaultdict(dict)
        for (cadre_id, grade), count in counts.get(pk, {}).items():
            by_cadre[cadre_id][grade] = count
        code = tree.code[pk]
        wanted = set(by_cadre) | {
            cadre_id for cadre_id, cadre in cadres.items() if (code, cadre) in shortages
        }
        for cadre_id in sorted(wanted, key=lambda item: cadres.get(item, "")):
            grades = by_cadre.get(cadre_id, {})
            own = salaries.get((cadre_id, ""))
            cost = costs.get(cadre_id)
            rate = float(cost.on_cost_rate) if cost else 0.0
            extra = float(cost.non_salary_per_worker) if cost else 0.0
            salary_cost, unpriced = 0.0, 0
            for grade, count in grades.items():
                salary = salaries.get((cadre_id, grade), own) if grade else own
                if salary is None:
                    unpriced += count
                else:
                    salary_cost += salary * count
            counted = sum(grades.values())
            shortage = shortages.get((code, cadres.get(cadre_id, "")))
            per_new_worker = own * (1 + rate) + extra if own is not None else None
            rows.append(
                CadreCostRow(
                    location=code,
                    cadre=cadres.get(cadre_id, ""),
                    counted=counted,
                    unpriced=unpriced,
                    salary_cost=salary_cost,
                    on_costs=salary_cost * rate,
                    non_salary_costs=counted * extra,
                    total_cost=salary_cost * (1 + rate) + counted * extra,
                    shortage=shortage,
                    cost_to_close=shortage * per_new_worker
                    if shortage is not None and per_new_worker is not None
                    else None,
                )
            )
    return rows


def workforce_costs_as_json(*, year: int, rows: list[CadreCostRow]) -> dict[str, Any]:
    """``{"year": Y, "rows": [...]}``, figures unrounded (the command line and the API)."""
    return {"year": year, "rows": [asdict(row) for row in rows]}
