"""The field practicum's forms: a student, a placement and its steps (hours, evaluation, early end), an
organisation's offer of places, and the lists' filters. Choices offer only what the user may use (their
institution's programmes and students, the organisations whose offers they set); the services check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sswis.registry.dates import EARLIEST_YEAR, LATEST_YEAR
from sswis.registry.models import Organisation, Sex
from sswis.training.models import Programme
from sswis.training.models_practicum import Evaluation, Student
from sswis.web.forms import CheckedForm, CodeChoiceField, DateInput, FilterForm

MAXIMUM_HOURS = 10000


def _year_field(label: Any, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)


class YearForm(FilterForm):
    """``?year=``: the year of the availability table, the placements or the offers."""

    year = _year_field(gettext_lazy("Year"), required=False)


class StudentFilterForm(FilterForm):
    q = forms.CharField(label=gettext_lazy("Name or student number"), required=False, max_length=200)
    programme = forms.ChoiceField(label=gettext_lazy("Programme"), required=False)

    def __init__(self, *args: Any, programmes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", gettext_lazy("Every programme"))]
        choices += [(code, f"{name} ({code})") for code, name in programmes]
        self.fields["programme"].choices = choices  # type: ignore[attr-defined]


class StudentForm(CheckedForm):
    """A student: their programme, number, names, sex, intake year, and their worker ID once they are a
    worker of the registry."""

    programme = CodeChoiceField(queryset=Programme.objects.none(), label=gettext_lazy("Programme"))
    student_number = forms.CharField(label=gettext_lazy("Student number"), max_length=64)
    given_name = forms.CharField(label=gettext_lazy("Given name"), max_length=150)
    family_name = forms.CharField(label=gettext_lazy("Family name"), max_length=150)
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    intake_year = _year_field(gettext_lazy("Intake year"))
    worker_id = forms.CharField(
        label=gettext_lazy("Worker ID"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("The student's worker ID in the registry, once they are a worker."),
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(student: Student) -> dict[str, Any]:
        return {
            "programme": student.programme,
            "student_number": student.student_number,
            "given_name": student.given_name,
            "family_name": student.family_name,
            "sex": student.sex,
            "intake_year": student.intake_year,
            "worker_id": student.worker.worker_id if student.worker is not None else "",
        }


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Student) -> str:
        return f"{obj.given_name} {obj.family_name} ({obj.student_number}, {obj.programme.code})"


class PlacementForm(CheckedForm):
    """A new placement: the student, the organisation, the supervisor (by worker ID), the dates and the
    hours planned."""

    student = StudentChoiceField(queryset=Student.objects.none(), label=gettext_lazy("Student"))
    organisation = CodeChoiceField(queryset=Organisation.objects.none(), label=gettext_lazy("Organisation"))
    supervisor = forms.CharField(
        label=gettext_lazy("Supervisor's worker ID"),
        max_length=64,
        help_text=gettext_lazy(
            "A registered worker with the experience the programme asks, on the placement's first day."
        ),
    )
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=DateInput())
    hours_planned = forms.IntegerField(
        label=gettext_lazy("Hours planned"), min_value=1, max_value=MAXIMUM_HOURS
    )

    def __init__(
        self, *args: Any, students: QuerySet[Student], organisations: QuerySet[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class HoursForm(CheckedForm):
    hours_done = forms.IntegerField(
        label=gettext_lazy("Hours done so far"),
        min_value=0,
        max_value=MAXIMUM_HOURS,
        help_text=gettext_lazy("The total to date, not the hours added since last time."),
    )
    recorded_on = forms.DateField(label=gettext_lazy("As of"), widget=DateInput(), initial=timezone.localdate)


class EvaluationForm(CheckedForm):
    evaluation = forms.ChoiceField(
        label=gettext_lazy("Evaluation"),
        choices=[(value, label) for value, label in Evaluation.choices if value != Evaluation.NOT_EVALUATED],
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evaluated_on = forms.DateField(
        label=gettext_lazy("Evaluated on"), widget=DateInput(), initial=timezone.localdate
    )


class EndForm(CheckedForm):
    ended_early_on = forms.DateField(label=gettext_lazy("Last day"), widget=DateInput())
    end_reason = forms.CharField(label=gettext_lazy("Why it ended early"), max_length=500)


STEP_FORMS: dict[str, type[CheckedForm]] = {"hours": HoursForm, "evaluation": EvaluationForm, "end": EndForm}
STEP_TITLES = {
    "hours": gettext_lazy("Record hours"),
    "evaluation": gettext_lazy("Evaluate"),
    "end": gettext_lazy("End early"),
}


class OfferForm(CheckedForm):
    organisation = CodeChoiceField(queryset=Organisation.objects.none(), label=gettext_lazy("Organisation"))
    year = _year_field(gettext_lazy("Year"))
    places = forms.IntegerField(label=gettext_lazy("Places offered"), min_value=0, max_value=MAXIMUM_HOURS)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
