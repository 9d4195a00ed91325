"""``GET /api/v1/support/retention/``: the retention page's figures as one document, small cells null for
the analyst, refused to outsiders and anonymous callers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tests.conftest import Country
from tests.support.retention_world import retention_world_build

URL = "/api/v1/support/retention/"


@pytest.fixture
def movements(country: Country) -> None:
    retention_world_build(country)


def test_the_document_for_a_data_manager(
    country: Country, movements: None, client_for: Callable[[str | None], APIClient]
) -> None:
    response = client_for("national").get(URL, {"year": 2024, "location": "KD"})

    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["location"], body["small_cell_minimum"]) == (2024, "KD", None)
    assert body["turnover"] == {
        "key": "KD",
        "name": "Kandara",
        "counted": 6,
        "active_first": 5,
        "active_last": 3,
        "separated": 3,
        "average": 4.0,
        "rate": 0.75,
        "withheld": False,
    }
    assert body["trend"][-1] == {"year": 2024, "rate": 0.75, "separated": 3, "average": 4.0}
    assert [(line["key"], line["separated"]) for line in body["by_exit_reason"]] == [
        ("resigned", 1),
        ("retired", 1),
        ("not_recorded", 1),
    ]
    assert [band["workers"] for band in body["tenure"]] == [1, 1, 2, 1, 1]
    assert body["cohorts"][-1]["year"] == 2024 and body["cohorts"][-1]["size"] == 1
    assert body["cohorts"][-1]["retention"][0] == {"after_years": 1, "still_active": None, "share": None}
    assert body["vacancy"]["whole"]["posts"] == 0
    assert [estimate["cadre"] for estimate in body["attrition"]] == ["CPV", "PSW", "SW"]


def test_the_analyst_gets_nulls_for_small_cells(
    country: Country, movements: None, client_for: Callable[[str | None], APIClient]
) -> None:
    body = client_for("analyst").get(URL, {"year": 2024, "location": "KD"}).json()

    assert body["small_cell_minimum"] == 5
    assert body["turnover"]["separated"] == 3
    assert {line["separated"] for line in body["by_organisation"]} == {None}
    assert all(line["withheld"] for line in body["by_exit_reason"])


def test_refusals_and_bad_input(
    country: Country, movements: None, client_for: Callable[[str | None], APIClient]
) -> None:
    assert client_for("outsider").get(URL).status_code == 403
    assert client_for(None).get(URL).status_code == 401
    bad = client_for("national").get(URL, {"year": "12", "location": "NOPE"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"year", "location"}
