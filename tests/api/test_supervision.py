"""Supervision through the API (``/api/v1/support/supervision/``): relationships and sessions created,
changed, ended and deleted by whoever sees both workers and refused to the others; bad input named; the
supervisor database, the compliance view and the rules; query counts of every list."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.support.models import SupervisionRelationship, SupervisionSession
from sswis.support.supervision import relationship_create, session_record
from tests.api.conftest import Staffing, results
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date
BASE = "/api/v1/support/supervision"
Clients = Callable[[str | None], APIClient]


def north_supervisee(country: Country, worker_id: str = "W000003") -> Any:
    worker = WorkerFactory(worker_id=worker_id, given_name="Chipo", family_name="Zulu")
    AssignmentFactory(
        worker=worker, organisation=country.ministry, location=country.district_11, start_date=D(2022, 1, 1)
    )
    return worker


def test_an_officer_records_changes_and_ends_a_relationship_of_their_area(
    country: Country, staffing: Staffing, client_for: Clients
) -> None:
    north_supervisee(country)
    client = client_for("subnational")
    created = client.post(
        f"{BASE}/relationships/",
        {
            "supervisor": "W000001",
            "supervisee": "W000003",
            "start_date": "2024-01-01",
            "supervision_only_duty": True,
            "mode": "group",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["supervisor"]["worker_id"], body["supervisee"]["worker_id"], body["kind"], body["mode"]) == (
        "W000001",
        "W000003",
        "supportive",
        "group",
    )
    url = f"{BASE}/relationships/{body['uuid']}/"
    changed = client.patch(url, {"kind": "educational"}, format="json")
    assert changed.status_code == 200 and changed.json()["kind"] == "educational"
    ended = client.post(f"{url}end/", {"end_date": "2024-06-30"}, format="json")
    assert ended.status_code == 200 and ended.json()["end_date"] == "2024-06-30"
    relationship = SupervisionRelationship.objects.get()
    assert relationship.history.count() == 3


def test_bad_relationships_are_refused_naming_the_field(
    country: Country, staffing: Staffing, client_for: Clients
) -> None:
    north_supervisee(country)
    client = client_for("national")

    def refused(data: dict[str, Any]) -> dict[str, Any]:
        response = client.post(f"{BASE}/relationships/", data, format="json")
        assert response.status_code == 400, response.content
        return dict(response.json())

    base = {"supervisor": "W000001", "supervisee": "W000003", "start_date": "2024-01-01"}
    assert "supervisee" in refused({**base, "supervisee": "W000001"})
    assert "end_date" in refused({**base, "end_date": "2023-12-31"})
    assert "kind" in refused({**base, "kind": "friendly"})
    assert "supervisor" in refused({**base, "supervisor": "NOBODY"})
    assert "start_date" in refused({**base, "start_date": "2999-01-01"})
    assert SupervisionRelationship.objects.count() == 0


def test_a_worker_of_another_organisation_cannot_be_linked_and_outsiders_are_refused(
    country: Country, staffing: Staffing, client_for: Clients
) -> None:
    """The NGO's focal point does not see the ministry's W000001: answered as unknown; the officer of R1
    does not see the NGO's W000002 (D21). Analysts, outsiders and anonymous visitors are refused."""
    data = {"supervisor": "W000001", "supervisee": "W000002", "start_date": "2024-01-01"}
    focal = client_for("focal_point").post(f"{BASE}/relationships/", data, format="json")
    assert (focal.status_code, list(focal.json())) == (400, ["supervisor"])
    officer = client_for("subnational").post(f"{BASE}/relationships/", data, format="json")
    assert (officer.status_code, list(officer.json())) == (400, ["supervisee"])
    for persona, status in (("analyst", 403), ("outsider", 403), (None, 401)):
        assert client_for(persona).post(f"{BASE}/relationships/", data, format="json").status_code == status
        assert client_for(persona).get(f"{BASE}/relationships/").status_code == status
    assert SupervisionRelationship.objects.count() == 0


def test_a_relationship_out_of_scope_is_not_found(
    country: Country, staffing: Staffing, personas: Personas, client_for: Clients
) -> None:
    relationship = relationship_create(
        actor=personas.national,
        supervisor=staffing.north_worker,
        supervisee=north_supervisee(country),
        start_date=D(2024, 1, 1),
    )
    url = f"{BASE}/relationships/{relationship.uuid}/"
    assert client_for("subnational").get(url).status_code == 200
    assert client_for("focal_point").get(url).status_code == 404
    assert client_for("focal_point").patch(url, {"kind": "educational"}, format="json").status_code == 404
    assert SupervisionRelationship.objects.get().kind == "supportive"


def test_sessions_are_recorded_changed_and_deleted(
    country: Country, staffing: Staffing, client_for: Clients
) -> None:
    north_supervisee(country)
    client = client_for("national")
    created = client.post(
        f"{BASE}/sessions/",
        {"supervisor": "W000001", "supervisee": "W000003", "date": "2024-03-01", "duration_minutes": 45},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert (created.json()["source"], created.json()["duration_minutes"]) == ("api", 45)
    url = f"{BASE}/sessions/{created.json()['uuid']}/"
    bad = client.patch(url, {"topics": "Case\x07review"}, format="json")
    assert bad.status_code == 400 and "topics" in bad.json()
    changed = client.patch(url, {"topics": "Case review", "duration_minutes": 60}, format="json")
    assert changed.status_code == 200 and changed.json()["topics"] == "Case review"
    again = client.post(
        f"{BASE}/sessions/",
        {"supervisor": "W000001", "supervisee": "W000003", "date": "2024-03-01"},
        format="json",
    )
    assert again.status_code == 400 and "date" in again.json()
    assert client_for("focal_point").delete(url).status_code == 404
    assert client.delete(url).status_code == 204
    assert SupervisionSession.objects.count() == 0


def test_the_supervisor_database_and_the_compliance_view(
    country: Country, staffing: Staffing, personas: Personas, client_for: Clients
) -> None:
    supervisee = north_supervisee(country)
    relationship_create(
        actor=personas.national,
        supervisor=staffing.north_worker,
        supervisee=supervisee,
        start_date=D(2024, 1, 1),
    )
    rows = results(client_for("subnational").get(f"{BASE}/supervisors/", {"day": "2024-06-30"}))
    assert [row["supervisor"]["worker_id"] for row in rows] == ["W000001"]
    row = rows[0]
    assert (row["location"], row["cadre"], row["supervisee_count"], row["norm"], row["over_norm"]) == (
        "D11",
        "SW",
        1,
        6,
        False,
    )
    assert [s["worker_id"] for s in row["supervisees"]] == ["W000003"]
    assert row["eligibility"] == {
        "status": "not_eligible",
        "registered": False,
        "experience_years": 4,
        "course_completed": None,
        "reasons": ["no registration of theirs is registered on 2024-06-30"],
    }
    assert results(client_for("focal_point").get(f"{BASE}/supervisors/", {"day": "2024-06-30"})) == []
    assert client_for("analyst").get(f"{BASE}/supervisors/").status_code == 403
    national = client_for("national").get(f"{BASE}/compliance/", {"location": "R1", "day": "2024-06-30"})
    assert national.status_code == 200
    body = national.json()
    assert body["totals"] == {"workers": 2, "supervisors": 1, "supervisees": 1}
    assert body["counts"]["workers_without_supervisor"] == 1
    assert [e["worker"]["worker_id"] for e in body["lists"]["workers_without_supervisor"]] == ["W000001"]
    analyst = client_for("analyst").get(f"{BASE}/compliance/", {"location": "R1", "day": "2024-06-30"}).json()
    assert (analyst["lists"], analyst["counts"]["workers_without_supervisor"], analyst["withheld"]) == (
        None,
        None,
        True,
    )
    assert client_for("outsider").get(f"{BASE}/compliance/").status_code == 403
    refused = client_for("national").get(f"{BASE}/compliance/", {"location": "NOWHERE"})
    assert refused.status_code == 400 and "location" in refused.json()


def test_the_rules_are_read_by_every_role_and_changed_by_a_national_data_manager(
    personas: Personas, client_for: Clients
) -> None:
    assert client_for("analyst").get(f"{BASE}/rules/").json() == {
        "supervisees_when_only_duty": 10,
        "supervisees_otherwise": 6,
        "must_be_registered": True,
        "minimum_experience_years": 2,
        "supervision_course": None,
        "auxiliary_mentor_years": 5,
    }
    assert client_for("subnational").patch(f"{BASE}/rules/", {"supervisees_otherwise": 8}).status_code == 403
    bad = client_for("national").patch(f"{BASE}/rules/", {"supervisees_otherwise": 0}, format="json")
    assert bad.status_code == 400 and "supervisees_otherwise" in bad.json()
    course = client_for("national").patch(f"{BASE}/rules/", {"supervision_course": "NONE"}, format="json")
    assert course.status_code == 400 and "supervision_course" in course.json()
    changed = client_for("administrator").patch(f"{BASE}/rules/", {"supervisees_otherwise": 8}, format="json")
    assert changed.status_code == 200 and changed.json()["supervisees_otherwise"] == 8
    assert client_for("outsider").get(f"{BASE}/rules/").status_code == 403


@pytest.mark.parametrize("path", ["relationships/", "sessions/", "supervisors/?day=2024-06-30"])
def test_every_list_costs_the_same_queries_for_1_or_3_rows(
    country: Country, staffing: Staffing, personas: Personas, client_for: Clients, path: str
) -> None:
    def add(n: int) -> None:
        supervisor = north_supervisee(country, f"SUP{n}")
        supervisee = north_supervisee(country, f"SEE{n}")
        relationship_create(
            actor=personas.national, supervisor=supervisor, supervisee=supervisee, start_date=D(2024, 1, 1)
        )
        session_record(
            actor=personas.national, supervisor=supervisor, supervisee=supervisee, date=D(2024, 3, 1)
        )

    counted = []
    for total in (1, 3):
        while SupervisionRelationship.objects.count() < total:
            add(SupervisionRelationship.objects.count())
        client = client_for("subnational")
        client.get(f"{BASE}/{path}")  # the user's scope is read once, then kept
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}/{path}")
        assert len(results(response)) == total
        counted.append(len(queries))
    assert counted[0] == counted[1]


def test_the_compliance_view_costs_the_same_queries_for_1_or_3(
    country: Country, staffing: Staffing, client_for: Clients
) -> None:
    client = client_for("subnational")
    counted, lone = [], []
    for total in (1, 3):
        while len(lone) < total:
            lone.append(north_supervisee(country, f"LONE{len(lone)}"))
        client.get(f"{BASE}/compliance/", {"day": "2024-06-30"})  # the user's scope is read once, then kept
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}/compliance/", {"day": "2024-06-30"})
        assert len(response.json()["lists"]["workers_without_supervisor"]) == total + 1
        counted.append(len(queries))
    assert counted[0] == counted[1]
