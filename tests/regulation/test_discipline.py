"""Complaints and discipline: the workflow in order, each sanction on the registration (a fine's charge, a
suspension dated ahead and the daily job bringing the status to it, removal, conditions), appeals within
the body's days (an overturned sanction reversed), and the case file for the registrar's office only."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.regulation.discipline import (
    appeal_lodge,
    case_file_entry_add,
    complaint_decide,
    complaint_hearing_set,
    complaint_investigate,
    complaint_receive,
)
from sswis.regulation.models import Charge, Registration, RegistrationStatusChange
from sswis.regulation.models_discipline import Complaint, Sanction
from sswis.regulation.selectors import registration_status_on, worker_licensed_on
from sswis.regulation.selectors_discipline import (
    complaint_case,
    complaint_cases,
    sanctions_in_force,
    sanctions_in_force_by_registration,
)
from sswis.regulation.services import (
    licence_issue,
    register_set,
    registration_apply,
    registration_approve,
    registration_remove,
    registration_review,
    regulatory_body_set,
)
from tests.factories import UserFactory, WorkerFactory
from tests.regulation.test_registration import council  # noqa: F401 (the fixture)

D = datetime.date


@pytest.fixture
def case(council: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """Council SSC (rand, 30 days to appeal) registered a social worker as SW-1 on 1 March 2023, licensed
    for 2025 (1 January to 31 December)."""
    registrar, register, worker = council["registrar"], council["register"], council["worker"]
    body = regulatory_body_set(actor=registrar, code="SSC", name="Social Service Council", currency="ZAR")
    registration = registration_apply(
        actor=registrar, register=register, worker=worker, applied_on=D(2023, 2, 1)
    )
    registration_review(actor=registrar, registration=registration, documents_checked=True)
    registration_approve(
        actor=registrar, registration=registration, number="SW-1", registered_on=D(2023, 3, 1)
    )
    licence_issue(actor=registrar, registration=registration, valid_from=D(2025, 1, 1))
    return council | {"body": body, "registration": registration}


def receive(case: dict[str, Any], **given: Any) -> Complaint:
    """A parent's complaint against SW-1 received on 10 January 2025."""
    return complaint_receive(
        actor=case["registrar"],
        **(
            {
                "body": case["body"],
                "registration": case["registration"],
                "complainant_kind": "public",
                "complainant_name": "A. Parent",
                "complainant_contact": "+27 555 0100",
                "received_on": D(2025, 1, 10),
                "summary": "Missed the home visits of a child at risk.",
            }
            | given
        ),
    )


def heard(case: dict[str, Any], **given: Any) -> Complaint:
    """The complaint, investigated from 15 January 2025 and heard on 15 February 2025."""
    complaint = receive(case, **given)
    complaint_investigate(actor=case["registrar"], complaint=complaint, on=D(2025, 1, 15))
    complaint_hearing_set(actor=case["registrar"], complaint=complaint, hearing_on=D(2025, 2, 15))
    return complaint


def statuses(registration: Registration, *days: datetime.date) -> list[str | None]:
    return [registration_status_on(registration=registration, day=day) for day in days]


def test_a_complaint_names_a_registered_worker_and_an_anonymous_one_no_complainant(
    case: dict[str, Any],
) -> None:
    registrar, body = case["registrar"], case["body"]
    with pytest.raises(ValidationError, match="names no one"):
        receive(case, complainant_kind="anonymous", complainant_contact="x@example.org", complainant_name="")
    with pytest.raises(ValidationError, match="complainant's name"):
        receive(case, complainant_kind="employer", complainant_name=" ")
    with pytest.raises(ValidationError, match="complainant's contact"):
        receive(case, complainant_kind="public", complainant_contact="")
    with pytest.raises(ValidationError, match="summary"):
        receive(case, summary="  ")
    with pytest.raises(ValidationError, match="has no registration on a register of SSC"):
        receive(case, registration=None, worker=WorkerFactory())
    with pytest.raises(ValidationError, match="Name the registration or the worker"):
        receive(case, registration=None)
    other_body = regulatory_body_set(actor=registrar, code="CYC", name="Child and youth care council")
    with pytest.raises(ValidationError, match="not a registration on a register of CYC"):
        receive(case, body=other_body)
    assert Complaint.objects.count() == 0  # nothing written
    anonymous = receive(case, complainant_kind="anonymous", complainant_name="", complainant_contact="")
    by_employer = receive(case, registration=None, worker=case["worker"], complainant_kind="employer")
    assert (anonymous.stage, by_employer.worker, by_employer.registration) == (
        "received",
        case["worker"],
        None,
    )
    assert body.complaints.count() == 2


def test_the_steps_come_in_order_and_an_outcome_other_than_a_dismissal_needs_a_hearing(
    case: dict[str, Any],
) -> None:
    registrar = case["registrar"]
    complaint = receive(case)
    for step in (
        lambda: complaint_hearing_set(actor=registrar, complaint=complaint, hearing_on=D(2025, 2, 1)),
        lambda: complaint_decide(
            actor=registrar, complaint=complaint, outcome="dismissed", decided_on=D(2025, 2, 1)
        ),
        lambda: appeal_lodge(actor=registrar, complaint=complaint, lodged_on=D(2025, 2, 1), grounds="Unfair"),
    ):
        with pytest.raises(ValidationError, match="stage “Received”: this step is not possible now"):
            step()
    with pytest.raises(ValidationError, match=r"before the complaint was received \(2025-01-10\)"):
        complaint_investigate(actor=registrar, complaint=complaint, on=D(2025, 1, 9))
    complaint_investigate(actor=registrar, complaint=complaint, on=D(2025, 1, 15))
    with pytest.raises(ValidationError, match="Caution needs a hearing first"):
        complaint_decide(actor=registrar, complaint=complaint, outcome="caution", decided_on=D(2025, 2, 1))
    with pytest.raises(
        ValidationError, match=r"hearing cannot come before the investigation began \(2025-01-15\)"
    ):
        complaint_hearing_set(actor=registrar, complaint=complaint, hearing_on=D(2025, 1, 14))
    complaint_hearing_set(actor=registrar, complaint=complaint, hearing_on=D(2025, 2, 10))
    complaint_hearing_set(actor=registrar, complaint=complaint, hearing_on=D(2025, 2, 15))  # moved
    with pytest.raises(ValidationError, match=r"outcome cannot come before the hearing .*\(2025-02-15\)"):
        complaint_decide(actor=registrar, complaint=complaint, outcome="caution", decided_on=D(2025, 2, 14))
    with pytest.raises(ValidationError, match="Choose an outcome"):
        complaint_decide(actor=registrar, complaint=complaint, outcome="banished", decided_on=D(2025, 2, 15))
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.outcome, Sanction.objects.count()) == ("hearing", "", 0)
    complaint_decide(actor=registrar, complaint=complaint, outcome="caution", decided_on=D(2025, 2, 15))
    with pytest.raises(ValidationError, match="already decided, on 2025-02-15"):
        complaint_decide(actor=registrar, complaint=complaint, outcome="dismissed", decided_on=D(2025, 2, 16))
    (caution,) = complaint.sanctions.all()
    assert (caution.kind, caution.starts_on, case["registration"].status) == (
        "caution",
        D(2025, 2, 15),
        "registered",
    )


def test_a_dismissal_may_come_at_the_investigation_and_cannot_be_appealed(case: dict[str, Any]) -> None:
    registrar = case["registrar"]
    complaint = receive(case)
    complaint_investigate(actor=registrar, complaint=complaint, on=D(2025, 1, 15))
    with pytest.raises(ValidationError, match="A dismissal has no sanction"):
        complaint_decide(
            actor=registrar,
            complaint=complaint,
            outcome="dismissed",
            decided_on=D(2025, 1, 20),
            amount=Decimal(5),
        )
    complaint_decide(actor=registrar, complaint=complaint, outcome="dismissed", decided_on=D(2025, 1, 20))
    assert (complaint.stage, complaint.outcome, complaint.sanctions.count()) == ("decided", "dismissed", 0)
    with pytest.raises(ValidationError, match="dismissed: there is no sanction to appeal"):
        appeal_lodge(actor=registrar, complaint=complaint, lodged_on=D(2025, 1, 25), grounds="Too lenient")


def test_a_suspension_decides_the_status_of_every_day_through_its_end(case: dict[str, Any]) -> None:
    registrar, registration, worker = case["registrar"], case["registration"], case["worker"]
    complaint = heard(case)
    with pytest.raises(ValidationError, match=r"cannot end \(2025-02-28\) before it starts \(2025-03-01\)"):
        complaint_decide(
            actor=registrar, complaint=complaint, outcome="suspension", decided_on=D(2025, 2, 20),
            starts_on=D(2025, 3, 1), ends_on=D(2025, 2, 28),
        )  # fmt: skip
    with pytest.raises(ValidationError, match=r"cannot begin before it is decided \(2025-02-20\)"):
        complaint_decide(
            actor=registrar, complaint=complaint, outcome="suspension", decided_on=D(2025, 2, 20),
            starts_on=D(2025, 2, 19), ends_on=D(2025, 5, 31),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="Suspension: give this term"):
        complaint_decide(
            actor=registrar, complaint=complaint, outcome="suspension", decided_on=D(2025, 2, 20)
        )
    with pytest.raises(ValidationError, match="Suspension: this term does not apply"):
        complaint_decide(
            actor=registrar, complaint=complaint, outcome="suspension", decided_on=D(2025, 2, 20),
            ends_on=D(2025, 5, 31), amount=Decimal(10),
        )  # fmt: skip
    assert (registration.status_changes.count(), Sanction.objects.count()) == (2, 0)  # nothing written

    complaint_decide(
        actor=registrar, complaint=complaint, outcome="suspension", decided_on=D(2025, 2, 20),
        starts_on=D(2025, 3, 1), ends_on=D(2025, 5, 31),
    )  # fmt: skip
    days = (D(2025, 2, 28), D(2025, 3, 1), D(2025, 5, 31), D(2025, 6, 1))
    assert statuses(registration, *days) == ["registered", "suspended", "suspended", "registered"]
    assert [worker_licensed_on(worker=worker, day=day) for day in days] == [True, False, False, True]
    assert [[s.kind for s in sanctions_in_force(registration=registration, day=day)] for day in days] == [
        [],
        ["suspension"],
        ["suspension"],
        [],
    ]
    assert (
        registration.status_changes.last().reason
        == f"Complaint {complaint.pk}: the suspension ended on 2025-05-31."
    )
    registration.refresh_from_db()  # the copy is the status of today, long after the suspension
    assert (registration.status, registration.status_since) == ("registered", D(2025, 6, 1))

    # Another suspension may not overlap it, nor come before its end is recorded.
    second = heard(case)
    with pytest.raises(ValidationError, match="On 2025-04-01 the registration is “Suspended”"):
        complaint_decide(
            actor=registrar, complaint=second, outcome="suspension", decided_on=D(2025, 4, 1),
            ends_on=D(2025, 4, 30),
        )  # fmt: skip


def test_the_daily_job_brings_the_status_copy_to_the_change_that_comes_into_force(
    case: dict[str, Any],
) -> None:
    registrar, registration = case["registrar"], case["registration"]
    complaint_decide(
        actor=registrar, complaint=heard(case), outcome="suspension", decided_on=D(2025, 2, 20),
        starts_on=D(2025, 3, 1), ends_on=D(2025, 5, 31),
    )  # fmt: skip

    def run(day: str) -> tuple[list[str], str, datetime.date]:
        out = StringIO()
        call_command("regulation_daily", "--date", day, stdout=out)
        registration.refresh_from_db()
        return out.getvalue().splitlines(), registration.status, registration.status_since

    assert run("2025-02-28") == (
        ["1 registration status brought up to date.", "0 registrations lapsed.", "0 licence reminders sent."],
        "registered",
        D(2023, 3, 1),
    )
    assert run("2025-03-01") == (
        ["1 registration status brought up to date.", "0 registrations lapsed.", "0 licence reminders sent."],
        "suspended",
        D(2025, 3, 1),
    )
    assert run("2025-03-01")[0][0] == "0 registration statuses brought up to date."  # again: nothing more
    assert run("2025-05-31")[1:] == ("suspended", D(2025, 3, 1))
    assert run("2025-06-01") == (
        ["1 registration status brought up to date.", "0 registrations lapsed.", "0 licence reminders sent."],
        "registered",
        D(2025, 6, 1),
    )
    latest = registration.history.latest()
    assert (latest.status, latest.history_user) == ("registered", None)  # the system, by the daily job


def test_a_registration_does_not_lapse_before_a_suspension_decided_ahead(case: dict[str, Any]) -> None:
    """The 2025 licence ends on 31 December 2025 (grace 0: lapsed from 2 January 2026 if not renewed); a
    suspension from 1 February to 31 March 2026, decided before, keeps it under that decision, and its
    renewal date counts from 1 April 2026, the day it is registered again (lapsed from 3 April)."""
    registrar, registration = case["registrar"], case["registration"]
    complaint_decide(
        actor=registrar, complaint=heard(case), outcome="suspension", decided_on=D(2025, 12, 1),
        starts_on=D(2026, 2, 1), ends_on=D(2026, 3, 31),
    )  # fmt: skip
    call_command("regulation_daily", "--date", "2026-01-02", stdout=StringIO())
    registration.refresh_from_db()
    assert (registration.status, registration.status_since) == ("registered", D(2023, 3, 1))
    call_command("regulation_daily", "--date", "2026-02-01", stdout=StringIO())
    call_command("regulation_daily", "--date", "2026-04-02", stdout=StringIO())
    registration.refresh_from_db()
    assert (registration.status, registration.status_since) == ("registered", D(2026, 4, 1))
    call_command("regulation_daily", "--date", "2026-04-03", stdout=StringIO())
    registration.refresh_from_db()
    assert (registration.status, registration.status_since) == ("lapsed", D(2026, 4, 3))
    assert statuses(registration, D(2026, 1, 2), D(2026, 2, 1), D(2026, 4, 1), D(2026, 4, 3)) == [
        "registered",
        "suspended",
        "registered",
        "lapsed",
    ]


def test_a_fine_raises_a_charge_in_the_body_s_currency(case: dict[str, Any]) -> None:
    registrar, registration = case["registrar"], case["registration"]
    complaint = heard(case)
    with pytest.raises(ValidationError, match="more than 0"):
        complaint_decide(
            actor=registrar, complaint=complaint, outcome="fine", decided_on=D(2025, 2, 20), amount=Decimal(0)
        )
    with pytest.raises(ValidationError, match="Fine: give this term"):
        complaint_decide(actor=registrar, complaint=complaint, outcome="fine", decided_on=D(2025, 2, 20))
    assert Charge.objects.count() == 0
    complaint_decide(
        actor=registrar,
        complaint=complaint,
        outcome="fine",
        decided_on=D(2025, 2, 20),
        amount=Decimal("1500"),
    )
    (sanction,) = complaint.sanctions.all()
    charge = Charge.objects.get(sanction=sanction)
    assert (charge.registration, charge.kind, charge.amount, charge.currency, charge.due_on) == (
        registration,
        "fine",
        Decimal("1500.00"),
        "ZAR",
        D(2025, 2, 20),
    )
    assert statuses(registration, D(2025, 2, 20)) == ["registered"]
    assert (
        sanctions_in_force(registration=registration, day=D(2025, 2, 20)) == []
    )  # not for the public register


def test_a_removal_ends_a_running_suspension_and_its_planned_return(case: dict[str, Any]) -> None:
    registrar, registration = case["registrar"], case["registration"]
    complaint_decide(
        actor=registrar, complaint=heard(case), outcome="suspension", decided_on=D(2025, 2, 20),
        starts_on=D(2025, 3, 1), ends_on=D(2025, 8, 31),
    )  # fmt: skip
    complaint_decide(actor=registrar, complaint=heard(case), outcome="removal", decided_on=D(2025, 5, 1))
    assert statuses(registration, D(2025, 4, 30), D(2025, 5, 1), D(2025, 9, 1)) == [
        "suspended",
        "removed",
        "removed",
    ]
    suspension = Sanction.objects.get(kind="suspension")
    assert (suspension.ended_on, suspension.end_reason) == (D(2025, 5, 1), "removed")
    assert sanctions_in_force(registration=registration, day=D(2025, 5, 1)) == []
    assert not RegistrationStatusChange.objects.filter(since=D(2025, 9, 1)).exists()
    # Deleting the planned return is audited, with its author.
    (withdrawn,) = RegistrationStatusChange.history.filter(history_type="-")
    assert (withdrawn.since, withdrawn.history_user.username) == (D(2025, 9, 1), "registrar")


def test_conditions_on_practice_are_in_force_for_their_period(case: dict[str, Any]) -> None:
    registrar, registration = case["registrar"], case["registration"]
    complaint = heard(case)
    with pytest.raises(ValidationError, match="Conditions on practice: give this term"):
        complaint_decide(
            actor=registrar,
            complaint=complaint,
            outcome="conditions",
            decided_on=D(2025, 2, 20),
            ends_on=D(2025, 12, 31),
        )
    complaint_decide(
        actor=registrar, complaint=complaint, outcome="conditions", decided_on=D(2025, 2, 20),
        starts_on=D(2025, 3, 1), ends_on=D(2025, 12, 31), conditions="Practise under monthly supervision.",
    )  # fmt: skip
    assert statuses(registration, D(2025, 6, 1)) == ["registered"]
    found = sanctions_in_force_by_registration(registrations=[registration], day=D(2025, 3, 1))
    assert [(s.kind, s.conditions, s.ends_on) for s in found[registration.pk]] == [
        ("conditions", "Practise under monthly supervision.", D(2025, 12, 31))
    ]
    assert sanctions_in_force_by_registration(registrations=[registration], day=D(2026, 1, 1)) == {}
    assert sanctions_in_force(registration=registration, day=D(2025, 2, 28)) == []


def test_a_worker_with_several_registrations_names_the_one_sanctioned(case: dict[str, Any]) -> None:
    registrar, worker = case["registrar"], case["worker"]
    second_register = register_set(actor=registrar, body=case["body"], code="SUP", name="Supervisors")
    second = registration_apply(
        actor=registrar, register=second_register, worker=worker, applied_on=D(2024, 1, 1)
    )
    registration_review(actor=registrar, registration=second, documents_checked=True)
    registration_approve(actor=registrar, registration=second, number="SUP-1", registered_on=D(2024, 2, 1))
    complaint = heard(case, registration=None, worker=worker)
    with pytest.raises(ValidationError, match="several registrations: name the one"):
        complaint_decide(actor=registrar, complaint=complaint, outcome="caution", decided_on=D(2025, 2, 20))
    complaint_decide(
        actor=registrar,
        complaint=complaint,
        outcome="caution",
        decided_on=D(2025, 2, 20),
        registration=second,
    )
    assert complaint.sanctions.get().registration == second


def test_the_complainant_and_the_case_file_only_for_the_registrar_s_office(
    case: dict[str, Any], django_assert_num_queries: Any
) -> None:
    registrar = case["registrar"]
    complaint = heard(case)
    case_file_entry_add(
        actor=registrar, complaint=complaint, recorded_on=D(2025, 1, 12), text="Called the parent."
    )
    case_file_entry_add(
        actor=registrar, complaint=complaint, recorded_on=D(2025, 1, 20), kind="document",
        title="Visit log", text="Visits planned: 4; made: 1.",
    )  # fmt: skip
    with pytest.raises(ValidationError, match=r"begins when the complaint was received \(2025-01-10\)"):
        case_file_entry_add(actor=registrar, complaint=complaint, recorded_on=D(2025, 1, 9), text="Early")
    complaint_decide(actor=registrar, complaint=complaint, outcome="caution", decided_on=D(2025, 2, 15))

    office = complaint_case(complaint_id=complaint.pk, may_see_case_file=True)
    assert office is not None
    assert (
        office.case_file_shown,
        office.complainant_kind,
        office.complainant_name,
        office.complainant_contact,
    ) == (
        True,
        "public",
        "A. Parent",
        "+27 555 0100",
    )
    assert [(e.kind, e.title, e.text) for e in office.case_file or ()] == [
        ("note", "", "Called the parent."),
        ("document", "Visit log", "Visits planned: 4; made: 1."),
    ]
    assert (office.appeal_deadline, office.registration_number) == (D(2025, 3, 17), "SW-1")

    others = complaint_case(complaint_id=complaint.pk, may_see_case_file=False)
    assert others is not None
    assert (others.case_file_shown, others.complainant_kind, others.complainant_name) == (False, None, None)
    assert (others.complainant_contact, others.case_file) == (None, None)
    assert (others.summary, others.outcome, [s.kind for s in others.sanctions]) == (
        "Missed the home visits of a child at risk.",
        "caution",
        ["caution"],
    )
    assert complaint_case(complaint_id=complaint.pk + 1000, may_see_case_file=True) is None

    # A fixed number of queries, with 1 complaint or 3; the case file is not read for the others.
    for _ in range(2):
        receive(case)
    for may_see, queries in ((True, 3), (False, 2)):
        with django_assert_num_queries(queries):
            found = complaint_cases(body=case["body"], may_see_case_file=may_see)
        assert len(found) == 3
    with django_assert_num_queries(3):
        assert len(complaint_cases(body=case["body"], may_see_case_file=True, stage="received")) == 2


def test_only_a_national_data_manager_handles_complaints(case: dict[str, Any]) -> None:
    analyst = UserFactory(username="analyst")
    user_scope_grant(actor=None, user=analyst, role=Role.ANALYST)
    with pytest.raises(PermissionDenied):
        receive(case | {"registrar": analyst})
    complaint = receive(case)
    with pytest.raises(PermissionDenied):
        complaint_investigate(actor=analyst, complaint=complaint, on=D(2025, 1, 15))
    assert {record.history_user.username for record in complaint.history.all()} == {"registrar"}


def test_removal_on_request_during_a_suspension(case: dict[str, Any]) -> None:
    registrar, registration = case["registrar"], case["registration"]
    complaint_decide(
        actor=registrar, complaint=heard(case), outcome="suspension", decided_on=D(2025, 2, 20),
        starts_on=D(2025, 3, 1), ends_on=D(2025, 8, 31),
    )  # fmt: skip
    registration_remove(actor=registrar, registration=registration, since=D(2025, 4, 1), reason="Deceased")
    assert statuses(registration, D(2025, 3, 31), D(2025, 4, 1), D(2025, 9, 1)) == [
        "suspended",
        "removed",
        "removed",
    ]
    registration.refresh_from_db()
    assert (registration.status, registration.status_since) == ("removed", D(2025, 4, 1))
