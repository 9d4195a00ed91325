"""``/api/v1/population/``: child population by location and year, written through ``population_estimate_set``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from sswis.geo.models import PopulationEstimate
from tests.api.conftest import results, timestamp
from tests.conftest import Country, Personas
from tests.factories import PopulationEstimateFactory

URL = "/api/v1/population/"
Client = Callable[[str | None], APIClient]


@pytest.fixture
def estimates(country: Country) -> list[PopulationEstimate]:
    return [
        PopulationEstimateFactory(location=country.district_11, year=2023, children=40000),
        PopulationEstimateFactory(location=country.district_11, year=2024, children=41000, total=90000),
        PopulationEstimateFactory(location=country.district_21, year=2024, children=30000),
    ]


def test_national_reads_an_estimate_with_every_field(
    client_for: Client, estimates: list[PopulationEstimate]
) -> None:
    estimate = estimates[1]

    response = client_for("national").get(f"{URL}{estimate.uuid}/")

    assert response.status_code == 200
    assert response.json() == {
        "uuid": str(estimate.uuid),
        "location": "D11",
        "year": 2024,
        "children": 41000,
        "total": 90000,
        "updated_at": timestamp(estimate.updated_at),
    }


@pytest.mark.parametrize("persona", ["national", "subnational", "focal_point", "analyst", "administrator"])
def test_every_role_reads(client_for: Client, estimates: list[PopulationEstimate], persona: str) -> None:
    assert len(results(client_for(persona).get(URL))) == 3


def test_outsider_and_anonymous_are_refused(client_for: Client, estimates: list[PopulationEstimate]) -> None:
    assert client_for("outsider").get(URL).status_code == 403
    assert client_for("outsider").get(f"{URL}{estimates[0].uuid}/").status_code == 403
    assert client_for(None).get(URL).status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("location=D11", [("D11", 2023), ("D11", 2024)]),
        ("year=2024", [("D11", 2024), ("D21", 2024)]),
        ("within=R2", [("D21", 2024)]),
        ("location=D11&year=2023", [("D11", 2023)]),
    ],
)
def test_filters(
    client_for: Client, estimates: list[PopulationEstimate], query: str, expected: list[tuple[str, int]]
) -> None:
    rows = results(client_for("analyst").get(f"{URL}?{query}"))

    assert sorted((row["location"], row["year"]) for row in rows) == expected


@pytest.mark.parametrize("persona", ["national", "administrator"])
def test_post_records_a_new_estimate(
    client_for: Client, country: Country, personas: Personas, persona: str
) -> None:
    response = client_for(persona).post(
        URL, {"location": "D12", "year": 2024, "children": 25000, "total": 60000}, format="json"
    )

    assert response.status_code == 201, response.content
    estimate = PopulationEstimate.objects.get(location=country.district_12, year=2024)
    assert response.json() == {
        "uuid": str(estimate.uuid),
        "location": "D12",
        "year": 2024,
        "children": 25000,
        "total": 60000,
        "updated_at": timestamp(estimate.updated_at),
    }
    assert estimate.history.get().history_user == getattr(personas, persona)


def test_post_replaces_the_figure_of_an_existing_year(
    client_for: Client, estimates: list[PopulationEstimate]
) -> None:
    response = client_for("national").post(
        URL, {"location": "D11", "year": 2024, "children": 42000}, format="json"
    )

    assert response.status_code == 201, response.content
    replaced = PopulationEstimate.objects.get(pk=estimates[1].pk)
    assert (response.json()["uuid"], replaced.children, replaced.total) == (str(replaced.uuid), 42000, None)
    assert PopulationEstimate.objects.count() == 3


def test_total_below_children_is_refused_and_nothing_written(client_for: Client, country: Country) -> None:
    response = client_for("national").post(
        URL, {"location": "D12", "year": 2024, "children": 25000, "total": 100}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert PopulationEstimate.objects.count() == 0


def test_unknown_location_code_is_named(client_for: Client, country: Country) -> None:
    response = client_for("national").post(
        URL, {"location": "ZZ", "year": 2024, "children": 1}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"location": ['No location with code "ZZ".']}


def test_patch_changes_the_figure_and_is_audited(
    client_for: Client, estimates: list[PopulationEstimate], personas: Personas
) -> None:
    estimate = estimates[1]

    response = client_for("administrator").patch(
        f"{URL}{estimate.uuid}/", {"children": 41500, "location": "D21", "year": 1999}, format="json"
    )

    assert response.status_code == 200, response.content
    estimate.refresh_from_db()
    # Location and year identify an estimate: they are read-only on update.
    assert (estimate.location.code, estimate.year, estimate.children, estimate.total) == (
        "D11",
        2024,
        41500,
        90000,
    )
    assert estimate.history.latest().history_user == personas.administrator


@pytest.mark.parametrize("persona", ["subnational", "focal_point", "analyst", "outsider"])
def test_other_roles_may_not_write(
    client_for: Client, estimates: list[PopulationEstimate], persona: str
) -> None:
    client = client_for(persona)

    assert (
        client.post(URL, {"location": "D12", "year": 2024, "children": 1}, format="json").status_code == 403
    )
    assert client.patch(f"{URL}{estimates[0].uuid}/", {"children": 1}, format="json").status_code == 403
    assert sorted(PopulationEstimate.objects.values_list("children", flat=True)) == [30000, 40000, 41000]
