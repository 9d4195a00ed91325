"""National exams: sessions, candidates entered within the register's limit of attempts, results recorded
once within the marks, and a pass meeting the register's exam rule from the day of its session."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.registry.models import Worker
from sswis.regulation.exams import (
    exam_candidate_enter,
    exam_candidate_withdraw,
    exam_result_record,
    exam_session_set,
)
from sswis.regulation.models import Register
from sswis.regulation.models_exams import ExamAttempt, ExamSession
from sswis.regulation.selectors import registration_eligibility
from sswis.regulation.selectors_exams import (
    exam_attempts_used,
    exam_session_candidates,
    exam_sessions,
    worker_exam_attempts,
)
from sswis.regulation.services import (
    register_set,
    registration_apply,
    registration_approve,
    registration_review,
)
from tests.factories import UserFactory, WorkerFactory
from tests.regulation.test_registration import council  # noqa: F401 (the fixture)

D = datetime.date


@pytest.fixture
def exams(council: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """The social-work register asks a passed exam and allows 2 attempts; three sessions, each passed with
    50 of 100: S1 on 1 June 2024, S2 on 1 December 2024, S3 on 1 June 2025."""
    registrar, register = council["registrar"], council["register"]
    register = register_set(
        actor=registrar,
        body=register.body,
        code=register.code,
        name=register.name,
        cadres=register.cadres.all(),
        exam_required=True,
        exam_attempts_limit=2,
    )
    sessions = {
        code: exam_session_set(
            actor=registrar,
            register=register,
            code=code,
            held_on=held_on,
            pass_mark=Decimal(50),
            max_score=Decimal(100),
        )
        for code, held_on in (("S1", D(2024, 6, 1)), ("S2", D(2024, 12, 1)), ("S3", D(2025, 6, 1)))
    }
    return council | {"register": register} | sessions


def test_entering_beyond_the_register_s_limit_is_refused_naming_the_limit_and_the_attempts_used(
    exams: dict[str, Any],
) -> None:
    registrar, worker = exams["registrar"], exams["worker"]
    first = exam_candidate_enter(actor=registrar, session=exams["S1"], worker=worker)
    with pytest.raises(ValidationError, match="already entered for session S1"):
        exam_candidate_enter(actor=registrar, session=exams["S1"], worker=worker)
    exam_result_record(actor=registrar, attempt=first, score=Decimal("49.5"))
    second = exam_candidate_enter(actor=registrar, session=exams["S2"], worker=worker)
    exam_result_record(actor=registrar, attempt=second, score=Decimal(12))
    assert exam_attempts_used(register=exams["register"], worker=worker) == 2
    with pytest.raises(ValidationError) as refused:
        exam_candidate_enter(actor=registrar, session=exams["S3"], worker=worker)
    assert refused.value.message_dict["worker"] == [
        f"The register SW-REG allows 2 attempts at its exam; {worker} has used 2."
    ]
    assert ExamAttempt.objects.filter(worker=worker).count() == 2  # nothing written
    assert [(a.session.code, a.score, a.passed) for a in worker_exam_attempts(register=exams["register"], worker=worker)] == [
        ("S1", Decimal("49.50"), False),
        ("S2", Decimal("12.00"), False),
    ]  # fmt: skip

    # A limit of 1 says "attempt"; no limit (None) lets a third attempt in.
    Register.objects.filter(pk=exams["register"].pk).update(exam_attempts_limit=1)
    exams["S3"].register.refresh_from_db()
    with pytest.raises(ValidationError, match=r"allows 1 attempt at its exam; .* has used 2\."):
        exam_candidate_enter(actor=registrar, session=exams["S3"], worker=worker)
    Register.objects.filter(pk=exams["register"].pk).update(exam_attempts_limit=None)
    exams["S3"].register.refresh_from_db()
    third = exam_candidate_enter(actor=registrar, session=exams["S3"], worker=worker)
    assert exam_attempts_used(register=exams["register"], worker=worker) == 3
    exam_result_record(actor=registrar, attempt=third, score=Decimal(50))
    with pytest.raises(ValidationError, match="already passed this exam, in session S3"):
        exam_candidate_enter(
            actor=registrar,
            session=exam_session_set(
                actor=registrar,
                register=exams["register"],
                code="S4",
                held_on=D(2025, 12, 1),
                pass_mark=Decimal(50),
                max_score=Decimal(100),
            ),
            worker=worker,
        )


def test_a_limit_of_attempts_is_at_least_one(exams: dict[str, Any]) -> None:
    register = exams["register"]
    with pytest.raises(ValidationError, match="exam_attempts_limit"):
        register_set(
            actor=exams["registrar"], body=register.body, code=register.code, name=register.name,
            exam_attempts_limit=0,
        )  # fmt: skip
    register.refresh_from_db()
    assert register.exam_attempts_limit == 2


def test_a_result_is_within_the_marks_and_recorded_once(exams: dict[str, Any]) -> None:
    registrar, worker = exams["registrar"], exams["worker"]
    attempt = exam_candidate_enter(actor=registrar, session=exams["S1"], worker=worker)
    with pytest.raises(
        ValidationError, match=r"The score 100\.5 is above the maximum score of session S1 \(100\.00\)"
    ):
        exam_result_record(actor=registrar, attempt=attempt, score=Decimal("100.5"))
    with pytest.raises(ValidationError, match="cannot be negative"):
        exam_result_record(actor=registrar, attempt=attempt, score=Decimal(-1))
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (None, None)  # nothing written
    exam_result_record(actor=registrar, attempt=attempt, score=Decimal(100))  # the maximum itself is a score
    with pytest.raises(ValidationError, match=r"A result \(100\.00\) is already recorded"):
        exam_result_record(actor=registrar, attempt=attempt, score=Decimal(60))
    attempt.refresh_from_db()
    assert attempt.score == Decimal(100)
    assert {record.history_user.username for record in attempt.history.all()} == {"registrar"}


def test_the_pass_mark_itself_passes(exams: dict[str, Any]) -> None:
    registrar = exams["registrar"]
    at_mark, below, late = (cast(Worker, WorkerFactory()) for _ in range(3))
    for worker, score in ((at_mark, Decimal(50)), (below, Decimal("49.99"))):
        attempt = exam_candidate_enter(actor=registrar, session=exams["S1"], worker=worker)
        exam_result_record(actor=registrar, attempt=attempt, score=score)
    exam_candidate_enter(actor=registrar, session=exams["S1"], worker=late)
    assert {a.worker: a.passed for a in exam_session_candidates(session=exams["S1"])} == {
        at_mark: True,
        below: False,
        late: None,
    }
    (_s3, s2, s1) = exam_sessions(register=exams["register"])
    assert (s1.code, s1.candidates, s1.passes, s2.candidates) == ("S1", 3, 1, 0)  # type: ignore[attr-defined]


def test_a_session_s_marks_are_checked_and_fixed_once_results_are_in(exams: dict[str, Any]) -> None:
    registrar, register = exams["registrar"], exams["register"]
    with pytest.raises(
        ValidationError, match=r"The pass mark \(120\) cannot be above the maximum score \(100\)"
    ):
        exam_session_set(
            actor=registrar, register=register, code="S9", held_on=D(2025, 1, 1),
            pass_mark=Decimal(120), max_score=Decimal(100),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="pass_mark"):
        exam_session_set(
            actor=registrar, register=register, code="S9", held_on=D(2025, 1, 1),
            pass_mark=Decimal(-1), max_score=Decimal(100),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="max_score"):
        exam_session_set(
            actor=registrar, register=register, code="S9", held_on=D(2025, 1, 1),
            pass_mark=Decimal(0), max_score=Decimal(0),
        )  # fmt: skip
    assert not ExamSession.objects.filter(code="S9").exists()
    # Before any result, the marks may change; after one, they may not.
    moved = exam_session_set(
        actor=registrar, register=register, code="S1", held_on=D(2024, 6, 2),
        pass_mark=Decimal(60), max_score=Decimal(100),
    )  # fmt: skip
    assert (moved.pk, moved.held_on, moved.pass_mark) == (exams["S1"].pk, D(2024, 6, 2), Decimal(60))
    attempt = exam_candidate_enter(actor=registrar, session=moved, worker=exams["worker"])
    exam_result_record(actor=registrar, attempt=attempt, score=Decimal(55))
    with pytest.raises(ValidationError, match="Results of session S1 are recorded"):
        exam_session_set(
            actor=registrar, register=register, code="S1", held_on=D(2024, 6, 2),
            pass_mark=Decimal(50), max_score=Decimal(100),
        )  # fmt: skip
    moved.refresh_from_db()
    assert moved.pass_mark == Decimal(60)
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        exam_candidate_withdraw(actor=registrar, attempt=attempt)


def test_a_withdrawn_entry_is_no_attempt(exams: dict[str, Any]) -> None:
    registrar, worker = exams["registrar"], exams["worker"]
    attempt = exam_candidate_enter(actor=registrar, session=exams["S1"], worker=worker)
    exam_candidate_withdraw(actor=registrar, attempt=attempt)
    assert exam_attempts_used(register=exams["register"], worker=worker) == 0
    deleted = ExamAttempt.history.filter(id=attempt.pk, history_type="-").get()
    assert deleted.history_user.username == "registrar"


def test_a_pass_meets_the_exam_rule_from_the_day_of_its_session(exams: dict[str, Any]) -> None:
    registrar, register, worker = exams["registrar"], exams["register"], exams["worker"]

    def exam_rule(day: datetime.date) -> tuple[bool, str]:
        (requirement,) = [
            r
            for r in registration_eligibility(register=register, worker=worker, day=day)
            if r.rule == "a passed national exam"
        ]
        return requirement.met, requirement.found

    assert exam_rule(D(2025, 1, 1)) == (False, "no passed national exam is recorded")
    failed = exam_candidate_enter(actor=registrar, session=exams["S1"], worker=worker)
    exam_result_record(actor=registrar, attempt=failed, score=Decimal(30))
    assert exam_rule(D(2025, 1, 1)) == (False, "no passed national exam is recorded")
    passed = exam_candidate_enter(actor=registrar, session=exams["S2"], worker=worker)
    exam_result_record(actor=registrar, attempt=passed, score=Decimal("72.5"))
    assert exam_rule(D(2024, 11, 30)) == (False, "no passed national exam is recorded")  # before its session
    assert exam_rule(D(2024, 12, 1)) == (True, "passed in session S2 on 2024-12-01 (72.5 of 100)")

    # A pass in another register's exam does not count here.
    other = register_set(
        actor=registrar, body=register.body, code="AUX", name="Auxiliaries", exam_required=True
    )
    assert [r.met for r in registration_eligibility(register=other, worker=worker, day=D(2025, 1, 1))] == [
        False
    ]

    # Registration: refused before the pass, granted after it.
    registration = registration_apply(
        actor=registrar, register=register, worker=worker, applied_on=D(2024, 11, 1)
    )
    registration_review(actor=registrar, registration=registration, documents_checked=True)
    with pytest.raises(ValidationError, match="Not met: a passed national exam"):
        registration_approve(
            actor=registrar, registration=registration, number="SW-1", registered_on=D(2024, 11, 15)
        )
    registration_approve(
        actor=registrar, registration=registration, number="SW-1", registered_on=D(2024, 12, 1)
    )
    assert registration.status == "registered"


def test_only_a_national_data_manager_records_exams(exams: dict[str, Any]) -> None:
    analyst = UserFactory(username="analyst")
    user_scope_grant(actor=None, user=analyst, role=Role.ANALYST)
    with pytest.raises(PermissionDenied):
        exam_candidate_enter(actor=analyst, session=exams["S1"], worker=exams["worker"])
    attempt = exam_candidate_enter(actor=exams["registrar"], session=exams["S1"], worker=exams["worker"])
    with pytest.raises(PermissionDenied):
        exam_result_record(actor=analyst, attempt=attempt, score=Decimal(80))
