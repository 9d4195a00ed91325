"""``/api/v1/indicators/`` with the support indicators (contract ``support.md``): the selector's document
for a data manager, small cells withheld for an analyst, outsiders refused; the definitions list them.
The world is ``tests/indicators/support_world.py`` (its tables give every figure used here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from sswis.indicators.selectors import indicators_as_json, indicators_compute
from tests.conftest import Country
from tests.indicators.support_world import SupportWorld, support_world_build

URL = "/api/v1/indicators/"
Client = Callable[[str | None], APIClient]
SUPPORT = (
    "support.supervised_share",
    "support.supervisors_over_norm",
    "support.sessions_per_supervisee",
    "support.caseload_mean",
    "support.caseload_over_norm_share",
)


@pytest.fixture
def world(country: Country) -> SupportWorld:
    return support_world_build(country)


def support_rows(document: dict[str, Any], location: str) -> dict[str, tuple[Any, ...]]:
    return {
        row["indicator"]: (row["numerator"], row["denominator"], row["value"], row["withheld"])
        for row in document["rows"]
        if row["indicator"] in SUPPORT and row["location"] == location and row["group"] == {}
    }


def test_a_data_manager_gets_the_selectors_document(client_for: Client, world: SupportWorld) -> None:
    response = client_for("national").get(f"{URL}?year=2024&by=sex")

    assert response.status_code == 200, response.content
    assert response.json() == indicators_as_json(year=2024, rows=indicators_compute(year=2024, by=["sex"]))
    assert support_rows(response.json(), "D11") == {
        "support.supervised_share": (3, 4, 0.75, False),
        "support.supervisors_over_norm": (0, 1, 0.0, False),
        "support.sessions_per_supervisee": (4, 3, 4 / 3, False),
        "support.caseload_mean": (38, 3, 38 / 3, False),
        "support.caseload_over_norm_share": (2, 3, 2 / 3, False),
    }


def test_an_analyst_gets_no_small_cell(client_for: Client, world: SupportWorld, settings: Any) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 2
    document = client_for("analyst").get(f"{URL}?year=2024").json()

    # D11: 1 worker not supervised, 1 supervisor (within the norm), 1 caseload not over the norm:
    # withheld; 3 supervisees and 3 caseloads: the means are shown.
    assert support_rows(document, "D11") == {
        "support.supervised_share": (None, None, None, True),
        "support.supervisors_over_norm": (None, None, None, True),
        "support.sessions_per_supervisee": (4, 3, 4 / 3, False),
        "support.caseload_mean": (38, 3, 38 / 3, False),
        "support.caseload_over_norm_share": (None, None, None, True),
    }
    assert support_rows(document, "KD") == {
        "support.supervised_share": (4, 9, 4 / 9, False),
        "support.supervisors_over_norm": (2, 5, 2 / 5, False),
        "support.sessions_per_supervisee": (6, 4, 1.5, False),
        "support.caseload_mean": (60, 6, 10.0, False),
        "support.caseload_over_norm_share": (3, 5, 3 / 5, False),
    }


def test_an_outsider_is_refused(client_for: Client, world: SupportWorld) -> None:
    assert client_for("outsider").get(f"{URL}?year=2024").status_code == 403
    assert client_for(None).get(f"{URL}?year=2024").status_code == 401


def test_the_definitions_list_the_support_indicators(client_for: Client, country: Country) -> None:
    body = client_for("analyst").get(f"{URL}definitions/").json()

    definitions = {item["id"]: item for item in body["indicators"]}
    assert [item["id"] for item in body["indicators"]][-6:-1] == list(SUPPORT)  # turnover last
    assert definitions["support.supervised_share"]["attribute"] == "supervised"
    assert definitions["support.supervised_share"]["dimensions"] == [d["id"] for d in body["dimensions"]]
    assert [definitions[i]["dimensions"] for i in SUPPORT[1:]] == [[], [], [], []]
