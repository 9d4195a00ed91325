"""Competency gaps of the counted workforce, the workers who lack a required competency, and the
training needs a ministry plans courses from. Docs: ``docs/training.md``, "Competency frameworks, gaps
and training needs".

Definitions, for a year Y (reference date 31 December Y), a location L and a cadre K:

* the **counted workers** are those of the indicators' ``workforce.count`` (contract ``indicators.md``):
  each worker once, through their reference assignment of Y, at that assignment's location and cadre,
  and so at L when that location is L or below it. The indicators' own SQL picks them
  (``indicators.computation.reference_assignments_sql``): the gaps add up exactly as the workforce does;
* for each competency K's framework requires at a level, **having** counts the counted workers of K at
  L whose level on the reference date (the highest a completion of a programme building it, or an
  assessment, on or before that day gives them: ``selectors_competencies``) is that level or above; **lacking** the others; **share** = having /
  counted.

:func:`competency_gaps` computes them for every location (or L's subtree) and every cadre with a
framework from ONE aggregate query (:func:`gaps_sql`: the reference pick, the completions, what the
programmes build, the assessments and the requirements joined in the database, counted per reference
location and cadre); only those counts come back to Python, where they are added up the location tree
(a location counts everything below it). No worker row is loaded.

Small cells (:func:`gaps_for_reader`): a reader who may not see every figure of a location
(``access.policy.sees_every_figure``: analysts, system administrators, registrars, institution and
organisation focal points everywhere; subnational officers outside their area) gets a line's having,
lacking and share withheld (``None``) when having or lacking is 1 to k-1 (``SSWIS_SMALL_CELL_MIN``), as
the indicators' attribute shares are; and when only one location of a parent's children is withheld for
a cadre and competency, the smallest other one of them too, so that the parent's figure minus the others'
does not give it back. The counted workers of a location and cadre are never withheld (the indicators
show them).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat

from sswis.access import policy
from sswis.access.training_policy import require_catalogue_read, require_missing_workers_read
from sswis.geo.models import Location
from sswis.indicators.computation import (
    Tree,
    aggregate_rows,
    reference_assignments_sql,
    reference_parameters,
)
from sswis.indicators.counted import reference_assignment_ids
from sswis.indicators.definitions import reference_period
from sswis.indicators.disclosure import small_cell_minimum
from sswis.registry.models import Assignment, Cadre, Worker
from sswis.surveys.models import PerceptionResponse
from sswis.surveys.selectors import MINIMUM_RESPONDENTS
from sswis.training.models import Completion
from sswis.training.models_competencies import CompetencyAssessment, ProgrammeCompetency, RequiredCompetency


@dataclass(frozen=True)
class Requirement:
    """A competency a cadre's framework requires (ordered as the framework shows it)."""

    cadre_id: int
    cadre: str
    area: str
    competency_id: int
    competency: str
    name: str
    level: int
    survey_topic: str


@dataclass(frozen=True)
class GapRow:
    """One line of the gaps: at ``location``, of ``cadre``'s counted workers, how many have
    ``competency`` at ``level`` or above. ``having`` is ``None`` when withheld."""

    year: int
    location: str
    cadre: str
    area: str
    competency: str
    name: str
    level: int
    counted: int
    having: int | None
    withheld: bool = False

    @property
    def lacking(self) -> int | None:
        return None if self.having is None else self.counted - self.having

    @property
    def share(self) -> float | None:
        return None if self.having is None or not self.counted else self.having / self.counted

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "location": self.location,
            "cadre": self.cadre,
            "area": self.area,
            "competency": self.competency,
            "name": self.name,
            "level_required": self.level,
            "counted": self.counted,
            "having": self.having,
            "lacking": self.lacking,
            "share": None if self.share is None else round(self.share, 4),
            "withheld": self.withheld,
        }


GAP_COLUMNS = (
    "year",
    "location",
    "cadre",
    "area",
    "competency",
    "name",
    "level_required",
    "counted",
    "having",
    "lacking",
    "share",
    "withheld",
)


def requirements_of(*, cadre: Cadre | None = None) -> list[Requirement]:
    """Every requirement of every framework (or of ``cadre``'s), by cadre code then as the framework
    orders them. One query."""
    rows = RequiredCompetency.objects.order_by(
        "area__framework__cadre__code", "area__position", "area__code", "position", "competency__code"
    )
    if cadre is not None:
        rows = rows.filter(area__framework__cadre=cadre)
    return [
        Requirement(*values)
        for values in rows.values_list(
            "area__framework__cadre_id",
            "area__framework__cadre__code",
            "area__code",
            "competency_id",
            "competency__code",
            "competency__name",
            "level",
            "competency__survey_topic",
        )
    ]


BITS = 62
"""Bits per mask column: what a worker holds is a set of bits of ``bigint`` masks (62 a column, so that
every bit is a positive power of two on every database)."""


def held_pairs(requirements: list[Requirement]) -> list[tuple[int, int]]:
    """The distinct ``(competency id, level)`` of ``requirements``: bit ``i`` of a worker's mask says that
    they hold pair ``i``'s competency at its level or above."""
    return sorted({(requirement.competency_id, requirement.level) for requirement in requirements})


def gaps_sql(*, requirements: list[Requirement], scope: list[int]) -> tuple[str, dict[str, Any]]:
    """The one aggregate query of :func:`competency_gaps` and its parameters besides the reference
    period's: one row per reference location and cadre with a framework, ``(location_id, cadre_id,
    counted, holding_0, holding_1, ...)``, where ``holding_i`` counts the counted workers who hold pair
    ``i`` of :func:`held_pairs` (a competency at a level or above) if their cadre requires it, and is 0 for
    a cadre that does not.

    How: the pairs are a small table of parameters, each with its bit. Every completion on or before the
    reference date gives its worker the bits of what its programme builds (a mask per programme, computed
    from the few programme competencies), every assessment the bits of its competency up to its level;
    they are folded into one mask per worker (a bitwise OR, so several sources of one pair count once),
    without reading the counted workers: this part reads the completions alone (in parallel where the
    database can). The counted workers (the indicators' reference pick) are then LEFT JOINed to their
    mask, cut to the bits of their cadre's requirements, and counted per location, cadre and cut mask;
    the bits are added up over those groups. Each counted worker is read once.
    """
    pairs = held_pairs(requirements)
    columns = range((len(pairs) + BITS - 1) // BITS)
    parameters: dict[str, Any] = {}
    values: list[str] = []
    for number, (competency_id, level) in enumerate(pairs):
        values.append(f"(%(p{number}_k)s, %(p{number}_l)s, %(p{number}_c)s, %(p{number}_w)s)")
        parameters.update(
            {
                f"p{number}_k": competency_id,
                f"p{number}_l": level,
                f"p{number}_c": number // BITS,
                f"p{number}_w": 1 << (number % BITS),
            }
        )
    completion, built, assessment = (
        _table(Completion),
        _table(ProgrammeCompetency),
        _table(CompetencyAssessment),
    )
    # Inline, not a WITH: a CTE scan would keep PostgreSQL from reading the completions in parallel.
    pairs_table = f"(VALUES {', '.join(values)}) p (competency_id, level, part, weight)"
    if connection.vendor == "sqlite":
        pairs_table = (
            "(SELECT column1 AS competency_id, column2 AS level, column3 AS part, column4 AS weight "
            f"FROM (VALUES {', '.join(values)})) p"
        )
    bits = ", ".join(
        f"CASE WHEN p.part = {column} THEN p.weight ELSE 0 END AS m{column}" for column in columns
    )
    if connection.vendor == "postgresql":
        # Masks per programme first (a few hundred rows), then one row per completion carrying them.
        per_programme = ", ".join(
            f"bit_or(CASE WHEN p.part = {column} THEN p.weight ELSE 0 END) AS m{column}" for column in columns
        )
        sources = (
            f"SELECT c.worker_id, {', '.join(f'pm.m{column} AS m{column}' for column in columns)} FROM {completion} c "
            f"JOIN (SELECT b.programme_id, {per_programme} FROM {built} b JOIN {pairs_table} "
            "ON p.competency_id = b.competency_id AND b.level >= p.level GROUP BY b.programme_id) pm "
            "ON pm.programme_id = c.programme_id WHERE c.completed_on <= %(reference_date)s"
        )
        fold = "bit_or({})"
    else:
        # SQLite has no bit_or; the sum of distinct powers of two is their OR, so one bit a row.
        sources = (
            f"SELECT c.worker_id, {bits} FROM {completion} c JOIN {built} b ON b.programme_id = c.programme_id "
            f"JOIN {pairs_table} ON p.competency_id = b.competency_id AND b.level >= p.level "
            "WHERE c.completed_on <= %(reference_date)s"
        )
        fold = "SUM(DISTINCT {})"
    assessed = (
        f"SELECT s.worker_id, {bits} FROM {assessment} s JOIN {pairs_table} ON p.competency_id = s.competency_id AND s.level >= p.level "
        "WHERE s.assessed_on <= %(reference_date)s"
    )
    masks = ", ".join(f"{fold.format(f'w.m{column}')} AS m{column}" for column in columns)
    cadres = sorted({requirement.cadre_id for requirement in requirements})
    parameters.update({f"cadre_{index}": cadre_id for index, cadre_id in enumerate(cadres)})
    # Each counted worker's mask is cut to the bits their cadre requires, and the workers are counted per
    # location, cadre and cut mask first (a plain COUNT: a few distinct masks per location and cadre, 75,000
    # rows at 1,000,000 workers); the bits are added up over those groups only, not worker by worker (one
    # expression per bit over every counted worker cost more than the rest of the query).
    required_bits = [dict.fromkeys(cadres, 0) for _ in columns]
    bit_of = {pair: bit for bit, pair in enumerate(pairs)}
    for requirement in requirements:
        bit = bit_of[(requirement.competency_id, requirement.level)]
        required_bits[bit // BITS][requirement.cadre_id] |= 1 << (bit % BITS)
    for column in columns:
        parameters.update(
            {f"c{column}_{index}": required_bits[column][cadre_id] for index, cadre_id in enumerate(cadres)}
        )
    cut = ", ".join(
        f"COALESCE(h.m{column}, 0) & CASE r.cadre_id "
        + " ".join(f"WHEN %(cadre_{index})s THEN %(c{column}_{index})s" for index in range(len(cadres)))
        + f" ELSE 0 END AS m{column}"
        for column in columns
    )
    holding = ", ".join(f"SUM(((g.m{bit // BITS} >> {bit % BITS}) & 1) * g.n)" for bit in range(len(pairs)))
    reference = reference_assignments_sql(columns=["a.worker_id", "a.location_id", "a.cadre_id"], scope=scope)
    grouped = ", ".join(f"m{column}" for column in columns)
    sql = (
        f"WITH held AS (SELECT w.worker_id, {masks} FROM ({sources} UNION ALL {assessed}) w "
        "GROUP BY w.worker_id) "
        f"SELECT g.location_id, g.cadre_id, SUM(g.n), {holding} FROM ("
        f"SELECT c.location_id, c.cadre_id, {grouped}, COUNT(*) AS n FROM ("
        f"SELECT r.location_id, r.cadre_id, {cut} FROM ({reference}) r "
        "LEFT JOIN held h ON h.worker_id = r.worker_id "
        f"WHERE r.cadre_id IN ({', '.join(f'%(cadre_{index})s' for index in range(len(cadres)))})) c "
        f"GROUP BY c.location_id, c.cadre_id, {grouped}) g "
        "GROUP BY g.location_id, g.cadre_id"
    )
    return sql, parameters


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def competency_gaps(
    *,
    year: int,
    location: Location | None = None,
    level: str | None = None,
    cadre: Cadre | None = None,
    depth: int | None = None,
) -> list[GapRow]:
    """The gaps of ``year`` (module docstring) for every location, or ``location`` and everything below
    it (with ``depth``, at most that many levels below it); with ``level`` (a location level label, e.g.
    ``"district"``) only the locations of that level; with ``cadre`` only that cadre. Every figure;
    nothing withheld (see :func:`gaps_for_reader`).

    Rows come location by location (depth first, children by code), then by cadre code, then in the
    framework's order. A location and cadre without counted workers has no rows. Three queries (four
    with ``level``): the location tree, the requirements and the aggregate (:func:`gaps_sql`).

    Raises ``ValueError`` for a year the indicators refuse.
    """
    period = reference_period(year=year)
    requirements = requirements_of(cadre=cadre)
    if not requirements:
        return []
    tree = Tree.load()
    scope: list[int] = []
    if location is not None and tree.parent.get(location.pk) is not None:
        scope = tree.selected(root=location.pk, depth=None)
    by_cadre: dict[int, list[Requirement]] = defaultdict(list)
    for requirement in requirements:
        by_cadre[requirement.cadre_id].append(requirement)
    sql, parameters = gaps_sql(requirements=requirements, scope=scope)
    bit_of = {pair: bit for bit, pair in enumerate(held_pairs(requirements))}
    counted: dict[tuple[int, int], int] = defaultdict(int)
    having: dict[tuple[int, int], list[int]] = {}
    for location_id, cadre_id, count, *holding in aggregate_rows(
        sql=sql, parameters={**reference_parameters(period, scope=scope), **parameters}
    ):
        required = by_cadre[cadre_id]
        met = [int(holding[bit_of[(item.competency_id, item.level)]] or 0) for item in required]
        for place in tree.chain[location_id]:  # the location and every ancestor
            counted[(place, cadre_id)] += int(count)  # a SUM: numeric on PostgreSQL
            sums = having.setdefault((place, cadre_id), [0] * len(required))
            for position, value in enumerate(met):
                sums[position] += value
    selected = tree.selected(root=location.pk if location is not None else None, depth=depth)
    if level is not None:
        labelled = set(Location.objects.filter(level=level).values_list("pk", flat=True))
        selected = [pk for pk in selected if pk in labelled]
    rows: list[GapRow] = []
    for place in selected:
        for cadre_id, required in by_cadre.items():
            workers = counted.get((place, cadre_id), 0)
            if not workers:
                continue
            rows.extend(
                GapRow(
                    year=period.year,
                    location=tree.code[place],
                    cadre=requirement.cadre,
                    area=requirement.area,
                    competency=requirement.competency,
                    name=requirement.name,
                    level=requirement.level,
                    counted=workers,
                    having=having[(place, cadre_id)][position],
                )
                for position, requirement in enumerate(required)
            )
    return rows


# --- small cells ----------------------------------------------------------------------------------------


def gaps_small_cells_withheld(
    *, rows: list[GapRow], minimum: int, shown_in_full: set[str], parents: dict[str, str | None]
) -> list[GapRow]:
    """``rows`` with the small cells withheld (module docstring) at the locations not in
    ``shown_in_full``; ``parents`` gives each location code's parent code (``None`` for the root)."""
    if minimum <= 1:
        return rows

    def small(row: GapRow) -> bool:
        lacking = row.counted - (row.having or 0)
        return 1 <= (row.having or 0) < minimum or 1 <= lacking < minimum

    hidden = [index for index, row in enumerate(rows) if row.location not in shown_in_full]
    withheld = {index for index in hidden if small(rows[index])}
    siblings: dict[tuple[str | None, str, str], list[int]] = defaultdict(list)
    for index in hidden:
        row = rows[index]
        siblings[(parents.get(row.location), row.cadre, row.competency)].append(index)
    for key, members in siblings.items():
        if key[0] is None:
            continue
        alone = [index for index in members if index in withheld]
        if len(alone) == 1:
            others = sorted((rows[index].having or 0, index) for index in members if index not in withheld)
            if others:
                withheld.add(others[0][1])
    return [
        replace(row, having=None, withheld=True) if index in withheld else row
        for index, row in enumerate(rows)
    ]


def _shown_in_full(*, user: Any, codes: set[str]) -> set[str]:
    """The codes among ``codes`` whose figures ``user`` sees in full (``policy.sees_every_figure``)."""
    if policy.sees_every_figure(user=user):
        return codes
    places = Location.objects.filter(code__in=codes).only("pk", "code", "path", "parent_id")
    return {place.code for place in places if policy.sees_every_figure(user=user, location=place)}


def _parents() -> dict[str, str | None]:
    return dict(Location.objects.values_list("code", "parent__code"))


def gaps_for_reader(
    *,
    user: Any,
    year: int,
    location: Location | None = None,
    level: str | None = None,
    cadre: Cadre | None = None,
    depth: int | None = None,
) -> list[GapRow]:
    """:func:`competency_gaps` as ``user`` may see them: small cells withheld at the locations whose
    figures they may not all see. What is withheld is decided over every location of the country, then
    the rows asked for are picked, so that a line withheld on one page (by the complementary rule) is
    withheld on every page. ``PermissionDenied`` for outsiders and workers' own logins."""
    require_catalogue_read(user=user)
    if policy.sees_every_figure(user=user):
        return competency_gaps(year=year, location=location, level=level, cadre=cadre, depth=depth)
    rows = competency_gaps(year=year, cadre=cadre)
    codes = {row.location for row in rows}
    shown = _shown_in_full(user=user, codes=codes)
    rows = gaps_small_cells_withheld(
        rows=rows, minimum=small_cell_minimum(), shown_in_full=shown, parents=_parents()
    )
    if location is None and level is None and depth is None:
        return rows
    places = Location.objects.all()
    if location is not None:
        places = places.filter(path__startswith=location.path)
        if depth is not None:
            places = places.filter(depth__lte=location.depth + depth)
    elif depth is not None:
        places = places.filter(depth__lte=depth)
    if level is not None:
        places = places.filter(level=level)
    picked = set(places.values_list("code", flat=True))
    return [row for row in rows if row.location in picked]


# --- the workers who lack a competency -----------------------------------------------------------------


def _has(requirement: Requirement, day: datetime.date) -> Q:
    completed = Completion.objects.filter(
        worker_id=OuterRef("pk"),
        completed_on__lte=day,
        programme__competencies_built__competency_id=requirement.competency_id,
        programme__competencies_built__level__gte=requirement.level,
    )
    assessed = CompetencyAssessment.objects.filter(
        worker_id=OuterRef("pk"),
        competency_id=requirement.competency_id,
        level__gte=requirement.level,
        assessed_on__lte=day,
    )
    return Q(Exists(completed)) | Q(Exists(assessed))


def workers_missing(
    *,
    user: Any,
    year: int,
    location: Location,
    cadre: Cadre,
    competency: str = "",
) -> tuple[QuerySet[Worker], list[Requirement]]:
    """The counted workers of ``cadre`` at ``location`` (and below) in ``year`` who lack a competency the
    cadre's framework requires (only ``competency``, a code, when given), among those ``user`` sees as
    persons (``policy.workers_visible``), by family name, given name and worker ID; and the requirements
    looked at. ``PermissionDenied`` for readers of aggregates only and for a subnational officer outside
    their area (``require_missing_workers_read``); ``ValueError`` for a year the indicators refuse."""
    require_missing_workers_read(user=user, location=location)
    day = reference_period(year=year).reference_date
    requirements = [
        requirement
        for requirement in requirements_of(cadre=cadre)
        if not competency or requirement.competency == competency
    ]
    if not requirements:
        return Worker.objects.none(), []
    counted = Assignment.objects.filter(
        Q(pk__in=reference_assignment_ids(year=year)),
        cadre=cadre,
        location__path__startswith=location.path,
    )
    lacking = Q()
    for requirement in requirements:
        lacking |= ~_has(requirement, day)
    workers = policy.workers_visible(
        user=user, queryset=Worker.objects.filter(pk__in=counted.values("worker_id"))
    )
    return workers.filter(lacking).order_by("family_name", "given_name", "worker_id"), requirements


@dataclass(frozen=True)
class Lacking:
    competency: str
    name: str
    required: int
    held: int


def levels_held(*, worker_ids: list[int], day: datetime.date) -> dict[tuple[int, int], int]:
    """``(worker id, competency id) -> level`` on ``day`` of the ``worker_ids`` (a page of a list): two
    queries."""
    levels: dict[tuple[int, int], int] = {}
    completed = (
        Completion.objects.filter(worker_id__in=worker_ids, completed_on__lte=day)
        .filter(programme__competencies_built__isnull=False)
        .values_list(
            "worker_id",
            "programme__competencies_built__competency_id",
            "programme__competencies_built__level",
        )
    )
    assessed = CompetencyAssessment.objects.filter(
        worker_id__in=worker_ids, assessed_on__lte=day
    ).values_list("worker_id", "competency_id", "level")
    for worker_id, competency_id, level in [*completed, *assessed]:
        if competency_id is not None:
            levels[(worker_id, competency_id)] = max(level, levels.get((worker_id, competency_id), 0))
    return levels


def lacking_of(
    *, workers: list[Worker], requirements: list[Requirement], year: int
) -> dict[int, list[Lacking]]:
    """For each of ``workers`` (a page of :func:`workers_missing`), the requirements they do not meet on
    the reference date, with the level they hold (0: none). Two queries."""
    day = reference_period(year=year).reference_date
    levels = levels_held(worker_ids=[worker.pk for worker in workers], day=day)
    return {
        worker.pk: [
            Lacking(requirement.competency, requirement.name, requirement.level, held)
            for requirement in requirements
            if (held := levels.get((worker.pk, requirement.competency_id), 0)) < requirement.level
        ]
        for worker in workers
    }


# --- training needs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedRow:
    """A course to plan: at ``location``, ``lacking`` counted workers of ``cadre`` lack ``competency``;
    ``asked`` perception survey respondents there (the same year) said they need its training topic."""

    year: int
    location: str
    competency: str
    name: str
    cadre: str
    level: int
    counted: int
    lacking: int | None
    survey_topic: str
    asked: int | None
    withheld: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "location": self.location,
            "competency": self.competency,
            "name": self.name,
            "cadre": self.cadre,
            "level_required": self.level,
            "counted": self.counted,
            "lacking": self.lacking,
            "survey_topic": self.survey_topic,
            "survey_need": self.asked,
            "withheld": self.withheld,
        }


NEED_COLUMNS = (
    "year",
    "location",
    "competency",
    "name",
    "cadre",
    "level_required",
    "counted",
    "lacking",
    "survey_topic",
    "survey_need",
    "withheld",
)


def survey_needs(*, year: int, location: Location, withhold: bool) -> dict[str, int | None]:
    """Per training topic, the perception survey respondents at ``location`` and below, in the rounds
    starting in ``year``, who said they need that training (``training_needed``). With ``withhold``,
    every figure is ``None`` when the survey's results would be withheld there
    (``surveys.selectors.perception_summary``: fewer than five respondents in all, or a place within
    with one to four). One query."""
    from sswis.training.competencies import SURVEY_TOPICS

    padded = Concat(Value(" "), F("training_needed"), Value(" "), output_field=CharField())
    counts: dict[str, Any] = {"respondents": Count("pk")}
    for topic in SURVEY_TOPICS:
        counts[topic] = Count("pk", filter=Q(padded__contains=f" {topic} "))
    grouped: Any = (
        PerceptionResponse.objects.filter(
            survey_round__starts_on__year=year, location__path__startswith=location.path
        )
        .annotate(padded=padded)
        .values("location_id")
        .annotate(**counts)
        .order_by()
    )
    rows: list[dict[str, Any]] = list(grouped)
    respondents = sum(row["respondents"] for row in rows)
    if withhold and (
        respondents < MINIMUM_RESPONDENTS or any(0 < row["respondents"] < MINIMUM_RESPONDENTS for row in rows)
    ):
        return dict.fromkeys(SURVEY_TOPICS)
    return {topic: sum(row[topic] for row in rows) for topic in SURVEY_TOPICS}


def training_needs(
    *, user: Any, year: int, location: Location | None = None, cadre: Cadre | None = None
) -> list[NeedRow]:
    """The training needs at ``location`` (default: the country) in ``year``: one row per cadre and
    competency its framework requires, with the counted workers who lack it (as :func:`gaps_for_reader`
    gives them to ``user``: withheld small cells stay withheld) and, for a competency with a survey topic,
    the survey respondents there who asked for that training (withheld as the survey's results are, for a
    reader who may not see every figure of the location). Sorted by workers lacking (most first; withheld
    last), then competency and cadre code."""
    require_catalogue_read(user=user)
    place = location if location is not None else Location.objects.filter(parent__isnull=True).first()
    if place is None:
        return []
    topics = {
        requirement.competency: requirement.survey_topic for requirement in requirements_of(cadre=cadre)
    }
    gaps = gaps_for_reader(user=user, year=year, location=place, cadre=cadre, depth=1)
    gaps = [row for row in gaps if row.location == place.code]
    asked = survey_needs(
        year=year, location=place, withhold=not policy.sees_every_figure(user=user, location=place)
    )
    rows = [
        NeedRow(
            year=row.year,
            location=row.location,
            competency=row.competency,
            name=row.name,
            cadre=row.cadre,
            level=row.level,
            counted=row.counted,
            lacking=row.lacking,
            survey_topic=topics.get(row.competency, ""),
            asked=asked.get(topics.get(row.competency, "")) if topics.get(row.competency) else None,
            withheld=row.withheld,
        )
        for row in gaps
    ]
    rows.sort(key=lambda row: (row.lacking is None, -(row.lacking or 0), row.competency, row.cadre))
    return rows
