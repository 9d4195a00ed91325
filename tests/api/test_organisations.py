"""``/api/v1/organisations/``: the organisations reference list, as ``policy.organisations_visible`` shows it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from sswis.registry.models import Organisation
from tests.api.conftest import codes, timestamp
from tests.conftest import Country, Personas
from tests.factories import OrganisationFactory

URL = "/api/v1/organisations/"
Client = Callable[[str | None], APIClient]


@pytest.fixture
def district_office(country: Country) -> Organisation:
    return OrganisationFactory(
        code="DSW11",
        name="District social welfare office Alpha",
        type="government",
        sector="social_welfare",
        location=country.district_11,
        parent=country.ministry,
    )


def test_national_reads_an_organisation_with_every_field(
    client_for: Client, district_office: Organisation
) -> None:
    response = client_for("national").get(f"{URL}DSW11/")

    assert response.status_code == 200
    assert response.json() == {
        "uuid": str(district_office.uuid),
        "code": "DSW11",
        "name": "District social welfare office Alpha",
        "type": "government",
        "sector": "social_welfare",
        "location": "D11",
        "parent": "MSW",
        "manages_location": None,
        "is_government": True,
        "updated_at": timestamp(district_office.updated_at),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("national", {"MSW", "NGO1", "DSW11"}),
        ("analyst", {"MSW", "NGO1", "DSW11"}),
        ("administrator", {"MSW", "NGO1", "DSW11"}),
        ("subnational", {"DSW11"}),  # based in their subtree (R1)
        ("focal_point", {"NGO1"}),  # their own
    ],
)
def test_each_role_lists_the_organisations_it_may_see(
    client_for: Client, district_office: Organisation, persona: str, expected: set[str]
) -> None:
    assert set(codes(client_for(persona).get(URL))) == expected


def test_out_of_scope_organisation_is_not_found(client_for: Client, district_office: Organisation) -> None:
    assert client_for("subnational").get(f"{URL}NGO1/").status_code == 404
    assert client_for("focal_point").get(f"{URL}DSW11/").status_code == 404
    assert client_for("subnational").get(f"{URL}DSW11/").status_code == 200


def test_outsider_and_anonymous_are_refused(client_for: Client, district_office: Organisation) -> None:
    assert client_for("outsider").get(URL).status_code == 403
    assert client_for("outsider").get(f"{URL}MSW/").status_code == 403
    assert client_for(None).get(URL).status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=ngo", {"NGO1"}),
        ("government=true", {"MSW", "DSW11"}),
        ("government=false", {"NGO1"}),
        ("location=R1", {"DSW11"}),
        ("location=KD", {"MSW", "NGO1", "DSW11"}),
        ("sector=social_welfare", {"MSW", "NGO1", "DSW11"}),
    ],
)
def test_filters(client_for: Client, district_office: Organisation, query: str, expected: set[str]) -> None:
    assert set(codes(client_for("national").get(f"{URL}?{query}"))) == expected


def test_invalid_filter_value_is_a_bad_request(client_for: Client, district_office: Organisation) -> None:
    response = client_for("national").get(f"{URL}?type=club")

    assert response.status_code == 400
    assert list(response.json()) == ["type"]


@pytest.mark.parametrize("persona", ["national", "administrator"])
def test_reference_list_managers_create(
    client_for: Client, country: Country, personas: Personas, persona: str
) -> None:
    response = client_for(persona).post(
        URL,
        {
            "code": "FBO1",
            "name": "Faith care",
            "type": "faith_based",
            "sector": "social_welfare",
            "location": "D12",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    created = Organisation.objects.get(code="FBO1")
    assert response.json() == {
        "uuid": str(created.uuid),
        "code": "FBO1",
        "name": "Faith care",
        "type": "faith_based",
        "sector": "social_welfare",
        "location": "D12",
        "parent": None,
        "manages_location": None,
        "is_government": False,
        "updated_at": timestamp(created.updated_at),
    }
    assert created.history.get().history_user == getattr(personas, persona)


@pytest.mark.parametrize("persona", ["subnational", "focal_point", "analyst", "outsider"])
def test_other_roles_may_not_create(client_for: Client, country: Country, persona: str) -> None:
    response = client_for(persona).post(
        URL, {"code": "FBO1", "name": "Faith care", "type": "faith_based", "location": "D12"}, format="json"
    )

    assert response.status_code == 403
    assert Organisation.objects.filter(code="FBO1").exists() is False


def test_validation_errors_name_the_fields_and_write_nothing(client_for: Client, country: Country) -> None:
    response = client_for("national").post(
        URL,
        {"code": "MSW", "name": "Copy", "type": "club", "location": "D99", "parent": "NOPE"},
        format="json",
    )

    assert response.status_code == 400
    assert sorted(response.json()) == ["code", "location", "parent", "type"]
    assert response.json()["location"] == ['No location with code "D99".']
    assert response.json()["parent"] == ['No organisation with code "NOPE".']
    assert Organisation.objects.count() == 2


def test_patch_is_audited(client_for: Client, district_office: Organisation, personas: Personas) -> None:
    response = client_for("national").patch(f"{URL}DSW11/", {"name": "Alpha office"}, format="json")

    assert response.status_code == 200, response.content
    latest = Organisation.objects.get(code="DSW11").history.latest()
    assert (latest.name, latest.history_user) == ("Alpha office", personas.national)


def test_an_organisation_cannot_become_part_of_itself(
    client_for: Client, district_office: Organisation
) -> None:
    response = client_for("national").patch(f"{URL}MSW/", {"parent": "DSW11"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"parent": ["An organisation cannot be part of itself."]}
    assert Organisation.objects.get(code="MSW").parent is None


@pytest.mark.parametrize("persona", ["subnational", "focal_point", "analyst"])
def test_other_roles_may_not_change(client_for: Client, district_office: Organisation, persona: str) -> None:
    response = client_for(persona).patch(f"{URL}MSW/", {"name": "Renamed"}, format="json")

    assert response.status_code == 403
    assert Organisation.objects.get(code="MSW").name == "Ministry of Social Welfare"
