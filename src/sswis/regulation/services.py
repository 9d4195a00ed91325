"""Regulation's writes, each one atomic and audited with its author, refusing bad input with a message
and writing nothing (``ValidationError``): bodies and registers, then a registration's life —
application, review, registration under a number unique in the register (or refusal with a reason),
licences, lapse, restoration, removal. Every status change is dated; none may come before the last one,
so the history stays the truth of every past day."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.regulation_policy import require_regulation_change
from sswis.auditing import instance_apply_changes, instance_save_audited
from sswis.registry.models import Cadre, Worker
from sswis.regulation.models import (
    Charge,
    ChargeKind,
    CpdActivity,
    CpdRecord,
    Licence,
    LicenceValidity,
    Payment,
    Register,
    Registration,
    RegistrationStatus,
    RegistrationStatusChange,
    RegulatoryBody,
)
from sswis.regulation.models_discipline import Sanction, SanctionEnd, SanctionKind
from sswis.regulation.selectors import charge_owed, registration_eligibility, registration_renewal

REGISTER_RULES = (
    "minimum_education",
    "exam_required",
    "exam_attempts_limit",
    "licence_validity",
    "licence_months",
    "renewal_month",
    "renewal_day",
    "cpd_points_per_cycle",
    "cpd_required_categories",
    "renewal_fee",
    "late_fine",
    "grace_days",
    "restoration_fee",
    "cpd_exempt_from_age",
)


@transaction.atomic
def regulatory_body_set(
    *, actor: Any, code: str, name: str, currency: str = "USD", appeal_days: int = 30
) -> RegulatoryBody:
    """Create the body with ``code``, or change its name, currency and the days within which a
    disciplinary decision may be appealed."""
    body = RegulatoryBody.objects.filter(code=code.strip()).first() or RegulatoryBody()
    require_regulation_change(user=actor, body_id=body.pk)
    changes = {
        "code": code.strip(),
        "name": name.strip(),
        "currency": currency.strip().upper(),
        "appeal_days": appeal_days,
    }
    instance_apply_changes(body, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return body


@transaction.atomic
def register_set(
    *, actor: Any, body: RegulatoryBody, code: str, name: str, cadres: Iterable[Cadre] = (), **rules: Any
) -> Register:
    """Create the register with ``code``, or change it: its body, name, cadres and rules (any of
    ``REGISTER_RULES``; those not given keep their value, or the default for a new register)."""
    require_regulation_change(user=actor, body_id=body.pk)
    unknown = sorted(set(rules) - set(REGISTER_RULES))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    register = Register.objects.filter(code=code.strip()).first() or Register()
    if register.pk is not None:  # moving a register out of another body is that body's change too
        require_regulation_change(user=actor, body_id=register.body_id)
    changes = {"body": body, "code": code.strip(), "name": name.strip(), **rules}
    instance_apply_changes(
        register, actor=actor, changes=changes, allowed_fields=("body", "code", "name", *REGISTER_RULES)
    )
    register.cadres.set(list(cadres))
    return register


def _status_change(
    *,
    actor: Any,
    registration: Registration,
    status: str,
    since: datetime.date,
    reason: str = "",
    also: tuple[str, ...] = (),
) -> RegistrationStatusChange:
    """Record a dated status change (not before the latest one), keep the registration's copy, and return
    the change."""
    latest = registration.status_changes.order_by("-since", "-pk").first()
    if latest is not None and since < latest.since:
        raise ValidationError(
            {
                "since": _("The change cannot come before the last one (%(status)s since %(since)s).")
                % {"status": RegistrationStatus(latest.status).label, "since": latest.since.isoformat()}
            }
        )
    change = RegistrationStatusChange(
        registration=registration, status=status, since=since, reason=reason.strip()
    )
    change.full_clean()
    instance_save_audited(change, actor=actor)
    # The copy is the status on today: a change dated ahead comes into force on its day, by the daily job
    # (``lapses.registrations_status_refresh``), not at once.
    copied = ["status", "status_since"] if since <= timezone.localdate() else []
    if copied:
        registration.status, registration.status_since = status, since
    instance_save_audited(registration, actor=actor, update_fields=[*copied, *also, "updated_at"])
    return change


def _status_copy_refresh(*, actor: Any, registration: Registration, day: datetime.date | None = None) -> None:
    """Make the registration's ``status``/``status_since`` those of its latest change on or before ``day``
    (default today): a change dated later (a suspension's end) is in force only from its day, when the
    daily job brings the copy up to date (``registrations_status_refresh``). Left alone when no change is
    in force yet."""
    day = timezone.localdate() if day is None else day
    change = registration.status_changes.filter(since__lte=day).order_by("-since", "-pk").first()
    if change is None or (registration.status, registration.status_since) == (change.status, change.since):
        return
    registration.status, registration.status_since = change.status, change.since
    instance_save_audited(registration, actor=actor, update_fields=["status", "status_since", "updated_at"])


def _sanction_end(*, actor: Any, sanction: Sanction, on: datetime.date, reason: str) -> None:
    """End ``sanction`` on ``on`` (in force until the day before): its status changes dated after ``on``
    are withdrawn (deleted, audited: they were to come, not history). The caller restores the status when
    it should. A sanction already ended keeps the earlier day."""
    for field in ("start_change", "end_change"):
        change = getattr(sanction, field)
        if change is not None and change.since > on:
            setattr(sanction, field, None)
            instance_save_audited(sanction, actor=actor, update_fields=[field, "updated_at"])
            change._history_user = actor  # the author of the deletion's record
            change.delete()
    sanction.ended_on = on if sanction.ended_on is None else min(sanction.ended_on, on)
    sanction.end_reason = reason
    instance_save_audited(sanction, actor=actor, update_fields=["ended_on", "end_reason", "updated_at"])


def _require_status(registration: Registration, *allowed: str) -> None:
    if registration.status not in allowed:
        raise ValidationError(
            {
                "status": _("The registration is %(status)s: this step is not possible now.")
                % {"status": RegistrationStatus(registration.status).label}
            }
        )


@transaction.atomic
def registration_apply(
    *, actor: Any, register: Register, worker: Worker, applied_on: datetime.date
) -> Registration:
    """A worker's application to a register. Refused when they already hold, or applied for, a registration
    on it that was not refused or removed."""
    require_regulation_change(user=actor, body_id=register.body_id)
    if (
        Registration.objects.filter(register=register, worker=worker)
        .exclude(status__in=[RegistrationStatus.REFUSED, RegistrationStatus.REMOVED])
        .exists()
    ):
        raise ValidationError(
            {"worker": _("This worker already has a registration or an application on this register.")}
        )
    registration = Registration(
        register=register,
        worker=worker,
        applied_on=applied_on,
        status=RegistrationStatus.APPLIED,
        status_since=applied_on,
    )
    registration.full_clean()
    instance_save_audited(registration, actor=actor)
    change = RegistrationStatusChange(
        registration=registration, status=RegistrationStatus.APPLIED, since=applied_on
    )
    instance_save_audited(change, actor=actor)
    return registration


@transaction.atomic
def registration_review(*, actor: Any, registration: Registration, documents_checked: bool) -> Registration:
    """Record whether the application's documents were checked."""
    require_regulation_change(user=actor, body_id=registration.register.body_id)
    _require_status(registration, RegistrationStatus.APPLIED)
    registration.documents_checked = documents_checked
    instance_save_audited(registration, actor=actor, update_fields=["documents_checked", "updated_at"])
    return registration


@transaction.atomic
def registration_approve(
    *, actor: Any, registration: Registration, number: str, registered_on: datetime.date
) -> Registration:
    """Register the applicant under ``number`` (unique in the register) from ``registered_on``. Refused
    unless the documents were checked and every rule of the register is met on that day."""
    require_regulation_change(user=actor, body_id=registration.register.body_id)
    _require_status(registration, RegistrationStatus.APPLIED)
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Give the registration number.")})
    if (
        Registration.objects.filter(register=registration.register, number=number)
        .exclude(pk=registration.pk)
        .exists()
    ):
        raise ValidationError(
            {"number": _("The number %(number)s is already used in this register.") % {"number": number}}
        )
    if not registration.documents_checked:
        raise ValidationError({"documents_checked": _("Check the application's documents first.")})
    unmet = [
        requirement
        for requirement in registration_eligibility(
            register=registration.register, worker=registration.worker, day=registered_on
        )
        if not requirement.met
    ]
    if unmet:
        raise ValidationError(
            {
                "worker": [
                    _("Not met: %(rule)s (found: %(found)s).") % {"rule": r.rule, "found": r.found}
                    for r in unmet
                ]
            }
        )
    if registered_on < registration.applied_on:
        raise ValidationError({"registered_on": _("A registration cannot begin before its application.")})
    registration.number, registration.registered_on = number, registered_on
    _status_change(
        actor=actor,
        registration=registration,
        status=RegistrationStatus.REGISTERED,
        since=registered_on,
        also=("number", "registered_on"),
    )
    return registration


@transaction.atomic
def registration_refuse(
    *, actor: Any, registration: Registration, reason: str, on: datetime.date
) -> Registration:
    """Refuse the application, with the reason the applicant is told."""
    require_regulation_change(user=actor, body_id=registration.register.body_id)
    _require_status(registration, RegistrationStatus.APPLIED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the refusal.")})
    _status_change(
        actor=actor, registration=registration, status=RegistrationStatus.REFUSED, since=on, reason=reason
    )
    return registration


def licence_end(*, register: Register, valid_from: datetime.date) -> datetime.date:
    """The last day of a licence beginning on ``valid_from`` under the register's rule: ``licence_months``
    later less a day; or the day before the next renewal date (e.g. 1 January) after ``valid_from``."""
    if register.licence_validity == LicenceValidity.FIXED_DATE:
        renewal = datetime.date(valid_from.year, register.renewal_month, register.renewal_day)
        if renewal <= valid_from:
            renewal = datetime.date(valid_from.year + 1, register.renewal_month, register.renewal_day)
        return renewal - datetime.timedelta(days=1)
    month = valid_from.month - 1 + register.licence_months
    year, month = valid_from.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if valid_from.day > last:  # no such day that month (31 January + 1 month): the month's last day
        return datetime.date(year, month, last)
    return datetime.date(year, month, valid_from.day) - datetime.timedelta(days=1)


@transaction.atomic
def licence_issue(
    *, actor: Any, registration: Registration, valid_from: datetime.date, number: str = ""
) -> Licence:
    """Issue a licence from ``valid_from`` to the end the register's rule gives. Refused unless the
    registration is registered, or when it would overlap a licence already issued."""
    require_regulation_change(user=actor, body_id=registration.register.body_id)
    _require_status(registration, RegistrationStatus.REGISTERED)
    if registration.registered_on is None or valid_from < registration.registered_on:
        raise ValidationError({"valid_from": _("A licence cannot begin before the registration.")})
    if valid_from < registration.status_since:  # e.g. restored: no licence back into the lapsed period
        raise ValidationError(
            {
                "valid_from": _(
                    "A licence cannot begin before %(day)s, when the registration became registered again."
                )
                % {"day": registration.status_since.isoformat()}
            }
        )
    valid_until = licence_end(register=registration.register, valid_from=valid_from)
    if registration.licences.filter(valid_from__lte=valid_until, valid_until__gte=valid_from).exists():
        raise ValidationError(
            {"valid_from": _("The registration already has a licence for part of that period.")}
        )
    licence = Licence(
        registration=registration, number=number.strip(), valid_from=valid_from, valid_until=valid_until
    )
    licence.full_clean()
    instance_save_audited(licence, actor=actor)
    return licence


@transaction.atomic
def registration_lapse(*, actor: Any, registration: Registration, since: datetime.date) -> Registration:
    """The registration lapses (not renewed by the due date plus grace)."""
    require_regulation_change(user=actor, body_id=registration.register.body_id)
    _require_status(registration, RegistrationStatus.REGISTERED)
    _status_change(actor=actor, registration=registration, status=RegistrationStatus.LAPSED, since=since)
    return registration


@transaction.atomic
def restoration_charge_raise(*, actor: Any, registration: Registration) -> Charge | None:
    """Raise the register's restoration fee on a lapsed registration, due the day it lapsed, unless it is
    raised already for this lapse (or the register asks none: ``None``)."""
    require_regulation_change(user=actor, body_id=registration.register.body_id)
    _require_status(registration, RegistrationStatus.LAPSED)
    Registration.objects.select_for_update().filter(pk=registration.pk).first()  # two at once raise once
    register = registration.register
    if register.restoration_fee <= 0:
        return None
    existing = registration.charges.filter(
        kind=ChargeKind.RESTORATION_FEE, due_on__gte=registration.status_since
    ).first()
    if existing is not None:
        return existing
    charge = Charge(
        registration=registration,
        kind=ChargeKind.RESTORATION_FEE,
        amount=register.restoration_fee,
        currency=register.body.currency,
        due_on=registration.status_since,
    )
    charge.full_clean()
    instance_save_audited(charge, actor=actor)
    return charge


@transaction.atomic
def registration_restore(*, actor: Any, registration: Registration, since: datetime.date) -> Registration:
    """A lapsed registration is registered again from ``since``, once the register's restoration fee for
    this lapse is raised and paid in full; else refused saying what is owed (nothing written)."""
    require_regulation_change(user=actor, body_id=registration.register.body_id)
    _require_status(registration, RegistrationStatus.LAPSED)
    if registration.register.restoration_fee > 0:
        fee = registration.charges.filter(
            kind=ChargeKind.RESTORATION_FEE, due_on__gte=registration.status_since
        ).first()
        if fee is None:
            raise ValidationError(
                {"registration": _("Raise the restoration fee first; it must be paid before restoring.")}
            )
        owed = charge_owed(fee)
        if owed > 0:
            raise ValidationError(
                {
                    "registration": _("The restoration fee is not paid: %(owed)s %(currency)s still owed.")
                    % {"owed": owed, "currency": fee.currency}
                }
            )
        paid_on = max(payment.paid_on for payment in fee.payments.all())
        if since < paid_on:  # no restoration back into the lapse, before the fee was paid
            raise ValidationError(
                {
                    "since": _("A registration is restored on or after the day its fee was paid (%(day)s).")
                    % {"day": paid_on.isoformat()}
                }
            )
    _status_change(actor=actor, registration=registration, status=RegistrationStatus.REGISTERED, since=since)
    return registration


@transaction.atomic
def registration_remove(
    *, actor: Any, registration: Registration, since: datetime.date, reason: str
) -> Registration:
    """Remove a registration (on request, death, or a sanction), with the reason. Suspensions and
    conditions on practice still running or to come end on ``since`` (a suspension's return to
    ``registered`` after it is withdrawn)."""
    require_regulation_change(user=actor, body_id=registration.register.body_id)
    running = Sanction.objects.filter(
        registration=registration,
        kind__in=[SanctionKind.SUSPENSION, SanctionKind.CONDITIONS],
        ended_on__isnull=True,
        ends_on__gte=since,
    ).select_related("start_change", "end_change")
    for sanction in running:
        _sanction_end(actor=actor, sanction=sanction, on=since, reason=SanctionEnd.REMOVED)
    _status_copy_refresh(actor=actor, registration=registration)
    _require_status(
        registration, RegistrationStatus.REGISTERED, RegistrationStatus.SUSPENDED, RegistrationStatus.LAPSED
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the removal.")})
    _status_change(
        actor=actor, registration=registration, status=RegistrationStatus.REMOVED, since=since, reason=reason
    )
    return registration


@transaction.atomic
def cpd_record_add(
    *,
    actor: Any,
    worker: Worker,
    activity: CpdActivity,
    completed_on: datetime.date,
    certificate_id: str = "",
) -> CpdRecord:
    """Record a worker's attendance of an accredited activity, with the provider's certificate if there is
    one. Refused when the provider was not accredited on the day the activity was held, or the completion
    comes before it."""
    require_regulation_change(user=actor, body_id=activity.provider.body_id)
    provider = activity.provider
    if activity.held_on < provider.accredited_from or (
        provider.accredited_until is not None and activity.held_on > provider.accredited_until
    ):
        raise ValidationError(
            {"activity": _("The provider was not accredited on the day the activity was held.")}
        )
    if completed_on < activity.held_on:
        raise ValidationError({"completed_on": _("An activity cannot be completed before it is held.")})
    record = CpdRecord(
        worker=worker, activity=activity, completed_on=completed_on, certificate_id=certificate_id.strip()
    )
    record.full_clean()
    instance_save_audited(record, actor=actor)
    return record


@transaction.atomic
def renewal_charges_raise(*, actor: Any, registration: Registration, on: datetime.date) -> list[Charge]:
    """Raise what renewing on ``on`` costs and is not raised yet: the renewal fee, due the day after the
    licence ends, and the late fine when ``on`` is after that day."""
    require_regulation_change(user=actor, body_id=registration.register.body_id)
    Registration.objects.select_for_update().filter(pk=registration.pk).first()  # two at once raise once
    licence = registration.licences.order_by("-valid_until").first()
    if licence is None:
        raise ValidationError({"registration": _("The registration has no licence to renew.")})
    register = registration.register
    due = licence.valid_until + datetime.timedelta(days=1)
    raised = []
    needed = [(ChargeKind.RENEWAL_FEE, register.renewal_fee, due)]
    if on > max(due, registration.status_since + datetime.timedelta(days=1)):  # as registration_renewal
        needed.append((ChargeKind.LATE_FINE, register.late_fine, on))
    for kind, amount, due_on in needed:
        if amount <= 0 or registration.charges.filter(kind=kind, due_on__gte=due).exists():
            continue
        charge = Charge(
            registration=registration,
            kind=kind,
            amount=amount,
            currency=register.body.currency,
            due_on=due_on,
        )
        charge.full_clean()
        instance_save_audited(charge, actor=actor)
        raised.append(charge)
    return raised


@transaction.atomic
def payment_record(
    *, actor: Any, charge: Charge, amount: Decimal, paid_on: datetime.date, reference: str = ""
) -> Payment:
    """Record a payment of ``charge``; refused when it is more than what is still owed."""
    require_regulation_change(user=actor, body_id=charge.registration.register.body_id)
    charge = Charge.objects.select_for_update().get(pk=charge.pk)  # two payments at once cannot both pass
    if charge.cancelled_on is not None:
        raise ValidationError(
            {
                "charge": _("This charge was cancelled on %(day)s: nothing is owed.")
                % {"day": charge.cancelled_on.isoformat()}
            }
        )
    owed = charge_owed(charge)
    if amount > owed:
        raise ValidationError(
            {
                "amount": _("Only %(owed)s %(currency)s is still owed.")
                % {"owed": owed, "currency": charge.currency}
            }
        )
    payment = Payment(charge=charge, amount=amount, paid_on=paid_on, reference=reference.strip())
    payment.full_clean()
    instance_save_audited(payment, actor=actor)
    return payment


@transaction.atomic
def registration_renew(*, actor: Any, registration: Registration, on: datetime.date) -> Licence:
    """Renew: the next licence, from the day after the current one ends, when nothing is missing; else
    refused with the exact shortfall (points, categories, unpaid fee or fine) and nothing written."""
    require_regulation_change(user=actor, body_id=registration.register.body_id)
    _require_status(registration, RegistrationStatus.REGISTERED)
    renewal = registration_renewal(registration=registration, on=on)
    if renewal is None:
        raise ValidationError({"registration": _("The registration has no licence to renew.")})
    if renewal.shortfall:
        raise ValidationError({"registration": renewal.shortfall})
    # Continuous with the last licence; after a restoration, from the day it was restored.
    valid_from = max(renewal.cycle_end + datetime.timedelta(days=1), registration.status_since)
    return licence_issue(actor=actor, registration=registration, valid_from=valid_from)
