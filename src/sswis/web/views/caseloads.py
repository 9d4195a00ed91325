"""The caseloads' pages for the people who enter them (``/support/caseloads/``): the list (filtered by
worker, month, kind and location, each caseload flagged against its cadre's norm), one caseload entered,
a month's caseloads of an organisation's or a location's workers entered in one grid, a caseload removed.

Caseloads are personal data: national data managers, subnational officers and organisation focal points,
for the workers they see (``access.support_policy``); the services check every change again."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import policy
from sswis.registry.models import Worker
from sswis.support.caseload_entry import caseloads_set_many
from sswis.support.caseload_selectors import caseloads_flagged, caseloads_listed, grid_workers
from sswis.support.caseloads import caseload_remove, caseload_set
from sswis.support.models import Caseload
from sswis.web.caseload_forms import (
    CaseloadFilterForm,
    CaseloadForm,
    GridChoiceForm,
    GridForm,
    kind_of,
    last_month,
)
from sswis.web.decorators import people_required
from sswis.web.forms import form_add_service_errors, locations_for_filter
from sswis.web.views.common import page_of

NAV = "caseloads"


@people_required
def caseload_list_view(request: HttpRequest) -> HttpResponse:
    """The caseloads the user sees, latest month first, 50 a page, each with its norm and flag."""
    form = CaseloadFilterForm(request.GET or None, locations=locations_for_filter(user=request.user))
    caseloads = caseloads_listed(
        user=request.user,
        worker_id=form.cleaned("worker", ""),
        month=form.cleaned("month"),
        kind=(form.cleaned("kind", "") or "").strip(),
        location=form.cleaned("location"),
    )
    page_obj = page_of(request, caseloads)
    return render(
        request,
        "web/support/caseloads/list.html",
        {"nav": NAV, "form": form, "page_obj": page_obj, "rows": caseloads_flagged(page_obj)},
    )


@people_required
def caseload_new_view(request: HttpRequest) -> HttpResponse:
    """Enter (or correct) one worker's open cases of a kind at the end of a month."""
    workers = policy.workers_visible(user=request.user)
    if request.method == "POST":
        form = CaseloadForm(request.POST, workers=workers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                caseload_set(
                    actor=request.user,
                    worker=data["worker_id"],
                    month=data["month"],
                    open_cases=data["open_cases"],
                    kind=kind_of(form),
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("The caseload is saved."))
                query = urlencode({"worker": data["worker_id"].worker_id})
                return redirect(f"{reverse('web:caseload_list')}?{query}")
    else:
        form = CaseloadForm(
            initial={"month": last_month(), "worker_id": request.GET.get("worker", "")}, workers=workers
        )
    return render(
        request,
        "web/support/caseloads/form.html",
        {"nav": NAV, "form": form},
        status=400 if form.errors else 200,
    )


@people_required
def caseload_grid_view(request: HttpRequest) -> HttpResponse:
    """A month's caseloads of a kind for the workers of an organisation and/or a location (those the user
    sees with an assignment there during the month), 50 a page: a figure per worker, empty ones left as
    they are."""
    choice = GridChoiceForm(
        request.GET or None,
        organisations=policy.organisations_visible(user=request.user).order_by("code"),
        locations=locations_for_filter(user=request.user),
    )
    month = choice.cleaned("month") or last_month()
    kind = kind_of(choice) if choice.is_bound and choice.is_valid() else "all"
    organisation, location = choice.cleaned("organisation"), choice.cleaned("location")
    context = {"nav": NAV, "choice": choice, "month": month, "kind": kind, "form": None, "page_obj": None}
    if organisation is None and location is None:
        return render(request, "web/support/caseloads/grid.html", context)
    page_obj = page_of(
        request, grid_workers(user=request.user, month=month, organisation=organisation, location=location)
    )
    workers: list[Worker] = list(page_obj)
    recorded = dict(
        Caseload.objects.filter(worker__in=workers, month=month, kind=kind).values_list(
            "worker_id", "open_cases"
        )
    )
    status = 200
    if request.method == "POST":
        form = GridForm(request.POST, workers=workers)
        if form.is_valid():
            try:
                counts = caseloads_set_many(
                    actor=request.user, month=month, kind=kind, open_cases=form.figures()
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Caseloads saved: %(created)d new, %(changed)d changed, %(unchanged)d unchanged.")
                    % {"created": counts.created, "changed": counts.changed, "unchanged": counts.unchanged},
                )
                return redirect(request.get_full_path())
        status = 400
    else:
        form = GridForm(
            workers=workers, initial={GridForm.name_of(worker): recorded.get(worker.pk) for worker in workers}
        )
    context |= {
        "form": form,
        "page_obj": page_obj,
        "rows": [(worker, form[GridForm.name_of(worker)]) for worker in workers],
    }
    return render(request, "web/support/caseloads/grid.html", context, status=status)


@people_required
@require_POST
def caseload_remove_view(request: HttpRequest, uuid: str) -> HttpResponse:
    """Remove a caseload entered in error (its audit record keeps it)."""
    caseload = get_object_or_404(caseloads_listed(user=request.user), uuid=uuid)
    caseload_remove(actor=request.user, caseload=caseload)
    messages.success(request, _("The caseload is removed."))
    return redirect(f"{reverse('web:caseload_list')}?{urlencode({'worker': caseload.worker.worker_id})}")
