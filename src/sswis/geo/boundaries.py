"""What a location boundary may be: a GeoJSON (RFC 7946) Polygon or MultiPolygon in WGS 84.

One check, used by the model (so the administration and every service refuse a bad boundary) and by
:func:`sswis.geo.services.location_boundaries_set` (a FeatureCollection such as the mapping template's
``boundaries.geojson``). Each problem is a sentence naming where in the geometry it is.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


def _position_problem(position: Any, where: str) -> str:
    if not isinstance(position, list | tuple) or len(position) not in (2, 3):
        return _("%(where)s is not a [longitude, latitude] pair.") % {"where": where}
    if not all(isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in position):
        return _("%(where)s holds something other than numbers.") % {"where": where}
    longitude, latitude = position[0], position[1]
    if not -180 <= longitude <= 180 or not -90 <= latitude <= 90:
        return _(
            "%(where)s (%(longitude)s, %(latitude)s) is outside longitude -180 to 180, latitude -90 to 90 "
            "(WGS 84 degrees, longitude first)."
        ) % {"where": where, "longitude": longitude, "latitude": latitude}
    return ""


def _ring_problem(ring: Any, where: str) -> str:
    if not isinstance(ring, list | tuple) or len(ring) < 4:
        return _("%(where)s needs at least 4 positions (a closed ring: the last repeats the first).") % {
            "where": where
        }
    for number, position in enumerate(ring, start=1):
        problem = _position_problem(
            position, _("position %(n)d of %(where)s") % {"n": number, "where": where}
        )
        if problem:
            return problem[0].upper() + problem[1:]
    if list(ring[0][:2]) != list(ring[-1][:2]):
        return _("%(where)s is not closed: its last position must repeat its first.") % {"where": where}
    return ""


def _polygon_problem(rings: Any, polygon: int) -> str:
    """``polygon``: its number in a MultiPolygon, 0 for a Polygon."""
    if not isinstance(rings, list | tuple) or not rings:
        if polygon:
            return _("Polygon %(n)d has no rings (its coordinates must be a list of rings).") % {"n": polygon}
        return _("The polygon has no rings (its coordinates must be a list of rings).")
    for number, ring in enumerate(rings, start=1):
        ring_name = _("the outer ring") if number == 1 else _("hole %(n)d") % {"n": number - 1}
        if polygon:
            ring_name = _("%(ring)s of polygon %(n)d") % {"ring": ring_name, "n": polygon}
        problem = _ring_problem(ring, ring_name)
        if problem:
            return problem[0].upper() + problem[1:]
    return ""


def geometry_problem(geometry: Any) -> str:
    """Why ``geometry`` is not a valid boundary, as a sentence; ``""`` when it is one."""
    if not isinstance(geometry, dict):
        return _('A boundary must be a GeoJSON geometry object, such as {"type": "Polygon", ...}.')
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES:
        return _("A boundary must be a Polygon or a MultiPolygon, not %(type)s.") % {"type": repr(kind)}
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return _polygon_problem(coordinates, 0)
    if not isinstance(coordinates, list | tuple) or not coordinates:
        return _("The MultiPolygon has no polygons (coordinates must be a list of polygons).")
    for number, polygon in enumerate(coordinates, start=1):
        problem = _polygon_problem(polygon, number)
        if problem:
            return problem
    return ""
