"""``Organisation.manages_location``: set through the organisation API (audited, one organisation per
location) and by the demo for each district's social welfare office."""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.test import APIClient

from sswis.demo.directory import demo_directory_set
from sswis.registry.models import Organisation
from tests.conftest import Country, Personas
from tests.factories import OrganisationFactory
from tests.fhir.conftest import Directory

Client = Callable[[str | None], APIClient]


def test_api_sets_and_clears_the_managed_location(directory: Directory, fhir_client: Client) -> None:
    client = fhir_client("national")
    response = client.patch("/api/v1/organisations/NGO1/", {"manages_location": "R2"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["manages_location"] == "R2"
    ngo = Organisation.objects.get(code="NGO1")
    assert ngo.manages_location == directory.country.region_2
    assert ngo.history.latest().history_user.username == "national"
    location = client.get(f"/fhir/Location/{directory.country.region_2.uuid}").json()
    assert location["managingOrganization"]["reference"] == f"Organization/{ngo.uuid}"
    cleared = client.patch("/api/v1/organisations/NGO1/", {"manages_location": None}, format="json")
    assert cleared.json()["manages_location"] is None


def test_a_location_has_one_managing_organisation(directory: Directory, fhir_client: Client) -> None:
    response = fhir_client("national").patch(
        "/api/v1/organisations/NGO1/", {"manages_location": "R1"}, format="json"
    )
    assert response.status_code == 400
    assert "manages_location" in response.json()
    assert Organisation.objects.get(code="NGO1").manages_location is None


def test_an_officer_may_not_set_it(directory: Directory, fhir_client: Client) -> None:
    response = fhir_client("subnational").patch(
        "/api/v1/organisations/NGO1/", {"manages_location": "R2"}, format="json"
    )
    assert response.status_code == 403
    assert Organisation.objects.get(code="NGO1").manages_location is None


def test_demo_pairs_district_offices(country: Country, personas: Personas) -> None:
    OrganisationFactory(code="DSWO-D11", location=country.district_11)
    OrganisationFactory(code="DSWO-D21", location=country.district_21)
    OrganisationFactory(code="DSWO-XX", location=country.district_21)  # no such district
    assert demo_directory_set(actor=personas.national) == 2
    assert dict(
        Organisation.objects.filter(manages_location__isnull=False).values_list(
            "code", "manages_location__code"
        )
    ) == {
        "DSWO-D11": "D11",
        "DSWO-D21": "D21",
    }
    assert demo_directory_set(actor=personas.national) == 0
