"""Serializers of the caseloads' API (``/api/v1/support/caseloads/``, ``caseload-norms/``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sswis.api.fields import CodeRelatedField, VisibleWorkerField, depth_field, subtree_location_field
from sswis.geo.models import Location
from sswis.registry.models import Cadre, Worker
from sswis.support.caseloads import month_parse
from sswis.support.models import CASELOAD_KIND_ALL, Caseload, CaseloadNorm
from sswis.text import PrintableTextValidator

MAXIMUM_OPEN_CASES = 100_000


@extend_schema_field(OpenApiTypes.STR)
class MonthField(serializers.Field):
    """A month written ``YYYY-MM`` (held as its first day)."""

    default_error_messages = {"invalid": gettext_lazy("Give the month as text, YYYY-MM.")}

    def to_internal_value(self, data: Any) -> datetime.date:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return month_parse(data)
        except ValueError as problem:
            raise serializers.ValidationError(str(problem)) from None

    def to_representation(self, value: datetime.date) -> str:
        return f"{value:%Y-%m}"


def kind_field(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=50,
        validators=[PrintableTextValidator(label=gettext_lazy("kind"))],
        help_text=gettext_lazy("The kind of caseload (default: all)."),
        **kwargs,
    )


class CaseloadSerializer(serializers.ModelSerializer[Caseload]):
    worker_id = serializers.CharField(source="worker.worker_id")
    month = MonthField()
    norm = serializers.IntegerField(
        allow_null=True,
        read_only=True,
        help_text=gettext_lazy(
            "The most open cases of this kind for the cadre of the worker's reference assignment of the "
            "month's year; null: no norm."
        ),
    )
    over_norm = serializers.BooleanField(
        allow_null=True,
        read_only=True,
        help_text=gettext_lazy("Whether the open cases exceed the norm; null: no norm."),
    )

    class Meta:
        model = Caseload
        fields = [
            "uuid",
            "worker_id",
            "month",
            "kind",
            "open_cases",
            "source",
            "norm",
            "over_norm",
            "updated_at",
        ]


class CaseloadQuerySerializer(serializers.Serializer[Any]):
    worker = serializers.CharField(
        required=False, max_length=64, help_text=gettext_lazy("A worker ID: that worker's caseloads only.")
    )
    month = MonthField(required=False, help_text=gettext_lazy("YYYY-MM: that month only."))
    kind = kind_field(required=False)
    location = CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        help_text=gettext_lazy(
            "Code of a location: the caseloads of workers with an assignment at it or below during the month."
        ),
    )


class CaseloadWriteSerializer(serializers.Serializer[Any]):
    """A worker's open cases of a kind at the end of a month; the record of that worker, month and kind is
    replaced when there is one."""

    worker_id = VisibleWorkerField(queryset=Worker.objects.all())
    month = MonthField()
    open_cases = serializers.IntegerField(min_value=0, max_value=MAXIMUM_OPEN_CASES)
    kind = kind_field(required=False, default=CASELOAD_KIND_ALL)


class CaseloadNormSerializer(serializers.ModelSerializer[CaseloadNorm]):
    cadre = serializers.CharField(source="cadre.code")
    cadre_name = serializers.CharField(source="cadre.name")

    class Meta:
        model = CaseloadNorm
        fields = ["id", "cadre", "cadre_name", "kind", "maximum_open_cases", "source", "updated_at"]


class CaseloadNormWriteSerializer(serializers.Serializer[Any]):
    """The most open cases of a kind a worker of a cadre should carry; the norm of that cadre and kind is
    replaced when there is one."""

    cadre = CodeRelatedField(queryset=Cadre.objects.all())
    kind = kind_field(required=False, default=CASELOAD_KIND_ALL)
    maximum_open_cases = serializers.IntegerField(min_value=1, max_value=MAXIMUM_OPEN_CASES)
    # The metaclass takes declared fields off the class: this does not replace ``Field.source``.
    source = serializers.CharField(  # type: ignore[assignment]
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        validators=[PrintableTextValidator(label=gettext_lazy("source"))],
    )


class DistributionQuerySerializer(serializers.Serializer[Any]):
    month = MonthField(help_text=gettext_lazy("YYYY-MM"))
    kind = kind_field(required=False, default=CASELOAD_KIND_ALL)
    location = subtree_location_field()
    depth = depth_field()
    level = serializers.CharField(
        required=False,
        max_length=50,
        validators=[PrintableTextValidator(label=gettext_lazy("level"))],
        help_text=gettext_lazy("Only the locations of this level, e.g. district."),
    )
    cadre = CodeRelatedField(queryset=Cadre.objects.all(), required=False)


class DistributionRowSerializer(serializers.Serializer[Any]):
    month = serializers.CharField()
    kind = serializers.CharField()
    location = serializers.CharField()
    location_name = serializers.CharField()
    cadre = serializers.CharField()
    cadre_name = serializers.CharField()
    workers = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    lower_quartile = serializers.IntegerField(allow_null=True)
    upper_quartile = serializers.IntegerField(allow_null=True)
    maximum = serializers.IntegerField(allow_null=True)
    norm = serializers.IntegerField(allow_null=True)
    over_norm = serializers.IntegerField(allow_null=True)
    over_norm_share = serializers.FloatField(allow_null=True)
    withheld = serializers.BooleanField()
    over_norm_withheld = serializers.BooleanField()


class DistributionSerializer(serializers.Serializer[Any]):
    month = serializers.CharField()
    kind = serializers.CharField()
    unplaced = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy(
            "Workers with a caseload of the month and kind but no reference assignment in its year "
            "(whole country only; null otherwise)."
        ),
    )
    rows = DistributionRowSerializer(many=True)
