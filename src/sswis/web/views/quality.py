"""The quality-assurance score's pages (``/quality/``): a year's four criteria with the proposals of
criteria 2-4 and their reasons, the scores of record with their evidence, the composite and its band, and
the history of the year's scores; the form that records one criterion's score; an evidence file.

Every role that sees aggregates reads them (``quality_policy.require_quality_read``: national figures and
documents, no person); a national data manager records (``require_quality_change``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access import quality_policy
from sswis.quality.explanations import proposal_explanation, reason_lines
from sswis.quality.models import (
    CRITERION_NUMBER,
    PROPOSED_CRITERIA,
    Criterion,
    CriterionScore,
    InstrumentStatus,
)
from sswis.quality.proposals import Proposal, proposals_compute
from sswis.quality.selectors import instruments_listed, score_history, scored_years, year_scores
from sswis.quality.services import score_record
from sswis.web.decorators import quality_managers_required, quality_read_required
from sswis.web.forms import form_add_service_errors
from sswis.web.quality_forms import QualityYearForm, ScoreRecordForm

NAV = "quality"


def _year_chosen(request: HttpRequest) -> tuple[QualityYearForm, int]:
    """The year asked for (``?year=``), else the latest year with a score of record, else this year; 404
    for a year that is not one."""
    form = QualityYearForm(request.GET or None)
    if request.GET.get("year") and not form.is_valid():
        raise Http404(_("Unknown year."))
    years = scored_years()
    default = years[0] if years else timezone.localdate().year
    return form, int(form.cleaned("year", default))


def _criteria(*, year: int, proposals: dict[str, Proposal]) -> list[dict[str, Any]]:
    recorded = year_scores(year=year)
    criteria = []
    for criterion in Criterion:
        proposal = proposals.get(criterion.value)
        criteria.append(
            {
                "code": criterion.value,
                "number": CRITERION_NUMBER[criterion],
                "title": criterion.label,
                "score": recorded.scores.get(criterion.value),
                "proposal": proposal,
                "explanation": (
                    proposal_explanation(criterion.value, proposal.proposed, proposal.reasons)
                    if proposal
                    else ""
                ),
                "reasons": reason_lines(proposal.reasons) if proposal else [],
            }
        )
    return criteria


@quality_read_required
def quality_view(request: HttpRequest) -> HttpResponse:
    """A year's score (``?year=``): each criterion's proposal with its reasons and its score of record with
    the evidence, the composite and band (or the criteria still missing), the history of the year."""
    form, year = _year_chosen(request)
    proposals = proposals_compute(year=year)
    recorded = year_scores(year=year)
    instruments = list(instruments_listed())
    return render(
        request,
        "web/quality/score.html",
        {
            "nav": NAV,
            "form": form,
            "year": year,
            "years": scored_years(),
            "criteria": _criteria(year=year, proposals=proposals),
            "recorded": recorded,
            "missing": [Criterion(name).label for name in recorded.missing],
            "history": score_history(year=year),
            "instruments_in_force": sum(1 for i in instruments if i.status == InstrumentStatus.IN_FORCE),
            "instruments": len(instruments),
            "framework_url": reverse("web:quality_framework"),
            "may_change": quality_policy.may_change_quality(user=request.user),
        },
    )


@quality_managers_required
def quality_record_view(request: HttpRequest) -> HttpResponse:
    """Record one criterion's score for a year (``?year=&criterion=``; a national data manager): the
    proposal with its reasons beside the form, which starts from the score of record or the proposal."""
    _form, year = _year_chosen(request)
    code = request.GET.get("criterion") or Criterion.FRAMEWORK.value
    if code not in Criterion.values:
        raise Http404(_("Unknown criterion."))
    criterion = Criterion(code)
    proposal = proposals_compute(year=year)[code] if criterion in PROPOSED_CRITERIA else None
    existing = CriterionScore.objects.filter(year=year, criterion=code).first()
    initial: dict[str, Any] = {"score": proposal.proposed if proposal else None}
    if existing is not None:
        initial = {
            "score": existing.score,
            "evidence": existing.evidence,
            "links": "\n".join(existing.links),
            "reason": existing.override_reason,
        }
    form = ScoreRecordForm(request.POST or None, request.FILES or None, initial=initial)
    back = f"{reverse('web:quality')}?year={year}"
    if request.method == "POST" and form.is_valid():
        try:
            score_record(
                actor=request.user,
                year=year,
                criterion=code,
                score=form.cleaned_data["score"],
                evidence=form.cleaned_data["evidence"],
                links=form.links_given(),
                file=form.cleaned_data.get("file"),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error, rename={"criterion": "score", "year": "score"})
        else:
            messages.success(request, _("The score is recorded."))
            return redirect(back)
    return render(
        request,
        "web/quality/record.html",
        {
            "nav": NAV,
            "form": form,
            "year": year,
            "criterion": criterion,
            "number": CRITERION_NUMBER[criterion],
            "proposal": proposal,
            "explanation": proposal_explanation(code, proposal.proposed, proposal.reasons)
            if proposal
            else "",
            "reasons": reason_lines(proposal.reasons) if proposal else [],
            "existing": existing,
            "back": back,
        },
        status=400 if form.errors else 200,
    )


def kept_file_response(file: Any, *, name: str) -> FileResponse:
    """A kept file as an attachment under ``name``; 404 when the storage no longer has it (a data folder
    restored without its files)."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is no longer kept.")) from missing
    return FileResponse(handle, as_attachment=True, filename=name)


@quality_read_required
def score_file_view(request: HttpRequest, score_uuid: Any) -> FileResponse:
    """The evidence file of a score of record, as an attachment under the name it was sent with."""
    row = get_object_or_404(CriterionScore, uuid=score_uuid)
    if not row.file:
        raise Http404(_("This score has no evidence file."))
    return kept_file_response(row.file, name=row.file_name or "evidence")
