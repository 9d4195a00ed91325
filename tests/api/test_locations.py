"""``/api/v1/locations/``: the location tree, read by every role, written by reference-list managers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from sswis.geo.models import Location
from tests.api.conftest import codes, timestamp
from tests.conftest import Country, Personas

URL = "/api/v1/locations/"
Client = Callable[[str | None], APIClient]


def test_national_reads_a_location_with_every_field(client_for: Client, country: Country) -> None:
    response = client_for("national").get(f"{URL}D11/")

    location = Location.objects.get(code="D11")
    assert response.status_code == 200
    assert response.json() == {
        "uuid": str(location.uuid),
        "code": "D11",
        "name": "Alpha",
        "parent": "R1",
        "level": "district",
        "depth": 2,
        "setting": "",
        "dhis2_uid": "",
        "boundary": None,
        "updated_at": timestamp(location.updated_at),
    }


@pytest.mark.parametrize("persona", ["national", "subnational", "focal_point", "analyst", "administrator"])
def test_every_role_reads_the_whole_tree(client_for: Client, country: Country, persona: str) -> None:
    response = client_for(persona).get(URL)

    assert set(codes(response)) == {"KD", "R1", "R2", "D11", "D12", "D21"}
    assert client_for(persona).get(f"{URL}D21/").status_code == 200


def test_outsider_is_refused(client_for: Client, country: Country) -> None:
    assert client_for("outsider").get(URL).status_code == 403
    assert client_for("outsider").get(f"{URL}D11/").status_code == 403


def test_anonymous_is_asked_to_authenticate(client_for: Client, country: Country) -> None:
    response = client_for(None).get(URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("parent=R1", {"D11", "D12"}),
        ("level=region", {"R1", "R2"}),
        ("within=R1", {"R1", "D11", "D12"}),
        ("within=D21", {"D21"}),
        ("depth=0", {"KD"}),
    ],
)
def test_filters(client_for: Client, country: Country, query: str, expected: set[str]) -> None:
    assert set(codes(client_for("analyst").get(f"{URL}?{query}"))) == expected


def test_unknown_location_code_in_a_filter_is_a_bad_request(client_for: Client, country: Country) -> None:
    response = client_for("national").get(f"{URL}?within=ZZ")

    assert response.status_code == 400
    assert list(response.json()) == ["within"]


@pytest.mark.parametrize("persona", ["national", "administrator"])
def test_reference_list_managers_create_a_location(
    client_for: Client, country: Country, personas: Personas, persona: str
) -> None:
    response = client_for(persona).post(
        URL,
        {"code": "D13", "name": "Delta", "parent": "R1", "level": "district", "dhis2_uid": "abcdefghijk"},
        format="json",
    )

    assert response.status_code == 201, response.content
    location = Location.objects.get(code="D13")
    assert response.json() == {
        "uuid": str(location.uuid),
        "code": "D13",
        "name": "Delta",
        "parent": "R1",
        "level": "district",
        "depth": 2,
        "setting": "",
        "dhis2_uid": "abcdefghijk",
        "boundary": None,
        "updated_at": timestamp(location.updated_at),
    }
    assert location.path == f"{country.region_1.path}{location.pk}/"
    assert {record.history_user for record in location.history.all()} == {getattr(personas, persona)}


@pytest.mark.parametrize("persona", ["subnational", "focal_point", "analyst", "outsider"])
def test_other_roles_may_not_create_a_location(client_for: Client, country: Country, persona: str) -> None:
    response = client_for(persona).post(URL, {"code": "D13", "name": "Delta", "parent": "R1"}, format="json")

    assert response.status_code == 403
    assert Location.objects.filter(code="D13").exists() is False


def test_unknown_parent_code_is_named_and_nothing_is_written(client_for: Client, country: Country) -> None:
    response = client_for("national").post(
        URL, {"code": "D13", "name": "Delta", "parent": "ZZ"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"parent": ['No location with code "ZZ".']}
    assert Location.objects.count() == 6


def test_a_second_root_is_refused_by_the_service(client_for: Client, country: Country) -> None:
    response = client_for("national").post(URL, {"code": "XX", "name": "Elsewhere"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"parent": ["The country already has a root location; choose a parent."]}
    assert Location.objects.count() == 6


def test_patch_is_audited_with_the_acting_user(
    client_for: Client, country: Country, personas: Personas
) -> None:
    response = client_for("administrator").patch(f"{URL}D11/", {"name": "Alpha East"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Alpha East"
    latest = Location.objects.get(code="D11").history.latest()
    assert (latest.name, latest.history_user) == ("Alpha East", personas.administrator)


def test_moving_a_location_repaths_it(client_for: Client, country: Country) -> None:
    response = client_for("national").patch(f"{URL}D12/", {"parent": "R2"}, format="json")

    assert response.status_code == 200, response.content
    moved = Location.objects.get(code="D12")
    assert (response.json()["parent"], moved.path) == ("R2", f"{country.region_2.path}{moved.pk}/")


def test_moving_a_location_under_its_own_descendant_is_refused(client_for: Client, country: Country) -> None:
    response = client_for("national").patch(f"{URL}R1/", {"parent": "D11"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"parent": ["A location cannot be moved under itself or its own descendants."]}
    assert Location.objects.get(code="R1").parent == country.root


def test_put_replaces_the_fields(client_for: Client, country: Country) -> None:
    response = client_for("national").put(
        f"{URL}D21/",
        {"code": "D21", "name": "Gamma", "parent": "R2", "level": "district", "setting": "rural"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert Location.objects.get(code="D21").setting == "rural"


@pytest.mark.parametrize("persona", ["subnational", "focal_point", "analyst", "outsider"])
def test_other_roles_may_not_change_a_location(client_for: Client, country: Country, persona: str) -> None:
    response = client_for(persona).patch(f"{URL}D11/", {"name": "Renamed"}, format="json")

    assert response.status_code == 403
    assert Location.objects.get(code="D11").name == "Alpha"
