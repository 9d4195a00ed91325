"""The retention API's documents (``/api/v1/support/retention/``): the figures of
``sswis.support.retention`` as JSON, withheld figures null."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.api.fields import CodeRelatedField
from sswis.geo.models import Location
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR


class RetentionQuerySerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        help_text=gettext_lazy("The year (default: the last whole year)."),
    )
    location = CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        help_text=gettext_lazy(
            "Code of a location: it and everything below it (default: your own, else the country)."
        ),
    )


class TurnoverLineSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(
        help_text=gettext_lazy("Location, cadre or organisation code, or exit reason.")
    )
    name = serializers.CharField()
    counted = serializers.IntegerField(allow_null=True)
    active_first = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Active on 1 January."))
    active_last = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Active on 31 December."))
    separated = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Left in the year."))
    average = serializers.FloatField(allow_null=True, help_text=gettext_lazy("Average headcount."))
    rate = serializers.FloatField(allow_null=True)
    withheld = serializers.BooleanField()


class TurnoverYearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    separated = serializers.IntegerField(allow_null=True)
    average = serializers.FloatField(allow_null=True)


class TenureBandSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(
        help_text=gettext_lazy("under_1, 1_2, 2_5, 5_10 or 10_plus (completed years).")
    )
    name = serializers.CharField()
    workers = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(allow_null=True)
    withheld = serializers.BooleanField()


class RetentionPointSerializer(serializers.Serializer[Any]):
    after_years = serializers.IntegerField()
    still_active = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("Null when not reached yet, or withheld.")
    )


class CohortSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(help_text=gettext_lazy("Entry year."))
    size = serializers.IntegerField(allow_null=True)
    retention = RetentionPointSerializer(many=True)
    withheld = serializers.BooleanField()


class VacancyLineSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    name = serializers.CharField()
    posts = serializers.IntegerField()
    mean_days = serializers.FloatField(allow_null=True)
    median_days = serializers.FloatField(allow_null=True)


class VacancySerializer(serializers.Serializer[Any]):
    whole = VacancyLineSerializer()
    by_location = VacancyLineSerializer(many=True)
    by_cadre = VacancyLineSerializer(many=True)
    unknown = serializers.IntegerField(
        help_text=gettext_lazy("Vacant posts never filled and without an establishment date (not included).")
    )


class AttritionYearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    counted = serializers.IntegerField(help_text=gettext_lazy("Counted in the year before."))
    left = serializers.IntegerField(
        help_text=gettext_lazy("Not counted in the year, for a reason other than retirement.")
    )


class AttritionSerializer(serializers.Serializer[Any]):
    cadre = serializers.CharField()
    rate = serializers.FloatField()
    years = AttritionYearSerializer(many=True)


class RetentionSerializer(serializers.Serializer[Any]):
    """Every figure of the retention page for a year and a location."""

    year = serializers.IntegerField()
    location = serializers.CharField()
    small_cell_minimum = serializers.IntegerField(allow_null=True)
    trend = TurnoverYearSerializer(many=True)
    turnover = TurnoverLineSerializer()
    by_location = TurnoverLineSerializer(many=True)
    by_cadre = TurnoverLineSerializer(many=True)
    by_organisation = TurnoverLineSerializer(many=True)
    by_exit_reason = TurnoverLineSerializer(many=True)
    tenure = TenureBandSerializer(many=True)
    cohorts = CohortSerializer(many=True)
    vacancy = VacancySerializer()
    attrition = AttritionSerializer(many=True)
