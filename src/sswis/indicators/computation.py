"""How the workforce indicators are computed in the database (contract ``contracts/indicators.md``,
version 2). Reads only; the public functions are in ``sswis.indicators.selectors``.

One aggregate query over the assignments picks each worker's reference assignment (``DISTINCT ON`` on
PostgreSQL, ``NOT EXISTS`` a better candidate on SQLite, a ``ROW_NUMBER()`` window elsewhere) and
returns counts per location and raw group values (with the set of licensed workers, that of the
certified workers and that of the supervised workers LEFT JOINed to the picked rows when the attribute's
share or its split is asked for: ``WORKER_SETS``); one aggregate query over the posts returns funded
and vacant posts per location and cadre. Only those aggregated counts come back to Python, where raw
values are named after the contract's groups (through the small reference tables: cadres,
organisations, the location tree) and the counts are rolled up the location tree (a few thousand
nodes at most) so that every location gets the sum of everything below it. No worker, assignment or
post row is ever loaded into Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connection, transaction

from sswis.geo.models import Location, PopulationEstimate
from sswis.indicators.certified import certified_workers_sql
from sswis.indicators.definitions import DIMENSIONS, ReferencePeriod
from sswis.indicators.licensed import licensed_workers_sql
from sswis.indicators.supervised import supervised_workers_sql
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

Group = tuple[str, ...]  # one value per requested dimension, in the order of ``by``
UNKNOWN = "unknown"


# --- the location tree -----------------------------------------------------------------------------


@dataclass
class Tree:
    """The location tree as parent links (the ``path`` column is not trusted: parents are the truth)."""

    code: dict[int, str]
    parent: dict[int, int | None]
    children: dict[int | None, list[int]]
    preorder: list[int]  # depth first, children by code
    chain: dict[int, tuple[int, ...]]  # the location and all its ancestors
    setting: dict[int, str]  # the own setting, else the nearest ancestor's, else "unknown"

    @classmethod
    def load(cls) -> Tree:
        code: dict[int, str] = {}
        parent: dict[int, int | None] = {}
        own_setting: dict[int, str] = {}
        children: dict[int | None, list[int]] = defaultdict(list)
        for pk, parent_id, location_code, location_setting in Location.objects.order_by("code").values_list(
            "pk", "parent_id", "code", "setting"
        ):
            code[pk] = location_code
            parent[pk] = parent_id
            own_setting[pk] = location_setting
            children[parent_id].append(pk)
        preorder: list[int] = []
        chain: dict[int, tuple[int, ...]] = {}
        setting: dict[int, str] = {}
        empty: tuple[int, ...] = ()
        stack = [(pk, empty, UNKNOWN) for pk in reversed(children[None])]
        while stack:
            pk, ancestors, inherited = stack.pop()
            preorder.append(pk)
            chain[pk] = (pk, *ancestors)
            setting[pk] = own_setting[pk] or inherited
            stack.extend((child, chain[pk], setting[pk]) for child in reversed(children.get(pk, [])))
        return cls(
            code=code, parent=parent, children=children, preorder=preorder, chain=chain, setting=setting
        )

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
class Workforce:
    """Counted workers per location (rolled up): in all, per group of the split, per sex, and for each
    attribute share asked for (``having``: the attribute's id of ``WORKER_SETS``, e.g. ``licensed``) the
    workers who have the attribute, in all and per group of the split."""

    total: dict[int, int]
    groups: dict[int, dict[Group, int]]
    by_sex: dict[int, dict[str, int]]
    having: dict[str, dict[int, int]]
    having_groups: dict[str, dict[int, dict[Group, int]]]


def table_name(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def ended_case(alias: str) -> str:
    """0 when the assignment is still active on the reference date, else 1."""
    return f"CASE WHEN {alias}.end_date IS NULL OR {alias}.end_date >= %(reference_date)s THEN 0 ELSE 1 END"


# The reference assignment rule as a sort order within one worker's candidate assignments (the first
# row wins), and the candidates: child protection assignments overlapping the year.
REFERENCE_ORDER = f"a.start_date DESC, {ended_case('a')}, a.fte DESC, a.id"


def candidates_condition(alias: str) -> str:
    return (
        f"{alias}.child_protection AND {alias}.start_date <= %(reference_date)s "
        f"AND ({alias}.end_date IS NULL OR {alias}.end_date >= %(first_day)s)"
    )


def reference_assignments_sql(*, columns: Sequence[str], scope: Sequence[int] = (), workers: str = "") -> str:
    """SQL giving one row per worker of the workforce: ``columns`` (``alias.column`` over assignment
    ``a`` and worker ``w``, each named after its column) of the worker's reference assignment. Named
    parameters: see ``reference_parameters``.

    With ``workers`` (SQL of a set of worker ids, one column), only those workers' reference rows are
    given (the supervisors, the workers with a caseload: ``sswis.indicators.support``); each is still
    picked among all their own assignments, so the rows are exactly those of the whole query for them.

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
    assignment, worker = table_name(Assignment), table_name(Worker)
    # The worker is joined only when a column of theirs is asked for (the education level): their sex
    # is copied onto the assignment (``Assignment.worker_sex``).
    joined = f"JOIN {worker} w ON w.id = a.worker_id" if any(c.startswith("w.") for c in columns) else ""
    where = candidates_condition("a")
    if scope:
        where += (
            f" AND a.worker_id IN (SELECT s.worker_id FROM {assignment} s WHERE {candidates_condition('s')} "
            f"AND s.location_id IN ({placeholders('location', len(scope))}))"
        )
    if workers:
        where += f" AND a.worker_id IN ({workers})"
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
            f"AND {candidates_condition('b')} AND (b.start_date, {ended_case('a')}, b.fte, a.id) > "
            f"(a.start_date, {ended_case('b')}, a.fte, b.id))"
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
        **numbered("location", scope),
    }


def placeholders(name: str, count: int) -> str:
    return ", ".join(f"%({name}_{index})s" for index in range(count))


def numbered(name: str, values: Sequence[int]) -> dict[str, int]:
    return {f"{name}_{index}": value for index, value in enumerate(values)}


# What each dimension is read from. The database groups by these raw values (integers and short
# codes, no joins: a join of every counted worker with the cadres or organisations costs more than
# the whole roll-up); Python then maps the few aggregated raw values to the contract's groups. The
# setting is read from the reference location, which every query groups by anyway. ``a.``/``w.`` are
# columns of the reference rows; a dimension of ``WORKER_SETS`` is whether the worker is in a set of
# worker ids joined to them.
RAW_COLUMN = {
    "cadre": "a.cadre_id",
    "category": "a.cadre_id",
    "employer": "a.organisation_id",
    "paid": "a.paid",
    "sex": "a.worker_sex",
    "education": "w.education_level",
    "sector": "a.organisation_id",
    "setting": "a.location_id",
    "licensed": "licensed.worker_id IS NOT NULL",
    "certified": "certified.worker_id IS NOT NULL",
}
assert set(RAW_COLUMN) == set(DIMENSIONS)


def attribute_column(attribute: str) -> str:
    """The raw column of an attribute of ``WORKER_SETS``: whether the worker is in its set."""
    return f"{attribute}.worker_id IS NOT NULL"


# Attributes of the worker on the reference date kept by another domain, each as the SQL of the set of
# worker ids that have it (``%(reference_date)s``), LEFT JOINed to the reference rows under the
# dimension's id only when the dimension is asked for, as a split or through its share: one pass over
# the set (a few rows per worker holding the attribute), never a lookup per counted worker: ``licensed``
# from the regulation domain, ``certified`` from the training domain, ``supervised`` from the support
# domain (an attribute of ``support.supervised_share`` only, not a dimension: the contract offers no
# split by it).
WORKER_SETS: dict[str, Callable[[], str]] = {
    "licensed": lambda: licensed_workers_sql(day="%(reference_date)s"),
    "certified": lambda: certified_workers_sql(day="%(reference_date)s"),
    "supervised": lambda: supervised_workers_sql(day="%(reference_date)s"),
}
assert all(RAW_COLUMN[d] == attribute_column(d) for d in WORKER_SETS if d in DIMENSIONS)
_SEX_GROUPS = {Sex.FEMALE.value, Sex.MALE.value, Sex.OTHER.value}
_EDUCATION_GROUPS = {
    **{str(level): "post_secondary" for level in POST_SECONDARY_LEVELS},
    **{str(level): "no_post_secondary" for level in NO_POST_SECONDARY_LEVELS},
}


def sex_group(raw: Any) -> str:
    return raw if raw in _SEX_GROUPS else Sex.UNKNOWN.value


class Lookups:
    """The small reference tables the raw values are mapped through, each read at most once per call."""

    def __init__(self, *, tree: Tree) -> None:
        self.tree = tree

    @cached_property
    def cadres(self) -> dict[int, tuple[str, str]]:
        return {
            pk: (code, category) for pk, code, category in Cadre.objects.values_list("pk", "code", "category")
        }

    @cached_property
    def organisations(self) -> dict[int, tuple[bool, str]]:
        """Per organisation: whether it is governmental, and its sector code (``unknown`` when blank)."""
        return {
            pk: (kind == OrganisationType.GOVERNMENT.value, sector or UNKNOWN)
            for pk, kind, sector in Organisation.objects.values_list("pk", "type", "sector")
        }

    def mapper(self, dimension: str) -> Callable[[Any], str]:
        """A function from the dimension's raw database value to the contract's group code."""
        if dimension == "cadre":
            return lambda raw: self.cadres[raw][0]
        if dimension == "category":
            return lambda raw: self.cadres[raw][1]
        if dimension == "employer":
            return lambda raw: "government" if self.organisations[raw][0] else "non_government"
        if dimension == "sector":
            return lambda raw: self.organisations[raw][1]
        if dimension == "setting":
            return lambda raw: self.tree.setting[raw]
        if dimension == "paid":
            return lambda raw: "paid" if raw else "unpaid"
        if dimension == "sex":
            return sex_group
        if dimension in WORKER_SETS:  # in the set: the first group (licensed, certified), else the second
            having, lacking = DIMENSIONS[dimension].group_codes
            return lambda raw: having if raw else lacking
        assert dimension == "education"
        return lambda raw: _EDUCATION_GROUPS.get(raw, UNKNOWN)


def raw_columns_of(dimensions: Sequence[str], attributes: Sequence[str] = ()) -> list[str]:
    """The raw columns a workforce query groups by: the reference location first, the sex second (the
    female share needs it whatever the split), then those of ``dimensions`` and of ``attributes`` (the
    attributes of the shares asked for, ``WORKER_SETS``) not already there."""
    return list(
        dict.fromkeys(
            [
                "a.location_id",
                "a.worker_sex",
                *(RAW_COLUMN[d] for d in dimensions),
                *(attribute_column(a) for a in attributes),
            ]
        )
    )


# The pick sorts every candidate assignment of the year (about 80 bytes each: 12 MB at 200,000 workers,
# 60 MB at 1,000,000). With PostgreSQL's default 4 MB of work_mem that sort spills to temporary files;
# in memory it is 10-20% faster and steadier (bench/indicators.py). For this one query's transaction
# only (within an enclosing transaction, until that one ends).
SORT_MEMORY = "SET LOCAL work_mem = '96MB'"


class WorkforceCounter:
    """Adds up aggregated rows ``(location_id, sex, *raw values, count)`` of one year into a ``Workforce``,
    naming each raw combination once (not once per location), then rolls it up the tree.

    ``attributes``: the attributes of the shares asked for (``licensed``, ``certified``, ``supervised``:
    ``WORKER_SETS``); each worker in the attribute's set is also added to ``having`` (per location and per
    group of the split)."""

    def __init__(
        self,
        *,
        tree: Tree,
        dimensions: tuple[str, ...],
        lookups: Lookups,
        attributes: tuple[str, ...] = (),
    ) -> None:
        columns = raw_columns_of(dimensions, attributes)
        self.tree = tree
        self.attributes = attributes
        self.value_at = [columns.index(RAW_COLUMN[dimension]) for dimension in dimensions]
        self.mappers = [lookups.mapper(dimension) for dimension in dimensions]
        self.attribute_at = [columns.index(attribute_column(attribute)) for attribute in attributes]
        # raw values -> (sex group, group, the attributes the worker has)
        self.named: dict[tuple[Any, ...], tuple[str, Group, tuple[str, ...]]] = {}
        self.total: dict[int, int] = defaultdict(int)
        self.groups: dict[int, dict[Group, int]] = defaultdict(lambda: defaultdict(int))
        self.by_sex: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.having: dict[str, dict[int, int]] = {a: defaultdict(int) for a in attributes}
        self.having_groups: dict[str, dict[int, dict[Group, int]]] = {
            a: defaultdict(lambda: defaultdict(int)) for a in attributes
        }

    def add(self, raw: Sequence[Any], count: int) -> None:
        """``raw``: the values of ``raw_columns_of(dimensions, attributes)``, location first."""
        key = tuple(raw)
        named = self.named.get(key)
        if named is None:
            named = self.named[key] = (
                sex_group(raw[1]),
                tuple(mapper(raw[at]) for mapper, at in zip(self.mappers, self.value_at, strict=True)),
                tuple(
                    attribute
                    for attribute, at in zip(self.attributes, self.attribute_at, strict=True)
                    if raw[at]  # in the attribute's set
                ),
            )
        sex, group, has = named
        location_id = raw[0]
        self.total[location_id] += count
        self.by_sex[location_id][sex] += count
        if group:
            self.groups[location_id][group] += count
        for attribute in has:
            self.having[attribute][location_id] += count
            if group:
                self.having_groups[attribute][location_id][group] += count

    def rolled_up(self) -> Workforce:
        # A worker counts at the reference location and at every ancestor of it: add each location's
        # counts to its parent's, children before their parent (a few thousand locations at most).
        total, groups, by_sex = self.total, self.groups, self.by_sex
        for pk in reversed(self.tree.preorder):
            parent = self.tree.parent[pk]
            if parent is None:
                continue
            if pk in total:
                total[parent] += total[pk]
            for sex, count in by_sex.get(pk, {}).items():
                by_sex[parent][sex] += count
            for group, count in groups.get(pk, {}).items():
                groups[parent][group] += count
            for attribute in self.attributes:
                having = self.having[attribute]
                if pk in having:
                    having[parent] += having[pk]
                for group, count in self.having_groups[attribute].get(pk, {}).items():
                    self.having_groups[attribute][parent][group] += count
        return Workforce(
            total=total,
            groups=groups,
            by_sex=by_sex,
            having=self.having,
            having_groups=self.having_groups,
        )


def workforce_sql(*, dimensions: Sequence[str], attributes: Sequence[str] = (), scope: Sequence[int]) -> str:
    """The aggregate query of ``workforce_rolled_up``: one row per combination of the raw columns
    (``raw_columns_of``) with its number of counted workers. The sets of ``WORKER_SETS`` that a column
    needs are LEFT JOINed to the reference rows by worker; without them the query is exactly the one it
    was before any existed (nothing is joined, the worker id is not even selected)."""
    columns = raw_columns_of(dimensions, attributes)
    joined = [attribute for attribute in WORKER_SETS if attribute_column(attribute) in columns]
    reference_columns = [c for c in columns if c.startswith(("a.", "w."))]
    if joined:
        reference_columns.append("a.worker_id")
    reference = reference_assignments_sql(columns=reference_columns, scope=scope)
    selected = ", ".join(
        f"r.{column.split('.')[1]}" if column.startswith(("a.", "w.")) else column for column in columns
    )
    joins = "".join(
        f" LEFT JOIN ({WORKER_SETS[dimension]()}) {dimension} ON {dimension}.worker_id = r.worker_id"
        for dimension in joined
    )
    positions = ", ".join(str(position) for position in range(1, len(columns) + 1))
    return f"SELECT {selected}, COUNT(*) FROM ({reference}) r{joins} GROUP BY {positions}"


def workforce_rolled_up(
    *,
    tree: Tree,
    period: ReferencePeriod,
    dimensions: tuple[str, ...],
    lookups: Lookups,
    scope: Sequence[int],
    attributes: tuple[str, ...] = (),
) -> Workforce:
    """Counts of the workforce per location (rolled up), per group and per sex, and of the workers with
    each of ``attributes`` (those of the shares asked for, ``WORKER_SETS``), from one query."""
    sql = workforce_sql(dimensions=dimensions, attributes=attributes, scope=scope)
    counter = WorkforceCounter(tree=tree, dimensions=dimensions, lookups=lookups, attributes=attributes)
    for *raw, count in aggregate_rows(sql=sql, parameters=reference_parameters(period, scope=scope)):
        counter.add(raw, count)
    return counter.rolled_up()


def aggregate_rows(
    *, sql: str, parameters: dict[str, Any], postgresql_settings: Sequence[str] = ()
) -> list[tuple[Any, ...]]:
    """The rows of an aggregate query over the reference assignments (``reference_assignments_sql``).

    On PostgreSQL the pick's sort gets its memory (``SORT_MEMORY``) and ``postgresql_settings`` (planner
    settings, ``"enable_hashjoin = off"``) hold for this query only: set locally in a transaction and
    reset after it, so that a caller's enclosing transaction is not left with them."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            return list(cursor.fetchall())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SORT_MEMORY)
        for setting in postgresql_settings:
            cursor.execute(f"SET LOCAL {setting}")
        cursor.execute(sql, parameters)
        rows = list(cursor.fetchall())
        for setting in postgresql_settings:
            cursor.execute(f"RESET {setting.split('=')[0].strip()}")
        return rows


# --- posts ----------------------------------------------------------------------------------------


@dataclass
class Posts:
    """Funded and vacant posts per location (rolled up), and per location and cadre code when asked."""

    funded: dict[int, int]
    vacant: dict[int, int]
    funded_by_cadre: dict[int, dict[str, int]]
    vacant_by_cadre: dict[int, dict[str, int]]


def posts_sql(*, scope: Sequence[int]) -> str:
    """Funded posts existing on ``%(day)s`` and the vacant ones, per location and cadre id."""
    # Any assignment fills a post, child protection or not: vacancy is about the establishment. The
    # filled posts are found in one pass over the assignments linked to a post (a join, not a
    # subquery per post, which costs 1.5-3 times more on both databases).
    return (
        "SELECT p.location_id, p.cadre_id, COUNT(*), COUNT(*) - COUNT(filled.post_id) "
        f"FROM {table_name(Post)} p LEFT JOIN ("
        f"SELECT DISTINCT a.post_id FROM {table_name(Assignment)} a WHERE a.post_id IS NOT NULL "
        "AND a.start_date <= %(day)s AND (a.end_date IS NULL OR a.end_date >= %(day)s)"
        ") filled ON filled.post_id = p.id "
        "WHERE p.funded AND (p.established_on IS NULL OR p.established_on <= %(day)s) "
        "AND (p.abolished_on IS NULL OR p.abolished_on > %(day)s) "
        + (f"AND p.location_id IN ({placeholders('location', len(scope))}) " if scope else "")
        + "GROUP BY 1, 2"
    )


def posts_rolled_up(
    *, tree: Tree, period: ReferencePeriod, by_cadre: bool, lookups: Lookups, scope: Sequence[int]
) -> Posts:
    """Funded posts existing on the reference date and the vacant ones, per location (rolled up), and
    with ``by_cadre`` also per cadre of the post (both parts: the contract's vacancy rate by cadre)."""
    cadre_code = lookups.mapper("cadre") if by_cadre else None
    funded: dict[int, int] = defaultdict(int)
    vacant: dict[int, int] = defaultdict(int)
    funded_by_cadre: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    vacant_by_cadre: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with connection.cursor() as cursor:
        cursor.execute(posts_sql(scope=scope), {"day": period.reference_date, **numbered("location", scope)})
        for location_id, cadre_id, posts, vacancies in cursor.fetchall():
            cadre = cadre_code(cadre_id) if cadre_code is not None else ""
            for pk in tree.chain[location_id]:
                funded[pk] += posts
                vacant[pk] += vacancies
                if cadre_code is not None:
                    funded_by_cadre[pk][cadre] += posts
                    vacant_by_cadre[pk][cadre] += vacancies
    return Posts(
        funded=funded, vacant=vacant, funded_by_cadre=funded_by_cadre, vacant_by_cadre=vacant_by_cadre
    )


# --- population -----------------------------------------------------------------------------------


def child_population(*, tree: Tree, year: int) -> dict[int, int]:
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
