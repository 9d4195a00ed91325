"""Costs on the pages: for a year and a location, what each cadre's counted workers cost (salary scales,
the post's grade winning; on-costs; other costs per worker) there and in each place below, and what
closing each cadre's gap would cost a year; the salary scales and costs, which a national data manager
sets here. The figures are those of ``sswis plan costs`` and the API (``planning.costs``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import policy
from sswis.geo.selectors import population_years
from sswis.planning.costs import workforce_costs
from sswis.planning.models import CadreCost, SalaryScale
from sswis.planning.services import cadre_cost_set, salary_scale_set
from sswis.registry.models import Cadre
from sswis.web.decorators import aggregates_required, plan_change_required
from sswis.web.forms import DashboardForm
from sswis.web.plan_forms import CadreCostForm, SalaryScaleForm
from sswis.web.views.common import location_choose


def _national(user: Any) -> bool:
    return policy.scope_of(user).covers_location(None)


@aggregates_required
def plan_costs_view(request: HttpRequest) -> HttpResponse:
    """``?year=`` and ``?location=CODE`` as on the norms page: the location's costs by cadre, then each
    place below it."""
    form = DashboardForm(request.GET, years=population_years())
    year = form.chosen_year()
    chosen = location_choose(user=request.user, code=form.cleaned("location", ""))
    context: dict[str, Any] = {"nav": "planning", "form": form, "year": year, "choice": chosen}
    if chosen is not None:
        rows = workforce_costs(year=year, location=chosen.location, depth=1)
        names = dict(Cadre.objects.values_list("code", "name"))
        places = {place.code: place for place in chosen.children}
        context.update(
            own=[
                (row, names.get(row.cadre, row.cadre)) for row in rows if row.location == chosen.location.code
            ],
            below=[
                (places[row.location], row, names.get(row.cadre, row.cadre))
                for row in rows
                if row.location in places
            ],
            scales=list(
                SalaryScale.objects.select_related("cadre").order_by("cadre__code", "grade", "valid_from")
            ),
            costs=list(CadreCost.objects.select_related("cadre").order_by("cadre__code", "valid_from")),
        )
        if _national(request.user):
            context["scale_form"] = SalaryScaleForm(initial={"valid_from": year})
            context["cost_form"] = CadreCostForm(initial={"valid_from": year})
    return render(request, "web/planning/costs.html", context)


@plan_change_required
@require_POST
def salary_scale_set_view(request: HttpRequest) -> HttpResponse:
    """Record a salary scale (a national data manager)."""
    if not _national(request.user):
        raise PermissionDenied(
            _("Only a national data manager may change the country's salary scales and costs.")
        )
    form = SalaryScaleForm(request.POST)
    if not form.is_valid():
        return render(request, "web/planning/cost_form.html", {"nav": "planning", "form": form}, status=400)
    scale = salary_scale_set(actor=request.user, **form.cleaned_data)
    messages.success(request, _("Salary scale saved: %(scale)s.") % {"scale": scale})
    return redirect("web:plan_costs")


@plan_change_required
@require_POST
def cadre_cost_set_view(request: HttpRequest) -> HttpResponse:
    """Record a cadre's on-cost rate and other costs (a national data manager)."""
    if not _national(request.user):
        raise PermissionDenied(
            _("Only a national data manager may change the country's salary scales and costs.")
        )
    form = CadreCostForm(request.POST)
    if not form.is_valid():
        return render(request, "web/planning/cost_form.html", {"nav": "planning", "form": form}, status=400)
    cost = cadre_cost_set(actor=request.user, **form.cleaned_data)
    messages.success(request, _("Costs saved: %(cost)s.") % {"cost": cost})
    return redirect("web:plan_costs")
