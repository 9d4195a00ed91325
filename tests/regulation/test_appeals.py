"""Appeals against a disciplinary sanction: lodged within the body's days, decided upheld, overturned
(the sanction reversed from the decision day: the status restored, an unpaid fine cancelled) or varied."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sswis.regulation.discipline import appeal_decide, appeal_lodge, complaint_decide
from sswis.regulation.models import Charge
from sswis.regulation.selectors import charge_owed
from sswis.regulation.selectors_discipline import complaint_case, sanctions_in_force
from sswis.regulation.services import payment_record, registration_lapse, regulatory_body_set
from tests.regulation.test_discipline import case, heard, statuses  # noqa: F401 (the fixture)
from tests.regulation.test_registration import council  # noqa: F401 (the fixture)

D = datetime.date


def test_an_overturned_suspension_is_reversed_from_the_appeal_s_decision_day(case: dict[str, Any]) -> None:  # noqa: F811
    """Suspended from 1 March to 31 August 2025 (decided 20 February: an appeal by 22 March, 30 days
    later); the appeal, lodged on its last day, is overturned on 10 April: registered again from then."""
    registrar, registration = case["registrar"], case["registration"]
    complaint = heard(case)
    complaint_decide(
        actor=registrar, complaint=complaint, outcome="suspension", decided_on=D(2025, 2, 20),
        starts_on=D(2025, 3, 1), ends_on=D(2025, 8, 31),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        appeal_lodge(actor=registrar, complaint=complaint, lodged_on=D(2025, 3, 23), grounds="Unfair hearing")
    assert refused.value.message_dict["lodged_on"] == [
        "Too late: an appeal had to be lodged by 2025-03-22 (30 days after the decision of 2025-02-20)."
    ]
    with pytest.raises(ValidationError, match="grounds"):
        appeal_lodge(actor=registrar, complaint=complaint, lodged_on=D(2025, 3, 22), grounds="")
    appeal = appeal_lodge(
        actor=registrar, complaint=complaint, lodged_on=D(2025, 3, 22), grounds="Unfair hearing"
    )
    with pytest.raises(ValidationError, match="stage “Appealed”"):
        appeal_lodge(actor=registrar, complaint=complaint, lodged_on=D(2025, 3, 22), grounds="Again")
    with pytest.raises(ValidationError, match=r"decided before it was lodged \(2025-03-22\)"):
        appeal_decide(actor=registrar, appeal=appeal, decision="overturned", decided_on=D(2025, 3, 21))
    with pytest.raises(ValidationError, match="Only a varied decision"):
        appeal_decide(
            actor=registrar, appeal=appeal, decision="overturned", decided_on=D(2025, 4, 10), kind="fine"
        )

    appeal_decide(actor=registrar, appeal=appeal, decision="overturned", decided_on=D(2025, 4, 10))
    days = (D(2025, 3, 1), D(2025, 4, 9), D(2025, 4, 10), D(2025, 9, 1))
    assert statuses(registration, *days) == ["suspended", "suspended", "registered", "registered"]
    assert [(c.status, c.since) for c in registration.status_changes.filter(since__gte=D(2025, 1, 1))] == [
        ("suspended", D(2025, 3, 1)),
        ("registered", D(2025, 4, 10)),
    ]  # the return planned for 1 September is withdrawn
    sanction = appeal.sanction
    sanction.refresh_from_db()
    assert (sanction.ended_on, sanction.end_reason, sanction.end_change) == (
        D(2025, 4, 10),
        "overturned",
        None,
    )
    assert [len(sanctions_in_force(registration=registration, day=day)) for day in days] == [1, 1, 0, 0]
    registration.refresh_from_db()
    assert (registration.status, registration.status_since) == ("registered", D(2025, 4, 10))
    complaint.refresh_from_db()
    assert (complaint.stage, appeal.decision) == ("appeal_decided", "overturned")
    with pytest.raises(ValidationError, match="stage “Appeal decided”"):
        appeal_decide(actor=registrar, appeal=appeal, decision="upheld", decided_on=D(2025, 4, 11))


def test_an_overturned_fine_is_cancelled_unless_paid(case: dict[str, Any]) -> None:  # noqa: F811
    registrar = case["registrar"]
    fines = []
    for amount in (Decimal(300), Decimal(200)):
        complaint = heard(case)
        complaint_decide(
            actor=registrar, complaint=complaint, outcome="fine", decided_on=D(2025, 2, 20), amount=amount
        )
        fines.append((complaint, Charge.objects.get(sanction__complaint=complaint)))
    (unpaid_complaint, unpaid), (paid_complaint, paid) = fines
    payment_record(actor=registrar, charge=paid, amount=Decimal(200), paid_on=D(2025, 2, 25))
    payment_record(actor=registrar, charge=unpaid, amount=Decimal(100), paid_on=D(2025, 2, 25))
    assert sum((charge_owed(charge) for charge in (unpaid, paid)), Decimal(0)) == Decimal(200)
    for complaint in (unpaid_complaint, paid_complaint):
        appeal = appeal_lodge(
            actor=registrar, complaint=complaint, lodged_on=D(2025, 3, 1), grounds="No case"
        )
        appeal_decide(actor=registrar, appeal=appeal, decision="overturned", decided_on=D(2025, 3, 15))
    unpaid.refresh_from_db()
    paid.refresh_from_db()
    assert (unpaid.cancelled_on, paid.cancelled_on) == (D(2025, 3, 15), None)  # a paid fine stays (refund)
    assert sum((charge_owed(charge) for charge in (unpaid, paid)), Decimal(0)) == Decimal(0)
    with pytest.raises(ValidationError, match="cancelled on 2025-03-15: nothing is owed"):
        payment_record(actor=registrar, charge=unpaid, amount=Decimal(10), paid_on=D(2025, 3, 16))


def test_the_appeal_deadline_is_the_body_s(case: dict[str, Any]) -> None:  # noqa: F811
    registrar = case["registrar"]
    regulatory_body_set(
        actor=registrar, code="SSC", name="Social Service Council", currency="ZAR", appeal_days=10
    )
    complaint = heard(case)
    complaint_decide(actor=registrar, complaint=complaint, outcome="caution", decided_on=D(2025, 2, 20))
    with pytest.raises(ValidationError, match=r"by 2025-03-02 \(10 days after the decision of 2025-02-20\)"):
        appeal_lodge(actor=registrar, complaint=complaint, lodged_on=D(2025, 3, 3), grounds="Unfair")
    with pytest.raises(ValidationError, match=r"cannot come before the decision \(2025-02-20\)"):
        appeal_lodge(actor=registrar, complaint=complaint, lodged_on=D(2025, 2, 19), grounds="Unfair")
    appeal = appeal_lodge(actor=registrar, complaint=complaint, lodged_on=D(2025, 3, 2), grounds="Unfair")
    appeal_decide(actor=registrar, appeal=appeal, decision="upheld", decided_on=D(2025, 4, 1))
    caution = appeal.sanction
    caution.refresh_from_db()
    assert (appeal.decision, caution.ended_on, caution.end_reason) == ("upheld", None, "")  # it stands


def test_a_status_is_not_restored_before_a_later_change(case: dict[str, Any]) -> None:  # noqa: F811
    """Suspended from 1 March to 31 May 2025, lapsed on 1 July (recorded first); the overturning decided on
    10 April would put *registered* before that lapse: refused, writing nothing."""
    registrar, registration = case["registrar"], case["registration"]
    complaint = heard(case)
    complaint_decide(
        actor=registrar, complaint=complaint, outcome="suspension", decided_on=D(2025, 2, 20),
        starts_on=D(2025, 3, 1), ends_on=D(2025, 5, 31),
    )  # fmt: skip
    appeal = appeal_lodge(actor=registrar, complaint=complaint, lodged_on=D(2025, 3, 1), grounds="Unfair")
    registration.refresh_from_db()
    registration_lapse(actor=registrar, registration=registration, since=D(2025, 7, 1))
    with pytest.raises(ValidationError, match=r"before the last one \(Lapsed since 2025-07-01\)"):
        appeal_decide(actor=registrar, appeal=appeal, decision="overturned", decided_on=D(2025, 4, 10))
    appeal.sanction.refresh_from_db()
    assert (appeal.sanction.ended_on, appeal.sanction.end_change is not None) == (None, True)
    assert statuses(registration, D(2025, 4, 10), D(2025, 6, 1)) == ["suspended", "registered"]


def test_a_removal_varied_on_appeal_to_a_suspension(case: dict[str, Any]) -> None:  # noqa: F811
    registrar, registration = case["registrar"], case["registration"]
    complaint = heard(case)
    complaint_decide(actor=registrar, complaint=complaint, outcome="removal", decided_on=D(2025, 3, 1))
    assert statuses(registration, D(2025, 2, 28), D(2025, 3, 1)) == ["registered", "removed"]
    # A sanction of another complaint on the removed registration is refused, writing nothing.
    with pytest.raises(ValidationError, match="Registration SW-1 was removed on 2025-03-01: no sanction"):
        complaint_decide(actor=registrar, complaint=heard(case), outcome="caution", decided_on=D(2025, 3, 2))
    appeal = appeal_lodge(actor=registrar, complaint=complaint, lodged_on=D(2025, 3, 5), grounds="Too harsh")
    with pytest.raises(ValidationError, match="Give the sanction the appeal varied it to"):
        appeal_decide(actor=registrar, appeal=appeal, decision="varied", decided_on=D(2025, 4, 1))
    appeal_decide(
        actor=registrar, appeal=appeal, decision="varied", decided_on=D(2025, 4, 1),
        kind="suspension", ends_on=D(2025, 6, 30),
    )  # fmt: skip
    days = (D(2025, 3, 31), D(2025, 4, 1), D(2025, 6, 30), D(2025, 7, 1))
    assert statuses(registration, *days) == ["removed", "suspended", "suspended", "registered"]
    assert appeal.varied_to is not None
    assert (appeal.varied_to.kind, appeal.varied_to.starts_on) == ("suspension", D(2025, 4, 1))
    original = appeal.sanction
    original.refresh_from_db()
    assert (original.ended_on, original.end_reason) == (D(2025, 4, 1), "varied")
    seen = complaint_case(complaint_id=complaint.pk, may_see_case_file=False)
    assert seen is not None
    assert [s.kind for s in seen.sanctions] == [
        "removal",
        "suspension",
    ]
