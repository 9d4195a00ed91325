"""``support.turnover_rate`` (contract ``support.md``, "Turnover"), computed in the database.

For year Y, among the workers **counted** in Y (the indicators' rule: a child protection assignment
overlapping Y, counted once through the reference assignment, at its location and every ancestor):

* **active on** D: one of the worker's child protection assignments is active on D (anywhere, whichever
  assignment: not only the reference one);
* **separated in Y**: counted in Y and not active on the reference date, 31 December Y;
* the two headcounts, active on 1 January Y and active on 31 December Y, are of counted workers too
  (active on either day means a child protection assignment overlapping Y), located as counted.

``support.turnover_rate`` = separated / ((active on 1 January + active on 31 December) / 2); null when
that average headcount is 0. A row's ``numerator`` is the separated workers, its ``denominator`` the
average headcount (a whole number or a half), its ``value`` their quotient.

Splits (``--by``): every dimension of ``workforce.count``, read from the same reference assignment (or
worker). Both parts are split: a group's row is the group's own turnover, its separated workers over
its own average headcount (as ``posts.vacancy_rate`` by cadre). A group appears when it has a counted
worker, also with no separation (a rate of 0 is a result).

Small cells (``sswis.indicators.disclosure``): in a split by a personal attribute, a group's row is
withheld from aggregate-only readers when the group's ``workforce.count`` row is, or when one of the
figures it shows or lets one work out (the separated, those still active on 31 December, those active
on 1 January) is 1 to k - 1; when only one group of a location is withheld so, the group with the
fewest separated among the others (non-zero) is too. The ``{}`` row is never withheld (a count by
location).

One query a year: the reference rows with whether each worker was active on 1 January and on
31 December (two sets of worker ids, LEFT JOINed), grouped by location and the split's raw values;
Python names the groups and rolls the counts up the tree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection

from sswis.indicators.computation import (
    RAW_COLUMN,
    WORKER_SETS,
    Group,
    Lookups,
    Tree,
    aggregate_rows,
    reference_assignments_sql,
    reference_parameters,
    table_name,
)
from sswis.indicators.definitions import TURNOVER_RATE, ReferencePeriod
from sswis.indicators.rows import COUNT, IndicatorRow
from sswis.registry.models import Assignment

Where = tuple[int, str]  # year, location code
GroupKey = tuple[str, ...]


def active_workers_sql(*, day: str) -> str:
    """SQL of the ids of the workers active on a day (``worker_id``), each once: a child protection
    assignment of theirs starts on or before it and has not ended before it. ``day`` is the SQL
    placeholder of the day."""
    return (
        f"SELECT DISTINCT x.worker_id FROM {table_name(Assignment)} x WHERE x.child_protection "
        f"AND x.start_date <= {day} AND (x.end_date IS NULL OR x.end_date >= {day})"
    )


def active_flag_sql(*, day: str) -> str:
    """PostgreSQL only: a column of ``reference_assignments_sql`` that is 1 when the row's worker is active
    on a day (one of the worker's candidate assignments is active that day), else 0, computed over the
    candidates themselves (a window by worker, before ``DISTINCT ON`` keeps the reference row). Exact
    for the first and the last day of the reference year: a child protection assignment active on
    either overlaps the year, so it is a candidate, and every candidate of a considered worker is read
    (also with a scope or a set of workers). ``day`` is the SQL placeholder of the day."""
    return (
        f"MAX(CASE WHEN a.start_date <= {day} AND (a.end_date IS NULL OR a.end_date >= {day}) "
        "THEN 1 ELSE 0 END) OVER (PARTITION BY a.worker_id)"
    )


def activity_sql() -> tuple[list[str], str, str, str]:
    """How a query over ``reference_assignments_sql`` (aliased ``r``) tells whether each worker was active
    on 1 January and on 31 December of the year: the extra reference columns, the joins after ``r``, and
    the two conditions (SQL true when active). On PostgreSQL both are read in the reference rows' own
    pass (``active_flag_sql``): a third of the time of joining the two sets of active workers (2.9
    against 8.5 s a year at 1,000,000 workers on a busy machine), which the other databases do."""
    if connection.vendor == "postgresql":
        columns = [
            f"{active_flag_sql(day='%(first_day)s')} AS first_active",
            f"{active_flag_sql(day='%(reference_date)s')} AS last_active",
        ]
        return columns, "", "r.first_active = 1", "r.last_active = 1"
    joins = (
        f" LEFT JOIN ({active_workers_sql(day='%(first_day)s')}) first_active"
        " ON first_active.worker_id = r.worker_id"
        f" LEFT JOIN ({active_workers_sql(day='%(reference_date)s')}) last_active"
        " ON last_active.worker_id = r.worker_id"
    )
    return [], joins, "first_active.worker_id IS NOT NULL", "last_active.worker_id IS NOT NULL"


def turnover_sql(*, dimensions: Sequence[str], scope: Sequence[int]) -> str:
    """One row per reference location and raw values of ``dimensions``: the counted workers, those
    active on 1 January and those active on 31 December (``activity_sql``)."""
    columns = list(dict.fromkeys(["a.location_id", *(RAW_COLUMN[d] for d in dimensions)]))
    joined = [
        d for d in WORKER_SETS if d in RAW_COLUMN and RAW_COLUMN[d] in columns
    ]  # "supervised": no column
    reference_columns = list(
        dict.fromkeys([*(c for c in columns if c.startswith(("a.", "w."))), "a.worker_id"])
    )
    selected = ", ".join(
        f"r.{column.split('.')[1]}" if column.startswith(("a.", "w.")) else column for column in columns
    )
    joins = "".join(
        f" LEFT JOIN ({WORKER_SETS[dimension]()}) {dimension} ON {dimension}.worker_id = r.worker_id"
        for dimension in joined
    )
    activity_columns, activity_joins, first, last = activity_sql()
    joins += activity_joins
    counts = f"COUNT(*), SUM(CASE WHEN {first} THEN 1 ELSE 0 END), SUM(CASE WHEN {last} THEN 1 ELSE 0 END)"
    reference = reference_assignments_sql(columns=[*reference_columns, *activity_columns], scope=scope)
    positions = ", ".join(str(position) for position in range(1, len(columns) + 1))
    return f"SELECT {selected}, {counts} FROM ({reference}) r{joins} GROUP BY {positions}"


@dataclass
class Headcounts:
    """Counted workers, active on 1 January and active on 31 December (all counted in the year)."""

    counted: int = 0
    first: int = 0
    last: int = 0

    def add(self, counted: int, first: int, last: int) -> None:
        self.counted += counted
        self.first += first
        self.last += last

    @property
    def separated(self) -> int:
        return self.counted - self.last

    @property
    def average(self) -> float:
        return (self.first + self.last) / 2

    @property
    def rate(self) -> float | None:
        return self.separated / self.average if self.first + self.last else None


@dataclass
class Turnover:
    """Per location id (rolled up): the headcounts in all and per group of the split."""

    total: dict[int, Headcounts] = field(default_factory=lambda: defaultdict(Headcounts))
    groups: dict[int, dict[Group, Headcounts]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Headcounts))
    )


def turnover_rolled_up(
    *,
    tree: Tree,
    period: ReferencePeriod,
    dimensions: tuple[str, ...],
    lookups: Lookups,
    scope: Sequence[int],
) -> Turnover:
    """The headcounts of ``period`` per location (each worker at the reference location and every
    ancestor) and per group of ``dimensions``, from one query."""
    mappers = [lookups.mapper(dimension) for dimension in dimensions]
    columns = list(dict.fromkeys(["a.location_id", *(RAW_COLUMN[d] for d in dimensions)]))
    positions = [columns.index(RAW_COLUMN[dimension]) for dimension in dimensions]
    turnover = Turnover()
    rows = aggregate_rows(
        sql=turnover_sql(dimensions=dimensions, scope=scope),
        parameters=reference_parameters(period, scope=scope),
    )
    for *raw, counted, first, last in rows:
        group = tuple(mapper(raw[at]) for mapper, at in zip(mappers, positions, strict=True))
        for pk in tree.chain[raw[0]]:
            turnover.total[pk].add(counted, first, last)
            if group:
                turnover.groups[pk][group].add(counted, first, last)
    return turnover


def turnover_rows(
    *,
    code: str,
    location_id: int,
    turnover: Turnover,
    dimensions: tuple[str, ...],
    order: Callable[[Group], tuple[tuple[int, str], ...]],
    year: int,
) -> list[IndicatorRow]:
    """The rows of ``support.turnover_rate`` at one location: ``{}`` always, then every group with a
    counted worker, in the dimensions' order."""
    whole = turnover.total.get(location_id, Headcounts())
    rows = [IndicatorRow(TURNOVER_RATE, code, {}, whole.separated, whole.average, whole.rate, year)]
    for group, counts in sorted(
        turnover.groups.get(location_id, {}).items(), key=lambda item: order(item[0])
    ):
        rows.append(
            IndicatorRow(
                TURNOVER_RATE,
                code,
                dict(zip(dimensions, group, strict=True)),
                counts.separated,
                counts.average,
                counts.rate,
                year,
            )
        )
    return rows


def turnover_withheld(
    *, rows: Sequence[IndicatorRow], minimum: int, withheld_counts: dict[Where, set[GroupKey]]
) -> dict[Where, set[GroupKey]]:
    """The groups of ``support.turnover_rate`` to withhold per year and location in a split by a personal
    attribute (module docstring), decided from the rows and the ``workforce.count`` groups withheld. A
    group row without its count row is withheld (nothing tells how many are still active)."""
    counted: dict[tuple[Where, GroupKey], int] = {}
    split: dict[Where, list[tuple[GroupKey, int, float]]] = defaultdict(list)
    for row in rows:
        where, group = (row.year, row.location), tuple(row.group.values())
        if row.indicator == COUNT and group:
            counted[(where, group)] = row.numerator or 0
        elif row.indicator == TURNOVER_RATE and group:
            split[where].append((group, row.numerator or 0, float(row.denominator or 0)))
    withheld: dict[Where, set[GroupKey]] = {}
    for where, groups in split.items():
        small: set[GroupKey] = set()
        for group, separated, average in groups:
            total = counted.get((where, group))
            if total is None or group in withheld_counts.get(where, ()):
                small.add(group)
                continue
            still = total - separated
            first = round(2 * average) - still
            if any(1 <= figure < minimum for figure in (separated, still, first)):
                small.add(group)
        if len(small) == 1:
            others = [
                (n, index) for index, (group, n, _) in enumerate(groups) if n > 0 and group not in small
            ]
            if others:
                small.add(groups[min(others)[1]][0])
        if small:
            withheld[where] = small
    return withheld
