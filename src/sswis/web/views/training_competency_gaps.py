"""The competency gaps' pages (``/training/competencies/gaps/``, ``missing/``, ``needs/``) and one worker's
competencies (``/training/workers/<worker_id>/competencies/``).

The gaps and the training needs are aggregates (every role but a worker's own login; small cells withheld
for readers who may not see every figure of a location: ``training.gaps``); the workers lacking a
competency are persons (national, subnational and organisation focal point, within their scope); a
worker's competencies are for whoever sees that worker (and the worker themself), an assessment is
recorded there by whoever manages them."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access import policy, training_policy
from sswis.geo.models import Location
from sswis.registry.models import Cadre, Worker
from sswis.spreadsheets import table_csv_lines
from sswis.training import competencies as services
from sswis.training.gaps import NEED_COLUMNS, gaps_for_reader, lacking_of, training_needs, workers_missing
from sswis.training.selectors_competencies import worker_competencies
from sswis.web.decorators import catalogue_required, competency_people_required, people_required
from sswis.web.forms import form_add_service_errors
from sswis.web.training_competency_forms import AssessmentForm, GapsForm
from sswis.web.views.common import page_of


def _picked(request: HttpRequest, *, locations: Any) -> tuple[GapsForm, int, Location | None, Cadre | None]:
    """The year, location and cadre picked (``?year=&location=&cadre=``); the user's own location by
    default (``policy.default_location_for``). ``Http404`` for an unknown code."""
    form = GapsForm(request.GET or None, locations=locations)
    if request.GET and not form.is_valid():
        raise Http404(_("Unknown year, location or cadre."))
    data = form.cleaned_data if request.GET else {}
    location = data.get("location") or policy.default_location_for(user=request.user)
    return form, form.chosen_year(), location, data.get("cadre")


@catalogue_required
def gaps_view(request: HttpRequest) -> HttpResponse:
    """The gaps of the chosen location and the locations one level below it, per cadre and competency."""
    form, year, location, cadre = _picked(request, locations=policy.locations_in_scope(user=request.user))
    rows = []
    if location is not None:
        rows = gaps_for_reader(user=request.user, year=year, location=location, cadre=cadre, depth=1)
    return render(
        request,
        "web/training/competencies/gaps.html",
        {"nav": "training", "form": form, "year": year, "location": location, "cadre": cadre, "rows": rows},
    )


@people_required
def missing_view(request: HttpRequest) -> HttpResponse:
    """The counted workers of a cadre at a location (and below) who lack a required competency, 50 a page."""
    form, year, location, cadre = _picked(request, locations=policy.locations_in_scope(user=request.user))
    if cadre is None:
        cadre = Cadre.objects.filter(competency_framework__isnull=False).order_by("code").first()
    page_obj = None
    lacking: dict[int, Any] = {}
    if location is not None and cadre is not None:
        workers, requirements = workers_missing(
            user=request.user,
            year=year,
            location=location,
            cadre=cadre,
            competency=form.cleaned_data.get("competency", "") if request.GET else "",
        )
        page_obj = page_of(request, workers)
        lacking = lacking_of(workers=list(page_obj), requirements=requirements, year=year)
    return render(
        request,
        "web/training/competencies/missing.html",
        {
            "nav": "training",
            "form": form,
            "year": year,
            "location": location,
            "cadre": cadre,
            "page_obj": page_obj,
            "rows": [(worker, lacking.get(worker.pk, [])) for worker in page_obj] if page_obj else [],
        },
    )


@catalogue_required
def needs_view(request: HttpRequest) -> HttpResponse:
    """The training needs of the chosen location: workers lacking each competency, and the survey's asks."""
    form, year, location, cadre = _picked(request, locations=policy.locations_in_scope(user=request.user))
    rows = training_needs(user=request.user, year=year, location=location, cadre=cadre)
    return render(
        request,
        "web/training/competencies/needs.html",
        {"nav": "training", "form": form, "year": year, "location": location, "cadre": cadre, "rows": rows},
    )


@catalogue_required
def needs_csv_view(request: HttpRequest) -> StreamingHttpResponse:
    """The training needs as a CSV file (withheld figures empty)."""
    _form, year, location, cadre = _picked(request, locations=policy.locations_in_scope(user=request.user))
    rows = training_needs(user=request.user, year=year, location=location, cadre=cadre)
    lines = table_csv_lines(
        header=NEED_COLUMNS, rows=(tuple(row.as_json()[name] for name in NEED_COLUMNS) for row in rows)
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    code = location.code if location is not None else "all"
    response["Content-Disposition"] = f'attachment; filename="training-needs-{code}-{year}.csv"'
    return response


@competency_people_required
def worker_competencies_view(request: HttpRequest, worker_id: str) -> HttpResponse:
    """One worker's competencies on a day (``?day=``, default today) and what their cadres require; POST
    records an assessment (for whoever manages the worker). 404 for a worker out of sight."""
    worker = get_object_or_404(
        training_policy.workers_competencies_visible(user=request.user, queryset=Worker.objects.all()),
        worker_id=worker_id,
    )
    may_assess = True
    try:
        training_policy.require_assessment_record(user=request.user, worker=worker)
    except PermissionDenied:
        may_assess = False
    form = (
        AssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
        if may_assess
        else None
    )
    status = 200
    if request.method == "POST":
        training_policy.require_assessment_record(user=request.user, worker=worker)
        assert form is not None
        if form.is_valid():
            try:
                services.competency_assessment_record(actor=request.user, worker=worker, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Assessment recorded."))
                return redirect("web:training_worker_competencies", worker_id=worker.worker_id)
        status = 400
    try:
        day = (
            datetime.date.fromisoformat(request.GET.get("day", ""))
            if request.GET.get("day")
            else timezone.localdate()
        )
    except ValueError:
        raise Http404(_("Give the day as YYYY-MM-DD.")) from None
    found = worker_competencies(user=request.user, worker=worker, day=day)
    return render(
        request,
        "web/training/competencies/worker.html",
        {"nav": "training", "worker": worker, "found": found, "form": form},
        status=status,
    )
