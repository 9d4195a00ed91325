"""A registration's life, each step one audited service; dates decide the status of any past day."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.regulation.models import LicenceValidity, RegistrationStatus
from sswis.regulation.selectors import registration_eligibility, registration_status_on, worker_licensed_on
from sswis.regulation.services import (
    licence_end,
    licence_issue,
    register_set,
    registration_apply,
    registration_approve,
    registration_lapse,
    registration_refuse,
    registration_remove,
    registration_restore,
    registration_review,
    regulatory_body_set,
)
from tests.factories import AssignmentFactory, CadreFactory, UserFactory, WorkerFactory

D = datetime.date


@pytest.fixture
def council(db: Any) -> dict[str, Any]:
    registrar = UserFactory(username="registrar")
    user_scope_grant(actor=None, user=registrar, role=Role.NATIONAL_DATA_MANAGER)
    sw = CadreFactory(code="SW")
    body = regulatory_body_set(actor=registrar, code="SSC", name="Social Service Council")
    register = register_set(
        actor=registrar,
        body=body,
        code="SW-REG",
        name="Social workers",
        cadres=[sw],
        minimum_education="diploma",
        licence_validity=LicenceValidity.FIXED_DATE,
        renewal_month=1,
        renewal_day=1,
        renewal_fee=Decimal("50.00"),
    )
    worker = WorkerFactory(education_level="bachelor")
    AssignmentFactory(worker=worker, cadre=sw, start_date=D(2020, 1, 1))
    return {"registrar": registrar, "register": register, "worker": worker, "sw": sw}


def test_the_whole_life_of_a_registration_and_its_status_on_past_days(council: dict[str, Any]) -> None:
    registrar, register, worker = council["registrar"], council["register"], council["worker"]
    registration = registration_apply(
        actor=registrar, register=register, worker=worker, applied_on=D(2023, 2, 1)
    )
    with pytest.raises(ValidationError, match="documents"):
        registration_approve(
            actor=registrar, registration=registration, number="SW-001", registered_on=D(2023, 3, 1)
        )
    registration_review(actor=registrar, registration=registration, documents_checked=True)
    registration_approve(
        actor=registrar, registration=registration, number="SW-001", registered_on=D(2023, 3, 1)
    )
    licence = licence_issue(actor=registrar, registration=registration, valid_from=D(2023, 3, 1))
    assert (licence.valid_from, licence.valid_until) == (
        D(2023, 3, 1),
        D(2023, 12, 31),
    )  # renewal on 1 January
    registration_lapse(actor=registrar, registration=registration, since=D(2024, 4, 1))
    registration_restore(actor=registrar, registration=registration, since=D(2024, 6, 1))
    with pytest.raises(ValidationError, match="registered again"):  # not back into the lapsed months
        licence_issue(actor=registrar, registration=registration, valid_from=D(2024, 1, 1))
    licence_issue(actor=registrar, registration=registration, valid_from=D(2024, 6, 1))
    registration_remove(actor=registrar, registration=registration, since=D(2025, 5, 1), reason="On request")

    statuses = [registration_status_on(registration=registration, day=day) for day in (
        D(2023, 1, 1), D(2023, 2, 1), D(2023, 3, 1), D(2024, 4, 30), D(2024, 6, 1), D(2025, 5, 1)
    )]  # fmt: skip
    assert statuses == [None, "applied", "registered", "lapsed", "registered", "removed"]
    # Licensed: registered that day and a licence valid that day.
    assert [worker_licensed_on(worker=worker, day=day) for day in (
        D(2023, 2, 15), D(2023, 6, 1), D(2024, 1, 15), D(2024, 7, 1), D(2024, 12, 31), D(2025, 1, 2)
    )] == [False, True, False, True, True, False]  # fmt: skip
    # Every change kept with its author.
    assert {record.history_user.username for record in registration.history.all()} == {"registrar"}
    assert registration.history.count() >= 6


def test_a_number_used_twice_in_a_register_is_refused(council: dict[str, Any]) -> None:
    registrar, register, worker = council["registrar"], council["register"], council["worker"]
    first = registration_apply(actor=registrar, register=register, worker=worker, applied_on=D(2023, 2, 1))
    registration_review(actor=registrar, registration=first, documents_checked=True)
    registration_approve(actor=registrar, registration=first, number="SW-001", registered_on=D(2023, 3, 1))
    other = WorkerFactory(education_level="master")
    AssignmentFactory(worker=other, cadre=council["sw"], start_date=D(2020, 1, 1))
    second = registration_apply(actor=registrar, register=register, worker=other, applied_on=D(2023, 2, 1))
    registration_review(actor=registrar, registration=second, documents_checked=True)
    with pytest.raises(ValidationError, match="already used"):
        registration_approve(
            actor=registrar, registration=second, number="SW-001", registered_on=D(2023, 3, 1)
        )
    second.refresh_from_db()
    assert (second.status, second.number) == (RegistrationStatus.APPLIED, "")
    with pytest.raises(ValidationError, match="already has"):
        registration_apply(actor=registrar, register=register, worker=worker, applied_on=D(2024, 1, 1))


def test_eligibility_is_evaluated_and_an_ineligible_applicant_is_not_registered(
    council: dict[str, Any],
) -> None:
    registrar, register = council["registrar"], council["register"]
    worker = WorkerFactory(education_level="secondary")
    AssignmentFactory(worker=worker, cadre=CadreFactory(code="CCW"), start_date=D(2020, 1, 1))
    found = registration_eligibility(register=register, worker=worker, day=D(2023, 3, 1))
    assert [(requirement.met, requirement.found) for requirement in found] == [
        (False, "none of the register's cadres on that day"),  # not which cadre: employment
        (False, "Secondary"),
    ]
    registration = registration_apply(
        actor=registrar, register=register, worker=worker, applied_on=D(2023, 2, 1)
    )
    registration_review(actor=registrar, registration=registration, documents_checked=True)
    with pytest.raises(ValidationError, match="Not met"):
        registration_approve(
            actor=registrar, registration=registration, number="SW-9", registered_on=D(2023, 3, 1)
        )
    registration_refuse(
        actor=registrar, registration=registration, reason="Not a social worker", on=D(2023, 3, 2)
    )
    assert registration.status_changes.last().reason == "Not a social worker"


def test_history_cannot_be_rewritten_and_steps_follow_the_status(council: dict[str, Any]) -> None:
    registrar, register, worker = council["registrar"], council["register"], council["worker"]
    registration = registration_apply(
        actor=registrar, register=register, worker=worker, applied_on=D(2023, 2, 1)
    )
    with pytest.raises(ValidationError, match="not possible now"):
        registration_lapse(actor=registrar, registration=registration, since=D(2023, 5, 1))
    registration_review(actor=registrar, registration=registration, documents_checked=True)
    registration_approve(
        actor=registrar, registration=registration, number="SW-1", registered_on=D(2023, 3, 1)
    )
    with pytest.raises(ValidationError, match="before the last one"):
        registration_lapse(actor=registrar, registration=registration, since=D(2023, 2, 15))
    with pytest.raises(ValidationError, match="before the registration"):
        licence_issue(actor=registrar, registration=registration, valid_from=D(2023, 2, 1))
    licence_issue(actor=registrar, registration=registration, valid_from=D(2023, 3, 1))
    with pytest.raises(ValidationError, match="already has a licence"):
        licence_issue(actor=registrar, registration=registration, valid_from=D(2023, 6, 1))


def test_licence_periods_from_issue() -> None:
    class Rule:
        licence_validity = LicenceValidity.FROM_ISSUE
        licence_months = 12
        renewal_month = 1
        renewal_day = 1

    assert licence_end(register=Rule(), valid_from=D(2025, 3, 10)) == D(2026, 3, 9)  # type: ignore[arg-type]
    Rule.licence_months = 1
    assert licence_end(register=Rule(), valid_from=D(2025, 1, 31)) == D(2025, 2, 28)  # type: ignore[arg-type]
    assert licence_end(register=Rule(), valid_from=D(2025, 1, 15)) == D(2025, 2, 14)  # type: ignore[arg-type]
    Rule.licence_months = 12
    assert licence_end(register=Rule(), valid_from=D(2024, 2, 29)) == D(2025, 2, 28)  # type: ignore[arg-type]


def test_only_a_national_data_manager_changes_registrations(council: dict[str, Any]) -> None:
    analyst = UserFactory(username="analyst")
    user_scope_grant(actor=None, user=analyst, role=Role.ANALYST)
    with pytest.raises(PermissionDenied):
        registration_apply(
            actor=analyst, register=council["register"], worker=council["worker"], applied_on=D(2023, 2, 1)
        )


def test_the_daily_job_lapses_registrations_not_renewed_after_grace(council: dict[str, Any]) -> None:
    from io import StringIO

    from django.core.management import call_command

    from sswis.regulation.models import Register

    registrar, register, worker = council["registrar"], council["register"], council["worker"]
    Register.objects.filter(pk=register.pk).update(grace_days=30)
    registration = registration_apply(
        actor=registrar, register=register, worker=worker, applied_on=D(2023, 2, 1)
    )
    registration_review(actor=registrar, registration=registration, documents_checked=True)
    registration_approve(
        actor=registrar, registration=registration, number="SW-1", registered_on=D(2023, 3, 1)
    )
    licence_issue(
        actor=registrar, registration=registration, valid_from=D(2023, 3, 1)
    )  # until 31 December 2023
    # Never licensed: no renewal date, no lapse.
    other = WorkerFactory(education_level="master")
    AssignmentFactory(worker=other, cadre=council["sw"], start_date=D(2020, 1, 1))
    unlicensed = registration_apply(
        actor=registrar, register=register, worker=other, applied_on=D(2023, 2, 1)
    )
    registration_review(actor=registrar, registration=unlicensed, documents_checked=True)
    registration_approve(actor=registrar, registration=unlicensed, number="SW-2", registered_on=D(2023, 3, 1))

    # Renewal date 1 January 2024 (on time that day), 30 days of grace to 31 January: lapsed from 1 February.
    out = StringIO()
    call_command("regulation_daily", "--date", "2024-01-31", stdout=out)
    assert out.getvalue().splitlines() == [
        "0 registration statuses brought up to date.",
        "0 registrations lapsed.",
        "0 licence reminders sent.",
    ]
    call_command("regulation_daily", "--date", "2024-02-01", stdout=out)
    assert out.getvalue().strip().endswith("1 registration lapsed.\n0 licence reminders sent.")
    registration.refresh_from_db()
    assert (registration.status, registration.status_since) == ("lapsed", D(2024, 2, 1))
    assert registration.status_changes.last().reason == "Not renewed by 2024-01-01."
    assert registration_status_on(registration=registration, day=D(2024, 1, 31)) == "registered"
    assert registration_status_on(registration=registration, day=D(2024, 2, 1)) == "lapsed"
    latest = registration.history.latest()
    assert (latest.status, latest.history_user) == ("lapsed", None)  # the system, by the daily job
    assert (latest.history_type, latest.status_since) == ("~", D(2024, 2, 1))
    lapse = registration.status_changes.last()
    assert [(h.history_type, h.status, h.since) for h in lapse.history.all()] == [
        ("+", "lapsed", D(2024, 2, 1))
    ]
    call_command("regulation_daily", "--date", "2024-02-02", stdout=out)  # again: nothing more
    assert out.getvalue().strip().endswith("0 registrations lapsed.\n0 licence reminders sent.")
    unlicensed.refresh_from_db()
    assert unlicensed.status == "registered"


def test_a_registrar_changes_their_own_body_only(council: dict[str, Any]) -> None:
    other_body = regulatory_body_set(actor=council["registrar"], code="NCC", name="Nursing Council")
    own = UserFactory(username="own-registrar")
    user_scope_grant(actor=None, user=own, role=Role.REGISTRAR, regulatory_body=council["register"].body)
    foreign = UserFactory(username="foreign-registrar")
    user_scope_grant(actor=None, user=foreign, role=Role.REGISTRAR, regulatory_body=other_body)
    with pytest.raises(PermissionDenied):
        registration_apply(
            actor=foreign, register=council["register"], worker=council["worker"], applied_on=D(2023, 2, 1)
        )
    with pytest.raises(PermissionDenied):  # nor move a register of another body into their own
        register_set(actor=foreign, body=other_body, code="SW-REG", name="Taken over")
    with pytest.raises(PermissionDenied):  # a new body is the national data manager's
        regulatory_body_set(actor=own, code="NEW", name="New council")
    registration = registration_apply(
        actor=own, register=council["register"], worker=council["worker"], applied_on=D(2023, 2, 1)
    )
    assert registration.history.latest().history_user == own


def test_a_lapsed_registration_is_restored_only_once_the_restoration_fee_is_paid(
    council: dict[str, Any],
) -> None:
    from sswis.regulation.models import Register
    from sswis.regulation.services import payment_record, restoration_charge_raise

    registrar, register, worker = council["registrar"], council["register"], council["worker"]
    Register.objects.filter(pk=register.pk).update(restoration_fee=Decimal("80.00"))
    register.refresh_from_db()
    registration = registration_apply(
        actor=registrar, register=register, worker=worker, applied_on=D(2023, 2, 1)
    )
    registration_review(actor=registrar, registration=registration, documents_checked=True)
    registration_approve(
        actor=registrar, registration=registration, number="SW-9", registered_on=D(2023, 3, 1)
    )
    registration_lapse(actor=registrar, registration=registration, since=D(2024, 2, 1))
    with pytest.raises(ValidationError, match="Raise the restoration fee first"):
        registration_restore(actor=registrar, registration=registration, since=D(2024, 3, 1))
    fee = restoration_charge_raise(actor=registrar, registration=registration)
    assert fee is not None and (fee.amount, fee.due_on) == (Decimal("80.00"), D(2024, 2, 1))
    assert restoration_charge_raise(actor=registrar, registration=registration) == fee  # raised once
    payment_record(actor=registrar, charge=fee, amount=Decimal("50.00"), paid_on=D(2024, 2, 20))
    with pytest.raises(ValidationError, match=r"30\.00 USD still owed"):
        registration_restore(actor=registrar, registration=registration, since=D(2024, 3, 1))
    assert registration_status_on(registration=registration, day=D(2024, 3, 1)) == "lapsed"
    payment_record(actor=registrar, charge=fee, amount=Decimal("30.00"), paid_on=D(2024, 2, 25))
    registration_restore(actor=registrar, registration=registration, since=D(2024, 3, 1))
    assert registration_status_on(registration=registration, day=D(2024, 3, 1)) == "registered"
