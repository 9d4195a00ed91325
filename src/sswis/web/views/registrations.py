"""The registrar's pages: the registers with their rules, the registrations (searchable), one registration's
whole record with every step that applies to it now, and an application.

Who sees what is ``sswis.access.regulation_policy``: a registrar their body's registers and registrations,
with the workers' identity fields only; officers and focal points read the registrations of the workers they
see; a national data manager everything. Each step is one service (``web.regulation_forms.STEPS``); a
refusal is shown on the step's form and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import regulation_policy
from sswis.geo.models import Location
from sswis.indicators.definitions import year_checked
from sswis.regulation.models import (
    CpdEvidence,
    EvidenceStatus,
    Register,
    Registration,
    RegistrationStatus,
)
from sswis.regulation.models_discipline import Complaint
from sswis.regulation.records import registration_record, registrations_filtered
from sswis.regulation.selectors_discipline import (
    complaint_cases_by_id,
    complaint_ids,
    sanctions_in_force,
)
from sswis.regulation.services import registration_apply
from sswis.regulation.statistics import regulation_statistics, small_cells_for
from sswis.regulation.steps import STEPS, step_form
from sswis.web.decorators import register_keepers_required, registers_required
from sswis.web.forms import form_add_service_errors
from sswis.web.regulation_forms import ApplyForm, RegistrationFilterForm
from sswis.web.views.common import page_of


def _registers(user: Any) -> Any:
    return regulation_policy.registers_visible(user=user, queryset=Register.objects.all())


def _changeable_registers(user: Any) -> Any:
    return regulation_policy.registers_changeable(user=user, queryset=Register.objects.select_related("body"))


@registers_required
def register_list_view(request: HttpRequest) -> HttpResponse:
    """The registers the user may see, with their rules and how many registrations each has by status."""
    registers = list(_registers(request.user).select_related("body").prefetch_related("cadres"))
    counts: dict[int, dict[str, int]] = {}
    visible = regulation_policy.registrations_visible(user=request.user, queryset=Registration.objects.all())
    for register_id, status, count in (
        visible.values_list("register_id", "status").annotate(count=Count("pk")).order_by()
    ):
        counts.setdefault(register_id, {})[status] = count
    rows = [
        (
            register,
            [
                (label, counts.get(register.pk, {}).get(value, 0))
                for value, label in RegistrationStatus.choices
            ],
        )
        for register in registers
    ]
    return render(
        request,
        "web/regulation/registers.html",
        {"nav": "registers", "rows": rows, "statuses": RegistrationStatus.choices},
    )


@registers_required
def registration_list_view(request: HttpRequest) -> HttpResponse:
    """Registrations the user may see: ``?register=CODE``, ``?status=``, ``?q=`` (a name, a worker ID or a
    registration number); 50 a page."""
    registers = _registers(request.user)
    form = RegistrationFilterForm(request.GET, registers=registers)
    visible = regulation_policy.registrations_visible(user=request.user, queryset=Registration.objects.all())
    found = registrations_filtered(
        queryset=visible,
        register_code=form.cleaned("register", ""),
        status=form.cleaned("status", ""),
        query=form.cleaned("q", ""),
    )
    return render(
        request,
        "web/regulation/registrations.html",
        {
            "nav": "registers",
            "form": form,
            "page_obj": page_of(request, found),
            "may_apply": _changeable_registers(request.user).exists(),
        },
    )


@registers_required
def registration_apply_view(request: HttpRequest) -> HttpResponse:
    """Record an application to a register the user keeps (``registration_apply``), then show it."""
    registers = _changeable_registers(request.user)
    if not registers.exists():
        raise PermissionDenied(_("Only a registrar or a national data manager records applications."))
    form = ApplyForm(request.POST or None, registers=registers)
    if request.method == "POST" and form.is_valid():
        worker = (
            regulation_policy.workers_identifiable(user=request.user)
            .filter(worker_id=form.cleaned_data["worker_id"].strip())
            .first()
        )
        if worker is None:
            form.add_error("worker_id", _("No worker has this worker ID."))
        else:
            try:
                registration = registration_apply(
                    actor=request.user,
                    register=form.cleaned_data["register"],
                    worker=worker,
                    applied_on=form.cleaned_data["applied_on"],
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("The application is recorded."))
                return redirect("web:registration_detail", pk=registration.pk)
    return render(
        request,
        "web/regulation/apply.html",
        {"nav": "registers", "form": form},
        status=400 if form.errors else 200,
    )


def _visible_registration(request: HttpRequest, pk: int) -> Registration:
    queryset = regulation_policy.registrations_visible(
        user=request.user,
        queryset=Registration.objects.select_related("register", "register__body", "worker"),
    )
    return get_object_or_404(queryset, pk=pk)


def _detail(
    request: HttpRequest, registration: Registration, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    changeable = regulation_policy.may_change_regulation(
        user=request.user, body_id=registration.register.body_id
    )
    pending = list(
        CpdEvidence.objects.filter(worker_id=registration.worker_id, status=EvidenceStatus.SUBMITTED)
    )
    steps = []
    if changeable:
        for name, step in STEPS.items():
            if name.startswith("evidence_") and not pending:
                continue  # nothing to review
            if registration.status in step.statuses:
                steps.append((name, step, forms.get(name) or step_form(name, registration=registration)))
    today = timezone.localdate()
    record = registration_record(registration=registration, day=today)
    complaints = None
    if regulation_policy.is_register_keeper(user=request.user):
        visible = regulation_policy.exams_and_cases_visible(
            user=request.user, queryset=Complaint.objects.all()
        )
        complaints = complaint_cases_by_id(
            complaint_ids=list(complaint_ids(queryset=visible, registration=registration)),
            may_see_case_file=False,
        )
    return render(
        request,
        "web/regulation/registration.html",
        {
            "nav": "registers",
            "record": record,
            "registration": registration,
            "worker": registration.worker,
            "steps": steps,
            "changeable": changeable,
            "evidence": CpdEvidence.objects.filter(worker_id=registration.worker_id),
            "pending": pending,
            "sanctions": sanctions_in_force(registration=registration, day=today),
            "complaints": complaints,
        },
        status=status,
    )


@registers_required
def registration_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One registration: the worker's identity, eligibility (an application), the sanctions in force today,
    the dated history, licences, CPD, charges and payments, what renewal needs today, the complaints about
    it (to those who see complaints); and the steps the user may take now."""
    return _detail(request, _visible_registration(request, pk), {})


@registers_required
@require_POST
def registration_step_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take one step (``STEPS``) on a registration; refused (403) to anyone but the body's registrar or a
    national data manager; a step that does not apply now, or a refusal, is shown on the page (400)."""
    if step not in STEPS:
        raise Http404
    registration = _visible_registration(request, pk)
    regulation_policy.require_regulation_change(user=request.user, body_id=registration.register.body_id)
    form = step_form(step, registration=registration, data=request.POST)
    if registration.status not in STEPS[step].statuses:  # e.g. a stale page: the step is not offered now
        messages.error(
            request,
            _("The registration is %(status)s: this step is not possible now.")
            % {"status": RegistrationStatus(registration.status).label},
        )
        return _detail(request, registration, {}, status=400)
    if form.is_valid():
        try:
            STEPS[step].run(request.user, registration, form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": STEPS[step].title})
            return redirect("web:registration_detail", pk=registration.pk)
    registration.refresh_from_db()
    return _detail(request, registration, {step: form}, status=400)


@register_keepers_required
def regulation_statistics_view(request: HttpRequest) -> HttpResponse:
    """Each register's figures of ``?year=`` (default: last year): statuses on 31 December, by region,
    renewals due, renewed in time, lapsed and CPD compliance (``regulation.statistics``)."""
    today = timezone.localdate()
    try:
        year = year_checked(text=request.GET.get("year", str(today.year - 1)))
    except ValueError as problem:
        messages.error(request, str(problem))
        year = today.year - 1
    figures = regulation_statistics(
        registers=_registers(request.user),
        year=year,
        depth=1,
        withheld_below=small_cells_for(user=request.user),
    )
    names = dict(Location.objects.values_list("code", "name"))
    statuses = [
        (value, label) for value, label in RegistrationStatus.choices if value not in ("applied", "refused")
    ]
    rows = [
        (
            figure,
            [figure.by_status.get(value, 0) for value, _label in statuses],
            sorted(
                (
                    names.get(code, code),
                    [counts.get(value, 0) if value in counts else 0 for value, _label in statuses],
                )
                for code, counts in figure.by_location.items()
            ),
        )
        for figure in figures
    ]
    return render(
        request,
        "web/regulation/statistics.html",
        {
            "nav": "registers",
            "year": year,
            "rows": rows,
            "statuses": statuses,
            "years": range(today.year, today.year - 10, -1),
        },
    )
