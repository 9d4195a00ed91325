"""Supervision's forms: the filters of the compliance view, the supervisor database, the relationships and
the sessions; a relationship, a session and the rules. Workers are given by worker ID; the services check
that the user sees both workers, and refuse bad input naming the field."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sswis.forms_base import CheckedForm, DateInput
from sswis.geo.models import Location
from sswis.registry.models import Cadre
from sswis.support.models import SupervisionKind, SupervisionMode, SupervisionRelationship, SupervisionSession
from sswis.support.supervision_selectors import WHO_ALL, WHO_ELIGIBLE, WHO_SUPERVISING
from sswis.training.models import Programme
from sswis.web.forms import CodeChoiceField, FilterForm, LocationChoiceField

WHO_LABELS = [
    (WHO_SUPERVISING, gettext_lazy("Supervising on the day")),
    (WHO_ELIGIBLE, gettext_lazy("Eligible (supervisors and auxiliary mentors)")),
    (WHO_ALL, gettext_lazy("Either")),
]


def _location(locations: QuerySet[Location]) -> LocationChoiceField:
    return LocationChoiceField(
        locations, required=False, empty_label=gettext_lazy("Anywhere"), label=gettext_lazy("Location")
    )


def _worker_id(label: Any, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=64, **kwargs)


class DayFilterForm(FilterForm):
    """``?day=`` (default today) and ``?location=``."""

    day = forms.DateField(label=gettext_lazy("On"), required=False, widget=DateInput())

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"] = _location(locations)

    def day_chosen(self) -> datetime.date:
        value: datetime.date = self.cleaned("day", timezone.localdate())
        return value


class SupervisorFilterForm(DayFilterForm):
    cadre = CodeChoiceField(Cadre.objects.all(), required=False, empty_label=gettext_lazy("Any cadre"))
    who = forms.ChoiceField(label=gettext_lazy("Who"), choices=WHO_LABELS, required=False)
    over_norm = forms.ChoiceField(
        label=gettext_lazy("Norm"),
        choices=[
            ("", gettext_lazy("Over or within")),
            ("yes", gettext_lazy("Over their norm")),
            ("no", gettext_lazy("Within their norm")),
        ],
        required=False,
    )

    def over_norm_chosen(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned("over_norm", ""))


class RelationshipFilterForm(FilterForm):
    supervisor = _worker_id(gettext_lazy("Supervisor's worker ID"), required=False)
    supervisee = _worker_id(gettext_lazy("Supervisee's worker ID"), required=False)
    active = forms.DateField(label=gettext_lazy("Active on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"] = _location(locations)


class SessionFilterForm(FilterForm):
    supervisor = _worker_id(gettext_lazy("Supervisor's worker ID"), required=False)
    supervisee = _worker_id(gettext_lazy("Supervisee's worker ID"), required=False)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"] = _location(locations)


class RelationshipChangeForm(CheckedForm):
    """What may change: the end (empty: still running), kind, mode, and whether supervising is the
    supervisor's only duty."""

    end_date = forms.DateField(label=gettext_lazy("Last day"), required=False, widget=DateInput())
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SupervisionKind.choices)
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=SupervisionMode.choices)
    supervision_only_duty = forms.BooleanField(
        label=gettext_lazy("Supervising is the supervisor's only duty"),
        required=False,
        help_text=gettext_lazy(
            "Sets the supervisor's norm: 10 supervisees when it is their only duty, 6 otherwise."
        ),
    )

    @staticmethod
    def initial_of(relationship: SupervisionRelationship) -> dict[str, Any]:
        return {
            "end_date": relationship.end_date,
            "kind": relationship.kind,
            "mode": relationship.mode,
            "supervision_only_duty": relationship.supervision_only_duty,
        }


class RelationshipForm(RelationshipChangeForm):
    """A new relationship: the two workers, the first day, then what ``RelationshipChangeForm`` asks."""

    supervisor = _worker_id(gettext_lazy("Supervisor's worker ID"))
    supervisee = _worker_id(gettext_lazy("Supervisee's worker ID"))
    start_date = forms.DateField(label=gettext_lazy("First day"), widget=DateInput())
    field_order = [
        "supervisor",
        "supervisee",
        "start_date",
        "end_date",
        "kind",
        "mode",
        "supervision_only_duty",
    ]


class SessionChangeForm(CheckedForm):
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Duration (minutes)"), required=False, min_value=1, max_value=1440
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SupervisionKind.choices)
    topics = forms.CharField(
        label=gettext_lazy("Topics"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_of(session: SupervisionSession) -> dict[str, Any]:
        return {"duration_minutes": session.duration_minutes, "kind": session.kind, "topics": session.topics}


class SessionForm(SessionChangeForm):
    supervisor = _worker_id(gettext_lazy("Supervisor's worker ID"))
    supervisee = _worker_id(gettext_lazy("Supervisee's worker ID"))
    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput(), initial=timezone.localdate)
    field_order = ["supervisor", "supervisee", "date", "duration_minutes", "kind", "topics"]


class RulesForm(CheckedForm):
    """The country's supervision rules (``SupervisionRules``)."""

    supervisees_when_only_duty = forms.IntegerField(
        label=gettext_lazy("Supervisees per supervisor when supervising is their only duty"),
        min_value=1,
        max_value=1000,
    )
    supervisees_otherwise = forms.IntegerField(
        label=gettext_lazy("Supervisees per supervisor otherwise"), min_value=1, max_value=1000
    )
    must_be_registered = forms.BooleanField(
        label=gettext_lazy("Supervisors must be registered"), required=False
    )
    minimum_experience_years = forms.IntegerField(
        label=gettext_lazy("Years of experience a supervisor needs"), min_value=0, max_value=60
    )
    supervision_course = CodeChoiceField(
        Programme.objects.order_by("code"),
        required=False,
        empty_label=gettext_lazy("No course required"),
        label=gettext_lazy("Supervision course"),
    )
    auxiliary_mentor_years = forms.IntegerField(
        label=gettext_lazy("Years of experience an auxiliary mentor needs"), min_value=0, max_value=60
    )
