"""Regulation's reads: a registration's status on a day (dates decide), whether a worker holds a licence
on a day, and whether a worker meets a register's rules."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, DateField, Exists, F, OuterRef, Q, Subquery, When
from django.utils.translation import gettext as _

from sswis.registry.models import Assignment, EducationLevel, Worker
from sswis.regulation.models import (
    Charge,
    ChargeKind,
    CpdRecord,
    Licence,
    Register,
    Registration,
    RegistrationStatus,
    RegistrationStatusChange,
)
from sswis.regulation.selectors_exams import worker_exam_pass

# Education levels in order; "unknown" meets no minimum.
EDUCATION_ORDER = [
    EducationLevel.NONE,
    EducationLevel.PRIMARY,
    EducationLevel.SECONDARY,
    EducationLevel.CERTIFICATE,
    EducationLevel.DIPLOMA,
    EducationLevel.BACHELOR,
    EducationLevel.MASTER,
    EducationLevel.DOCTORATE,
]


def registration_status_on(*, registration: Registration, day: datetime.date) -> str | None:
    """The registration's status on ``day``: that of its latest status change on or before it; ``None``
    before its application."""
    change = registration.status_changes.filter(since__lte=day).order_by("-since", "-pk").first()
    return change.status if change is not None else None


def registration_status_on_expressions(*, day: datetime.date) -> tuple[Case, Case]:
    """The status of a ``Registration`` on ``day`` and the day it began, as two query expressions (for
    ``annotate``): the same rule as :func:`registration_status_on`, for many registrations in one query.

    The registration's copy of its latest change (``status``, ``status_since``) is that status whenever
    it began on or before ``day`` and no change dated after it is in force by ``day`` (one dated ahead that
    the daily job has not brought in yet); otherwise the history is read, in a subquery (PostgreSQL
    evaluates a ``CASE`` branch only for the rows that take it). Both are ``NULL`` before the application."""
    history = RegistrationStatusChange.objects.filter(registration=OuterRef("pk"), since__lte=day).order_by(
        "-since", "-pk"
    )
    # A change dated after the copy's day and in force by ``day`` (dated ahead, not yet brought in by the
    # daily job) makes the copy stale for ``day``.
    ahead = RegistrationStatusChange.objects.filter(
        registration=OuterRef("pk"), since__gt=OuterRef("status_since"), since__lte=day
    )
    copy_applies = Q(status_since__lte=day) & ~Exists(ahead)
    status = Case(
        When(copy_applies, then=F("status")),
        default=Subquery(history.values("status")[:1]),
        output_field=CharField(),
    )
    since = Case(
        When(copy_applies, then=F("status_since")),
        default=Subquery(history.values("since")[:1]),
        output_field=DateField(),
    )
    return status, since


def worker_licensed_on(*, worker: Worker, day: datetime.date) -> bool:
    """Whether ``worker`` is licensed on ``day`` (contract ``indicators.md``, "Licensed and certified"): a
    registration of theirs is ``registered`` that day and has a licence valid that day."""
    for licence in Licence.objects.filter(
        registration__worker=worker, valid_from__lte=day, valid_until__gte=day
    ).select_related("registration"):
        if (
            registration_status_on(registration=licence.registration, day=day)
            == RegistrationStatus.REGISTERED
        ):
            return True
    return False


@dataclass(frozen=True)
class Requirement:
    """One rule of a register and whether the worker meets it, with what was found."""

    rule: str
    met: bool
    found: str


def registration_eligibility(*, register: Register, worker: Worker, day: datetime.date) -> list[Requirement]:
    """Each rule of ``register`` for ``worker`` on ``day``: a cadre the register is for (an assignment in
    one of them active that day; any cadre when the register names none), the minimum education, and a
    passed national exam when the register asks for one (a pass in a session of this register held on or
    before ``day``)."""
    requirements = []
    cadres = list(register.cadres.values_list("code", flat=True))
    if cadres:
        held = sorted(
            {
                code
                for code, start, end in Assignment.objects.filter(worker=worker).values_list(
                    "cadre__code", "start_date", "end_date"
                )
                if start <= day and (end is None or end >= day)
            }
        )
        # Only the register's own cadres are named: a registrar sees no one's employment beyond it.
        matching = [code for code in held if code in cadres]
        requirements.append(
            Requirement(
                rule=_("works in a cadre of the register (%(cadres)s)") % {"cadres": ", ".join(cadres)},
                met=bool(matching),
                found=", ".join(matching) or _("none of the register's cadres on that day"),
            )
        )
    if register.minimum_education:
        level = worker.education_level
        minimum = EducationLevel(register.minimum_education)
        met = level in EDUCATION_ORDER and EDUCATION_ORDER.index(
            EducationLevel(level)
        ) >= EDUCATION_ORDER.index(minimum)
        requirements.append(
            Requirement(
                rule=_("education: %(level)s or higher") % {"level": minimum.label},
                met=met,
                found=str(EducationLevel(level).label)
                if level in EducationLevel.values
                else _("not recorded"),
            )
        )
    if register.exam_required:
        passed = worker_exam_pass(register=register, worker=worker, day=day)
        requirements.append(
            Requirement(
                rule=_("a passed national exam"),
                met=passed is not None,
                found=_("passed in session %(session)s on %(day)s (%(score)s of %(max)s)")
                % {
                    "session": passed.session.code,
                    "day": passed.session.held_on.isoformat(),
                    "score": _points(passed.score),
                    "max": _points(passed.session.max_score),
                }
                if passed is not None and passed.score is not None
                else _("no passed national exam is recorded"),
            )
        )
    return requirements


@dataclass(frozen=True)
class Renewal:
    """What renewing a registration on a day asks and what is missing (``shortfall``: empty when it may be
    renewed). The cycle is the current licence's period; its points come from the activities attended in
    it, never typed."""

    cycle_start: datetime.date
    cycle_end: datetime.date
    late: bool
    points_required: Decimal
    points_earned: Decimal
    categories_missing: list[str]
    exempt: bool
    unpaid: dict[str, Decimal]  # charge kind -> amount still owed (renewal fee, late fine)
    shortfall: list[str]


def cpd_exempt(*, register: Register, birth_date: datetime.date | None, cycle_end: datetime.date) -> bool:
    """Whether the register asks no CPD of a cycle ending on ``cycle_end`` from someone born on
    ``birth_date``: they are at least the register's exemption age that day (never when either is
    unknown). Renewal and the registers' figures both ask this."""
    if register.cpd_exempt_from_age is None or birth_date is None:
        return False
    age = (
        cycle_end.year
        - birth_date.year
        - ((cycle_end.month, cycle_end.day) < (birth_date.month, birth_date.day))
    )
    return age >= register.cpd_exempt_from_age


def _points(value: Decimal) -> str:
    """Points as written: ``Decimal("10.00")`` -> ``10``, ``Decimal("2.50")`` -> ``2.5``."""
    return format(value.normalize(), "f")


def charge_paid(charge: Charge) -> Decimal:
    """What was paid of ``charge`` (its payments, prefetched or not)."""
    return sum((payment.amount for payment in charge.payments.all()), Decimal(0))


def charge_owed(charge: Charge) -> Decimal:
    """What is still owed on ``charge``; a cancelled charge (a fine overturned on appeal) owes nothing."""
    return Decimal(0) if charge.cancelled_on is not None else charge.amount - charge_paid(charge)


def registration_renewal(*, registration: Registration, on: datetime.date) -> Renewal | None:
    """What renewing ``registration`` on ``on`` asks, or ``None`` when it has no licence to renew."""
    licence = registration.licences.order_by("-valid_until").first()
    if licence is None:
        return None
    register = registration.register
    due = licence.valid_until + datetime.timedelta(days=1)
    # Late from the renewal date: the day after the licence ends, or after a suspension or a restoration,
    # the day after the current status began (renewal was impossible before it), as the daily job counts.
    late = on > max(due, registration.status_since + datetime.timedelta(days=1))
    exempt = cpd_exempt(
        register=register, birth_date=registration.worker.birth_date, cycle_end=licence.valid_until
    )
    records = list(
        CpdRecord.objects.filter(
            worker=registration.worker,
            completed_on__gte=licence.valid_from,
            completed_on__lte=licence.valid_until,
        ).select_related("activity")
    )
    earned = sum((record.activity.points for record in records), Decimal(0))
    attended = {record.activity.category for record in records}
    missing = [] if exempt else [c for c in register.cpd_required_categories if c not in attended]
    charges = list(registration.charges.filter(due_on__gte=due).prefetch_related("payments"))
    unpaid: dict[str, Decimal] = {}
    needed = [(ChargeKind.RENEWAL_FEE, register.renewal_fee)]
    if late:
        needed.append((ChargeKind.LATE_FINE, register.late_fine))
    shortfall = []
    for kind, amount in needed:
        if amount <= 0:
            continue
        of_kind = [charge for charge in charges if charge.kind == kind]
        owed = sum((charge_owed(charge) for charge in of_kind), Decimal(0)) if of_kind else amount
        if owed > 0:
            unpaid[kind] = owed
            shortfall.append(
                _("%(charge)s: %(amount)s %(currency)s unpaid")
                % {"charge": ChargeKind(kind).label, "amount": owed, "currency": register.body.currency}
            )
    required = Decimal(0) if exempt else register.cpd_points_per_cycle
    if earned < required:
        shortfall.append(
            _("CPD: %(earned)s of %(required)s points in the cycle %(start)s to %(end)s")
            % {
                "earned": _points(earned),
                "required": _points(required),
                "start": licence.valid_from.isoformat(),
                "end": licence.valid_until.isoformat(),
            }
        )
    for category in missing:
        shortfall.append(_("CPD: no %(category)s activity in the cycle") % {"category": category})
    return Renewal(
        cycle_start=licence.valid_from,
        cycle_end=licence.valid_until,
        late=late,
        points_required=required,
        points_earned=earned,
        categories_missing=missing,
        exempt=exempt,
        unpaid=unpaid,
        shortfall=shortfall,
    )
