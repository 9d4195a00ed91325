"""The training's catalogue pages (``/training/``): the hub, the institutions (each with its accreditation,
programmes, instructors, intakes and figures) and the programmes.

The catalogue describes no person and is open to every role but a worker's own login
(``training_policy.require_catalogue_read``); instructors are persons, listed only to those who may change
their institution (``training_policy.instructors_visible``). The forms that change the catalogue are in
``training_catalogue_forms``, the completions in ``training_completions``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from sswis.access import training_policy
from sswis.training.models import Instructor, Programme, TrainingInstitution
from sswis.training.selectors import (
    institution_accredited_on,
    institution_figures,
    institutions_listed,
    programme_certifies_on,
    programmes_filtered,
)
from sswis.web.decorators import catalogue_required
from sswis.web.training_forms import IntakeForm, ProgrammeFilterForm, programmes_for_change
from sswis.web.views.common import page_of

NAV = "training"


@catalogue_required
def training_hub_view(request: HttpRequest) -> HttpResponse:
    """The training's front page: what there is to open, as far as the user may."""
    user = request.user
    return render(
        request,
        "web/training/hub.html",
        {
            "nav": NAV,
            "institution_count": TrainingInstitution.objects.count(),
            "programme_count": Programme.objects.count(),
            "reads_completions": training_policy.may_read_completions(user=user),
            "records_completions": programmes_for_change(user=user).exists(),
        },
    )


@catalogue_required
def institution_list_view(request: HttpRequest) -> HttpResponse:
    """Every training institution, with whether it is accredited today and how many programmes it has;
    50 a page."""
    institutions = institutions_listed(queryset=TrainingInstitution.objects.all(), day=timezone.localdate())
    return render(
        request,
        "web/training/institutions.html",
        {
            "nav": NAV,
            "page_obj": page_of(request, institutions),
            "may_create": training_policy.may_change_institution(user=request.user, institution_id=None),
        },
    )


@catalogue_required
def institution_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """One institution: its accreditation today and every period, its programmes, its instructors (to
    those who may change it), and its figures by year (intake and completions of each programme, students
    per instructor: ``selectors.institution_figures``)."""
    institution = get_object_or_404(
        TrainingInstitution.objects.select_related("location", "organisation"), code=code
    )
    today = timezone.localdate()
    instructors = training_policy.instructors_visible(
        user=request.user, queryset=Instructor.objects.filter(institution=institution)
    ).prefetch_related("programmes")
    return render(
        request,
        "web/training/institution.html",
        {
            "nav": NAV,
            "institution": institution,
            "accredited_today": institution_accredited_on(institution=institution, day=today),
            "accreditations": institution.accreditations.order_by("-valid_from"),
            "programmes": institution.programmes.order_by("code"),
            "instructors": instructors,
            "sees_instructors": training_policy.may_change_institution(
                user=request.user, institution_id=institution.pk
            ),
            "changeable": training_policy.may_change_institution(
                user=request.user, institution_id=institution.pk
            ),
            "figures": institution_figures(institution=institution),
            "today": today,
        },
    )


@catalogue_required
def programme_list_view(request: HttpRequest) -> HttpResponse:
    """Every programme: ``?kind=``, ``?institution=CODE``, ``?certifying=yes|no`` (whether it certifies to
    work with child victims today); 50 a page."""
    form = ProgrammeFilterForm(request.GET)
    certifying = {"yes": True, "no": False}.get(form.cleaned("certifying", ""))
    institution = form.cleaned("institution")
    programmes = programmes_filtered(
        queryset=Programme.objects.all(),
        kind=form.cleaned("kind", ""),
        institution_code=institution.code if institution is not None else "",
        certifying=certifying,
        certifying_on=timezone.localdate(),
    )
    return render(
        request,
        "web/training/programmes.html",
        {
            "nav": NAV,
            "form": form,
            "page_obj": page_of(request, programmes),
            "today": timezone.localdate(),
            "may_create": training_policy.is_training_manager(user=request.user),
        },
    )


def _programme(code: str) -> Programme:
    return get_object_or_404(Programme.objects.select_related("institution"), code=code)


def programme_context(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    """What the programme's page shows (also under a refused intake form)."""
    today = timezone.localdate()
    changeable = training_policy.may_change_institution(
        user=request.user, institution_id=programme.institution_id
    )
    return {
        "nav": NAV,
        "programme": programme,
        "cadres": programme.cadres.order_by("code"),
        "intakes": programme.intakes.order_by("-year"),
        "certifies_today": programme_certifies_on(programme=programme, day=today),
        "completion_count": programme.completions.count(),
        "changeable": changeable,
        "intake_form": IntakeForm(initial={"year": today.year}) if changeable else None,
    }


@catalogue_required
def programme_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """One programme: what it is, the cadres it prepares for, whether it certifies to work with child
    victims today, its intakes by year and how many completed it; the intake form to those who may
    change it."""
    programme = _programme(code)
    return render(request, "web/training/programme.html", programme_context(request, programme))
