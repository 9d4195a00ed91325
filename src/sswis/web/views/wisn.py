"""WHO WISN workload studies on the pages: the stored studies, a study's every step as WHO's manual lays
it out, the study applied to many locations from a CSV table and ranked by workload pressure, and the
form that creates or changes a study (starting from the starter set of social-work activities, which
are examples to adjust). Computed by ``sswis.planning`` exactly as ``sswis plan wisn`` and the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import policy
from sswis.planning.inputs import PlanInputError
from sswis.planning.models import WisnStudyRecord
from sswis.planning.selectors import wisn_evaluate, wisn_studies_listed
from sswis.planning.services import wisn_study_delete, wisn_study_save
from sswis.planning.wisn_locations import (
    EXISTING_COLUMN,
    LOCATION_COLUMN,
    wisn_locations_evaluate,
    workloads_parse,
)
from sswis.planning.wisn_starter import (
    STARTER_ACTIVITIES,
    STARTER_CATEGORY_ALLOWANCES,
    STARTER_INDIVIDUAL_ALLOWANCES,
    STARTER_WORKING_TIME,
)
from sswis.spreadsheets import table_csv_lines
from sswis.web.decorators import aggregates_required, plan_change_required
from sswis.web.plan_forms import WisnStudyForm, WorkloadsUploadForm

MAXIMUM_TABLE_BYTES = 2_000_000


def _record(code: str) -> WisnStudyRecord:
    record = wisn_studies_listed().filter(code=code).first()
    if record is None:
        raise Http404(_("No study with this code."))
    return record


@aggregates_required
def wisn_view(request: HttpRequest) -> HttpResponse:
    """The stored studies and what WISN is."""
    return render(
        request,
        "web/planning/wisn_list.html",
        {
            "nav": "planning",
            "studies": list(wisn_studies_listed()),
            "may_change": policy.may_change_plans(user=request.user),
        },
    )


@aggregates_required
def wisn_study_view(request: HttpRequest, code: str) -> HttpResponse:
    """Every step of the stored study; with a CSV table posted (``table``), the study at each of its
    locations, ranked by workload pressure. Nothing is stored by the ranking."""
    record = _record(code)
    try:
        study, result = wisn_evaluate(data=record.document)
    except PlanInputError as problem:  # a cadre or location removed since it was stored
        raise Http404(str(problem)) from problem
    upload = WorkloadsUploadForm(request.POST or None, request.FILES or None)
    ranked = None
    if request.method == "POST" and upload.is_valid():
        table = upload.cleaned_data["table"]
        try:
            if table.size > MAXIMUM_TABLE_BYTES:
                raise PlanInputError(_("file"), _("the table is larger than 2 MB."))
            try:
                text = table.read().decode("utf-8")
            except UnicodeDecodeError:
                raise PlanInputError(_("file"), _("the table is not UTF-8 text.")) from None
            ranked = wisn_locations_evaluate(study=study, workloads=workloads_parse(study=study, text=text))
        except PlanInputError as problem:
            upload.add_error("table", f"{problem.field}: {problem.message}")
    return render(
        request,
        "web/planning/wisn_study.html",
        {
            "nav": "planning",
            "record": record,
            "study": study,
            "result": result,
            "upload": upload,
            "ranked": ranked,
            "may_change": policy.may_change_plans(user=request.user),
        },
    )


@aggregates_required
def wisn_workloads_template_view(request: HttpRequest, code: str) -> HttpResponse:
    """A blank CSV table of workloads for the study: its columns and the study's own location."""
    record = _record(code)
    names = [str(item.get("name", "")) for item in record.document.get("activities", [])]
    lines = table_csv_lines(
        header=[LOCATION_COLUMN, EXISTING_COLUMN, *names],
        rows=[[record.location.code, "", *[""] * len(names)]],
    )
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workloads-{record.code}.csv"'
    return response


def _starter() -> dict[str, Any]:
    return {
        "working_time": STARTER_WORKING_TIME,
        "activities": [
            {"name": str(name), "unit_time_hours": hours, "annual_workload": ""}
            for name, hours in STARTER_ACTIVITIES
        ],
        "category_allowances": [
            {"name": str(name), "hours_per_year": hours} for name, hours in STARTER_CATEGORY_ALLOWANCES
        ],
        "individual_allowances": [
            {"name": str(name), "hours_per_year": hours, "staff": staff}
            for name, hours, staff in STARTER_INDIVIDUAL_ALLOWANCES
        ],
    }


@plan_change_required
def wisn_study_edit_view(request: HttpRequest, code: str = "") -> HttpResponse:
    """Create a study (from the starter set) or change one; stored only when every input is right."""
    record = _record(code) if code else None
    locations = policy.locations_plannable(user=request.user)
    if record is not None and not locations.filter(pk=record.location_id).exists():
        raise PermissionDenied(_("This study is of a place outside your area."))
    if request.method == "POST":
        form = WisnStudyForm(request.POST, locations=locations)
        if form.is_valid():
            try:
                saved = wisn_study_save(
                    actor=request.user,
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    data=form.document(),
                )
            except PlanInputError as problem:
                form.add_plan_error(problem)
            else:
                messages.success(request, _("Study %(code)s saved.") % {"code": saved.code})
                return redirect("web:wisn_study", code=saved.code)
    elif record is not None:
        initial = WisnStudyForm.initial_of(record.document) | {
            "code": record.code,
            "name": record.name,
            "cadre": record.cadre,
            "location": record.location,
            "year": record.year,
        }
        form = WisnStudyForm(initial=initial, locations=locations)
    else:
        initial = WisnStudyForm.initial_of(_starter()) | {
            "location": policy.default_location_for(user=request.user)
        }
        form = WisnStudyForm(initial=initial, locations=locations)
    return render(request, "web/planning/wisn_form.html", {"nav": "planning", "form": form, "record": record})


@plan_change_required
@require_POST
def wisn_study_delete_view(request: HttpRequest, code: str) -> HttpResponse:
    """Remove a stored study (its history keeps it)."""
    wisn_study_delete(actor=request.user, record=_record(code))
    messages.success(request, _("Study %(code)s removed.") % {"code": code})
    return redirect("web:wisn")
