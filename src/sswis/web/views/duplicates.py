"""Duplicate detection's pages (``/duplicates/``): the review queue of open pairs side by side, one pair
with its reasons and the confirm (choose the surviving record) and reject forms, the runs (start one in the
background, follow its progress) and the model in force with the match weight of each comparison level.

Reviewers only (``duplicates_policy``): a national data manager everywhere, a subnational officer for pairs
whose two workers are both in their area; a run is started by a national data manager.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sswis.access.duplicates_policy import require_duplicates_review, require_duplicates_run
from sswis.duplicates.linkage import DEFAULT_THRESHOLD
from sswis.duplicates.models import RunOrigin, RunStatus
from sswis.duplicates.selectors import (
    model_in_force,
    model_weights,
    pair_for_review,
    pairs_for_review,
    run_detail,
    runs_list,
)
from sswis.duplicates.services import duplicate_run_create, duplicate_run_queue, pair_confirm, pair_reject
from sswis.registry.models import Worker
from sswis.text import PrintableTextValidator
from sswis.web.decorators import _guarded

NAV = "duplicates"
reviewers_required = _guarded(require_duplicates_review)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("keep_a", gettext_lazy("Same person: keep the first record")),
            ("keep_b", gettext_lazy("Same person: keep the second record")),
            ("reject", gettext_lazy("Different people")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[PrintableTextValidator(label=gettext_lazy("Reason"), multiline=True)],
        help_text=gettext_lazy("Required to reject a pair."),
    )


class RunForm(forms.Form):
    threshold = forms.FloatField(
        label=gettext_lazy("Threshold (match probability)"), min_value=0.01, max_value=0.9999,
        initial=DEFAULT_THRESHOLD,
    )  # fmt: skip
    train = forms.BooleanField(label=gettext_lazy("Train the model on the data first"), required=False)


@reviewers_required
def queue_view(request: HttpRequest) -> HttpResponse:
    """The open pairs of the latest run the user may review, most probable first, 50 a page."""
    page = Paginator(pairs_for_review(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "web/duplicates/queue.html", {"nav": NAV, "page": page})


@reviewers_required
def pair_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    """One pair side by side with its reasons; POST confirms (merging) or rejects it."""
    pair = pair_for_review(user=request.user, pair_id=pair_id)
    if pair is None:
        raise Http404(_("No such pair in your area."))
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == "reject":
                pair_reject(actor=request.user, pair=pair, reason=reason)
                messages.success(request, _("The pair was rejected: it will not be proposed again."))
            else:
                surviving: Worker = pair.worker_a if decision == "keep_a" else pair.worker_b
                pair_confirm(actor=request.user, pair=pair, surviving=surviving, reason=reason)
                messages.success(
                    request, _("The records were merged into %(worker)s.") % {"worker": surviving}
                )
            return redirect("web:duplicates")
        except ValidationError as problem:
            for field, errors in problem.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(
        request, "web/duplicates/pair.html", {"nav": NAV, "pair": pair, "form": form,
                                              "workers": [pair.worker_a, pair.worker_b]}
    )  # fmt: skip


@reviewers_required
def runs_view(request: HttpRequest) -> HttpResponse:
    """The runs, newest first; POST (a national data manager) starts one in the background."""
    form = RunForm(request.POST or None)
    if request.method == "POST":
        require_duplicates_run(user=request.user)
        if form.is_valid():
            try:
                run = duplicate_run_create(
                    actor=request.user, threshold=form.cleaned_data["threshold"],
                    train=form.cleaned_data["train"], origin=RunOrigin.PAGE,
                )  # fmt: skip
            except ValidationError as problem:
                form.add_error("threshold", problem.messages)
            else:
                duplicate_run_queue(run=run)
                return redirect("web:duplicates_run", run_id=run.pk)
    page = Paginator(runs_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "web/duplicates/runs.html", {"nav": NAV, "page": page, "form": form})


@reviewers_required
def run_view(request: HttpRequest, run_id: int) -> HttpResponse:
    """One run: its progress while it runs (the page refreshes itself), then its counts."""
    run = run_detail(user=request.user, run_id=run_id)
    if run is None:
        raise Http404(_("No such run."))
    running = run.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    return render(request, "web/duplicates/run.html", {"nav": NAV, "run": run, "running": running})


@reviewers_required
def model_view(request: HttpRequest) -> HttpResponse:
    """The model in force: when and by whom trained, and each comparison level's match weight."""
    model = model_in_force(user=request.user)
    weights = model_weights(model=model) if model else []
    return render(request, "web/duplicates/model.html", {"nav": NAV, "model": model, "weights": weights})
