"""The caseloads' figures (``/support/caseloads/norms/``, ``distribution/``): the caseload norms per cadre
and kind (read by every role but outsiders and workers' own logins, set and removed by a national data
manager or a system administrator), and the distribution of a month's caseloads per location and cadre with
its chart (small cells withheld for readers who may not see every figure: ``support.caseload_distribution``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import policy, support_policy
from sswis.presentation.number_text import decimal_text
from sswis.support.caseload_distribution import DistributionRow, distribution_for_reader
from sswis.support.caseload_selectors import norms_listed
from sswis.support.caseloads import caseload_norm_remove, caseload_norm_set
from sswis.web.caseload_charts import Spread, caseload_spread_svg
from sswis.web.caseload_forms import DistributionForm, NormForm, kind_of, last_month
from sswis.web.decorators import rules_change_required, support_read_required
from sswis.web.forms import form_add_service_errors

NAV = "caseloads"


@support_read_required
def norm_list_view(request: HttpRequest) -> HttpResponse:
    """The caseload norms; for those who may change them, the form setting one (POST here)."""
    may_change = support_policy.may_change_rules(user=request.user)
    form = NormForm(request.POST or None) if may_change else None
    status = 200
    if request.method == "POST":
        support_policy.require_rules_change(user=request.user)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            try:
                caseload_norm_set(
                    actor=request.user,
                    cadre=data["cadre"],
                    kind=kind_of(form),
                    maximum_open_cases=data["maximum_open_cases"],
                    source=data["source"],
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("The caseload norm is saved."))
                return redirect("web:caseload_norms")
        status = 400
    return render(
        request,
        "web/support/caseloads/norms.html",
        {
            "nav": NAV,
            "norms": norms_listed(user=request.user),
            "form": form,
            "may_change": may_change,
            "reads_people": policy.scope_of(request.user).sees_people,
        },
        status=status,
    )


@rules_change_required
@require_POST
def norm_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a caseload norm (its history keeps it)."""
    caseload_norm_remove(actor=request.user, norm=get_object_or_404(norms_listed(user=request.user), pk=pk))
    messages.success(request, _("The caseload norm is removed."))
    return redirect("web:caseload_norms")


def _spreads(rows: list[DistributionRow]) -> list[Spread]:
    return [
        Spread(
            label=f"{row.location_name} ({row.location})",
            lower_quartile=float(row.lower_quartile),
            median=float(row.median),
            upper_quartile=float(row.upper_quartile),
            text=decimal_text(row.median),
        )
        for row in rows
        if row.median is not None and row.lower_quartile is not None and row.upper_quartile is not None
    ]


@support_read_required
def distribution_view(request: HttpRequest) -> HttpResponse:
    """``?month=&kind=&location=&cadre=``: the distribution at the chosen location (by default the user's
    own, else the country) and the locations one level below it, per cadre; the chart shows one cadre's
    spread per location against its norm."""
    form = DistributionForm(request.GET or None, locations=policy.locations_in_scope(user=request.user))
    month = form.cleaned("month") or last_month()
    kind = kind_of(form) if form.is_bound and form.is_valid() else "all"
    location = form.cleaned("location") or policy.default_location_for(user=request.user)
    distribution = distribution_for_reader(
        user=request.user, month=month, kind=kind, location=location, depth=1
    )
    rows = distribution.rows
    charted = form.cleaned("cadre")
    cadre_code = charted.code if charted is not None else next((row.cadre for row in rows), None)
    charted_rows = [row for row in rows if row.cadre == cadre_code]
    norm: Any = next((row.norm for row in charted_rows), None)
    chart = caseload_spread_svg(
        title=_("Open cases of the %(cadre)s, lower quartile to upper quartile, median marked")
        % {"cadre": charted_rows[0].cadre_name if charted_rows else ""},
        spreads=_spreads(charted_rows),
        norm=norm,
        axis_title=_("Open cases"),
    )
    return render(
        request,
        "web/support/caseloads/distribution.html",
        {
            "nav": NAV,
            "form": form,
            "month": month,
            "kind": kind,
            "location": location,
            "distribution": distribution,
            "rows": rows,
            "chart": chart,
            "charted_rows": charted_rows,
            "norm": norm,
            "reads_people": policy.scope_of(request.user).sees_people,
        },
    )
