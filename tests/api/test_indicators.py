"""``/api/v1/indicators/``: the contract's JSON from ``indicators_compute``; any role, outsiders refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from sswis.indicators.definitions import DIMENSIONS, INDICATORS
from sswis.indicators.selectors import indicators_as_json, indicators_compute
from tests.api.conftest import Staffing
from tests.conftest import Country
from tests.factories import PopulationEstimateFactory

URL = "/api/v1/indicators/"
Client = Callable[[str | None], APIClient]


@pytest.fixture
def population(country: Country) -> None:
    PopulationEstimateFactory(location=country.district_11, year=2024, children=40000)
    PopulationEstimateFactory(location=country.district_12, year=2024, children=10000)


def test_same_document_as_the_selector(
    client_for: Client, staffing: Staffing, population: None, country: Country
) -> None:
    response = client_for("national").get(f"{URL}?year=2024&by=cadre&by=sex&location=R1&depth=1")

    assert response.status_code == 200, response.content
    rows = indicators_compute(year=2024, by=["cadre", "sex"], location=country.region_1, depth=1)
    assert response.json() == indicators_as_json(year=2024, rows=rows)


def test_exact_numbers_of_a_small_case(client_for: Client, staffing: Staffing, population: None) -> None:
    document = client_for("analyst").get(f"{URL}?year=2024&location=R1").json()

    by_key = {(row["indicator"], row["location"]): row for row in document["rows"] if row["group"] == {}}
    assert document["year"] == 2024
    assert by_key[("workforce.count", "R1")] == {
        "indicator": "workforce.count",
        "location": "R1",
        "group": {},
        "numerator": 1,
        "denominator": None,
        "value": 1,
        "withheld": False,
    }
    assert by_key[("workforce.per_100k_children", "R1")] == {
        "indicator": "workforce.per_100k_children",
        "location": "R1",
        "group": {},
        "numerator": 1,
        "denominator": 50000,
        "value": 2.0,
        "withheld": False,
    }
    # P001 (funded, in D11) is filled by W000001 on 31 December 2024.
    assert by_key[("posts.vacancy_rate", "D11")]["value"] == 0.0
    assert sorted({location for _, location in by_key}) == ["D11", "D12", "R1"]


def test_by_cadre_rows(client_for: Client, staffing: Staffing) -> None:
    document = client_for("national").get(f"{URL}?year=2024&by=cadre&location=KD&depth=0").json()

    counts = {
        row["group"].get("cadre", ""): row["numerator"]
        for row in document["rows"]
        if row["indicator"] == "workforce.count"
    }
    assert counts == {"": 2, "SW": 1, "PSW": 1}


@pytest.mark.parametrize("persona", ["national", "subnational", "focal_point", "analyst", "administrator"])
def test_every_role_may_read_aggregates(client_for: Client, staffing: Staffing, persona: str) -> None:
    assert client_for(persona).get(f"{URL}?year=2024").status_code == 200
    assert client_for(persona).get(f"{URL}definitions/").status_code == 200


def test_outsider_and_anonymous_are_refused(client_for: Client, staffing: Staffing) -> None:
    assert client_for("outsider").get(f"{URL}?year=2024").status_code == 403
    assert client_for("outsider").get(f"{URL}definitions/").status_code == 403
    assert client_for(None).get(f"{URL}?year=2024").status_code == 401
    assert client_for(None).get(f"{URL}definitions/").status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "year"),
        ("year=soon", "year"),
        ("year=2024&by=colour", "by"),
        ("year=2024&location=ZZ", "location"),
        ("year=2024&location=KD&depth=-1", "depth"),
    ],
)
def test_bad_parameters_are_bad_requests(
    client_for: Client, country: Country, query: str, field: str
) -> None:
    response = client_for("analyst").get(f"{URL}?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_definitions_list_every_indicator_and_dimension(client_for: Client, country: Country) -> None:
    body = client_for("analyst").get(f"{URL}definitions/").json()

    assert [definition["id"] for definition in body["indicators"]] == list(INDICATORS)
    assert [dimension["id"] for dimension in body["dimensions"]] == list(DIMENSIONS)
    count = INDICATORS["workforce.count"]
    assert body["indicators"][0] == {
        "id": count.id,
        "title": count.title,
        "description": count.description,
        "numerator": count.numerator,
        "denominator": count.denominator,
        "unit": count.unit,
        "dimensions": list(count.dimensions),
        "reference_period": count.reference_period,
        "null_when": count.null_when,
        "attribute": "",
    }
    assert body["indicators"][4]["id"] == "workforce.licensed_share"
    assert body["indicators"][4]["attribute"] == "licensed"
    assert body["dimensions"][8]["personal"] is True
    assert (body["indicators"][5]["id"], body["indicators"][5]["attribute"]) == (
        "workforce.certified_share",
        "certified",
    )
    assert "VAC 3.1(d).1" in body["indicators"][5]["description"]
    assert (body["dimensions"][9]["id"], body["dimensions"][9]["personal"]) == ("certified", True)
    assert [group["code"] for group in body["dimensions"][9]["groups"]] == ["certified", "not_certified"]
    assert body["dimensions"][4]["groups"] == [
        {"code": "female", "label": "Female", "description": ""},
        {"code": "male", "label": "Male", "description": ""},
        {"code": "other", "label": "Other", "description": ""},
        {"code": "unknown", "label": "Unknown", "description": ""},
    ]
