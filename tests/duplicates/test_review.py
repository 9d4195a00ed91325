"""The review queue through the API: who sees which pairs, confirming (merge) and rejecting, refusals
that write nothing, the audit, and the queries of the list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.duplicates.models import CandidatePair, DuplicateRun, PairStatus, RunOrigin, RunStatus
from sswis.registry.merging import worker_merge
from sswis.registry.models import Worker
from tests.conftest import Country, Personas
from tests.duplicates.conftest import World, pair_of
from tests.factories import AssignmentFactory, WorkerFactory

pytestmark = pytest.mark.django_db
PAIRS = "/api/v1/duplicates/pairs/"


@pytest.fixture
def client_for(personas: Personas) -> Callable[[str | None], APIClient]:
    def make(persona: str | None) -> APIClient:
        client = APIClient()
        if persona is not None:
            client.force_authenticate(user=getattr(personas, persona))
        return client

    return make


def _in_region_1(worker: Worker) -> bool:
    return worker.assignments.filter(location__path__startswith=_region_path()).exists()


def _region_path() -> str:
    from sswis.geo.models import Location

    return Location.objects.get(code="R1").path


def test_the_national_data_manager_sees_every_open_pair_side_by_side(
    client_for: Callable[[str | None], APIClient], detected: DuplicateRun, world: World
) -> None:
    response = client_for("national").get(PAIRS, {"page_size": 100})
    assert response.status_code == 200
    assert response.json()["count"] == 34
    first = response.json()["results"][0]
    assert set(first) == {
        "id", "worker_ids", "probability", "match_weight", "reasons", "cluster", "workers", "status",
        "surviving", "reviewed_by", "reviewed_at", "review_reason",
    }  # fmt: skip
    mohamed = pair_of(detected, world.pairs["mohamed"])
    detail = client_for("national").get(f"{PAIRS}{mohamed.pk}/").json()
    assert detail["worker_ids"] == ["K01001", "K01002"]
    assert [side["given_name"] for side in detail["workers"]] == ["Mohamed", "Mohammed"]
    assert detail["status"] == "open"


def test_a_subnational_officer_sees_only_pairs_with_both_workers_in_their_area(
    client_for: Callable[[str | None], APIClient], detected: DuplicateRun, world: World
) -> None:
    expected = {
        pair.pk
        for pair in CandidatePair.objects.filter(run=detected).select_related("worker_a", "worker_b")
        if _in_region_1(pair.worker_a) and _in_region_1(pair.worker_b)
    }
    client = client_for("subnational")
    listed = {item["id"] for item in client.get(PAIRS, {"page_size": 100}).json()["results"]}
    assert listed == expected
    mohamed, swapped = pair_of(detected, world.pairs["mohamed"]), pair_of(detected, world.pairs["swapped"])
    assert mohamed.pk in listed and swapped.pk not in listed
    assert client.get(f"{PAIRS}{swapped.pk}/").status_code == 404
    refused = client.post(f"{PAIRS}{swapped.pk}/reject/", {"reason": "not the same"}, format="json")
    assert refused.status_code == 404
    assert CandidatePair.objects.get(pk=swapped.pk).status == PairStatus.OPEN


@pytest.mark.parametrize("persona", ["analyst", "focal_point", "administrator", "outsider", None])
def test_others_are_refused_everywhere(
    client_for: Callable[[str | None], APIClient], detected: DuplicateRun, world: World, persona: str | None
) -> None:
    client = client_for(persona)
    pair = pair_of(detected, world.pairs["mohamed"])
    expected = 401 if persona is None else 403
    for path in (PAIRS, f"{PAIRS}{pair.pk}/", "/api/v1/duplicates/runs/", "/api/v1/duplicates/model/"):
        assert client.get(path).status_code == expected, path
    assert client.post(f"{PAIRS}{pair.pk}/reject/", {"reason": "x"}, format="json").status_code == expected
    assert client.post("/api/v1/duplicates/runs/", {}, format="json").status_code == expected
    assert CandidatePair.objects.get(pk=pair.pk).status == PairStatus.OPEN


def test_confirming_merges_into_the_chosen_survivor_with_the_author(
    client_for: Callable[[str | None], APIClient], detected: DuplicateRun, world: World, personas: Personas
) -> None:
    kept, merged = world.pairs["mohamed"]
    pair = pair_of(detected, world.pairs["mohamed"])
    response = client_for("subnational").post(
        f"{PAIRS}{pair.pk}/confirm/", {"surviving": kept.worker_id, "reason": "Same ID card"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["surviving"], body["reviewed_by"], body["review_reason"]) == (
        "confirmed", "K01001", "north", "Same ID card",
    )  # fmt: skip
    merged.refresh_from_db()
    assert merged.merged_into_id == kept.pk
    assert list(kept.assignments.values_list("worker_id", flat=True)) == [kept.pk, kept.pk]
    record = CandidatePair.history.filter(id=pair.pk).order_by("-history_id").first()
    assert (record.status, record.history_user) == ("confirmed", personas.subnational)
    again = client_for("national").post(f"{PAIRS}{pair.pk}/reject/", {"reason": "no"}, format="json")
    assert again.status_code == 400
    assert again.json() == {"status": ["This pair has been reviewed already (Confirmed (merged))."]}


def test_a_refused_merge_leaves_the_pair_open(
    client_for: Callable[[str | None], APIClient], detected: DuplicateRun, world: World, personas: Personas
) -> None:
    kept, merged = world.pairs["nguyen"]
    worker_merge(actor=personas.national, surviving=kept, merged=merged, reason="merged by hand before")
    pair = pair_of(detected, world.pairs["nguyen"])
    response = client_for("national").post(
        f"{PAIRS}{pair.pk}/confirm/", {"surviving": kept.worker_id}, format="json"
    )
    assert response.status_code == 400
    pair.refresh_from_db()
    assert (pair.status, pair.reviewed_by, pair.surviving) == (PairStatus.OPEN, None, None)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"surviving": "K99999"},
            {"surviving": ["The surviving record must be one of the pair's two workers."]},
        ),
        ({"surviving": "K01007", "reason": "a\u0000b"}, "reason"),
        ({}, "surviving"),
    ],
)
def test_a_bad_confirmation_is_refused_and_writes_nothing(
    client_for: Callable[[str | None], APIClient],
    detected: DuplicateRun,
    world: World,
    body: Any,
    errors: Any,
) -> None:
    pair = pair_of(detected, world.pairs["birth"])
    response = client_for("national").post(f"{PAIRS}{pair.pk}/confirm/", body, format="json")
    assert response.status_code == 400
    if isinstance(errors, dict):
        assert response.json() == errors
    else:
        assert list(response.json()) == [errors]
    assert CandidatePair.objects.get(pk=pair.pk).status == PairStatus.OPEN
    assert Worker.objects.filter(merged_into__isnull=False).count() == 0


def test_rejecting_needs_a_reason_and_is_audited(
    client_for: Callable[[str | None], APIClient], detected: DuplicateRun, world: World, personas: Personas
) -> None:
    pair = pair_of(detected, world.pairs["birth"])
    client = client_for("national")
    assert client.post(f"{PAIRS}{pair.pk}/reject/", {"reason": ""}, format="json").status_code == 400
    assert client.post(f"{PAIRS}{pair.pk}/reject/", {"reason": "x\u0007"}, format="json").status_code == 400
    assert CandidatePair.objects.get(pk=pair.pk).status == PairStatus.OPEN
    response = client.post(f"{PAIRS}{pair.pk}/reject/", {"reason": "Two colleagues"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["review_reason"]) == ("rejected", "Two colleagues")
    record = CandidatePair.history.filter(id=pair.pk).order_by("-history_id").first()
    assert (record.status, record.history_user) == ("rejected", personas.national)
    listed = {item["id"] for item in client.get(PAIRS, {"page_size": 100}).json()["results"]}
    assert pair.pk not in listed and len(listed) == 33


def test_runs_are_started_in_the_background_by_the_national_data_manager(
    client_for: Callable[[str | None], APIClient], world: World, trained_model: Any
) -> None:
    response = client_for("national").post("/api/v1/duplicates/runs/", {"threshold": 0.95}, format="json")
    assert response.status_code == 202, response.content
    assert (response.json()["status"], response.json()["pairs_count"]) == ("success", 34)
    run = DuplicateRun.objects.get()
    assert (run.origin, run.threshold, run.status) == (RunOrigin.API, 0.95, RunStatus.SUCCESS)
    detail = client_for("subnational").get(f"/api/v1/duplicates/runs/{run.uuid}/")
    assert detail.status_code == 200
    assert client_for("subnational").post("/api/v1/duplicates/runs/", {}, format="json").status_code == 403
    bad = client_for("national").post("/api/v1/duplicates/runs/", {"threshold": 2}, format="json")
    assert bad.status_code == 400
    assert DuplicateRun.objects.count() == 1


def test_the_model_shows_the_match_weight_of_each_level(
    client_for: Callable[[str | None], APIClient], trained_model: Any
) -> None:
    body = client_for("subnational").get("/api/v1/duplicates/model/").json()
    assert [comparison["comparison"] for comparison in body["comparisons"]] == [
        "names", "birth_date", "sex", "national_id", "phone", "email", "location",
    ]  # fmt: skip
    names = body["comparisons"][0]["levels"]
    assert names[0]["level"] == "both names equal" and names[0]["match_weight"] > 10
    assert body["splink_settings"]["link_type"] == "dedupe_only"


def test_the_model_is_a_404_before_the_first_training(client_for: Callable[[str | None], APIClient]) -> None:
    assert client_for("national").get("/api/v1/duplicates/model/").status_code == 404


def _pair_add(run: DuplicateRun, country: Country) -> None:
    a = AssignmentFactory(organisation=country.ministry, location=country.district_11).worker
    b = AssignmentFactory(
        worker=WorkerFactory(), organisation=country.ministry, location=country.district_12
    ).worker
    low, high = sorted((a, b), key=lambda worker: worker.pk)
    CandidatePair.objects.create(
        run=run, worker_a=low, worker_b=high, probability=0.99, match_weight=12.0, reasons={}, cluster=1
    )


@pytest.mark.parametrize("persona", ["national", "subnational"])
def test_the_queue_takes_the_same_queries_for_one_and_three_pairs(
    client_for: Callable[[str | None], APIClient],
    country: Country,
    persona: str,
    django_assert_num_queries: Any,
) -> None:
    from django.utils import timezone

    run = DuplicateRun.objects.create(
        origin=RunOrigin.COMMAND, threshold=0.9, status=RunStatus.SUCCESS, finished_at=timezone.now()
    )
    _pair_add(run, country)
    client = client_for(persona)
    client.get(PAIRS)
    with CaptureQueriesContext(connection) as one:
        response = client.get(PAIRS)
    assert response.json()["count"] == 1
    _pair_add(run, country)
    _pair_add(run, country)
    with django_assert_num_queries(len(one)):
        assert client.get(PAIRS).json()["count"] == 3
