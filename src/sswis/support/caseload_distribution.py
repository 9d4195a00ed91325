"""The distribution of caseloads per location and cadre for a month and a kind. Docs: ``docs/support.md``,
"Caseloads".

Definitions, for a month M (of year Y) and a kind K:

* the workers looked at are those **having a caseload record of K for M**; each is **placed at their
  reference assignment of Y** (the indicators' pick: ``indicators.computation.reference_assignments_sql``,
  so a worker sits where ``workforce.count`` of Y counts them) at that assignment's location and cadre.
  A location counts everything below it (the tree roll-up of the indicators). A worker with a caseload
  but no reference assignment in Y (not in the child protection workforce that year) is placed nowhere:
  they are only counted in ``unplaced`` (whole-country figures only);
* per location and cadre: ``workers`` (with a caseload), ``mean`` (of their open cases), ``median`` (the
  middle value; for an even number of workers the mean of the two middle values), ``lower_quartile`` and
  ``upper_quartile`` by the **nearest rank**: the values sorted ascending, Q1 is the value at rank
  ceil(n / 4) and Q3 at rank ceil(3n / 4) (1-based; PostgreSQL's ``percentile_disc(0.25)`` and
  ``percentile_disc(0.75)``), ``maximum``; and against the cadre's norm of K (``CaseloadNorm``):
  ``over_norm`` (workers whose open cases exceed it) and ``over_norm_share`` (over_norm / workers). A cadre
  without a norm of K has ``norm``, ``over_norm`` and the share ``None``.

:func:`caseload_distribution` computes every location's figures from ONE aggregate query
(:func:`distribution_sql`): the workers with a caseload counted per (reference location, cadre, open
cases). Only those counts (a few per location, cadre and distinct value) come back to Python, where they are
added up the location tree and the statistics are read from each group's histogram. No worker row is
loaded into Python.

Small cells (:func:`distribution_for_reader`): a reader who may not see every figure of a location
(``access.policy.sees_every_figure``) gets, where a location and cadre has 1 to k-1 workers
(``indicators.disclosure.small_cell_minimum``), every statistic withheld (mean, median, quartiles,
maximum, over the norm; ``withheld``) and only the number of workers shown (counts per location and cadre
are public in the indicators). Where over_norm, or the workers not over it, are 1 to k-1, the over-norm
figures are withheld (``over_norm_withheld``), as the indicators' attribute shares are. When only one of a
parent's children is withheld for a cadre (either way), the smallest other child of that cadre is withheld
too, so that the parent's figures minus the others' do not give it back.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection

from sswis.access import policy
from sswis.access.support_policy import require_support_read
from sswis.geo.models import Location
from sswis.indicators.computation import Tree, aggregate_rows, reference_assignments_sql, reference_parameters
from sswis.indicators.definitions import reference_period
from sswis.indicators.disclosure import small_cell_minimum
from sswis.registry.models import Cadre
from sswis.support.models import CASELOAD_KIND_ALL, Caseload, CaseloadNorm

Histogram = Mapping[int, int]  # open cases -> workers with that many


@dataclass(frozen=True)
class Statistics:
    """What :func:`histogram_statistics` reads from one group's histogram."""

    workers: int
    mean: float | None
    median: float | None
    lower_quartile: int | None
    upper_quartile: int | None
    maximum: int | None
    over_norm: int | None


def _value_at_rank(ordered: list[tuple[int, int]], rank: int) -> int:
    """The ``rank``-th smallest value (1-based) of the histogram ``ordered`` (value, count) ascending."""
    seen = 0
    for value, count in ordered:
        seen += count
        if seen >= rank:
            return value
    raise ValueError(rank)


def histogram_statistics(counts: Histogram, *, norm: int | None) -> Statistics:
    """The statistics of the module docstring for the workers of ``counts`` (open cases -> workers);
    ``over_norm`` ``None`` without a norm. An empty histogram gives 0 workers and ``None`` everywhere."""
    ordered = sorted((value, count) for value, count in counts.items() if count)
    workers = sum(count for _value, count in ordered)
    if not workers:
        return Statistics(0, None, None, None, None, None, None)
    total = sum(value * count for value, count in ordered)
    if workers % 2:
        median = float(_value_at_rank(ordered, (workers + 1) // 2))
    else:
        median = (_value_at_rank(ordered, workers // 2) + _value_at_rank(ordered, workers // 2 + 1)) / 2
    over = None if norm is None else sum(count for value, count in ordered if value > norm)
    return Statistics(
        workers=workers,
        mean=total / workers,
        median=median,
        lower_quartile=_value_at_rank(ordered, (workers + 3) // 4),  # ceil(n / 4)
        upper_quartile=_value_at_rank(ordered, (3 * workers + 3) // 4),  # ceil(3n / 4)
        maximum=ordered[-1][0],
        over_norm=over,
    )


@dataclass(frozen=True)
class DistributionRow:
    """One location and cadre of the distribution. The statistics are ``None`` when withheld (``withheld``
    for all of them, ``over_norm_withheld`` for the over-norm figures alone) or, for the over-norm
    figures, when the cadre has no norm of the kind."""

    month: datetime.date
    kind: str
    location: str
    location_name: str
    cadre: str
    cadre_name: str
    workers: int
    mean: float | None
    median: float | None
    lower_quartile: int | None
    upper_quartile: int | None
    maximum: int | None
    norm: int | None
    over_norm: int | None
    withheld: bool = False
    over_norm_withheld: bool = False

    @property
    def over_norm_share(self) -> float | None:
        return None if self.over_norm is None or not self.workers else self.over_norm / self.workers

    def as_json(self) -> dict[str, Any]:
        return {
            "month": f"{self.month:%Y-%m}",
            "kind": self.kind,
            "location": self.location,
            "location_name": self.location_name,
            "cadre": self.cadre,
            "cadre_name": self.cadre_name,
            "workers": self.workers,
            "mean": None if self.mean is None else round(self.mean, 2),
            "median": self.median,
            "lower_quartile": self.lower_quartile,
            "upper_quartile": self.upper_quartile,
            "maximum": self.maximum,
            "norm": self.norm,
            "over_norm": self.over_norm,
            "over_norm_share": None if self.over_norm_share is None else round(self.over_norm_share, 4),
            "withheld": self.withheld,
            "over_norm_withheld": self.over_norm_withheld,
        }


@dataclass(frozen=True)
class Distribution:
    """The rows asked for, and the workers with a caseload of the month and kind placed nowhere (no
    reference assignment in the year; ``None`` when the figures were asked for part of the country)."""

    month: datetime.date
    kind: str
    rows: list[DistributionRow]
    unplaced: int | None


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def distribution_sql(*, scope: list[int]) -> str:
    """The one aggregate query of :func:`caseload_distribution`: rows ``(location_id, cadre_id,
    open_cases, workers)`` per reference location, cadre and number of open cases of the workers with a
    caseload of ``%(month)s`` and ``%(kind)s``; the workers with no reference assignment come with
    ``location_id`` and ``cadre_id`` ``NULL`` (whole country only: with ``scope``, workers placed outside it
    look the same and are dropped by the caller). Named parameters: the reference period's and ``month``,
    ``kind``."""
    reference = reference_assignments_sql(columns=["a.worker_id", "a.location_id", "a.cadre_id"], scope=scope)
    grouped = (
        "SELECT r.location_id, r.cadre_id, c.open_cases, COUNT(*) "
        f"FROM {_table(Caseload)} c LEFT JOIN {{reference}} r ON r.worker_id = c.worker_id "
        "WHERE c.month = %(month)s AND c.kind = %(kind)s "
        "GROUP BY r.location_id, r.cadre_id, c.open_cases"
    )
    if connection.vendor == "sqlite":
        # Inline, SQLite runs the reference pick again for every caseload (a nested loop: 60 times the
        # limit at 2,000 workers); materialised once, it is looked up through an automatic index.
        return f"WITH placed AS MATERIALIZED ({reference}) " + grouped.format(reference="placed")
    # PostgreSQL hashes the picked rows once (an inline subquery keeps the pick's parallel plan).
    return grouped.format(reference=f"({reference})")


def caseload_distribution(
    *,
    month: datetime.date,
    kind: str = CASELOAD_KIND_ALL,
    location: Location | None = None,
    level: str | None = None,
    depth: int | None = None,
    cadre: Cadre | None = None,
) -> Distribution:
    """The distribution of ``month``'s caseloads of ``kind`` (module docstring) for every location, or
    ``location`` and everything below it (with ``depth``, at most that many levels below); with ``level``
    (a location level label, e.g. ``"district"``) only the locations of that level; with ``cadre`` that
    cadre only. Every figure, nothing withheld (see :func:`distribution_for_reader`).

    Rows come location by location (depth first, children by code), then by cadre code; a location and
    cadre with no worker has no row. Five queries (six with ``level``): the location tree, the aggregate,
    the cadres, the norms and the names of the locations shown. ``ValueError`` for a month whose year the indicators refuse.
    """
    month = month.replace(day=1)
    period = reference_period(year=month.year)
    tree = Tree.load()
    scope: list[int] = []
    if location is not None and tree.parent.get(location.pk) is not None:
        scope = tree.selected(root=location.pk, depth=None)
    histograms: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)
    unplaced = 0
    rows = aggregate_rows(
        sql=distribution_sql(scope=scope),
        parameters={**reference_parameters(period, scope=scope), "month": month, "kind": kind},
    )
    for location_id, cadre_id, open_cases, workers in rows:
        if location_id is None:
            unplaced += int(workers)
            continue
        for place in tree.chain[location_id]:  # the location and every ancestor
            histograms[(place, cadre_id)][int(open_cases)] += int(workers)
    cadres = {pk: (code, name) for pk, code, name in Cadre.objects.values_list("pk", "code", "name")}
    norms = dict(CaseloadNorm.objects.filter(kind=kind).values_list("cadre_id", "maximum_open_cases"))
    selected = tree.selected(root=location.pk if location is not None else None, depth=depth)
    if level is not None:
        labelled = set(Location.objects.filter(level=level).values_list("pk", flat=True))
        selected = [pk for pk in selected if pk in labelled]
    names = dict(Location.objects.filter(pk__in=selected).values_list("pk", "name"))
    ordered_cadres = sorted(
        (pk for pk in cadres if cadre is None or pk == cadre.pk), key=lambda pk: cadres[pk][0]
    )
    result: list[DistributionRow] = []
    for place in selected:
        for cadre_id in ordered_cadres:
            counts = histograms.get((place, cadre_id))
            if not counts:
                continue
            norm = norms.get(cadre_id)
            figures = histogram_statistics(counts, norm=norm)
            result.append(
                DistributionRow(
                    month=month,
                    kind=kind,
                    location=tree.code[place],
                    location_name=names.get(place, ""),
                    cadre=cadres[cadre_id][0],
                    cadre_name=cadres[cadre_id][1],
                    workers=figures.workers,
                    mean=figures.mean,
                    median=figures.median,
                    lower_quartile=figures.lower_quartile,
                    upper_quartile=figures.upper_quartile,
                    maximum=figures.maximum,
                    norm=norm,
                    over_norm=figures.over_norm,
                )
            )
    return Distribution(month=month, kind=kind, rows=result, unplaced=None if scope else unplaced)


# --- small cells ----------------------------------------------------------------------------------------


def _complementary(
    rows: list[DistributionRow], candidates: list[int], withheld: set[int], parents: Mapping[str, str | None]
) -> None:
    """Add to ``withheld`` the smallest other sibling (same parent and cadre) of a row withheld alone."""
    siblings: dict[tuple[str | None, str], list[int]] = defaultdict(list)
    for index in candidates:
        siblings[(parents.get(rows[index].location), rows[index].cadre)].append(index)
    for (parent, _cadre), members in siblings.items():
        if parent is None:
            continue
        if sum(1 for index in members if index in withheld) == 1:
            others = sorted((rows[index].workers, index) for index in members if index not in withheld)
            if others:
                withheld.add(others[0][1])


def distribution_small_cells_withheld(
    *, rows: list[DistributionRow], minimum: int, shown_in_full: set[str], parents: Mapping[str, str | None]
) -> list[DistributionRow]:
    """``rows`` with the small cells withheld (module docstring) at the locations not in ``shown_in_full``;
    ``parents`` gives each location code's parent code (``None`` for the root)."""
    if minimum <= 1:
        return rows
    hidden = [index for index, row in enumerate(rows) if row.location not in shown_in_full]
    withheld = {index for index in hidden if rows[index].workers < minimum}
    _complementary(rows, hidden, withheld, parents)

    def over_small(row: DistributionRow) -> bool:
        if row.over_norm is None:
            return False
        return 1 <= row.over_norm < minimum or 1 <= row.workers - row.over_norm < minimum

    with_norm = [index for index in hidden if index not in withheld and rows[index].over_norm is not None]
    over_withheld = {index for index in with_norm if over_small(rows[index])}
    _complementary(rows, with_norm, over_withheld, parents)
    result = []
    for index, row in enumerate(rows):
        if index in withheld:
            row = replace(
                row,
                mean=None,
                median=None,
                lower_quartile=None,
                upper_quartile=None,
                maximum=None,
                over_norm=None,
                withheld=True,
                over_norm_withheld=row.norm is not None,
            )
        elif index in over_withheld:
            row = replace(row, over_norm=None, over_norm_withheld=True)
        result.append(row)
    return result


def distribution_for_reader(
    *,
    user: Any,
    month: datetime.date,
    kind: str = CASELOAD_KIND_ALL,
    location: Location | None = None,
    level: str | None = None,
    depth: int | None = None,
    cadre: Cadre | None = None,
) -> Distribution:
    """:func:`caseload_distribution` as ``user`` may see it: small cells withheld at the locations whose
    figures they may not all see. What is withheld is decided over every location of the country, then the
    rows asked for are picked, so that a figure withheld on one page (by the complementary rule) is withheld
    on every page. ``PermissionDenied`` for outsiders and workers' own logins."""
    require_support_read(user=user)
    if policy.sees_every_figure(user=user):
        return caseload_distribution(
            month=month, kind=kind, location=location, level=level, depth=depth, cadre=cadre
        )
    whole = caseload_distribution(month=month, kind=kind, cadre=cadre)
    codes = {row.location for row in whole.rows}
    places = Location.objects.filter(code__in=codes).only("pk", "code", "path", "parent_id")
    shown = {place.code for place in places if policy.sees_every_figure(user=user, location=place)}
    parents = dict(Location.objects.values_list("code", "parent__code"))
    rows = distribution_small_cells_withheld(
        rows=whole.rows, minimum=small_cell_minimum(), shown_in_full=shown, parents=parents
    )
    unplaced = whole.unplaced
    if location is not None or level is not None or depth is not None:
        picked = Location.objects.all()
        if location is not None:
            picked = picked.filter(path__startswith=location.path)
            if depth is not None:
                picked = picked.filter(depth__lte=location.depth + depth)
            if location.parent_id is not None:
                unplaced = None
        elif depth is not None:
            picked = picked.filter(depth__lte=depth)
        if level is not None:
            picked = picked.filter(level=level)
        codes = set(picked.values_list("code", flat=True))
        rows = [row for row in rows if row.location in codes]
    return Distribution(month=whole.month, kind=kind, rows=rows, unplaced=unplaced)
