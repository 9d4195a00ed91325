"""What the dashboard shows, assembled from the indicator rows of one year (no query per location).

The numbers are exactly the indicator rows of ``sswis.indicators.selectors`` (the same code as the
``sswis indicators`` command and the API), as the reader may see them (small cells withheld for
aggregate-only readers); this module only picks them out, formats them and says why a figure is not
known or withheld. The trend is in ``sswis.presentation.dashboard_trend``, the map in ``sswis.presentation.dashboard_map``.

"At <location> itself": a location's figure counts the workers of everything below it *and* those
placed at the location itself (a district office above its wards). The contract counts each worker at
the reference assignment's location and every ancestor, so the location's own share is exactly the
location's figure minus the sum of its child locations' (counts, posts, women and workers of known sex,
licensed and certified workers alike); the table shows it as its own row so that the rows add up to the
total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sswis.geo.models import Location
from sswis.indicators.definitions import DIMENSIONS, INDICATORS, IndicatorDefinition
from sswis.indicators.rows import (
    CERTIFIED_SHARE,
    COUNT,
    FEMALE_SHARE,
    LICENSED_SHARE,
    PER_100K,
    VACANCY_RATE,
    IndicatorRow,
)
from sswis.presentation.charts import Bar, bar_chart_svg
from sswis.presentation.number_text import count_text, decimal_text, percent_text
from sswis.registry.models import Cadre

NOT_KNOWN = gettext_lazy("not known")
WITHHELD = gettext_lazy("withheld")


def row_withheld(row: IndicatorRow) -> bool:
    """Whether the small-cell rule withheld ``row`` from this reader (contract v2 ``withheld``)."""
    return row.withheld


def withheld_reason(minimum: int) -> str:
    return _(
        "it would describe fewer than %(k)d workers, or let such a figure be worked out by subtraction"
    ) % {"k": minimum}


@dataclass(frozen=True)
class Figure:
    """One indicator of one location, ready to show: the value as text, what it is made of, or why it is
    not known (``reason``); ``withheld``: not shown to this reader (small cells)."""

    indicator: str
    value: float | int | None
    text: str
    detail: str
    reason: str = ""
    withheld: bool = False

    @property
    def title(self) -> str:
        return str(INDICATORS[self.indicator].title)

    @property
    def description(self) -> str:
        return str(INDICATORS[self.indicator].description)

    @property
    def definition(self) -> IndicatorDefinition:
        """The indicator's definition (numerator, denominator, ...), the one the CLI, API and docs use."""
        return INDICATORS[self.indicator]

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class LocationFigures:
    """The six headline figures of one location; ``own``: the row of the workers at the location
    itself (not in any location below it)."""

    location: Location
    workers: Figure
    per_100k: Figure
    vacancy: Figure
    female: Figure
    licensed: Figure
    certified: Figure
    own: bool = False

    @property
    def figures(self) -> tuple[Figure, Figure, Figure, Figure, Figure, Figure]:
        return (self.workers, self.per_100k, self.vacancy, self.female, self.licensed, self.certified)

    @property
    def label(self) -> str:
        if self.own:
            return _("at %(location)s itself") % {"location": self.location.name}
        return self.location.name


@dataclass(frozen=True)
class SplitLine:
    """One group of the chosen disaggregation: workers and per 100,000 children (``None``: withheld
    or not known; ``withheld`` says which)."""

    label: str
    workers: int | None
    per_100k: float | None
    withheld: bool

    @property
    def workers_text(self) -> str:
        return str(WITHHELD) if self.workers is None else count_text(self.workers)

    @property
    def per_100k_text(self) -> str:
        if self.withheld:
            return str(WITHHELD)
        return str(NOT_KNOWN) if self.per_100k is None else decimal_text(self.per_100k)


@dataclass(frozen=True)
class Split:
    """The chosen disaggregation of the location's workers: its lines (largest first, withheld last),
    chart and the reason for withheld lines."""

    dimension: str
    title: str
    label: str
    lines: list[SplitLine]
    chart: str = ""
    withheld_reason: str = ""

    @property
    def withheld(self) -> list[SplitLine]:
        return [line for line in self.lines if line.withheld]


@dataclass
class Dashboard:
    """Everything the dashboard page shows for one year and location (the trend and map apart)."""

    year: int
    location: Location
    ancestors: list[Location]
    headline: LocationFigures
    children: list[LocationFigures]
    sort: str
    split: Split
    own: LocationFigures | None = None
    per_100k_chart: str = ""
    per_100k_missing: list[Location] = field(default_factory=list)

    @property
    def columns(self) -> list[Column]:
        return columns_for(self.sort)

    @property
    def per_100k_rows(self) -> list[LocationFigures]:
        """The child locations with a known figure per 100,000 children, highest first (the chart)."""
        return children_sorted([c for c in self.children if c.per_100k.value is not None], "-per_100k")


def _per_100k_figure(location: Location, row: IndicatorRow, year: int) -> Figure:
    if row.whole_denominator is None:
        reason = _("the child population of %(location)s in %(year)d is not recorded")
    elif row.whole_denominator == 0:
        reason = _("the child population of %(location)s in %(year)d is recorded as 0")
    else:
        reason = ""
    reason = reason % {"location": location.name, "year": year} if reason else ""
    detail = ""
    if row.whole_denominator and row.numerator is not None:
        detail = _("%(workers)s workers, %(children)s children") % {
            "workers": count_text(row.numerator),
            "children": count_text(row.whole_denominator),
        }
    text = str(NOT_KNOWN) if row.value is None else decimal_text(row.value)
    return Figure(PER_100K, row.value, text, detail, reason)


def _vacancy_figure(vacant: int | None, funded: int | None, value: float | None) -> Figure:
    if value is None or vacant is None or not funded:
        return Figure(VACANCY_RATE, None, str(NOT_KNOWN), "", _("no funded post on 31 December"))
    detail = _("%(vacant)s of %(funded)s funded posts vacant") % {
        "vacant": count_text(vacant),
        "funded": count_text(funded),
    }
    return Figure(VACANCY_RATE, value, percent_text(value), detail)


def _female_figure(
    female: int | None, known: int | None, value: float | None, *, withheld: bool, minimum: int
) -> Figure:
    if withheld:
        return Figure(FEMALE_SHARE, None, str(WITHHELD), "", withheld_reason(minimum), withheld=True)
    if value is None or female is None or not known:
        return Figure(FEMALE_SHARE, None, str(NOT_KNOWN), "", _("no counted worker has a recorded sex"))
    detail = _("%(female)s women of %(known)s workers of known sex") % {
        "female": count_text(female),
        "known": count_text(known),
    }
    return Figure(FEMALE_SHARE, value, percent_text(value), detail)


def _attribute_figure(
    indicator: str,
    having: int | None,
    workers: int | None,
    value: float | None,
    *,
    withheld: bool,
    minimum: int,
) -> Figure:
    """The licensed or certified share: ``having`` workers with the attribute of ``workers`` counted."""
    if withheld:
        return Figure(indicator, None, str(WITHHELD), "", withheld_reason(minimum), withheld=True)
    if value is None or having is None or not workers:
        return Figure(indicator, None, str(NOT_KNOWN), "", _("no worker is counted"))
    if indicator == CERTIFIED_SHARE:
        detail = _(
            "%(certified)s of %(workers)s workers certified to work with child victims on 31 December"
        ) % {
            "certified": count_text(having),
            "workers": count_text(workers),
        }
    else:
        detail = _("%(licensed)s of %(workers)s workers licensed on 31 December") % {
            "licensed": count_text(having),
            "workers": count_text(workers),
        }
    return Figure(indicator, value, percent_text(value), detail)


def _share_figure(indicator: str, row: IndicatorRow, *, minimum: int) -> Figure:
    return _attribute_figure(
        indicator,
        row.numerator,
        row.whole_denominator,
        row.value,
        withheld=row_withheld(row),
        minimum=minimum,
    )


def _own_share_figure(
    indicator: str,
    rows: dict[str, IndicatorRow],
    children: Sequence[dict[str, IndicatorRow]],
    *,
    workers: int,
    minimum: int,
) -> Figure:
    """The licensed or certified share of the workers at the location itself: withheld when any figure it
    is worked out from is withheld for this reader."""
    withheld = any(row_withheld(row) for row in [rows[indicator], *(c[indicator] for c in children)])
    having = _difference(rows[indicator].numerator, [c[indicator].numerator for c in children])
    return _attribute_figure(
        indicator,
        having,
        workers,
        having / workers if workers > 0 and having is not None else None,
        withheld=withheld,
        minimum=minimum,
    )


def _figures(location: Location, rows: dict[str, IndicatorRow], year: int, minimum: int) -> LocationFigures:
    """Format the six ``{}`` rows of one location, with the reason for each unknown value."""
    count = rows[COUNT]
    female = rows[FEMALE_SHARE]
    vacancy = rows[VACANCY_RATE]
    workers = count.numerator or 0
    return LocationFigures(
        location=location,
        workers=Figure(COUNT, workers, count_text(workers), _("workers counted")),
        per_100k=_per_100k_figure(location, rows[PER_100K], year),
        vacancy=_vacancy_figure(vacancy.numerator, vacancy.whole_denominator, vacancy.value),
        female=_female_figure(
            female.numerator,
            female.whole_denominator,
            female.value,
            withheld=row_withheld(female),
            minimum=minimum,
        ),
        licensed=_share_figure(LICENSED_SHARE, rows[LICENSED_SHARE], minimum=minimum),
        certified=_share_figure(CERTIFIED_SHARE, rows[CERTIFIED_SHARE], minimum=minimum),
    )


def _difference(total: int | None, parts: Sequence[int | None]) -> int | None:
    if total is None or any(part is None for part in parts):
        return None
    return total - sum(part or 0 for part in parts)


def own_figures(
    *,
    location: Location,
    rows: dict[str, IndicatorRow],
    children: Sequence[dict[str, IndicatorRow]],
    year: int,
    minimum: int,
) -> LocationFigures | None:
    """The figures of the workers and posts at ``location`` itself: its rows minus its child locations'
    (see the module docstring); ``None`` when nothing is there (no worker, no funded post).

    Per 100,000 children only when the children living at the location itself are known: its own
    estimate minus its child locations' figures, when all are recorded and more than 0 remain. The
    female, licensed and certified shares are withheld when any figure they are worked out from is
    withheld for this reader."""
    if not children:
        return None
    workers = _difference(rows[COUNT].numerator, [c[COUNT].numerator for c in children]) or 0
    funded = (
        _difference(
            rows[VACANCY_RATE].whole_denominator, [c[VACANCY_RATE].whole_denominator for c in children]
        )
        or 0
    )
    if workers <= 0 and funded <= 0:
        return None
    population = _difference(
        rows[PER_100K].whole_denominator, [c[PER_100K].whole_denominator for c in children]
    )
    if population is None:
        reason = _("the child population of %(location)s apart from the locations below it is not known") % {
            "location": location.name
        }
        per_100k = Figure(PER_100K, None, str(NOT_KNOWN), "", reason)
    elif population <= 0:
        reason = _(
            "all the children of %(location)s are counted in the locations below it: its own "
            "workers serve all of them"
        ) % {"location": location.name}
        per_100k = Figure(PER_100K, None, str(NOT_KNOWN), "", reason)
    else:
        value = workers / population * 100000
        detail = _("%(workers)s workers, %(children)s children") % {
            "workers": count_text(workers),
            "children": count_text(population),
        }
        per_100k = Figure(PER_100K, value, decimal_text(value), detail)
    vacant = _difference(rows[VACANCY_RATE].numerator, [c[VACANCY_RATE].numerator for c in children])
    female_rows = [rows[FEMALE_SHARE], *(c[FEMALE_SHARE] for c in children)]
    withheld = any(row_withheld(row) for row in female_rows)
    female = _difference(rows[FEMALE_SHARE].numerator, [c[FEMALE_SHARE].numerator for c in children])
    known = _difference(
        rows[FEMALE_SHARE].whole_denominator, [c[FEMALE_SHARE].whole_denominator for c in children]
    )
    return LocationFigures(
        location=location,
        workers=Figure(COUNT, workers, count_text(workers), _("workers counted")),
        per_100k=per_100k,
        vacancy=_vacancy_figure(vacant, funded, vacant / funded if funded and vacant is not None else None),
        female=_female_figure(
            female,
            known,
            female / known if known and female is not None else None,
            withheld=withheld,
            minimum=minimum,
        ),
        licensed=_own_share_figure(LICENSED_SHARE, rows, children, workers=workers, minimum=minimum),
        certified=_own_share_figure(CERTIFIED_SHARE, rows, children, workers=workers, minimum=minimum),
        own=True,
    )


@dataclass(frozen=True)
class Column:
    """A sortable column of the child-location table: where its header link leads and its ``aria-sort``."""

    key: str
    label: str
    next_sort: str
    aria_sort: str


COLUMN_LABELS = {
    "name": gettext_lazy("Location"),
    "workers": gettext_lazy("Workers"),
    "per_100k": gettext_lazy("Per 100,000 children"),
    "vacancy": gettext_lazy("Vacancy rate"),
    "female": gettext_lazy("Female share"),
    "licensed": gettext_lazy("Licensed share"),
    "certified": gettext_lazy("Certified share"),
}


def columns_for(sort: str) -> list[Column]:
    """The table's columns for the current ``sort``: a click on the sorted column reverses it; numbers
    sort largest first on the first click, names A to Z."""
    columns = []
    for key, label in COLUMN_LABELS.items():
        first = key if key == "name" else f"-{key}"
        if sort.lstrip("-") == key:
            descending = sort.startswith("-")
            columns.append(
                Column(
                    key,
                    str(label),
                    key if descending else f"-{key}",
                    "descending" if descending else "ascending",
                )
            )
        else:
            columns.append(Column(key, str(label), first, "none"))
    return columns


SORT_KEYS: dict[str, Callable[[LocationFigures], Any]] = {
    "name": lambda f: f.location.name.casefold(),
    "workers": lambda f: f.workers.value,
    "per_100k": lambda f: f.per_100k.value,
    "vacancy": lambda f: f.vacancy.value,
    "female": lambda f: f.female.value,
    "licensed": lambda f: f.licensed.value,
    "certified": lambda f: f.certified.value,
}


def children_sorted(children: Sequence[LocationFigures], sort: str) -> list[LocationFigures]:
    """Sort by ``sort`` (a key of ``SORT_KEYS``, ``-`` for descending); unknown values always last."""
    descending = sort.startswith("-")
    key = SORT_KEYS.get(sort.lstrip("-"), SORT_KEYS["name"])
    known = [f for f in children if key(f) is not None]
    unknown = [f for f in children if key(f) is None]
    known.sort(key=key, reverse=descending)
    unknown.sort(key=SORT_KEYS["name"])
    return known + unknown


def group_label(dimension: str, code: str, cadres: dict[str, Cadre]) -> str:
    """How the page names a group: the cadre's name, else the dimension's label for the code."""
    if dimension == "cadre" and code in cadres:
        return cadres[code].name
    labels = {group.code: group.label for group in DIMENSIONS[dimension].groups}
    return str(labels.get(code, code))


def split_build(
    *,
    dimension: str,
    location: Location,
    year: int,
    rows: Sequence[IndicatorRow],
    cadres: Sequence[Cadre],
    minimum: int,
    charts: bool,
) -> Split:
    """The chosen disaggregation of ``location``'s workers from its rows split by ``dimension``:
    workers and per 100,000 children per group, largest first, withheld groups last (never drawn, never
    shown as 0)."""
    by_code = {cadre.code: cadre for cadre in cadres}
    counts: dict[str, IndicatorRow] = {}
    per_100k: dict[str, IndicatorRow] = {}
    for row in rows:
        if row.location != location.code or dimension not in row.group:
            continue
        if row.indicator == COUNT:
            counts[row.group[dimension]] = row
        elif row.indicator == PER_100K:
            per_100k[row.group[dimension]] = row
    lines = [
        SplitLine(
            label=group_label(dimension, code, by_code),
            workers=None if row_withheld(row) else row.numerator,
            per_100k=None if row_withheld(row) or code not in per_100k else per_100k[code].value,
            withheld=row_withheld(row),
        )
        for code, row in counts.items()
    ]
    lines.sort(key=lambda line: (line.withheld, -(line.workers or 0), line.label))
    title = str(DIMENSIONS[dimension].title)
    split = Split(
        dimension=dimension,
        title=_("Workers by %(dimension)s") % {"dimension": title.lower()},
        label=title,
        lines=lines,
        withheld_reason=withheld_reason(minimum) if any(line.withheld for line in lines) else "",
    )
    if not charts:
        return split
    bars = [Bar(line.label, line.workers, line.workers_text) for line in lines if line.workers is not None]
    chart = bar_chart_svg(
        title=_("%(title)s, %(location)s, %(year)d")
        % {"title": split.title, "location": location.name, "year": year},
        bars=bars,
        axis_title=_("Workers"),
    )
    return Split(split.dimension, split.title, split.label, lines, chart, split.withheld_reason)


def dashboard_build(
    *,
    year: int,
    location: Location,
    rows: Sequence[IndicatorRow],
    children: Sequence[Location],
    ancestors: Sequence[Location],
    cadres: Sequence[Cadre],
    dimension: str = "cadre",
    sort: str = "name",
    minimum: int = 5,
    charts: bool = True,
) -> Dashboard:
    """Assemble the dashboard from ``rows``: the indicators of ``year`` split by ``dimension`` for
    ``location`` and its child locations (``depth=1``), as the reader may see them. ``minimum``: the
    small-cell threshold ``k`` (for the reasons shown)."""
    plain: dict[str, dict[str, IndicatorRow]] = defaultdict(dict)
    for row in rows:
        if not row.group:
            plain[row.location][row.indicator] = row
    headline = _figures(location, plain[location.code], year, minimum)
    present = [child for child in children if child.code in plain]
    lines = [_figures(child, plain[child.code], year, minimum) for child in present]
    own = own_figures(
        location=location,
        rows=plain[location.code],
        children=[plain[child.code] for child in present],
        year=year,
        minimum=minimum,
    )
    dashboard = Dashboard(
        year=year,
        location=location,
        ancestors=list(ancestors),
        headline=headline,
        children=children_sorted(lines, sort),
        sort=sort,
        split=split_build(
            dimension=dimension,
            location=location,
            year=year,
            rows=rows,
            cadres=cadres,
            minimum=minimum,
            charts=charts,
        ),
        own=own,
        per_100k_missing=[line.location for line in lines if line.per_100k.value is None],
    )
    if charts:
        where = f"{location.name}, {year}"
        per_100k = [line for line in lines if line.per_100k.value is not None]
        dashboard.per_100k_chart = bar_chart_svg(
            title=_("Workers per 100,000 children in the locations of %(where)s") % {"where": where},
            bars=[
                Bar(line.location.name, float(line.per_100k.value or 0), line.per_100k.text)
                for line in per_100k
            ],
            axis_title=_("Workers per 100,000 children"),
        )
    return dashboard
