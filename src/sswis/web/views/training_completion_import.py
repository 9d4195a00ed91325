"""Importing a completions list of an institution or an online-course platform on a page
(``/training/completions/import/``): the upload, the importer's report (``training.completion_lists``), or
only checked (a dry run); then the completions kept because their person matched no worker, each matched
to a worker by their worker ID or set aside with a reason. For a national data manager and the institutions'
focal points (their own institution's programmes and kept rows only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sswis.access import training_policy
from sswis.forms_base import CheckedForm
from sswis.imports.report import ImportReport
from sswis.training.completion_list_forms import UnmatchedMatchForm, UnmatchedSetAsideForm
from sswis.training.completion_lists import (
    completion_list_import_upload,
    unmatched_completion_list,
    unmatched_completion_match,
    unmatched_completion_set_aside,
    unmatched_completions_visible,
)
from sswis.training.models import Programme, UnmatchedCompletion
from sswis.web.decorators import training_managers_required
from sswis.web.forms import form_add_service_errors
from sswis.web.views.common import page_of


class CompletionListForm(CheckedForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: person_identifier (worker ID, national ID or e-mail), course (a programme's code or name), "
            "completion_date, certificate_id, and optionally name"
        ),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme of the whole list"),
        queryset=Programme.objects.none(),
        required=False,
        help_text=_("When the list is of one programme: its rows may then leave the course empty."),
    )
    dry_run = forms.BooleanField(label=_("Only check the file (write nothing)"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programmes = training_policy.institutions_changeable(
            user=user, queryset=Programme.objects.all(), prefix="institution__"
        )
        self.fields["programme"].queryset = programmes.order_by("code")  # type: ignore[attr-defined]


def _page(
    request: HttpRequest,
    *,
    form: CompletionListForm | None = None,
    report: ImportReport | None = None,
    row_forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page: the upload form, the report of what was just imported, the kept rows still pending (50 a
    page), each with its match and set-aside forms (``row_forms``: those of the row just refused)."""
    pending = page_of(request, unmatched_completion_list(user=request.user, status="pending"))
    given = row_forms or {}
    rows = [
        (
            row,
            given.get(f"match-{row.pk}") or UnmatchedMatchForm(prefix=f"match-{row.pk}"),
            given.get(f"aside-{row.pk}") or UnmatchedSetAsideForm(prefix=f"aside-{row.pk}"),
        )
        for row in pending
    ]
    context = {
        "nav": "training",
        "form": form or CompletionListForm(user=request.user),
        "report": report,
        "page_obj": pending,
        "rows": rows,
    }
    return render(request, "web/training/completion_import.html", context, status=status)


@training_managers_required
def training_completion_import_view(request: HttpRequest) -> HttpResponse:
    """The upload form and the pending kept rows; on POST the report (400 when the file has problems:
    nothing written)."""
    if request.method != "POST":
        return _page(request)
    form = CompletionListForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    report = completion_list_import_upload(
        actor=request.user,
        file_name=upload.name,
        chunks=upload.chunks(),
        programme=form.cleaned_data["programme"],
        dry_run=form.cleaned_data["dry_run"],
    )
    return _page(request, form=form, report=report, status=400 if report.has_errors else 200)


def _refused(
    request: HttpRequest, form: forms.Form, error: ValidationError, *, rename: dict[str, str]
) -> None:
    """A service's refusal: on its field of the row's form; about the row as a whole (already matched or set
    aside, so no longer listed with its forms) as a message at the top of the page."""
    if hasattr(error, "error_dict"):
        form_add_service_errors(form, error, rename=rename)
    else:
        form.add_error(None, error)
        messages.error(request, " ".join(error.messages))


def _kept(request: HttpRequest, pk: int) -> UnmatchedCompletion:
    return get_object_or_404(unmatched_completions_visible(user=request.user), pk=pk)


@training_managers_required
@require_POST
def training_unmatched_match_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Match a kept row to the worker of the worker ID given; 404 for a row out of sight; a refusal is shown
    on the page (400)."""
    unmatched = _kept(request, pk)
    form = UnmatchedMatchForm(request.POST, prefix=f"match-{unmatched.pk}")
    if form.is_valid():
        try:
            completion = unmatched_completion_match(
                actor=request.user, unmatched=unmatched, worker=form.cleaned_data["worker_id"]
            )
        except ValidationError as error:
            _refused(request, form, error, rename={"worker": "worker_id"})
        else:
            messages.success(
                request,
                gettext("Matched: %(person)s is worker %(worker)s, who completed %(programme)s on %(day)s.")
                % {
                    "person": unmatched.person_identifier,
                    "worker": completion.worker.worker_id,
                    "programme": unmatched.programme.code,
                    "day": unmatched.completed_on.isoformat(),
                },
            )
            return redirect("web:training_completion_import")
    return _page(request, row_forms={f"match-{unmatched.pk}": form}, status=400)


@training_managers_required
@require_POST
def training_unmatched_set_aside_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a kept row aside with the reason given; 404 for a row out of sight; a refusal is shown on the
    page (400)."""
    unmatched = _kept(request, pk)
    form = UnmatchedSetAsideForm(request.POST, prefix=f"aside-{unmatched.pk}")
    if form.is_valid():
        try:
            unmatched_completion_set_aside(
                actor=request.user, unmatched=unmatched, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _refused(request, form, error, rename={"set_aside_reason": "reason"})
        else:
            messages.success(
                request,
                gettext("Set aside: %(person)s, %(programme)s on %(day)s.")
                % {
                    "person": unmatched.person_identifier,
                    "programme": unmatched.programme.code,
                    "day": unmatched.completed_on.isoformat(),
                },
            )
            return redirect("web:training_completion_import")
    return _page(request, row_forms={f"aside-{unmatched.pk}": form}, status=400)
