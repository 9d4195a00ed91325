"""Scenarios through the API: stored, projected (JSON, CSV, XLSX), compared; WISN computed."""

from __future__ import annotations

import copy
import csv
import io
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.planning.models import Scenario
from sswis.planning.services import scenario_save
from tests.factories import UserFactory
from tests.planning.projection_world import HAND_ROWS_K, HAND_SCENARIO, projection_world

URL = "/api/v1/plan/scenarios/"


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    return projection_world()


def client_as(role: Role | None, **scope: Any) -> APIClient:
    client = APIClient()
    user = UserFactory(username=f"planner-{role or 'none'}")
    if role is not None:
        user_scope_grant(actor=None, user=user, role=role, **scope)
    client.force_authenticate(user=user)
    return client


def test_a_national_data_manager_stores_a_scenario_and_anyone_projects_it(world: dict[str, Any]) -> None:
    response = client_as(Role.NATIONAL_DATA_MANAGER).post(URL, HAND_SCENARIO, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "hand"
    assert response.json()["location"] == "K"
    scenario = Scenario.objects.get()
    assert scenario.history.get().history_user.username == "planner-national_data_manager"

    analyst = client_as(Role.ANALYST)
    document = analyst.get(f"{URL}hand/projection/").json()
    assert document["scenario"] == "hand"
    keys = (
        "year",
        "cadre",
        "stock",
        "exits",
        "retirements",
        "entrants",
        "required",
        "gap",
        "per_100k",
        "cost",
    )
    got = [tuple(row[key] for key in keys) for row in document["rows"]]
    assert [row[:2] for row in got] == [row[:2] for row in HAND_ROWS_K]
    for row, expected in zip(got, HAND_ROWS_K, strict=True):
        assert row[2:] == pytest.approx(expected[2:])

    rows = analyst.get(f"{URL}hand/projection/", {"location": "K", "depth": 1}).json()["rows"]
    assert sorted({row["location"] for row in rows}) == ["D1", "D2", "K"]


def test_the_projection_as_csv_and_xlsx(world: dict[str, Any]) -> None:
    scenario_save(actor=None, data=HAND_SCENARIO)
    client = client_as(Role.ANALYST)
    response = client.get(f"{URL}hand/projection/", {"format": "csv"})
    assert response.status_code == 200
    assert response["content-type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == [
        "year", "cadre", "location", "stock", "exits", "retirements", "entrants", "required", "gap", "per_100k", "cost",
    ]  # fmt: skip
    assert table[2][:4] == ["2024", "SW", "K", "5.0"]
    assert len(table) == 1 + 8

    response = client.get(f"{URL}hand/projection/", {"format": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    sheet = workbook.active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[2][:4] == (2024, "SW", "K", 5)
    assert values[8][10] == pytest.approx(34238.082)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"horizon": 40}, "horizon"),
        ({"cadres": {"SW": {"attrition_rate": -0.2}}}, "cadres.SW.attrition_rate"),
        ({"cadres": {"NOPE": {}}}, "cadres.NOPE"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(
    world: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    response = client_as(Role.NATIONAL_DATA_MANAGER).post(URL, {**HAND_SCENARIO, **change}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Scenario.objects.count() == 0


def test_a_subnational_officer_plans_for_their_area_only(world: dict[str, Any]) -> None:
    officer = client_as(Role.SUBNATIONAL_OFFICER, location=world["d1"])
    assert officer.post(URL, HAND_SCENARIO, format="json").status_code == 403  # kept at the country
    response = officer.post(URL, {**HAND_SCENARIO, "location": "D1"}, format="json")
    assert response.status_code == 201, response.content
    changed = {**HAND_SCENARIO, "location": "D1", "name": "District plan"}
    assert officer.put(f"{URL}hand/", changed, format="json").status_code == 200
    assert officer.put(f"{URL}hand/", {**changed, "location": "D2"}, format="json").status_code == 403
    assert Scenario.objects.get().name == "District plan"
    assert client_as(Role.ANALYST).delete(f"{URL}hand/").status_code == 403
    assert officer.delete(f"{URL}hand/").status_code == 204
    assert Scenario.objects.count() == 0


def test_an_analyst_cannot_store_a_scenario(world: dict[str, Any]) -> None:
    assert client_as(Role.ANALYST).post(URL, HAND_SCENARIO, format="json").status_code == 403
    assert Scenario.objects.count() == 0


def test_scenarios_side_by_side_worked_by_hand(world: dict[str, Any]) -> None:
    scenario_save(actor=None, data=HAND_SCENARIO)
    still = copy.deepcopy(HAND_SCENARIO)
    still.update(code="still", name="No entrants")
    still["cadres"]["SW"].update(graduates=0, recruitment=0)
    scenario_save(actor=None, data=still)
    response = client_as(Role.ANALYST).get(f"{URL}compare/", {"scenarios": "hand,still"})
    assert response.status_code == 200, response.content
    outcomes = {(row["scenario"], row["cadre"]): row for row in response.json()["outcomes"]}
    assert list(outcomes) == [
        ("hand", "PSW"),
        ("hand", "SW"),
        ("hand", ""),
        ("still", "PSW"),
        ("still", "SW"),
        ("still", ""),
    ]
    sw = outcomes[("hand", "SW")]
    # Gaps -2, 3.15, 2.85, 12.58: closed in 2025, after 6,000 + 14,560.
    assert (sw["gap_closes"], sw["cost_to_close"]) == (2025, pytest.approx(20560))
    assert sw["total_cost"] == pytest.approx(6000 + 14560 + 15518.6 + 34238.082)
    assert sw["final_per_100k"] == pytest.approx(20.685 / 115762.5 * 100000)
    # Para-social workers stay 2 against 6 or more: never closed.
    assert (outcomes[("hand", "PSW")]["gap_closes"], outcomes[("hand", "PSW")]["cost_to_close"]) == (
        None,
        None,
    )
    # Together: 7, 12.5, 12.55, 22.685 against 13, 13.65, 14.3, 15.049125: closed in 2027.
    together = outcomes[("hand", "")]
    assert together["gap_closes"] == 2027
    assert together["final_required"] == pytest.approx(15.049125)
    assert outcomes[("still", "SW")]["gap_closes"] is None


@pytest.mark.parametrize("codes", ["hand", "hand,nope", "a,b,c,d,e"])
def test_comparing_needs_two_to_four_known_scenarios(world: dict[str, Any], codes: str) -> None:
    scenario_save(actor=None, data=HAND_SCENARIO)
    response = client_as(Role.ANALYST).get(f"{URL}compare/", {"scenarios": codes})
    assert response.status_code in (400, 404)


def test_listing_scenarios_takes_the_same_queries_for_one_and_three(world: dict[str, Any]) -> None:
    client = client_as(Role.ANALYST)
    client.get(URL)  # the reader's scope is read once, then cached on them
    counts = []
    for number in (1, 3):
        Scenario.objects.all().delete()
        for index in range(number):
            scenario_save(actor=None, data={**HAND_SCENARIO, "code": f"s{index}"})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert len(response.json()) == number
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_wisn_study_computed_as_the_contract_shows(world: dict[str, Any]) -> None:
    study = {
        "cadre": "SW",
        "location": "D1",
        "year": 2025,
        "working_time": {
            "working_days": 260, "public_holidays": 12, "annual_leave": 21, "sick_leave": 10, "other_leave": 5,
            "hours_per_day": 8,
        },
        "activities": [{"name": "Case assessment", "annual_workload": 1200, "unit_time_hours": 3}],
        "category_allowances": [{"name": "Supervision received", "hours_per_year": 104}],
        "individual_allowances": [{"name": "District coordination", "hours_per_year": 200, "staff": 1}],
        "existing_staff": 6,
    }  # fmt: skip
    response = client_as(Role.ANALYST).post("/api/v1/plan/wisn/", study, format="json")
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["available_working_time_hours"] == 1696.0
    assert result["required_staff"] == pytest.approx(2.3792, abs=1e-4)
    assert result["workload_pressure"] == pytest.approx(-152.18, abs=1e-2)
    bad = {**study, "category_allowances": [{"name": "All of it", "hours_per_year": 1696}]}
    response = client_as(Role.ANALYST).post("/api/v1/plan/wisn/", bad, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["category_allowances"]


def test_the_comparison_as_one_csv(world: dict[str, Any]) -> None:
    scenario_save(actor=None, data=HAND_SCENARIO)
    scenario_save(actor=None, data={**HAND_SCENARIO, "code": "again", "name": "Again"})
    response = client_as(Role.ANALYST).get(f"{URL}compare/", {"scenarios": "hand,again", "format": "csv"})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()  # type: ignore[attr-defined]
    assert lines[0].startswith("scenario,name,cadre,base_year,final_year,gap_closes,cost_to_close,total_cost")
    assert lines[2].startswith("hand,Worked by hand,SW,2024,2027,2025,20560.0,")
    assert len(lines) == 1 + 6
