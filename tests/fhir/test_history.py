"""ITI-91: ``/fhir/<Type>/_history`` and ``/fhir/_history``: what is listed after a change, in which order,
in pages, from ``_since`` exclusively; the parameters refused; who may read it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from rest_framework.test import APIClient

from sswis.fhir.history import micros_of
from sswis.fhir.versions import instant_text
from sswis.registry.models import Assignment, Worker
from sswis.regulation.models import Registration
from sswis.training.models import Completion, Programme
from tests.factories import AssignmentFactory, WorkerFactory
from tests.fhir.conftest import FHIR_JSON, Directory

pytestmark = pytest.mark.django_db

Client = Callable[[str | None], APIClient]


def history(client: APIClient, url: str, **parameters: Any) -> dict[str, Any]:
    response = client.get(url, parameters)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == f"{FHIR_JSON}; charset=utf-8"
    bundle: dict[str, Any] = response.json()
    Bundle.model_validate(bundle)  # R4B structure, history entries with request and response
    return bundle


def summary(bundle: dict[str, Any]) -> list[tuple[str, str]]:
    return [(entry["request"]["method"], entry["request"]["url"]) for entry in bundle["entry"]]


def since(instant: datetime.datetime) -> str:
    return instant_text(instant)


def test_creates_edits_ends_and_deletes_are_listed_once_each_in_their_order(
    directory: Directory, fhir_client: Client
) -> None:
    t0 = timezone.now()
    newcomer = WorkerFactory(worker_id="W000009", given_name="Esther", family_name="Mwale")
    directory.joseph.family_name = "Phiri-Banda"
    directory.joseph.save(update_fields=["family_name", "updated_at"])
    role = directory.amina_role
    role.end_date = datetime.date(2025, 6, 30)
    role.exit_reason = "transferred"
    role.save(update_fields=["end_date", "exit_reason", "updated_at"])
    gone = WorkerFactory(worker_id="W000010")
    gone_uuid = gone.uuid
    gone.delete()
    newcomer.given_name = "Esther A."
    newcomer.save(update_fields=["given_name", "updated_at"])

    client = fhir_client("national")
    practitioners = history(client, "/fhir/Practitioner/_history", _since=since(t0))
    assert summary(practitioners) == [
        ("PUT", f"Practitioner/{directory.joseph.uuid}"),
        ("PUT", f"Practitioner/{directory.amina.uuid}"),  # her assignment ended: no longer active
        ("DELETE", f"Practitioner/{gone_uuid}"),
        ("PUT", f"Practitioner/{newcomer.uuid}"),  # created, then edited: once, current version
    ]
    joseph, amina, deleted, esther = practitioners["entry"]
    assert joseph["resource"]["name"][0]["family"] == "Phiri-Banda"
    assert esther["resource"]["name"][0]["given"] == ["Esther A."]
    assert amina["resource"]["active"] is False
    assert deleted == {
        "fullUrl": f"http://testserver/fhir/Practitioner/{gone_uuid}",
        "request": {"method": "DELETE", "url": f"Practitioner/{gone_uuid}"},
        "response": {"status": "204 No Content"},
    }
    assert esther["response"] == {
        "status": "200 OK",
        "lastModified": esther["resource"]["meta"]["lastUpdated"],
    }
    roles = history(client, "/fhir/PractitionerRole/_history", _since=since(t0))
    assert summary(roles) == [("PUT", f"PractitionerRole/{role.uuid}")]
    assert roles["entry"][0]["resource"]["period"] == {"start": "2020-03-01", "end": "2025-06-30"}
    assert history(client, "/fhir/Location/_history", _since=since(t0))["entry"] == []


def test_a_changed_registration_or_completion_lists_its_practitioner(
    directory: Directory, fhir_client: Client
) -> None:
    client = fhir_client("national")
    t0 = timezone.now()
    registration = Registration.objects.get(worker=directory.amina)
    registration.status = "suspended"
    registration.save(update_fields=["status", "updated_at"])
    assert summary(history(client, "/fhir/Practitioner/_history", _since=since(t0))) == [
        ("PUT", f"Practitioner/{directory.amina.uuid}")
    ]
    t1 = timezone.now()
    Completion.objects.create(
        worker=directory.joseph,
        programme=Programme.objects.get(code="CP1"),
        completed_on=datetime.date(2024, 1, 5),
    )
    assert summary(history(client, "/fhir/Practitioner/_history", _since=since(t1))) == [
        ("PUT", f"Practitioner/{directory.joseph.uuid}")
    ]
    t2 = timezone.now()
    Completion.objects.filter(worker=directory.amina).get().delete()  # audited: a "-" history record
    bundle = history(client, "/fhir/Practitioner/_history", _since=since(t2))
    assert summary(bundle) == [("PUT", f"Practitioner/{directory.amina.uuid}")]
    assert bundle["entry"][0]["resource"]["qualification"][-1]["code"]["text"] != "Child protection basics"


def test_the_system_history_orders_every_type_by_instant(directory: Directory, fhir_client: Client) -> None:
    t0 = timezone.now()
    directory.country.ngo.name = "Hope for All Children"
    directory.country.ngo.save(update_fields=["name", "updated_at"])
    directory.amina.phone = "+265991000009"
    directory.amina.save(update_fields=["phone", "updated_at"])
    directory.country.district_21.name = "Gamma East"
    directory.country.district_21.save(update_fields=["name", "updated_at"])
    directory.joseph_role.fte = 0.5
    directory.joseph_role.save(update_fields=["fte", "updated_at"])
    bundle = history(fhir_client("national"), "/fhir/_history", _since=since(t0))
    # Joseph's assignment also changes his Practitioner (active, who sees him), at the same instant: listed
    # in the kinds' order. It changes who sees its organisation only for a scoped reader: a national reader
    # gets the NGO at its own change.
    assert summary(bundle) == [
        ("PUT", f"Organization/{directory.country.ngo.uuid}"),
        ("PUT", f"Practitioner/{directory.amina.uuid}"),
        ("PUT", f"Location/{directory.country.district_21.uuid}"),
        ("PUT", f"Practitioner/{directory.joseph.uuid}"),
        ("PUT", f"PractitionerRole/{directory.joseph_role.uuid}"),
    ]
    assert bundle["entry"][0]["resource"]["name"] == "Hope for All Children"


def test_pages_follow_next_links_without_loss_or_repetition(
    directory: Directory, fhir_client: Client
) -> None:
    client = fhir_client("national")
    whole = history(client, "/fhir/_history", _count=1000)
    assert [link["relation"] for link in whole["link"]] == ["self"]
    # The country: 6 locations, 3 organisations, 3 practitioners, 3 roles.
    assert len(whole["entry"]) == 15
    seen: list[tuple[str, str]] = []
    url: str | None = "/fhir/_history?_count=4"
    pages = 0
    while url is not None:
        bundle = history(client, url)
        seen.extend(summary(bundle))
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
        pages += 1
    assert (pages, seen) == (4, summary(whole))


def test_since_is_exclusive_at_the_exact_instant(directory: Directory, fhir_client: Client) -> None:
    client = fhir_client("national")
    newest = WorkerFactory(worker_id="W000011")
    stamp = Worker.objects.get(pk=newest.pk).updated_at
    just_before = stamp - datetime.timedelta(microseconds=1)
    assert summary(history(client, "/fhir/Practitioner/_history", _since=since(stamp))) == []
    assert summary(history(client, "/fhir/Practitioner/_history", _since=since(just_before))) == [
        ("PUT", f"Practitioner/{newest.uuid}")
    ]
    # The same instant written in another time zone, and with nanoseconds beyond the microsecond.
    local = stamp.astimezone(datetime.timezone(datetime.timedelta(hours=2))).isoformat(
        timespec="microseconds"
    )
    assert summary(history(client, "/fhir/Practitioner/_history", _since=local)) == []
    nano = instant_text(just_before).replace("Z", "999Z")
    assert summary(history(client, "/fhir/Practitioner/_history", _since=nano)) == [
        ("PUT", f"Practitioner/{newest.uuid}")
    ]
    assert micros_of(stamp) == int(
        history(client, "/fhir/Practitioner/_history", _since=nano)["entry"][0]["resource"]["meta"][
            "versionId"
        ]
    )


def test_a_resource_that_leaves_a_scoped_readers_area_is_deleted_from_their_copy(
    directory: Directory, fhir_client: Client
) -> None:
    t0 = timezone.now()
    role = Assignment.objects.get(pk=directory.amina_role.pk)
    role.location = directory.country.district_21  # moved out of region R1, the officer's
    role.post = None
    role.save(update_fields=["location", "post", "updated_at"])
    officer = history(fhir_client("subnational"), "/fhir/_history", _since=since(t0))
    national = history(fhir_client("national"), "/fhir/_history", _since=since(t0))
    assert summary(officer) == [
        ("PUT", f"Organization/{directory.country.ministry.uuid}"),  # still has a post at D11
        ("DELETE", f"Practitioner/{directory.amina.uuid}"),
        ("DELETE", f"PractitionerRole/{role.uuid}"),
    ]
    # A national reader sees every organisation: the ministry's assignments change nothing they see of it.
    assert summary(national) == [
        ("PUT", f"Practitioner/{directory.amina.uuid}"),
        ("PUT", f"PractitionerRole/{role.uuid}"),
    ]
    # A first copy (no _since) leaves out what the officer cannot see rather than deleting it.
    first_copy = summary(history(fhir_client("subnational"), "/fhir/Practitioner/_history"))
    assert first_copy == [("PUT", f"Practitioner/{directory.grace.uuid}")]


def test_readers_without_the_directory_are_refused(directory: Directory, fhir_client: Client) -> None:
    anonymous = fhir_client(None).get("/fhir/_history")
    assert (anonymous.status_code, anonymous["WWW-Authenticate"]) == (401, "Token")
    assert anonymous.json()["issue"][0]["code"] == "login"
    for persona in ("analyst", "administrator", "outsider"):
        response = fhir_client(persona).get("/fhir/Practitioner/_history")
        assert (persona, response.status_code, response.json()["issue"][0]["code"]) == (
            persona,
            403,
            "forbidden",
        )


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"_since": "2026-01-31"}, "_since must be a FHIR instant with its time zone"),
        ({"_since": "2026-01-31T08:00:00"}, "_since must be a FHIR instant with its time zone"),
        ({"_since": "2026-02-31T08:00:00Z"}, "is not a day of the calendar"),
        ({"_count": "0"}, "_count must be a whole number from 1 to 1000, not '0'"),
        ({"_count": "1001"}, "_count must be a whole number from 1 to 1000"),
        ({"_count": "ten"}, "_count must be a whole number from 1 to 1000"),
        ({"_cursor": "bm90IGEgY3Vyc29y"}, "The _cursor parameter is not a cursor given by this server"),
        ({"name": "Amina"}, "Unknown parameter(s) for the history: name."),
        (
            {"_since": ["2026-01-31T08:00:00Z", "2026-02-01T08:00:00Z"]},
            "Give each of these parameters once: _since.",
        ),
    ],
)
def test_bad_parameters_are_refused_with_an_operation_outcome(
    directory: Directory, fhir_client: Client, parameters: dict[str, Any], message: str
) -> None:
    response = fhir_client("national").get("/fhir/_history", parameters)
    assert response.status_code == 400
    outcome = response.json()
    assert (outcome["resourceType"], outcome["issue"][0]["code"]) == ("OperationOutcome", "invalid")
    assert message in outcome["issue"][0]["diagnostics"]


def test_unknown_parameters_are_ignored_when_the_client_prefers_lenient_handling(
    directory: Directory, fhir_client: Client
) -> None:
    response = fhir_client("national").get(
        "/fhir/Location/_history", {"_count": "2", "_pretty": "true"}, HTTP_PREFER="handling=lenient"
    )
    assert (response.status_code, len(response.json()["entry"])) == (200, 2)


@pytest.mark.parametrize("changes", [1, 3])
def test_a_page_costs_the_same_queries_for_one_change_or_three(
    directory: Directory, fhir_client: Client, django_assert_num_queries: Any, changes: int
) -> None:
    client = fhir_client("subnational")
    t0 = timezone.now()
    for number in range(changes):
        AssignmentFactory(
            worker=WorkerFactory(worker_id=f"W1{number:05d}"),
            organisation=directory.country.ministry,
            location=directory.country.district_11,
            cadre=directory.country.social_worker,
        )
    # The reader's scope (1); the stamps of 10 live sources and 10 deletion records, one statement for
    # each group where the database takes ordered parts in a compound query (PostgreSQL), else one per
    # source; the change instants of the changed Organization, Practitioners and PractitionerRoles (5:
    # each kind's rows, and the dependents' newest stamps in one statement); the visible rows of the 3
    # kinds and their rendering (10): the same for 1 change as for 3.
    stamp_reads = 2 if connection.features.supports_slicing_ordering_in_compound else 20
    with django_assert_num_queries(1 + stamp_reads + 5 + 10):
        bundle = history(client, "/fhir/_history", _since=since(t0))
    assert len(bundle["entry"]) == 1 + 2 * changes
