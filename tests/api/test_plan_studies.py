"""Stored WISN studies, norms and urban/rural gaps through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.planning.models import Norm, WisnStudyRecord
from tests.api.test_plan_scenarios import client_as
from tests.planning.projection_world import projection_world
from tests.web.test_planning_pages import STUDY


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    return projection_world()


def test_a_planner_stores_a_study_and_anyone_reads_its_result(world: dict[str, Any]) -> None:
    officer = client_as(Role.SUBNATIONAL_OFFICER, location=world["d1"])
    response = officer.post(
        "/api/v1/plan/studies/", {"code": "d1", "name": "D1", "study": STUDY}, format="json"
    )
    assert response.status_code == 201, response.content
    document = client_as(Role.ANALYST).get("/api/v1/plan/studies/d1/").json()
    assert (document["cadre"], document["location"], document["year"]) == ("SW", "D1", 2024)
    assert document["result"]["required_staff"] == pytest.approx(2.3792, abs=1e-4)
    assert document["study"] == STUDY
    record = WisnStudyRecord.objects.get()
    assert record.history.get().history_user.username.startswith("planner-")
    elsewhere = {"code": "k", "name": "K", "study": {**STUDY, "location": "K"}}
    assert officer.post("/api/v1/plan/studies/", elsewhere, format="json").status_code == 403
    bad = {"code": "d1", "name": "D1", "study": {**STUDY, "year": "2024"}}
    response = officer.put("/api/v1/plan/studies/d1/", bad, format="json")
    assert (response.status_code, list(response.json())) == (400, ["year"])
    assert client_as(Role.ANALYST).delete("/api/v1/plan/studies/d1/").status_code == 403
    assert officer.delete("/api/v1/plan/studies/d1/").status_code == 204
    assert WisnStudyRecord.objects.count() == 0


def test_a_study_ranks_locations_from_a_table(world: dict[str, Any]) -> None:
    client_as(Role.NATIONAL_DATA_MANAGER).post(
        "/api/v1/plan/studies/", {"code": "d1", "name": "D1", "study": STUDY}, format="json"
    )
    table = SimpleUploadedFile("t.csv", b"location,existing_staff,Case assessment\nD1,1,1200\nK,10,600\n")
    response = client_as(Role.ANALYST).post(
        "/api/v1/plan/studies/d1/locations/", {"table": table}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert [row["location"] for row in response.json()["locations"]] == ["D1", "K"]
    bad = SimpleUploadedFile("t.csv", b"location,Case assessment\nD1,-1\n")
    response = client_as(Role.ANALYST).post(
        "/api/v1/plan/studies/d1/locations/", {"table": bad}, format="multipart"
    )
    assert (response.status_code, list(response.json())) == (400, ["row 2, column Case assessment"])


def test_norms_are_set_and_removed_by_planners(world: dict[str, Any]) -> None:
    manager = client_as(Role.NATIONAL_DATA_MANAGER)
    given = {
        "location": "K",
        "cadre": "SW",
        "target_per_100k": "12.5",
        "valid_from": 2024,
        "source": "Policy",
    }
    response = manager.post("/api/v1/plan/targets/", given, format="json")
    assert response.status_code == 201, response.content
    assert response.json() | {"id": 0} == {
        "id": 0, "location": "K", "group": "cadre", "category": "", "cadre": "SW", "target_per_100k": "12.500",
        "valid_from": 2024, "source": "Policy",
    }  # fmt: skip
    assert client_as(Role.ANALYST).post("/api/v1/plan/targets/", given, format="json").status_code == 403
    assert len(client_as(Role.ANALYST).get("/api/v1/plan/targets/").json()) == 1
    refused = manager.post("/api/v1/plan/targets/", {**given, "target_per_100k": "0"}, format="json")
    assert (refused.status_code, list(refused.json())) == (400, ["target_per_100k"])
    norm = Norm.objects.get()
    assert manager.delete(f"/api/v1/plan/targets/{norm.pk}/").status_code == 204
    assert Norm.objects.count() == 0


def test_settings_gaps_as_the_command_line_prints_them(world: dict[str, Any]) -> None:
    response = client_as(Role.ANALYST).get("/api/v1/plan/settings/", {"year": 2024})
    assert response.status_code == 200
    assert set(response.json()) == {"year", "rows", "disparity"}
    assert APIClient().get("/api/v1/plan/settings/", {"year": 2024}).status_code == 401


def test_costs_through_the_api(world: dict[str, Any]) -> None:
    manager = client_as(Role.NATIONAL_DATA_MANAGER)
    scale = {"cadre": "SW", "annual_salary": "1000.00", "valid_from": 2024}
    assert manager.post("/api/v1/plan/salary-scales/", scale, format="json").status_code == 201
    cost = {"cadre": "SW", "valid_from": 2024, "on_cost_rate": "0.5"}
    assert manager.post("/api/v1/plan/cadre-costs/", cost, format="json").status_code == 201
    rows = (
        client_as(Role.ANALYST)
        .get("/api/v1/plan/costs/", {"year": 2024, "location": "K", "depth": 0})
        .json()["rows"]
    )
    assert [(row["cadre"], row["salary_cost"], row["total_cost"]) for row in rows] == [
        ("PSW", 0.0, 0.0),
        ("SW", 5000.0, 7500.0),
    ]
    officer = client_as(Role.SUBNATIONAL_OFFICER, location=world["d1"])
    assert officer.post("/api/v1/plan/salary-scales/", scale, format="json").status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/plan/studies/",
        "/api/v1/plan/targets/",
        "/api/v1/plan/salary-scales/",
        "/api/v1/plan/cadre-costs/",
    ],
)
def test_lists_take_the_same_queries_for_one_and_three(world: dict[str, Any], url: str) -> None:
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sswis.planning.services import cadre_cost_set, norm_set, salary_scale_set, wisn_study_save

    client = client_as(Role.ANALYST)
    client.get(url)  # the reader's scope is read once, then cached on them
    counts = []
    for number in (1, 3):
        while len(client.get(url).json()) < number:
            index = len(client.get(url).json())
            wisn_study_save(actor=None, code=f"s{index}", name="S", data=STUDY)
            norm_set(
                actor=_manager(),
                location=world["country"],
                target_per_100k=Decimal(5 + index),
                valid_from=2020 + index,
                source="S",
            )
            salary_scale_set(
                actor=_manager(),
                cadre=world["sw"],
                grade=f"G{index}",
                annual_salary=Decimal(100),
                valid_from=2020,
            )
            cadre_cost_set(
                actor=_manager(), cadre=world["sw"], valid_from=2020 + index, on_cost_rate=Decimal("0.1")
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.json()) == number
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _manager() -> Any:
    from sswis.access.services import user_scope_grant
    from tests.factories import UserFactory

    user = UserFactory(username="lists-manager")
    user_scope_grant(actor=None, user=user, role=Role.NATIONAL_DATA_MANAGER)
    return user
