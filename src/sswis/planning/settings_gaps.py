"""Urban/rural disparity of the workforce: staff, child population and gaps by setting, per location.

``setting_gaps(year=Y, location=None, depth=None)`` gives, for every selected location (the same
selection and order as ``sswis.indicators.selectors.indicators_compute`` with that location and depth)
and for each setting of ``urban``, ``rural``, ``mixed``, ``unknown`` (in that order) that has workers or
children there, one ``SettingGap``:

* ``counted``: ``workforce.count`` of the setting at the location, from one indicators computation
  split by setting (a worker's setting is the effective setting of their reference assignment's
  location; workers are counted there and at every location above it);
* ``children``: the sum of the child population (``child_population``) of the leaf locations (those
  without child locations) of the location's subtree (the location itself when it is a leaf) whose
  effective setting is that setting; ``None`` when one of those leaves has no figure for the year, 0
  when there is no such leaf (a setting with workers but no leaf of its own, e.g. workers at a regional
  office whose setting is ``unknown``). A setting "has children there" when ``children`` is not 0;
* ``per_100k = counted * 100000 / children`` (``None`` when ``children`` is ``None`` or 0);
* ``target_per_100k``: the whole-workforce norm in force at the location (``norms_in_force``: the norm
  set on the nearest location of its chain, the location itself first, then its parent, ...);
  ``required = target * children / 100000`` and ``gap = counted - required`` (negative: a shortage);
  all three ``None`` without a norm, ``required`` and ``gap`` also ``None`` when ``children`` is.

The leaves' sum may differ from the location's own child population figure (an own estimate wins in
the indicators): the settings split what the leaves record, so their rows stay comparable.

``setting_disparity(rows=...)`` gives, for each location with both an urban and a rural row, the two
ratios, ``ratio = urban / rural`` (``None`` when either is ``None`` or rural is 0) and ``difference =
urban - rural`` (``None`` when either is ``None``). ``setting_gaps_as_json`` is the JSON document
``{"year": Y, "rows": [...], "disparity": [...]}``, figures unrounded.

Raises ``ValueError`` (from the indicators) for an impossible year or a negative depth.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from sswis.geo.models import Location, Setting
from sswis.indicators.computation import UNKNOWN, Tree, child_population
from sswis.indicators.selectors import COUNT, indicators_compute
from sswis.planning.norms import norm_nearest, norms_in_force

SETTINGS: tuple[str, ...] = (*Setting.values, UNKNOWN)  # urban, rural, mixed, unknown


@dataclass(frozen=True)
class SettingGap:
    """One location and setting in ``year``."""

    year: int
    location: str
    setting: str
    children: int | None
    counted: int
    per_100k: float | None
    target_per_100k: float | None
    required: float | None
    gap: float | None


@dataclass(frozen=True)
class SettingDisparity:
    """Urban against rural workers per 100,000 children at one location."""

    year: int
    location: str
    urban_per_100k: float | None
    rural_per_100k: float | None
    ratio: float | None
    difference: float | None


def _children_by_setting(*, tree: Tree, year: int) -> dict[int, dict[str, int | None]]:
    """Per location and setting: the children of the subtree's leaves of that setting (``None`` when a
    leaf has no figure); a setting without leaves in the subtree is missing (0)."""
    known = child_population(tree=tree, year=year)
    sums: dict[int, dict[str, int | None]] = defaultdict(dict)
    for pk in tree.preorder:
        if tree.children.get(pk):
            continue  # not a leaf
        setting, figure = tree.setting[pk], known.get(pk)
        for above in tree.chain[pk]:
            current = sums[above].get(setting, 0)
            sums[above][setting] = None if current is None or figure is None else current + figure
    return sums


def setting_gaps(
    *, year: int, location: Location | None = None, depth: int | None = None
) -> list[SettingGap]:
    """The rows of every selected location and setting with workers or children (module docstring)."""
    indicator_rows = indicators_compute(
        year=year, by=("setting",), location=location, depth=depth, indicators=[COUNT]
    )
    counted: dict[str, dict[str, int]] = defaultdict(dict)
    for row in indicator_rows:
        if row.indicator == COUNT and row.group:
            counted[row.location][row.group["setting"]] = int(row.numerator or 0)
    tree = Tree.load()
    children = _children_by_setting(tree=tree, year=year)
    in_force = norms_in_force(year=year)
    gaps: list[SettingGap] = []
    for pk in tree.selected(root=location.pk if location is not None else None, depth=depth):
        code = tree.code[pk]
        norm = norm_nearest(in_force=in_force, chain=tree.chain[pk], group=())
        target = float(norm.target_per_100k) if norm is not None else None
        for setting in SETTINGS:
            count = counted[code].get(setting, 0)
            child_count = children[pk].get(setting, 0)
            if not count and child_count == 0:
                continue
            required = (
                target * child_count / 100000 if target is not None and child_count is not None else None
            )
            gaps.append(
                SettingGap(
                    year=year,
                    location=code,
                    setting=setting,
                    children=child_count,
                    counted=count,
                    per_100k=count * 100000 / child_count if child_count else None,
                    target_per_100k=target,
                    required=required,
                    gap=count - required if required is not None else None,
                )
            )
    return gaps


def setting_disparity(*, rows: list[SettingGap]) -> list[SettingDisparity]:
    """Urban against rural per location of ``rows`` that has both, in the rows' location order."""
    by_location: dict[str, dict[str, SettingGap]] = {}
    for row in rows:
        by_location.setdefault(row.location, {})[row.setting] = row
    disparities: list[SettingDisparity] = []
    for code, of_setting in by_location.items():
        if Setting.URBAN not in of_setting or Setting.RURAL not in of_setting:
            continue
        urban, rural = of_setting[Setting.URBAN].per_100k, of_setting[Setting.RURAL].per_100k
        disparities.append(
            SettingDisparity(
                year=of_setting[Setting.URBAN].year,
                location=code,
                urban_per_100k=urban,
                rural_per_100k=rural,
                ratio=urban / rural if urban is not None and rural else None,
                difference=urban - rural if urban is not None and rural is not None else None,
            )
        )
    return disparities


def setting_gaps_as_json(
    *, year: int, rows: list[SettingGap], disparities: list[SettingDisparity]
) -> dict[str, Any]:
    """The JSON document of ``rows`` and ``disparities``: ``{"year": Y, "rows": [...], "disparity":
    [...]}``, each item without its year, figures unrounded."""
    return {
        "year": year,
        "rows": [_without_year(asdict(row)) for row in rows],
        "disparity": [_without_year(asdict(disparity)) for disparity in disparities],
    }


def _without_year(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key != "year"}
