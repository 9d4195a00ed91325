"""Registrations through the API: an application and every step to a licence, the same refusals as the
pages (400 naming the field, nothing written), a registrar kept to their body, identity fields only."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.regulation.models import Registration
from sswis.regulation.services import register_set, regulatory_body_set
from tests.factories import UserFactory
from tests.regulation.test_registration import council  # noqa: F401 (the fixture)


def _client(role: Role, name: str, **scope: Any) -> APIClient:
    user = UserFactory(username=name)
    user_scope_grant(actor=None, user=user, role=role, **scope)
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def registrar(council: dict[str, Any]) -> APIClient:  # noqa: F811
    return _client(Role.REGISTRAR, "api-registrar", regulatory_body=council["register"].body)


def test_an_application_taken_to_a_licence(council: dict[str, Any], registrar: APIClient) -> None:  # noqa: F811
    worker = council["worker"]
    created = registrar.post(
        "/api/v1/regulation/registrations/",
        {"register": "SW-REG", "worker_id": worker.worker_id, "applied_on": "2024-01-10"},
        format="json",
    )
    assert created.status_code == 201, created.content
    record = created.json()
    assert record["status"] == "applied" and record["steps"] == [
        "review",
        "approve",
        "refuse",
        "payment",
        "cpd",
        "evidence_accept",
        "evidence_reject",
    ]
    assert record["worker"]["national_id"] == worker.national_id
    assert "assignments" not in record["worker"] and "organisation" not in str(record)
    pk = record["id"]
    refused = registrar.post(
        f"/api/v1/regulation/registrations/{pk}/approve/",
        {"number": "SW-1", "registered_on": "2024-01-15"},
        format="json",
    )
    assert refused.status_code == 400 and "documents_checked" in refused.json()
    assert (
        registrar.post(
            f"/api/v1/regulation/registrations/{pk}/review/", {"documents_checked": True}, format="json"
        ).status_code
        == 200
    )
    bad = registrar.post(
        f"/api/v1/regulation/registrations/{pk}/approve/",
        {"number": "", "registered_on": "2024-13-01"},
        format="json",
    )
    assert bad.status_code == 400 and set(bad.json()) == {"number", "registered_on"}
    assert (
        registrar.post(
            f"/api/v1/regulation/registrations/{pk}/approve/",
            {"number": "SW-1", "registered_on": "2024-01-15"},
            format="json",
        ).status_code
        == 200
    )
    licensed = registrar.post(
        f"/api/v1/regulation/registrations/{pk}/licence/", {"valid_from": "2024-01-15"}, format="json"
    )
    assert licensed.status_code == 200
    assert licensed.json()["licences"] == [
        {"number": "", "valid_from": "2024-01-15", "valid_until": "2024-12-31"}
    ]
    listed = registrar.get("/api/v1/regulation/registrations/?status=registered&q=SW-1").json()
    assert [row["number"] for row in listed["results"]] == ["SW-1"]
    assert registrar.get("/api/v1/regulation/registrations/?status=nonsense").status_code == 400
    wrong = registrar.post(
        f"/api/v1/regulation/registrations/{pk}/restore/", {"on": "2024-02-01"}, format="json"
    )
    assert wrong.status_code == 400 and "status" in wrong.json()
    assert registrar.post(f"/api/v1/regulation/registrations/{pk}/fly/", {}, format="json").status_code == 404


def test_another_bodys_registrar_is_kept_out(council: dict[str, Any], registrar: APIClient) -> None:  # noqa: F811
    registrar.post(
        "/api/v1/regulation/registrations/",
        {"register": "SW-REG", "worker_id": council["worker"].worker_id, "applied_on": "2024-01-10"},
        format="json",
    )
    pk = Registration.objects.get().pk
    nurses = regulatory_body_set(actor=council["registrar"], code="NC", name="Nursing Council")
    register_set(actor=council["registrar"], body=nurses, code="NURSES", name="Nurses")
    foreign = _client(Role.REGISTRAR, "foreign", regulatory_body=nurses)
    assert foreign.get(f"/api/v1/regulation/registrations/{pk}/").status_code == 404
    assert (
        foreign.post(
            f"/api/v1/regulation/registrations/{pk}/review/", {"documents_checked": True}, format="json"
        ).status_code
        == 404
    )
    assert [r["code"] for r in foreign.get("/api/v1/regulation/registers/").json()] == ["NURSES"]
    applied = foreign.post(
        "/api/v1/regulation/registrations/",
        {"register": "SW-REG", "worker_id": council["worker"].worker_id, "applied_on": "2024-01-10"},
        format="json",
    )
    assert applied.status_code == 400 and "register" in applied.json()
    assert _client(Role.ANALYST, "analyst").get("/api/v1/regulation/registrations/").status_code == 403
