"""``/api/v1/workers/``: person records in the user's scope, with the web worker list's filters."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.http import QueryDict
from rest_framework.test import APIClient

from sswis.registry.models import Assignment, Worker
from sswis.registry.selectors import WorkerFilters, worker_list
from tests.api.conftest import Staffing, codes, timestamp
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

URL = "/api/v1/workers/"
Client = Callable[[str | None], APIClient]


def worker_ids(response: Any) -> list[str]:
    return codes(response, key="worker_id")


def test_national_reads_a_worker_with_every_field(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").get(f"{URL}W000001/")

    worker = staffing.north_worker
    assert response.status_code == 200
    assert response.json() == {
        "uuid": str(worker.uuid),
        "worker_id": "W000001",
        "given_name": "Amina",
        "family_name": "Banda",
        "sex": "female",
        "birth_date": None,
        "disability": "unknown",
        "education_level": "bachelor",
        "education_field": "",
        "national_id": "",
        "phone": "",
        "email": "",
        "primero_user_name": "",
        "created_at": timestamp(worker.created_at),
        "updated_at": timestamp(worker.updated_at),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("national", ["W000001", "W000002"]), ("subnational", ["W000001"]), ("focal_point", ["W000002"])],
)
def test_person_roles_list_the_workers_in_their_scope(
    client_for: Client, staffing: Staffing, persona: str, expected: list[str]
) -> None:
    assert worker_ids(client_for(persona).get(URL)) == expected


def test_out_of_scope_worker_is_not_found(client_for: Client, staffing: Staffing) -> None:
    assert client_for("subnational").get(f"{URL}W000002/").status_code == 404
    assert client_for("focal_point").get(f"{URL}W000001/").status_code == 404
    assert client_for("focal_point").get(f"{URL}W000002/").status_code == 200


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_no_person_record_for_roles_without_people(
    client_for: Client, staffing: Staffing, persona: str
) -> None:
    client = client_for(persona)

    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}W000001/").status_code == 403
    assert b"Banda" not in client.get(URL).content


def test_anonymous_is_refused(client_for: Client, staffing: Staffing) -> None:
    assert client_for(None).get(URL).status_code == 401
    assert client_for(None).get(f"{URL}W000001/").status_code == 401


@pytest.fixture
def more_staff(staffing: Staffing, country: Country) -> None:
    """W000003 volunteers (unpaid) for NGO1 in D12 (R1) since 2023; W000004 has no assignment."""
    volunteer = WorkerFactory(worker_id="W000003", given_name="Grace", family_name="Bwalya", sex="female")
    AssignmentFactory(
        worker=volunteer,
        organisation=country.ngo,
        location=country.district_12,
        cadre=country.volunteer,
        start_date=datetime.date(2023, 1, 1),
        paid=False,
    )
    WorkerFactory(worker_id="W000004", given_name="Peter", family_name="Zulu")


QUERIES = [
    "",
    "search=Banda",
    "search=w000002",
    "search=Amina Ba",
    "location=R1",
    "location=D21",
    "cadre=SW",
    "cadre=SW&cadre=CPV",
    "category=volunteer",
    "category=professional&category=para_professional",
    "organisation=NGO1",
    "organisation=MSW&organisation=NGO1",
    "employer=government",
    "employer=non_government",
    "paid=true",
    "paid=false",
    "active_year=2020",
    "active_year=2023",
    "organisation=NGO1&location=R1&paid=false",
    "organisation=NGO1&cadre=PSW&location=R1",
]


@pytest.mark.parametrize("persona", ["national", "subnational", "focal_point"])
@pytest.mark.parametrize("query", QUERIES)
def test_filters_are_those_of_the_worker_list_selector(
    client_for: Client, personas: Personas, country: Country, more_staff: None, persona: str, query: str
) -> None:
    params = QueryDict(query)
    codes_of = {location.code: location for location in (country.region_1, country.district_21)}
    filters = WorkerFilters(
        search=params.get("search", ""),
        location=codes_of[params["location"]] if "location" in params else None,
        cadre_codes=tuple(params.getlist("cadre")),
        categories=tuple(params.getlist("category")),
        organisation_codes=tuple(params.getlist("organisation")),
        employer=params.get("employer", ""),
        paid={"true": True, "false": False}.get(params.get("paid", "")),
        active_year=int(params["active_year"]) if "active_year" in params else None,
    )
    user = getattr(personas, persona)
    expected = list(worker_list(user=user, filters=filters).values_list("worker_id", flat=True))

    assert worker_ids(client_for(persona).get(f"{URL}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["W000001", "W000003", "W000002", "W000004"]),
        ("location=R1", ["W000001", "W000003"]),
        ("cadre=SW&cadre=CPV", ["W000001", "W000003"]),
        ("employer=non_government&paid=false", ["W000003", "W000002"]),
        ("active_year=2022", ["W000001", "W000002"]),
        ("organisation=NGO1&location=R1", ["W000003"]),
        ("search=Bwalya", ["W000003"]),
    ],
)
def test_filter_results_for_the_national_data_manager(
    client_for: Client, more_staff: None, query: str, expected: list[str]
) -> None:
    assert worker_ids(client_for("national").get(f"{URL}?{query}")) == expected


def test_subnational_filter_counts_only_assignments_they_see(client_for: Client, more_staff: None) -> None:
    # W000002 works in D21, outside R1: filtering by D21 must not reveal them.
    assert worker_ids(client_for("subnational").get(f"{URL}?location=D21")) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cadre=NOPE", "cadre"),
        ("location=NOPE", "location"),
        ("category=boss", "category"),
        ("employer=family", "employer"),
        ("active_year=soon", "active_year"),
        ("organisation=NOPE", "organisation"),
    ],
)
def test_bad_filter_values_are_bad_requests(
    client_for: Client, staffing: Staffing, query: str, field: str
) -> None:
    response = client_for("national").get(f"{URL}?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [field]


NEW_WORKER = {"worker_id": "W000100", "given_name": "Ruth", "family_name": "Mwale", "sex": "female"}
FIRST_ASSIGNMENT_NORTH = {
    "organisation": "MSW",
    "location": "D12",
    "cadre": "SW",
    "start_date": "2024-02-01",
    "paid": True,
}


def test_national_registers_a_worker_without_an_assignment(
    client_for: Client, staffing: Staffing, personas: Personas
) -> None:
    response = client_for("national").post(URL, {**NEW_WORKER, "birth_date": "1990-05-04"}, format="json")

    assert response.status_code == 201, response.content
    worker = Worker.objects.get(worker_id="W000100")
    assert response.json() == {
        "uuid": str(worker.uuid),
        "worker_id": "W000100",
        "given_name": "Ruth",
        "family_name": "Mwale",
        "sex": "female",
        "birth_date": "1990-05-04",
        "disability": "unknown",
        "education_level": "unknown",
        "education_field": "",
        "national_id": "",
        "phone": "",
        "email": "",
        "primero_user_name": "",
        "created_at": timestamp(worker.created_at),
        "updated_at": timestamp(worker.updated_at),
    }
    assert worker.history.get().history_user == personas.national


def test_subnational_registers_a_worker_with_a_first_assignment_in_scope(
    client_for: Client, staffing: Staffing, personas: Personas
) -> None:
    response = client_for("subnational").post(
        URL, {**NEW_WORKER, "first_assignment": FIRST_ASSIGNMENT_NORTH}, format="json"
    )

    assert response.status_code == 201, response.content
    assignment = Assignment.objects.get(worker__worker_id="W000100")
    assert (assignment.location.code, assignment.start_date, assignment.fte) == (
        "D12",
        datetime.date(2024, 2, 1),
        1,
    )
    assert client_for("subnational").get(f"{URL}W000100/").status_code == 200


def test_subnational_must_give_a_first_assignment(client_for: Client, staffing: Staffing) -> None:
    response = client_for("subnational").post(URL, NEW_WORKER, format="json")

    assert response.status_code == 400
    assert response.json() == {"organisation": ["Give the worker's first assignment within your scope."]}
    assert Worker.objects.filter(worker_id="W000100").exists() is False


def test_registering_outside_scope_is_forbidden_and_writes_nothing(
    client_for: Client, staffing: Staffing
) -> None:
    response = client_for("subnational").post(
        URL, {**NEW_WORKER, "first_assignment": {**FIRST_ASSIGNMENT_NORTH, "location": "D21"}}, format="json"
    )

    assert response.status_code == 403
    assert Worker.objects.filter(worker_id="W000100").exists() is False
    assert Assignment.objects.count() == 2


def test_focal_point_registers_for_their_organisation(client_for: Client, staffing: Staffing) -> None:
    ngo_terms = {**FIRST_ASSIGNMENT_NORTH, "organisation": "NGO1", "location": "D21", "cadre": "CPV"}

    own = client_for("focal_point").post(URL, {**NEW_WORKER, "first_assignment": ngo_terms}, format="json")
    other = client_for("focal_point").post(
        URL, {**NEW_WORKER, "worker_id": "W000101", "first_assignment": FIRST_ASSIGNMENT_NORTH}, format="json"
    )

    assert (own.status_code, other.status_code) == (201, 403)
    assert sorted(Worker.objects.values_list("worker_id", flat=True)) == ["W000001", "W000002", "W000100"]


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_roles_without_people_may_not_register(client_for: Client, staffing: Staffing, persona: str) -> None:
    assert client_for(persona).post(URL, NEW_WORKER, format="json").status_code == 403
    assert Worker.objects.count() == 2


def test_validation_errors_name_the_fields_and_write_nothing(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").post(
        URL,
        {
            **NEW_WORKER,
            "worker_id": "W000001",
            "sex": "yes",
            "email": "not-an-email",
            "first_assignment": {**FIRST_ASSIGNMENT_NORTH, "cadre": "XX", "fte": "1.5"},
        },
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert sorted(body) == ["email", "first_assignment", "sex", "worker_id"]
    assert body["first_assignment"]["cadre"] == ['No cadre with code "XX".']
    assert sorted(body["first_assignment"]) == ["cadre", "fte"]
    assert Worker.objects.count() == 2


def test_first_assignment_on_a_filled_post_is_refused_by_the_service(
    client_for: Client, staffing: Staffing
) -> None:
    terms = {**FIRST_ASSIGNMENT_NORTH, "location": "D11", "post": "P001"}

    response = client_for("national").post(URL, {**NEW_WORKER, "first_assignment": terms}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "post": ["Post P001 is already filled by W000001 on 2024-02-01; end that assignment first."]
    }
    assert Worker.objects.count() == 2


def test_patch_in_scope_is_audited(client_for: Client, staffing: Staffing, personas: Personas) -> None:
    response = client_for("subnational").patch(f"{URL}W000001/", {"phone": "+260 977 000 111"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "+260 977 000 111"
    latest = Worker.objects.get(worker_id="W000001").history.latest()
    assert (latest.phone, latest.history_user) == ("+260 977 000 111", personas.subnational)


def test_patch_out_of_scope_is_not_found(client_for: Client, staffing: Staffing) -> None:
    response = client_for("subnational").patch(f"{URL}W000002/", {"phone": "1"}, format="json")

    assert response.status_code == 404
    assert Worker.objects.get(worker_id="W000002").phone == ""


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_roles_without_people_may_not_change(client_for: Client, staffing: Staffing, persona: str) -> None:
    assert client_for(persona).patch(f"{URL}W000001/", {"phone": "1"}, format="json").status_code == 403


def test_invalid_patch_writes_nothing(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").patch(f"{URL}W000001/", {"education_level": "phd"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["education_level"]
    assert Worker.objects.get(worker_id="W000001").history.count() == 1


def test_put_replaces_the_details(client_for: Client, staffing: Staffing) -> None:
    response = client_for("focal_point").put(
        f"{URL}W000002/",
        {"worker_id": "W000002", "given_name": "Joe", "family_name": "Phiri", "education_level": "diploma"},
        format="json",
    )

    assert response.status_code == 200, response.content
    worker = Worker.objects.get(worker_id="W000002")
    assert (worker.given_name, worker.education_level) == ("Joe", "diploma")
