"""The completions' pages (``/training/completions/``): the list (filtered, paginated), a completion
recorded, a completion withdrawn with a reason.

A completion names a person: the list is narrowed by ``training_policy.completions_visible`` (a national
data manager all; an officer or an organisation focal point those of the workers they see; an institution
focal point those of their institution's programmes) and shows the workers' identity only (worker ID and
name), with a link to the worker's page only for a worker the user may see there. Recording and
withdrawing: the programme's institution's focal point or a national data manager.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sswis.access import policy, training_policy
from sswis.registry.models import Worker
from sswis.training import services
from sswis.training.models import Completion
from sswis.training.selectors import completions_filtered
from sswis.web.decorators import completions_required, training_managers_required
from sswis.web.forms import form_add_service_errors
from sswis.web.training_forms import CompletionFilterForm, CompletionForm, CompletionWithdrawForm
from sswis.web.views.common import page_of
from sswis.web.views.training_catalogue_forms import form_page

NAV = "training"


def completions_of_worker(*, user: Any, worker_pk: int) -> Any:
    """The completions of one worker that ``user`` may see (the worker's page, the worker's own page)."""
    visible = training_policy.completions_visible(user=user, queryset=Completion.objects.all())
    return completions_filtered(queryset=visible, worker_pk=worker_pk)


@completions_required
def completion_list_view(request: HttpRequest) -> HttpResponse:
    """The completions the user may see: ``?programme=CODE``, ``?institution=CODE``, ``?year=``; 50 a
    page, newest first."""
    form = CompletionFilterForm(request.GET)
    programme = form.cleaned("programme")
    institution = form.cleaned("institution")
    visible = training_policy.completions_visible(user=request.user, queryset=Completion.objects.all())
    found = completions_filtered(
        queryset=visible,
        programme_code=programme.code if programme is not None else "",
        institution_code=institution.code if institution is not None else "",
        year=form.cleaned("year"),
    )
    page = page_of(request, found)
    shown = {completion.worker_id for completion in page}
    linked = set(
        policy.workers_visible(user=request.user, queryset=Worker.objects.filter(pk__in=shown)).values_list(
            "pk", flat=True
        )
    )
    return render(
        request,
        "web/training/completions.html",
        {
            "nav": NAV,
            "form": form,
            "page_obj": page,
            "linked": linked,
            "may_record": training_policy.is_training_manager(user=request.user),
            "changeable": {
                completion.pk
                for completion in page
                if training_policy.may_change_institution(
                    user=request.user, institution_id=completion.programme.institution_id
                )
            },
        },
    )


@training_managers_required
def completion_record_view(request: HttpRequest) -> HttpResponse:
    """Record that a worker (by worker ID) completed a programme the user may change."""
    form = CompletionForm(request.POST or None, user=request.user)

    def save(data: dict[str, Any]) -> Completion:
        worker = (
            training_policy.workers_for_completion(user=request.user, queryset=Worker.objects.all())
            .filter(worker_id=data.pop("worker_id").strip())
            .first()
        )
        if worker is None:
            raise ValidationError({"worker_id": _("No worker has this worker ID.")})
        return services.completion_record(actor=request.user, worker=worker, **data)

    return form_page(
        request,
        form,
        title=_("Record a completion"),
        back=reverse("web:training_completion_list"),
        save=save,
        done=lambda saved: reverse("web:training_completion_list"),
        message=_("The completion is recorded."),
    )


@training_managers_required
def completion_withdraw_view(request: HttpRequest, uuid: str) -> HttpResponse:
    """Withdraw a completion recorded in error, saying why (the audit trail keeps it and the reason)."""
    visible = training_policy.completions_visible(
        user=request.user, queryset=Completion.objects.select_related("worker", "programme")
    )
    completion = get_object_or_404(visible, uuid=uuid)
    training_policy.require_institution_change(
        user=request.user, institution_id=completion.programme.institution_id
    )
    form = CompletionWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.completion_withdraw(actor=request.user, completion=completion, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The completion is withdrawn."))
            return redirect("web:training_completion_list")
    return render(
        request,
        "web/training/withdraw.html",
        {"nav": NAV, "form": form, "completion": completion},
        status=400 if form.errors else 200,
    )
