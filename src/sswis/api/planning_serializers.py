"""Serializers of the planning endpoints (query parameters and the documents answered, for the schema)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.api.fields import CodeRelatedField, depth_field, subtree_location_field
from sswis.geo.models import Location
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR
from sswis.registry.models import Cadre, CadreCategory


class NormGapQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """Query parameters of the norms' gaps: the year, and optionally a location and a depth."""

    year = serializers.IntegerField(
        min_value=FIRST_YEAR, max_value=LAST_YEAR, help_text=gettext_lazy("The year of the norms and counts.")
    )
    location = subtree_location_field()
    depth = depth_field()


class NormGapRowSerializer(serializers.Serializer[Any]):
    """One location and group with a norm in force (contract ``planning.md`` section 1)."""

    location = serializers.CharField(help_text=gettext_lazy("Location code."))
    group = serializers.DictField(
        child=serializers.CharField(),
        help_text=gettext_lazy('{} for the whole workforce, else {"category": ...} or {"cadre": ...}.'),
    )
    target_per_100k = serializers.FloatField(
        help_text=gettext_lazy("The norm: workers per 100,000 children.")
    )
    norm_location = serializers.CharField(
        help_text=gettext_lazy("The location the norm in force is set on (this one or one above it).")
    )
    # ``source`` and ``required`` are the contract's names; DRF's fields have attributes of those names.
    source = serializers.CharField(help_text=gettext_lazy("Where the norm comes from."))  # type: ignore[assignment]
    children = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Child population (aged 0-17); null when unknown.")
    )
    counted = serializers.IntegerField(help_text=gettext_lazy("workforce.count of the group."))
    required = serializers.FloatField(  # type: ignore[assignment]
        allow_null=True,
        help_text=gettext_lazy("target x children / 100,000; null when the population is unknown."),
    )
    gap = serializers.FloatField(
        allow_null=True,
        help_text=gettext_lazy("counted - required (negative: a shortage); null with required."),
    )


class NormGapDocumentSerializer(serializers.Serializer[Any]):
    """Required staff and gaps of one year."""

    year = serializers.IntegerField()
    rows = NormGapRowSerializer(many=True)


class ScenarioSerializer(serializers.Serializer[Any]):
    """A stored scenario: its code, name, where it is kept, base year, horizon and whole document."""

    code = serializers.CharField(help_text=gettext_lazy("The scenario's code."))
    name = serializers.CharField(help_text=gettext_lazy("The scenario's name."))
    location = serializers.CharField(source="location.code", help_text=gettext_lazy("Where it is kept."))
    base_year = serializers.IntegerField(help_text=gettext_lazy("The base year Y0."))
    horizon = serializers.IntegerField(help_text=gettext_lazy("The number of projected years T."))
    document = serializers.JSONField(
        help_text=gettext_lazy("The parameters, as the contract's scenario document (planning.md section 3).")
    )
    updated_at = serializers.DateTimeField(help_text=gettext_lazy("When it was last changed."))


class ProjectionQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """Query parameters of a projection: a location (default: the scenario's), a depth and a format."""

    location = CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        help_text=gettext_lazy("Code of the location projected (default: the scenario's own)."),
    )
    depth = depth_field()
    format = serializers.ChoiceField(
        choices=["json", "csv", "xlsx"],
        required=False,
        help_text=gettext_lazy("json (default), csv or xlsx."),
    )


class ProjectionRowSerializer(serializers.Serializer[Any]):
    """One year, cadre and location of a projection (contract ``planning.md`` section 3), unrounded."""

    year = serializers.IntegerField()
    cadre = serializers.CharField()
    location = serializers.CharField()
    stock = serializers.FloatField()
    exits = serializers.FloatField()
    retirements = serializers.FloatField()
    entrants = serializers.FloatField()
    required = serializers.FloatField(allow_null=True)  # type: ignore[assignment]
    gap = serializers.FloatField(allow_null=True)
    per_100k = serializers.FloatField(allow_null=True)
    cost = serializers.FloatField()


class ProjectionDocumentSerializer(serializers.Serializer[Any]):
    scenario = serializers.CharField()
    rows = ProjectionRowSerializer(many=True)


class ComparisonQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """The scenarios compared (two to four codes, comma-separated) and the location."""

    scenarios = serializers.CharField(
        help_text=gettext_lazy("Two to four scenario codes, separated by commas, e.g. trend,double-intake.")
    )
    location = CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        help_text=gettext_lazy("Code of the location (default: each scenario's own)."),
    )
    format = serializers.ChoiceField(
        choices=["json", "csv"], required=False, help_text=gettext_lazy("json (default) or csv.")
    )


class OutcomeSerializer(serializers.Serializer[Any]):
    """A scenario's outcome for a cadre ("" for all its cadres together)."""

    scenario = serializers.CharField()
    name = serializers.CharField()
    cadre = serializers.CharField()
    base_year = serializers.IntegerField()
    final_year = serializers.IntegerField()
    gap_closes = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("The first year whose gap is 0 or more; null if none.")
    )
    cost_to_close = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("The cost from the base year to that year, both included.")
    )
    total_cost = serializers.FloatField()
    final_stock = serializers.FloatField()
    final_required = serializers.FloatField(allow_null=True)
    final_gap = serializers.FloatField(allow_null=True)
    final_per_100k = serializers.FloatField(allow_null=True)


class ComparisonDocumentSerializer(serializers.Serializer[Any]):
    outcomes = OutcomeSerializer(many=True)


class WisnActivityResultSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    standard_workload = serializers.FloatField()
    required_staff = serializers.FloatField()


class WisnResultSerializer(serializers.Serializer[Any]):
    """The result of a WISN study (contract ``planning.md`` section 2), unrounded."""

    available_working_time_hours = serializers.FloatField()
    activities = WisnActivityResultSerializer(many=True)
    category_allowance_factor = serializers.FloatField()
    individual_allowance_factor = serializers.FloatField()
    required_staff = serializers.FloatField()
    existing_staff = serializers.FloatField()
    difference = serializers.FloatField()
    wisn_ratio = serializers.FloatField(allow_null=True)
    workload_pressure = serializers.FloatField(allow_null=True)


WORKLOADS_HELP = gettext_lazy(
    "A CSV file: location (its code), existing_staff (optional) and one column per activity of the study, "
    "headed with its name, holding the location's annual workload."
)


class WisnStudyListedSerializer(serializers.Serializer[Any]):
    """A stored WISN study."""

    code = serializers.CharField()
    name = serializers.CharField()
    cadre = serializers.CharField()
    location = serializers.CharField()
    year = serializers.IntegerField()
    study = serializers.JSONField(
        help_text=gettext_lazy("The contract's study document (planning.md section 2).")
    )
    updated_at = serializers.DateTimeField()


class WisnStudySerializer(WisnStudyListedSerializer):
    """A stored WISN study and its result."""

    result = WisnResultSerializer(allow_null=True)


class RankedLocationSerializer(serializers.Serializer[Any]):
    location = serializers.CharField()
    required_staff = serializers.FloatField()
    existing_staff = serializers.FloatField()
    difference = serializers.FloatField()
    wisn_ratio = serializers.FloatField(allow_null=True)
    workload_pressure = serializers.FloatField(allow_null=True)


class RankedLocationsSerializer(serializers.Serializer[Any]):
    locations = RankedLocationSerializer(many=True)


class NormSerializer(serializers.Serializer[Any]):
    """A norm: where, for which group, the target, from which year, its source."""

    id = serializers.IntegerField()
    location = serializers.CharField(source="location.code")
    group = serializers.CharField()
    category = serializers.CharField()
    cadre = serializers.CharField(source="cadre.code", allow_null=True, default=None)
    target_per_100k = serializers.DecimalField(max_digits=10, decimal_places=3)
    valid_from = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]


class NormInputSerializer(serializers.Serializer[Any]):
    """A norm to set: with ``cadre`` for a cadre, else ``category`` for a cadre category, else for the
    whole workforce."""

    location = CodeRelatedField(queryset=Location.objects.all(), help_text=gettext_lazy("Location code."))
    cadre = CodeRelatedField(
        queryset=Cadre.objects.all(), required=False, help_text=gettext_lazy("Cadre code (a cadre's norm).")
    )
    category = serializers.ChoiceField(
        choices=CadreCategory.choices, required=False, help_text=gettext_lazy("A cadre category's norm.")
    )
    target_per_100k = serializers.DecimalField(
        max_digits=10, decimal_places=3, min_value=Decimal("0.001"), max_value=Decimal("100000")
    )
    valid_from = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    source = serializers.CharField(max_length=255)  # type: ignore[assignment]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("cadre") is not None and attrs.get("category"):
            raise serializers.ValidationError(
                {"category": [gettext_lazy("Give a cadre or a category, not both.")]}
            )
        return attrs


class SettingGapSerializer(serializers.Serializer[Any]):
    location = serializers.CharField()
    setting = serializers.CharField()
    children = serializers.IntegerField(allow_null=True)
    counted = serializers.IntegerField()
    per_100k = serializers.FloatField(allow_null=True)
    target_per_100k = serializers.FloatField(allow_null=True)
    required = serializers.FloatField(allow_null=True)  # type: ignore[assignment]
    gap = serializers.FloatField(allow_null=True)


class SettingDisparitySerializer(serializers.Serializer[Any]):
    location = serializers.CharField()
    urban_per_100k = serializers.FloatField(allow_null=True)
    rural_per_100k = serializers.FloatField(allow_null=True)
    ratio = serializers.FloatField(allow_null=True)
    difference = serializers.FloatField(allow_null=True)


class SettingGapsSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    rows = SettingGapSerializer(many=True)
    disparity = SettingDisparitySerializer(many=True)
