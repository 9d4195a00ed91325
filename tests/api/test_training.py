"""The training's API: the catalogue read by every role but a worker's login and changed by a national
data manager or the institution's own focal point (403 for another's, before the body is read), the
instructors to those alone, the completions narrowed to what each persona may see with the workers'
identity only, refusals naming the field with nothing written, and every list's query count."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.training.models import Completion, Intake, Programme, TrainingInstitution
from sswis.training.services import accreditation_add, completion_record, intake_set
from tests.conftest import Personas
from tests.factories import WorkerFactory
from tests.training.factories import CompletionFactory, InstructorFactory, IntakeFactory, ProgrammeFactory
from tests.training.fixtures import Training, training  # noqa: F401  (the fixture)

D = datetime.date


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def completions(training: Training, personas: Personas) -> tuple[Completion, Completion]:  # noqa: F811
    north = completion_record(
        actor=personas.national,
        worker=training.north_worker,
        programme=training.bsw,
        completed_on=D(2024, 6, 30),
    )
    south = completion_record(
        actor=personas.national,
        worker=training.south_worker,
        programme=training.ccw,
        completed_on=D(2024, 7, 1),
    )
    return north, south


def test_institutions_are_read_by_every_role_and_added_by_a_national_data_manager(
    training: Training,  # noqa: F811
    personas: Personas,
) -> None:
    accreditation_add(
        actor=personas.national, institution=training.north, accredited_by="HEC", valid_from=D(2020, 1, 1)
    )
    intake_set(actor=personas.national, programme=training.bsw, year=2024, enrolled=30)
    listed = _client(personas.analyst).get("/api/v1/training/institutions/").json()
    assert [(row["code"], row["accredited_today"], row["programme_count"]) for row in listed["results"]] == [
        ("COL-S", False, 1),
        ("UNI-N", True, 1),
    ]
    detail = _client(personas.analyst).get("/api/v1/training/institutions/UNI-N/").json()
    assert detail["location"] == "D11" and detail["programmes"] == ["BSW"]
    assert detail["accreditations"] == [
        {"accredited_by": "HEC", "valid_from": "2020-01-01", "valid_until": None}
    ]
    # The 24-month programme's 2024 intake runs in 2024 and 2025; one instructor, full time, with no end.
    assert detail["figures"] == [
        {
            "year": 2025,
            "students_enrolled": 30,
            "instructors": "1.0",
            "students_per_instructor": "30.00",
            "programmes": [],
        },
        {
            "year": 2024,
            "students_enrolled": 30,
            "instructors": "1.0",
            "students_per_instructor": "30.00",
            "programmes": [{"code": "BSW", "name": "Diploma in social work", "intake": 30, "completions": 0}],
        },
    ]
    created = _client(personas.national).post(
        "/api/v1/training/institutions/",
        {"code": "ONL", "name": "Online", "kind": "online_platform"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["code"] == "ONL"
    refused = _client(training.north_focal).post(
        "/api/v1/training/institutions/", {"code": "X", "name": "X", "kind": "college"}, format="json"
    )
    assert refused.status_code == 403
    bad = _client(personas.national).post(
        "/api/v1/training/institutions/", {"code": "Y", "name": "Y\x10", "kind": "college"}, format="json"
    )
    assert bad.status_code == 400 and list(bad.json()) == ["name"]
    assert not TrainingInstitution.objects.filter(code__in=["X", "Y"]).exists()


def test_an_institution_is_changed_by_its_focal_point_only(training: Training, personas: Personas) -> None:  # noqa: F811
    own = _client(training.north_focal).patch(
        "/api/v1/training/institutions/UNI-N/", {"name": "UNZA"}, format="json"
    )
    assert own.status_code == 200 and own.json()["name"] == "UNZA"
    other = _client(training.south_focal).patch(
        "/api/v1/training/institutions/UNI-N/", {"name": "Mine"}, format="json"
    )
    assert other.status_code == 403
    assert (
        _client(personas.analyst).patch("/api/v1/training/institutions/UNI-N/", {}, format="json").status_code
        == 403
    )
    assert TrainingInstitution.objects.get(code="UNI-N").name == "UNZA"


def test_instructors_are_listed_to_those_who_may_change_the_institution(
    training: Training,  # noqa: F811
    personas: Personas,
) -> None:
    url = "/api/v1/training/institutions/UNI-N/instructors/"
    listed = _client(training.north_focal).get(url).json()["results"]
    assert [(row["name"], row["qualification"], row["programmes"]) for row in listed] == [
        ("Ruth Mwale", "master", ["BSW"])
    ]
    assert _client(personas.national).get(url).status_code == 200
    for reader in (training.south_focal, personas.analyst, personas.subnational):
        assert _client(reader).get(url).status_code == 403


def test_programmes_are_filtered_added_and_changed(training: Training, personas: Personas) -> None:  # noqa: F811
    analyst = _client(personas.analyst)

    def codes(query: str) -> list[str]:
        return [row["code"] for row in analyst.get(f"/api/v1/training/programmes/{query}").json()["results"]]

    assert codes("") == ["BSW", "CCW", "NAT-1"]
    assert codes("?certifying=true") == ["BSW"]
    assert codes("?certifying=false&kind=in_service") == ["NAT-1"]
    assert codes("?institution=COL-S") == ["CCW"]
    assert analyst.get("/api/v1/training/programmes/?kind=nonsense").status_code == 400
    bsw = analyst.get("/api/v1/training/programmes/BSW/").json()
    assert (bsw["institution"], bsw["cadres"], bsw["awards_education"]) == ("UNI-N", ["SW"], "diploma")

    focal = _client(training.north_focal)
    body = {
        "code": "MSW",
        "name": "Master",
        "kind": "pre_service_degree",
        "institution": "UNI-N",
        "cadres": ["SW"],
    }
    created = focal.post("/api/v1/training/programmes/", body, format="json")
    assert created.status_code == 201 and created.json()["cadres"] == ["SW"]
    assert (
        focal.post(
            "/api/v1/training/programmes/", body | {"code": "M2", "institution": "COL-S"}, format="json"
        ).status_code
        == 403
    )
    assert (
        focal.post(
            "/api/v1/training/programmes/", body | {"code": "M3", "institution": None}, format="json"
        ).status_code
        == 403
    )
    unknown = focal.post(
        "/api/v1/training/programmes/", body | {"code": "M4", "cadres": ["NOPE"]}, format="json"
    )
    assert unknown.status_code == 400 and list(unknown.json()) == ["cadres"]
    changed = focal.patch(
        "/api/v1/training/programmes/MSW/", {"certifies_child_victims": True}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["certifies_child_victims"] is True
    assert Programme.objects.get(code="MSW").history.latest().history_change_reason == "certification changed"
    assert (
        _client(training.south_focal)
        .patch("/api/v1/training/programmes/MSW/", {"name": "X"}, format="json")
        .status_code
        == 403
    )
    assert not Programme.objects.filter(code__in=["M2", "M3", "M4"]).exists()


def test_intakes_are_listed_and_set_by_put_or_post(training: Training, personas: Personas) -> None:  # noqa: F811
    url = "/api/v1/training/programmes/BSW/intakes/"
    focal = _client(training.north_focal)
    assert focal.put(url, {"year": 2024, "enrolled": 30}, format="json").json()["enrolled"] == 30
    assert focal.post(url, {"year": 2024, "enrolled": 32}, format="json").status_code == 200
    assert focal.put(url, {"year": 2024, "enrolled": -1}, format="json").status_code == 400
    assert (
        _client(training.south_focal).put(url, {"year": 2025, "enrolled": 1}, format="json").status_code
        == 403
    )
    listed = _client(personas.analyst).get(url).json()["results"]
    assert [(row["year"], row["enrolled"]) for row in listed] == [(2024, 32)]
    assert Intake.objects.count() == 1


@pytest.mark.parametrize(
    ("reader", "shown"),
    [
        ("national", ["W-SOUTH", "W-NORTH"]),
        ("subnational", ["W-NORTH"]),
        ("focal_point", ["W-SOUTH"]),
        ("north_focal", ["W-NORTH"]),
    ],
)
def test_completions_are_listed_to_each_persona_with_the_identity_only(
    training: Training,  # noqa: F811
    personas: Personas,
    completions: tuple[Completion, Completion],
    reader: str,
    shown: list[str],
) -> None:
    user = training.north_focal if reader == "north_focal" else getattr(personas, reader)
    rows = _client(user).get("/api/v1/training/completions/").json()["results"]
    assert [row["worker_id"] for row in rows] == shown
    assert set(rows[0]) == {
        "uuid", "worker_id", "given_name", "family_name", "programme", "institution", "completed_on",
        "certificate_number", "source",
    }  # fmt: skip


@pytest.mark.parametrize("reader", ["analyst", "administrator", "outsider"])
def test_completions_are_refused_to_those_who_see_no_person(
    training: Training,  # noqa: F811
    personas: Personas,
    completions: tuple[Completion, Completion],
    reader: str,
) -> None:
    north, _south = completions
    client = _client(getattr(personas, reader))
    assert client.get("/api/v1/training/completions/").status_code == 403
    assert client.get(f"/api/v1/training/completions/{north.uuid}/").status_code == 403


def test_completions_are_filtered(training: Training, personas: Personas, completions: Any) -> None:  # noqa: F811
    national = _client(personas.national)

    def found(query: str) -> list[str]:
        return [
            row["worker_id"]
            for row in national.get(f"/api/v1/training/completions/{query}").json()["results"]
        ]

    assert found("?programme=BSW") == ["W-NORTH"]
    assert found("?institution=COL-S") == ["W-SOUTH"]
    assert found("?year=2023") == []
    assert national.get("/api/v1/training/completions/?year=1800").status_code == 400


def test_a_completion_is_recorded_and_withdrawn(training: Training, personas: Personas) -> None:  # noqa: F811
    focal = _client(training.north_focal)
    body = {
        "worker_id": "W-NORTH",
        "programme": "BSW",
        "completed_on": "2024-06-30",
        "certificate_number": "C-1",
    }
    created = focal.post("/api/v1/training/completions/", body, format="json")
    assert created.status_code == 201
    assert (created.json()["institution"], created.json()["certificate_number"]) == ("UNI-N", "C-1")
    duplicate = focal.post("/api/v1/training/completions/", body, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json() == {
        "completed_on": ["W-NORTH's completion of BSW on 2024-06-30 is already recorded."]
    }
    assert focal.post(
        "/api/v1/training/completions/", body | {"worker_id": "NOBODY"}, format="json"
    ).json() == {"worker_id": ["No worker has this worker ID."]}
    assert (
        focal.post("/api/v1/training/completions/", body | {"programme": "CCW"}, format="json").status_code
        == 403
    )
    assert (
        _client(personas.subnational).post("/api/v1/training/completions/", body, format="json").status_code
        == 403
    )
    assert Completion.objects.count() == 1

    url = f"/api/v1/training/completions/{created.json()['uuid']}/"
    assert _client(training.south_focal).delete(f"{url}?reason=Wrong").status_code == 404
    assert _client(personas.subnational).delete(f"{url}?reason=Wrong").status_code == 403  # sees it, may not
    assert focal.delete(url).status_code == 400  # the reason is required
    assert focal.get(url).json()["worker_id"] == "W-NORTH"
    assert focal.delete(f"{url}?reason=Recorded+twice").status_code == 204
    assert not Completion.objects.exists()
    assert Completion.history.latest().history_change_reason == "Recorded twice"


def _completions(count: int) -> str:
    programme = ProgrammeFactory()
    for _ in range(count):
        CompletionFactory(programme=programme, worker=WorkerFactory())
    return "/api/v1/training/completions/"


def _institutions(count: int) -> str:
    for _ in range(count):
        ProgrammeFactory()
    return "/api/v1/training/institutions/"


def _programmes(count: int) -> str:
    for _ in range(count):
        ProgrammeFactory().cadres.add()
    return "/api/v1/training/programmes/?certifying=false"


def _intakes(count: int) -> str:
    programme = Programme.objects.filter(code="LIST").first() or ProgrammeFactory(code="LIST")
    start = 2000 + Intake.objects.filter(programme=programme).count()
    for year in range(start, start + count):
        IntakeFactory(programme=programme, year=year)
    return "/api/v1/training/programmes/LIST/intakes/"


def _instructors(count: int) -> str:
    programme = Programme.objects.filter(code="LIST").first() or ProgrammeFactory(code="LIST")
    for _ in range(count):
        InstructorFactory(institution=programme.institution).programmes.add(programme)
    return f"/api/v1/training/institutions/{programme.institution.code}/instructors/"


@pytest.mark.parametrize("make", [_completions, _institutions, _programmes, _intakes, _instructors])
def test_the_lists_cost_the_same_queries_for_one_row_or_three(
    personas: Personas, make: Callable[[int], str], django_assert_max_num_queries: Any
) -> None:
    client = _client(personas.national)
    url = make(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    url = make(2)
    with django_assert_max_num_queries(len(one)):
        answer = client.get(url)
    assert answer.status_code == 200 and answer.json()["count"] == 3
    assert len(one) <= 8
