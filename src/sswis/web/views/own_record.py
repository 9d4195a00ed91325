"""A worker's own page (a worker's login): their identity, registrations with status and licence, the CPD
they attended, what renewal still needs today, the programmes they completed, and the CPD evidence they
submitted, with a form to submit more for the registrar's review. Nobody else's record, and no aggregate,
is reachable from this login."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sswis.access.regulation_policy import own_worker_id
from sswis.registry.models import Worker
from sswis.regulation.models import CpdEvidence, CpdRecord, RegistrationStatus
from sswis.regulation.records import worker_registrations
from sswis.regulation.selectors import registration_renewal
from sswis.regulation.self_service import cpd_evidence_submit
from sswis.web.forms import CheckedForm, DateInput, form_add_service_errors
from sswis.web.views.training_completions import completions_of_worker


class EvidenceForm(CheckedForm):
    title = forms.CharField(label=gettext_lazy("Activity or course"), max_length=200)
    provider_name = forms.CharField(label=gettext_lazy("Provider"), max_length=200)
    completed_on = forms.DateField(label=gettext_lazy("Completed on"), widget=DateInput())
    certificate_id = forms.CharField(label=gettext_lazy("Certificate ID"), max_length=100, required=False)
    note = forms.CharField(
        label=gettext_lazy("Note for the registrar"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _page(request: HttpRequest, form: EvidenceForm, status: int = 200) -> HttpResponse:
    worker_pk = own_worker_id(user=request.user)
    worker = Worker.objects.get(pk=worker_pk)
    today = timezone.localdate()
    registrations = worker_registrations(worker_id=worker_pk)
    rows = []
    for registration in registrations:
        licences = sorted(registration.licences.all(), key=lambda licence: licence.valid_from)
        current = next((lic for lic in licences if lic.valid_from <= today <= lic.valid_until), None)
        renewal = (
            registration_renewal(registration=registration, on=today)
            if registration.status == RegistrationStatus.REGISTERED
            else None
        )
        rows.append((registration, current, licences[-1] if licences else None, renewal))
    return render(
        request,
        "web/regulation/own_record.html",
        {
            "nav": "own_record",
            "worker": worker,
            "rows": rows,
            "cpd": CpdRecord.objects.filter(worker_id=worker_pk)
            .select_related("activity", "activity__provider")
            .order_by("-completed_on"),
            "evidence": CpdEvidence.objects.filter(worker_id=worker_pk),
            "completions": completions_of_worker(user=request.user, worker_pk=worker_pk),
            "form": form,
        },
        status=status,
    )


@login_required
def own_record_view(request: HttpRequest) -> HttpResponse:
    """The worker's own record (403 for every other login)."""
    return _page(request, EvidenceForm())


@login_required
@require_POST
def cpd_evidence_submit_view(request: HttpRequest) -> HttpResponse:
    """Submit CPD evidence for review (``cpd_evidence_submit``); 400 with the problems on the form."""
    worker_pk = own_worker_id(user=request.user)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            cpd_evidence_submit(
                actor=request.user,
                worker=Worker.objects.get(pk=worker_pk),
                today=timezone.localdate(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Your evidence is submitted: the registrar will review it."))
            return redirect("web:own_record")
    return _page(request, form, status=400)
