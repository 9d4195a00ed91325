"""Supervision's pages of figures and of the database (``/support/supervision/``): the compliance view of a
location on a day, the supervisor database and the rules (``docs/support.md``, "Supervision").

Who: the compliance view and the rules, every role but outsiders and workers' own logins (the counts, small
cells withheld for whoever does not get every figure of the location; the lists of workers for readers of
people, those they see); the supervisor database, readers of people (the workers they see). The rules are
changed by a national data manager or a system administrator.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sswis.access import policy
from sswis.access.support_policy import may_change_rules, require_rules_change
from sswis.geo.models import Location
from sswis.support.compliance import LIST_TITLES, LISTS, compliance
from sswis.support.supervision import RULES_FIELDS, rules_change, rules_current
from sswis.support.supervision_selectors import supervisor_rows, supervisors_queryset
from sswis.web.decorators import aggregates_required, people_required
from sswis.web.forms import form_add_service_errors, locations_for_filter
from sswis.web.supervision_forms import DayFilterForm, RulesForm, SupervisorFilterForm
from sswis.web.views.common import page_of

NAV = "supervision"


@aggregates_required
def compliance_view(request: HttpRequest) -> HttpResponse:
    """The compliance of a location (``?location=``, default the user's area, else the country) on a day
    (``?day=``, default today)."""
    form = DayFilterForm(request.GET, locations=Location.objects.all())
    location = form.cleaned("location") or policy.default_location_for(user=request.user)
    result = compliance(user=request.user, location=location, day=form.day_chosen())
    sections = [
        {
            "name": name,
            "title": LIST_TITLES[name],
            "count": result.counts[name],
            "entries": result.lists[name] if result.lists is not None else None,
            "listed": result.listed.get(name, 0),
        }
        for name in LISTS
    ]
    return render(
        request,
        "web/support/supervision/compliance.html",
        {"nav": NAV, "tab": "compliance", "form": form, "result": result, "sections": sections},
    )


@people_required
def supervisor_list_view(request: HttpRequest) -> HttpResponse:
    """The supervisor database on a day: the supervisors the user sees, 50 a page."""
    form = SupervisorFilterForm(request.GET, locations=locations_for_filter(user=request.user))
    day = form.day_chosen()
    rules = rules_current()
    workers = supervisors_queryset(
        user=request.user,
        day=day,
        rules=rules,
        location=form.cleaned("location"),
        cadre=form.cleaned("cadre"),
        who=form.cleaned("who", "supervising"),
        over_norm=form.over_norm_chosen(),
    )
    page = page_of(request, workers)
    return render(
        request,
        "web/support/supervision/supervisors.html",
        {
            "nav": NAV,
            "tab": "supervisors",
            "form": form,
            "day": day,
            "rules": rules,
            "page_obj": page,
            "rows": supervisor_rows(list(page.object_list), day=day, rules=rules),
        },
    )


def _rules_initial() -> dict[str, Any]:
    rules = rules_current()
    return {name: getattr(rules, name) for name in RULES_FIELDS}


@aggregates_required
def rules_view(request: HttpRequest) -> HttpResponse:
    """The country's supervision rules; a national data manager or a system administrator changes them
    (POST). A refusal is shown on the form (400) and writes nothing."""
    may_change = may_change_rules(user=request.user)
    if request.method == "POST":
        require_rules_change(user=request.user)
        form = RulesForm(request.POST)
        if form.is_valid():
            try:
                rules_change(actor=request.user, changes=dict(form.cleaned_data))
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("The supervision rules are saved."))
                return redirect("web:supervision_rules")
    else:
        form = RulesForm(initial=_rules_initial())
    return render(
        request,
        "web/support/supervision/rules.html",
        {"nav": NAV, "tab": "rules", "form": form, "rules": rules_current(), "may_change": may_change},
        status=400 if form.errors else 200,
    )
