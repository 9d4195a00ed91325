"""``/api/v1/workers/merges/``: merging, listing, reading and undoing merges, for each persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.registry.merging import worker_merge
from sswis.registry.models import Worker
from sswis.registry.models_merging import WorkerMerge
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/workers/merges/"


def client_of(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def _worker(country: Country, worker_id: str, location: Any) -> Worker:
    worker = WorkerFactory(worker_id=worker_id)
    AssignmentFactory(worker=worker, organisation=country.ministry, location=location)
    return worker


def test_merge_list_detail_and_unmerge(country: Country, personas: Personas) -> None:
    first = _worker(country, "W-FIRST", country.district_11)
    _worker(country, "W-SECOND", country.district_12)
    client = client_of(personas.subnational)
    created = client.post(
        BASE, {"surviving": "W-FIRST", "merged": "W-SECOND", "reason": "Same ID"}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    moved = Worker.objects.get(worker_id="W-FIRST").assignments.order_by("start_date", "id").last()
    assert (body["surviving"], body["merged"], body["merged_by"], body["moved"]) == (
        "W-FIRST",
        "W-SECOND",
        "north",
        {"registry.assignment.worker": [moved.pk]},  # type: ignore[union-attr]
    )
    assert [row["id"] for row in client.get(BASE).json()["results"]] == [body["id"]]
    assert client.get(f"{BASE}{body['id']}/").json()["reason"] == "Same ID"
    # The merged record is no live worker; its ID finds the survivor.
    assert client.get("/api/v1/workers/W-SECOND/").status_code == 404
    found = client.get("/api/v1/workers/", {"search": "W-SECOND"}).json()["results"]
    assert [row["worker_id"] for row in found] == ["W-FIRST"]
    undone = client.post(f"{BASE}{body['id']}/unmerge/", {"reason": "Twins"}, format="json")
    assert undone.status_code == 200 and undone.json()["unmerge_reason"] == "Twins"
    again = client.post(f"{BASE}{body['id']}/unmerge/", {"reason": "Twins"}, format="json")
    assert again.status_code == 400 and "already undone" in str(again.json())
    assert first.assignments.count() == 1


def test_refusals(country: Country, personas: Personas) -> None:
    _worker(country, "W-FIRST", country.district_11)
    _worker(country, "W-SOUTH", country.district_21)
    officer = client_of(personas.subnational)
    outside = officer.post(BASE, {"surviving": "W-FIRST", "merged": "W-SOUTH", "reason": "x"}, format="json")
    assert outside.status_code == 400 and "merged" in outside.json()
    same = client_of(personas.national).post(
        BASE, {"surviving": "W-FIRST", "merged": "W-FIRST", "reason": "x"}, format="json"
    )
    assert same.status_code == 400 and "themself" in str(same.json())
    blank = client_of(personas.national).post(
        BASE, {"surviving": "W-FIRST", "merged": "W-SOUTH", "reason": "a\x00b"}, format="json"
    )
    assert blank.status_code == 400 and "reason" in blank.json()
    for persona in ("focal_point", "analyst", "administrator", "outsider"):
        client = client_of(getattr(personas, persona))
        assert client.get(BASE).status_code == 403, persona
        refused = client.post(
            BASE, {"surviving": "W-FIRST", "merged": "W-SOUTH", "reason": "x"}, format="json"
        )
        assert refused.status_code == 403, persona
    assert APIClient().get(BASE).status_code == 401
    assert WorkerMerge.objects.count() == 0


def _queries(client: APIClient) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BASE).status_code == 200
    return len(queries)


def test_the_list_reads_a_fixed_number_of_queries(country: Country, personas: Personas) -> None:
    client = client_of(personas.national)

    def merge_one(number: int) -> None:
        worker_merge(
            actor=personas.national,
            surviving=_worker(country, f"W-S{number}", country.district_11),
            merged=_worker(country, f"W-M{number}", country.district_12),
            reason="x",
        )

    merge_one(0)
    _queries(client)
    one = _queries(client)
    merge_one(1)
    merge_one(2)
    assert _queries(client) == one
