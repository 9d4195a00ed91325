"""The demo country's regulation: a social service professions council with three registers, about 60% of
its professionals registered (and a share of its para-professionals), yearly licences, CPD providers,
activities and attendance, fees paid and unpaid, some registrations lapsed and some of those restored, a
national exam session and two discipline cases, so that the registers, the renewal figures and the
licensed share have something to show on first start.

The council and its registers are set through the regulation's services by the demo's national data
manager; the thousands of registrations are written in bulk with their audit history (as the daily job
writes its lapses), from a fixed seed, so every demo start gives the same registers.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from sswis.registry.models import Assignment, Cadre, Worker
from sswis.regulation.discipline import (
    complaint_decide,
    complaint_hearing_set,
    complaint_investigate,
    complaint_receive,
)
from sswis.regulation.exams import exam_candidate_enter, exam_result_record, exam_session_set
from sswis.regulation.models import (
    Charge,
    ChargeKind,
    CpdActivity,
    CpdProvider,
    CpdRecord,
    Licence,
    LicenceValidity,
    Payment,
    Registration,
    RegistrationStatus,
    RegistrationStatusChange,
)
from sswis.regulation.services import licence_end, register_set, regulatory_body_set

BODY_CODE = "SSPC"
# register code, name, cadres, share of their current workers registered, rules
REGISTERS: tuple[tuple[str, str, tuple[str, ...], float, dict[str, Any]], ...] = (
    (
        "SW",
        "Social workers",
        ("SWO", "SW", "PO", "CM"),
        0.6,
        {
            "minimum_education": "bachelor",
            "licence_validity": LicenceValidity.FIXED_DATE,
            "cpd_points_per_cycle": Decimal(20),
            "cpd_required_categories": ["ethics"],
            "renewal_fee": Decimal("50.00"),
            "late_fine": Decimal("25.00"),
            "grace_days": 30,
            "restoration_fee": Decimal("80.00"),
            "cpd_exempt_from_age": 65,
        },
    ),
    (
        "SAW",
        "Social auxiliary workers",
        ("PSW",),
        0.35,
        {
            "minimum_education": "secondary",
            "licence_validity": LicenceValidity.FIXED_DATE,
            "cpd_points_per_cycle": Decimal(10),
            "renewal_fee": Decimal("20.00"),
            "late_fine": Decimal("10.00"),
            "grace_days": 30,
            "restoration_fee": Decimal("30.00"),
        },
    ),
    (
        "CYCW",
        "Child and youth care workers",
        ("CCYCW",),
        0.3,
        {
            "licence_validity": LicenceValidity.FROM_ISSUE,
            "licence_months": 12,
            "cpd_points_per_cycle": Decimal(10),
            "renewal_fee": Decimal("15.00"),
            "grace_days": 60,
            "restoration_fee": Decimal("20.00"),
        },
    ),
)
ACTIVITIES = (  # code, title, category, points, month of each year
    ("ETH", "Ethics in child protection practice", "ethics", 5, 3),
    ("CM", "Case management refresher", "practice", 10, 5),
    ("PSS", "Psychosocial support", "practice", 8, 8),
    ("SUP", "Supportive supervision", "practice", 6, 10),
)


@transaction.atomic
def demo_regulation_set(*, actor: Any, seed: int = 11) -> int:
    """Create the council, its registers and their registrations (once: a second call changes nothing);
    return how many registrations there are."""
    body = regulatory_body_set(actor=actor, code=BODY_CODE, name="Social Service Professions Council")
    if Registration.objects.filter(register__body=body).exists():
        return Registration.objects.filter(register__body=body).count()
    today = timezone.localdate()
    rng = random.Random(seed)
    provider = CpdProvider.objects.create(
        body=body,
        code="SSPC-INST",
        name="National Institute of Social Work",
        accredited_from=datetime.date(2015, 1, 1),
    )
    activities: dict[int, list[CpdActivity]] = {}
    for year in range(2019, today.year + 1):
        for code, title, category, points, month in ACTIVITIES:
            activity = CpdActivity(
                provider=provider,
                code=f"{code}-{year}",
                title=title,
                category=category,
                points=Decimal(points),
                held_on=datetime.date(year, month, 15),
            )
            activities.setdefault(year, []).append(activity)
    bulk_create_with_history(
        [a for year in activities.values() for a in year], CpdActivity, default_user=actor
    )
    activities = {
        year: list(CpdActivity.objects.filter(provider=provider, held_on__year=year)) for year in activities
    }
    taken: set[int] = set()
    total = 0
    for code, name, cadre_codes, share, rules in REGISTERS:
        cadres = list(Cadre.objects.filter(code__in=cadre_codes))
        register = register_set(actor=actor, body=body, code=code, name=name, cadres=cadres, **rules)
        workers = sorted(
            set(Assignment.objects.filter(cadre__in=cadres).values_list("worker_id", flat=True)) - taken
        )
        chosen = [worker for worker in workers if rng.random() < share]
        taken.update(chosen)
        total += _registrations_write(
            actor=actor, register=register, workers=chosen, rng=rng, today=today, activities=activities
        )
        if code == "SW":
            _exam_session(
                actor=actor, register=register, workers=sorted(set(workers) - taken), today=today, rng=rng
            )
    _discipline_cases(actor=actor, body=body, today=today)
    return total


def _exam_session(
    *, actor: Any, register: Any, workers: list[int], today: datetime.date, rng: random.Random
) -> None:
    """A national exam session of the social workers' register, held last June, with ten candidates among
    the professionals not registered yet, some of whom passed (pass mark 50 of 100)."""
    session = exam_session_set(
        actor=actor,
        register=register,
        code=f"{today.year - 1}-1",
        held_on=datetime.date(today.year - 1, 6, 15),
        pass_mark=Decimal(50),
        max_score=Decimal(100),
    )
    for worker in Worker.objects.filter(pk__in=workers[:10]).order_by("pk"):
        attempt = exam_candidate_enter(actor=actor, session=session, worker=worker)
        exam_result_record(actor=actor, attempt=attempt, score=Decimal(rng.randint(30, 90)))


def _discipline_cases(*, actor: Any, body: Any, today: datetime.date) -> None:
    """Two discipline cases on registered social workers: a suspension of three months last year (served),
    and conditions on practice (supervised practice) in force until the end of next year."""
    registered = list(
        Registration.objects.filter(
            register__body=body,
            register__code="SW",
            status=RegistrationStatus.REGISTERED,
            registered_on__lt=datetime.date(today.year - 1, 1, 1),
        )
        .exclude(status_changes__status=RegistrationStatus.LAPSED)
        .order_by("number")[:2]
    )  # fmt: skip  (never lapsed: registered on every day of the cases)
    if len(registered) < 2:
        return
    year = today.year - 1
    cases: tuple[tuple[Registration, str, str, str, str, dict[str, Any]], ...] = (
        (registered[0], "anonymous", "", "", "Did not follow up a child at risk reported twice.",
         {"outcome": "suspension", "starts_on": datetime.date(year, 5, 1), "ends_on": datetime.date(year, 7, 31)}),
        (registered[1], "employer", "District social welfare office", "+000 000 0000",
         "Case records kept incomplete over six months.",
         {"outcome": "conditions", "starts_on": datetime.date(year, 6, 1),
          "ends_on": datetime.date(today.year + 1, 12, 31), "conditions": "Supervised practice; monthly case review."}),
    )  # fmt: skip
    for registration, kind, name, contact, summary, decision in cases:
        complaint = complaint_receive(
            actor=actor, body=body, complainant_kind=kind, received_on=datetime.date(year, 2, 1), summary=summary,
            registration=registration, complainant_name=name, complainant_contact=contact,
        )  # fmt: skip
        complaint_investigate(actor=actor, complaint=complaint, on=datetime.date(year, 2, 10))
        complaint_hearing_set(actor=actor, complaint=complaint, hearing_on=datetime.date(year, 4, 15))
        complaint_decide(actor=actor, complaint=complaint, decided_on=datetime.date(year, 4, 20), **decision)


def _registrations_write(
    *,
    actor: Any,
    register: Any,
    workers: list[int],
    rng: random.Random,
    today: datetime.date,
    activities: dict[int, list[CpdActivity]],
) -> int:
    registrations: list[Registration] = []
    changes: list[tuple[Registration, list[tuple[str, datetime.date, str]]]] = []
    licences: list[tuple[Registration, int, tuple[datetime.date, datetime.date]]] = []
    charges: list[tuple[Registration, str, Decimal, datetime.date, bool]] = []
    payments: list[Payment] = []
    records: list[CpdRecord] = []
    for index, worker_id in enumerate(workers, start=1):
        registered_on = datetime.date(
            rng.randint(2019, today.year - 1), rng.randint(1, 12), rng.randint(1, 28)
        )
        registration = Registration(
            register=register,
            worker_id=worker_id,
            number=f"{register.code}-{index:05d}",
            applied_on=registered_on - datetime.timedelta(days=rng.randint(10, 60)),
            registered_on=registered_on,
            status=RegistrationStatus.REGISTERED,
            status_since=registered_on,
            documents_checked=True,
        )
        history: list[tuple[str, datetime.date, str]] = [
            (RegistrationStatus.APPLIED, registration.applied_on, ""),
            (RegistrationStatus.REGISTERED, registered_on, ""),
        ]
        fate = rng.random()  # 12% lapse in a past year; half of them are restored later
        lapse_year = (
            rng.randint(registered_on.year + 1, today.year) if registered_on.year < today.year else None
        )
        start, periods = registered_on, []
        while start <= today:
            end = licence_end(register=register, valid_from=start)
            if lapse_year is not None and fate < 0.12 and start.year >= lapse_year:
                lapsed_on = start + datetime.timedelta(days=register.grace_days + 1)
                if lapsed_on > today:
                    break
                history.append((RegistrationStatus.LAPSED, lapsed_on, f"Not renewed by {start.isoformat()}."))
                charges.append(
                    (
                        registration,
                        ChargeKind.RESTORATION_FEE,
                        register.restoration_fee,
                        lapsed_on,
                        fate < 0.06,
                    )
                )
                if fate < 0.06:  # restored after paying the fee, three months later
                    restored_on = lapsed_on + datetime.timedelta(days=90)
                    if restored_on > today:
                        break
                    history.append((RegistrationStatus.REGISTERED, restored_on, ""))
                    start, fate = restored_on, 1.0
                    continue
                break
            periods.append((start, end))
            if start != registered_on:
                charges.append(
                    (
                        registration,
                        ChargeKind.RENEWAL_FEE,
                        register.renewal_fee,
                        start,
                        end < today or rng.random() < 0.5,
                    )
                )
            start = end + datetime.timedelta(days=1)
        status, since, _reason = history[-1]
        registration.status, registration.status_since = status, since
        registrations.append(registration)
        changes.append((registration, history))
        licences.extend((registration, number, period) for number, period in enumerate(periods, start=1))
        for year in {period[0].year for period in periods} | {today.year}:
            for activity in activities.get(year, []):
                if rng.random() < 0.55 and activity.held_on <= today:
                    records.append(
                        CpdRecord(worker_id=worker_id, activity=activity, completed_on=activity.held_on)
                    )
    bulk_create_with_history(registrations, Registration, default_user=actor, batch_size=1000)
    saved = {r.number: r for r in Registration.objects.filter(register=register)}
    bulk_create_with_history(
        [
            RegistrationStatusChange(registration=saved[r.number], status=status, since=since, reason=reason)
            for r, history in changes
            for status, since, reason in history
        ],
        RegistrationStatusChange,
        default_user=actor,
        batch_size=1000,
    )
    bulk_create_with_history(
        [
            Licence(registration=saved[r.number], number=f"{r.number}/{n}", valid_from=start, valid_until=end)
            for r, n, (start, end) in licences
        ],
        Licence,
        default_user=actor,
        batch_size=1000,
    )
    charge_rows = [
        Charge(
            registration=saved[r.number],
            kind=kind,
            amount=amount,
            currency=register.body.currency,
            due_on=due,
        )
        for r, kind, amount, due, _paid in charges
        if amount > 0
    ]
    paid_flags = [paid for _r, _k, amount, _d, paid in charges if amount > 0]
    created = bulk_create_with_history(charge_rows, Charge, default_user=actor, batch_size=1000)
    for charge, paid in zip(created, paid_flags, strict=True):
        if paid:
            payments.append(
                Payment(
                    charge=charge, amount=charge.amount, paid_on=charge.due_on, reference=f"R-{charge.pk}"
                )
            )
    bulk_create_with_history(payments, Payment, default_user=actor, batch_size=1000)
    existing = set(CpdRecord.objects.values_list("worker_id", "activity_id"))
    unique = {(record.worker_id, record.activity.pk): record for record in records}
    bulk_create_with_history(
        [record for key, record in unique.items() if key not in existing],
        CpdRecord,
        default_user=actor,
        batch_size=1000,
    )
    return len(registrations)
