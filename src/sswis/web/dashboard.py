"""What the dashboard shows, assembled from one ``indicators_compute`` result (no query per location).

The numbers are exactly the indicator rows of ``sswis.indicators.selectors`` (the same code as the
``sswis indicators`` command and the API); this module only picks them out, formats them and says why a
figure is not known. The split by cadre category is the sum of the split by cadre over the cadres of
each category: the contract takes both from the reference assignment's cadre, so it equals
``indicators_compute(by=("category",))`` without a second pass over the assignments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma

from sswis.geo.models import Location
from sswis.indicators.definitions import INDICATORS
from sswis.indicators.selectors import IndicatorRow
from sswis.registry.models import Cadre, CadreCategory
from sswis.web.charts import Bar, bar_chart_svg

COUNT = "workforce.count"
PER_100K = "workforce.per_100k_children"
FEMALE_SHARE = "workforce.female_share"
VACANCY_RATE = "posts.vacancy_rate"
NOT_KNOWN = "not known"


@dataclass(frozen=True)
class Figure:
    """One indicator of one location, ready to show: the value as text, what it is made of, or why it is
    not known (``reason``)."""

    indicator: str
    value: float | int | None
    text: str
    detail: str
    reason: str = ""

    @property
    def title(self) -> str:
        return INDICATORS[self.indicator].title

    @property
    def description(self) -> str:
        return INDICATORS[self.indicator].description

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class LocationFigures:
    """The four headline figures of one location."""

    location: Location
    workers: Figure
    per_100k: Figure
    vacancy: Figure
    female: Figure

    @property
    def figures(self) -> tuple[Figure, Figure, Figure, Figure]:
        return (self.workers, self.per_100k, self.vacancy, self.female)


@dataclass(frozen=True)
class Split:
    """A disaggregation as label/count pairs (largest first), with its chart."""

    title: str
    rows: list[tuple[str, int]]
    chart: str = ""


@dataclass
class Dashboard:
    """Everything the dashboard page shows for one year and location."""

    year: int
    location: Location
    ancestors: list[Location]
    headline: LocationFigures
    children: list[LocationFigures]
    sort: str
    by_cadre: Split
    by_category: Split
    per_100k_chart: str = ""
    per_100k_missing: list[Location] = field(default_factory=list)

    @property
    def columns(self) -> list[Column]:
        return columns_for(self.sort)

    @property
    def per_100k_rows(self) -> list[LocationFigures]:
        """The child locations with a known figure per 100,000 children, highest first (the chart)."""
        return children_sorted([c for c in self.children if c.per_100k.value is not None], "-per_100k")


def _share_text(value: float) -> str:
    return f"{value * 100:.1f}%"


def _figures(location: Location, rows: dict[str, IndicatorRow], year: int) -> LocationFigures:
    """Format the four ``{}`` rows of one location, with the reason for each unknown value."""
    count = rows[COUNT]
    per_100k = rows[PER_100K]
    female = rows[FEMALE_SHARE]
    vacancy = rows[VACANCY_RATE]
    if per_100k.denominator is None:
        per_100k_reason = f"the child population of {location.name} in {year} is not recorded"
    elif per_100k.denominator == 0:
        per_100k_reason = f"the child population of {location.name} in {year} is recorded as 0"
    else:
        per_100k_reason = ""
    return LocationFigures(
        location=location,
        workers=Figure(COUNT, count.value, intcomma(count.numerator), "workers counted"),
        per_100k=Figure(
            PER_100K,
            per_100k.value,
            NOT_KNOWN if per_100k.value is None else f"{per_100k.value:.1f}",
            f"{intcomma(per_100k.numerator)} workers, {intcomma(per_100k.denominator or 0)} children"
            if per_100k.denominator
            else "",
            per_100k_reason,
        ),
        vacancy=Figure(
            VACANCY_RATE,
            vacancy.value,
            NOT_KNOWN if vacancy.value is None else _share_text(vacancy.value),
            f"{intcomma(vacancy.numerator)} of {intcomma(vacancy.denominator or 0)} funded posts vacant"
            if vacancy.denominator
            else "",
            "" if vacancy.value is not None else "no funded post on 31 December",
        ),
        female=Figure(
            FEMALE_SHARE,
            female.value,
            NOT_KNOWN if female.value is None else _share_text(female.value),
            f"{intcomma(female.numerator)} women of {intcomma(female.denominator or 0)} workers of known sex"
            if female.denominator
            else "",
            "" if female.value is not None else "no counted worker has a recorded sex",
        ),
    )


@dataclass(frozen=True)
class Column:
    """A sortable column of the child-location table: where its header link leads and its ``aria-sort``."""

    key: str
    label: str
    next_sort: str
    aria_sort: str


COLUMN_LABELS = {
    "name": "Location",
    "workers": "Workers",
    "per_100k": "Per 100,000 children",
    "vacancy": "Vacancy rate",
    "female": "Female share",
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
                    key, label, key if descending else f"-{key}", "descending" if descending else "ascending"
                )
            )
        else:
            columns.append(Column(key, label, first, "none"))
    return columns


SORT_KEYS: dict[str, Callable[[LocationFigures], Any]] = {
    "name": lambda f: f.location.name.casefold(),
    "workers": lambda f: f.workers.value,
    "per_100k": lambda f: f.per_100k.value,
    "vacancy": lambda f: f.vacancy.value,
    "female": lambda f: f.female.value,
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


def dashboard_build(
    *,
    year: int,
    location: Location,
    rows: Sequence[IndicatorRow],
    children: Sequence[Location],
    ancestors: Sequence[Location],
    cadres: Sequence[Cadre],
    sort: str = "name",
    charts: bool = True,
) -> Dashboard:
    """Assemble the dashboard from ``rows`` = ``indicators_compute(year=year, by=("cadre",),
    location=location, depth=1)``: headline figures, one line per child location, splits and charts."""
    plain: dict[str, dict[str, IndicatorRow]] = defaultdict(dict)
    cadre_counts: dict[str, int] = {}
    for row in rows:
        if not row.group:
            plain[row.location][row.indicator] = row
        elif row.indicator == COUNT and row.location == location.code:
            cadre_counts[row.group["cadre"]] = row.numerator
    headline = _figures(location, plain[location.code], year)
    lines = [_figures(child, plain[child.code], year) for child in children if child.code in plain]

    cadre_by_code = {cadre.code: cadre for cadre in cadres}
    category_counts: dict[str, int] = defaultdict(int)
    for code, count in cadre_counts.items():
        cadre = cadre_by_code.get(code)
        category_counts[cadre.category if cadre else ""] += count
    category_labels = dict(CadreCategory.choices)
    by_cadre = sorted(
        ((cadre_by_code[c].name if c in cadre_by_code else c, n) for c, n in cadre_counts.items()),
        key=lambda item: (-item[1], item[0]),
    )
    by_category = sorted(
        ((str(category_labels.get(c, c or "unknown")), n) for c, n in category_counts.items()),
        key=lambda item: (-item[1], item[0]),
    )
    per_100k = [line for line in lines if line.per_100k.value is not None]
    dashboard = Dashboard(
        year=year,
        location=location,
        ancestors=list(ancestors),
        headline=headline,
        children=children_sorted(lines, sort),
        sort=sort,
        by_cadre=Split("Workers by cadre", by_cadre),
        by_category=Split("Workers by cadre category", by_category),
        per_100k_missing=[line.location for line in lines if line.per_100k.value is None],
    )
    if charts:
        where = f"{location.name}, {year}"
        dashboard.by_cadre = Split(
            dashboard.by_cadre.title,
            by_cadre,
            bar_chart_svg(
                title=f"Workers by cadre, {where}",
                bars=[Bar(label, n, intcomma(n)) for label, n in by_cadre],
                axis_title="Workers",
            ),
        )
        dashboard.by_category = Split(
            dashboard.by_category.title,
            by_category,
            bar_chart_svg(
                title=f"Workers by cadre category, {where}",
                bars=[Bar(label, n, intcomma(n)) for label, n in by_category],
                axis_title="Workers",
            ),
        )
        dashboard.per_100k_chart = bar_chart_svg(
            title=f"Workers per 100,000 children in the locations of {where}",
            bars=[
                Bar(line.location.name, float(line.per_100k.value or 0), line.per_100k.text)
                for line in per_100k
            ],
            axis_title="Workers per 100,000 children",
        )
    return dashboard
