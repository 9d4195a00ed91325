"""ITI-90 on PractitionerRole, Location and Organization: each parameter, from hand-built cases, and the
``_include``/``_revinclude`` of each type (``directory``: see ``tests/fhir/conftest.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.fhir.conftest import Directory
from tests.fhir.helpers import entries, outcome, ref

Client = Callable[[str | None], APIClient]
ISCO = "http://www.ilo.org/public/english/bureau/stat/isco/isco08/"


@pytest.fixture
def national(directory: Directory, fhir_client: Client) -> APIClient:
    return fhir_client("national")


def _objects(directory: Directory) -> dict[str, Any]:
    country = directory.country
    return {
        "amina_role": directory.amina_role,
        "joseph_role": directory.joseph_role,
        "grace_role": directory.grace_role,
        "amina": directory.amina,
        "joseph": directory.joseph,
        "root": country.root,
        "r1": country.region_1,
        "r2": country.region_2,
        "d11": country.district_11,
        "d12": country.district_12,
        "d21": country.district_21,
        "ministry": country.ministry,
        "ngo": country.ngo,
        "office": directory.north_office,
    }


def _query(template: str, directory: Directory) -> str:
    return template.format(**{name: row.uuid for name, row in _objects(directory).items()})


ROLE_CASES = [
    ("active=true", ["amina_role", "joseph_role"]),
    ("active=false", ["grace_role"]),
    ("location=Location/{d11}", ["amina_role"]),
    ("location={d21}", ["joseph_role"]),
    ("location=Organization/{d11}", []),  # the wrong type
    ("organization=Organization/{ministry}", ["amina_role", "grace_role"]),
    ("practitioner=Practitioner/{joseph}", ["joseph_role"]),
    ("practitioner={amina},{joseph}", ["amina_role", "joseph_role"]),
    ("role=SW", ["amina_role"]),
    ("role=urn:sswis:codesystem:cadre|PSW", ["joseph_role"]),
    (f"role={ISCO}|2635", ["amina_role"]),
    ("role=2635", ["amina_role"]),
    (f"role={ISCO}|SW", []),
    ("role=urn:sswis:codesystem:cadre|", ["amina_role", "joseph_role", "grace_role"]),
    ("service=HealthcareService/anything", []),
    ("specialty=volunteer", ["grace_role"]),
    ("specialty=urn:sswis:codesystem:cadre-category|professional", ["amina_role"]),
    ("_id={joseph_role}", ["joseph_role"]),
]


@pytest.mark.parametrize(("query", "names"), ROLE_CASES)
def test_practitioner_role_parameters(
    query: str, names: list[str], directory: Directory, national: APIClient
) -> None:
    found = entries(national.get(f"/fhir/PractitionerRole?{_query(query, directory)}"))
    objects = _objects(directory)
    assert found == [ref("PractitionerRole", objects[name]) for name in names]


LOCATION_CASES = [
    ("name=al", ["d11"]),
    ("name:contains=ET", ["d12"]),
    ("name:exact=north", []),
    ("name:exact=North", ["r1"]),
    ("identifier=D21", ["d21"]),
    ("identifier=urn:sswis:identifier:location-code|R2", ["r2"]),
    ("identifier=urn:sswis:identifier:dhis2-organisation-unit|Abc123def45", ["d11"]),
    ("identifier=Abc123def45", ["d11"]),
    ("organization=Organization/{office}", ["r1"]),
    ("partof=Location/{r1}", ["d11", "d12"]),
    ("status=active", ["root", "r1", "r2", "d11", "d12", "d21"]),
    ("status=inactive", []),
    ("type=jurisdiction", ["root", "r1", "r2", "d11", "d12", "d21"]),
    ("type=region", ["r1", "r2"]),
    ("type=urn:sswis:codesystem:location-level|district", ["d11", "d12", "d21"]),
    ("type=https://profiles.ihe.net/ITI/mCSD/CodeSystem/IHE.mCSD.Organization.Location.Types|facility", []),
]


@pytest.mark.parametrize(("query", "names"), LOCATION_CASES)
def test_location_parameters(query: str, names: list[str], directory: Directory, national: APIClient) -> None:
    d11 = directory.country.district_11
    d11.dhis2_uid = "Abc123def45"
    d11.save(update_fields=["dhis2_uid", "updated_at"])
    found = entries(national.get(f"/fhir/Location?{_query(query, directory)}"))
    objects = _objects(directory)
    assert found == [ref("Location", objects[name]) for name in names]


ORGANIZATION_CASES = [
    ("active=true", ["ministry", "ngo", "office"]),
    ("active=false", []),
    ("identifier=NGO1", ["ngo"]),
    ("identifier=urn:sswis:identifier:organisation-code|MSW", ["ministry"]),
    ("name=hope", ["ngo"]),
    ("name:contains=WELFARE", ["ministry", "office"]),
    ("name:exact=Hope%20for%20Children", ["ngo"]),
    ("type=ngo", ["ngo"]),
    ("type=urn:sswis:codesystem:organisation-type|government", ["ministry", "office"]),
    ("type=urn:sswis:codesystem:sector|social_welfare", ["ministry", "ngo", "office"]),
    ("type=urn:sswis:codesystem:sector|ngo", []),
    ("partof=Organization/{ministry}", ["office"]),
]


@pytest.mark.parametrize(("query", "names"), ORGANIZATION_CASES)
def test_organization_parameters(
    query: str, names: list[str], directory: Directory, national: APIClient
) -> None:
    found = entries(national.get(f"/fhir/Organization?{_query(query, directory)}"))
    objects = _objects(directory)
    assert found == [ref("Organization", objects[name]) for name in names]


def test_include_practitioner_of_roles(directory: Directory, national: APIClient) -> None:
    response = national.get("/fhir/PractitionerRole?role=SW,PSW&_include=PractitionerRole:practitioner")
    assert entries(response) == [
        ref("PractitionerRole", directory.amina_role),
        ref("PractitionerRole", directory.joseph_role),
    ]
    assert entries(response, "include") == [
        ref("Practitioner", directory.amina),
        ref("Practitioner", directory.joseph),
    ]
    assert response.json()["total"] == 2  # the matches only


def test_include_organization_and_location_of_roles(directory: Directory, national: APIClient) -> None:
    country = directory.country
    response = national.get(
        "/fhir/PractitionerRole?organization=Organization/"
        f"{country.ministry.uuid}&_include=PractitionerRole:organization,PractitionerRole:location"
    )
    assert entries(response) == [
        ref("PractitionerRole", directory.amina_role),
        ref("PractitionerRole", directory.grace_role),
    ]
    assert entries(response, "include") == [
        ref("Organization", country.ministry),  # once, though both roles name it
        ref("Location", country.district_11),
        ref("Location", country.district_12),
    ]


def test_include_managing_organization_of_locations(directory: Directory, national: APIClient) -> None:
    country = directory.country
    response = national.get(f"/fhir/Location?partof={country.root.uuid}&_include=Location:organization")
    assert entries(response) == [ref("Location", country.region_1), ref("Location", country.region_2)]
    assert entries(response, "include") == [ref("Organization", directory.north_office)]


def test_revinclude_locations_of_organizations(directory: Directory, national: APIClient) -> None:
    response = national.get("/fhir/Organization?name=north&_revinclude=Location:organization")
    assert entries(response) == [ref("Organization", directory.north_office)]
    assert entries(response, "include") == [ref("Location", directory.country.region_1)]


def test_revinclude_roles_of_practitioners(directory: Directory, national: APIClient) -> None:
    response = national.get(
        f"/fhir/Practitioner?_id={directory.amina.uuid}&_revinclude=PractitionerRole:practitioner"
    )
    assert entries(response) == [ref("Practitioner", directory.amina)]
    assert entries(response, "include") == [ref("PractitionerRole", directory.amina_role)]


@pytest.mark.parametrize(
    "query",
    [
        "Practitioner?_include=PractitionerRole:practitioner",  # not an include of Practitioner
        "Location?_revinclude=Location:organization",
        "PractitionerRole?_include=PractitionerRole:service",
        "Organization?_include=*",
    ],
)
def test_includes_not_served_are_refused(query: str, national: APIClient) -> None:
    assert "not served" in outcome(national.get(f"/fhir/{query}"), 400, "invalid")


def test_included_resources_stay_in_scope(directory: Directory, fhir_client: Client) -> None:
    """The focal point's roles name the NGO's location; its ancestors too, never the north's."""
    response = fhir_client("focal_point").get("/fhir/PractitionerRole?_include=PractitionerRole:practitioner")
    assert entries(response) == [ref("PractitionerRole", directory.joseph_role)]
    assert entries(response, "include") == [ref("Practitioner", directory.joseph)]
