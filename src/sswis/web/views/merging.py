"""Merging two worker records of the same person on the pages: the merge history, one merge with what it
moved and its "undo" button, and the "merge with..." form of a worker's page (``sswis.registry.merging``,
access through ``sswis.access.merging_policy``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy

from sswis.access import policy
from sswis.forms_base import CheckedForm
from sswis.registry.merging import merge_unmerge_problems, worker_merge, worker_unmerge
from sswis.registry.merging_selectors import merge_detail, merge_list, merge_moved_rows
from sswis.registry.models import Worker
from sswis.registry.models_merging import WorkerMerge
from sswis.web.decorators import merges_required
from sswis.web.views.common import page_of

SURVIVES_THIS = "this"
SURVIVES_OTHER = "other"


class WorkerMergeForm(CheckedForm):
    other = forms.CharField(
        label=gettext_lazy("Worker ID of the other record"),
        max_length=64,
        help_text=gettext_lazy("The other record of the same person."),
    )
    survives = forms.ChoiceField(
        label=gettext_lazy("Which record stays"),
        choices=[
            (SURVIVES_THIS, gettext_lazy("This record stays; the other is merged into it")),
            (SURVIVES_OTHER, gettext_lazy("The other record stays; this one is merged into it")),
        ],
        initial=SURVIVES_THIS,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why these are the same person (kept in the audit trail)."),
    )


class UnmergeForm(CheckedForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why these are two people after all (kept in the audit trail)."),
    )


def _errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: a field's message on it, the others (conflicts) at the top."""
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


def _merge(request: HttpRequest, merge_uuid: UUID) -> WorkerMerge:
    try:
        return merge_detail(user=request.user, merge_uuid=merge_uuid)
    except WorkerMerge.DoesNotExist:
        raise Http404(gettext("No merge with this ID in your scope.")) from None


@merges_required
def merge_list_view(request: HttpRequest) -> HttpResponse:
    """The merges the user may read, newest first, 50 a page (one query for the page's rows)."""
    context = {"nav": "workers", "page_obj": page_of(request, merge_list(user=request.user))}
    return render(request, "web/workers/merges.html", context)


def _merge_page(
    request: HttpRequest, merge: WorkerMerge, form: UnmergeForm, status: int = 200
) -> HttpResponse:
    context = {
        "nav": "workers",
        "merge": merge,
        "moved": merge_moved_rows(merge=merge),
        "problems": merge_unmerge_problems(merge=merge),
        "form": form,
    }
    return render(request, "web/workers/merge.html", context, status=status)


@merges_required
def merge_detail_view(request: HttpRequest, merge_uuid: UUID) -> HttpResponse:
    """One merge: both records, who merged them and why, what moved, and the unmerge form."""
    return _merge_page(request, _merge(request, merge_uuid), UnmergeForm())


@merges_required
def merge_unmerge_view(request: HttpRequest, merge_uuid: UUID) -> HttpResponse:
    """Undo a merge (POST; ``worker_unmerge``); a refusal shows the merge again with the reasons."""
    merge = _merge(request, merge_uuid)
    if request.method != "POST":
        return redirect("web:worker_merge_detail", merge_uuid=merge.uuid)
    form = UnmergeForm(request.POST)
    if form.is_valid():
        try:
            worker_unmerge(actor=request.user, merge=merge, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(
                request,
                gettext("Undone: %(merged)s is a record of its own again.")
                % {"merged": merge.merged.worker_id},
            )
            return redirect("web:worker_merge_detail", merge_uuid=merge.uuid)
    return _merge_page(request, _merge(request, merge_uuid), form, status=400)


def _other_worker(request: HttpRequest, worker_id: str) -> Worker | None:
    """The other record by worker ID: live and visible, or merged (the service says why it is refused)."""
    other = Worker.objects.filter(worker_id=worker_id.strip()).first()
    if other is None:
        return None
    if (
        other.merged_into_id is None
        and not policy.workers_visible(user=request.user).filter(pk=other.pk).exists()
    ):
        return None
    return other


@merges_required
def worker_merge_view(request: HttpRequest, worker_id: str) -> HttpResponse:
    """The "merge with..." form of a worker's page: the other record, which one stays, and why."""
    worker = policy.workers_visible(user=request.user).filter(worker_id=worker_id).first()
    if worker is None:
        raise Http404(gettext("No worker with this ID in your scope."))
    form = WorkerMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        other = _other_worker(request, form.cleaned_data["other"])
        if other is None:
            form.add_error("other", gettext("No worker with this ID in your scope."))
        else:
            surviving, merged = (
                (worker, other) if form.cleaned_data["survives"] == SURVIVES_THIS else (other, worker)
            )
            try:
                merge = worker_merge(
                    actor=request.user, surviving=surviving, merged=merged, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _errors_onto(form, error)
            else:
                messages.success(
                    request,
                    gettext("%(merged)s is merged into %(surviving)s.")
                    % {"merged": merged.worker_id, "surviving": surviving.worker_id},
                )
                return redirect("web:worker_merge_detail", merge_uuid=merge.uuid)
    context: dict[str, Any] = {
        "nav": "workers",
        "form": form,
        "worker": worker,
        "title": gettext("Merge with another record"),
        "submit": gettext("Merge the two records"),
    }
    return render(request, "web/workers/form.html", context, status=400 if form.errors else 200)
