"""A worker's own side: CPD evidence reviewed by the registrar (accepted as an activity's attendance, whose
points then count; or rejected with a reason), licence reminders e-mailed once each, and the nightly run
of the daily job by the background worker."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.regulation.models import CpdEvidence, EvidenceStatus, LicenceReminder
from sswis.regulation.selectors import registration_renewal
from sswis.regulation.self_service import (
    cpd_evidence_accept,
    cpd_evidence_reject,
    cpd_evidence_submit,
    licence_reminders_send,
)
from sswis.regulation.services import licence_issue
from sswis.regulation.tasks import next_run_after, regulation_daily_schedule
from tests.factories import UserFactory, WorkerFactory
from tests.regulation.test_registration import council  # noqa: F401 (the fixture)
from tests.regulation.test_renewal import licensed  # noqa: F401 (the fixture)

D = datetime.date


@pytest.fixture
def own_login(licensed: dict[str, Any]) -> Any:  # noqa: F811
    user = UserFactory(username="worker-login")
    user_scope_grant(actor=None, user=user, role=Role.WORKER, worker=licensed["worker"])
    return user


def _submit(actor: Any, worker: Any, **changes: Any) -> CpdEvidence:
    values = {"title": "Online ethics course", "provider_name": "MOOC", "completed_on": D(2023, 5, 2)}
    return cpd_evidence_submit(actor=actor, worker=worker, today=D(2023, 6, 1), **(values | changes))


def test_evidence_accepted_counts_the_activitys_points(
    licensed: dict[str, Any],  # noqa: F811
    own_login: Any,
) -> None:
    registration, registrar = licensed["registration"], licensed["registrar"]
    evidence = _submit(own_login, licensed["worker"], certificate_id="CERT-1")
    assert evidence.history.latest().history_user == own_login
    before = registration_renewal(registration=registration, on=D(2024, 1, 1))
    assert before is not None and before.points_earned == 0
    cpd_evidence_accept(actor=registrar, evidence=evidence, activity=licensed["ethics"])
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.ACCEPTED and evidence.record is not None
    assert evidence.record.completed_on == D(2023, 5, 2)  # the evidence's day, not the review's
    after = registration_renewal(registration=registration, on=D(2024, 1, 1))
    assert after is not None and after.points_earned == Decimal(5) and after.categories_missing == []
    with pytest.raises(ValidationError, match="already reviewed"):
        cpd_evidence_reject(actor=registrar, evidence=evidence, reason="late")


def test_evidence_rejected_with_a_reason_and_refusals(
    licensed: dict[str, Any],  # noqa: F811
    own_login: Any,
) -> None:
    worker, registrar = licensed["worker"], licensed["registrar"]
    with pytest.raises(ValidationError, match="future"):
        _submit(own_login, worker, completed_on=D(2023, 6, 2))
    stranger = WorkerFactory()
    with pytest.raises(PermissionDenied):  # a worker's login submits for themselves only
        _submit(own_login, stranger)
    evidence = _submit(own_login, worker)
    with pytest.raises(PermissionDenied):  # a worker does not review
        cpd_evidence_reject(actor=own_login, evidence=evidence, reason="no")
    with pytest.raises(ValidationError, match="reason"):
        cpd_evidence_reject(actor=registrar, evidence=evidence, reason="  ")
    cpd_evidence_reject(actor=registrar, evidence=evidence, reason="Not an accredited course.")
    evidence.refresh_from_db()
    assert (evidence.status, evidence.reason, evidence.record) == (
        "rejected",
        "Not an accredited course.",
        None,
    )


def test_reminders_are_sent_once_before_the_licence_ends(
    licensed: dict[str, Any],  # noqa: F811
) -> None:
    worker = licensed["worker"]
    worker.email = "worker@example.org"
    worker.save(update_fields=["email"])
    # The licence ends on 31 December 2023: reminders on 1 and 24 December (30 and 7 days before).
    assert licence_reminders_send(day=D(2023, 11, 30)) == 0
    assert licence_reminders_send(day=D(2023, 12, 1)) == 1
    assert licence_reminders_send(day=D(2023, 12, 1)) == 0  # once
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["worker@example.org"]
    assert "2023-12-31" in message.subject and "SW-1" in message.body
    assert LicenceReminder.objects.get().days_before == 30


def test_no_reminder_after_renewal_or_without_an_email(
    licensed: dict[str, Any],  # noqa: F811
) -> None:
    registration, registrar = licensed["registration"], licensed["registrar"]
    assert licence_reminders_send(day=D(2023, 12, 1)) == 0  # no e-mail address
    worker = licensed["worker"]
    worker.email = "worker@example.org"
    worker.save(update_fields=["email"])
    licence_issue(actor=registrar, registration=registration, valid_from=D(2024, 1, 1))
    assert licence_reminders_send(day=D(2023, 12, 24)) == 0  # renewed already
    assert mail.outbox == []


def test_the_next_nightly_run() -> None:
    zone = timezone.get_current_timezone()
    assert next_run_after(datetime.datetime(2024, 3, 5, 0, 30, tzinfo=zone)) == datetime.datetime(
        2024, 3, 5, 1, 0, tzinfo=zone
    )
    assert next_run_after(datetime.datetime(2024, 3, 5, 1, 0, tzinfo=zone)) == datetime.datetime(
        2024, 3, 6, 1, 0, tzinfo=zone
    )


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_daily_job_is_queued_once_for_the_background_worker(db: Any) -> None:
    run_after = regulation_daily_schedule()
    assert run_after is not None and run_after > timezone.now()
    assert regulation_daily_schedule() is None  # queued already
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "sswis.regulation.tasks.regulation_daily_task"
    assert queued.run_after == run_after


def test_an_application_alone_gives_a_registrar_no_access_to_a_workers_evidence(
    licensed: dict[str, Any],  # noqa: F811
    own_login: Any,
) -> None:
    from sswis.regulation.self_service import may_review_evidence
    from sswis.regulation.services import register_set, registration_apply, regulatory_body_set

    evidence = _submit(own_login, licensed["worker"])
    other = regulatory_body_set(actor=licensed["registrar"], code="NC", name="Nurses")
    nurses = register_set(actor=licensed["registrar"], body=other, code="NURSES", name="Nurses")
    stranger = UserFactory(username="nurses-registrar")
    user_scope_grant(actor=None, user=stranger, role=Role.REGISTRAR, regulatory_body=other)
    registration_apply(actor=stranger, register=nurses, worker=licensed["worker"], applied_on=D(2023, 6, 1))
    assert not may_review_evidence(user=stranger, evidence=evidence)
    with pytest.raises(PermissionDenied):
        cpd_evidence_reject(actor=stranger, evidence=evidence, reason="not ours")


def test_a_missed_night_is_caught_up_and_a_short_licence_gets_the_nearest_reminder_only(
    licensed: dict[str, Any],  # noqa: F811
) -> None:
    worker = licensed["worker"]
    worker.email = "worker@example.org"
    worker.save(update_fields=["email"])
    # The licence ends on 31 December 2023. The job did not run on 1 December: the 2nd sends the 30-day one.
    assert licence_reminders_send(day=D(2023, 12, 2)) == 1
    assert licence_reminders_send(day=D(2023, 12, 10)) == 0
    assert licence_reminders_send(day=D(2023, 12, 26)) == 1  # the 7-day one, late by two days
    assert sorted(LicenceReminder.objects.values_list("days_before", flat=True)) == [7, 30]
    LicenceReminder.objects.all().delete()
    assert licence_reminders_send(day=D(2023, 12, 28)) == 1  # 3 days left: the 7-day reminder, not both
    assert list(LicenceReminder.objects.values_list("days_before", flat=True)) == [7]


def test_a_status_change_dated_ahead_leaves_the_copy_until_its_day(licensed: dict[str, Any]) -> None:  # noqa: F811
    from sswis.regulation.services import registration_remove

    registration = licensed["registration"]
    ahead = timezone.localdate() + datetime.timedelta(days=10)
    registration_remove(
        actor=licensed["registrar"], registration=registration, since=ahead, reason="Retiring"
    )
    registration.refresh_from_db()
    assert registration.status == "registered"  # the copy is today's status
    from sswis.regulation.lapses import registrations_status_refresh

    assert registrations_status_refresh(actor=None, day=ahead) == 1
    registration.refresh_from_db()
    assert (registration.status, registration.status_since) == ("removed", ahead)
