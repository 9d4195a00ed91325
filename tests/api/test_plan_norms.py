"""GET /api/v1/plan/norms/: the norms' required staff and gaps, as `sswis plan norms` gives them."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from tests.factories import UserFactory
from tests.planning.world import D1_GAPS_2025, norms_world

URL = "/api/v1/plan/norms/"


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    return norms_world()


def client_as(role: Role | None) -> APIClient:
    client = APIClient()
    user = UserFactory(username=f"reader-{role or 'none'}")
    if role is not None:
        user_scope_grant(actor=None, user=user, role=role)
    client.force_authenticate(user=user)
    return client


def test_an_analyst_gets_the_gaps_of_a_location_exactly_as_the_command_line(world: dict[str, Any]) -> None:
    response = client_as(Role.ANALYST).get(URL, {"year": 2025, "location": "D1"})

    assert response.status_code == 200, response.content
    assert response.json() == D1_GAPS_2025


def test_every_location_and_unknown_population_as_null(world: dict[str, Any]) -> None:
    rows = client_as(Role.NATIONAL_DATA_MANAGER).get(URL, {"year": 2025}).json()["rows"]
    assert [(row["location"], row["group"]) for row in rows][:2] == [("K", {}), ("K", {"cadre": "SW"})]
    assert next(row for row in rows if row["location"] == "D2")["required"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [({}, "year"), ({"year": 1800}, "year"), ({"year": 2025, "location": "NOPE"}, "location")],
)
def test_bad_queries_are_refused_naming_the_parameter(
    world: dict[str, Any], query: dict[str, Any], field: str
) -> None:
    response = client_as(Role.ANALYST).get(URL, query)
    assert response.status_code == 400
    assert field in response.json()


def test_outsiders_and_anonymous_visitors_are_refused(world: dict[str, Any]) -> None:
    assert client_as(None).get(URL, {"year": 2025}).status_code == 403
    assert APIClient().get(URL, {"year": 2025}).status_code == 401
