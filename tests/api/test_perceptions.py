"""Perceptions and survey rounds in the API: aggregates for every role (analyst included), never a person."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from sswis.surveys.models import PerceptionResponse, SurveyRound
from tests.api.conftest import results
from tests.conftest import Country, Personas
from tests.factories import PerceptionResponseFactory, SurveyRoundFactory, WorkerFactory

Clients = Callable[[str | None], APIClient]

ANSWERS = [  # (district, satisfaction, supervision kinds, intention to leave)
    ("D11", "satisfied", "individual case_review", "no"),
    ("D11", "satisfied", "individual", "no"),
    ("D11", "dissatisfied", "", "yes"),
    ("D11", "very_satisfied", "group individual", "undecided"),
    ("D11", "neither", "", ""),
    ("D21", "dissatisfied", "remote", "yes"),
]


@pytest.fixture
def answers(country: Country) -> list[PerceptionResponse]:
    """Round 2025: five respondents in region R1 (all in D11, so no smaller group hides in R1), one in R2 (D21); an older round 2024 is empty."""
    SurveyRoundFactory(code="2024", name="Mapping 2024")
    survey_round = SurveyRoundFactory(code="2025", name="Mapping 2025")
    districts = {"D11": country.district_11, "D12": country.district_12, "D21": country.district_21}
    return [
        PerceptionResponseFactory(
            survey_round=survey_round,
            worker=WorkerFactory(
                worker_id=f"W{number:03d}", given_name=f"Given{number}", family_name=f"Fam{number}"
            ),
            location=districts[district],
            submission_uuid=f"submission-{number}",
            job_satisfaction=satisfaction,
            supervision_kinds=kinds,
            intention_to_leave=leave,
        )
        for number, (district, satisfaction, kinds, leave) in enumerate(ANSWERS, start=1)
    ]


def question(body: dict[str, Any], name: str) -> dict[str, Any]:
    return next(item for item in body["questions"] if item["name"] == name)


@pytest.mark.parametrize("name", ["analyst", "national", "subnational", "focal_point", "administrator"])
def test_every_role_sees_the_aggregates_of_a_subtree_and_no_person(
    client_for: Clients, personas: Personas, answers: list[PerceptionResponse], name: str
) -> None:
    response = client_for(name).get("/api/v1/perceptions/?round=2025&location=R1")

    assert response.status_code == 200, response.content
    body = response.json()
    assert {key: body[key] for key in ("survey_round", "location", "respondents", "withheld")} == {
        "survey_round": "2025",
        "location": "R1",
        "respondents": 5,
        "withheld": False,
    }
    assert body["minimum_respondents"] == 5
    assert [item["name"] for item in body["questions"]] == [
        "job_satisfaction",
        "supervision_frequency",
        "supervision_kinds",
        "training_received",
        "training_needed",
        "intention_to_leave",
        "leave_reason",
        "burnout_exhausted",
        "burnout_detached",
        "burnout_ineffective",
        "fatigue_intrusive",
        "fatigue_avoidance",
        "fatigue_sleep",
    ]
    assert [(scale["name"], scale["scored"], scale["mean"]) for scale in body["wellbeing"]] == [
        ("burnout", 0, None),
        ("compassion_fatigue", 0, None),
    ]
    assert question(body, "job_satisfaction") == {
        "name": "job_satisfaction",
        "label": "Overall, how satisfied are you with your job?",
        "answered": 5,
        "answers": [
            {"answer": "very_satisfied", "label": "Very satisfied", "count": 1, "share": 0.2},
            {"answer": "satisfied", "label": "Satisfied", "count": 2, "share": 0.4},
            {"answer": "neither", "label": "Neither satisfied nor dissatisfied", "count": 1, "share": 0.2},
            {"answer": "dissatisfied", "label": "Dissatisfied", "count": 1, "share": 0.2},
            {"answer": "very_dissatisfied", "label": "Very dissatisfied", "count": 0, "share": 0.0},
        ],
    }
    kinds = question(body, "supervision_kinds")
    assert kinds["answered"] == 3
    assert [(a["answer"], a["count"], a["share"]) for a in kinds["answers"] if a["count"]] == [
        ("individual", 3, 1.0),
        ("group", 1, 0.3333),
        ("case_review", 1, 0.3333),
    ]
    text = json.dumps(body)
    for answer in answers:
        for personal in (answer.worker.worker_id, answer.worker.given_name, answer.worker.family_name):
            assert personal not in text
        assert answer.submission_uuid not in text
        assert str(answer.uuid) not in text


def test_the_whole_country_by_default(client_for: Clients, personas: Personas, answers: Any) -> None:
    body = client_for("analyst").get("/api/v1/perceptions/?round=2025").json()

    # Kandara (6) minus North (5, shown) would give the lone worker of South: withheld.
    assert (body["location"], body["respondents"], body["withheld"], body["questions"]) == ("KD", 6, True, [])
    assert body["withheld_reason"] == "small_group_within"
    assert body["withheld_explanation"].startswith(
        "Fewer than 5 workers answered in a place within this area"
    )


def test_groups_under_five_respondents_are_withheld(
    client_for: Clients, personas: Personas, answers: Any
) -> None:
    client = client_for("analyst")

    south = client.get("/api/v1/perceptions/?round=2025&location=R2").json()
    empty = client.get("/api/v1/perceptions/?round=2024").json()

    assert (south["respondents"], south["withheld"], south["questions"]) == (1, True, [])
    assert (empty["respondents"], empty["withheld"], empty["questions"]) == (0, True, [])


def test_unknown_or_missing_codes_are_refused_with_400(
    client_for: Clients, personas: Personas, answers: Any
) -> None:
    client = client_for("analyst")

    assert client.get("/api/v1/perceptions/?round=1999").json() == {
        "round": ['No survey round with code "1999".']
    }
    assert client.get("/api/v1/perceptions/?round=2025&location=D99").json() == {
        "location": ['No location with code "D99".']
    }
    assert client.get("/api/v1/perceptions/").json() == {"round": ["This field is required."]}


@pytest.mark.parametrize(("name", "status"), [("outsider", 403), (None, 401)])
def test_outsiders_and_anonymous_requests_are_refused(
    client_for: Clients, personas: Personas, answers: Any, name: str | None, status: int
) -> None:
    client = client_for(name)

    for url in ("/api/v1/perceptions/?round=2025", "/api/v1/survey-rounds/", "/api/v1/survey-rounds/2025/"):
        response = client.get(url)
        assert response.status_code == status, url
        assert "respondents" not in response.json()


def test_survey_rounds_are_listed_newest_first(client_for: Clients, personas: Personas, answers: Any) -> None:
    client = client_for("analyst")
    latest = SurveyRound.objects.get(code="2025")

    listed = results(client.get("/api/v1/survey-rounds/"))
    one = client.get("/api/v1/survey-rounds/2025/").json()

    assert [(row["code"], row["name"], row["starts_on"], row["ends_on"]) for row in listed] == [
        ("2025", "Mapping 2025", "2025-03-01", None),
        ("2024", "Mapping 2024", "2024-03-01", None),
    ]
    assert (one["uuid"], one["code"]) == (str(latest.uuid), "2025")
    assert client.get("/api/v1/survey-rounds/1999/").status_code == 404


def test_the_perceptions_take_the_same_queries_for_every_location(
    client_for: Clients, personas: Personas, answers: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("analyst")
    client.get("/api/v1/perceptions/?round=2025")  # the scope is cached on the user from now on

    # The round and the location checked by the query parameters, then the round, the location and the
    # counts in the selector, and the wellbeing scales' counts.
    with django_assert_num_queries(6):
        assert client.get("/api/v1/perceptions/?round=2025&location=R1").status_code == 200
    with django_assert_num_queries(6):
        assert client.get("/api/v1/perceptions/?round=2025&location=D11").status_code == 200
