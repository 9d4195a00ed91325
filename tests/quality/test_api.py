"""The quality-assurance score's API: the contract's proposals document, recording scores (and refusing),
the framework's instruments, what each persona gets, and the query counts of the list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.quality.models import CriterionScore, Instrument
from sswis.quality.services import instrument_add, score_record
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
YEAR = 2024


@pytest.fixture
def client_for(personas: Personas) -> Callable[[str | None], APIClient]:
    def make(persona: str | None) -> APIClient:
        client = APIClient()
        if persona is not None:
            client.force_authenticate(user=getattr(personas, persona))
        return client

    return make


def test_the_proposals_are_the_contract_s_document(client_for: Callable[[str | None], APIClient]) -> None:
    response = client_for("analyst").get("/api/v1/quality/proposals/", {"year": YEAR})
    assert response.status_code == 200
    document = response.json()
    assert document["year"] == YEAR
    assert {name: value["proposed"] for name, value in document["criteria"].items()} == {
        "supervision": 1,
        "licensing": 1,
        "hris": 1,
    }
    assert document["criteria"]["hris"]["reasons"]["districts_not_covered"] == ["D11", "D12", "D21"]


def test_recording_through_the_api(client_for: Callable[[str | None], APIClient], personas: Personas) -> None:
    client = client_for("national")
    refused = client.post(
        "/api/v1/quality/scores/",
        {"year": YEAR, "criterion": "hris", "score": 5, "evidence": "Registry"},
        format="json",
    )
    assert (refused.status_code, refused.json()) == (400, {"score": ["A score is 1, 2, 3 or 4, not 5."]})
    refused = client.post(
        "/api/v1/quality/scores/", {"year": YEAR, "criterion": "hris", "score": 1}, format="json"
    )
    assert refused.json() == {
        "evidence": ["A score needs its evidence: describe it, or give a link or a file."]
    }
    refused = client.post(
        "/api/v1/quality/scores/",
        {"year": YEAR, "criterion": "hris", "score": 2, "evidence": "x"},
        format="json",
    )
    assert refused.json() == {"reason": ["sswis proposes 1 from the data; say why the score of record is 2."]}
    assert not CriterionScore.objects.exists()
    done = client.post(
        "/api/v1/quality/scores/",
        {"year": YEAR, "criterion": "hris", "score": 1, "links": ["https://mapping.example/2024"]},
        format="json",
    )
    assert done.status_code == 201
    body = done.json()
    assert (body["criterion"], body["number"], body["score"], body["proposed"], body["accepted"]) == (
        "hris",
        4,
        1,
        1,
        True,
    )
    assert body["recorded_by"] == "national"
    shown = client_for("analyst").get("/api/v1/quality/scores/", {"year": YEAR}).json()
    assert (shown["composite"], shown["band"], shown["missing"]) == (
        None,
        None,
        ["framework", "supervision", "licensing"],
    )
    assert list(shown["scores"]) == ["hris"]


def test_the_composite_through_the_api(
    client_for: Callable[[str | None], APIClient], personas: Personas
) -> None:
    for criterion, score in (("framework", 4), ("supervision", 3), ("licensing", 2), ("hris", 3)):
        score_record(
            actor=personas.national,
            year=YEAR,
            criterion=criterion,
            score=score,
            evidence="e",
            reason="field review",
        )
    shown = client_for("analyst").get("/api/v1/quality/scores/").json()  # the latest scored year by default
    assert (shown["year"], shown["composite"], shown["band"], shown["missing"]) == (YEAR, 12, "mid_level", [])


def test_instruments_through_the_api(client_for: Callable[[str | None], APIClient]) -> None:
    client = client_for("national")
    added = client.post(
        "/api/v1/quality/instruments/",
        {
            "kind": "law",
            "title": "Social Work Professions Bill",
            "status": "draft",
            "whole_workforce": False,
            "cadres": ["SW"],
        },
        format="json",
    )
    assert added.status_code == 201, added.content
    uuid = added.json()["uuid"]
    assert (added.json()["cadres"], added.json()["whole_workforce"]) == (["SW"], False)
    changed = client.patch(
        f"/api/v1/quality/instruments/{uuid}/",
        {"status": "adopted", "adopted_on": "2025-03-01"},
        format="json",
    )
    assert (changed.status_code, changed.json()["status"]) == (200, "adopted")
    refused = client.post(f"/api/v1/quality/instruments/{uuid}/end/", {"until": "2024-01-01"}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["in_force_until"]
    ended = client.post(f"/api/v1/quality/instruments/{uuid}/end/", {"until": "2026-01-01"}, format="json")
    assert (ended.status_code, ended.json()["status"], ended.json()["in_force_until"]) == (
        200,
        "repealed",
        "2026-01-01",
    )
    analyst = client_for("analyst")
    assert (
        analyst.get(f"/api/v1/quality/instruments/{uuid}/").json()["title"] == "Social Work Professions Bill"
    )
    assert [row["uuid"] for row in analyst.get("/api/v1/quality/instruments/").json()["results"]] == [uuid]


@pytest.mark.parametrize("persona", ["analyst", "administrator", "subnational", "focal_point"])
def test_readers_may_not_write(
    client_for: Callable[[str | None], APIClient], personas: Personas, persona: str
) -> None:
    client = client_for(persona)
    act = instrument_add(actor=personas.national, kind="law", title="Children's Act", status="in_force")
    assert client.get("/api/v1/quality/proposals/", {"year": YEAR}).status_code == 200
    assert (
        client.post(
            "/api/v1/quality/scores/",
            {"year": YEAR, "criterion": "framework", "score": 2, "evidence": "x"},
            format="json",
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/quality/instruments/", {"kind": "law", "title": "X", "status": "draft"}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.patch(f"/api/v1/quality/instruments/{act.uuid}/", {"title": "Y"}, format="json").status_code
        == 403
    )
    assert not CriterionScore.objects.exists()
    assert list(Instrument.objects.values_list("title", flat=True)) == ["Children's Act"]


@pytest.mark.parametrize(
    "path", ["/api/v1/quality/proposals/", "/api/v1/quality/scores/", "/api/v1/quality/instruments/"]
)
def test_an_outsider_and_an_anonymous_caller_are_refused(
    client_for: Callable[[str | None], APIClient], path: str
) -> None:
    assert client_for("outsider").get(path).status_code == 403
    assert client_for(None).get(path).status_code == 401


@pytest.mark.parametrize("path", ["/api/v1/quality/instruments/", "/api/v1/quality/scores/?year=2024"])
def test_lists_take_the_same_queries_for_one_and_three(
    client_for: Callable[[str | None], APIClient],
    personas: Personas,
    country: Any,
    path: str,
    django_assert_num_queries: Any,
) -> None:
    def add(title: str, criterion: str) -> None:
        instrument_add(
            actor=personas.national, kind="standard", title=title, status="in_force", whole_workforce=False,
            cadres=[country.social_worker, country.volunteer],
        )  # fmt: skip
        score_record(actor=personas.national, year=YEAR, criterion=criterion, score=1, evidence="e")

    add("National standards", "supervision")
    client = client_for("analyst")
    client.get(path)  # the first request of a client also reads the user's role once
    with CaptureQueriesContext(connection) as one:
        assert client.get(path).status_code == 200
    add("Code of ethics", "licensing")
    add("Strategy", "hris")
    with django_assert_num_queries(len(one)):
        assert client.get(path).status_code == 200
