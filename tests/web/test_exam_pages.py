"""The national exams' pages: a session created, candidates entered by worker ID, results recorded and an
entry withdrawn, each on the session's page; refusals shown on the step's form (400) with nothing written;
another body's registrar kept out (404); officers, focal points, analysts and workers refused (403); the
list's query count."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sswis.access.models import Role
from sswis.registry.models import Worker
from sswis.regulation.exams import exam_candidate_enter, exam_result_record, exam_session_set
from sswis.regulation.models_exams import ExamAttempt, ExamSession
from sswis.regulation.services import register_set, regulatory_body_set
from tests.factories import AssignmentFactory, WorkerFactory
from tests.regulation.test_exams import exams  # noqa: F401 (the fixture)
from tests.regulation.test_registration import council  # noqa: F401 (the fixture)
from tests.web.test_registration_pages import _login

D = datetime.date


@pytest.fixture
def registrar(exams: dict[str, Any]) -> Client:  # noqa: F811
    return _login(Role.REGISTRAR, regulatory_body=exams["register"].body)


def _step(client: Client, session: ExamSession, step: str, **data: Any) -> Any:
    url = reverse("web:exam_step", kwargs={"pk": session.pk, "step": step})
    return client.post(url, {f"{step}-{name}": value for name, value in data.items()})


def test_a_registrar_holds_a_session_on_the_pages(exams: dict[str, Any], registrar: Client) -> None:  # noqa: F811
    worker, register = exams["worker"], exams["register"]
    new = reverse("web:exam_session_new")
    fields = {"register": "SW-REG", "code": "2026-1", "held_on": "2026-03-01", "max_score": "100"}
    too_high = registrar.post(new, fields | {"pass_mark": "120"})
    assert too_high.status_code == 400
    assert "The pass mark (120) cannot be above the maximum score (100)." in too_high.content.decode()
    taken = registrar.post(new, fields | {"code": "S1", "pass_mark": "50"})
    assert taken.status_code == 400 and "already has a session S1" in taken.content.decode()
    assert not ExamSession.objects.filter(code="2026-1").exists()  # nothing written
    created = registrar.post(new, fields | {"pass_mark": "50"})
    session = ExamSession.objects.get(code="2026-1")
    assert created.status_code == 302 and created["Location"] == f"/exams/{session.pk}/"
    assert (session.register, session.held_on, session.pass_mark) == (register, D(2026, 3, 1), Decimal(50))

    unknown = _step(registrar, session, "enter", worker_id="W-NOBODY")
    assert unknown.status_code == 400 and "No worker has this worker ID." in unknown.content.decode()
    assert _step(registrar, session, "enter", worker_id=worker.worker_id).status_code == 302
    again = _step(registrar, session, "enter", worker_id=worker.worker_id)
    assert again.status_code == 400 and "already entered for session 2026-1" in again.content.decode()
    other = cast(Worker, WorkerFactory(given_name="Thandi", family_name="Dlamini"))
    assert _step(registrar, session, "enter", worker_id=other.worker_id).status_code == 302
    attempt, other_attempt = (ExamAttempt.objects.get(session=session, worker=w) for w in (worker, other))

    above = _step(registrar, session, "result", attempt=attempt.pk, score="100.01")
    assert above.status_code == 400 and "above the maximum score" in above.content.decode()
    attempt.refresh_from_db()
    assert attempt.score is None  # nothing written
    elsewhere = exam_candidate_enter(actor=exams["registrar"], session=exams["S1"], worker=other)
    foreign = _step(registrar, session, "result", attempt=elsewhere.pk, score="60")
    assert foreign.status_code == 400  # an entry of another session is not a choice here
    assert _step(registrar, session, "result", attempt=attempt.pk, score="50").status_code == 302
    twice = _step(registrar, session, "result", attempt=attempt.pk, score="70")
    assert twice.status_code == 400 and "A result (50.00) is already recorded" in twice.content.decode()
    recorded = _step(registrar, session, "withdraw", attempt=attempt.pk)
    assert recorded.status_code == 400 and "can no longer be withdrawn" in recorded.content.decode()
    moved = _step(registrar, session, "correct", held_on="2026-03-02", pass_mark="50", max_score="100")
    assert moved.status_code == 400 and "can no longer change" in moved.content.decode()
    assert _step(registrar, session, "withdraw", attempt=other_attempt.pk).status_code == 302
    assert list(session.attempts.values_list("worker_id", "score")) == [(worker.pk, Decimal("50.00"))]

    page = registrar.get(f"/exams/{session.pk}/").content.decode()
    assert worker.family_name in page and "50.00" in page and "Thandi" not in page
    listing = registrar.get("/exams/").content.decode()
    assert "2026-1" in listing and "S1" in listing
    assert registrar.post(f"/exams/{session.pk}/nonsense/").status_code == 404
    assert registrar.get(f"/exams/{session.pk}/enter/").status_code == 405


def test_a_session_s_day_and_marks_are_corrected_until_a_result(
    exams: dict[str, Any],  # noqa: F811
    registrar: Client,
) -> None:
    session = exams["S3"]
    assert (
        _step(
            registrar, session, "correct", held_on="2025-06-02", pass_mark="60", max_score="120"
        ).status_code
        == 302
    )
    session.refresh_from_db()
    assert (session.held_on, session.pass_mark, session.max_score) == (
        D(2025, 6, 2),
        Decimal(60),
        Decimal(120),
    )
    page = registrar.get(f"/exams/{session.pk}/").content.decode()
    assert 'value="2025-06-02"' in page  # the correction's form starts from the session's day


def test_another_body_s_registrar_and_other_roles_are_kept_out(exams: dict[str, Any]) -> None:  # noqa: F811
    session = exams["S1"]
    other = regulatory_body_set(actor=exams["registrar"], code="NC", name="Nursing Council")
    register_set(actor=exams["registrar"], body=other, code="NURSES", name="Nurses")
    foreign = _login(Role.REGISTRAR, regulatory_body=other)
    assert foreign.get(f"/exams/{session.pk}/").status_code == 404
    assert _step(foreign, session, "enter", worker_id=exams["worker"].worker_id).status_code == 404
    assert ">S1<" not in foreign.get("/exams/").content.decode()  # the link text, never a CSRF token
    refused = foreign.post(
        "/exams/new/",
        {"register": "SW-REG", "code": "X", "held_on": "2026-01-01", "pass_mark": "1", "max_score": "2"},
    )
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    assert not session.attempts.exists() and not ExamSession.objects.filter(code="X").exists()

    location = exams["worker"].assignments.get().location
    for client in (
        _login(Role.SUBNATIONAL_OFFICER, location=location),
        _login(Role.ORGANISATION_FOCAL_POINT, organisation=exams["worker"].assignments.get().organisation),
        _login(Role.ANALYST),
        _login(Role.WORKER, worker=exams["worker"]),
    ):
        assert client.get("/exams/").status_code == 403
        assert client.get(f"/exams/{session.pk}/").status_code == 403
        assert _step(client, session, "enter", worker_id=exams["worker"].worker_id).status_code == 403
    assert not session.attempts.exists()
    national = _login(Role.NATIONAL_DATA_MANAGER)
    assert national.get(f"/exams/{session.pk}/").status_code == 200
    assert 'href="/exams/"' in national.get("/exams/").content.decode()  # the navigation
    officer_home = _login(Role.SUBNATIONAL_OFFICER, location=location).get("/registrations/").content.decode()
    assert 'href="/exams/"' not in officer_home and 'href="/complaints/"' not in officer_home


def _sessions_with_candidates(exams: dict[str, Any], count: int) -> None:  # noqa: F811
    for index in range(count):
        session = exam_session_set(
            actor=exams["registrar"],
            register=exams["register"],
            code=f"M{index}",
            held_on=D(2023, 1, 1) + datetime.timedelta(days=index),
            pass_mark=Decimal(50),
            max_score=Decimal(100),
        )
        for score in (40, 60):
            worker = cast(Worker, WorkerFactory())
            AssignmentFactory(worker=worker, cadre=exams["sw"], start_date=D(2020, 1, 1))
            attempt = exam_candidate_enter(actor=exams["registrar"], session=session, worker=worker)
            exam_result_record(actor=exams["registrar"], attempt=attempt, score=Decimal(score))


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_session_list_costs_the_same_queries_for_few_or_many(
    exams: dict[str, Any],  # noqa: F811
    registrar: Client,
    django_assert_max_num_queries: Any,
) -> None:
    few = _queries(registrar, "/exams/")
    _sessions_with_candidates(exams, 30)
    with django_assert_max_num_queries(few):
        page = registrar.get("/exams/").content.decode()
    assert few <= 12
    assert page.count('href="/exams/') == 33 + 2  # the sessions, the new session's button and the nav
    assert '<td class="num">2</td>\n        <td class="num">1</td>' in page  # 2 candidates, 1 passed
