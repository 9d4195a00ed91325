"""Location boundaries: only valid GeoJSON polygons are stored, from a FeatureCollection or the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from sswis.geo.boundaries import geometry_problem
from sswis.geo.models import Location
from sswis.geo.services import location_boundaries_set
from tests.conftest import Country, Personas

SQUARE = {"type": "Polygon", "coordinates": [[[30, -10], [31, -10], [31, -9], [30, -9], [30, -10]]]}


def feature(code: Any, geometry: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


@pytest.mark.parametrize(
    ("geometry", "problem"),
    [
        (SQUARE, ""),
        ({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}, ""),
        (
            "POLYGON((30 -10))",
            'A boundary must be a GeoJSON geometry object, such as {"type": "Polygon", ...}.',
        ),
        (
            {"type": "Point", "coordinates": [30, -10]},
            "A boundary must be a Polygon or a MultiPolygon, not 'Point'.",
        ),
        (
            {"type": "Polygon", "coordinates": []},
            "The polygon has no rings (its coordinates must be a list of rings).",
        ),
        (
            {"type": "Polygon", "coordinates": [[[30, -10], [31, -10], [30, -10]]]},
            "The outer ring needs at least 4 positions (a closed ring: the last repeats the first).",
        ),
        (
            {"type": "Polygon", "coordinates": [[[30, -10], [31, -10], [31, -9], [30, -9]]]},
            "The outer ring is not closed: its last position must repeat its first.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[30, -10], [31, -10], [31, 95], [30, -9], [30, -10]]]},
            "Position 3 of the outer ring (31, 95) is outside longitude -180 to 180, latitude -90 to 90 "
            "(WGS 84 degrees, longitude first).",
        ),
        (
            {
                "type": "MultiPolygon",
                "coordinates": [SQUARE["coordinates"], [[[1, 1], [2, "x"], [1, 1], [1, 1]]]],
            },
            "Position 2 of the outer ring of polygon 2 holds something other than numbers.",
        ),
    ],
)
def test_geometry_problem_names_what_and_where(geometry: Any, problem: str) -> None:
    assert geometry_problem(geometry) == problem


def test_boundaries_are_set_from_a_feature_collection_and_audited(
    country: Country, personas: Personas
) -> None:
    collection = {"type": "FeatureCollection", "features": [feature("D11", SQUARE), feature("D12", SQUARE)]}
    assert location_boundaries_set(actor=personas.national, collection=collection) == 2
    country.district_11.refresh_from_db()
    assert country.district_11.boundary == SQUARE
    assert country.district_11.history.latest().history_user == personas.national
    # The same file again changes nothing.
    assert location_boundaries_set(actor=personas.national, collection=collection) == 0


def test_every_problem_is_reported_and_nothing_is_written(country: Country, personas: Personas) -> None:
    bad = {"type": "Polygon", "coordinates": [[[30, -10], [31, -10], [31, -9], [30, -9]]]}
    collection = {
        "type": "FeatureCollection",
        "features": [
            feature("D11", SQUARE),
            feature("", SQUARE),
            feature("D12", bad),
            feature("NOPE", SQUARE),
            feature("D11", SQUARE),
        ],
    }
    with pytest.raises(ValidationError) as refused:
        location_boundaries_set(actor=personas.national, collection=collection)
    assert refused.value.messages == [
        "Feature 2: no location code in properties.code.",
        "Feature 3 (D12): The outer ring is not closed: its last position must repeat its first.",
        "Feature 5 (D11): a second boundary for the same location.",
        "No location has the code NOPE.",
    ]
    assert Location.objects.exclude(boundary=None).count() == 0
    with pytest.raises(ValidationError, match="must be a GeoJSON FeatureCollection"):
        location_boundaries_set(actor=personas.national, collection=[SQUARE])


def test_only_reference_list_maintainers_set_boundaries(country: Country, personas: Personas) -> None:
    collection = {"type": "FeatureCollection", "features": [feature("D11", SQUARE)]}
    with pytest.raises(PermissionDenied):
        location_boundaries_set(actor=personas.analyst, collection=collection)


def test_the_admin_refuses_an_invalid_boundary(client: Client, country: Country, personas: Personas) -> None:
    personas.administrator.is_staff = True
    personas.administrator.save(update_fields=["is_staff"])
    client.force_login(personas.administrator)
    url = f"/admin/geo/location/{country.district_11.pk}/change/"
    form = {
        "code": "D11",
        "name": "Alpha",
        "parent": country.region_1.pk,
        "level": "",
        "setting": "",
        "dhis2_uid": "",
        "boundary": '{"type": "Polygon", "coordinates": [[[30, -10], [31, -10], [30, -10]]]}',
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "The outer ring needs at least 4 positions" in response.content.decode()
    country.district_11.refresh_from_db()
    assert country.district_11.boundary is None
    form["boundary"] = (
        '{"type": "Polygon", "coordinates": [[[30, -10], [31, -10], [31, -9], [30, -9], [30, -10]]]}'
    )
    assert client.post(url, form).status_code == 302
    country.district_11.refresh_from_db()
    assert country.district_11.boundary == SQUARE
