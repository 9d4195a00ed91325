"""The merge pages: the "merge with..." form, the merge history and a merge's page with its undo form, for
each persona; a merged record's page leads to the survivor; the lists' query counts do not grow."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sswis.registry.merging import worker_merge
from sswis.registry.models import Assignment, Worker
from sswis.registry.models_merging import WorkerMerge
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _worker(country: Country, worker_id: str, location: Any) -> Worker:
    worker = WorkerFactory(worker_id=worker_id, given_name="Mercy", family_name="Tembo")
    AssignmentFactory(worker=worker, organisation=country.ministry, location=location)
    return worker


@pytest.fixture
def records(country: Country) -> dict[str, Worker]:
    """Two records of one person in D11 (the officer's region R1), one in D12 (R1), one in D21 (R2)."""
    return {
        "first": _worker(country, "W-FIRST", country.district_11),
        "second": _worker(country, "W-SECOND", country.district_11),
        "beta": _worker(country, "W-BETA", country.district_12),
        "south": _worker(country, "W-SOUTH", country.district_21),
    }


def test_an_officer_merges_two_records_of_their_area_from_the_worker_page(
    records: dict[str, Worker], personas: Personas
) -> None:
    client = as_user(personas.subnational)
    page = client.get("/workers/W-FIRST/")
    assert "/workers/W-FIRST/merge/" in page.content.decode()
    response = client.post(
        "/workers/W-FIRST/merge/", {"other": "W-SECOND", "survives": "this", "reason": "Same national ID"}
    )
    merge = WorkerMerge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/workers/merges/{merge.uuid}/"
    assert (merge.surviving.worker_id, merge.merged.worker_id, merge.merged_by) == (
        "W-FIRST",
        "W-SECOND",
        personas.subnational,
    )
    detail = client.get(f"/workers/merges/{merge.uuid}/").content.decode()
    assert "Undo the merge" in detail and "W-SECOND" in detail
    # The merged record's page leads to the survivor; its ID finds the survivor in the list.
    redirected = client.get("/workers/W-SECOND/")
    assert (redirected.status_code, redirected["Location"]) == (302, "/workers/W-FIRST/")
    listed = client.get("/workers/", {"q": "W-SECOND"}).content.decode()
    assert 'href="/workers/W-FIRST/"' in listed and 'href="/workers/W-SECOND/"' not in listed
    # Undone from its page: both records live again.
    undone = client.post(f"/workers/merges/{merge.uuid}/unmerge/", {"reason": "Twins"})
    assert undone.status_code == 302
    assert Assignment.objects.filter(worker__worker_id="W-SECOND").count() == 1
    assert client.get("/workers/W-SECOND/").status_code == 200


def test_an_officer_cannot_merge_a_record_outside_their_area(
    records: dict[str, Worker], personas: Personas
) -> None:
    client = as_user(personas.subnational)
    response = client.post(
        "/workers/W-FIRST/merge/", {"other": "W-SOUTH", "survives": "this", "reason": "Same person"}
    )
    assert response.status_code == 400
    assert "No worker with this ID in your scope." in response.content.decode()
    assert client.get("/workers/W-SOUTH/merge/").status_code == 404
    assert WorkerMerge.objects.count() == 0


def test_a_conflict_is_shown_on_the_form_and_nothing_is_written(
    records: dict[str, Worker], personas: Personas
) -> None:
    client = as_user(personas.national)
    response = client.post("/workers/W-FIRST/merge/", {"other": "W-FIRST", "survives": "this", "reason": "x"})
    assert response.status_code == 400
    assert "cannot be merged with themself" in response.content.decode()
    refused = client.post(
        "/workers/W-FIRST/merge/", {"other": "W-BETA", "survives": "this", "reason": "a\x07b"}
    )
    assert refused.status_code == 400 and "U+0007" in refused.content.decode()
    assert WorkerMerge.objects.count() == 0


@pytest.mark.parametrize("persona", ["focal_point", "analyst", "administrator", "outsider"])
def test_other_roles_are_refused(records: dict[str, Worker], personas: Personas, persona: str) -> None:
    merge = worker_merge(
        actor=personas.national, surviving=records["first"], merged=records["second"], reason="x"
    )
    client = as_user(getattr(personas, persona))
    for url in ("/workers/merges/", f"/workers/merges/{merge.uuid}/", "/workers/W-FIRST/merge/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/workers/merges/{merge.uuid}/unmerge/", {"reason": "x"}).status_code == 403
    assert WorkerMerge.objects.get().unmerged_at is None


def test_the_officer_sees_only_their_area_s_merges(
    records: dict[str, Worker], personas: Personas, country: Country
) -> None:
    north = worker_merge(
        actor=personas.national, surviving=records["first"], merged=records["second"], reason="x"
    )
    other = _worker(country, "W-SOUTH-2", country.district_21)
    south = worker_merge(actor=personas.national, surviving=records["south"], merged=other, reason="x")
    client = as_user(personas.subnational)
    page = client.get("/workers/merges/").content.decode()
    assert "W-SECOND" in page and "W-SOUTH-2" not in page
    assert client.get(f"/workers/merges/{south.uuid}/").status_code == 404
    assert client.post(f"/workers/merges/{south.uuid}/unmerge/", {"reason": "x"}).status_code == 404
    assert client.get(f"/workers/merges/{north.uuid}/").status_code == 200


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_merge_history_reads_a_fixed_number_of_queries(personas: Personas, country: Country) -> None:
    client = as_user(personas.national)

    def merge_one(number: int) -> None:
        surviving = _worker(country, f"W-S{number}", country.district_11)
        merged = _worker(country, f"W-M{number}", country.district_12)
        worker_merge(actor=personas.national, surviving=surviving, merged=merged, reason="x")

    merge_one(0)
    _queries(client, "/workers/merges/")  # warm-up
    one = _queries(client, "/workers/merges/")
    merge_one(1)
    merge_one(2)
    assert _queries(client, "/workers/merges/") == one
