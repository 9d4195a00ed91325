"""The serializers of supervision's API (``/api/v1/support/supervision/``): relationships, sessions, the
supervisor database, the compliance view and the rules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sswis.api.fields import CodeRelatedField, VisibleWorkerField
from sswis.geo.models import Location
from sswis.registry.dates import PlausibleDateValidator
from sswis.registry.models import Cadre
from sswis.support.models import SupervisionKind, SupervisionMode, SupervisionRelationship, SupervisionSession
from sswis.support.supervision_selectors import WHO_CHOICES, WHO_SUPERVISING
from sswis.text import PrintableTextValidator
from sswis.training.models import Programme


def _day(label: Any, **kwargs: Any) -> serializers.DateField:
    return serializers.DateField(validators=[PlausibleDateValidator(label=label)], **kwargs)


def _location_field() -> CodeRelatedField:
    return CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        help_text=gettext_lazy("Code of a location: only it and its descendants (default: every location)."),
    )


@extend_schema_field(OpenApiTypes.STR)
class WorkerIdField(VisibleWorkerField):
    """A worker ID among the workers the user sees (``api.fields.VisibleWorkerField``)."""


class StrictBooleanField(serializers.BooleanField):
    """``true`` or ``false`` only, as the schema says (not ``0``, ``1`` or ``"yes"``)."""

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)
        raise AssertionError  # ``fail`` raises


def _worker_id(label: Any) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        max_length=64,
        validators=[PrintableTextValidator(label=label)],
        help_text=gettext_lazy("a worker ID"),
    )


class SupervisionPersonSerializer(serializers.Serializer[Any]):
    worker_id = serializers.CharField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()


# --- relationships -------------------------------------------------------------------------------------


class RelationshipSerializer(serializers.ModelSerializer[SupervisionRelationship]):
    supervisor = SupervisionPersonSerializer()
    supervisee = SupervisionPersonSerializer()
    kind = serializers.CharField(help_text=gettext_lazy("administrative, educational or supportive"))
    mode = serializers.CharField(help_text=gettext_lazy("individual, group or peer"))

    class Meta:
        model = SupervisionRelationship
        fields = [
            "uuid",
            "supervisor",
            "supervisee",
            "start_date",
            "end_date",
            "kind",
            "mode",
            "supervision_only_duty",
        ]


class RelationshipCreateSerializer(serializers.Serializer[Any]):
    """A new relationship: both workers by worker ID (among those the user sees), from ``start_date``."""

    supervisor = WorkerIdField(help_text=gettext_lazy("the supervisor's worker ID"))
    supervisee = WorkerIdField(help_text=gettext_lazy("the supervisee's worker ID"))
    start_date = _day(gettext_lazy("start date"))
    end_date = _day(gettext_lazy("end date"), required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=SupervisionKind.choices, default=SupervisionKind.SUPPORTIVE)
    mode = serializers.ChoiceField(choices=SupervisionMode.choices, default=SupervisionMode.INDIVIDUAL)
    supervision_only_duty = StrictBooleanField(
        default=False,
        help_text=gettext_lazy("supervising is the supervisor's only duty (their norm is then 10, else 6)"),
    )


class RelationshipChangeSerializer(serializers.Serializer[Any]):
    """What may change (any of it): the end (null: still running), kind, mode, only duty."""

    end_date = _day(gettext_lazy("end date"), required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=SupervisionKind.choices, required=False)
    mode = serializers.ChoiceField(choices=SupervisionMode.choices, required=False)
    supervision_only_duty = StrictBooleanField(required=False)


class RelationshipEndSerializer(serializers.Serializer[Any]):
    end_date = _day(gettext_lazy("end date"), help_text=gettext_lazy("the relationship's last day"))


class RelationshipQuerySerializer(serializers.Serializer[Any]):
    location = _location_field()
    supervisor = _worker_id(gettext_lazy("supervisor"))
    supervisee = _worker_id(gettext_lazy("supervisee"))
    active = _day(
        gettext_lazy("active on"), required=False, help_text=gettext_lazy("only those active on this day")
    )


# --- sessions ------------------------------------------------------------------------------------------


class SessionSerializer(serializers.ModelSerializer[SupervisionSession]):
    supervisor = SupervisionPersonSerializer()
    supervisee = SupervisionPersonSerializer()
    kind = serializers.CharField(help_text=gettext_lazy("administrative, educational or supportive"))
    source = serializers.CharField(help_text=gettext_lazy("entered, api, template, primero or sms"))  # type: ignore[assignment]  # a field, not Field.source

    class Meta:
        model = SupervisionSession
        fields = ["uuid", "supervisor", "supervisee", "date", "duration_minutes", "kind", "topics", "source"]


def _topics(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=500,
        allow_blank=True,
        validators=[PrintableTextValidator(label=gettext_lazy("topics"))],
        **kwargs,
    )


def _duration(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=1440, allow_null=True, **kwargs)


class SessionCreateSerializer(serializers.Serializer[Any]):
    supervisor = WorkerIdField(help_text=gettext_lazy("the supervisor's worker ID"))
    supervisee = WorkerIdField(help_text=gettext_lazy("the supervisee's worker ID"))
    date = _day(gettext_lazy("date"))
    duration_minutes = _duration(required=False, default=None)
    kind = serializers.ChoiceField(choices=SupervisionKind.choices, default=SupervisionKind.SUPPORTIVE)
    topics = _topics(required=False, default="")


class SessionChangeSerializer(serializers.Serializer[Any]):
    duration_minutes = _duration(required=False)
    kind = serializers.ChoiceField(choices=SupervisionKind.choices, required=False)
    topics = _topics(required=False)


class SessionQuerySerializer(serializers.Serializer[Any]):
    location = _location_field()
    supervisor = _worker_id(gettext_lazy("supervisor"))
    supervisee = _worker_id(gettext_lazy("supervisee"))
    date_from = _day(gettext_lazy("from"), required=False)
    date_to = _day(gettext_lazy("to"), required=False)


# --- the supervisor database and compliance -----------------------------------------------------------


class DayQuerySerializer(serializers.Serializer[Any]):
    day = _day(gettext_lazy("day"), required=False, help_text=gettext_lazy("default: today"))


class SupervisorQuerySerializer(DayQuerySerializer):
    location = CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        help_text=gettext_lazy("Code of a location: supervisors placed in it or below it."),
    )
    cadre = CodeRelatedField(queryset=Cadre.objects.all(), required=False)
    who = serializers.ChoiceField(
        choices=[(choice, choice) for choice in WHO_CHOICES],
        default=WHO_SUPERVISING,
        help_text=gettext_lazy(
            "supervising: a relationship as supervisor active on the day; eligible: eligible as a supervisor "
            "or an auxiliary mentor; all: either"
        ),
    )
    over_norm = serializers.BooleanField(required=False, allow_null=True, default=None)


class EligibilitySerializer(serializers.Serializer[Any]):
    status = serializers.CharField(help_text=gettext_lazy("supervisor, auxiliary_mentor or not_eligible"))
    registered = serializers.BooleanField(allow_null=True, help_text=gettext_lazy("null: not required"))
    experience_years = serializers.IntegerField()
    course_completed = serializers.BooleanField(allow_null=True, help_text=gettext_lazy("null: no course"))
    reasons = serializers.ListField(child=serializers.CharField())


class SupervisorRowSerializer(serializers.Serializer[Any]):
    supervisor = SupervisionPersonSerializer()
    location = serializers.CharField(allow_null=True)
    cadre = serializers.CharField(allow_null=True)
    supervisees = SupervisionPersonSerializer(many=True)
    supervisee_count = serializers.IntegerField()
    norm = serializers.IntegerField()
    supervision_only_duty = serializers.BooleanField()
    over_norm = serializers.BooleanField()
    eligibility = EligibilitySerializer()


class ComplianceQuerySerializer(DayQuerySerializer):
    location = CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        help_text=gettext_lazy("Code of a location (default: your own area, else the country)."),
    )


class ComplianceEntrySerializer(serializers.Serializer[Any]):
    worker = SupervisionPersonSerializer()
    location = serializers.CharField(allow_null=True)
    cadre = serializers.CharField(allow_null=True)
    supervisee_count = serializers.IntegerField(allow_null=True)
    norm = serializers.IntegerField(allow_null=True)
    last_session = serializers.DateField(allow_null=True)
    eligibility = EligibilitySerializer(allow_null=True)


class ComplianceListsSerializer(serializers.Serializer[Any]):
    workers_without_supervisor = ComplianceEntrySerializer(many=True)
    supervisors_over_norm = ComplianceEntrySerializer(many=True)
    supervisees_without_session = ComplianceEntrySerializer(many=True)
    supervisors_ineligible = ComplianceEntrySerializer(many=True)


class ComplianceCountsSerializer(serializers.Serializer[Any]):
    workers_without_supervisor = serializers.IntegerField(allow_null=True)
    supervisors_over_norm = serializers.IntegerField(allow_null=True)
    supervisees_without_session = serializers.IntegerField(allow_null=True)
    supervisors_ineligible = serializers.IntegerField(allow_null=True)


class ComplianceTotalsSerializer(serializers.Serializer[Any]):
    workers = serializers.IntegerField()
    supervisors = serializers.IntegerField()
    supervisees = serializers.IntegerField()


class ComplianceSerializer(serializers.Serializer[Any]):
    location = serializers.CharField(allow_null=True)
    day = serializers.DateField()
    sessions_from = serializers.DateField(help_text=gettext_lazy("the last quarter's first day"))
    totals = ComplianceTotalsSerializer()
    counts = ComplianceCountsSerializer(help_text=gettext_lazy("null: withheld (a small cell)"))
    withheld = serializers.BooleanField(help_text=gettext_lazy("whether small cells are withheld for you"))
    lists = ComplianceListsSerializer(
        allow_null=True, help_text=gettext_lazy("the workers you see; null for readers of figures only")
    )
    listed = ComplianceCountsSerializer(help_text=gettext_lazy("how many rows each list has for you"))


# --- the rules -----------------------------------------------------------------------------------------


class RulesSerializer(serializers.Serializer[Any]):
    supervisees_when_only_duty = serializers.IntegerField(min_value=1, max_value=1000)
    supervisees_otherwise = serializers.IntegerField(min_value=1, max_value=1000)
    must_be_registered = StrictBooleanField()
    minimum_experience_years = serializers.IntegerField(min_value=0, max_value=60)
    supervision_course = CodeRelatedField(
        queryset=Programme.objects.all(),
        allow_null=True,
        help_text=gettext_lazy("the programme's code; null: no course is required"),
    )
    auxiliary_mentor_years = serializers.IntegerField(min_value=0, max_value=60)
