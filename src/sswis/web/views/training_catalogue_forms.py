"""The pages that change the training's catalogue: an institution (new, changed), its accreditation
periods (added, ended), its instructors (added, changed, ended), a programme (new, changed) and its
intake of a year. Each page is a form (GET) saved by one service of ``sswis.training.services`` (POST);
a refusal is shown on the form (400) and writes nothing.

Only a national data manager or an institution focal point opens them
(``training_policy.require_training_manager``), and the focal point only for their own institution
(``require_institution_change``: 403 for another's); instructors of another institution are not found
(404: they are persons)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sswis.access import training_policy
from sswis.training import services
from sswis.training.models import Accreditation, Instructor, Programme, TrainingInstitution
from sswis.web.decorators import training_managers_required
from sswis.web.forms import form_add_service_errors
from sswis.web.training_forms import (
    AccreditationEndForm,
    AccreditationForm,
    InstitutionForm,
    InstructorEndForm,
    InstructorForm,
    IntakeForm,
    ProgrammeForm,
)

NAV = "training"


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    message: str,
    lead: str = "",
    submit: str = "",
) -> HttpResponse:
    """A training form page: on a valid POST call ``save`` (one service) with the cleaned data, then go
    to ``done(saved)`` with ``message``; else (GET, or refused: 400) show the form with its problems."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(dict(form.cleaned_data))
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(done(saved))
    return render(
        request,
        "web/training/form.html",
        {
            "nav": NAV,
            "form": form,
            "title": title,
            "back": back,
            "lead": lead,
            "submit": submit or _("Save"),
        },
        status=400 if form.errors else 200,
    )


def _institution_url(institution: TrainingInstitution) -> str:
    return reverse("web:training_institution_detail", kwargs={"code": institution.code})


def _changeable_institution(request: HttpRequest, code: str) -> TrainingInstitution:
    institution = get_object_or_404(TrainingInstitution, code=code)
    training_policy.require_institution_change(user=request.user, institution_id=institution.pk)
    return institution


def _initial(instance: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


@training_managers_required
def institution_new_view(request: HttpRequest) -> HttpResponse:
    """Add a training institution (a national data manager only)."""
    training_policy.require_institution_change(user=request.user, institution_id=None)
    return form_page(
        request,
        InstitutionForm(request.POST or None),
        title=_("New training institution"),
        back=reverse("web:training_institution_list"),
        save=lambda data: services.institution_create(actor=request.user, **data),
        done=_institution_url,
        message=_("The institution is added."),
    )


@training_managers_required
def institution_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    """Change an institution's code, name, kind, location or organisation."""
    institution = _changeable_institution(request, code)
    initial = {
        "code": institution.code,
        "name": institution.name,
        "kind": institution.kind,
        "location": institution.location.code if institution.location else None,
        "organisation": institution.organisation.code if institution.organisation else None,
    }

    def save(data: dict[str, Any]) -> TrainingInstitution:
        services.institution_change(actor=request.user, institution=institution, changes=data)
        return institution

    return form_page(
        request,
        InstitutionForm(request.POST or None, initial=initial),
        title=_("Change %(institution)s") % {"institution": institution.name},
        back=_institution_url(institution),
        save=save,
        done=_institution_url,
        message=_("The institution is changed."),
    )


@training_managers_required
def accreditation_add_view(request: HttpRequest, code: str) -> HttpResponse:
    """Add an accreditation period of the institution (no two periods share a day)."""
    institution = _changeable_institution(request, code)
    return form_page(
        request,
        AccreditationForm(request.POST or None),
        title=_("Accreditation of %(institution)s") % {"institution": institution.name},
        back=_institution_url(institution),
        save=lambda data: services.accreditation_add(actor=request.user, institution=institution, **data),
        done=lambda saved: _institution_url(institution),
        message=_("The accreditation is recorded."),
        lead=_("Leave the last day empty while the accreditation has no end."),
    )


@training_managers_required
def accreditation_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the last day of an accreditation period."""
    accreditation = get_object_or_404(Accreditation.objects.select_related("institution"), pk=pk)
    institution = accreditation.institution
    training_policy.require_institution_change(user=request.user, institution_id=institution.pk)
    return form_page(
        request,
        AccreditationEndForm(request.POST or None, initial={"valid_until": accreditation.valid_until}),
        title=_("End the accreditation of %(institution)s from %(start)s")
        % {"institution": institution.name, "start": accreditation.valid_from.isoformat()},
        back=_institution_url(institution),
        save=lambda data: services.accreditation_end(actor=request.user, accreditation=accreditation, **data),
        done=lambda saved: _institution_url(institution),
        message=_("The accreditation's last day is recorded."),
    )


@training_managers_required
def instructor_add_view(request: HttpRequest, code: str) -> HttpResponse:
    """Add an instructor of the institution, with the programmes they teach."""
    institution = _changeable_institution(request, code)
    return form_page(
        request,
        InstructorForm(request.POST or None, institution=institution),
        title=_("New instructor of %(institution)s") % {"institution": institution.name},
        back=_institution_url(institution),
        save=lambda data: services.instructor_add(actor=request.user, institution=institution, **data),
        done=lambda saved: _institution_url(institution),
        message=_("The instructor is added."),
    )


def _instructor(request: HttpRequest, pk: int) -> Instructor:
    """An instructor the user may see (those of the institutions they may change; others: 404)."""
    visible = training_policy.instructors_visible(
        user=request.user, queryset=Instructor.objects.select_related("institution")
    )
    return get_object_or_404(visible, pk=pk)


INSTRUCTOR_INITIAL = ("name", "qualification", "field", "full_time", "active_from", "active_until")


@training_managers_required
def instructor_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an instructor and the programmes they teach."""
    instructor = _instructor(request, pk)
    initial = _initial(instructor, INSTRUCTOR_INITIAL) | {
        "programmes": list(instructor.programmes.values_list("code", flat=True))
    }

    def save(data: dict[str, Any]) -> Instructor:
        taught = data.pop("programmes")
        services.instructor_change(actor=request.user, instructor=instructor, changes=data, programmes=taught)
        return instructor

    return form_page(
        request,
        InstructorForm(request.POST or None, institution=instructor.institution, initial=initial),
        title=_("Change the instructor %(name)s") % {"name": instructor.name},
        back=_institution_url(instructor.institution),
        save=save,
        done=lambda saved: _institution_url(instructor.institution),
        message=_("The instructor is changed."),
    )


@training_managers_required
def instructor_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an instructor's last day of teaching."""
    instructor = _instructor(request, pk)
    return form_page(
        request,
        InstructorEndForm(request.POST or None, initial={"active_until": instructor.active_until}),
        title=_("%(name)s stops teaching") % {"name": instructor.name},
        back=_institution_url(instructor.institution),
        save=lambda data: services.instructor_end(actor=request.user, instructor=instructor, **data),
        done=lambda saved: _institution_url(instructor.institution),
        message=_("The instructor's last day is recorded."),
    )


def _programme_url(programme: Programme) -> str:
    return reverse("web:training_programme_detail", kwargs={"code": programme.code})


def _programme_create(actor: Any, data: Mapping[str, Any]) -> Programme:
    return services.programme_create(actor=actor, **data)


@training_managers_required
def programme_new_view(request: HttpRequest) -> HttpResponse:
    """Add a programme of an institution the user may change (a national data manager: also of none)."""
    return form_page(
        request,
        ProgrammeForm(request.POST or None, user=request.user),
        title=_("New programme"),
        back=reverse("web:training_programme_list"),
        save=lambda data: _programme_create(request.user, data),
        done=_programme_url,
        message=_("The programme is added."),
    )


PROGRAMME_INITIAL = (
    "code",
    "name",
    "kind",
    "duration_months",
    "awards_education",
    "government_recognised_from",
    "certifies_child_victims",
    "practicum_hours",
    "supervisor_experience_years",
)


@training_managers_required
def programme_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    """Change a programme; changing whether (or since when) it certifies is allowed and audited as such."""
    programme = get_object_or_404(Programme.objects.select_related("institution"), code=code)
    training_policy.require_institution_change(user=request.user, institution_id=programme.institution_id)
    initial = _initial(programme, PROGRAMME_INITIAL) | {
        "institution": programme.institution_id,
        "cadres": list(programme.cadres.values_list("code", flat=True)),
    }

    def save(data: dict[str, Any]) -> Programme:
        cadres = data.pop("cadres")
        services.programme_change(actor=request.user, programme=programme, changes=data, cadres=cadres)
        return programme

    return form_page(
        request,
        ProgrammeForm(request.POST or None, user=request.user, initial=initial),
        title=_("Change %(programme)s") % {"programme": programme.name},
        back=_programme_url(programme),
        save=save,
        done=_programme_url,
        message=_("The programme is changed."),
        lead=_(
            "Whether a programme certifies, and since when the government recognises it, decides which of "
            "its completions certify, past ones included: such a change is kept in the audit trail."
        ),
    )


@training_managers_required
def intake_set_view(request: HttpRequest, code: str) -> HttpResponse:
    """Set the students the programme enrolled in a year (the year's intake is replaced)."""
    programme = get_object_or_404(Programme.objects.select_related("institution"), code=code)
    training_policy.require_institution_change(user=request.user, institution_id=programme.institution_id)
    return form_page(
        request,
        IntakeForm(request.POST or None),
        title=_("Intake of %(programme)s") % {"programme": programme.name},
        back=_programme_url(programme),
        save=lambda data: services.intake_set(actor=request.user, programme=programme, **data),
        done=lambda saved: _programme_url(programme),
        message=_("The intake is recorded."),
    )
