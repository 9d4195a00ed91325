"""The year's counts as DHIS2 data values, from the mapping in force and the indicators' own computation.

:func:`dhis2_export_build` asks ``sswis.indicators.selectors.indicators_compute`` (the function behind
``sswis indicators``) for the indicators the mapping names: once for the totals (with the rate per 100,000
children when the child population is mapped: its denominator is the child population) and once per
disaggregation the mapping uses (``by=(dimension,)``), each time for those indicators only. It counts
nothing itself: every value is a numerator or a denominator of a row of that computation, never a ratio.

For every location of the tree (depth first, children by code) and every mapping line, in the mapping's
order, one data value, unless:

* the location has no org unit (:func:`org_units`): listed in ``unmapped_locations``, none of its values
  is sent;
* the figure is unknown (a denominator of ``null``, such as an unknown child population): listed in
  ``no_figure``;
* the group has no row at the location: the indicators leave out a group whose numerator is 0, so its
  numerator is sent as 0 and its denominator (not computed) is listed in ``no_figure``.

Listed too, never dropped silently: the indicators with no mapping line at all (``unmapped_indicators``),
and the groups of a mapped disaggregation that have figures but no mapping line (``unmapped_groups``: a
new cadre, say). Every figure is exported, small cells included: the export is for the ministry's own
DHIS2 and is for national data managers only (``access.dhis2_policy``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sswis.dhis2.models import DataElementMapping, Dhis2Mapping, IdScheme, MappingKind, Part
from sswis.geo.models import Location
from sswis.indicators.definitions import INDICATORS, reference_period
from sswis.indicators.rows import COUNT, PER_100K, IndicatorRow
from sswis.indicators.selectors import indicators_compute


class ExportError(Exception):
    """The export cannot be made (no mapping, a bad year); ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class DataValue:
    """One value to send, with where it comes from (``location``, ``figure``) for the conflicts."""

    data_element: str
    org_unit: str
    category_option_combo: str
    attribute_option_combo: str
    value: str
    adx_categories: tuple[tuple[str, str], ...]
    location: str
    figure: str


@dataclass
class Export:
    """What :func:`dhis2_export_build` made: the values, and every figure left out with why."""

    year: int
    data_set: str
    id_scheme: str
    values: list[DataValue] = field(default_factory=list)
    unmapped_locations: list[str] = field(default_factory=list)
    unmapped_indicators: list[str] = field(default_factory=list)
    unmapped_groups: list[dict[str, Any]] = field(default_factory=list)
    no_figure: list[dict[str, str]] = field(default_factory=list)

    @property
    def period(self) -> str:
        return str(self.year)

    def left_out(self) -> dict[str, Any]:
        """The figures not sent, for the history and the command's output."""
        return {
            "locations": self.unmapped_locations,
            "indicators": self.unmapped_indicators,
            "groups": self.unmapped_groups,
            "no_figure": len(self.no_figure),
        }


def mapping_in_force() -> Dhis2Mapping:
    mapping = Dhis2Mapping.objects.first()
    if mapping is None:
        raise ExportError(
            _(
                "No DHIS2 mapping is imported: import one with `sswis dhis2 import-mapping FILE` (docs/dhis2.md)."
            )
        )
    return mapping


def org_units(*, id_scheme: str) -> dict[str, str]:
    """Location code -> org unit: the mapping's ``org_unit`` line, else the location's ``dhis2_uid`` (scheme
    ``uid``) or its ``code`` (scheme ``code``). A location with none is not in the result."""
    units: dict[str, str] = {}
    explicit = dict(
        Location.objects.filter(dhis2_org_unit__isnull=False).values_list("code", "dhis2_org_unit__org_unit")
    )
    for code, uid in Location.objects.values_list("code", "dhis2_uid"):
        unit = explicit.get(code) or (uid if id_scheme == IdScheme.UID else code)
        if unit:
            units[code] = unit
    return units


def _number(value: int | float) -> str:
    """A count as DHIS2 reads it: an integer, or a decimal for an average headcount (12.5)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _figure(line: DataElementMapping) -> str:
    if line.kind == MappingKind.CHILD_POPULATION:
        return "children"
    group = f" {line.dimension}={line.group}" if line.dimension else ""
    return f"{line.indicator} {line.part}{group}"


def dhis2_export_build(*, year: int) -> Export:
    """The data values of ``year`` for every location (see the module's docstring); ``ExportError`` when no
    mapping is imported or the year is impossible."""
    try:
        reference_period(year=year)
    except ValueError as error:
        raise ExportError(str(error)) from error
    mapping = mapping_in_force()
    lines = list(DataElementMapping.objects.order_by("line", "id"))
    export = Export(year=year, data_set=mapping.data_set, id_scheme=mapping.id_scheme)
    by_dimension: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line.kind == MappingKind.CHILD_POPULATION:
            by_dimension[""].add(PER_100K)
        else:
            by_dimension[line.dimension].add(line.indicator)
    by_dimension[""].add(COUNT)  # the totals give the locations, in order, even if only splits are mapped
    mapped = {line.indicator for line in lines if line.kind == MappingKind.VALUE}
    export.unmapped_indicators = [indicator for indicator in INDICATORS if indicator not in mapped]
    figures: dict[tuple[str, str, str, str], IndicatorRow] = {}
    locations: list[str] = []
    for dimension, indicators in sorted(by_dimension.items()):
        rows = indicators_compute(
            year=year, by=(dimension,) if dimension else (), indicators=sorted(indicators)
        )
        for row in rows:
            if dimension and not row.group:
                continue  # a split's total: the same as the totals' row, read from there
            group = row.group.get(dimension, "") if dimension else ""
            figures[(row.indicator, dimension, group, row.location)] = row
            if not dimension and row.indicator == COUNT:
                locations.append(row.location)
    _unmapped_groups(export=export, lines=lines, figures=figures)
    units = org_units(id_scheme=mapping.id_scheme)
    export.unmapped_locations = [code for code in locations if code not in units]
    for code in locations:
        unit = units.get(code)
        if unit is None:
            continue
        for line in lines:
            value = _value_of(line=line, code=code, figures=figures, export=export)
            if value is None:
                continue
            export.values.append(
                DataValue(
                    data_element=line.data_element,
                    org_unit=unit,
                    category_option_combo=line.category_option_combo,
                    attribute_option_combo=line.attribute_option_combo,
                    value=value,
                    adx_categories=tuple(sorted(line.adx_categories.items())),
                    location=code,
                    figure=_figure(line),
                )
            )
    return export


def _value_of(
    *,
    line: DataElementMapping,
    code: str,
    figures: dict[tuple[str, str, str, str], IndicatorRow],
    export: Export,
) -> str | None:
    """The value of one mapping line at one location, or ``None`` (recorded in ``no_figure``)."""
    if line.kind == MappingKind.CHILD_POPULATION:
        row = figures.get((PER_100K, "", "", code))
        number: int | float | None = row.denominator if row is not None else None
        if number is None:
            export.no_figure.append({"location": code, "figure": _figure(line), "why": "unknown"})
            return None
        return _number(number)
    row = figures.get((line.indicator, line.dimension, line.group, code))
    if row is None:
        if line.part == Part.NUMERATOR:
            return "0"  # the indicators leave out the groups whose numerator is 0
        export.no_figure.append({"location": code, "figure": _figure(line), "why": "no_row"})
        return None
    number = row.numerator if line.part == Part.NUMERATOR else row.denominator
    if number is None:
        export.no_figure.append({"location": code, "figure": _figure(line), "why": "unknown"})
        return None
    return _number(number)


def _unmapped_groups(
    *,
    export: Export,
    lines: list[DataElementMapping],
    figures: dict[tuple[str, str, str, str], IndicatorRow],
) -> None:
    """The groups with figures, of a disaggregation the mapping uses for an indicator, that no line maps."""
    mapped_groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for line in lines:
        if line.kind == MappingKind.VALUE and line.dimension:
            mapped_groups[(line.indicator, line.dimension)].add(line.group)
    found: dict[tuple[str, str, str], int] = defaultdict(int)
    for indicator, dimension, group, _code in figures:
        if dimension and group not in mapped_groups.get((indicator, dimension), {group}):
            found[(indicator, dimension, group)] += 1
    export.unmapped_groups = [
        {"indicator": indicator, "disaggregation": dimension, "group": group, "locations": count}
        for (indicator, dimension, group), count in sorted(found.items())
    ]
