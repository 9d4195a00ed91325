"""The worker list (search, filters, scope, pagination, no N+1) and the worker page with its audit trail."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sswis.registry.services import assignment_end, worker_update
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.web.conftest import Workforce, queries_for, text_of

LIST = reverse("web:worker_list")


def ids_on(response: Any) -> list[str]:
    return [worker.worker_id for worker in response.context["page_obj"]]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("national", ["W-ALICE", "W-BRIAN", "W-GRACE", "W-PETER"]),
        ("subnational", ["W-ALICE", "W-BRIAN", "W-PETER"]),
        ("focal_point", ["W-GRACE", "W-PETER"]),
    ],
)
def test_worker_list_shows_the_workers_in_scope(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, role: str, expected: list[str]
) -> None:
    response = as_user(getattr(personas, role)).get(LIST)
    assert ids_on(response) == expected
    text = text_of(response)
    hidden = {"W-ALICE", "W-BRIAN", "W-GRACE", "W-PETER"} - set(expected)
    for worker_id in hidden:
        assert worker_id not in text


def test_worker_list_columns(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    text = text_of(as_user(personas.national).get(LIST))
    assert "Worker ID Name Sex Current role" in text
    assert "W-ALICE Banda, Alice Female Social worker — Ministry of Social Welfare, Alpha" in text
    assert "W-BRIAN Chola, Brian Male no current assignment" in text
    assert "Workers in your scope (4)" in text


def test_focal_point_sees_only_their_organisations_current_role(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    # Peter also works for the ministry in D21: the NGO focal point must not see that assignment.
    AssignmentFactory(
        worker=workforce.peter,
        organisation=country.ministry,
        location=country.district_21,
        cadre=country.volunteer,
    )
    text = text_of(as_user(personas.focal_point).get(LIST))
    assert "W-PETER Ngoma, Peter Male Social worker — Hope for Children, Alpha" in text
    assert "Child protection volunteer — Ministry" not in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Banda"}, ["W-ALICE"]),
        ({"q": "w-grace"}, ["W-GRACE"]),
        ({"q": "Alice Ban"}, ["W-ALICE"]),
        ({"location": "D21"}, ["W-GRACE"]),
        ({"location": "R1"}, ["W-ALICE", "W-BRIAN", "W-PETER"]),
        ({"cadre": "SW"}, ["W-ALICE", "W-PETER"]),
        ({"category": "volunteer"}, ["W-GRACE"]),
        ({"organisation": "NGO1"}, ["W-GRACE", "W-PETER"]),
        ({"employer": "government"}, ["W-ALICE", "W-BRIAN"]),
        ({"employer": "non_government"}, ["W-GRACE", "W-PETER"]),
        ({"paid": "no"}, ["W-GRACE"]),
        ({"paid": "yes", "cadre": "SW", "organisation": "MSW"}, ["W-ALICE"]),
        ({"active_year": "2024"}, ["W-ALICE", "W-GRACE", "W-PETER"]),
        ({"active_year": "2019"}, []),
    ],
)
def test_worker_search_and_filters(
    as_user: Callable[[Any], Client],
    personas: Personas,
    workforce: Workforce,
    params: dict[str, str],
    expected: list[str],
) -> None:
    assert ids_on(as_user(personas.national).get(LIST, params)) == expected


def test_subnational_officer_cannot_filter_outside_the_subtree(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    client = as_user(personas.subnational)
    html = client.get(LIST).content.decode()
    assert '<option value="D11">' in html
    assert '<option value="D21">' not in html
    response = client.get(LIST, {"location": "D21"})
    assert "Select a valid choice" in text_of(response)
    assert "W-GRACE" not in text_of(response)


def test_organisation_filter_offers_organisations_with_visible_assignments(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    html = as_user(personas.focal_point).get(LIST).content.decode()
    assert '<option value="NGO1">' in html
    assert '<option value="MSW">' not in html


def test_worker_list_is_paginated_by_50(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    for n in range(51):
        WorkerFactory(worker_id=f"X{n:03d}", family_name=f"Person{n:03d}")
    client = as_user(personas.national)
    first = client.get(LIST)
    assert len(first.context["page_obj"]) == 50
    assert "1\u201350 of 51" in text_of(first)
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(LIST, {"page": 2})
    assert ids_on(second) == ["X050"]


def test_htmx_live_search_returns_only_the_results(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.national).get(
        LIST, {"q": "Daka"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="worker-results"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="worker-results"')
    assert "<html" not in html
    assert "W-GRACE" in html
    assert "W-ALICE" not in html


def test_worker_list_takes_the_same_queries_for_1_and_3_workers(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    client = as_user(personas.subnational)

    def add_worker() -> None:
        worker = WorkerFactory()
        for cadre in (country.social_worker, country.para_social_worker):
            AssignmentFactory(
                worker=worker, organisation=country.ministry, location=country.district_11, cadre=cadre
            )

    add_worker()
    one = queries_for(client, LIST)
    add_worker()
    add_worker()
    three = queries_for(client, LIST)
    assert len(client.get(LIST).context["page_obj"]) == 3
    assert one == three


# --- the worker page ---------------------------------------------------------------------------


def detail(worker: Any) -> str:
    return reverse("web:worker_detail", args=[worker.worker_id])


def test_worker_page_shows_details_and_assignments_newest_first(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    AssignmentFactory(
        worker=workforce.brian,
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        start_date=datetime.date(2024, 2, 1),
    )
    response = as_user(personas.national).get(detail(workforce.brian))
    text = text_of(response)
    assert "Brian Chola (W-BRIAN)" in text
    assert "Sex Male" in text
    assert [a.start_date.isoformat() for a in response.context["assignments"]] == ["2024-02-01", "2020-01-01"]
    assert "Social worker Ministry of Social Welfare Alpha — 2024-02-01 — Active" in text
    assert "Para-social worker Ministry of Social Welfare Beta — 2020-01-01 2023-06-30 Ended Resigned" in text


def test_worker_page_shows_only_the_assignments_in_scope(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    elsewhere = AssignmentFactory(
        worker=workforce.alice,
        organisation=country.ngo,
        location=country.district_21,
        cadre=country.volunteer,
        start_date=datetime.date(2021, 1, 1),
    )
    worker_update(actor=personas.national, worker=workforce.alice, phone="+260 111")
    response = as_user(personas.subnational).get(detail(workforce.alice))
    assert [a.pk for a in response.context["assignments"]] == [workforce.alice_assignment.pk]
    text = text_of(response)
    assert "Gamma" not in text
    assert "Child protection volunteer" not in text
    subjects = {entry.subject for entry in response.context["audit_trail"]}
    assert subjects == {
        "Personal details",
        "Assignment: Social worker at Ministry of Social Welfare, Alpha, from 2020-01-01",
    }
    assert elsewhere.pk not in {a.pk for a in response.context["assignments"]}


def test_audit_trail_shows_who_changed_what_newest_first(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    worker_update(actor=personas.national, worker=workforce.alice, phone="+260 977 000111", sex="other")
    assignment_end(
        actor=personas.subnational,
        assignment=workforce.alice_assignment,
        end_date=datetime.date(2025, 3, 31),
        exit_reason="retired",
    )
    response = as_user(personas.national).get(detail(workforce.alice))
    trail = response.context["audit_trail"]
    assert [(e.action, e.author, e.subject.split(":")[0]) for e in trail] == [
        ("changed", "north", "Assignment"),
        ("changed", "national", "Personal details"),
        ("created", "system", "Assignment"),
        ("created", "system", "Personal details"),
    ]
    assert [(c.field, c.before, c.after) for c in trail[0].changes] == [
        ("end date", "—", "2025-03-31"),
        ("exit reason", "—", "Retired"),
    ]
    assert [(c.field, c.before, c.after) for c in trail[1].changes] == [
        ("phone", "—", "+260 977 000111"),
        ("sex", "Female", "Other"),
    ]
    text = text_of(response)
    assert (
        "north changed Assignment: Social worker at Ministry of Social Welfare, Alpha, from 2020-01-01"
        in text
    )
    assert "end date : — → 2025-03-31" in text
    assert "sex : Female → Other" in text


def test_audit_trail_names_related_rows_by_code(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    from sswis.registry.services import assignment_update

    assignment_update(actor=personas.national, assignment=workforce.alice_assignment, post=None)
    trail = as_user(personas.national).get(detail(workforce.alice)).context["audit_trail"]
    assert [(c.field, c.before, c.after) for c in trail[0].changes] == [("post", "P-D11-SW", "—")]


def test_worker_page_takes_the_same_queries_with_1_and_3_history_records(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    client = as_user(personas.national)
    url = detail(workforce.alice)
    one = queries_for(client, url)
    worker_update(actor=personas.national, worker=workforce.alice, phone="1")
    worker_update(actor=personas.national, worker=workforce.alice, phone="2")
    three = queries_for(client, url)
    assert len(client.get(url).context["audit_trail"]) == 4
    assert one == three


@pytest.mark.parametrize(
    ("role", "worker", "buttons"),
    [
        ("national", "brian", ["Edit personal details", "Start an assignment"]),
        ("national", "alice", ["Edit personal details", "Start an assignment", "End", "Transfer"]),
        ("subnational", "peter", ["Edit personal details", "Start an assignment", "End", "Transfer"]),
        ("focal_point", "grace", ["Edit personal details", "Start an assignment", "End", "Transfer"]),
    ],
)
def test_worker_page_offers_the_actions_the_user_may_take(
    as_user: Callable[[Any], Client],
    personas: Personas,
    workforce: Workforce,
    role: str,
    worker: str,
    buttons: list[str],
) -> None:
    html = as_user(getattr(personas, role)).get(detail(getattr(workforce, worker))).content.decode()
    assert ("/end/" in html) == ("End" in buttons)
    assert ("/transfer/" in html) == ("Transfer" in buttons)
    for label in buttons[:2]:
        assert label in html
