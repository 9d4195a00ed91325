"""The forms of the competency pages (``/training/competencies/``), shared with the API: each change form
validates what is sent and saves through one service (``training.competencies``); the pickers of the
gaps, the missing workers and the training needs."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sswis.forms_base import CheckedForm, CodeLookupField, DateInput
from sswis.geo.models import Location
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR
from sswis.registry.models import Cadre
from sswis.surveys.perceptions import TRAINING_TOPICS
from sswis.training import competencies as services
from sswis.training.models import Programme
from sswis.training.models_competencies import Competency, CompetencyArea, CompetencyFramework

TOPIC_CHOICES = [("", _("None")), *TRAINING_TOPICS]
LEVEL_CHOICES = [(level, str(level)) for level in range(1, 6)]


def current_year() -> int:
    return timezone.localdate().year


class FrameworkCreateForm(CheckedForm):
    cadre = CodeLookupField(queryset=Cadre.objects.order_by("code"), to_field_name="code", label=_("Cadre"))
    name = forms.CharField(label=_("Name"), max_length=200)


class RenameForm(CheckedForm):
    name = forms.CharField(label=_("Name"), max_length=200)


class AreaForm(CheckedForm):
    code = forms.CharField(label=_("Code"), max_length=50)
    name = forms.CharField(label=_("Name"), max_length=200)


class AreaChangeForm(AreaForm):
    area = forms.CharField(label=_("Area"), max_length=50, help_text=_("the area's present code"))


class AreaPickForm(CheckedForm):
    area = forms.CharField(label=_("Area"), max_length=50)


class AreaMoveForm(AreaPickForm):
    step = forms.IntegerField(label=_("Places down (negative: up)"), min_value=-100, max_value=100)


class CompetencyForm(CheckedForm):
    code = forms.CharField(label=_("Code"), max_length=50)
    name = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    levels = forms.TypedChoiceField(label=_("Levels"), choices=LEVEL_CHOICES, coerce=int, initial=3)
    survey_topic = forms.ChoiceField(
        label=_("Perception survey training topic"), choices=TOPIC_CHOICES, required=False
    )


class RequirementForm(AreaPickForm):
    competency = CodeLookupField(
        queryset=Competency.objects.order_by("code"), to_field_name="code", label=_("Competency")
    )
    level = forms.TypedChoiceField(label=_("Level required"), choices=LEVEL_CHOICES, coerce=int)


class RequirementRemoveForm(AreaPickForm):
    competency = CodeLookupField(
        queryset=Competency.objects.order_by("code"), to_field_name="code", label=_("Competency")
    )


def _area(framework: CompetencyFramework, code: str) -> CompetencyArea:
    area = CompetencyArea.objects.filter(framework=framework, code=code).first()
    if area is None:
        raise ValidationError(
            {"area": _("This framework has no area with the code %(code)s.") % {"code": code}}
        )
    return area


def _requirement_remove(actor: Any, framework: CompetencyFramework, data: dict[str, Any]) -> str:
    area = _area(framework, data["area"])
    requirement = area.requirements.filter(competency=data["competency"]).first()
    if requirement is None:
        raise ValidationError({"competency": _("This area does not require this competency.")})
    services.requirement_remove(actor=actor, requirement=requirement)
    return str(data["competency"].code)


def _area_moved(actor: Any, framework: CompetencyFramework, data: dict[str, Any]) -> str:
    services.competency_area_move(actor=actor, area=_area(framework, data["area"]), step=data["step"])
    return str(data["area"])


def _area_removed(actor: Any, framework: CompetencyFramework, data: dict[str, Any]) -> str:
    services.competency_area_remove(actor=actor, area=_area(framework, data["area"]))
    return str(data["area"])


@dataclass(frozen=True)
class FrameworkChange:
    """One change of a framework: its form and how it is saved (returns what to name in the message)."""

    title: Any
    form: type[forms.Form]
    save: Callable[[Any, CompetencyFramework, dict[str, Any]], str]


FRAMEWORK_CHANGES: dict[str, FrameworkChange] = {
    "rename": FrameworkChange(
        _("Rename the framework"),
        RenameForm,
        lambda actor, framework, data: str(
            services.framework_set(actor=actor, cadre=framework.cadre, name=data["name"])
        ),
    ),
    "area_add": FrameworkChange(
        _("Add an area"),
        AreaForm,
        lambda actor, framework, data: str(
            services.competency_area_add(
                actor=actor, framework=framework, code=data["code"], name=data["name"]
            )
        ),
    ),
    "area_change": FrameworkChange(
        _("Rename an area"),
        AreaChangeForm,
        lambda actor, framework, data: str(
            services.competency_area_change(
                actor=actor, area=_area(framework, data["area"]), code=data["code"], name=data["name"]
            )
        ),
    ),
    "area_move": FrameworkChange(
        _("Move an area"),
        AreaMoveForm,
        lambda actor, framework, data: _area_moved(actor, framework, data),
    ),
    "area_remove": FrameworkChange(
        _("Remove an area (and what it requires)"),
        AreaPickForm,
        lambda actor, framework, data: _area_removed(actor, framework, data),
    ),
    "competency": FrameworkChange(
        _("Add or change a competency"),
        CompetencyForm,
        lambda actor, framework, data: str(services.competency_save(actor=actor, **data)),
    ),
    "requirement": FrameworkChange(
        _("Require a competency (or change its level)"),
        RequirementForm,
        lambda actor, framework, data: str(
            services.requirement_set(
                actor=actor,
                area=_area(framework, data["area"]),
                competency=data["competency"],
                level=data["level"],
            ).competency.code
        ),
    ),
    "requirement_remove": FrameworkChange(
        _("No longer require a competency"), RequirementRemoveForm, _requirement_remove
    ),
}


class ProgrammeCompetencyForm(CheckedForm):
    programme = CodeLookupField(queryset=Programme.objects.none(), to_field_name="code", label=_("Programme"))
    competency = CodeLookupField(
        queryset=Competency.objects.order_by("code"), to_field_name="code", label=_("Competency")
    )
    level = forms.TypedChoiceField(
        label=_("Level it builds"), choices=[(0, _("None (remove)")), *LEVEL_CHOICES], coerce=int
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes.order_by("code")  # type: ignore[attr-defined]


class AssessmentForm(CheckedForm):
    competency = CodeLookupField(
        queryset=Competency.objects.order_by("code"), to_field_name="code", label=_("Competency")
    )
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVEL_CHOICES, coerce=int)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    assessor = forms.CharField(label=_("Assessed by"), max_length=200, required=False)


class ImportForm(CheckedForm):
    file = forms.FileField(
        label=_("Spreadsheet (.csv or .xlsx)"),
        help_text=_(
            "Columns: cadre, area_code, area_name, competency_code, competency_name, levels, level_required, "
            "description, survey_topic"
        ),
    )
    dry_run = forms.BooleanField(label=_("Only check the file (write nothing)"), required=False)


class GapsForm(CheckedForm):
    """The pickers: year (default this year), location (default the user's own), cadre, competency."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    location = CodeLookupField(
        queryset=Location.objects.all(), to_field_name="code", label=_("Location"), required=False
    )
    cadre = CodeLookupField(
        queryset=Cadre.objects.filter(competency_framework__isnull=False).order_by("code"),
        to_field_name="code",
        label=_("Cadre"),
        required=False,
    )
    competency = forms.CharField(label=_("Competency"), required=False, max_length=50)

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations.order_by("path")  # type: ignore[attr-defined]

    def chosen_year(self) -> int:
        return (self.cleaned_data.get("year") if self.is_valid() else None) or current_year()


def assessment_day(value: datetime.date | None) -> datetime.date:
    return value or timezone.localdate()
