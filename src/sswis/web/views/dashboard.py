"""The dashboard: the indicators of a year and location, its child locations, and charts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sswis.indicators.selectors import indicators_compute
from sswis.registry.models import Cadre
from sswis.web.dashboard import dashboard_build
from sswis.web.decorators import aggregates_required
from sswis.web.forms import DashboardForm
from sswis.web.views.common import htmx_target, location_choose, render_page

TABLE_ID = "location-table"


@aggregates_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Headline figures of the chosen location and year, a sortable table of its child locations and
    charts. All numbers come from one ``indicators_compute(by=("cadre",), depth=1)`` call.

    ``?year=`` (default this year), ``?location=CODE`` (default the user's own location or the country),
    ``?sort=`` a column (``-`` for descending). An unknown location is a 404. With htmx targeting the
    table, only the table is rendered (no charts drawn).
    """
    form = DashboardForm(request.GET)
    year = form.chosen_year()
    chosen = location_choose(user=request.user, code=form.cleaned("location", ""))
    if chosen is None:
        return render(request, "web/dashboard_empty.html", {"nav": "dashboard"})
    location = chosen.location
    table_only = htmx_target(request) == TABLE_ID
    rows = indicators_compute(year=year, by=("cadre",), location=location, depth=1)
    dashboard_data = dashboard_build(
        year=year,
        location=location,
        rows=rows,
        children=chosen.children,
        ancestors=chosen.ancestors,
        cadres=list(Cadre.objects.all()),
        sort=form.cleaned("sort", "name"),
        charts=not table_only,
    )
    context = {"nav": "dashboard", "form": form, "dashboard": dashboard_data, "table_id": TABLE_ID}
    return render_page(
        request, "web/dashboard.html", context, partials={TABLE_ID: "web/includes/dashboard_table.html"}
    )
