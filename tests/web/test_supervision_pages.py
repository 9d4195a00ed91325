"""Supervision's pages: the compliance view, the supervisor database, relationships and sessions (recorded,
changed, ended, removed), the rules; who is refused; query counts of every list."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sswis.support.models import SupervisionRelationship, SupervisionSession
from sswis.support.supervision import relationship_create, rules_current, session_record
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.web.conftest import queries_for, text_of

D = datetime.date
Login = Callable[[Any], Client]


def worker_at(country: Country, location: Any, worker_id: str, organisation: Any = None) -> Any:
    worker = WorkerFactory(worker_id=worker_id, given_name=worker_id.title(), family_name="Mwale")
    AssignmentFactory(
        worker=worker,
        organisation=organisation or country.ministry,
        location=location,
        cadre=country.social_worker,
        start_date=D(2018, 1, 1),
    )
    return worker


@pytest.fixture
def pair(country: Country, personas: Personas) -> SupervisionRelationship:
    """``BOSS`` (D11) supervises ``HELPER`` (D11) from 1 January 2024, with a session on 1 March."""
    boss = worker_at(country, country.district_11, "BOSS")
    helper = worker_at(country, country.district_11, "HELPER")
    session_record(actor=personas.national, supervisor=boss, supervisee=helper, date=D(2024, 3, 1))
    return relationship_create(
        actor=personas.national, supervisor=boss, supervisee=helper, start_date=D(2024, 1, 1)
    )


def test_an_officer_records_a_relationship_and_a_session_then_ends_and_removes_them(
    country: Country, personas: Personas, as_user: Login
) -> None:
    worker_at(country, country.district_11, "BOSS")
    worker_at(country, country.district_12, "HELPER")
    client = as_user(personas.subnational)
    form = {
        "supervisor": "BOSS",
        "supervisee": "HELPER",
        "start_date": "2024-01-01",
        "kind": "supportive",
        "mode": "individual",
    }
    response = client.post(reverse("web:supervision_relationship_new"), form)
    assert response.status_code == 302, text_of(response)
    relationship = SupervisionRelationship.objects.get()
    edit = reverse("web:supervision_relationship_edit", kwargs={"relationship_uuid": relationship.uuid})
    ended = client.post(edit, {"end_date": "2024-06-30", "kind": "educational", "mode": "group"})
    assert ended.status_code == 302
    relationship.refresh_from_db()
    assert (relationship.end_date, relationship.kind, relationship.mode) == (
        D(2024, 6, 30),
        "educational",
        "group",
    )
    session = {
        "supervisor": "BOSS",
        "supervisee": "HELPER",
        "date": "2024-03-01",
        "kind": "supportive",
        "duration_minutes": "30",
    }
    assert client.post(reverse("web:supervision_session_new"), session).status_code == 302
    recorded = SupervisionSession.objects.get()
    assert (recorded.duration_minutes, recorded.source) == (30, "entered")
    delete = reverse("web:supervision_session_delete", kwargs={"session_uuid": recorded.uuid})
    assert client.post(delete).status_code == 302
    assert SupervisionSession.objects.count() == 0


def test_bad_input_is_shown_on_the_form_and_nothing_is_written(
    country: Country, personas: Personas, as_user: Login
) -> None:
    worker_at(country, country.district_11, "BOSS")
    worker_at(country, country.district_21, "FAR", organisation=country.ngo)
    client = as_user(personas.subnational)
    url = reverse("web:supervision_relationship_new")
    base = {"supervisor": "BOSS", "start_date": "2024-01-01", "kind": "supportive", "mode": "individual"}
    itself = client.post(url, {**base, "supervisee": "BOSS"})
    assert itself.status_code == 400 and "A worker cannot supervise themselves." in text_of(itself)
    far = client.post(url, {**base, "supervisee": "FAR"})  # NGO1 in D21: not the R1 officer's
    assert far.status_code == 400 and "None of the workers you see has this worker ID." in text_of(far)
    assert SupervisionRelationship.objects.count() == 0


def test_the_database_and_the_compliance_view_show_what_each_reader_may_see(
    country: Country, personas: Personas, as_user: Login, pair: SupervisionRelationship
) -> None:
    database = as_user(personas.subnational).get(
        reverse("web:supervision_supervisors"), {"day": "2024-06-30"}
    )
    assert database.status_code == 200
    text = text_of(database)
    assert "Boss Mwale" in text and "Helper Mwale" in text and "Auxiliary mentor" in text
    assert "Boss Mwale" not in text_of(
        as_user(personas.focal_point).get(reverse("web:supervision_supervisors"), {"day": "2024-06-30"})
    )
    assert as_user(personas.analyst).get(reverse("web:supervision_supervisors")).status_code == 403
    compliance = reverse("web:supervision_compliance")
    national = text_of(as_user(personas.national).get(compliance, {"location": "R1", "day": "2024-06-30"}))
    assert "Workers with no supervisor" in national and "Boss Mwale" in national
    analyst = as_user(personas.analyst).get(compliance, {"location": "R1", "day": "2024-06-30"})
    assert (
        analyst.status_code == 200 and "withheld" in text_of(analyst) and "Boss Mwale" not in text_of(analyst)
    )
    assert as_user(personas.outsider).get(compliance).status_code == 403


def test_the_rules_are_changed_by_a_national_data_manager_only(personas: Personas, as_user: Login) -> None:
    url = reverse("web:supervision_rules")
    form = {
        "supervisees_when_only_duty": "12",
        "supervisees_otherwise": "6",
        "must_be_registered": "on",
        "minimum_experience_years": "3",
        "auxiliary_mentor_years": "5",
    }
    assert as_user(personas.analyst).get(url).status_code == 200
    assert as_user(personas.subnational).post(url, form).status_code == 403
    bad = as_user(personas.national).post(url, {**form, "supervisees_otherwise": "0"})
    assert bad.status_code == 400
    assert as_user(personas.national).post(url, form).status_code == 302
    rules = rules_current()
    assert (rules.supervisees_when_only_duty, rules.minimum_experience_years) == (12, 3)


@pytest.mark.parametrize(
    "name",
    [
        "supervision_supervisors",
        "supervision_relationship_list",
        "supervision_session_list",
        "supervision_compliance",
    ],
)
def test_every_list_costs_the_same_queries_for_1_or_3(
    country: Country, personas: Personas, as_user: Login, name: str
) -> None:
    client = as_user(personas.subnational)
    url = reverse(f"web:{name}") + "?day=2024-06-30"
    counted = []
    for total in (1, 3):
        while SupervisionRelationship.objects.count() < total:
            n = SupervisionRelationship.objects.count()
            boss = worker_at(country, country.district_11, f"BOSS{n}")
            helper = worker_at(country, country.district_12, f"HELP{n}")
            relationship_create(
                actor=personas.national, supervisor=boss, supervisee=helper, start_date=D(2024, 1, 1)
            )
            session_record(actor=personas.national, supervisor=boss, supervisee=helper, date=D(2024, 3, 1))
        counted.append(queries_for(client, url))
    assert counted[0] == counted[1]
