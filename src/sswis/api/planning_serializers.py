"""Serializers of the planning endpoints (query parameters and the documents answered, for the schema)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.api.fields import depth_field, subtree_location_field
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR


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
