"""Workers' perceptions as aggregates: counts and shares per answer for a survey round and a location.

The figures are those of ``sswis.surveys.selectors.perception_summary`` (the same as ``sswis perceptions``
and ``GET /api/v1/perceptions/``): never a person's answers, and withheld where fewer than
``MINIMUM_RESPONDENTS`` workers answered. Anyone with a role may see them, analysts included.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sswis.surveys.selectors import (
    MINIMUM_RESPONDENTS,
    perception_summary,
    survey_round_list,
    withheld_explanation,
)
from sswis.surveys.wellbeing import wellbeing_summary
from sswis.web.decorators import aggregates_required
from sswis.web.forms import PerceptionsForm
from sswis.web.views.common import location_choose


@aggregates_required
def perceptions_view(request: HttpRequest) -> HttpResponse:
    """``?round=CODE`` (default the newest round) and ``?location=CODE`` (default the user's own location
    or the country): the answers of every question there and below, with a round picker, a breadcrumb
    to the places above and links to the places below. An unknown round or location is a 404."""
    form = PerceptionsForm(request.GET, rounds=survey_round_list(user=request.user))
    survey_round = form.chosen_round()
    chosen = location_choose(user=request.user, code=form.cleaned("location", ""))
    context = {
        "nav": "perceptions",
        "form": form,
        "survey_round": survey_round,
        "choice": chosen,
        "minimum_respondents": MINIMUM_RESPONDENTS,
    }
    if survey_round is not None and chosen is not None:
        summary = perception_summary(
            user=request.user, round_code=survey_round.code, location_code=chosen.location.code
        )
        context["summary"] = summary
        context["wellbeing"] = wellbeing_summary(
            user=request.user, survey_round=survey_round, location=chosen.location
        )
        context["withheld_explanation"] = withheld_explanation(summary=summary)
    return render(request, "web/surveys/perceptions.html", context)
