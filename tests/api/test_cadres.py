"""``/api/v1/cadres/``: the country's job titles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from sswis.registry.models import Cadre
from tests.api.conftest import codes, timestamp
from tests.conftest import Country, Personas

URL = "/api/v1/cadres/"
Client = Callable[[str | None], APIClient]


def test_national_reads_a_cadre_with_every_field(client_for: Client, country: Country) -> None:
    response = client_for("national").get(f"{URL}SW/")

    assert response.status_code == 200
    assert response.json() == {
        "uuid": str(country.social_worker.uuid),
        "code": "SW",
        "name": "Social worker",
        "category": "professional",
        "isco08": "2635",
        "updated_at": timestamp(Cadre.objects.get(code="SW").updated_at),
    }


@pytest.mark.parametrize("persona", ["national", "subnational", "focal_point", "analyst", "administrator"])
def test_every_role_reads(client_for: Client, country: Country, persona: str) -> None:
    # Ordered by name.
    assert codes(client_for(persona).get(URL)) == ["CPV", "PSW", "SW"]


def test_outsider_and_anonymous_are_refused(client_for: Client, country: Country) -> None:
    assert client_for("outsider").get(URL).status_code == 403
    assert client_for("outsider").get(f"{URL}SW/").status_code == 403
    assert client_for(None).get(URL).status_code == 401


def test_filter_by_category(client_for: Client, country: Country) -> None:
    assert codes(client_for("analyst").get(f"{URL}?category=para_professional")) == ["PSW"]


def test_unknown_cadre_is_not_found(client_for: Client, country: Country) -> None:
    assert client_for("national").get(f"{URL}NOPE/").status_code == 404


@pytest.mark.parametrize("persona", ["national", "administrator"])
def test_reference_list_managers_create(
    client_for: Client, country: Country, personas: Personas, persona: str
) -> None:
    response = client_for(persona).post(
        URL,
        {"code": "PO", "name": "Probation officer", "category": "professional", "isco08": "3412"},
        format="json",
    )

    assert response.status_code == 201, response.content
    cadre = Cadre.objects.get(code="PO")
    assert response.json() == {
        "uuid": str(cadre.uuid),
        "code": "PO",
        "name": "Probation officer",
        "category": "professional",
        "isco08": "3412",
        "updated_at": timestamp(cadre.updated_at),
    }
    assert cadre.history.get().history_user == getattr(personas, persona)


@pytest.mark.parametrize("persona", ["subnational", "focal_point", "analyst", "outsider"])
def test_other_roles_may_not_create_or_change(client_for: Client, country: Country, persona: str) -> None:
    client = client_for(persona)

    assert (
        client.post(URL, {"code": "PO", "name": "P", "category": "professional"}, format="json").status_code
        == 403
    )
    assert client.patch(f"{URL}SW/", {"name": "Renamed"}, format="json").status_code == 403
    assert sorted(Cadre.objects.values_list("name", flat=True)) == [
        "Child protection volunteer",
        "Para-social worker",
        "Social worker",
    ]


def test_invalid_category_is_refused(client_for: Client, country: Country) -> None:
    response = client_for("national").post(
        URL, {"code": "PO", "name": "P", "category": "boss"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["category"]
    assert Cadre.objects.count() == 3


def test_patch_is_audited(client_for: Client, country: Country, personas: Personas) -> None:
    response = client_for("administrator").patch(f"{URL}CPV/", {"name": "Community volunteer"}, format="json")

    assert response.status_code == 200, response.content
    latest = Cadre.objects.get(code="CPV").history.latest()
    assert (latest.name, latest.history_user) == ("Community volunteer", personas.administrator)


def test_put_requires_every_field(client_for: Client, country: Country) -> None:
    incomplete = client_for("national").put(f"{URL}SW/", {"name": "Social worker II"}, format="json")
    complete = client_for("national").put(
        f"{URL}SW/", {"code": "SW", "name": "Social worker II", "category": "professional"}, format="json"
    )

    assert (incomplete.status_code, sorted(incomplete.json())) == (400, ["category", "code"])
    assert complete.status_code == 200
    assert Cadre.objects.get(code="SW").name == "Social worker II"
