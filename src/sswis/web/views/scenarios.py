"""Projection scenarios on the pages: the list, a scenario's projection (table, supply against
requirement, stacked cost; CSV and XLSX), the form that creates or changes one, and two to four side by
side. Every figure comes from ``sswis.planning`` (the same functions as ``sswis plan project`` and the
API). Anyone with a role reads and runs scenarios (aggregates); a national data manager, or a subnational
officer for their area, changes them (``access.policy``, in the services)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import policy
from sswis.exports.http import table_download
from sswis.exports.models import ExportFormat
from sswis.geo.models import Location
from sswis.planning.comparison import MAXIMUM_COMPARED, OUTCOME_COLUMNS, outcome_rows, scenarios_compare
from sswis.planning.inputs import PlanInputError
from sswis.planning.models import Scenario
from sswis.planning.projection import PROJECTION_COLUMNS, Projection, ProjectionRow, scenario_project
from sswis.planning.selectors import scenario_parameters, scenarios_listed
from sswis.planning.services import scenario_delete, scenario_save
from sswis.planning.training_graduates import scenario_graduates_from_training, scenario_training_graduates
from sswis.registry.models import Cadre
from sswis.web.decorators import aggregates_required, plan_change_required
from sswis.web.plan_charts import Series, lines_chart_svg, stacked_bars_svg
from sswis.web.plan_forms import ScenarioForm


def _scenario(code: str) -> Scenario:
    scenario = scenarios_listed().filter(code=code).first()
    if scenario is None:
        raise Http404(_("No scenario with this code."))
    return scenario


@aggregates_required
def scenario_list_view(request: HttpRequest) -> HttpResponse:
    """Every stored scenario, with links to project each and to compare them."""
    return render(
        request,
        "web/planning/scenario_list.html",
        {
            "nav": "planning",
            "scenarios": list(scenarios_listed()),
            "may_change": policy.may_change_plans(user=request.user),
            "maximum_compared": MAXIMUM_COMPARED,
        },
    )


def _cadre_names() -> dict[str, str]:
    return dict(Cadre.objects.values_list("code", "name"))


def _by_cadre(projection: Projection) -> dict[str, list[ProjectionRow]]:
    rows: dict[str, list[ProjectionRow]] = defaultdict(list)
    for row in projection.rows:
        rows[row.cadre].append(row)
    return rows


def _charts(projection: Projection, names: dict[str, str]) -> dict[str, Any]:
    """Per cadre, a chart of supply against requirement; and the yearly cost stacked by cadre."""
    years = [projection.scenario.base_year + t for t in projection.scenario.years]
    by_cadre = _by_cadre(projection)
    supply = {
        cadre: lines_chart_svg(
            title=_("%(cadre)s: supply and requirement") % {"cadre": names.get(cadre, cadre)},
            years=years,
            series=[
                Series(_("Supply"), tuple(row.stock for row in rows)),
                Series(_("Requirement"), tuple(row.required for row in rows)),
            ],
            axis_title=_("Workers"),
        )
        for cadre, rows in by_cadre.items()
    }
    cost = stacked_bars_svg(
        title=_("Cost a year, by cadre"),
        years=years,
        series=[
            Series(names.get(cadre, cadre), tuple(row.cost for row in rows))
            for cadre, rows in by_cadre.items()
        ],
        axis_title=_("Cost (%(currency)s)") % {"currency": projection.scenario.currency or "—"},
    )
    return {"supply": supply, "cost": cost}


def _projection_for(request: HttpRequest, scenario: Scenario) -> tuple[Projection, Location | None]:
    code = request.GET.get("location", "")
    location = None
    if code:
        location = policy.locations_in_scope(user=request.user).filter(code=code).first()
        if location is None:
            raise Http404(_("No location with this code."))
    try:
        return scenario_project(scenario=scenario_parameters(scenario=scenario), location=location), location
    except ValueError as problem:
        raise Http404(str(problem)) from problem


@aggregates_required
def scenario_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """``?location=CODE`` (default: the scenario's own location): the scenario's projection there, cadre
    by cadre, year by year, with its charts, the attrition rates used and the downloads."""
    scenario = _scenario(code)
    projection, _location = _projection_for(request, scenario)
    names = _cadre_names()
    places = [
        (
            place["code"],
            f"{'— ' * (place['depth'] - scenario.location.depth)}{place['name']} ({place['code']})",
        )
        for place in Location.objects.filter(path__startswith=scenario.location.path)
        .order_by("path")
        .values("code", "name", "depth")
    ]
    charts = _charts(projection, names)
    graduates = scenario_training_graduates(scenario=scenario)
    return render(
        request,
        "web/planning/scenario_detail.html",
        {
            "nav": "planning",
            "scenario": scenario,
            "parameters": projection.scenario,
            "projection": projection,
            "location_code": projection.rows[0].location if projection.rows else scenario.location.code,
            "places": places,
            "cadres": [
                (
                    cadre,
                    names.get(cadre, cadre),
                    rows,
                    projection.attrition_rates.get(cadre),
                    charts["supply"][cadre],
                )
                for cadre, rows in _by_cadre(projection).items()
            ],
            "cost_chart": charts["cost"],
            "may_change": policy.may_change_plans(user=request.user),
            "training_graduates": graduates,
            "training_rows": [
                (code, names.get(code, code), values) for code, values in graduates.cadres.items()
            ],
            "may_use_graduates": policy.scope_of(request.user).covers_location(scenario.location),
        },
    )


@aggregates_required
def scenario_projection_download_view(request: HttpRequest, code: str, extension: str) -> HttpResponseBase:
    """The projection shown on the page as a CSV or XLSX file, the contract's columns, unrounded."""
    if extension not in ExportFormat.values:
        raise Http404(_("Choose csv or xlsx."))
    scenario = _scenario(code)
    projection, _location = _projection_for(request, scenario)
    return table_download(
        header=PROJECTION_COLUMNS,
        rows=([getattr(row, column) for column in PROJECTION_COLUMNS] for row in projection.rows),
        file_format=ExportFormat(extension),
        file_name=f"projection-{scenario.code}.{extension}",
        sheet="projection",
    )


@plan_change_required
def scenario_edit_view(request: HttpRequest, code: str = "") -> HttpResponse:
    """Create a scenario (no code) or change one: the form writes the contract's document and
    ``scenario_save`` stores it, or sends its problem back to the field it names; nothing is stored then."""
    scenario = _scenario(code) if code else None
    locations = policy.locations_plannable(user=request.user)
    if scenario is not None and not locations.filter(pk=scenario.location_id).exists():
        raise PermissionDenied(_("This scenario plans for a place outside your area."))
    cadres = Cadre.objects.order_by("code")
    if request.method == "POST":
        form = ScenarioForm(request.POST, cadres=cadres, locations=locations)
        if form.is_valid():
            try:
                saved = scenario_save(actor=request.user, data=form.document())
            except PlanInputError as problem:
                form.add_plan_error(problem)
            else:
                messages.success(request, _("Scenario %(code)s saved.") % {"code": saved.code})
                return redirect("web:scenario_detail", code=saved.code)
    else:
        initial = (
            ScenarioForm.initial_of(scenario.document, location=scenario.location)
            if scenario is not None
            else {"location": policy.default_location_for(user=request.user)}
        )
        form = ScenarioForm(initial=initial, cadres=cadres, locations=locations)
    return render(
        request,
        "web/planning/scenario_form.html",
        {"nav": "planning", "form": form, "scenario": scenario},
    )


@plan_change_required
@require_POST
def scenario_training_graduates_view(request: HttpRequest, code: str) -> HttpResponse:
    """Write the graduates from training into the scenario (``planning.training_graduates``), every other
    parameter kept; a scenario whose cadres training does not prepare for is left as it is, with why."""
    scenario = _scenario(code)
    try:
        scenario_graduates_from_training(actor=request.user, scenario=scenario)
    except PlanInputError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(
            request, _("Scenario %(code)s now takes its graduates from training.") % {"code": scenario.code}
        )
    return redirect("web:scenario_detail", code=scenario.code)


@plan_change_required
@require_POST
def scenario_delete_view(request: HttpRequest, code: str) -> HttpResponse:
    """Remove a scenario (its history keeps it)."""
    scenario = _scenario(code)
    scenario_delete(actor=request.user, scenario=scenario)
    messages.success(request, _("Scenario %(code)s removed.") % {"code": code})
    return redirect("web:scenario_list")


@aggregates_required
def scenario_comparison_view(request: HttpRequest) -> HttpResponseBase:
    """``?scenarios=A&scenarios=B`` (two to four): their outcomes side by side, at each one's own
    location, and the workers per 100,000 children each reaches, year by year; with ``format=csv`` the
    outcomes as one CSV file, unrounded."""
    codes = list(dict.fromkeys(code for code in request.GET.getlist("scenarios") if code))
    stored = {scenario.code: scenario for scenario in scenarios_listed().filter(code__in=codes)}
    context: dict[str, Any] = {
        "nav": "planning",
        "scenarios": list(scenarios_listed()),
        "chosen": codes,
        "maximum_compared": MAXIMUM_COMPARED,
    }
    if codes:
        if len(stored) != len(codes):
            raise Http404(_("No scenario with this code."))
        try:
            projections, outcomes = scenarios_compare(
                scenarios=[scenario_parameters(scenario=stored[code]) for code in codes]
            )
        except ValueError as problem:
            context["problem"] = str(problem)
        else:
            if request.GET.get("format") == "csv":
                return table_download(
                    header=OUTCOME_COLUMNS,
                    rows=outcome_rows(outcomes=outcomes),
                    file_format=ExportFormat.CSV,
                    file_name="scenarios-compared.csv",
                    sheet="scenarios",
                )
            names = _cadre_names()
            context["outcomes"] = [(outcome, names.get(outcome.cadre, outcome.cadre)) for outcome in outcomes]
            context["chart"] = _comparison_chart(projections)
    return render(request, "web/planning/scenario_comparison.html", context)


def _comparison_chart(projections: list[Projection]) -> Any:
    """Workers of all the cadres per 100,000 children, year by year, one line per scenario."""
    years = sorted({row.year for projection in projections for row in projection.rows})
    series = []
    for projection in projections:
        per_year: dict[int, float | None] = {}
        for row in projection.rows:
            if row.per_100k is None:
                per_year[row.year] = None
            elif per_year.get(row.year, 0.0) is not None:
                per_year[row.year] = (per_year.get(row.year) or 0.0) + row.per_100k
        series.append(Series(projection.scenario.name, tuple(per_year.get(year) for year in years)))
    return lines_chart_svg(
        title=_("Workers per 100,000 children, by scenario"),
        years=years,
        series=series,
        axis_title=_("Per 100,000 children"),
    )
