"""The Primero API: the sync history (national data managers and system administrators) and the case
hand-over directory in the shape of Primero's ``GET /api/v2/users/transfer-to`` (the roles that see people,
the workers they see), with their refusals and query counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from sswis.primero.models import PrimeroSync
from tests.api.conftest import Staffing, results
from tests.conftest import Country, Personas

TRANSFER_TO = "/api/v1/support/primero/transfer-to/"
SYNCS = "/api/v1/support/primero/syncs/"
Clients = Callable[[str | None], APIClient]


@pytest.fixture
def named(staffing: Staffing) -> Staffing:
    """W000001 (Amina Banda, SW, MSW, D11) is ``amina.banda`` in Primero, W000002 (Joseph Phiri, PSW,
    NGO1, D21) ``joseph.phiri``."""
    staffing.north_worker.primero_user_name = "amina.banda"
    staffing.north_worker.save()
    staffing.south_worker.primero_user_name = "joseph.phiri"
    staffing.south_worker.save()
    return staffing


def test_transfer_to_answers_in_primeros_shape(client_for: Clients, named: Staffing) -> None:
    response = client_for("national").get(TRANSFER_TO, {"location": "D11", "record_type": "case"})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "data": [
            {
                "id": str(named.north_worker.uuid),
                "user_name": "amina.banda",
                "full_name": "Amina Banda",
                "code": "W000001",
                "position": "Social worker",
                "location": "D11",
                "agency": "MSW",
                "disabled": False,
                "services": [],
                "cadre": "SW",
                "agency_name": "Ministry of Social Welfare",
                "location_name": "Alpha",
            }
        ]
    }


def test_transfer_to_is_scoped_and_filtered(client_for: Clients, named: Staffing) -> None:
    def user_names(persona: str, **query: str) -> list[str]:
        response = client_for(persona).get(TRANSFER_TO, query)
        assert response.status_code == 200, response.content
        return [user["user_name"] for user in response.json()["data"]]

    assert user_names("national") == ["amina.banda", "joseph.phiri"]  # the country
    assert user_names("national", agency="NGO1") == ["joseph.phiri"]
    assert user_names("national", cadre="SW") == ["amina.banda"]
    assert user_names("subnational") == ["amina.banda"]  # their region by default
    assert user_names("subnational", location="KD") == ["amina.banda"]
    assert user_names("subnational", location="D21") == []
    assert user_names("focal_point") == ["joseph.phiri"]


def test_transfer_to_refuses_bad_input_and_roles_without_people(client_for: Clients, named: Staffing) -> None:
    national = client_for("national")
    response = national.get(TRANSFER_TO, {"location": "NOWHERE"})
    assert (response.status_code, response.json()) == (
        400,
        {"location": ["No location in your area has the code NOWHERE."]},
    )
    response = national.get(TRANSFER_TO, {"agency": "NOPE"})
    assert (response.status_code, response.json()) == (400, {"agency": ["No agency has the code NOPE."]})
    response = national.get(TRANSFER_TO, {"record_type": "incident"})
    assert (response.status_code, list(response.json())) == (400, ["record_type"])
    for persona, status in (("analyst", 403), ("administrator", 403), ("outsider", 403), (None, 401)):
        response = client_for(persona).get(TRANSFER_TO)
        assert response.status_code == status, persona
        assert "amina" not in response.content.decode()


@pytest.mark.parametrize("workers", [1, 3])
def test_transfer_to_queries_do_not_grow_with_the_workers(
    client_for: Clients, country: Country, personas: Personas, django_assert_num_queries: Any, workers: int
) -> None:
    from tests.factories import AssignmentFactory, WorkerFactory

    for number in range(workers):
        worker = WorkerFactory(worker_id=f"Q{number}", primero_user_name=f"q{number}")
        AssignmentFactory(worker=worker, organisation=country.ministry, location=country.district_11)
    client = client_for("national")
    with django_assert_num_queries(3):  # the user's scope, the location, the directory
        data = client.get(TRANSFER_TO, {"location": "D11"}).json()["data"]
    assert len(data) == workers


def _sync(month: int, **fields: Any) -> PrimeroSync:
    values = {"origin": "command", "url": "https://primero.example", "month": datetime.date(2025, month, 1)}
    return PrimeroSync.objects.create(**(values | fields))


def test_the_sync_history(client_for: Clients, personas: Personas) -> None:
    _sync(1, status="failed", error="Primero at https://primero.example could not be reached: refused.")
    _sync(
        2,
        status="finished",
        user=personas.national,
        origin="page",
        open_cases=11,
        pages=1,
        matched=3,
        created=3,
        unmatched=[{"user_name": "ghost", "open_cases": 4}],
        dry_run=True,
    )
    rows = results(client_for("administrator").get(SYNCS))
    assert [(r["month"], r["status"], r["user"], r["origin"], r["dry_run"]) for r in rows] == [
        ("2025-02", "finished", "national", "page", True),
        ("2025-01", "failed", None, "command", False),
    ]
    assert (rows[0]["open_cases"], rows[0]["matched"], rows[0]["created"], rows[0]["unmatched"]) == (
        11,
        3,
        3,
        [{"user_name": "ghost", "open_cases": 4}],
    )
    assert rows[1]["error"] == "Primero at https://primero.example could not be reached: refused."
    assert len(results(client_for("national").get(SYNCS))) == 2
    for persona, status in (
        ("subnational", 403),
        ("focal_point", 403),
        ("analyst", 403),
        ("outsider", 403),
        (None, 401),
    ):
        response = client_for(persona).get(SYNCS)
        assert response.status_code == status, persona
        assert "ghost" not in response.content.decode()


@pytest.mark.parametrize("syncs", [1, 3])
def test_the_sync_history_queries_do_not_grow(
    client_for: Clients, personas: Personas, django_assert_num_queries: Any, syncs: int
) -> None:
    for month in range(1, syncs + 1):
        _sync(month, user=personas.national)
    client = client_for("national")
    with django_assert_num_queries(3):  # the user's scope, the count, the page (with its users)
        assert len(results(client.get(SYNCS))) == syncs
