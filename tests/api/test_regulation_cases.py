"""National exams and complaints through the API: every step with the same forms and services as the
pages, refusals as 400s naming the field with nothing written, another body's registrar kept out (404),
officers and analysts refused (403), the complainant and the case file for the body's registrar's office
only, paginated lists with their query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.registry.models import Worker
from sswis.regulation.discipline import complaint_decide
from sswis.regulation.exams import exam_candidate_enter, exam_result_record, exam_session_set
from sswis.regulation.models_discipline import CaseFileEntry, Complaint
from sswis.regulation.models_exams import ExamAttempt, ExamSession
from sswis.regulation.services import register_set, regulatory_body_set
from tests.api.test_regulation import _client
from tests.factories import WorkerFactory
from tests.regulation.test_discipline import case, heard, receive  # noqa: F401 (the fixture)
from tests.regulation.test_exams import exams  # noqa: F401 (the fixture)
from tests.regulation.test_registration import council  # noqa: F401 (the fixture)

D = datetime.date
EXAMS = "/api/v1/regulation/exams/"
COMPLAINTS = "/api/v1/regulation/complaints/"


def _foreign_registrar(actor: Any) -> APIClient:
    other = regulatory_body_set(actor=actor, code="NC", name="Nursing Council")
    register_set(actor=actor, body=other, code="NURSES", name="Nurses")
    return _client(Role.REGISTRAR, "api-foreign", regulatory_body=other)


def _queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# --- exams --------------------------------------------------------------------------------------------


def test_a_session_created_and_held_through_the_api(exams: dict[str, Any]) -> None:  # noqa: F811
    registrar = _client(Role.REGISTRAR, "api-registrar", regulatory_body=exams["register"].body)
    worker = exams["worker"]
    fields = {"register": "SW-REG", "code": "2026-1", "held_on": "2026-03-01", "max_score": "100"}
    too_high = registrar.post(EXAMS, fields | {"pass_mark": "120"}, format="json")
    assert too_high.status_code == 400
    assert too_high.json() == {"pass_mark": ["The pass mark (120) cannot be above the maximum score (100)."]}
    unknown = registrar.post(EXAMS, fields | {"register": "NOPE", "pass_mark": "50"}, format="json")
    assert unknown.status_code == 400 and list(unknown.json()) == ["register"]
    assert registrar.post(EXAMS, ["not", "an", "object"], format="json").status_code == 400
    listed = registrar.post(EXAMS, fields | {"pass_mark": "50", "held_on": ["2026-03-01"]}, format="json")
    assert listed.json() == {"held_on": ["Give one value, not a list or an object."]}
    for not_a_day in (False, 20260301, None):
        refused_day = registrar.post(EXAMS, fields | {"pass_mark": "50", "held_on": not_a_day}, format="json")
        assert refused_day.status_code == 400 and list(refused_day.json()) == ["held_on"]
    assert not ExamSession.objects.filter(code="2026-1").exists()  # nothing written
    created = registrar.post(EXAMS, fields | {"pass_mark": 50}, format="json")  # a number: its text
    assert created.status_code == 201, created.content
    session = created.json()
    assert (session["register"], session["code"], session["pass_mark"], session["candidates"]) == (
        "SW-REG",
        "2026-1",
        "50.00",
        [],
    )
    assert session["steps"] == ["enter", "result", "withdraw", "correct"]
    steps = f"{EXAMS}{session['id']}/"

    refused = registrar.post(f"{steps}enter/", {"worker_id": "W-NOBODY"}, format="json")
    assert refused.status_code == 400 and refused.json() == {"worker_id": ["No worker has this worker ID."]}
    entered = registrar.post(f"{steps}enter/", {"worker_id": worker.worker_id}, format="json")
    assert entered.status_code == 200
    (candidate,) = entered.json()["candidates"]
    assert (candidate["worker_id"], candidate["score"], candidate["passed"]) == (worker.worker_id, None, None)
    other = cast(Worker, WorkerFactory())
    registrar.post(f"{steps}enter/", {"worker_id": other.worker_id}, format="json")
    above = registrar.post(
        f"{steps}result/", {"attempt": candidate["attempt"], "score": "101"}, format="json"
    )
    assert above.status_code == 400 and list(above.json()) == ["score"]
    assert ExamAttempt.objects.get(pk=candidate["attempt"]).score is None
    passed = registrar.post(
        f"{steps}result/", {"attempt": candidate["attempt"], "score": "50"}, format="json"
    )
    assert passed.status_code == 200
    results = {c["worker_id"]: (c["score"], c["passed"]) for c in passed.json()["candidates"]}
    assert results == {worker.worker_id: ("50.00", True), other.worker_id: (None, None)}
    recorded = registrar.post(f"{steps}withdraw/", {"attempt": candidate["attempt"]}, format="json")
    assert recorded.status_code == 400 and "can no longer be withdrawn" in recorded.json()["attempt"][0]
    attempt = ExamAttempt.objects.get(worker=other)
    assert registrar.post(f"{steps}withdraw/", {"attempt": attempt.pk}, format="json").status_code == 200
    assert not ExamAttempt.objects.filter(pk=attempt.pk).exists()
    moved = registrar.post(
        f"{steps}correct/", {"held_on": "2026-03-02", "pass_mark": "50", "max_score": "100"}, format="json"
    )
    assert moved.status_code == 400 and list(moved.json()) == ["code"]
    assert registrar.post(f"{steps}nonsense/", {}, format="json").status_code == 404
    assert registrar.get(steps).json()["candidates"][0]["passed"] is True


def test_exams_are_a_registrar_s_and_a_national_data_manager_s_only(exams: dict[str, Any]) -> None:  # noqa: F811
    session = exams["S1"]
    foreign = _foreign_registrar(exams["registrar"])
    assert foreign.get(f"{EXAMS}{session.pk}/").status_code == 404
    enter = {"worker_id": exams["worker"].worker_id}
    assert foreign.post(f"{EXAMS}{session.pk}/enter/", enter, format="json").status_code == 404
    assert foreign.get(EXAMS).json()["count"] == 0
    location = exams["worker"].assignments.get().location
    for client in (
        _client(Role.SUBNATIONAL_OFFICER, "api-officer", location=location),
        _client(Role.ANALYST, "api-analyst"),
        _client(Role.WORKER, "api-worker", worker=exams["worker"]),
    ):
        assert client.get(EXAMS).status_code == 403
        assert client.get(f"{EXAMS}{session.pk}/").status_code == 403
        assert client.post(f"{EXAMS}{session.pk}/enter/", enter, format="json").status_code == 403
    assert not session.attempts.exists()
    national = _client(Role.NATIONAL_DATA_MANAGER, "api-national")
    assert [row["code"] for row in national.get(EXAMS).json()["results"]] == ["S3", "S2", "S1"]


def test_the_session_list_is_paged_with_its_counts_in_a_fixed_number_of_queries(
    exams: dict[str, Any],  # noqa: F811
    django_assert_max_num_queries: Any,
) -> None:
    registrar = _client(Role.REGISTRAR, "api-registrar", regulatory_body=exams["register"].body)
    few = _queries(registrar, EXAMS)
    for index in range(30):
        session = exam_session_set(
            actor=exams["registrar"],
            register=exams["register"],
            code=f"M{index:02d}",
            held_on=D(2023, 1, 1),
            pass_mark=Decimal(50),
            max_score=Decimal(100),
        )
        for score in (40, 60):
            attempt = exam_candidate_enter(
                actor=exams["registrar"], session=session, worker=cast(Worker, WorkerFactory())
            )
            exam_result_record(actor=exams["registrar"], attempt=attempt, score=Decimal(score))
    with django_assert_max_num_queries(few):
        page = registrar.get(f"{EXAMS}?page_size=20").json()
    assert (page["count"], len(page["results"])) == (33, 20)
    assert {(row["candidates"], row["passes"]) for row in page["results"][3:]} == {(2, 1)}


# --- complaints -------------------------------------------------------------------------------------------


RECEIVED = {
    "body": "SSC",
    "registration_number": "SW-1",
    "complainant_kind": "public",
    "complainant_name": "A. Parent",
    "complainant_contact": "+27 555 0100",
    "received_on": "2025-01-10",
    "summary": "Missed the home visits of a child at risk.",
}


def test_a_complaint_received_and_taken_to_an_appeal_through_the_api(case: dict[str, Any]) -> None:  # noqa: F811
    registrar = _client(Role.REGISTRAR, "api-registrar", regulatory_body=case["body"])
    anonymous_named = registrar.post(COMPLAINTS, RECEIVED | {"complainant_kind": "anonymous"}, format="json")
    assert anonymous_named.status_code == 400 and list(anonymous_named.json()) == ["complainant_name"]
    nobody = registrar.post(COMPLAINTS, RECEIVED | {"registration_number": ""}, format="json")
    assert nobody.status_code == 400 and list(nobody.json()) == ["registration_number"]
    stranger = registrar.post(
        COMPLAINTS,
        RECEIVED | {"registration_number": "", "worker_id": WorkerFactory().worker_id},
        format="json",
    )
    assert (
        stranger.status_code == 400
        and "has no registration on a register of SSC" in stranger.json()["worker_id"][0]
    )
    assert not Complaint.objects.exists()
    created = registrar.post(COMPLAINTS, RECEIVED, format="json")
    assert created.status_code == 201, created.content
    complaint = created.json()
    assert (complaint["registration_number"], complaint["worker_id"], complaint["stage"]) == (
        "SW-1",
        case["worker"].worker_id,
        "received",
    )
    assert (complaint["complainant_name"], complaint["case_file"]) == ("A. Parent", [])
    assert complaint["steps"] == ["investigate", "case_file"]
    url = f"{COMPLAINTS}{complaint['id']}/"

    def step(name: str, **data: Any) -> Any:
        return registrar.post(f"{url}{name}/", data, format="json")

    no_appeal = step("appeal_decide", decision="upheld", decided_on="2025-02-01")
    assert no_appeal.status_code == 400 and list(no_appeal.json()) == ["decision"]
    out_of_order = step("hearing", hearing_on="2025-02-15")
    assert out_of_order.status_code == 400 and "not possible now" in out_of_order.json()["stage"][0]
    wrong = step("decide", outcome="caution", decided_on="2025-02-01")
    assert wrong.status_code == 400 and "needs a hearing first" in wrong.json()["outcome"][0]
    assert step("investigate", on="2025-01-15").json()["investigation_on"] == "2025-01-15"
    assert step("hearing", hearing_on="2025-02-15").json()["stage"] == "hearing"
    assert step("case_file", kind="document", recorded_on="2025-01-20", text="Statement.").status_code == 200
    fine = {"outcome": "fine", "decided_on": "2025-02-20"}
    assert list(step("decide", **fine).json()) == ["amount"]
    assert list(step("decide", **fine, amount="100", ends_on="2025-03-01").json()) == ["ends_on"]
    decided = step("decide", **fine, amount="100")
    assert decided.status_code == 200
    assert [(s["kind"], s["amount"], s["currency"]) for s in decided.json()["sanctions"]] == [
        ("fine", "100.00", "ZAR")
    ]
    assert decided.json()["appeal_deadline"] == "2025-03-22"
    assert step("appeal", lodged_on="2025-02-21", grounds="").status_code == 400
    assert step("appeal", lodged_on="2025-02-21", grounds="Unfair").json()["stage"] == "appealed"
    overturned = step("appeal_decide", decision="overturned", decided_on="2025-03-01")
    assert overturned.status_code == 200
    answer = overturned.json()
    assert (answer["stage"], answer["appeal"]["decision"], answer["sanctions"][0]["ended_on"]) == (
        "appeal_decided",
        "overturned",
        "2025-03-01",
    )
    assert [entry["text"] for entry in answer["case_file"]] == ["Statement."]
    assert step("nonsense").status_code == 404


def test_the_case_file_and_the_complainant_are_the_registrar_s_office_s_alone(case: dict[str, Any]) -> None:  # noqa: F811
    complaint = receive(case)
    registrar = _client(Role.REGISTRAR, "api-registrar", regulatory_body=case["body"])
    registrar.post(
        f"{COMPLAINTS}{complaint.pk}/case_file/",
        {"kind": "note", "recorded_on": "2025-01-11", "text": "Confidential note."},
        format="json",
    )
    national = _client(Role.NATIONAL_DATA_MANAGER, "api-national")
    answer = national.get(f"{COMPLAINTS}{complaint.pk}/")
    seen = answer.json()
    assert answer.status_code == 200 and seen["summary"] == "Missed the home visits of a child at risk."
    assert (seen["case_file_shown"], seen["complainant_kind"], seen["complainant_name"]) == (
        False,
        None,
        None,
    )
    assert (seen["complainant_contact"], seen["case_file"]) == (None, None)
    assert "A. Parent" not in answer.content.decode() and "Confidential" not in answer.content.decode()
    assert seen["steps"] == ["investigate"]
    adding = {"kind": "note", "recorded_on": "2025-01-12", "text": "x"}
    assert national.post(f"{COMPLAINTS}{complaint.pk}/case_file/", adding, format="json").status_code == 403
    assert CaseFileEntry.objects.count() == 1
    investigated = national.post(
        f"{COMPLAINTS}{complaint.pk}/investigate/", {"on": "2025-01-15"}, format="json"
    )
    assert investigated.status_code == 200 and investigated.json()["complainant_name"] is None
    listed = national.get(COMPLAINTS)
    assert "A. Parent" not in listed.content.decode() and listed.json()["count"] == 1
    assert registrar.get(f"{COMPLAINTS}{complaint.pk}/").json()["complainant_name"] == "A. Parent"


def test_complaints_are_a_registrar_s_and_a_national_data_manager_s_only(case: dict[str, Any]) -> None:  # noqa: F811
    complaint = receive(case)
    foreign = _foreign_registrar(case["registrar"])
    assert foreign.get(f"{COMPLAINTS}{complaint.pk}/").status_code == 404
    on = {"on": "2025-01-15"}
    assert foreign.post(f"{COMPLAINTS}{complaint.pk}/investigate/", on, format="json").status_code == 404
    assert foreign.get(COMPLAINTS).json()["count"] == 0
    assert foreign.post(COMPLAINTS, RECEIVED, format="json").status_code == 400  # not a body of theirs
    location = case["worker"].assignments.get().location
    for client in (
        _client(Role.SUBNATIONAL_OFFICER, "api-officer", location=location),
        _client(Role.ANALYST, "api-analyst"),
    ):
        assert client.get(COMPLAINTS).status_code == 403
        assert client.get(f"{COMPLAINTS}{complaint.pk}/").status_code == 403
        assert client.post(f"{COMPLAINTS}{complaint.pk}/investigate/", on, format="json").status_code == 403
        assert client.post(COMPLAINTS, RECEIVED, format="json").status_code == 403
    complaint.refresh_from_db()
    assert (Complaint.objects.count(), complaint.stage) == (1, "received")


def test_the_complaint_list_filters_by_stage_in_a_fixed_number_of_queries(
    case: dict[str, Any],  # noqa: F811
    django_assert_max_num_queries: Any,
) -> None:
    registrar = _client(Role.REGISTRAR, "api-registrar", regulatory_body=case["body"])
    receive(case)
    few = _queries(registrar, COMPLAINTS)
    for _ in range(30):
        decided = heard(case)
        complaint_decide(
            actor=case["registrar"], complaint=decided, outcome="caution", decided_on=D(2025, 2, 20)
        )
    with django_assert_max_num_queries(few):
        page = registrar.get(COMPLAINTS).json()
    assert page["count"] == 31 and {row["outcome"] for row in page["results"]} == {"caution", ""}
    assert "complainant_name" not in page["results"][0]
    received = registrar.get(f"{COMPLAINTS}?stage=received").json()
    assert [row["stage"] for row in received["results"]] == ["received"]
    bad = registrar.get(f"{COMPLAINTS}?stage=closed")
    assert bad.status_code == 400 and list(bad.json()) == ["stage"]


@pytest.mark.parametrize("path", [EXAMS, COMPLAINTS])
def test_the_lists_are_paginated_in_the_schema(db: Any, path: str) -> None:
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    listed = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["$ref"].startswith("#/components/schemas/Paginated")


def test_a_registration_s_record_names_its_sanctions_in_force(case: dict[str, Any]) -> None:  # noqa: F811
    registrar = _client(Role.REGISTRAR, "api-registrar", regulatory_body=case["body"])
    url = f"/api/v1/regulation/registrations/{case['registration'].pk}/"
    assert registrar.get(url).json()["sanctions_in_force"] == []
    complaint_decide(
        actor=case["registrar"],
        complaint=heard(case),
        outcome="conditions",
        decided_on=D(2025, 2, 20),
        ends_on=D(2099, 12, 31),
        conditions="Supervised practice only.",
    )
    assert registrar.get(url).json()["sanctions_in_force"] == [
        {
            "kind": "conditions",
            "starts_on": "2025-02-20",
            "ends_on": "2099-12-31",
            "conditions": "Supervised practice only.",
        }
    ]
