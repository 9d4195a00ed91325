"""The competency API (``/api/v1/training/competencies/``): frameworks read and changed, the import, what
programmes build, the gaps (small cells withheld for the analyst), the workers lacking a competency in the
reader's scope, the training needs, one worker's competencies and an assessment; query counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from sswis.training.models_competencies import CompetencyAssessment, RequiredCompetency
from tests.api.conftest import results
from tests.training.competency_world import CompetencyWorld, competency_world_build
from tests.training.factories_competencies import ProgrammeCompetencyFactory

BASE = "/api/v1/training/competencies"


@pytest.fixture
def world(country: Any) -> CompetencyWorld:
    return competency_world_build(country)


def test_frameworks_are_read_by_every_role_and_changed_by_managers(
    world: CompetencyWorld, client_for: Callable[[str | None], APIClient]
) -> None:
    analyst = client_for("analyst")
    assert [
        (row["cadre"], row["areas"], row["requirements"])
        for row in results(analyst.get(f"{BASE}/frameworks/"))
    ] == [("SW", 2, 2)]
    detail = analyst.get(f"{BASE}/frameworks/SW/").json()
    assert [(area["code"], [r["competency"] for r in area["requirements"]]) for area in detail["areas"]] == [
        ("CASE", ["CM"]),
        ("LAW", ["LAW"]),
    ]
    national = client_for("national")
    changed = national.post(
        f"{BASE}/frameworks/SW/requirement/", {"area": "LAW", "competency": "CM", "level": 1}, format="json"
    )
    assert changed.status_code == 400
    assert changed.json() == {
        "competency": [
            "Competency CM is already required in area CASE of this framework; a framework requires a competency once."
        ]
    }
    response = national.post(
        f"{BASE}/frameworks/SW/requirement/", {"area": "CASE", "competency": "CM", "level": 3}, format="json"
    )
    assert response.status_code == 200
    assert RequiredCompetency.objects.get(competency=world.case_management).level == 3
    assert analyst.post(f"{BASE}/frameworks/SW/rename/", {"name": "x"}, format="json").status_code == 403
    created = national.post(f"{BASE}/frameworks/", {"cadre": "PSW", "name": "PSW"}, format="json")
    assert (created.status_code, created.json()["cadre"]) == (201, "PSW")
    assert national.get(f"{BASE}/frameworks/CPV/").status_code == 404


def test_the_import(world: CompetencyWorld, client_for: Callable[[str | None], APIClient]) -> None:
    upload = SimpleUploadedFile(
        "f.csv",
        b"cadre,area_code,area_name,competency_code,competency_name,levels,level_required\n"
        b"PSW,CASE,Case work,CM,Case management,3,1\n",
    )
    response = client_for("administrator").post(
        f"{BASE}/import/", {"file": upload, "dry_run": "true"}, format="multipart"
    )
    assert (response.status_code, response.json()["imported"]) == (200, False)
    bad = SimpleUploadedFile("f.csv", b"cadre\nXX\n")
    response = client_for("national").post(f"{BASE}/import/", {"file": bad}, format="multipart")
    assert response.status_code == 400


def test_programme_competencies(
    world: CompetencyWorld, client_for: Callable[[str | None], APIClient]
) -> None:
    national = client_for("national")
    assert len(results(national.get(f"{BASE}/programmes/"))) == 3
    response = national.post(
        f"{BASE}/programmes/", {"programme": "P-LAW", "competency": "LAW", "level": 0}, format="json"
    )
    assert response.status_code == 200
    assert len(results(national.get(f"{BASE}/programmes/"))) == 2
    assert client_for("analyst").post(f"{BASE}/programmes/", {}, format="json").status_code == 403


def test_the_gaps_for_the_analyst_and_the_national_data_manager(
    world: CompetencyWorld, client_for: Callable[[str | None], APIClient], settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 2
    query = {"year": 2025, "level": "district"}
    national = {
        (r["location"], r["competency"]): (r["counted"], r["having"])
        for r in results(client_for("national").get(f"{BASE}/gaps/", query))
    }
    assert national == {
        ("D11", "CM"): (3, 2),
        ("D11", "LAW"): (3, 2),
        ("D12", "CM"): (1, 0),
        ("D12", "LAW"): (1, 0),
        ("D21", "CM"): (1, 1),
        ("D21", "LAW"): (1, 0),
    }
    analyst = results(client_for("analyst").get(f"{BASE}/gaps/", query))
    assert {(r["having"], r["lacking"], r["share"], r["withheld"]) for r in analyst} == {
        (None, None, None, True)
    }
    assert client_for("outsider").get(f"{BASE}/gaps/").status_code == 403


def test_the_missing_workers_are_the_reader_s_own(
    world: CompetencyWorld, client_for: Callable[[str | None], APIClient]
) -> None:
    response = client_for("subnational").get(f"{BASE}/missing/", {"year": 2025, "cadre": "SW"})
    assert [(r["worker_id"], r["lacking"]) for r in results(response)] == [
        ("W1", [{"competency": "LAW", "required": 1, "held": 0}]),
        ("W3", [{"competency": "CM", "required": 2, "held": 1}]),
        (
            "W4",
            [{"competency": "CM", "required": 2, "held": 0}, {"competency": "LAW", "required": 1, "held": 0}],
        ),
    ]
    assert (
        client_for("subnational").get(f"{BASE}/missing/", {"year": 2025, "location": "R2"}).status_code == 403
    )
    assert results(client_for("focal_point").get(f"{BASE}/missing/", {"year": 2025, "location": "KD"})) == []
    assert client_for("analyst").get(f"{BASE}/missing/").status_code == 403


def test_the_training_needs(world: CompetencyWorld, client_for: Callable[[str | None], APIClient]) -> None:
    rows = results(client_for("national").get(f"{BASE}/needs/", {"year": 2025, "location": "KD"}))
    assert [(r["competency"], r["lacking"], r["survey_topic"], r["survey_need"]) for r in rows] == [
        ("LAW", 3, "child_protection_law", 0),
        ("CM", 2, "case_management", 0),
    ]


def test_a_worker_s_competencies_and_an_assessment(
    world: CompetencyWorld, client_for: Callable[[str | None], APIClient]
) -> None:
    subnational = client_for("subnational")
    found = subnational.get(f"{BASE}/workers/W2/", {"day": "2025-12-31"}).json()
    assert [(h["competency"], h["level"]) for h in found["held"]] == [("CM", 3), ("LAW", 1)]
    response = subnational.post(
        f"{BASE}/workers/W1/", {"competency": "LAW", "level": 1, "assessed_on": "2025-05-01"}, format="json"
    )
    assert response.status_code == 201
    assert CompetencyAssessment.objects.filter(worker=world.workers["w1"], competency=world.law).count() == 1
    assert subnational.get(f"{BASE}/workers/W6/").status_code == 404
    assert client_for("analyst").get(f"{BASE}/workers/W1/").status_code == 403


@pytest.mark.parametrize("extra", [1, 3])
def test_the_lists_cost_the_same_queries_for_one_or_many(
    world: CompetencyWorld,
    client_for: Callable[[str | None], APIClient],
    django_assert_max_num_queries: Any,
    extra: int,
) -> None:
    for _ in range(extra):
        ProgrammeCompetencyFactory(competency=world.law)
    client = client_for("national")
    for path, limit in (
        ("frameworks/", 6),
        ("programmes/", 6),
        ("gaps/", 9),
        ("missing/", 11),
        ("needs/", 11),
    ):
        with django_assert_max_num_queries(limit):
            assert client.get(f"{BASE}/{path}", {"year": 2025}).status_code == 200
