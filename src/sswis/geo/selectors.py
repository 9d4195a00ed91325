"""Reads of the location tree and its child population."""

from __future__ import annotations

from django.conf import settings

from sswis.geo.models import Location, PopulationEstimate

DEFAULT_REPORTING_DEPTH = 2
"""The depth of the districts when the country sets none (the root being 0: country > region > district)."""


def population_years() -> list[int]:
    """The years with at least one child population figure, most recent first (one query)."""
    return list(PopulationEstimate.objects.order_by("-year").values_list("year", flat=True).distinct())


def reporting_depth() -> int:
    """The depth of the locations the figures call districts: the country's reporting depth (contract
    ``quality-score.md``: a setting, ``SSWIS_REPORTING_DEPTH``, default 2, the root being 0)."""
    return int(getattr(settings, "SSWIS_REPORTING_DEPTH", DEFAULT_REPORTING_DEPTH))


def districts() -> list[Location]:
    """The districts (the locations at the reporting depth), by code (one query)."""
    return list(Location.objects.filter(depth=reporting_depth()).order_by("code"))


def district_path(path: str, *, depth: int | None = None) -> str | None:
    """The materialised path of the district that the location with ``path`` is in (itself when it is
    one), or ``None`` for a location above the districts (or no location: ``""``). No query: a path
    holds its ancestors (``"1/5/23/40/"``: the district at depth 2 is ``"1/5/23/"``)."""
    depth = reporting_depth() if depth is None else depth
    parts = [part for part in path.split("/") if part]
    if len(parts) <= depth:
        return None
    return "/".join(parts[: depth + 1]) + "/"
