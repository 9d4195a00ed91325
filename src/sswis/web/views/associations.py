"""The professional associations' pages (``/support/associations/``): the list, one association (with its
members on a day as a count), the forms that add and change one, and the membership figures table.

Associations describe no person: every role but a worker's own login reads them
(``support_policy.require_support_read``); a national data manager adds and changes them
(``require_association_change``). The member count and the figures are aggregates, their small cells
withheld for readers who may not see every figure (``support.association_selectors``). The memberships
themselves (persons) are on the pages of ``association_memberships``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sswis.access import policy, support_policy
from sswis.support import associations as services
from sswis.support.association_selectors import (
    association_members_count,
    associations_listed,
    membership_figures_for_reader,
)
from sswis.support.models_associations import Association
from sswis.web.association_forms import AssociationForm, FiguresForm, MembersDayForm
from sswis.web.decorators import association_managers_required, support_read_required
from sswis.web.forms import form_add_service_errors

NAV = "associations"


def association_url(association: Association) -> str:
    return reverse("web:association_detail", kwargs={"code": association.code})


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    message: str,
    lead: str = "",
) -> HttpResponse:
    """An associations' form page: on a valid POST call ``save`` (one service) with the cleaned data, then
    go to ``done(saved)`` with ``message``; else (GET, or refused: 400) show the form with its problems."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(dict(form.cleaned_data))
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(done(saved))
    return render(
        request,
        "web/support/associations/form.html",
        {"nav": NAV, "form": form, "title": title, "back": back, "lead": lead},
        status=400 if form.errors else 200,
    )


@support_read_required
def association_list_view(request: HttpRequest) -> HttpResponse:
    """Every professional association, by name."""
    return render(
        request,
        "web/support/associations/list.html",
        {
            "nav": NAV,
            "associations": associations_listed(),
            "may_change": support_policy.may_change_associations(user=request.user),
        },
    )


@support_read_required
def association_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """One association and its number of members on a day (``?day=``, default today; withheld when small
    for readers who may not see every figure of its region)."""
    association = get_object_or_404(associations_listed(), code=code)
    form = MembersDayForm(request.GET or None)
    day = form.chosen_day()
    return render(
        request,
        "web/support/associations/detail.html",
        {
            "nav": NAV,
            "association": association,
            "form": form,
            "day": day,
            "members": association_members_count(user=request.user, association=association, day=day),
            "may_change": support_policy.may_change_associations(user=request.user),
            "sees_people": policy.scope_of(request.user).sees_people,
        },
    )


@association_managers_required
def association_new_view(request: HttpRequest) -> HttpResponse:
    """Add a professional association (a national data manager)."""
    form = AssociationForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("New professional association"),
        back=reverse("web:association_list"),
        save=lambda data: services.association_create(actor=request.user, **form.changes()),
        done=association_url,
        message=_("The association is added."),
    )


@association_managers_required
def association_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    """Change an association's code, name, scope, region, year founded or website."""
    association = get_object_or_404(Association, code=code)
    initial = {
        "code": association.code,
        "name": association.name,
        "scope": association.scope,
        "region": association.region.code if association.region else None,
        "founded": association.founded,
        "website": association.website,
    }

    def save(data: dict[str, Any]) -> Association:
        services.association_change(actor=request.user, association=association, changes=form.changes())
        return association

    form = AssociationForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Change %(name)s") % {"name": association.name},
        back=association_url(association),
        save=save,
        done=association_url,
        message=_("The association is saved."),
    )


@support_read_required
def membership_figures_view(request: HttpRequest) -> HttpResponse:
    """Membership of the counted workforce at the chosen location and one level below it, per cadre: the
    counted workers, the members on 31 December and the share (``?year=&location=&association=&cadre=``)."""
    form = FiguresForm(
        request.GET or None,
        locations=policy.locations_in_scope(user=request.user),
        associations=Association.objects.order_by("name"),
    )
    if request.GET and not form.is_valid():
        raise Http404(_("Unknown year, location, association or cadre."))
    data = form.cleaned_data if request.GET else {}
    location = data.get("location") or policy.default_location_for(user=request.user)
    year = form.chosen_year()
    rows = []
    if location is not None:
        rows = membership_figures_for_reader(
            user=request.user,
            year=year,
            location=location,
            association=data.get("association"),
            cadre=data.get("cadre"),
            depth=1,
        )
    return render(
        request,
        "web/support/associations/figures.html",
        {
            "nav": NAV,
            "form": form,
            "year": year,
            "location": location,
            "association": data.get("association"),
            "rows": rows,
        },
    )
