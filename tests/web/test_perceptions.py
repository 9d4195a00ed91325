"""The perceptions page: aggregates for everyone with a role (analyst included), never a person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sswis.surveys.models import PerceptionResponse
from tests.conftest import Country, Personas
from tests.factories import PerceptionResponseFactory, SurveyRoundFactory, WorkerFactory
from tests.web.conftest import persona, queries_for, text_of
from tests.web.test_csp import assert_csp_safe

PAGE = reverse("web:perceptions")
ANSWERS = [  # (district, satisfaction, intention to leave)
    ("D11", "satisfied", "no"),
    ("D11", "satisfied", "no"),
    ("D11", "dissatisfied", "yes"),
    ("D11", "very_satisfied", "undecided"),
    ("D11", "neither", ""),
    ("D21", "dissatisfied", "yes"),
]


@pytest.fixture
def answers(country: Country) -> list[PerceptionResponse]:
    """Round 2025 (the newest): five respondents in region R1 (all in D11), one in R2 (D21), so the
    country is withheld (it minus R1 would give the lone D21 worker); round 2024: three in D11."""
    older = SurveyRoundFactory(code="2024", name="Mapping 2024")
    survey_round = SurveyRoundFactory(code="2025", name="Mapping 2025")
    districts = {"D11": country.district_11, "D12": country.district_12, "D21": country.district_21}
    made = [
        PerceptionResponseFactory(
            survey_round=survey_round,
            worker=WorkerFactory(
                worker_id=f"W-{number}", given_name=f"Given{number}", family_name=f"Fam{number}"
            ),
            location=districts[district],
            job_satisfaction=satisfaction,
            intention_to_leave=leave,
        )
        for number, (district, satisfaction, leave) in enumerate(ANSWERS, start=1)
    ]
    for response in made[:3]:
        PerceptionResponseFactory(
            survey_round=older,
            worker=response.worker,
            location=country.district_11,
            job_satisfaction="neither",
        )
    return made


@pytest.mark.parametrize("name", ["analyst", "national", "subnational", "focal_point", "administrator"])
def test_every_role_sees_the_aggregates_and_the_menu_link(
    as_user: Callable[[Any], Client], personas: Personas, answers: list[PerceptionResponse], name: str
) -> None:
    client = as_user(getattr(personas, name))

    response = client.get(PAGE, {"round": "2025", "location": "R1"})

    assert response.status_code == 200
    text = text_of(response)
    assert "5 workers answered in North and below." in text
    assert (
        "Overall, how satisfied are you with your job? 5 workers answered Answer Workers Share "
        "Very satisfied 1 20.0% Satisfied 2 40.0% Neither satisfied nor dissatisfied 1 20.0% "
        "Dissatisfied 1 20.0% Very dissatisfied 0 0.0%"
    ) in text
    assert f'href="{PAGE}"' in client.get(reverse("web:dashboard")).content.decode()


def test_the_analyst_sees_no_person(
    as_user: Callable[[Any], Client], personas: Personas, answers: list[PerceptionResponse]
) -> None:
    client = as_user(personas.analyst)

    for query in ({}, {"round": "2025", "location": "R1"}, {"round": "2024", "location": "D11"}):
        markup = client.get(PAGE, query).content.decode()
        for answer in answers:
            worker = answer.worker
            for personal in (worker.worker_id, worker.given_name, worker.family_name, answer.submission_uuid):
                assert personal not in markup, (query, personal)


def test_a_subtree_and_its_places_above_and_below(
    as_user: Callable[[Any], Client], personas: Personas, answers: Any
) -> None:
    response = as_user(personas.analyst).get(PAGE, {"round": "2025", "location": "R1"})

    text = text_of(response)
    markup = response.content.decode()
    assert "Workers' perceptions: North Mapping 2025" in text
    assert "5 workers answered in North and below." in text
    assert "Do you intend to leave this job in the next 12 months? 4 workers answered" in text
    assert "Yes 1 25.0% Undecided 1 25.0% No 2 50.0%" in text
    assert '<li><a href="?round=2025&amp;location=KD">Kandara</a></li>' in markup
    assert "Places in North Alpha Beta" in text
    assert '<a href="?round=2025&amp;location=D11">Alpha</a>' in markup
    assert '<option value="2025" selected>Mapping 2025 (2025)</option>' in markup
    assert '<option value="2024">Mapping 2024 (2024)</option>' in markup


@pytest.mark.parametrize(
    ("query", "respondents"), [({"location": "R2"}, 1), ({"round": "2024", "location": "D11"}, 3)]
)
def test_groups_under_five_respondents_are_withheld_and_explained(
    as_user: Callable[[Any], Client],
    personas: Personas,
    answers: Any,
    query: dict[str, str],
    respondents: int,
) -> None:
    response = as_user(personas.analyst).get(PAGE, query)

    text = text_of(response)
    assert f"{respondents} worker{'s' if respondents > 1 else ''} answered in" in text
    assert (
        "Fewer than 5 workers answered here: their answers are not shown, so that no one's answers can be "
        "recognised." in text
    )
    assert "Overall, how satisfied" not in text
    assert "Answer Workers Share" not in text


def test_the_newest_round_and_the_users_own_area_by_default(
    as_user: Callable[[Any], Client], personas: Personas, answers: Any
) -> None:
    national = text_of(as_user(personas.national).get(PAGE))
    north = text_of(as_user(personas.subnational).get(PAGE))

    assert "Workers' perceptions: Kandara Mapping 2025" in national
    assert "Workers' perceptions: North Mapping 2025" in north
    assert "5 workers answered in North and below." in north


def test_unknown_round_or_location_is_not_found(
    as_user: Callable[[Any], Client], personas: Personas, answers: Any
) -> None:
    client = as_user(personas.analyst)

    assert client.get(PAGE, {"round": "1999"}).status_code == 404
    assert client.get(PAGE, {"round": "2025", "location": "D99"}).status_code == 404


def test_without_a_round_the_page_says_how_to_make_one(
    as_user: Callable[[Any], Client], personas: Personas
) -> None:
    response = as_user(personas.analyst).get(PAGE)

    assert response.status_code == 200
    assert "No survey round yet." in text_of(response)


def test_the_outsider_is_refused_and_anonymous_visitors_are_sent_to_log_in(
    as_user: Callable[[Any], Client], personas: Personas, answers: Any
) -> None:
    refused = as_user(personas.outsider).get(PAGE, {"round": "2025"})
    anonymous = as_user(None).get(PAGE, {"round": "2025"})

    assert refused.status_code == 403
    assert "answered" not in text_of(refused)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("web:login"))
    outsider_menu = as_user(personas.outsider).get(reverse("web:dashboard")).content.decode()
    assert f'href="{PAGE}"' not in outsider_menu


@pytest.mark.parametrize("location", ["R1", "R2"])
def test_the_page_is_csp_safe_with_its_tables_and_meters(
    as_user: Callable[[Any], Client], personas: Personas, answers: Any, location: str
) -> None:
    response = as_user(personas.analyst).get(PAGE, {"round": "2025", "location": location})

    assert_csp_safe(response.content.decode())
    assert ('<meter min="0" max="100" value="40"' in response.content.decode()) == (location == "R1")


def test_the_page_takes_the_same_queries_for_a_district_and_a_region(
    as_user: Callable[[Any], Client], personas: Personas, answers: Any
) -> None:
    client = as_user(persona(personas, "analyst"))

    assert queries_for(client, f"{PAGE}?round=2025&location=D11") == queries_for(
        client, f"{PAGE}?round=2025&location=R1"
    )


def test_an_area_holding_a_small_group_is_withheld_too(
    as_user: Callable[[Any], Client], personas: Personas, answers: Any
) -> None:
    """Kandara (6) minus North (5, shown) would give the lone worker of South: Kandara is withheld."""
    text = text_of(as_user(personas.analyst).get(PAGE, {"round": "2025", "location": "KD"}))

    assert "6 workers answered in Kandara and below." in text
    assert (
        "Fewer than 5 workers answered in a place within this area: the answers here are not shown, because "
        "subtracting the figures of the other places would reveal theirs." in text
    )
    assert "Answer Workers Share" not in text
