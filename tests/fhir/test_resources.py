"""Every resource type renders as valid FHIR R4B (``fhir.resources``) and meets mCSD's constraints."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fhir.resources.R4B.location import Location as FhirLocation
from fhir.resources.R4B.organization import Organization as FhirOrganization
from fhir.resources.R4B.practitioner import Practitioner as FhirPractitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole as FhirPractitionerRole

from sswis.access.policy import scope_of
from sswis.fhir.kinds import KINDS
from sswis.fhir.render import resources_render
from sswis.fhir.versions import version_id
from tests.conftest import Personas
from tests.fhir.conftest import Directory

BASE = "http://testserver/fhir"
SQUARE = {"type": "Polygon", "coordinates": [[[33.0, -13.0], [34.0, -13.0], [34.0, -12.0], [33.0, -13.0]]]}


def render(kind: str, rows: list[Any], user: Any) -> list[dict[str, Any]]:
    return resources_render(kind=KINDS[kind], rows=rows, user=user, base_url=BASE)


def test_practitioner_maps_identity_registration_and_training(
    directory: Directory, personas: Personas
) -> None:
    amina = directory.amina
    [resource] = render("Practitioner", [amina], personas.national)
    FhirPractitioner.model_validate(resource)
    registration = amina.registrations.get()
    completion = amina.completions.get()
    newest = max(amina.updated_at, registration.updated_at, completion.updated_at)
    assert resource["id"] == str(amina.uuid)
    assert resource["meta"]["versionId"] == version_id(newest)
    assert resource["identifier"] == [
        {"system": "urn:sswis:identifier:worker-id", "value": "W000001"},
        {"system": "urn:sswis:identifier:national-id", "value": "NID-1"},
        {"system": "urn:sswis:identifier:register:SW-REG", "value": "N00001"},
    ]
    assert resource["active"] is True
    assert resource["name"] == [
        {"use": "official", "text": "Amina Banda", "family": "Banda", "given": ["Amina"]}
    ]
    assert resource["gender"] == "female"
    assert resource["birthDate"] == "1990-04-02"
    assert resource["telecom"] == [
        {"system": "phone", "value": "+265991000001"},
        {"system": "email", "value": "amina@example.org"},
    ]
    assert resource["qualification"] == [
        {
            "code": {
                "coding": [
                    {
                        "system": "urn:sswis:codesystem:education-level",
                        "code": "bachelor",
                        "display": "Bachelor",
                    }
                ]
            }
        },
        {
            "identifier": [{"system": "urn:sswis:identifier:register:SW-REG", "value": "N00001"}],
            "code": {
                "coding": [
                    {"system": "urn:sswis:codesystem:register", "code": "SW-REG", "display": "Social workers"}
                ],
                "text": "Social workers",
            },
            "issuer": {"display": "Social Service Council"},
            "period": {"start": "2020-01-15"},
        },
        {
            "code": {
                "coding": [
                    {
                        "system": "urn:sswis:codesystem:training-programme",
                        "code": "CP1",
                        "display": "Child protection basics",
                    }
                ],
                "text": "Child protection basics",
            },
            "period": {"end": "2021-05-20"},
            "issuer": {"display": "National University"},
        },
    ]


def test_inactive_practitioner_without_education(directory: Directory, personas: Personas) -> None:
    [resource] = render("Practitioner", [directory.grace], personas.national)
    FhirPractitioner.model_validate(resource)
    assert resource["active"] is False
    assert "qualification" not in resource
    assert "birthDate" not in resource  # none recorded


def test_focal_point_gets_no_birth_date(directory: Directory, personas: Personas) -> None:
    [resource] = render("Practitioner", [directory.amina], personas.focal_point)
    assert "birthDate" not in resource
    [resource] = render("Practitioner", [directory.amina], personas.subnational)
    assert resource["birthDate"] == "1990-04-02"


def test_practitioner_role_has_cadre_with_isco(directory: Directory, personas: Personas) -> None:
    roles = render("PractitionerRole", [directory.amina_role, directory.grace_role], personas.national)
    for resource in roles:
        FhirPractitionerRole.model_validate(resource)
        assert len(resource["code"]) == 1  # mCSD: code 1..*
    amina, grace = roles
    country = directory.country
    assert amina["practitioner"] == {
        "reference": f"Practitioner/{directory.amina.uuid}",
        "display": "Amina Banda",
    }
    assert amina["organization"] == {
        "reference": f"Organization/{country.ministry.uuid}",
        "display": "Ministry of Social Welfare",
    }
    assert amina["location"] == [{"reference": f"Location/{country.district_11.uuid}", "display": "Alpha"}]
    assert amina["code"] == [
        {
            "coding": [
                {"system": "urn:sswis:codesystem:cadre", "code": "SW", "display": "Social worker"},
                {"system": "http://www.ilo.org/public/english/bureau/stat/isco/isco08/", "code": "2635"},
            ],
            "text": "Social worker",
        }
    ]
    assert amina["specialty"] == [
        {
            "coding": [
                {
                    "system": "urn:sswis:codesystem:cadre-category",
                    "code": "professional",
                    "display": "Professional",
                }
            ]
        }
    ]
    assert amina["period"] == {"start": "2020-03-01"}
    assert amina["active"] is True
    assert grace["period"] == {"start": "2018-01-01", "end": "2019-12-31"}
    assert grace["active"] is False
    assert grace["code"][0]["coding"] == [
        {"system": "urn:sswis:codesystem:cadre", "code": "CPV", "display": "Child protection volunteer"}
    ]


def test_organization_type_sector_and_part_of(directory: Directory, personas: Personas) -> None:
    [office] = render("Organization", [directory.north_office], personas.national)
    FhirOrganization.model_validate(office)
    assert office["identifier"] == [
        {"system": "urn:sswis:identifier:organisation-code", "value": "NORTH-SWO"}
    ]
    assert office["name"] == "North social welfare office"
    assert office["active"] is True
    assert office["type"] == [
        {
            "coding": [
                {
                    "system": "urn:sswis:codesystem:organisation-type",
                    "code": "government",
                    "display": "Government",
                }
            ]
        },
        {
            "coding": [
                {
                    "system": "urn:sswis:codesystem:sector",
                    "code": "social_welfare",
                    "display": "Social welfare",
                }
            ]
        },
    ]
    ministry = directory.country.ministry
    assert office["partOf"] == {
        "reference": f"Organization/{ministry.uuid}",
        "display": "Ministry of Social Welfare",
    }


def test_location_is_a_jurisdiction_with_its_managing_organisation_and_boundary(
    directory: Directory, personas: Personas
) -> None:
    region = directory.country.region_1
    region.boundary = SQUARE
    region.dhis2_uid = "Abc123def45"
    region.save(update_fields=["boundary", "dhis2_uid", "updated_at"])
    [resource] = render("Location", [region], personas.national)
    FhirLocation.model_validate(resource)
    office = directory.north_office
    assert resource["meta"]["versionId"] == version_id(max(region.updated_at, office.updated_at))
    assert resource["identifier"] == [
        {"system": "urn:sswis:identifier:location-code", "value": "R1"},
        {"system": "urn:sswis:identifier:dhis2-organisation-unit", "value": "Abc123def45"},
    ]
    assert resource["status"] == "active"
    assert resource["mode"] == "instance"
    assert resource["type"][0] == {
        "coding": [
            {
                "system": "https://profiles.ihe.net/ITI/mCSD/CodeSystem/IHE.mCSD.Organization.Location.Types",
                "code": "jurisdiction",
                "display": "Jurisdiction",
            }
        ]
    }
    assert resource["type"][1] == {
        "coding": [{"system": "urn:sswis:codesystem:location-level", "code": "region", "display": "region"}]
    }
    assert resource["partOf"] == {
        "reference": f"Location/{directory.country.root.uuid}",
        "display": "Kandara",
    }
    assert resource["managingOrganization"] == {
        "reference": f"Organization/{office.uuid}",
        "display": "North social welfare office",
    }
    [extension] = resource["extension"]
    assert extension["url"] == "http://hl7.org/fhir/StructureDefinition/location-boundary-geojson"
    assert extension["valueAttachment"]["contentType"] == "application/geo+json"
    assert json.loads(base64.b64decode(extension["valueAttachment"]["data"])) == SQUARE


def test_root_location_has_no_part_of(directory: Directory, personas: Personas) -> None:
    [resource] = render("Location", [directory.country.root], personas.national)
    FhirLocation.model_validate(resource)
    assert "partOf" not in resource
    assert "managingOrganization" not in resource
    assert "extension" not in resource


@pytest.mark.parametrize("kind", ["Practitioner", "PractitionerRole", "Organization", "Location"])
def test_rendering_costs_the_same_queries_for_one_and_three_rows(
    kind: str, directory: Directory, personas: Personas, django_assert_num_queries: Any
) -> None:
    model = KINDS[kind].model
    scope_of(personas.national)  # as a request does before rendering (cached on the user)
    expected = {"Practitioner": 3, "PractitionerRole": 4, "Organization": 1, "Location": 2}[kind]
    for count in (1, 3):
        rows = list(model._default_manager.order_by("-pk")[:count])  # the newest have parents
        assert len(rows) == count
        with django_assert_num_queries(expected):
            resources = render(kind, rows, personas.national)
        assert [resource["id"] for resource in resources] == [str(row.uuid) for row in rows]
