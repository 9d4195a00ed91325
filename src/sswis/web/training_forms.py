"""The forms of the training's catalogue and completions pages: each validates what the browser sends and
hands it to one service of ``sswis.training.services``. Choice fields offer only what the user may change
(``sswis.access.training_policy``); the services check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from sswis.access import training_policy
from sswis.geo.models import Location
from sswis.registry.dates import EARLIEST_YEAR, LATEST_YEAR
from sswis.registry.models import Cadre, EducationLevel, Organisation
from sswis.training.models import InstitutionKind, Programme, ProgrammeKind, TrainingInstitution
from sswis.training.services import WITHDRAWAL_REASON_LENGTH
from sswis.web.forms import CheckedForm, CodeChoiceField, DateInput, FilterForm, LocationChoiceField


def institutions_for_change(*, user: Any) -> QuerySet[TrainingInstitution]:
    """The institutions ``user`` may add programmes, instructors and completions to."""
    return training_policy.institutions_changeable(
        user=user, queryset=TrainingInstitution.objects.order_by("name")
    )


def programmes_for_change(*, user: Any) -> QuerySet[Programme]:
    """The programmes ``user`` may change (and record completions of): a national data manager all, those
    of no institution included; an institution focal point their institution's."""
    return training_policy.institutions_changeable(
        user=user, queryset=Programme.objects.order_by("code"), prefix="institution__"
    )


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), required=required)


class InstitutionForm(CheckedForm):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=50)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=InstitutionKind.choices)
    location = LocationChoiceField(Location.objects.all(), label=gettext_lazy("Location"), required=False)
    organisation = CodeChoiceField(
        Organisation.objects.order_by("name"),
        label=gettext_lazy("Organisation that runs it"),
        required=False,
        help_text=gettext_lazy("Where the institution is one of the registry's organisations."),
    )


class AccreditationForm(CheckedForm):
    accredited_by = forms.CharField(label=gettext_lazy("Accredited by"), max_length=200)
    valid_from = _date(gettext_lazy("Valid from"))
    valid_until = _date(gettext_lazy("Valid until"), required=False)


class AccreditationEndForm(CheckedForm):
    valid_until = _date(gettext_lazy("Last day of the accreditation"))


class ProgrammeForm(CheckedForm):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=50)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Institution"),
        queryset=TrainingInstitution.objects.none(),
        required=False,
        empty_label=gettext_lazy("None (a national programme)"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ProgrammeKind.choices)
    duration_months = forms.IntegerField(
        label=gettext_lazy("Duration in months"), min_value=1, max_value=120, required=False
    )
    awards_education = forms.ChoiceField(
        label=gettext_lazy("Education level it awards"),
        choices=[("", gettext_lazy("None")), *EducationLevel.choices],
        required=False,
    )
    cadres = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Cadres it prepares for"),
        queryset=Cadre.objects.order_by("code"),
        to_field_name="code",
        required=False,
    )
    government_recognised_from = _date(gettext_lazy("Recognised by the government from"), required=False)
    certifies_child_victims = forms.BooleanField(
        label=gettext_lazy("Completing it certifies to work with child victims of violence"), required=False
    )
    practicum_hours = forms.IntegerField(
        label=gettext_lazy("Field practicum hours required"), min_value=0, max_value=10000, initial=0
    )
    supervisor_experience_years = forms.IntegerField(
        label=gettext_lazy("Years of experience a practicum supervisor needs"),
        min_value=0,
        max_value=50,
        initial=0,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        field.queryset = institutions_for_change(user=user)  # type: ignore[attr-defined]
        # Only a national data manager keeps programmes of no institution.
        field.required = not training_policy.may_change_institution(user=user, institution_id=None)
        if field.required:
            field.empty_label = None  # type: ignore[attr-defined]  # their own institution, chosen already

    def clean_awards_education(self) -> str:
        return str(self.cleaned_data.get("awards_education") or "")


class InstructorForm(CheckedForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    qualification = forms.ChoiceField(
        label=gettext_lazy("Highest qualification"), choices=EducationLevel.choices, initial="unknown"
    )
    field = forms.CharField(label=gettext_lazy("Field"), max_length=200, required=False)
    full_time = forms.BooleanField(label=gettext_lazy("Full time"), required=False, initial=True)
    programmes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Programmes taught"),
        queryset=Programme.objects.none(),
        to_field_name="code",
        required=False,
    )
    active_from = _date(gettext_lazy("Teaching from"), required=False)
    active_until = _date(gettext_lazy("Teaching until"), required=False)

    def __init__(self, *args: Any, institution: TrainingInstitution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = institution.programmes.order_by("code")  # type: ignore[attr-defined]


class InstructorEndForm(CheckedForm):
    active_until = _date(gettext_lazy("Last day of teaching"))


class IntakeForm(CheckedForm):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)
    enrolled = forms.IntegerField(label=gettext_lazy("Students enrolled"), min_value=0, max_value=1_000_000)


class CompletionForm(CheckedForm):
    worker_id = forms.CharField(
        label=gettext_lazy("Worker ID"),
        max_length=64,
        help_text=gettext_lazy("The graduate's worker ID in the registry."),
    )
    programme = CodeChoiceField(Programme.objects.none(), label=gettext_lazy("Programme"))
    completed_on = _date(gettext_lazy("Completed on"))
    certificate_number = forms.CharField(
        label=gettext_lazy("Certificate number"), max_length=100, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes_for_change(user=user)  # type: ignore[attr-defined]


class CompletionWithdrawForm(CheckedForm):
    reason = forms.CharField(
        label=gettext_lazy("Why is it withdrawn?"),
        max_length=WITHDRAWAL_REASON_LENGTH,
        help_text=gettext_lazy("Kept in the audit trail, e.g. recorded for the wrong worker."),
    )


YES_NO = [("", gettext_lazy("Either")), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


class ProgrammeFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("Any kind")), *ProgrammeKind.choices],
        required=False,
    )
    institution = CodeChoiceField(
        TrainingInstitution.objects.order_by("name"),
        label=gettext_lazy("Institution"),
        required=False,
        empty_label=gettext_lazy("Any institution"),
    )
    certifying = forms.ChoiceField(
        label=gettext_lazy("Certifies to work with child victims today"), choices=YES_NO, required=False
    )


class CompletionFilterForm(FilterForm):
    programme = CodeChoiceField(
        Programme.objects.order_by("code"),
        label=gettext_lazy("Programme"),
        required=False,
        empty_label=gettext_lazy("Any programme"),
    )
    institution = CodeChoiceField(
        TrainingInstitution.objects.order_by("name"),
        label=gettext_lazy("Institution"),
        required=False,
        empty_label=gettext_lazy("Any institution"),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year completed"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR, required=False
    )
