"""The complaints' pages: the complaints to the bodies the user keeps (by stage), receiving a complaint, and
one complaint's case with the steps that apply to it now (``regulation.complaint_steps``).

For a registrar (their body's) and a national data manager (every body's) only
(``access.regulation_policy``); officers, focal points, workers and analysts get 403. The complainant and
the case file are shown to the body's registrar's office alone (``may_see_case_file``): the cases are
read through ``selectors_discipline``, which leaves them out (unread) for anyone else, the lists for
everyone. A refused step is shown on its form (400) and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import regulation_policy
from sswis.regulation.complaint_steps import (
    COMPLAINT_STEPS,
    ReceiveForm,
    complaint_receive_from,
    complaint_step_check,
    complaint_step_form,
    complaint_steps_open,
)
from sswis.regulation.models import RegulatoryBody
from sswis.regulation.models_discipline import Complaint
from sswis.regulation.selectors_discipline import complaint_case, complaint_cases_by_id, complaint_ids
from sswis.web.decorators import register_keepers_required
from sswis.web.forms import form_add_service_errors
from sswis.web.regulation_forms import ComplaintFilterForm
from sswis.web.views.common import page_of


def complaints_visible(user: Any) -> QuerySet[Complaint]:
    """The complaints ``user`` may see (a registrar their body's, a national data manager all)."""
    return regulation_policy.exams_and_cases_visible(user=user, queryset=Complaint.objects.all())


def _changeable_bodies(user: Any) -> QuerySet[RegulatoryBody]:
    return regulation_policy.bodies_changeable(user=user, queryset=RegulatoryBody.objects.all())


@register_keepers_required
def complaint_list_view(request: HttpRequest) -> HttpResponse:
    """The complaints the user may see, latest received first, ``?stage=``; 50 a page. Never the
    complainants: a list is read without them, whoever asks."""
    form = ComplaintFilterForm(request.GET)
    ids = complaint_ids(queryset=complaints_visible(request.user), stage=form.cleaned("stage", ""))
    page = page_of(request, ids)
    cases = complaint_cases_by_id(complaint_ids=list(page.object_list), may_see_case_file=False)
    return render(
        request,
        "web/regulation/complaints.html",
        {
            "nav": "complaints",
            "form": form,
            "page_obj": page,
            "cases": cases,
            "may_receive": _changeable_bodies(request.user).exists(),
        },
    )


@register_keepers_required
def complaint_receive_view(request: HttpRequest) -> HttpResponse:
    """Receive a complaint to a body the user keeps (``complaint_receive``), then show its case."""
    bodies = _changeable_bodies(request.user)
    if not bodies.exists():
        raise PermissionDenied(_("Only a registrar or a national data manager receives complaints."))
    form = ReceiveForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_receive_from(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The complaint is received."))
            return redirect("web:complaint_detail", pk=complaint.pk)
    return render(
        request,
        "web/regulation/complaint_receive.html",
        {"nav": "complaints", "form": form},
        status=400 if form.errors else 200,
    )


def _visible_complaint(request: HttpRequest, pk: int) -> Complaint:
    return get_object_or_404(complaints_visible(request.user), pk=pk)


def _detail(
    request: HttpRequest, complaint: Complaint, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    shown = regulation_policy.may_see_case_file(user=request.user, body_id=complaint.body_id)
    case = complaint_case(complaint_id=complaint.pk, may_see_case_file=shown)
    steps = []
    if regulation_policy.may_change_regulation(user=request.user, body_id=complaint.body_id):
        for name in complaint_steps_open(complaint=complaint, user=request.user):
            form = forms.get(name) or complaint_step_form(name, complaint=complaint)
            steps.append((name, COMPLAINT_STEPS[name], form))
        # A refused step's form stays on the page, with its reason, even if the step is not offered now.
        steps += [
            (name, COMPLAINT_STEPS[name], form)
            for name, form in forms.items()
            if name not in {offered for offered, _step, _form in steps}
        ]
    return render(
        request,
        "web/regulation/complaint.html",
        {"nav": "complaints", "case": case, "steps": steps},
        status=status,
    )


@register_keepers_required
def complaint_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One complaint's case: the worker, the summary, each stage with its day, the hearing, the outcome,
    the sanctions with their periods, the appeal; the complainant and the case file for the body's
    registrar's office only; the steps that apply now."""
    return _detail(request, _visible_complaint(request, pk), {})


@register_keepers_required
@require_POST
def complaint_step_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take one step (``COMPLAINT_STEPS``) on a complaint; refused (403) to anyone but the body's
    registrar or a national data manager, the case file's to anyone but the registrar's office; a step
    out of order, or another refusal, is shown on the step's form (400) and writes nothing."""
    if step not in COMPLAINT_STEPS:
        raise Http404
    complaint = _visible_complaint(request, pk)
    regulation_policy.require_regulation_change(user=request.user, body_id=complaint.body_id)
    complaint_step_check(step, complaint=complaint, user=request.user)
    form = complaint_step_form(step, complaint=complaint, data=request.POST)
    if form.is_valid():
        try:
            COMPLAINT_STEPS[step].run(request.user, complaint, form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": COMPLAINT_STEPS[step].title})
            return redirect("web:complaint_detail", pk=complaint.pk)
    complaint.refresh_from_db()
    return _detail(request, complaint, {step: form}, status=400)
