"""Reads of the location tree and its child population."""

from __future__ import annotations

from sswis.geo.models import PopulationEstimate


def population_years() -> list[int]:
    """The years with at least one child population figure, most recent first (one query)."""
    return list(PopulationEstimate.objects.order_by("-year").values_list("year", flat=True).distinct())
