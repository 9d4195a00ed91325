"""The dashboard's map: workers per 100,000 children across a location's child locations, drawn from
their boundaries (``geo.Location.boundary``) on the server, with the same figures as a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sswis.geo.models import Location
from sswis.presentation.charts import Area, map_svg
from sswis.presentation.dashboard import LocationFigures, children_sorted


@dataclass(frozen=True)
class DashboardMap:
    """The map (``""`` when no child location has a boundary), its table (highest first, unknown last)
    and the child locations without a boundary."""

    svg: str
    lines: list[LocationFigures]
    without_boundary: list[Location]


def map_build(
    *, location: Location, year: int, children: Sequence[LocationFigures], charts: bool = True
) -> DashboardMap:
    """The map of ``children`` (the child locations' figures of the dashboard)."""
    drawn = [line for line in children if line.location.boundary]
    svg = ""
    if charts and drawn:
        svg = map_svg(
            title=_("Workers per 100,000 children in the locations of %(location)s, %(year)d")
            % {"location": location.name, "year": year},
            areas=[
                Area(
                    name=line.location.name,
                    geometry=line.location.boundary or {},
                    value=line.per_100k.value,
                    text=line.per_100k.text,
                )
                for line in drawn
            ],
            legend_title=_("Workers per 100,000 children"),
        )
    return DashboardMap(
        svg=svg,
        lines=children_sorted(list(children), "-per_100k"),
        without_boundary=sorted(
            (line.location for line in children if not line.location.boundary), key=lambda place: place.name
        ),
    )
