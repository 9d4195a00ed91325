"""Norms and gaps on the pages: for a year and a location, the required staff and the gap of every group
with a norm in force, at the location and each location below it (table, chart, map coloured by gap),
the same by urban/rural setting with their disparity, and the norms themselves, which a national data
manager, or a subnational officer in their area, sets and removes here. The figures are those of
``sswis plan norms`` and the API (``planning.norms``, ``planning.settings_gaps``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import policy
from sswis.geo.models import Setting
from sswis.geo.selectors import population_years
from sswis.planning.models import Norm, NormGroup
from sswis.planning.norms import NormGap, norm_gaps
from sswis.planning.services import norm_delete, norm_set
from sswis.planning.settings_gaps import setting_disparity, setting_gaps
from sswis.presentation.charts import Area, Bar, bar_chart_svg, map_svg
from sswis.presentation.number_text import decimal_text
from sswis.registry.models import Cadre, CadreCategory
from sswis.web.decorators import aggregates_required, plan_change_required
from sswis.web.forms import DashboardForm
from sswis.web.plan_forms import NormForm
from sswis.web.views.common import location_choose


def _group_key(group: dict[str, str]) -> str:
    """A group as a query value: ``""`` (whole workforce), ``category:X`` or ``cadre:X``."""
    return next((f"{kind}:{code}" for kind, code in group.items()), "")


def _group_label(group: dict[str, str], cadres: dict[str, str]) -> str:
    if "cadre" in group:
        return cadres.get(group["cadre"], group["cadre"])
    if "category" in group:
        return str(CadreCategory(group["category"]).label)
    return _("Whole workforce")


def setting_label(setting: str) -> str:
    """``urban``, ``rural``, ``mixed`` or ``unknown`` in the reader's language."""
    return str(Setting(setting).label) if setting in Setting.values else _("Unknown")


def _gap_chart(lines: list[tuple[Any, NormGap]], title: str) -> Any:
    bars = [
        Bar(label=place.name, value=row.gap, text=decimal_text(row.gap))
        for place, row in lines
        if row.gap is not None
    ]
    return bar_chart_svg(title=title, bars=bars, axis_title=_("Gap (counted less required)"))


def _gap_map(lines: list[tuple[Any, NormGap]], title: str) -> Any:
    areas = [
        Area(
            name=place.name,
            geometry=place.boundary,
            value=-row.gap if row.gap is not None else None,
            text=decimal_text(-row.gap) if row.gap is not None else "—",
        )
        for place, row in lines
        if place.boundary
    ]
    return map_svg(title=title, areas=areas, legend_title=_("Shortage (required less counted)"))


@aggregates_required
def plan_norms_view(request: HttpRequest) -> HttpResponse:
    """``?year=`` (default: the latest year with child population figures), ``?location=CODE`` (default:
    the user's own or the country), ``?group=`` (``""``, ``category:X`` or ``cadre:X``; default the whole
    workforce, else the first group with a norm)."""
    form = DashboardForm(request.GET, years=population_years())
    year = form.chosen_year()
    chosen = location_choose(user=request.user, code=form.cleaned("location", ""))
    context: dict[str, Any] = {"nav": "planning", "form": form, "year": year, "choice": chosen}
    may_change = policy.may_change_plans(user=request.user)
    context["may_change"] = may_change
    if chosen is not None:
        location = chosen.location
        gaps = norm_gaps(year=year, location=location, depth=1)
        cadres = dict(Cadre.objects.values_list("code", "name"))
        groups = list(dict.fromkeys(_group_key(row.group) for row in gaps))
        group = request.GET.get("group", groups[0] if groups else "")
        if group not in groups and groups:
            group = groups[0]
        rows = [row for row in gaps if _group_key(row.group) == group]
        places = {place.code: place for place in [location, *chosen.children]}
        own = next((row for row in rows if row.location == location.code), None)
        lines = sorted(
            (
                (places[row.location], row)
                for row in rows
                if row.location != location.code and row.location in places
            ),
            key=lambda line: line[0].name,
        )
        label = _group_label(dict([group.split(":", 1)]) if group else {}, cadres)
        setting_rows = setting_gaps(year=year, location=location, depth=0)
        context.update(
            groups=[(key, _group_label(dict([key.split(":", 1)]) if key else {}, cadres)) for key in groups],
            group=group,
            group_label=label,
            own=own,
            lines=lines,
            chart=_gap_chart(
                lines, _("Gap by location: %(group)s, %(year)d") % {"group": label, "year": year}
            ),
            map=_gap_map(
                lines, _("Shortage by location: %(group)s, %(year)d") % {"group": label, "year": year}
            ),
            settings=setting_rows,
            disparity=setting_disparity(rows=setting_rows),
            settings_chart=bar_chart_svg(
                title=_("Workers per 100,000 children by setting, %(year)d") % {"year": year},
                bars=[
                    Bar(label=setting_label(row.setting), value=row.per_100k, text=decimal_text(row.per_100k))
                    for row in setting_rows
                    if row.per_100k is not None
                ],
                axis_title=_("Per 100,000 children"),
            ),
            norms=list(
                Norm.objects.select_related("location", "cadre").order_by(
                    "location__path", "group", "valid_from"
                )
            ),
            plannable=set(policy.locations_plannable(user=request.user).values_list("pk", flat=True))
            if may_change
            else set(),
        )
        if may_change:
            context["norm_form"] = NormForm(
                initial={"location": location, "valid_from": year},
                locations=policy.locations_plannable(user=request.user),
            )
    return render(request, "web/planning/norms.html", context)


@plan_change_required
def norm_set_view(request: HttpRequest) -> HttpResponse:
    """Record a norm (POST), or show its form again with what is wrong; nothing is stored then."""
    form = NormForm(request.POST or None, locations=policy.locations_plannable(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = data["group"]
        norm = norm_set(
            actor=request.user,
            location=data["location"],
            target_per_100k=data["target_per_100k"],
            valid_from=data["valid_from"],
            source=data["source"],
            cadre=data["cadre"] if group == NormGroup.CADRE else None,
            category=data["category"] if group == NormGroup.CATEGORY else "",
        )
        messages.success(request, _("Norm saved: %(norm)s.") % {"norm": norm})
        return redirect(f"{_norms_url()}?location={norm.location.code}")
    return render(request, "web/planning/norm_form.html", {"nav": "planning", "norm_form": form})


@plan_change_required
@require_POST
def norm_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a norm (its history keeps it)."""
    norm = get_object_or_404(Norm.objects.select_related("location"), pk=pk)
    if not policy.locations_plannable(user=request.user).filter(pk=norm.location_id).exists():
        raise PermissionDenied(_("This norm is set on a place outside your area."))
    norm_delete(actor=request.user, norm=norm)
    messages.success(request, _("Norm removed."))
    return redirect(f"{_norms_url()}?location={norm.location.code}")


def _norms_url() -> str:
    return reverse("web:plan_norms")
