"""The administration of reference lists: system administrators and national data managers only."""

from __future__ import annotations

import pytest
from django.test import Client

from sswis.geo.models import Location
from tests.conftest import Country, Personas

pytestmark = pytest.mark.django_db

REFERENCE_LISTS = [
    "/admin/geo/location/",
    "/admin/geo/populationestimate/",
    "/admin/registry/organisation/",
    "/admin/registry/cadre/",
]


def login(client: Client, user: object, *, staff: bool) -> None:
    user.is_staff = staff  # type: ignore[attr-defined]
    user.save(update_fields=["is_staff"])  # type: ignore[attr-defined]
    client.force_login(user)  # type: ignore[arg-type]


@pytest.mark.parametrize("persona", ["administrator", "national"])
def test_managers_maintain_reference_lists(
    client: Client, personas: Personas, country: Country, persona: str
) -> None:
    login(client, getattr(personas, persona), staff=True)
    for url in REFERENCE_LISTS:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["subnational", "focal_point", "analyst", "outsider"])
def test_others_are_refused_even_as_staff(
    client: Client, personas: Personas, country: Country, persona: str
) -> None:
    login(client, getattr(personas, persona), staff=True)
    for url in REFERENCE_LISTS:
        assert client.get(url).status_code == 403, url


def test_person_records_are_not_in_the_admin(client: Client, personas: Personas) -> None:
    login(client, personas.administrator, staff=True)
    assert client.get("/admin/registry/worker/").status_code == 404
    assert client.get("/admin/registry/assignment/").status_code == 404


def test_adding_a_location_in_the_admin_sets_its_path_and_audits(
    client: Client, personas: Personas, country: Country
) -> None:
    login(client, personas.national, staff=True)
    response = client.post(
        "/admin/geo/location/add/",
        {
            "code": "W111",
            "name": "Ward one",
            "parent": country.district_11.pk,
            "level": "ward",
            "setting": "",
            "dhis2_uid": "",
            "boundary": "null",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ward = Location.objects.get(code="W111")
    assert ward.path == f"{country.district_11.path}{ward.pk}/"
    assert ward.history.get().history_user == personas.national
