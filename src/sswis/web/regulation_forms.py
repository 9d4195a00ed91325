"""The registration pages' own forms: the lists' filters and an application. The steps' forms are the
regulation's (``sswis.regulation.steps``, ``exam_steps``, ``complaint_steps``), shared with the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from sswis.regulation.models import Register, RegistrationStatus
from sswis.regulation.models_discipline import ComplaintStage
from sswis.regulation.steps import day_field
from sswis.web.forms import CheckedForm, FilterForm


class RegistrationFilterForm(FilterForm):
    register = forms.ChoiceField(label=gettext_lazy("Register"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *RegistrationStatus.choices],
    )
    q = forms.CharField(
        label=gettext_lazy("Name, worker ID or registration number"), required=False, max_length=200
    )

    def __init__(self, *args: Any, registers: QuerySet[Register], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", gettext_lazy("Every register"))]
        choices += [(code, f"{name} ({code})") for code, name in registers.values_list("code", "name")]
        self.fields["register"].choices = choices  # type: ignore[attr-defined]


class ApplyForm(CheckedForm):
    register = forms.ModelChoiceField(label=gettext_lazy("Register"), queryset=Register.objects.none())
    worker_id = forms.CharField(
        label=gettext_lazy("Worker ID"),
        max_length=64,
        help_text=gettext_lazy("The applicant's worker ID in the registry."),
    )
    applied_on = day_field(gettext_lazy("Applied on"))

    def __init__(self, *args: Any, registers: QuerySet[Register], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = registers  # type: ignore[attr-defined]


class ComplaintFilterForm(FilterForm):
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"),
        required=False,
        choices=[("", gettext_lazy("Any stage")), *ComplaintStage.choices],
    )
