"""The field practicum through the API: students, placements and their steps, offers, the availability per
district; personas and refusals; query-count guards; a scenario's graduates from training."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.planning.models import Scenario
from sswis.planning.services import scenario_save
from sswis.training.models_practicum import Placement, PracticumOffer, Student
from tests.api.conftest import results
from tests.conftest import Country, Personas
from tests.training.factories_practicum import IntakeFactory, OfferFactory, PlacementFactory, StudentFactory
from tests.training.practicum_world import Practicum, practicum_build

D = datetime.date
BASE = "/api/v1/training/practicum"


@pytest.fixture
def practicum(country: Country) -> Practicum:
    return practicum_build(country)


def _client(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


@pytest.fixture
def placement(practicum: Practicum, country: Country) -> Placement:
    return PlacementFactory(
        student=practicum.student,
        organisation=country.ngo,
        supervisor=practicum.supervisor,
        hours_planned=400,
    )


def test_the_institution_records_a_student_and_places_them(practicum: Practicum) -> None:
    client = _client(practicum.institution_user)

    created = client.post(
        f"{BASE}/students/",
        {
            "programme": "DIP-SW",
            "student_number": "ST-2",
            "given_name": "Ben",
            "family_name": "Phiri",
            "intake_year": 2023,
        },
        format="json",
    )
    student_id = created.json()["id"]
    placed = client.post(
        f"{BASE}/placements/",
        {
            "student": student_id,
            "organisation": "MSW",
            "supervisor": "W-SUP",
            "starts_on": "2024-03-01",
            "ends_on": "2024-06-30",
            "hours_planned": 400,
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    assert created.json() == {
        "id": student_id,
        "programme": "DIP-SW",
        "institution": "I-D11",
        "student_number": "ST-2",
        "given_name": "Ben",
        "family_name": "Phiri",
        "sex": "unknown",
        "intake_year": 2023,
        "worker_id": None,
    }
    assert placed.status_code == 201, placed.content
    body = placed.json()
    assert (body["student"]["student_number"], body["organisation"], body["supervisor"]) == (
        "ST-2",
        "MSW",
        {"worker_id": "W-SUP", "given_name": "Sam", "family_name": "Tembo"},
    )


def test_a_supervisor_too_new_is_refused_naming_the_rule(practicum: Practicum) -> None:
    refused = _client(practicum.institution_user).post(
        f"{BASE}/placements/",
        {
            "student": practicum.student.pk,
            "organisation": "NGO1",
            "supervisor": "W-NEW",
            "starts_on": "2024-03-01",
            "ends_on": "2024-06-30",
            "hours_planned": 400,
        },
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "supervisor": [
            "The supervisor must be someone who has at least 3 years of experience by 2024-03-01, from the "
            "start of their first assignment; found: 0 full years."
        ]
    }
    assert Placement.objects.count() == 0


def test_placement_steps(practicum: Practicum, placement: Placement) -> None:
    client = _client(practicum.institution_user)

    negative = client.post(f"{BASE}/placements/{placement.pk}/hours/", {"hours_done": -1}, format="json")
    early = client.post(
        f"{BASE}/placements/{placement.pk}/hours/",
        {"hours_done": 3, "recorded_on": "2024-01-01"},
        format="json",
    )
    hours = client.post(
        f"{BASE}/placements/{placement.pk}/hours/",
        {"hours_done": 410, "recorded_on": "2024-07-01"},
        format="json",
    )
    evaluated = client.post(
        f"{BASE}/placements/{placement.pk}/evaluation/",
        {"evaluation": "good", "notes": "Keen.", "evaluated_on": "2024-07-01"},
        format="json",
    )
    ended = client.post(
        f"{BASE}/placements/{placement.pk}/end/",
        {"ended_early_on": "2024-06-01", "end_reason": "Finished the hours."},
        format="json",
    )

    assert (negative.status_code, early.status_code) == (400, 400)
    assert early.json() == {
        "hours_done": ["Hours cannot be recorded before the placement starts (2024-03-01)."]
    }
    assert (hours.status_code, evaluated.status_code, ended.status_code) == (200, 200, 200)
    assert {
        key: ended.json()[key] for key in ("hours_done", "evaluation", "evaluation_notes", "ended_early_on")
    } == {
        "hours_done": 410,
        "evaluation": "good",
        "evaluation_notes": "Keen.",
        "ended_early_on": "2024-06-01",
    }


def test_who_reads_and_changes_students_and_placements(
    practicum: Practicum, placement: Placement, personas: Personas
) -> None:
    seen = {}
    for name, user in (
        ("national", personas.national),
        ("institution", practicum.institution_user),
        ("other institution", practicum.other_institution_user),
        ("focal point", personas.focal_point),
        ("officer", personas.subnational),
        ("analyst", personas.analyst),
        ("anonymous", None),
    ):
        client = _client(user)
        students = client.get(f"{BASE}/students/")
        seen[name] = (
            len(students.json()["results"]) if students.status_code == 200 else students.status_code,
            client.get(f"{BASE}/placements/{placement.pk}/").status_code,
            client.patch(
                f"{BASE}/students/{practicum.student.pk}/", {"given_name": "X"}, format="json"
            ).status_code,
        )

    assert seen == {
        "national": (1, 200, 200),
        "institution": (1, 200, 200),
        "other institution": (0, 404, 404),
        "focal point": (1, 200, 403),
        "officer": (0, 404, 403),
        "analyst": (403, 403, 403),
        "anonymous": (401, 401, 401),
    }
    assert Student.objects.get().given_name == "X"


def test_offers_and_the_availability(practicum: Practicum, country: Country, personas: Personas) -> None:
    set_by_focal_point = _client(personas.focal_point).post(
        f"{BASE}/offers/", {"organisation": "NGO1", "year": 2024, "places": 3}, format="json"
    )
    refused = _client(practicum.institution_user).post(
        f"{BASE}/offers/", {"organisation": "NGO1", "year": 2024, "places": 9}, format="json"
    )
    outside = _client(personas.focal_point).post(
        f"{BASE}/offers/", {"organisation": "MSW", "year": 2024, "places": 9}, format="json"
    )
    analyst = _client(personas.analyst)
    offers = results(analyst.get(f"{BASE}/offers/?year=2024"))
    availability = analyst.get(f"{BASE}/availability/?year=2024").json()
    missing_year = analyst.get(f"{BASE}/availability/")

    assert (set_by_focal_point.status_code, refused.status_code, outside.status_code) == (201, 403, 403)
    assert PracticumOffer.objects.get().places == 3
    assert offers == [
        {
            "organisation": "NGO1",
            "organisation_name": "Hope for Children",
            "location": "R2",
            "year": 2024,
            "places": 3,
        }
    ]
    assert availability["rows"] == [
        {"district": "D11", "name": "Alpha", "places_offered": 0, "placements": 0, "places_free": 0,
         "students_needing": 1, "balance": -1},
        {"district": "D12", "name": "Beta", "places_offered": 0, "placements": 0, "places_free": 0,
         "students_needing": 0, "balance": 0},
        {"district": "D21", "name": "Gamma", "places_offered": 0, "placements": 0, "places_free": 0,
         "students_needing": 0, "balance": 0},
        {"district": None, "name": "Not in a district", "places_offered": 3, "placements": 0, "places_free": 3,
         "students_needing": 0, "balance": 3},
    ]  # fmt: skip
    assert {key: availability["total"][key] for key in ("places_offered", "students_needing", "balance")} == {
        "places_offered": 3,
        "students_needing": 1,
        "balance": 2,
    }
    assert missing_year.status_code == 400


@pytest.mark.parametrize("path", ["students/", "placements/", "offers/", "availability/?year=2024"])
def test_lists_take_the_same_queries_for_one_and_three(
    practicum: Practicum,
    country: Country,
    personas: Personas,
    path: str,
) -> None:
    def add() -> None:
        student = StudentFactory(programme=practicum.programme)
        PlacementFactory(student=student, organisation=country.ngo, supervisor=practicum.supervisor)
        OfferFactory(year=2024)

    add()
    for user in (personas.national, practicum.institution_user):
        client = _client(user)
        client.get(f"{BASE}/{path}")  # the user's scope is read once, then kept on the user
        with CaptureQueriesContext(connection) as one:
            assert client.get(f"{BASE}/{path}").status_code == 200
        add()
        add()
        with CaptureQueriesContext(connection) as three:
            assert client.get(f"{BASE}/{path}").status_code == 200
        assert len(three) == len(one)


@pytest.fixture
def scenario(practicum: Practicum) -> Scenario:
    IntakeFactory(programme=practicum.programme, year=2023, enrolled=20)
    return scenario_save(
        actor=None,
        data={"code": "trend", "name": "Trend", "base_year": 2024, "horizon": 2, "cadres": {"SW": {}}},
    )


def test_a_scenario_s_graduates_from_training(scenario: Scenario, personas: Personas) -> None:
    url = "/api/v1/plan/scenarios/trend/training-graduates/"

    read = _client(personas.analyst).get(url)
    refused = _client(personas.analyst).post(url)
    used = _client(personas.national).post(url)

    assert read.status_code == 200
    assert read.json() == {
        "scenario": "trend",
        "years": [2025, 2026],
        "cadres": {"SW": [20.0, 0.0]},
        "untouched": [],
        "programmes": [
            {
                "programme": "DIP-SW",
                "cadres": ["SW"],
                "years_to_graduate": 2,
                "completion_rate": 1.0,
                "rate_years": [],
                "graduates": [20.0, 0.0],
            }
        ],
    }
    assert refused.status_code == 403
    assert used.status_code == 200
    assert used.json()["document"]["cadres"] == {"SW": {"graduates": [20.0, 0.0]}}
    assert (
        _client(personas.national).get("/api/v1/plan/scenarios/nope/training-graduates/").status_code == 404
    )
