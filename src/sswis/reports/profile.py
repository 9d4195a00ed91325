"""The country workforce profile ("state of the social service workforce") of a location and year: every
figure it shows, assembled from the domain apps' selectors and the shared presentation of the dashboard.

One definition per figure: the workforce and support indicators are the rows of ``sswis.indicators``
(through :class:`sswis.reports.reader.Reader`, which applies the small-cell rule for the reader and for
publication), picked out and formatted exactly as the dashboard does (``sswis.presentation``); caseloads,
attrition, perceptions, planning and the quality-assurance score come from their own apps
(``profile_sections``). Nothing is counted here.

The charts and the map are SVG drawn on the server (``sswis.presentation.charts``): the web page and the
PDF embed the same markup.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.geo.models import Location
from sswis.geo.selectors import population_years
from sswis.indicators.definitions import DIMENSIONS
from sswis.indicators.disclosure import small_cell_minimum
from sswis.indicators.rows import SUPERVISED_SHARE, WORKFORCE_INDICATORS
from sswis.indicators.support import SUPPORT_INDICATORS
from sswis.presentation.dashboard import Dashboard, Split, dashboard_build, split_build
from sswis.presentation.dashboard_map import DashboardMap, map_build
from sswis.presentation.dashboard_support import SupportPanel, support_build
from sswis.presentation.dashboard_trend import TREND_INDICATORS, Trend, trend_build
from sswis.registry.models import Cadre
from sswis.reports.profile_sections import (
    AttritionSection,
    CaseloadSection,
    MethodsAnnex,
    PerceptionSection,
    PlanningSection,
    QualitySection,
    attrition_section,
    caseload_section,
    methods_annex,
    perception_section,
    planning_section,
    quality_section,
)
from sswis.reports.reader import Reader

SPLIT_DIMENSIONS = ("cadre", "category", "employer", "sector", "sex", "education", "setting")
HEADLINE_INDICATORS = tuple(dict.fromkeys((*WORKFORCE_INDICATORS, SUPERVISED_SHARE, *SUPPORT_INDICATORS)))

Progress = Callable[[int, str], None]


@dataclass
class Profile:
    """Everything one profile shows. ``every_figure``: the reader sees the small cells of this location
    (never for publication)."""

    location: Location
    ancestors: list[Location]
    year: int
    publication: bool
    every_figure: bool
    minimum: int
    made_at: datetime.datetime
    dashboard: Dashboard
    trend: Trend
    map: DashboardMap
    splits: list[Split]
    support: SupportPanel | None
    caseloads: CaseloadSection
    attrition: AttritionSection
    perceptions: PerceptionSection
    planning: PlanningSection
    quality: QualitySection
    methods: MethodsAnnex
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("State of the social service workforce: %(location)s, %(year)d") % {
            "location": self.location.name,
            "year": self.year,
        }


def _no_progress(percent: int, stage: str) -> None:
    return None


def profile_build(
    *,
    reader: Reader,
    location: Location,
    year: int,
    scenario_code: str = "",
    progress: Progress | None = None,
) -> Profile:
    """The profile of ``location`` and ``year`` as ``reader`` gets it. ``progress(percent, stage)`` is
    called as each part is done (the background job records it). ``scenario_code``: the planning scenario
    to show (default: see ``profile_sections.scenario_chosen``).

    Raises ``ValueError`` for a year the indicators refuse or an unknown scenario, and ``PermissionDenied``
    for a reader who may not see aggregates."""
    step = progress or _no_progress
    minimum = small_cell_minimum()
    children = list(Location.objects.filter(parent=location).order_by("code"))
    ancestors = list(Location.objects.filter(pk__in=_ancestor_ids(location)).order_by("depth"))
    step(5, _("Headline figures"))
    rows = reader.rows(years=[year], by=(), location=location, depth=1, indicators=HEADLINE_INDICATORS)
    dashboard = dashboard_build(
        year=year,
        location=location,
        rows=rows,
        children=children,
        ancestors=ancestors,
        cadres=[],
        dimension="cadre",
        sort="-per_100k",
        minimum=minimum,
    )
    step(15, _("Change since earlier years"))
    years = sorted({*(y for y in population_years() if y <= year), year})
    trend_rows = reader.rows(years=years, by=(), location=location, depth=0, indicators=TREND_INDICATORS)
    by_year: dict[int, list[Any]] = {y: [] for y in years}
    for row in trend_rows:
        by_year[row.year].append(row)
    trend = trend_build(location=location, rows_by_year=by_year)
    step(25, _("Map"))
    drawn = map_build(location=location, year=year, children=dashboard.children)
    cadres = list(Cadre.objects.all())
    splits = []
    for index, dimension in enumerate(SPLIT_DIMENSIONS):
        step(30 + index * 4, _("Workers by %(dimension)s") % {"dimension": DIMENSIONS[dimension].title})
        split_rows = reader.rows(
            years=[year],
            by=(dimension,),
            location=location,
            depth=0,
            indicators=("workforce.per_100k_children",),
        )
        splits.append(
            split_build(
                dimension=dimension,
                location=location,
                year=year,
                rows=split_rows,
                cadres=cadres,
                minimum=minimum,
                charts=True,
            )
        )
    support = support_build(
        location=location, children=[line.location for line in dashboard.children], rows=rows, minimum=minimum
    )
    step(60, _("Caseloads"))
    caseloads = caseload_section(reader=reader, location=location, year=year)
    step(65, _("Attrition"))
    attrition = attrition_section(reader=reader, location=location, year=year)
    step(72, _("Perceptions"))
    perceptions = perception_section(reader=reader, location=location, year=year)
    step(78, _("Planning gap and cost"))
    planning = planning_section(location=location, year=year, code=scenario_code)
    step(85, _("Quality-assurance score"))
    quality = quality_section(year=year)
    step(88, _("Methods"))
    return Profile(
        location=location,
        ancestors=ancestors,
        year=year,
        publication=reader.publication,
        every_figure=reader.shows_every_figure(location),
        minimum=minimum,
        made_at=timezone.now(),
        dashboard=dashboard,
        trend=trend,
        map=drawn,
        splits=splits,
        support=support,
        caseloads=caseloads,
        attrition=attrition,
        perceptions=perceptions,
        planning=planning,
        quality=quality,
        methods=methods_annex(planning=planning),
    )


def _ancestor_ids(location: Location) -> list[int]:
    """The ids of the locations above ``location`` (its materialised path holds them, root first)."""
    return [int(pk) for pk in location.path.split("/") if pk][:-1]
