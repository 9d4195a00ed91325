"""Renewal: the exact shortfall (CPD points, required categories, unpaid fee or late fine) or the next
licence; CPD points come from accredited activities; charges and payments."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sswis.regulation.models import Charge, CpdActivity, CpdProvider, Licence, Register
from sswis.regulation.selectors import registration_renewal
from sswis.regulation.services import (
    cpd_record_add,
    licence_issue,
    payment_record,
    registration_apply,
    registration_approve,
    registration_renew,
    registration_review,
    renewal_charges_raise,
)
from tests.regulation.test_registration import council  # noqa: F401 (the fixture)

D = datetime.date


@pytest.fixture
def licensed(council: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """Council SSC's social-work register asks 20 CPD points a year with one ethics activity, a renewal
    fee of 50 and a late fine of 25; a social worker licensed from 1 March 2023 to 31 December 2023."""
    registrar, register, worker = council["registrar"], council["register"], council["worker"]
    Register.objects.filter(pk=register.pk).update(
        cpd_points_per_cycle=Decimal(20), cpd_required_categories=["ethics"], late_fine=Decimal(25)
    )
    register.refresh_from_db()
    registration = registration_apply(
        actor=registrar, register=register, worker=worker, applied_on=D(2023, 2, 1)
    )
    registration_review(actor=registrar, registration=registration, documents_checked=True)
    registration_approve(
        actor=registrar, registration=registration, number="SW-1", registered_on=D(2023, 3, 1)
    )
    licence_issue(actor=registrar, registration=registration, valid_from=D(2023, 3, 1))
    provider = CpdProvider.objects.create(
        body=register.body, code="P1", name="Institute", accredited_from=D(2022, 1, 1)
    )

    def activity(code: str, category: str, points: int, held_on: datetime.date) -> CpdActivity:
        return CpdActivity.objects.create(
            provider=provider,
            code=code,
            title=code,
            category=category,
            points=Decimal(points),
            held_on=held_on,
        )

    return council | {
        "registration": registration,
        "ethics": activity("E1", "ethics", 5, D(2023, 5, 1)),
        "practice": activity("P1", "practice", 10, D(2023, 6, 1)),
        "more": activity("P2", "practice", 5, D(2023, 9, 1)),
        "later": activity("P3", "practice", 10, D(2024, 2, 1)),
    }


def test_renewal_is_refused_with_the_exact_shortfall_then_granted(licensed: dict[str, Any]) -> None:
    registrar, worker, registration = licensed["registrar"], licensed["worker"], licensed["registration"]
    cpd_record_add(actor=registrar, worker=worker, activity=licensed["practice"], completed_on=D(2023, 6, 1))
    cpd_record_add(
        actor=registrar, worker=worker, activity=licensed["later"], completed_on=D(2024, 2, 1)
    )  # next cycle
    renewal = registration_renewal(registration=registration, on=D(2023, 12, 20))
    assert renewal is not None
    assert (renewal.points_earned, renewal.points_required, renewal.categories_missing) == (
        10,
        20,
        ["ethics"],
    )
    assert renewal.shortfall == [
        "Renewal fee: 50.00 USD unpaid",
        "CPD: 10 of 20 points in the cycle 2023-03-01 to 2023-12-31",
        "CPD: no ethics activity in the cycle",
    ]
    with pytest.raises(ValidationError) as refused:
        registration_renew(actor=registrar, registration=registration, on=D(2023, 12, 20))
    assert refused.value.message_dict["registration"] == renewal.shortfall
    assert Licence.objects.filter(registration=registration).count() == 1  # nothing written

    cpd_record_add(actor=registrar, worker=worker, activity=licensed["ethics"], completed_on=D(2023, 5, 1))
    cpd_record_add(actor=registrar, worker=worker, activity=licensed["more"], completed_on=D(2023, 9, 2))
    (fee,) = renewal_charges_raise(actor=registrar, registration=registration, on=D(2023, 12, 20))
    assert (fee.kind, fee.amount, fee.due_on) == ("renewal_fee", Decimal("50.00"), D(2024, 1, 1))
    assert renewal_charges_raise(actor=registrar, registration=registration, on=D(2023, 12, 20)) == []
    with pytest.raises(ValidationError, match=r"Only 50\.00 USD"):
        payment_record(actor=registrar, charge=fee, amount=Decimal(60), paid_on=D(2023, 12, 21))
    payment_record(actor=registrar, charge=fee, amount=Decimal(30), paid_on=D(2023, 12, 21))
    renewal = registration_renewal(registration=registration, on=D(2023, 12, 22))
    assert renewal is not None and renewal.shortfall == ["Renewal fee: 20.00 USD unpaid"]
    payment_record(actor=registrar, charge=fee, amount=Decimal(20), paid_on=D(2023, 12, 22))
    licence = registration_renew(actor=registrar, registration=registration, on=D(2023, 12, 22))
    assert (licence.valid_from, licence.valid_until) == (D(2024, 1, 1), D(2024, 12, 31))


def test_a_late_renewal_also_owes_the_fine(licensed: dict[str, Any]) -> None:
    registrar, worker, registration = licensed["registrar"], licensed["worker"], licensed["registration"]
    for key, day in (("ethics", D(2023, 5, 1)), ("practice", D(2023, 6, 1)), ("more", D(2023, 9, 1))):
        cpd_record_add(actor=registrar, worker=worker, activity=licensed[key], completed_on=day)
    charges = renewal_charges_raise(actor=registrar, registration=registration, on=D(2024, 1, 10))
    assert [(charge.kind, charge.amount) for charge in charges] == [("renewal_fee", 50), ("late_fine", 25)]
    renewal = registration_renewal(registration=registration, on=D(2024, 1, 10))
    assert renewal is not None and renewal.late
    assert renewal.shortfall == ["Renewal fee: 50.00 USD unpaid", "Late fine: 25.00 USD unpaid"]
    for charge in Charge.objects.filter(registration=registration):
        payment_record(actor=registrar, charge=charge, amount=charge.amount, paid_on=D(2024, 1, 10))
    licence = registration_renew(actor=registrar, registration=registration, on=D(2024, 1, 10))
    assert licence.valid_from == D(2024, 1, 1)  # continuous with the last licence


def test_no_cpd_is_asked_from_the_exemption_age(licensed: dict[str, Any]) -> None:
    registration = licensed["registration"]
    worker = licensed["worker"]
    worker.birth_date = D(1958, 6, 1)
    worker.save(update_fields=["birth_date"])
    Register.objects.filter(pk=registration.register_id).update(cpd_exempt_from_age=65, renewal_fee=0)
    registration.register.refresh_from_db()
    renewal = registration_renewal(registration=registration, on=D(2023, 12, 20))
    assert renewal is not None and (renewal.exempt, renewal.shortfall) == (True, [])


def test_attendance_needs_an_accredited_provider(licensed: dict[str, Any]) -> None:
    provider = licensed["ethics"].provider
    provider.accredited_from = D(2023, 6, 1)
    provider.save(update_fields=["accredited_from"])
    with pytest.raises(ValidationError, match="not accredited"):
        cpd_record_add(
            actor=licensed["registrar"],
            worker=licensed["worker"],
            activity=licensed["ethics"],
            completed_on=D(2023, 5, 1),
        )


def test_no_late_fine_for_a_renewal_on_the_day_after_a_restoration(licensed: dict[str, Any]) -> None:
    """Licence to 31 December 2023; lapsed 1 January 2024 (grace 0), restored on 1 April once its fee was
    paid on 25 March: renewing on 2 April is on time (renewal was impossible before), on 3 April late."""
    from sswis.regulation.services import registration_lapse, registration_restore, restoration_charge_raise

    registrar, registration = licensed["registrar"], licensed["registration"]
    Register.objects.filter(pk=registration.register_id).update(restoration_fee=Decimal(80))
    registration.register.refresh_from_db()
    registration_lapse(actor=registrar, registration=registration, since=D(2024, 1, 2))
    fee = restoration_charge_raise(actor=registrar, registration=registration)
    assert fee is not None
    payment_record(actor=registrar, charge=fee, amount=Decimal(80), paid_on=D(2024, 3, 25))
    with pytest.raises(ValidationError, match="on or after the day its fee was paid"):
        registration_restore(actor=registrar, registration=registration, since=D(2024, 3, 1))
    registration_restore(actor=registrar, registration=registration, since=D(2024, 4, 1))
    on_time = registration_renewal(registration=registration, on=D(2024, 4, 2))
    late = registration_renewal(registration=registration, on=D(2024, 4, 3))
    assert on_time is not None and late is not None and (on_time.late, late.late) == (False, True)


def test_the_exemption_age_is_the_age_on_the_cycles_last_day(licensed: dict[str, Any]) -> None:
    """65 on 10 January 2024, after the cycle ending 31 December 2023: CPD is still asked of that cycle,
    even when renewing after the birthday."""
    registration, worker = licensed["registration"], licensed["worker"]
    worker.birth_date = D(1959, 1, 10)
    worker.save(update_fields=["birth_date"])
    Register.objects.filter(pk=registration.register_id).update(cpd_exempt_from_age=65)
    registration.register.refresh_from_db()
    renewal = registration_renewal(registration=registration, on=D(2024, 1, 20))
    assert renewal is not None and not renewal.exempt
