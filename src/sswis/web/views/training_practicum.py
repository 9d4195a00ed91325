"""The field practicum's pages of people: students (list, one student with their practicum year and
placements, the form that records or changes one) and placements (list, one placement with its steps:
hours, evaluation, an early end; the form that makes one).

Who sees which rows: ``access.training_policy`` (``students_visible``, ``placements_visible``): a national
data manager all, an institution focal point their institution's, an officer or an organisation focal
point those at the organisations they cover. Who changes: a national data manager or the institution's
focal point (the forms' pages refuse everyone else; the services check the institution). A refusal is
shown on the form (400) and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import policy, training_policy
from sswis.registry.models import Organisation, Worker
from sswis.training.models_practicum import Placement, Student
from sswis.training.practicum import (
    placement_create,
    placement_end,
    placement_evaluate,
    placement_hours_record,
    student_change,
    student_create,
)
from sswis.training.practicum_selectors import (
    placements_listed,
    programmes_changeable,
    student_practicum,
    students_changeable,
    students_listed,
)
from sswis.web.decorators import practicum_people_required, training_managers_required
from sswis.web.forms import form_add_service_errors
from sswis.web.training_practicum_forms import (
    STEP_FORMS,
    STEP_TITLES,
    PlacementForm,
    StudentFilterForm,
    StudentForm,
    YearForm,
)
from sswis.web.views.common import page_of

NAV = "practicum"


def _worker_by_id(form: Any, field: str, worker_id: str) -> Worker | None:
    """The registry's worker with ``worker_id``; the form's ``field`` gets the problem when there is none."""
    worker = Worker.objects.filter(worker_id=worker_id.strip()).first()
    if worker is None:
        form.add_error(field, _("No worker has this worker ID."))
    return worker


# --- students ------------------------------------------------------------------------------------------


@practicum_people_required
def student_list_view(request: HttpRequest) -> HttpResponse:
    """The students the user may see: ``?q=`` (a name or a student number), ``?programme=CODE``; 50 a page."""
    visible = training_policy.students_visible(user=request.user, queryset=Student.objects.all())
    programmes = sorted(set(visible.values_list("programme__code", "programme__name")))
    form = StudentFilterForm(request.GET, programmes=programmes)
    students = students_listed(
        user=request.user, query=form.cleaned("q", ""), programme_code=form.cleaned("programme", "")
    )
    return render(
        request,
        "web/training/practicum/students.html",
        {
            "nav": NAV,
            "form": form,
            "page_obj": page_of(request, students),
            "may_change": training_policy.is_training_manager(user=request.user),
        },
    )


def _visible_student(request: HttpRequest, pk: int) -> Student:
    return get_object_or_404(students_listed(user=request.user), pk=pk)


@practicum_people_required
def student_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One student: programme, intake, their practicum year and the hours covering it, their placements
    (those the user may see)."""
    student = _visible_student(request, pk)
    return render(
        request,
        "web/training/practicum/student.html",
        {
            "nav": NAV,
            "student": student,
            "practicum": student_practicum(student=student),
            "placements": list(placements_listed(user=request.user, student=student)),
            "may_change": training_policy.may_change_institution(
                user=request.user, institution_id=student.programme.institution_id
            ),
        },
    )


@training_managers_required
def student_edit_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record a student (no ``pk``) or change one of the user's institution."""
    student = get_object_or_404(students_changeable(user=request.user), pk=pk) if pk is not None else None
    programmes = programmes_changeable(user=request.user)
    if request.method == "POST":
        form = StudentForm(request.POST, programmes=programmes)
        if form.is_valid():
            data = form.cleaned_data
            worker = _worker_by_id(form, "worker_id", data["worker_id"]) if data["worker_id"] else None
            if not form.errors:
                fields = {
                    key: data[key] for key in ("programme", "student_number", "given_name", "family_name")
                }
                fields |= {"sex": data["sex"], "intake_year": data["intake_year"], "worker": worker}
                try:
                    if student is None:
                        student = student_create(actor=request.user, **fields)
                    else:
                        student_change(actor=request.user, student=student, **fields)
                except ValidationError as error:
                    form_add_service_errors(form, error, rename={"worker": "worker_id"})
                else:
                    messages.success(request, _("The student is saved."))
                    return redirect("web:practicum_student_detail", pk=student.pk)
    else:
        initial = StudentForm.initial_of(student) if student is not None else {}
        form = StudentForm(initial=initial, programmes=programmes)
    return render(
        request,
        "web/training/practicum/student_form.html",
        {"nav": NAV, "form": form, "student": student},
        status=400 if form.errors else 200,
    )


# --- placements ----------------------------------------------------------------------------------------


@practicum_people_required
def placement_list_view(request: HttpRequest) -> HttpResponse:
    """The placements the user may see, latest first; ``?year=`` those starting in that year; 50 a page."""
    form = YearForm(request.GET)
    return render(
        request,
        "web/training/practicum/placements.html",
        {
            "nav": NAV,
            "form": form,
            "page_obj": page_of(request, placements_listed(user=request.user, year=form.cleaned("year"))),
            "may_change": training_policy.is_training_manager(user=request.user),
        },
    )


@training_managers_required
def placement_new_view(request: HttpRequest) -> HttpResponse:
    """Place a student of the user's institution (``?student=ID`` chooses them): the supervisor must be
    eligible on the first day, or each rule broken is shown on the form and nothing is written."""
    students = students_changeable(user=request.user)
    organisations = Organisation.objects.order_by("code")
    if request.method == "POST":
        form = PlacementForm(request.POST, students=students, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            supervisor = _worker_by_id(form, "supervisor", data["supervisor"])
            if supervisor is not None:
                try:
                    placement = placement_create(
                        actor=request.user,
                        student=data["student"],
                        organisation=data["organisation"],
                        supervisor=supervisor,
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                        hours_planned=data["hours_planned"],
                    )
                except ValidationError as error:
                    form_add_service_errors(form, error)
                else:
                    messages.success(request, _("The placement is recorded."))
                    return redirect("web:practicum_placement_detail", pk=placement.pk)
    else:
        form = PlacementForm(
            initial={"student": request.GET.get("student", "")},
            students=students,
            organisations=organisations,
        )
    return render(
        request,
        "web/training/practicum/placement_form.html",
        {"nav": NAV, "form": form},
        status=400 if form.errors else 200,
    )


def _visible_placement(request: HttpRequest, pk: int) -> Placement:
    return get_object_or_404(placements_listed(user=request.user), pk=pk)


def _placement_page(
    request: HttpRequest, placement: Placement, bound: dict[str, Any], status: int = 200
) -> HttpResponse:
    may_change = training_policy.may_change_institution(
        user=request.user, institution_id=placement.student.programme.institution_id
    )
    steps = []
    if may_change:
        for name, form_class in STEP_FORMS.items():
            if name == "end" and placement.ended_early_on is not None:
                continue
            steps.append((name, STEP_TITLES[name], bound.get(name) or form_class(prefix=name)))
    return render(
        request,
        "web/training/practicum/placement.html",
        {
            "nav": NAV,
            "placement": placement,
            "steps": steps,
            "may_change": may_change,
            "sees_workers": policy.scope_of(request.user).sees_people,
        },
        status=status,
    )


@practicum_people_required
def placement_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One placement: student, organisation, supervisor, dates, hours, evaluation, an early end; and the
    steps the user may take."""
    return _placement_page(request, _visible_placement(request, pk), {})


def _step_run(request: HttpRequest, placement: Placement, step: str, data: dict[str, Any]) -> None:
    if step == "hours":
        placement_hours_record(
            actor=request.user, placement=placement, hours_done=data["hours_done"], on=data["recorded_on"]
        )
    elif step == "evaluation":
        placement_evaluate(
            actor=request.user,
            placement=placement,
            evaluation=data["evaluation"],
            notes=data["notes"],
            on=data["evaluated_on"],
        )
    else:
        placement_end(
            actor=request.user, placement=placement, on=data["ended_early_on"], reason=data["end_reason"]
        )


@training_managers_required
@require_POST
def placement_step_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take one step on a placement (``hours``, ``evaluation``, ``end``); a refusal is shown on the step's
    form (400) and writes nothing."""
    if step not in STEP_FORMS:
        raise Http404(_("There is no such step."))
    placement = _visible_placement(request, pk)
    training_policy.require_institution_change(
        user=request.user, institution_id=placement.student.programme.institution_id
    )
    form = STEP_FORMS[step](request.POST, prefix=step)
    if form.is_valid():
        try:
            _step_run(request, placement, step, form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": STEP_TITLES[step]})
            return redirect("web:practicum_placement_detail", pk=placement.pk)
    placement.refresh_from_db()
    return _placement_page(request, placement, {step: form}, status=400)
