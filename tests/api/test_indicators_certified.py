"""``/api/v1/indicators/`` with the certified share and the split by ``certified``: the same document as
the selector for a data manager, small cells withheld for an analyst (worked out by hand).

In ``staffing``, Amina (D11, female) completed a certifying programme on 1 June 2024; Joseph (D21, male)
completed it on 1 January 2025, the day after the reference date. Six more social workers of the ministry
in D12, women, completed it in 2023."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from sswis.indicators.selectors import indicators_as_json, indicators_compute
from tests.api.conftest import Staffing
from tests.conftest import Country
from tests.factories import AssignmentFactory, WorkerFactory
from tests.training.factories_indicators import CertifyingProgrammeFactory, completed

URL = "/api/v1/indicators/"
Client = Callable[[str | None], APIClient]


@pytest.fixture
def certified(staffing: Staffing, country: Country) -> None:
    programme = CertifyingProgrammeFactory.create(code="CERT")
    completed(staffing.north_worker, programme, "2024-06-01")
    completed(staffing.south_worker, programme, "2025-01-01")
    for number in range(6):
        worker = WorkerFactory.create(worker_id=f"W10000{number}", sex="female")
        AssignmentFactory.create(
            worker=worker,
            organisation=country.ministry,
            location=country.district_12,
            cadre=country.social_worker,
        )
        completed(worker, programme, "2023-09-15")


def rows_of(document: dict[str, Any], indicator: str, location: str) -> dict[str, Any]:
    return {
        ",".join(row["group"].values()): (row["numerator"], row["denominator"], row["withheld"])
        for row in document["rows"]
        if row["indicator"] == indicator and row["location"] == location
    }


def test_a_data_manager_gets_the_selectors_document(client_for: Client, certified: None) -> None:
    response = client_for("national").get(f"{URL}?year=2024&by=certified&by=sex")

    assert response.status_code == 200, response.content
    assert response.json() == indicators_as_json(
        year=2024, rows=indicators_compute(year=2024, by=["certified", "sex"])
    )
    document = response.json()
    assert rows_of(document, "workforce.certified_share", "KD") == {
        "": (7, 8, False),
        "certified,female": (7, 8, False),
    }
    assert rows_of(document, "workforce.count", "KD") == {
        "": (8, None, False),
        "certified,female": (7, None, False),
        "not_certified,male": (1, None, False),
    }


def test_an_analyst_gets_no_small_cell(client_for: Client, certified: None) -> None:
    document = client_for("analyst").get(f"{URL}?year=2024&by=certified").json()

    # The country: 7 certified, 1 not: the 1 and, as its complement, the 7 are withheld; the share's own
    # row too (1 not certified), and its one group row with it.
    assert rows_of(document, "workforce.count", "KD") == {
        "": (8, None, False),
        "certified": (None, None, True),
        "not_certified": (None, None, True),
    }
    assert rows_of(document, "workforce.certified_share", "KD") == {
        "": (None, None, True),
        "certified": (None, None, True),
    }
    # D12: 6 certified, nobody not certified: shown.
    assert rows_of(document, "workforce.certified_share", "D12") == {
        "": (6, 6, False),
        "certified": (6, 6, False),
    }
    assert rows_of(document, "workforce.count", "D12") == {
        "": (6, None, False),
        "certified": (6, None, False),
    }
    # D11: Amina alone, certified.
    assert rows_of(document, "workforce.certified_share", "D11") == {
        "": (None, None, True),
        "certified": (None, None, True),
    }


def test_any_year(client_for: Client, certified: None) -> None:
    document = client_for("national").get(f"{URL}?years=2023-2025&location=KD&depth=0").json()

    shares = {
        row["year"]: (row["numerator"], row["denominator"])
        for row in document["rows"]
        if row["indicator"] == "workforce.certified_share"
    }
    # 2023: the six of D12 (Amina completed in 2024; Joseph in 2025); 2025: everyone.
    assert shares == {2023: (6, 8), 2024: (7, 8), 2025: (8, 8)}
