"""``counted_year`` on the workers API and its export: the same workers as ``workforce.count``."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from rest_framework.test import APIClient

from sswis.indicators.selectors import indicators_compute
from tests.conftest import Country
from tests.factories import WorkerFactory
from tests.indicators.conftest import assign, counts


def make_placed(country: Country) -> None:
    """W-MOVED: CP in D11 since 2020 and in D21 since 2024 (counted in D21); W-NOTCP: D11, not child
    protection; W-ENDED: CP in D12 until 2023-12-31."""
    moved = WorkerFactory(worker_id="W-MOVED", family_name="A")
    assign(country, worker=moved, location=country.district_11, start="2020-01-01")
    assign(country, worker=moved, location=country.district_21, start="2024-03-01")
    assign(country, worker=WorkerFactory(worker_id="W-NOTCP", family_name="B"), child_protection=False)
    ended = WorkerFactory(worker_id="W-ENDED", family_name="C")
    assign(country, worker=ended, location=country.district_12, start="2019-01-01", end="2023-12-31")


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["worker_id"] for row in response.json()["results"]]


def test_api_counted_year_equals_the_indicator(
    client_for: Callable[[str | None], APIClient], country: Country
) -> None:
    make_placed(country)
    client = client_for("national")
    expected = counts(indicators_compute(year=2024))
    assert expected == {"KD": 1, "R1": 0, "D11": 0, "D12": 0, "R2": 1, "D21": 1}
    for code, count in expected.items():
        response = client.get("/api/v1/workers/", {"counted_year": 2024, "location": code})
        assert response.json()["count"] == count, code
    assert ids(client.get("/api/v1/workers/", {"counted_year": 2024, "location": "D21"})) == ["W-MOVED"]
    assert ids(client.get("/api/v1/workers/", {"active_year": 2024, "location": "D11"})) == [
        "W-MOVED",
        "W-NOTCP",
    ]
    assert ids(client.get("/api/v1/workers/", {"counted_year": 2023})) == ["W-MOVED", "W-ENDED"]


def test_api_export_keeps_the_counted_filter(
    client_for: Callable[[str | None], APIClient], country: Country
) -> None:
    make_placed(country)
    response = client_for("national").get(
        "/api/v1/workers/export/", {"format": "csv", "counted_year": 2024, "location": "KD"}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["Worker ID"] for row in rows] == ["W-MOVED"]


def test_api_counted_year_out_of_range_is_a_bad_request(
    client_for: Callable[[str | None], APIClient], country: Country
) -> None:
    response = client_for("national").get("/api/v1/workers/", {"counted_year": -8070})
    assert response.status_code == 400
    assert list(response.json()) == ["counted_year"]


def test_api_counted_year_refuses_roles_without_people(
    client_for: Callable[[str | None], APIClient], country: Country
) -> None:
    make_placed(country)
    assert client_for("analyst").get("/api/v1/workers/", {"counted_year": 2024}).status_code == 403
    assert client_for("outsider").get("/api/v1/workers/", {"counted_year": 2024}).status_code == 403
