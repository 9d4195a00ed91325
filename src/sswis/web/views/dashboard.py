"""The dashboard: the indicators of a year and location, its child locations, a split, the trend over
the years with data, a map, and charts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sswis.geo.models import Location
from sswis.geo.selectors import population_years
from sswis.indicators.disclosure import small_cell_minimum
from sswis.indicators.rows import SUPERVISED_SHARE, WORKFORCE_INDICATORS
from sswis.indicators.selectors import IndicatorRow, indicators_for_reader
from sswis.indicators.support import SUPPORT_INDICATORS
from sswis.presentation.dashboard import dashboard_build
from sswis.presentation.dashboard_map import map_build
from sswis.presentation.dashboard_support import support_build
from sswis.presentation.dashboard_trend import TREND_INDICATORS, trend_build
from sswis.registry.models import Cadre
from sswis.web.decorators import aggregates_required
from sswis.web.forms import DashboardForm
from sswis.web.views.common import htmx_target, location_choose, render_page

TABLE_ID = "location-table"


def _rows(
    *,
    user: Any,
    years: Sequence[int],
    by: Sequence[str],
    location: Location,
    depth: int,
    indicators: Sequence[str] | None = None,
) -> dict[int, list[IndicatorRow]]:
    """The rows of ``indicators`` (``None``: every one) of each of ``years`` as ``user`` may see them (one
    call: small cells withheld for aggregate-only readers), by year."""
    rows: dict[int, list[IndicatorRow]] = {year: [] for year in years}
    for row in indicators_for_reader(
        user=user, years=years, by=by, location=location, depth=depth, indicators=indicators
    ):
        rows[row.year].append(row)
    return rows


@aggregates_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Headline figures of the chosen location and year, a sortable table of its child locations (with
    a row for the workers at the location itself), the chosen split, the support figures (supervision
    and caseloads) of the location and its child locations, the trend over every year with child
    population figures, a map and charts.

    ``?year=`` (default: the latest year with child population figures), ``?location=CODE`` (default
    the user's own location or the country), ``?by=`` a dimension (default ``cadre``), ``?sort=`` a
    column (``-`` for descending). An unknown location is a 404. With htmx targeting the table, only
    the table is rendered (no charts drawn).
    """
    years = population_years()
    form = DashboardForm(request.GET, years=years)
    year = form.chosen_year()
    chosen = location_choose(user=request.user, code=form.cleaned("location", ""))
    if chosen is None:
        return render(request, "web/dashboard_empty.html", {"nav": "dashboard"})
    location = chosen.location
    table_only = htmx_target(request) == TABLE_ID
    dimension = form.chosen_dimension()
    minimum = small_cell_minimum()
    rows = _rows(
        user=request.user,
        years=[year],
        by=(dimension,),
        location=location,
        depth=1,
        indicators=(*WORKFORCE_INDICATORS, SUPERVISED_SHARE, *SUPPORT_INDICATORS),  # the support cards too
    )[year]
    dashboard_data = dashboard_build(
        year=year,
        location=location,
        rows=rows,
        children=chosen.children,
        ancestors=chosen.ancestors,
        cadres=list(Cadre.objects.all()) if dimension == "cadre" else [],
        dimension=dimension,
        sort=form.cleaned("sort", "name"),
        minimum=minimum,
        charts=not table_only,
    )
    context: dict[str, Any] = {
        "nav": "dashboard",
        "form": form,
        "dashboard": dashboard_data,
        "table_id": TABLE_ID,
        "year_note": _year_note(year=year, years=years, latest=form.latest),
    }
    if not table_only:
        trend_years = sorted(years) if years else [year]
        context["trend"] = trend_build(
            location=location,
            rows_by_year=_rows(
                user=request.user,
                years=trend_years,
                by=(),
                location=location,
                depth=0,
                indicators=TREND_INDICATORS,
            ),
        )
        context["map"] = map_build(location=location, year=year, children=dashboard_data.children)
        context["support"] = support_build(
            location=location,
            children=[line.location for line in dashboard_data.children],
            rows=rows,
            minimum=minimum,
        )
    return render_page(
        request, "web/dashboard.html", context, partials={TABLE_ID: "web/includes/dashboard_table.html"}
    )


def _year_note(*, year: int, years: Sequence[int], latest: int) -> str:
    """What the page says about the year it shows."""
    if not years:
        return _(
            "%(year)d: no year has child population figures yet, so no figure per 100,000 children is known."
        ) % {"year": year}
    if year == latest:
        return _("%(year)d: the latest year with child population figures.") % {"year": year}
    return ""
