"""Required staff and gaps from the norms (contract ``planning.md`` section 1), for every location.

``required = target_per_100k * children / 100000`` and ``gap = counted - required`` (negative: a
shortage), for each group that has a norm in force: the whole workforce, a cadre category or a cadre.
``counted`` is ``workforce.count`` of the group and ``children`` the child population, both exactly as
``sswis indicators`` gives them (one indicators computation split by cadre: a category's count is the
sum of its cadres' counts, since each worker is counted in one cadre). Unknown population: ``required``
and ``gap`` are ``None``.

The norm in force for a location, group and year: among the norms of that group valid from that year or
earlier, the one set on the nearest location (the location itself, else its parent, ...); at the same
location, the one valid from the latest year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sswis.geo.models import Location
from sswis.indicators.selectors import COUNT, PER_100K, indicators_compute
from sswis.planning.models import Norm
from sswis.registry.models import Cadre

GroupKey = tuple[tuple[str, str], ...]  # () | (("category", c),) | (("cadre", c),)


@dataclass(frozen=True)
class NormGap:
    """One location and group with a norm in force in ``year``."""

    year: int
    location: str
    group: dict[str, str]
    target_per_100k: float
    norm_location: str  # where the norm in force is set (the location or one above it)
    source: str
    children: int | None
    counted: int
    required: float | None
    gap: float | None


def _group_order(group: GroupKey) -> tuple[int, str]:
    """The whole workforce first, then cadre categories, then cadres, each by code."""
    if not group:
        return (0, "")
    kind, code = group[0]
    return (1 if kind == "category" else 2, code)


def norms_in_force(*, year: int) -> dict[tuple[int, GroupKey], Norm]:
    """The norm of each (location id, group) valid in ``year``: at each location, the latest begun."""
    chosen: dict[tuple[int, GroupKey], Norm] = {}
    for norm in (
        Norm.objects.filter(valid_from__lte=year).select_related("location", "cadre").order_by("valid_from")
    ):
        chosen[(norm.location_id, tuple(norm.group_key.items()))] = norm  # later years replace earlier
    return chosen


def norm_nearest(
    *, in_force: dict[tuple[int, GroupKey], Norm], chain: Sequence[int], group: GroupKey
) -> Norm | None:
    """The norm of ``group`` in force at a location: the one set on the nearest location of its
    ``chain`` (the location's id first, then its parent's, ...); ``None`` when none is set."""
    return next((in_force[(pk, group)] for pk in chain if (pk, group) in in_force), None)


def norm_gaps(*, year: int, location: Location | None = None, depth: int | None = None) -> list[NormGap]:
    """Every location (or ``location`` and its subtree, ``depth`` levels down) and group with a norm in
    force in ``year``, in the indicators' location order, the whole workforce first, then categories,
    then cadres. Raises ``ValueError`` for a year the indicators refuse or a negative depth."""
    in_force = norms_in_force(year=year)
    rows = indicators_compute(
        year=year, by=("cadre",), location=location, depth=depth, indicators=(COUNT, PER_100K)
    )
    if not in_force:
        return []
    groups = sorted({group for _location, group in in_force}, key=_group_order)
    category_of = dict(Cadre.objects.values_list("code", "category"))
    counts: dict[str, dict[GroupKey, int]] = defaultdict(lambda: defaultdict(int))
    children: dict[str, int | None] = {}
    order: list[str] = []
    for row in rows:
        if row.indicator == COUNT:
            if not row.group:
                order.append(row.location)
                counts[row.location][()] += int(row.numerator or 0)
            else:
                cadre = row.group["cadre"]
                counts[row.location][(("cadre", cadre),)] += int(row.numerator or 0)
                counts[row.location][(("category", category_of.get(cadre, "")),)] += int(row.numerator or 0)
        elif row.indicator == PER_100K and not row.group:
            children[row.location] = row.whole_denominator
    path_of = dict(Location.objects.filter(code__in=order).values_list("code", "path"))
    gaps: list[NormGap] = []
    for code in order:
        ancestors = [int(pk) for pk in path_of[code].split("/") if pk][::-1]  # the location itself first
        for group in groups:
            norm = norm_nearest(in_force=in_force, chain=ancestors, group=group)
            if norm is None:
                continue
            target = float(norm.target_per_100k)
            child_count = children.get(code)
            counted = counts[code].get(group, 0)
            required = target * child_count / 100000 if child_count is not None else None
            gaps.append(
                NormGap(
                    year=year,
                    location=code,
                    group=dict(group),
                    target_per_100k=target,
                    norm_location=norm.location.code,
                    source=norm.source,
                    children=child_count,
                    counted=counted,
                    required=required,
                    gap=counted - required if required is not None else None,
                )
            )
    return gaps


def norm_gaps_as_json(*, year: int, rows: list[NormGap]) -> dict[str, Any]:
    """The JSON document of ``rows`` (the command line and the API): ``{"year": Y, "rows": [...]}``,
    figures unrounded."""
    return {
        "year": year,
        "rows": [
            {
                "location": row.location,
                "group": row.group,
                "target_per_100k": row.target_per_100k,
                "norm_location": row.norm_location,
                "source": row.source,
                "children": row.children,
                "counted": row.counted,
                "required": row.required,
                "gap": row.gap,
            }
            for row in rows
        ],
    }
