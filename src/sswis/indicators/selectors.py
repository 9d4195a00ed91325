"""The workforce indicators (contract ``contracts/indicators.md``, version 2) and the support's
(``contracts/support.md``, version 1): the public reads.

* ``indicators_compute`` — every figure of one year (the command line);
* ``indicators_compute_years`` — the same for several years, each year exactly as if asked alone;
* ``indicators_for_reader`` — what a delivery app (dashboard, API, later reports) gives one user: the
  same rows with the small cells withheld from readers who may see aggregates only
  (``sswis.indicators.disclosure``; who sees every figure is decided by ``sswis.access.policy``);
* ``indicators_as_json`` / ``indicators_years_as_json`` / ``indicators_write_csv`` — the contract's
  JSON document and CSV file.

How the figures are computed (in the database, never row by row in Python) is in
``sswis.indicators.computation``. A one-year call of every indicator makes 7 queries, plus one for the
cadres and one for the organisations when the split needs them (on PostgreSQL more: the workforce query
and the support's run in their own transaction, with more sort memory); asked for some indicators only
(``indicators``), it skips the posts' query without the vacancy rate and the child population's without
the rate per 100,000, and reads registrations and licences (in the workforce query) only for the licensed
share or a split by ``licensed``, and training completions and programmes only for the certified share or
a split by ``certified``; the support's figures (``sswis.indicators.support``) add one query for the
sessions and caseloads and one for the supervisors, each only when one of its indicators is asked for (the
supervised share is a join of the workforce query, like the licensed share), and ``support.turnover_rate``
(``sswis.indicators.turnover``) one of its own. ``indicators_for_reader`` keeps each computed year until
the data
it was computed from changes (``sswis.indicators.cache``: one query tells, so a figure is never stale);
the command line always computes.

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
  in ``by`` there is no group it could honestly be put in. A cadre row is the cadre's own rate, as the
  contract says: the vacant funded posts of the cadre (the post's cadre) over the funded posts of the
  cadre at the location. Every cadre with a funded post at the location has its row, also with no
  vacancy (0 of 12 is a result); a cadre without funded post there has none;
* ``support.supervised_share`` splits like the licensed share; the other support indicators only ever
  have the ``{}`` row (the contract splits none of them);
* ``workforce.licensed_share`` splits like the other workforce indicators: the numerator (licensed
  workers of the group) over the same denominator as the location's ``{}`` row (every counted worker
  there), as the contract says of every workforce indicator ("splits the numerator and keeps the same
  denominator"); its groups add up to the ``{}`` row. A group's own share is the ``workforce.count``
  split by the group and ``licensed``. ``workforce.certified_share`` likewise (certified workers);
* workforce groups whose numerator is 0 are left out; the ``{}`` rows are always there, for every
  location.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from sswis.access import policy
from sswis.geo.models import Location
from sswis.indicators.cache import years_cached
from sswis.indicators.computation import (
    Group,
    Lookups,
    Posts,
    Tree,
    Workforce,
    child_population,
    posts_rolled_up,
    reference_assignments_sql,
    reference_parameters,
    workforce_rolled_up,
)
from sswis.indicators.definitions import (
    DIMENSIONS,
    INDICATORS,
    dimensions_checked,
    indicators_checked,
    reference_period,
)
from sswis.indicators.disclosure import rows_small_cells_withheld, small_cell_minimum
from sswis.indicators.output import indicators_as_json, indicators_write_csv, indicators_years_as_json
from sswis.indicators.rows import (
    CASELOAD_MEAN,
    CASELOAD_OVER_NORM_SHARE,
    CERTIFIED_SHARE,
    COUNT,
    FEMALE_SHARE,
    LICENSED_SHARE,
    PER_100K,
    SESSIONS_PER_SUPERVISEE,
    SUPERVISED_SHARE,
    SUPERVISORS_OVER_NORM,
    VACANCY_RATE,
    IndicatorRow,
)
from sswis.indicators.support import SUPPORT_INDICATORS, Support, support_rolled_up, support_rows
from sswis.indicators.turnover import TURNOVER_RATE, Turnover, turnover_rolled_up, turnover_rows
from sswis.registry.models import Sex

__all__ = [
    "CASELOAD_MEAN",
    "CASELOAD_OVER_NORM_SHARE",
    "CERTIFIED_SHARE",
    "COUNT",
    "FEMALE_SHARE",
    "LICENSED_SHARE",
    "PER_100K",
    "SESSIONS_PER_SUPERVISEE",
    "SUPERVISED_SHARE",
    "SUPERVISORS_OVER_NORM",
    "VACANCY_RATE",
    "IndicatorRow",
    "indicators_as_json",
    "indicators_compute",
    "indicators_compute_years",
    "indicators_for_reader",
    "indicators_write_csv",
    "indicators_years_as_json",
    "reference_assignments_sql",
    "reference_parameters",
]


def indicators_compute(
    *,
    year: int,
    by: Sequence[str] = (),
    location: Location | None = None,
    depth: int | None = None,
    indicators: Sequence[str] | None = None,
) -> list[IndicatorRow]:
    """The contract's indicators for ``year``, for every location or for ``location``'s subtree.

    ``by`` lists dimension ids of ``DIMENSIONS`` (a single string is taken as one dimension; repeats are
    ignored). With ``location`` only that location and its descendants are returned, and with ``depth``
    only those at most ``depth`` levels below it (``depth=0``: the location alone; without
    ``location``, levels below the root). The figures of a location never depend on which locations
    are returned.

    ``indicators`` lists the indicator ids to compute (``None``: every one of ``INDICATORS``); only their
    rows are returned, and only what they need is read: the posts for the vacancy rate, the child
    population for the rate per 100,000 children, the registrations and licences for the licensed share
    (or a split by ``licensed``), the training completions and programmes for the certified share (or a
    split by ``certified``). A caller that shows some of them asks for those only.

    Rows come location by location (depth first, children by code), then in indicator order, then the
    ``{}`` group first and the other groups in their dimension's order (cadres by code). Every returned
    location has a ``{}`` row of each indicator asked for; other groups appear only with a numerator
    above 0 (vacancy rates by cadre: with a funded post). Every row has ``year`` set and is not withheld.

    Raises ``ValueError`` for an unknown dimension or indicator, an impossible year or a negative depth.
    """
    return indicators_compute_years(
        years=(year,), by=by, location=location, depth=depth, indicators=indicators
    )


def indicators_compute_years(
    *,
    years: Sequence[int],
    by: Sequence[str] = (),
    location: Location | None = None,
    depth: int | None = None,
    indicators: Sequence[str] | None = None,
) -> list[IndicatorRow]:
    """``indicators_compute`` for each of ``years`` (in the given order, repeats ignored): the rows of
    the first year, then those of the next, each year's rows exactly those of a call for it alone.

    Raises ``ValueError`` for no year, an impossible year, an unknown dimension or indicator or a
    negative depth.
    """
    years, dimensions, chosen = _arguments_checked(years=years, by=by, depth=depth, indicators=indicators)
    by_year = _years_computed(
        years=years, dimensions=dimensions, location=location, depth=depth, indicators=chosen
    )
    return [row for year in years for row in by_year[year]]


def _arguments_checked(
    *, years: Sequence[int], by: Sequence[str], depth: int | None, indicators: Sequence[str] | None
) -> tuple[tuple[int, ...], tuple[str, ...], tuple[str, ...]]:
    """The years (repeats dropped), dimensions and indicators asked for; ``ValueError`` for bad ones."""
    years = tuple(dict.fromkeys(years))
    if not years:
        raise ValueError(_("Give at least one year."))
    for year in years:
        reference_period(year=year)  # refuses an impossible year
    dimensions = dimensions_checked(by)
    chosen = indicators_checked(indicators)
    if depth is not None and depth < 0:
        raise ValueError(_("The depth must be 0 or more, not %(depth)d.") % {"depth": depth})
    return years, dimensions, chosen


def _years_computed(
    *,
    years: Sequence[int],
    dimensions: tuple[str, ...],
    location: Location | None,
    depth: int | None,
    indicators: tuple[str, ...],
) -> dict[int, list[IndicatorRow]]:
    """The rows of ``indicators`` for each of ``years`` (checked), computed from the database: a query
    for the workforce, one for the posts (when the vacancy rate is asked for) and one for the child
    population (when the rate per 100,000 children is) a year."""
    tree = Tree.load()
    selected = tree.selected(root=location.pk if location is not None else None, depth=depth)
    # Below the country, only the subtree's workers and posts are read: nothing outside it can change
    # a figure inside it (a worker counted inside has a candidate assignment inside).
    scope: list[int] = []
    if location is not None and tree.parent.get(location.pk) is not None:
        scope = tree.selected(root=location.pk, depth=None)
    lookups = Lookups(tree=tree)
    # The attribute shares asked for (licensed, certified) add the attribute to the workforce query's columns.
    attributes = tuple(INDICATORS[i].attribute for i in indicators if INDICATORS[i].attribute)
    rows: dict[int, list[IndicatorRow]] = {}
    for year in years:
        period = reference_period(year=year)
        workforce = workforce_rolled_up(
            tree=tree,
            period=period,
            dimensions=dimensions,
            lookups=lookups,
            scope=scope,
            attributes=attributes,
        )
        posts = (
            posts_rolled_up(
                tree=tree, period=period, by_cadre=dimensions == ("cadre",), lookups=lookups, scope=scope
            )
            if VACANCY_RATE in indicators
            else _NO_POSTS
        )
        children = child_population(tree=tree, year=period.year) if PER_100K in indicators else {}
        turnover = (
            turnover_rolled_up(tree=tree, period=period, dimensions=dimensions, lookups=lookups, scope=scope)
            if TURNOVER_RATE in indicators
            else Turnover()
        )
        support = (
            support_rolled_up(tree=tree, period=period, indicators=indicators, scope=scope)
            if any(indicator in SUPPORT_INDICATORS for indicator in indicators)
            else Support()
        )
        rows[year] = _year_rows(
            year=period.year,
            tree=tree,
            selected=selected,
            dimensions=dimensions,
            indicators=indicators,
            workforce=workforce,
            posts=posts,
            children=children,
            turnover=turnover,
            support=support,
        )
    return rows


_NO_POSTS = Posts(funded={}, vacant={}, funded_by_cadre={}, vacant_by_cadre={})


def indicators_for_reader(
    *,
    user: Any,
    year: int | None = None,
    years: Sequence[int] | None = None,
    by: Sequence[str] = (),
    location: Location | None = None,
    depth: int | None = None,
    indicators: Sequence[str] | None = None,
) -> list[IndicatorRow]:
    """The indicators as ``user`` may see them: the one selector for the dashboard, the API and reports.

    Give ``year`` (the rows of ``indicators_compute``) or ``years`` (those of
    ``indicators_compute_years``), not both; ``indicators`` as for them (``None``: every indicator). The
    rows of every location where ``sswis.access.policy.sees_every_figure`` is false for ``user`` have
    their small cells withheld (``sswis.indicators.disclosure``, ``k`` from ``SSWIS_SMALL_CELL_MIN``),
    decided from the counts whichever indicators are asked for; the others are unchanged.
    A year computed before for the same split and area, from data that has not changed since, is
    given again without computing it (``sswis.indicators.cache``).

    Raises ``PermissionDenied`` for a user who may not see aggregates (an outsider) and ``ValueError``
    for bad arguments, as ``indicators_compute`` does.
    """
    policy.require_aggregates(user=user)
    if (year is None) == (years is None):
        raise ValueError(_("Give either a year or years, not both and not neither."))
    chosen, dimensions, shown = _arguments_checked(
        years=(year,) if year is not None else tuple(years or ()), by=by, depth=depth, indicators=indicators
    )
    # The small cells are decided from the counts: computed with every call (same query), dropped after.
    computed = indicators_checked((COUNT, *shown))
    rows = years_cached(
        years=chosen,
        area=(
            f"{','.join(dimensions)}:{location.pk if location is not None else ''}:{depth}:"
            f"{','.join(computed)}"
        ),
        compute=lambda missing: _years_computed(
            years=missing, dimensions=dimensions, location=location, depth=depth, indicators=computed
        ),
    )
    if not policy.sees_every_figure(user=user):
        codes = {row.location for row in rows}
        places = Location.objects.filter(code__in=codes).only("pk", "code", "path", "parent_id")
        shown_in_full = {
            place.code for place in places if policy.sees_every_figure(user=user, location=place)
        }
        rows = rows_small_cells_withheld(
            rows=rows, by=by, minimum=small_cell_minimum(), shown_in_full=shown_in_full
        )
    return rows if COUNT in shown else [row for row in rows if row.indicator != COUNT]


# --- rows -----------------------------------------------------------------------------------------


def _year_rows(
    *,
    year: int,
    tree: Tree,
    selected: Sequence[int],
    dimensions: tuple[str, ...],
    indicators: tuple[str, ...],
    workforce: Workforce,
    posts: Posts,
    children: dict[int, int],
    turnover: Turnover,
    support: Support,
) -> list[IndicatorRow]:
    """The rows of ``indicators`` of one year for the ``selected`` locations, in the documented order."""
    rows: list[IndicatorRow] = []
    order = _group_sort_key(dimensions)
    for location_id in selected:
        code = tree.code[location_id]
        count = workforce.total.get(location_id, 0)
        groups = sorted(workforce.groups.get(location_id, {}).items(), key=lambda item: order(item[0]))
        named = [(dict(zip(dimensions, g, strict=True)), n) for g, n in groups]
        for indicator in indicators:
            if indicator == COUNT:
                rows.append(IndicatorRow(COUNT, code, {}, count, None, count, year))
                rows.extend(IndicatorRow(COUNT, code, group, n, None, n, year) for group, n in named)
            elif indicator == PER_100K:
                population = children.get(location_id)
                rows.append(
                    IndicatorRow(PER_100K, code, {}, count, population, _per_100k(count, population), year)
                )
                rows.extend(
                    IndicatorRow(PER_100K, code, dict(group), n, population, _per_100k(n, population), year)
                    for group, n in named
                )
            elif indicator == FEMALE_SHARE:
                by_sex = workforce.by_sex.get(location_id, {})
                female = by_sex.get(Sex.FEMALE.value, 0)
                known = female + by_sex.get(Sex.MALE.value, 0) + by_sex.get(Sex.OTHER.value, 0)
                rows.append(IndicatorRow(FEMALE_SHARE, code, {}, female, known, _share(female, known), year))
            elif indicator == VACANCY_RATE:
                rows.extend(_vacancy_rows(code=code, location_id=location_id, posts=posts, year=year))
            elif indicator == TURNOVER_RATE:
                rows.extend(
                    turnover_rows(
                        code=code,
                        location_id=location_id,
                        turnover=turnover,
                        dimensions=dimensions,
                        order=order,
                        year=year,
                    )
                )
            elif indicator in SUPPORT_INDICATORS:
                rows.extend(
                    support_rows(
                        indicator=indicator, code=code, location_id=location_id, support=support, year=year
                    )
                )
            else:
                rows.extend(
                    _attribute_share_rows(
                        indicator=indicator,
                        code=code,
                        location_id=location_id,
                        count=count,
                        workforce=workforce,
                        dimensions=dimensions,
                        order=order,
                        year=year,
                    )
                )
    return rows


def _vacancy_rows(*, code: str, location_id: int, posts: Posts, year: int) -> list[IndicatorRow]:
    funded = posts.funded.get(location_id, 0)
    vacant = posts.vacant.get(location_id, 0)
    rows = [IndicatorRow(VACANCY_RATE, code, {}, vacant, funded, _share(vacant, funded), year)]
    vacant_by_cadre = posts.vacant_by_cadre.get(location_id, {})
    for cadre_code, cadre_funded in sorted(posts.funded_by_cadre.get(location_id, {}).items()):
        n = vacant_by_cadre.get(cadre_code, 0)
        rows.append(
            IndicatorRow(
                VACANCY_RATE, code, {"cadre": cadre_code}, n, cadre_funded, _share(n, cadre_funded), year
            )
        )
    return rows


def _attribute_share_rows(
    *,
    indicator: str,
    code: str,
    location_id: int,
    count: int,
    workforce: Workforce,
    dimensions: tuple[str, ...],
    order: Callable[[Group], tuple[tuple[int, str], ...]],
    year: int,
) -> list[IndicatorRow]:
    """The rows of an attribute share (``workforce.licensed_share``, ``workforce.certified_share``,
    ``support.supervised_share``) at one location: the workers with the attribute over every counted worker of the location, in all and
    per group of the split (each group's row over the same denominator, as every split of a workforce
    indicator; a group without such a worker has no row)."""
    attribute = INDICATORS[indicator].attribute
    having = workforce.having[attribute].get(location_id, 0)
    rows = [IndicatorRow(indicator, code, {}, having, count, _share(having, count), year)]
    groups = sorted(
        workforce.having_groups[attribute].get(location_id, {}).items(), key=lambda item: order(item[0])
    )
    rows.extend(
        IndicatorRow(indicator, code, dict(zip(dimensions, g, strict=True)), n, count, _share(n, count), year)
        for g, n in groups
    )
    return rows


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
