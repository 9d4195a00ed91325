"""Computation of the workforce indicators (contract ``contracts/indicators.md``, version 1). Reads only.

The heavy lifting happens in the database: one aggregate query over the assignments picks each worker's
reference assignment (``DISTINCT ON`` on PostgreSQL, ``NOT EXISTS`` a better candidate on SQLite, a
``ROW_NUMBER()`` window elsewhere) and returns counts per location and raw group values; one aggregate
query over the posts returns funded and vacant posts per location and cadre. Only those aggregated counts come back to Python, where raw values are
named after the contract's groups and the counts are rolled up the location tree (a few thousand nodes
at most) so that every location gets the sum of everything below it. No worker, assignment or post row
is ever loaded into Python. A call makes 4 queries, plus one for the cadres and one for the
organisations when the split needs them (on PostgreSQL 3 more: the workforce query runs in its own
transaction, with more sort memory); nothing is cached, so a figure is never stale.

Reference assignment (how a worker who had several child protection assignments in the year is
counted once): among the worker's child protection assignments overlapping the year,

1. the latest ``start_date``;
2. among equals, one still active on the reference date (31 December);
3. among equals, the larger FTE;
4. among equals, the lowest assignment id (the one recorded first) — not in the contract, added so
   the result never depends on the order the database happens to return rows in.

Disaggregation decisions (the contract leaves them open):

* several ``by`` dimensions give rows for the undisaggregated group ``{}`` and for every combination
  of all the dimensions (not for each dimension alone);
* ``workforce.female_share`` only ever has the ``{}`` row;
* ``posts.vacancy_rate`` has its ``{}`` row always, and cadre rows only when ``by`` is exactly
  ``("cadre",)`` — a post has no sex, education, employer-of-a-worker..., so with any other dimension
  in ``by`` there is no group it could honestly be put in. A cadre row keeps the denominator of the
  ``{}`` row (all funded posts of the location), as the contract says for every split ratio, so the
  cadre rows add up to the total rate;
* groups whose numerator is 0 are left out; the ``{}`` rows are always there, for every location.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TextIO

from django.db import connection, transaction

from sswis.geo.models import Location, PopulationEstimate
from sswis.indicators.definitions import DIMENSIONS, INDICATORS, ReferencePeriod, reference_period
from sswis.registry.models import (
    NO_POST_SECONDARY_LEVELS,
    POST_SECONDARY_LEVELS,
    Assignment,
    Cadre,
    Organisation,
    OrganisationType,
    Post,
    Sex,
    Worker,
)

COUNT = "workforce.count"
PER_100K = "workforce.per_100k_children"
FEMALE_SHARE = "workforce.female_share"
VACANCY_RATE = "posts.vacancy_rate"
assert tuple(INDICATORS) == (COUNT, PER_100K, FEMALE_SHARE, VACANCY_RATE)

Group = tuple[str, ...]  # one value per requested dimension, in the order of ``by``


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One indicator for one location and one group (``{}``: not disaggregated).

    ``workforce.count``: ``numerator == value`` (the count) and ``denominator is None``. The ratios carry
    both parts, and ``value`` is ``None`` when the contract says so (unknown or zero denominator).
    """

    indicator: str
    location: str  # location code
    group: dict[str, str]
    numerator: int
    denominator: int | None
    value: float | int | None


def indicators_compute(
    *,
    year: int,
    by: Sequence[str] = (),
    location: Location | None = None,
    depth: int | None = None,
) -> list[IndicatorRow]:
    """The contract's indicators for ``year``, for every location or for ``location``'s subtree.

    ``by`` lists dimension ids of ``DIMENSIONS`` (a single string is taken as one dimension; repeats are
    ignored). With ``location`` only that location and its descendants are returned, and with ``depth``
    only those at most ``depth`` levels below it (``depth=0``: the location alone; without
    ``location``, levels below the root). The figures of a location never depend on which locations
    are returned.

    Rows come location by location (depth first, children by code), then in indicator order, then the
    ``{}`` group first and the other groups in their dimension's order (cadres by code). Every returned
    location has its four ``{}`` rows; other groups appear only with a numerator above 0.

    Raises ``ValueError`` for an unknown dimension, an impossible year or a negative depth.
    """
    period = reference_period(year=year)
    dimensions = _dimensions_checked(by)
    if depth is not None and depth < 0:
        raise ValueError(f"The depth must be 0 or more, not {depth}.")
    tree = _Tree.load()
    selected = tree.selected(root=location.pk if location is not None else None, depth=depth)
    # Below the country, only the subtree's workers and posts are read: nothing outside it can change
    # a figure inside it (a worker counted inside has a candidate assignment inside).
    scope: list[int] = []
    if location is not None and tree.parent.get(location.pk) is not None:
        scope = tree.selected(root=location.pk, depth=None)
    lookups = _Lookups()
    workforce = _workforce_rolled_up(
        tree=tree, period=period, dimensions=dimensions, lookups=lookups, scope=scope
    )
    posts = _posts_rolled_up(
        tree=tree, period=period, by_cadre=dimensions == ("cadre",), lookups=lookups, scope=scope
    )
    children = _child_population(tree=tree, year=year)

    rows: list[IndicatorRow] = []
    order = _group_sort_key(dimensions)
    for location_id in selected:
        code = tree.code[location_id]
        count = workforce.total.get(location_id, 0)
        population = children.get(location_id)
        groups = sorted(workforce.groups.get(location_id, {}).items(), key=lambda item: order(item[0]))
        rows.append(IndicatorRow(COUNT, code, {}, count, None, count))
        rows.extend(
            IndicatorRow(COUNT, code, dict(zip(dimensions, g, strict=True)), n, None, n) for g, n in groups
        )
        rows.append(IndicatorRow(PER_100K, code, {}, count, population, _per_100k(count, population)))
        rows.extend(
            IndicatorRow(
                PER_100K, code, dict(zip(dimensions, g, strict=True)), n, population, _per_100k(n, population)
            )
            for g, n in groups
        )
        by_sex = workforce.by_sex.get(location_id, {})
        female = by_sex.get(Sex.FEMALE.value, 0)
        known = female + by_sex.get(Sex.MALE.value, 0) + by_sex.get(Sex.OTHER.value, 0)
        rows.append(IndicatorRow(FEMALE_SHARE, code, {}, female, known, _share(female, known)))
        funded = posts.funded.get(location_id, 0)
        vacant = posts.vacant.get(location_id, 0)
        rows.append(IndicatorRow(VACANCY_RATE, code, {}, vacant, funded, _share(vacant, funded)))
        for (cadre_code,), n in sorted(posts.vacant_by_cadre.get(location_id, {}).items()):
            rows.append(IndicatorRow(VACANCY_RATE, code, {"cadre": cadre_code}, n, funded, _share(n, funded)))
    return rows


def indicators_as_json(*, year: int, rows: list[IndicatorRow]) -> dict[str, Any]:
    """The contract's JSON document: ``{"year": year, "rows": [{indicator, location, group, numerator,
    denominator, value}, ...]}``, rows in the given order, values at full precision."""
    return {
        "year": year,
        "rows": [
            {
                "indicator": row.indicator,
                "location": row.location,
                "group": dict(row.group),
                "numerator": row.numerator,
                "denominator": row.denominator,
                "value": row.value,
            }
            for row in rows
        ],
    }


def indicators_write_csv(*, rows: list[IndicatorRow], by: Sequence[str], stream: TextIO) -> None:
    """Write ``rows`` as CSV: ``indicator, location, <one column per dimension of by>, numerator,
    denominator, value``. A dimension a row is not split by, and a null, are empty cells; a value is
    written at full precision (Python's shortest round-tripping form of the float)."""
    dimensions = _dimensions_checked(by)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["indicator", "location", *dimensions, "numerator", "denominator", "value"])
    for row in rows:
        writer.writerow(
            [
                row.indicator,
                row.location,
                *(row.group.get(dimension, "") for dimension in dimensions),
                row.numerator,
                "" if row.denominator is None else row.denominator,
                "" if row.value is None else repr(row.value),
            ]
        )


# --- arguments -------------------------------------------------------------------------------------


def _dimensions_checked(by: Sequence[str]) -> tuple[str, ...]:
    if isinstance(by, str):
        by = (by,)
    unknown = [dimension for dimension in by if dimension not in DIMENSIONS]
    if unknown:
        raise ValueError(
            f"Unknown dimension {', '.join(repr(d) for d in unknown)}. "
            f"Valid dimensions: {', '.join(DIMENSIONS)}."
        )
    return tuple(dict.fromkeys(by))


def _group_sort_key(dimensions: tuple[str, ...]) -> Callable[[Group], tuple[tuple[int, str], ...]]:
    """Sort groups in each dimension's own order (e.g. female, male, other, unknown); cadres by code."""
    positions = [
        {code: index for index, code in enumerate(DIMENSIONS[dimension].group_codes)}
        for dimension in dimensions
    ]

    def key(group: Group) -> tuple[tuple[int, str], ...]:
        return tuple(
            (position.get(value, len(position)), value)
            for position, value in zip(positions, group, strict=True)
        )

    return key


def _per_100k(numerator: int, children: int | None) -> float | None:
    # One correctly rounded division of exact integers: the float nearest the true value.
    return numerator * 100000 / children if children else None


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


# --- the location tree -----------------------------------------------------------------------------


@dataclass
class _Tree:
    """The location tree as parent links (the ``path`` column is not trusted: parents are the truth)."""

    code: dict[int, str]
    parent: dict[int, int | None]
    children: dict[int | None, list[int]]
    preorder: list[int]  # depth first, children by code
    chain: dict[int, tuple[int, ...]]  # the location and all its ancestors

    @classmethod
    def load(cls) -> _Tree:
        code: dict[int, str] = {}
        parent: dict[int, int | None] = {}
        children: dict[int | None, list[int]] = defaultdict(list)
        for pk, parent_id, location_code in Location.objects.order_by("code").values_list(
            "pk", "parent_id", "code"
        ):
            code[pk] = location_code
            parent[pk] = parent_id
            children[parent_id].append(pk)
        preorder: list[int] = []
        chain: dict[int, tuple[int, ...]] = {}
        empty: tuple[int, ...] = ()
        stack = [(pk, empty) for pk in reversed(children[None])]
        while stack:
            pk, ancestors = stack.pop()
            preorder.append(pk)
            chain[pk] = (pk, *ancestors)
            stack.extend((child, chain[pk]) for child in reversed(children.get(pk, [])))
        return cls(code=code, parent=parent, children=children, preorder=preorder, chain=chain)

    def selected(self, *, root: int | None, depth: int | None) -> list[int]:
        """Locations in output order: all, or ``root``'s subtree, at most ``depth`` levels down."""
        if root is None:
            return [pk for pk in self.preorder if depth is None or len(self.chain[pk]) - 1 <= depth]
        base = len(self.chain[root])
        return [
            pk
            for pk in self.preorder
            if root in self.chain[pk] and (depth is None or len(self.chain[pk]) - base <= depth)
        ]


# --- workforce ------------------------------------------------------------------------------------


@dataclass
class _Workforce:
    total: dict[int, int]
    groups: dict[int, dict[Group, int]]
    by_sex: dict[int, dict[str, int]]


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _ended(alias: str) -> str:
    """0 when the assignment is still active on the reference date, else 1."""
    return f"CASE WHEN {alias}.end_date IS NULL OR {alias}.end_date >= %(reference_date)s THEN 0 ELSE 1 END"


# The reference assignment rule as a sort order within one worker's candidate assignments (the first
# row wins), and the candidates: child protection assignments overlapping the year.
REFERENCE_ORDER = f"a.start_date DESC, {_ended('a')}, a.fte DESC, a.id"


def _candidates(alias: str) -> str:
    return (
        f"{alias}.child_protection AND {alias}.start_date <= %(reference_date)s "
        f"AND ({alias}.end_date IS NULL OR {alias}.end_date >= %(first_day)s)"
    )


def reference_assignments_sql(*, columns: Sequence[str], scope: Sequence[int] = ()) -> str:
    """SQL giving one row per worker of the workforce: ``columns`` (``alias.column`` over assignment
    ``a`` and worker ``w``, each named after its column) of the worker's reference assignment. Named
    parameters: see ``reference_parameters``.

    With ``scope`` (location ids), only workers with a candidate assignment at one of those locations
    are considered: everyone whose reference assignment is in the scope, plus some whose reference
    assignment is elsewhere (still picked among all their assignments, so they are counted where they
    belong, outside the scope). A subnational dashboard thus ranks only its own workers' assignments.

    The first-row-per-worker pick is written for each database's fastest plan (same result):

    * PostgreSQL: ``DISTINCT ON (a.worker_id)`` over the candidates ordered by worker then reference
      order: one sort of the candidates, the plan of the benchmark's hand-written limit query. The
      worker's sex comes from ``Assignment.worker_sex`` (registry migration 0005): until then every
      counted worker was joined for it, which made the query 1.35-1.6 times the limit whatever the
      plan (merge join over a covering index with incremental sort, hash join, planner settings);
      measured at 200,000 workers, best of 15 in psql, the counts per location, sex and cadre now take
      1.15 times the limit (131 against 115 ms) and per location and sex 1.05 times. The workers are
      joined only for the education level (``--by education``).
    * SQLite: the candidates no other candidate of the same worker ranks before (``NOT EXISTS``,
      the reference order as one row-value comparison, ``id`` last and reversed), looked up in the
      ``(worker_id, start_date)`` index; the candidates themselves are read with ``NOT INDEXED``,
      because the period index matches most rows of a recent year and walking it costs about twice a
      plain scan. About 10% faster than ranking every candidate with ``ROW_NUMBER()`` (a sort of all
      of them), since most workers have a single candidate. Joining the workers after the ranking
      instead of before makes no measurable difference there (a rowid lookup either way).
    * Elsewhere ``ROW_NUMBER()``.
    """
    assignment, worker = _table(Assignment), _table(Worker)
    # The worker is joined only when a column of theirs is asked for (the education level): their sex
    # is copied onto the assignment (``Assignment.worker_sex``).
    joined = f"JOIN {worker} w ON w.id = a.worker_id" if any(c.startswith("w.") for c in columns) else ""
    where = _candidates("a")
    if scope:
        where += (
            f" AND a.worker_id IN (SELECT s.worker_id FROM {assignment} s WHERE {_candidates('s')} "
            f"AND s.location_id IN ({_placeholders('location', len(scope))}))"
        )
    selected = ", ".join(columns)
    if connection.vendor == "postgresql":
        return (
            f"SELECT DISTINCT ON (a.worker_id) {selected} FROM {assignment} a {joined} WHERE {where} "
            f"ORDER BY a.worker_id, {REFERENCE_ORDER}"
        )
    if connection.vendor == "sqlite":
        # b ranks before a: later start; or still active where a is not; or larger FTE; or lower id.
        return (
            f"SELECT {selected} FROM {assignment} a NOT INDEXED {joined} WHERE {where} AND NOT EXISTS ("
            f"SELECT 1 FROM {assignment} b WHERE b.worker_id = a.worker_id AND b.start_date >= a.start_date "
            f"AND {_candidates('b')} AND (b.start_date, {_ended('a')}, b.fte, a.id) > "
            f"(a.start_date, {_ended('b')}, a.fte, b.id))"
        )
    return (
        f"SELECT * FROM (SELECT {selected}, ROW_NUMBER() OVER (PARTITION BY a.worker_id ORDER BY "
        f"{REFERENCE_ORDER}) AS reference_rank FROM {assignment} a {joined} WHERE {where}) "
        "ranked WHERE reference_rank = 1"
    )


def reference_parameters(period: ReferencePeriod, *, scope: Sequence[int] = ()) -> dict[str, Any]:
    """The named parameters of ``reference_assignments_sql``."""
    return {
        "reference_date": period.reference_date,
        "first_day": period.start,
        **_numbered("location", scope),
    }


def _placeholders(name: str, count: int) -> str:
    return ", ".join(f"%({name}_{index})s" for index in range(count))


def _numbered(name: str, values: Sequence[int]) -> dict[str, int]:
    return {f"{name}_{index}": value for index, value in enumerate(values)}


# What each dimension is read from. The database groups by these raw values (integers and short
# codes, no joins: a join of every counted worker with the cadres or organisations costs more than
# the whole roll-up); Python then maps the few aggregated raw values to the contract's groups.
_RAW_COLUMN = {
    "cadre": "a.cadre_id",
    "category": "a.cadre_id",
    "employer": "a.organisation_id",
    "paid": "a.paid",
    "sex": "a.worker_sex",
    "education": "w.education_level",
}
assert set(_RAW_COLUMN) == set(DIMENSIONS)
_SEX_GROUPS = {Sex.FEMALE.value, Sex.MALE.value, Sex.OTHER.value}
_EDUCATION_GROUPS = {
    **{str(level): "post_secondary" for level in POST_SECONDARY_LEVELS},
    **{str(level): "no_post_secondary" for level in NO_POST_SECONDARY_LEVELS},
}


def _sex_group(raw: Any) -> str:
    return raw if raw in _SEX_GROUPS else Sex.UNKNOWN.value


class _Lookups:
    """The small reference tables the raw values are mapped through, each read at most once per call."""

    @cached_property
    def cadres(self) -> dict[int, tuple[str, str]]:
        return {
            pk: (code, category) for pk, code, category in Cadre.objects.values_list("pk", "code", "category")
        }

    @cached_property
    def government(self) -> dict[int, bool]:
        return {
            pk: kind == OrganisationType.GOVERNMENT.value
            for pk, kind in Organisation.objects.values_list("pk", "type")
        }

    def mapper(self, dimension: str) -> Callable[[Any], str]:
        """A function from the dimension's raw database value to the contract's group code."""
        if dimension == "cadre":
            return lambda raw: self.cadres[raw][0]
        if dimension == "category":
            return lambda raw: self.cadres[raw][1]
        if dimension == "employer":
            return lambda raw: "government" if self.government[raw] else "non_government"
        if dimension == "paid":
            return lambda raw: "paid" if raw else "unpaid"
        if dimension == "sex":
            return _sex_group
        assert dimension == "education"
        return lambda raw: _EDUCATION_GROUPS.get(raw, "unknown")


# The pick sorts every candidate assignment of the year (about 80 bytes each: 12 MB at 200,000 workers,
# 60 MB at 1,000,000). With PostgreSQL's default 4 MB of work_mem that sort spills to temporary files;
# in memory it is 10-20% faster and steadier (bench/indicators.py). For this one query's transaction
# only (within an enclosing transaction, until that one ends).
SORT_MEMORY = "SET LOCAL work_mem = '96MB'"


def _workforce_rolled_up(
    *,
    tree: _Tree,
    period: ReferencePeriod,
    dimensions: tuple[str, ...],
    lookups: _Lookups,
    scope: Sequence[int],
) -> _Workforce:
    """Counts of the workforce per location (rolled up), per group and per sex, from one query."""
    # The female share needs each counted worker's sex whatever the split.
    raw_columns = list(dict.fromkeys(["a.worker_sex", *(_RAW_COLUMN[dimension] for dimension in dimensions)]))
    reference = reference_assignments_sql(columns=["a.location_id", *raw_columns], scope=scope)
    selected = ", ".join(f"r.{column.split('.')[1]}" for column in raw_columns)
    positions = ", ".join(str(position) for position in range(1, len(raw_columns) + 2))
    sql = f"SELECT r.location_id, {selected}, COUNT(*) FROM ({reference}) r GROUP BY {positions}"
    value_at = [raw_columns.index(_RAW_COLUMN[dimension]) for dimension in dimensions]
    mappers = [lookups.mapper(dimension) for dimension in dimensions]

    total: dict[int, int] = defaultdict(int)
    groups: dict[int, dict[Group, int]] = defaultdict(lambda: defaultdict(int))
    by_sex: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    named: dict[tuple[Any, ...], tuple[str, Group]] = {}  # raw values -> (sex group, group)
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic() if postgresql else nullcontext(), connection.cursor() as cursor:
        if postgresql:
            cursor.execute(SORT_MEMORY)
        cursor.execute(sql, reference_parameters(period, scope=scope))
        for location_id, *raw, count in cursor.fetchall():
            key = tuple(raw)
            if key not in named:  # each raw combination is named once, not once per location
                named[key] = (
                    _sex_group(raw[0]),
                    tuple(mapper(raw[at]) for mapper, at in zip(mappers, value_at, strict=True)),
                )
            sex, group = named[key]
            total[location_id] += count
            by_sex[location_id][sex] += count
            if group:
                groups[location_id][group] += count
    # A worker counts at the reference location and at every ancestor of it: add each location's
    # counts to its parent's, children before their parent (a few thousand locations at most).
    for pk in reversed(tree.preorder):
        parent = tree.parent[pk]
        if parent is None:
            continue
        if pk in total:
            total[parent] += total[pk]
        for sex, count in by_sex.get(pk, {}).items():
            by_sex[parent][sex] += count
        for group, count in groups.get(pk, {}).items():
            groups[parent][group] += count
    return _Workforce(total=total, groups=groups, by_sex=by_sex)


# --- posts ----------------------------------------------------------------------------------------


@dataclass
class _Posts:
    funded: dict[int, int]
    vacant: dict[int, int]
    vacant_by_cadre: dict[int, dict[tuple[str], int]]


def _posts_rolled_up(
    *, tree: _Tree, period: ReferencePeriod, by_cadre: bool, lookups: _Lookups, scope: Sequence[int]
) -> _Posts:
    """Funded posts existing on the reference date and the vacant ones, per location (rolled up)."""
    # Any assignment fills a post, child protection or not: vacancy is about the establishment. The
    # filled posts are found in one pass over the assignments linked to a post (a join, not a
    # subquery per post, which costs 1.5-3 times more on both databases).
    sql = (
        "SELECT p.location_id, p.cadre_id, COUNT(*), COUNT(*) - COUNT(filled.post_id) "
        f"FROM {_table(Post)} p LEFT JOIN ("
        f"SELECT DISTINCT a.post_id FROM {_table(Assignment)} a WHERE a.post_id IS NOT NULL "
        "AND a.start_date <= %(day)s AND (a.end_date IS NULL OR a.end_date >= %(day)s)"
        ") filled ON filled.post_id = p.id "
        "WHERE p.funded AND (p.established_on IS NULL OR p.established_on <= %(day)s) "
        "AND (p.abolished_on IS NULL OR p.abolished_on > %(day)s) "
        + (f"AND p.location_id IN ({_placeholders('location', len(scope))}) " if scope else "")
        + "GROUP BY 1, 2"
    )
    cadre_code = lookups.mapper("cadre") if by_cadre else None
    funded: dict[int, int] = defaultdict(int)
    vacant: dict[int, int] = defaultdict(int)
    vacant_by_cadre: dict[int, dict[tuple[str], int]] = defaultdict(lambda: defaultdict(int))
    with connection.cursor() as cursor:
        cursor.execute(sql, {"day": period.reference_date, **_numbered("location", scope)})
        for location_id, cadre_id, posts, vacancies in cursor.fetchall():
            for pk in tree.chain[location_id]:
                funded[pk] += posts
                vacant[pk] += vacancies
                if cadre_code is not None and vacancies:
                    vacant_by_cadre[pk][(cadre_code(cadre_id),)] += vacancies
    return _Posts(funded=funded, vacant=vacant, vacant_by_cadre=vacant_by_cadre)


# --- population -----------------------------------------------------------------------------------


def _child_population(*, tree: _Tree, year: int) -> dict[int, int]:
    """children(location, year) where known: the own estimate, else the sum of the child locations'
    figures when every child location has one (recursively); a location without estimate and without
    child locations is unknown, and so is every ancestor that relies on it."""
    own = dict(PopulationEstimate.objects.filter(year=year).values_list("location_id", "children"))
    known: dict[int, int] = {}
    for pk in reversed(tree.preorder):  # children before their parent
        if pk in own:
            known[pk] = own[pk]
            continue
        below = tree.children.get(pk, [])
        if below and all(child in known for child in below):
            known[pk] = sum(known[child] for child in below)
    return known
