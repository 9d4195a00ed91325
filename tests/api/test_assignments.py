"""``/api/v1/assignments/``: start, correct, end and transfer assignments through the registry services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from sswis.registry.models import Assignment
from tests.api.conftest import Staffing, results, timestamp
from tests.conftest import Personas

URL = "/api/v1/assignments/"
Client = Callable[[str | None], APIClient]


def workers_of(response: Any) -> list[str]:
    return [row["worker"] for row in results(response)]


def test_national_reads_an_assignment_with_every_field(client_for: Client, staffing: Staffing) -> None:
    assignment = staffing.north_assignment

    response = client_for("national").get(f"{URL}{assignment.uuid}/")

    assert response.status_code == 200
    assert response.json() == {
        "uuid": str(assignment.uuid),
        "worker": "W000001",
        "organisation": "MSW",
        "location": "D11",
        "cadre": "SW",
        "post": "P001",
        "start_date": "2020-03-01",
        "end_date": None,
        "paid": True,
        "fte": "1.000",
        "child_protection": True,
        "exit_reason": "",
        "updated_at": timestamp(assignment.updated_at),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("national", ["W000001", "W000002"]), ("subnational", ["W000001"]), ("focal_point", ["W000002"])],
)
def test_person_roles_list_assignments_in_their_scope(
    client_for: Client, staffing: Staffing, persona: str, expected: list[str]
) -> None:
    assert workers_of(client_for(persona).get(URL)) == expected


def test_out_of_scope_assignment_is_not_found(client_for: Client, staffing: Staffing) -> None:
    assert client_for("subnational").get(f"{URL}{staffing.south_assignment.uuid}/").status_code == 404
    assert client_for("focal_point").get(f"{URL}{staffing.north_assignment.uuid}/").status_code == 404


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_no_assignment_for_roles_without_people(client_for: Client, staffing: Staffing, persona: str) -> None:
    client = client_for(persona)

    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{staffing.north_assignment.uuid}/").status_code == 403


def test_anonymous_is_refused(client_for: Client, staffing: Staffing) -> None:
    assert client_for(None).get(URL).status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("worker=W000002", ["W000002"]),
        ("organisation=MSW", ["W000001"]),
        ("location=R2", ["W000002"]),
        ("location=KD", ["W000001", "W000002"]),
        ("cadre=PSW", ["W000002"]),
        ("active_on=2021-01-01", ["W000001"]),
        ("active_on=2021-06-01", ["W000001", "W000002"]),
        ("active_on=2020-02-29", []),
    ],
)
def test_filters(client_for: Client, staffing: Staffing, query: str, expected: list[str]) -> None:
    assert workers_of(client_for("national").get(f"{URL}?{query}")) == expected


def test_bad_filter_value_is_a_bad_request(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").get(f"{URL}?active_on=yesterday")

    assert response.status_code == 400
    assert list(response.json()) == ["active_on"]


NEW_ASSIGNMENT = {
    "worker": "W000001",
    "organisation": "MSW",
    "location": "D12",
    "cadre": "PSW",
    "start_date": "2024-01-15",
    "paid": False,
    "fte": "0.5",
}


@pytest.mark.parametrize("persona", ["national", "subnational"])
def test_start_an_assignment_in_scope(
    client_for: Client, staffing: Staffing, personas: Personas, persona: str
) -> None:
    response = client_for(persona).post(URL, NEW_ASSIGNMENT, format="json")

    assert response.status_code == 201, response.content
    assignment = Assignment.objects.get(location__code="D12")
    assert response.json() == {
        "uuid": str(assignment.uuid),
        "worker": "W000001",
        "organisation": "MSW",
        "location": "D12",
        "cadre": "PSW",
        "post": None,
        "start_date": "2024-01-15",
        "end_date": None,
        "paid": False,
        "fte": "0.500",
        "child_protection": True,
        "exit_reason": "",
        "updated_at": timestamp(assignment.updated_at),
    }
    assert assignment.history.get().history_user == getattr(personas, persona)


def test_focal_point_starts_assignments_of_their_organisation_only(
    client_for: Client, staffing: Staffing
) -> None:
    client = client_for("focal_point")
    their_worker = {**NEW_ASSIGNMENT, "worker": "W000002"}

    own = client.post(URL, {**their_worker, "organisation": "NGO1"}, format="json")
    other = client.post(URL, {**their_worker, "start_date": "2024-03-01"}, format="json")

    assert (own.status_code, other.status_code) == (201, 403)
    assert Assignment.objects.count() == 3


def test_a_worker_out_of_scope_is_answered_like_an_unknown_worker_and_nothing_is_written(
    client_for: Client, staffing: Staffing
) -> None:
    client = client_for("focal_point")

    # W000001 works for the ministry: giving them an assignment in NGO1 would hand the NGO their record.
    hidden = client.post(URL, {**NEW_ASSIGNMENT, "organisation": "NGO1"}, format="json")
    unknown = client.post(URL, {**NEW_ASSIGNMENT, "organisation": "NGO1", "worker": "W999"}, format="json")

    assert (hidden.status_code, hidden.json()) == (400, {"worker": ['No worker with worker ID "W000001".']})
    assert (unknown.status_code, unknown.json()) == (400, {"worker": ['No worker with worker ID "W999".']})
    assert Assignment.objects.count() == 2


def test_start_outside_scope_is_forbidden_and_writes_nothing(client_for: Client, staffing: Staffing) -> None:
    response = client_for("subnational").post(URL, {**NEW_ASSIGNMENT, "location": "D21"}, format="json")

    assert response.status_code == 403
    assert Assignment.objects.count() == 2


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_roles_without_people_may_not_start(client_for: Client, staffing: Staffing, persona: str) -> None:
    assert client_for(persona).post(URL, NEW_ASSIGNMENT, format="json").status_code == 403
    assert Assignment.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"worker": "W999999"}, {"worker": ['No worker with worker ID "W999999".']}),
        ({"organisation": "XX"}, {"organisation": ['No organisation with code "XX".']}),
        ({"post": "P404"}, {"post": ['No post with code "P404".']}),
        (
            {"location": "D21", "cadre": "PSW", "organisation": "NGO1", "post": "P001"},
            {
                "post": [
                    "Post P001 belongs to MSW at D11 in cadre SW; the assignment's organisation, location and "
                    "cadre must be the same."
                ]
            },
        ),
        ({"fte": "0"}, {"fte": ["Ensure this value is greater than or equal to 0.001."]}),
    ],
)
def test_invalid_start_is_refused_with_field_messages(
    client_for: Client, staffing: Staffing, change: dict[str, str], expected: dict[str, list[str]]
) -> None:
    response = client_for("national").post(URL, {**NEW_ASSIGNMENT, **change}, format="json")

    assert response.status_code == 400
    assert response.json() == expected
    assert Assignment.objects.count() == 2


def test_duplicate_assignment_is_refused(client_for: Client, staffing: Staffing) -> None:
    duplicate = {**NEW_ASSIGNMENT, "location": "D11", "cadre": "SW", "start_date": "2020-03-01"}

    response = client_for("national").post(URL, duplicate, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert Assignment.objects.count() == 2


def test_patch_corrects_the_terms_and_is_audited(
    client_for: Client, staffing: Staffing, personas: Personas
) -> None:
    assignment = staffing.north_assignment

    response = client_for("subnational").patch(
        f"{URL}{assignment.uuid}/", {"fte": "0.8", "child_protection": False}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["fte"], response.json()["child_protection"]) == ("0.800", False)
    latest = Assignment.objects.get(pk=assignment.pk).history.latest()
    assert (latest.fte, latest.history_user) == (Decimal("0.800"), personas.subnational)


def test_patch_refuses_changing_the_identity(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").patch(
        f"{URL}{staffing.north_assignment.uuid}/", {"location": "D12", "fte": "0.5"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "location": ["This identifies the assignment and cannot be corrected; transfer the worker instead."]
    }
    assert Assignment.objects.get(pk=staffing.north_assignment.pk).fte == 1


def test_patch_exit_reason_without_end_date_is_refused(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").patch(
        f"{URL}{staffing.north_assignment.uuid}/", {"exit_reason": "resigned"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"exit_reason": ["An exit reason needs an end date."]}
    assert Assignment.objects.get(pk=staffing.north_assignment.pk).exit_reason == ""


def test_patch_post_is_checked_by_the_service(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").patch(
        f"{URL}{staffing.south_assignment.uuid}/", {"post": "P002"}, format="json"
    )
    wrong = client_for("national").patch(
        f"{URL}{staffing.south_assignment.uuid}/", {"post": "P001"}, format="json"
    )

    assert (response.status_code, response.json()["post"]) == (200, "P002")
    assert wrong.status_code == 400
    assert list(wrong.json()) == ["post"]


def test_put_needs_every_term(client_for: Client, staffing: Staffing) -> None:
    url = f"{URL}{staffing.south_assignment.uuid}/"

    incomplete = client_for("national").put(url, {"paid": True}, format="json")
    complete = client_for("national").put(
        url, {"paid": True, "fte": "0.25", "child_protection": True, "post": None}, format="json"
    )

    assert (incomplete.status_code, sorted(incomplete.json())) == (400, ["fte"])
    assert complete.status_code == 200, complete.content
    assignment = Assignment.objects.get(pk=staffing.south_assignment.pk)
    assert (assignment.paid, assignment.fte) == (True, Decimal("0.25"))


def test_patch_out_of_scope_is_not_found(client_for: Client, staffing: Staffing) -> None:
    response = client_for("focal_point").patch(
        f"{URL}{staffing.north_assignment.uuid}/", {"paid": False}, format="json"
    )

    assert response.status_code == 404
    assert Assignment.objects.get(pk=staffing.north_assignment.pk).paid is True


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_roles_without_people_may_not_correct(client_for: Client, staffing: Staffing, persona: str) -> None:
    url = f"{URL}{staffing.north_assignment.uuid}/"
    assert client_for(persona).patch(url, {"paid": False}, format="json").status_code == 403


# --- end ------------------------------------------------------------------------------------------


def test_end_an_assignment(client_for: Client, staffing: Staffing, personas: Personas) -> None:
    assignment = staffing.north_assignment

    response = client_for("subnational").post(
        f"{URL}{assignment.uuid}/end/", {"end_date": "2024-06-30", "exit_reason": "resigned"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["end_date"], response.json()["exit_reason"]) == ("2024-06-30", "resigned")
    latest = Assignment.objects.get(pk=assignment.pk).history.latest()
    assert (latest.end_date, latest.history_user) == (datetime.date(2024, 6, 30), personas.subnational)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"end_date": "2019-12-31", "exit_reason": "resigned"},
            {"end_date": ["The end date must not be before the start date (2020-03-01)."]},
        ),
        (
            {"end_date": "2024-06-30", "exit_reason": "bored"},
            {"exit_reason": ['"bored" is not a valid choice.']},
        ),
        ({"exit_reason": "resigned"}, {"end_date": ["This field is required."]}),
    ],
)
def test_invalid_end_is_refused(
    client_for: Client, staffing: Staffing, payload: dict[str, str], expected: dict[str, list[str]]
) -> None:
    response = client_for("national").post(
        f"{URL}{staffing.north_assignment.uuid}/end/", payload, format="json"
    )

    assert response.status_code == 400
    assert response.json() == expected
    assert Assignment.objects.get(pk=staffing.north_assignment.pk).end_date is None


def test_ending_twice_is_refused(client_for: Client, staffing: Staffing) -> None:
    url = f"{URL}{staffing.north_assignment.uuid}/end/"
    client_for("national").post(url, {"end_date": "2024-06-30", "exit_reason": "resigned"}, format="json")

    response = client_for("national").post(
        url, {"end_date": "2024-07-31", "exit_reason": "retired"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"end_date": ["This assignment already ended on 2024-06-30."]}


def test_end_out_of_scope_is_not_found(client_for: Client, staffing: Staffing) -> None:
    response = client_for("subnational").post(
        f"{URL}{staffing.south_assignment.uuid}/end/",
        {"end_date": "2024-06-30", "exit_reason": "resigned"},
        format="json",
    )

    assert response.status_code == 404
    assert Assignment.objects.get(pk=staffing.south_assignment.pk).end_date is None


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_roles_without_people_may_not_end(client_for: Client, staffing: Staffing, persona: str) -> None:
    url = f"{URL}{staffing.north_assignment.uuid}/end/"
    response = client_for(persona).post(
        url, {"end_date": "2024-06-30", "exit_reason": "resigned"}, format="json"
    )

    assert response.status_code == 403


# --- transfer -------------------------------------------------------------------------------------

TRANSFER = {
    "last_day": "2024-03-31",
    "organisation": "MSW",
    "location": "D12",
    "cadre": "SW",
    "start_date": "2024-04-01",
    "paid": True,
}


def test_transfer_ends_the_assignment_and_starts_the_next(
    client_for: Client, staffing: Staffing, personas: Personas
) -> None:
    old = staffing.north_assignment

    response = client_for("subnational").post(f"{URL}{old.uuid}/transfer/", TRANSFER, format="json")

    assert response.status_code == 201, response.content
    new = Assignment.objects.get(location__code="D12")
    assert response.json() == {
        "uuid": str(new.uuid),
        "worker": "W000001",
        "organisation": "MSW",
        "location": "D12",
        "cadre": "SW",
        "post": None,
        "start_date": "2024-04-01",
        "end_date": None,
        "paid": True,
        "fte": "1.000",
        "child_protection": True,
        "exit_reason": "",
        "updated_at": timestamp(new.updated_at),
    }
    old.refresh_from_db()
    assert (old.end_date, old.exit_reason) == (datetime.date(2024, 3, 31), "transferred")
    assert {old.history.latest().history_user, new.history.get().history_user} == {personas.subnational}


def test_transfer_out_of_scope_is_forbidden_and_changes_nothing(
    client_for: Client, staffing: Staffing
) -> None:
    old = staffing.north_assignment

    response = client_for("subnational").post(
        f"{URL}{old.uuid}/transfer/", {**TRANSFER, "location": "D21"}, format="json"
    )

    assert response.status_code == 403
    old.refresh_from_db()
    assert (old.end_date, Assignment.objects.count()) == (None, 2)


def test_transfer_must_start_after_the_last_day(client_for: Client, staffing: Staffing) -> None:
    old = staffing.north_assignment

    response = client_for("national").post(
        f"{URL}{old.uuid}/transfer/", {**TRANSFER, "start_date": "2024-03-31"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "start_date": ["The new assignment must start after the last day of the old one."]
    }
    old.refresh_from_db()
    assert (old.end_date, Assignment.objects.count()) == (None, 2)


def test_transfer_with_unknown_codes_names_them(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").post(
        f"{URL}{staffing.north_assignment.uuid}/transfer/", {**TRANSFER, "cadre": "ZZ"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"cadre": ['No cadre with code "ZZ".']}


def test_transfer_out_of_scope_assignment_is_not_found(client_for: Client, staffing: Staffing) -> None:
    response = client_for("focal_point").post(
        f"{URL}{staffing.north_assignment.uuid}/transfer/", TRANSFER, format="json"
    )

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_roles_without_people_may_not_transfer(client_for: Client, staffing: Staffing, persona: str) -> None:
    url = f"{URL}{staffing.north_assignment.uuid}/transfer/"
    assert client_for(persona).post(url, TRANSFER, format="json").status_code == 403
    assert Assignment.objects.count() == 2
