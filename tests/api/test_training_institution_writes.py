"""The API's writes of an institution's accreditation periods and instructors, with the services the pages
use: a period added, an overlapping one refused with the service's message naming the field, a period
ended; an instructor added, read, changed (audited with its author) and ended. A national data manager or
the institution's own focal point writes; another institution's focal point is refused (403 for its
accreditation, 404 for its instructors, who are persons); roles that change no training get 403."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.training.models import Accreditation, Instructor
from sswis.training.services import accreditation_add
from tests.conftest import Personas
from tests.training.factories import AccreditationFactory, TrainingInstitutionFactory
from tests.training.fixtures import Training, training  # noqa: F401  (the fixture)

D = datetime.date
BASE = "/api/v1/training"


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def _periods(client: APIClient, code: str = "UNI-N") -> list[tuple[str, str, str | None]]:
    response = client.get(f"{BASE}/institutions/{code}/accreditations/")
    assert response.status_code == 200, response.content
    return [
        (row["accredited_by"], row["valid_from"], row["valid_until"]) for row in response.json()["results"]
    ]


def test_an_accreditation_is_added_an_overlap_refused_and_a_period_ended(
    training: Training,  # noqa: F811
    personas: Personas,
) -> None:
    focal = _client(training.north_focal)
    url = f"{BASE}/institutions/UNI-N/accreditations/"
    created = focal.post(url, {"accredited_by": " HEC ", "valid_from": "2020-01-01"}, format="json")
    assert created.status_code == 201
    first = Accreditation.objects.get()
    assert created.json() == {
        "id": first.pk,
        "institution": "UNI-N",
        "accredited_by": "HEC",
        "valid_from": "2020-01-01",
        "valid_until": None,
    }
    # The open period covers 2023: a second period there is refused with the service's message.
    overlapping = focal.post(
        url, {"accredited_by": "HEC", "valid_from": "2023-01-01", "valid_until": "2023-12-31"}, format="json"
    )
    assert overlapping.status_code == 400
    assert overlapping.json() == {
        "valid_from": ["It overlaps the accreditation from 2020-01-01, which has no end."]
    }
    assert Accreditation.objects.count() == 1

    end_url = f"{BASE}/accreditations/{first.pk}/end/"
    ended = focal.post(end_url, {"valid_until": "2022-12-31"}, format="json")
    assert ended.status_code == 200 and ended.json()["valid_until"] == "2022-12-31"
    second = focal.post(
        url, {"accredited_by": "NCHE", "valid_from": "2023-01-01", "valid_until": "2023-12-31"}, format="json"
    )
    assert second.status_code == 201
    # Ending the first period later would make it share the first half of 2023 with the second.
    longer = focal.post(end_url, {"valid_until": "2023-06-30"}, format="json")
    assert longer.json() == {"valid_until": ["It overlaps the accreditation from 2023-01-01 to 2023-12-31."]}
    early = focal.post(end_url, {"valid_until": "2019-12-31"}, format="json")
    assert (early.status_code, early.json()) == (
        400,
        {"valid_until": ["The accreditation cannot end before it begins."]},
    )
    backwards = focal.post(
        url, {"accredited_by": "X", "valid_from": "2025-01-01", "valid_until": "2024-01-01"}, format="json"
    )
    assert backwards.json() == {"valid_until": ["The accreditation cannot end before it begins."]}
    control = focal.post(url, {"accredited_by": "HEC\x07", "valid_from": "2030-01-01"}, format="json")
    assert control.status_code == 400 and list(control.json()) == ["accredited_by"]
    missing = focal.post(url, {"accredited_by": "HEC"}, format="json")
    assert missing.status_code == 400 and list(missing.json()) == ["valid_from"]

    # Every reader of the catalogue lists them, oldest first; the ending is audited with its author.
    assert _periods(_client(personas.analyst)) == [
        ("HEC", "2020-01-01", "2022-12-31"),
        ("NCHE", "2023-01-01", "2023-12-31"),
    ]
    assert _periods(_client(personas.analyst), "COL-S") == []
    record = Accreditation.objects.get(pk=first.pk).history.latest()  # type: ignore[attr-defined]
    assert (record.history_type, record.history_user, record.valid_until) == (
        "~",
        training.north_focal,
        D(2022, 12, 31),
    )


def test_accreditation_writes_are_refused_to_all_but_the_institution_s_managers(
    training: Training,  # noqa: F811
    personas: Personas,
) -> None:
    period = accreditation_add(
        actor=personas.national, institution=training.north, accredited_by="HEC", valid_from=D(2020, 1, 1)
    )
    url = f"{BASE}/institutions/UNI-N/accreditations/"
    end_url = f"{BASE}/accreditations/{period.pk}/end/"
    body = {"accredited_by": "HEC", "valid_from": "1990-01-01", "valid_until": "1990-12-31"}
    for user in (training.south_focal, personas.analyst, personas.subnational, personas.administrator):
        client = _client(user)
        assert client.post(url, body, format="json").status_code == 403
        assert client.post(end_url, {"valid_until": "2021-12-31"}, format="json").status_code == 403
    # A refusal comes before the body is read: even a bad body gets 403.
    assert _client(training.south_focal).post(url, {}, format="json").status_code == 403
    outsider = _client(personas.outsider)
    assert outsider.get(url).status_code == 403
    assert outsider.post(end_url, {"valid_until": "2021-12-31"}, format="json").status_code == 403
    assert APIClient().post(end_url, {"valid_until": "2021-12-31"}, format="json").status_code == 401
    national = _client(personas.national)
    assert national.get(f"{BASE}/institutions/NOPE/accreditations/").status_code == 404
    assert (
        national.post(f"{BASE}/accreditations/999999/end/", {"valid_until": "2021-12-31"}).status_code == 404
    )
    assert national.get(end_url).status_code == 405
    period.refresh_from_db()
    assert (Accreditation.objects.count(), period.valid_until) == (1, None)
    # The national data manager changes every institution's.
    assert national.post(end_url, {"valid_until": "2021-12-31"}, format="json").status_code == 200


def test_an_instructor_is_added_read_changed_and_ended(
    training: Training,  # noqa: F811
    personas: Personas,
) -> None:
    focal = _client(training.north_focal)
    body = {
        "name": "Part-timer",
        "qualification": "bachelor",
        "full_time": False,
        "programmes": ["BSW"],
        "active_from": "2024-01-01",
    }
    created = focal.post(f"{BASE}/institutions/UNI-N/instructors/", body, format="json")
    assert created.status_code == 201
    instructor = Instructor.objects.get(name="Part-timer")
    assert created.json() == {
        "id": instructor.pk,
        "institution": "UNI-N",
        "name": "Part-timer",
        "qualification": "bachelor",
        "field": "",
        "full_time": False,
        "programmes": ["BSW"],
        "active_from": "2024-01-01",
        "active_until": None,
    }
    foreign = focal.post(
        f"{BASE}/institutions/UNI-N/instructors/", body | {"name": "X", "programmes": ["CCW"]}, format="json"
    )
    assert foreign.json() == {"programmes": ["Not a programme of this institution: CCW."]}
    unknown = focal.post(
        f"{BASE}/institutions/UNI-N/instructors/", body | {"programmes": ["NOPE"]}, format="json"
    )
    assert unknown.json() == {"programmes": ['No programme with code "NOPE".']}
    assert (
        focal.post(f"{BASE}/institutions/UNI-N/instructors/", {"name": ""}, format="json").status_code == 400
    )

    url = f"{BASE}/instructors/{instructor.pk}/"
    assert focal.get(url).json()["name"] == "Part-timer"
    changed = focal.patch(url, {"field": "Social work", "full_time": True, "programmes": []}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["field"], changed.json()["full_time"], changed.json()["programmes"]) == (
        "Social work",
        True,
        [],
    )
    record = instructor.history.latest()  # type: ignore[attr-defined]
    assert (record.history_type, record.history_user, record.field, record.full_time) == (
        "~",
        training.north_focal,
        "Social work",
        True,
    )
    refused = focal.patch(url, {"active_until": "2023-12-31"}, format="json")
    assert refused.json() == {"active_until": ["The instructor cannot stop teaching before starting."]}
    assert focal.patch(url, {"name": "Bad\x00name"}, format="json").status_code == 400

    end_url = f"{BASE}/instructors/{instructor.pk}/end/"
    early = focal.post(end_url, {"active_until": "2023-12-31"}, format="json")
    assert (early.status_code, early.json()) == (
        400,
        {"active_until": ["The instructor cannot stop teaching before starting."]},
    )
    ended = focal.post(end_url, {"active_until": "2024-12-31"}, format="json")
    assert ended.status_code == 200 and ended.json()["active_until"] == "2024-12-31"
    instructor.refresh_from_db()
    assert (instructor.name, instructor.field, instructor.active_until) == (
        "Part-timer",
        "Social work",
        D(2024, 12, 31),
    )
    assert instructor.history.latest().history_user == training.north_focal  # type: ignore[attr-defined]
    # Two instructors now: the fixture's and this one, listed to the focal point.
    listed = focal.get(f"{BASE}/institutions/UNI-N/instructors/").json()["results"]
    assert [row["name"] for row in listed] == ["Part-timer", "Ruth Mwale"]


def test_instructors_are_persons_refused_to_other_readers(
    training: Training,  # noqa: F811
    personas: Personas,
) -> None:
    pk = training.instructor.pk
    url = f"{BASE}/instructors/{pk}/"
    other = _client(training.south_focal)
    # Another institution's focal point: not found (a person), and may not add one to UNI-N.
    assert other.get(url).status_code == 404
    assert other.patch(url, {"name": "Mine"}, format="json").status_code == 404
    assert other.post(f"{url}end/", {"active_until": "2030-01-01"}, format="json").status_code == 404
    assert (
        other.post(f"{BASE}/institutions/UNI-N/instructors/", {"name": "X"}, format="json").status_code == 403
    )
    # Roles that change no training: refused whatever the instructor.
    for user in (personas.analyst, personas.subnational, personas.focal_point, personas.administrator):
        client = _client(user)
        assert client.get(url).status_code == 403
        assert client.patch(url, {"name": "Mine"}, format="json").status_code == 403
        assert client.post(f"{url}end/", {"active_until": "2030-01-01"}, format="json").status_code == 403
        assert (
            client.post(f"{BASE}/institutions/UNI-N/instructors/", {"name": "X"}, format="json").status_code
            == 403
        )
    assert APIClient().get(url).status_code == 401
    assert _client(personas.national).get(url).json()["name"] == "Ruth Mwale"
    assert _client(personas.national).get(f"{BASE}/instructors/999999/").status_code == 404
    training.instructor.refresh_from_db()
    assert (Instructor.objects.count(), training.instructor.name, training.instructor.active_until) == (
        1,
        "Ruth Mwale",
        None,
    )


def test_the_accreditations_list_costs_the_same_queries_for_one_row_or_three(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    institution = TrainingInstitutionFactory(code="LIST")

    def periods(years: range) -> None:
        for year in years:
            AccreditationFactory(
                institution=institution,
                valid_from=D(year, 1, 1),
                valid_until=D(year, 12, 31),
            )

    client = _client(personas.national)
    url = f"{BASE}/institutions/LIST/accreditations/"
    periods(range(2000, 2001))
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    periods(range(2001, 2003))
    with django_assert_max_num_queries(len(one)):
        answer = client.get(url)
    assert answer.status_code == 200 and answer.json()["count"] == 3
    assert len(one) <= 6
