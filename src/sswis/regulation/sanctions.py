"""Sanctions on registrations: ``sanction_apply``, THE one place a disciplinary sanction touches a
registration (its status changes, a fine's charge), and its reversal on appeal. Called by the complaint
and appeal steps of ``discipline``; every write is audited, and bad terms are refused writing nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sswis.access.regulation_policy import require_regulation_change
from sswis.auditing import instance_save_audited
from sswis.regulation.models import (
    Charge,
    ChargeKind,
    Registration,
    RegistrationStatus,
    RegistrationStatusChange,
)
from sswis.regulation.models_discipline import Complaint, Sanction, SanctionKind
from sswis.regulation.selectors import charge_paid
from sswis.regulation.services import (
    _sanction_end,
    _status_change,
    _status_copy_refresh,
    registration_remove,
)


def _check_terms(
    *,
    kind: str,
    decided_on: datetime.date,
    amount: Decimal | None,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    conditions: str,
) -> None:
    """Refuse terms a sanction of ``kind`` lacks or has no use for."""
    if kind not in SanctionKind.values:
        raise ValidationError({"kind": _("Choose a sanction.")})
    label = SanctionKind(kind).label
    given = {"amount": amount is not None, "ends_on": ends_on is not None, "conditions": bool(conditions)}
    needed = {
        SanctionKind.FINE: {"amount"},
        SanctionKind.SUSPENSION: {"ends_on"},
        SanctionKind.CONDITIONS: {"ends_on", "conditions"},
    }.get(SanctionKind(kind), set())
    for field, present in given.items():
        if present and field not in needed:
            raise ValidationError({field: _("%(sanction)s: this term does not apply.") % {"sanction": label}})
        if not present and field in needed:
            raise ValidationError({field: _("%(sanction)s: give this term.") % {"sanction": label}})
    if starts_on < decided_on:
        raise ValidationError(
            {
                "starts_on": _("A sanction cannot begin before it is decided (%(day)s).")
                % {"day": decided_on.isoformat()}
            }
        )
    if amount is not None and amount <= 0:
        raise ValidationError({"amount": _("A fine's amount must be more than 0.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(
            {
                "ends_on": _("%(sanction)s: it cannot end (%(until)s) before it starts (%(from)s).")
                % {"sanction": label, "until": ends_on.isoformat(), "from": starts_on.isoformat()}
            }
        )


@transaction.atomic
def sanction_apply(
    *,
    actor: Any,
    complaint: Complaint,
    registration: Registration,
    kind: str,
    decided_on: datetime.date,
    amount: Decimal | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    conditions: str = "",
) -> Sanction:
    """Put a sanction decided on ``decided_on`` on ``registration`` — THE one place a sanction touches a
    registration (``complaint_decide`` and a varied ``appeal_decide`` call it; pages call those).

    From ``starts_on`` (default: the decision day, never before it): a caution is recorded; a fine raises
    a charge of kind ``fine`` of ``amount`` in the body's currency, due that day; a suspension makes the
    registration ``suspended`` that day and ``registered`` again the day after ``ends_on`` (a change
    dated ahead: the daily job brings the status copy to it on its day); conditions on practice are in
    force to ``ends_on``; a removal removes the registration (``registration_remove``). Refused: a
    registration removed, or not registered, on ``starts_on``; a suspension of a registration not
    ``registered`` that day (e.g. already suspended); a period ending before it starts; a status change
    before one already recorded."""
    require_regulation_change(user=actor, body_id=complaint.body_id)
    conditions = conditions.strip()
    starts_on = decided_on if starts_on is None else starts_on
    _check_terms(
        kind=kind,
        decided_on=decided_on,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        conditions=conditions,
    )
    in_force = registration.status_changes.filter(since__lte=starts_on).order_by("-since", "-pk").first()
    status = in_force.status if in_force is not None else None
    if in_force is not None and status == RegistrationStatus.REMOVED:
        raise ValidationError(
            {
                "registration": _(
                    "Registration %(number)s was removed on %(day)s: no sanction can be applied."
                )
                % {"number": registration.number, "day": in_force.since.isoformat()}
            }
        )
    allowed = (
        [RegistrationStatus.REGISTERED]
        if kind == SanctionKind.SUSPENSION
        else [RegistrationStatus.REGISTERED, RegistrationStatus.SUSPENDED, RegistrationStatus.LAPSED]
    )
    if status not in allowed:
        raise ValidationError(
            {
                "registration": _(
                    "On %(day)s the registration is “%(status)s”: the sanction “%(sanction)s” is not possible."
                )
                % {
                    "day": starts_on.isoformat(),
                    "status": RegistrationStatus(status).label if status else _("not yet applied for"),
                    "sanction": SanctionKind(kind).label,
                }
            }
        )
    sanction = Sanction(
        complaint=complaint,
        registration=registration,
        kind=kind,
        decided_on=decided_on,
        starts_on=starts_on,
        ends_on=ends_on,
        amount=amount,
        conditions=conditions,
    )
    sanction.full_clean()
    instance_save_audited(sanction, actor=actor)
    reason = {"complaint": complaint.pk, "from": starts_on.isoformat(), "until": str(ends_on or "")}
    if kind == SanctionKind.FINE:
        assert amount is not None  # _check_terms
        charge = Charge(
            registration=registration,
            kind=ChargeKind.FINE,
            amount=amount,
            currency=registration.register.body.currency,
            due_on=starts_on,
        )
        charge.full_clean()
        instance_save_audited(charge, actor=actor)
        sanction.charge = charge
    elif kind == SanctionKind.SUSPENSION:
        assert ends_on is not None  # _check_terms
        sanction.start_change = _status_change(
            actor=actor,
            registration=registration,
            status=RegistrationStatus.SUSPENDED,
            since=starts_on,
            reason=_("Complaint %(complaint)s: suspended from %(from)s until %(until)s.") % reason,
        )
        end = RegistrationStatusChange(
            registration=registration,
            status=RegistrationStatus.REGISTERED,
            since=ends_on + datetime.timedelta(days=1),
            reason=_("Complaint %(complaint)s: the suspension ended on %(until)s.") % reason,
        )
        end.full_clean()
        instance_save_audited(end, actor=actor)
        sanction.end_change = end
        _status_copy_refresh(actor=actor, registration=registration)
    elif kind == SanctionKind.REMOVAL:
        registration_remove(
            actor=actor,
            registration=registration,
            since=starts_on,
            reason=_("Complaint %(complaint)s: removed from the register.") % reason,
        )
        sanction.start_change = registration.status_changes.order_by("-since", "-pk").first()
        _status_copy_refresh(actor=actor, registration=registration)
    instance_save_audited(
        sanction, actor=actor, update_fields=["charge", "start_change", "end_change", "updated_at"]
    )
    return sanction


@transaction.atomic
def sanction_reverse(*, actor: Any, sanction: Sanction, on: datetime.date, reason: str) -> None:
    """Reverse ``sanction`` from ``on`` (an appeal's decision day; ``reason`` a ``SanctionEnd``): it ends
    that day; a suspension or removal in force that day gives way to ``registered`` from it (its changes
    still to come are withdrawn); a fine not fully paid is cancelled (a paid one stays: refunds are
    outside sswis). Refused, writing nothing, when the status must be restored but a status change not of
    this sanction comes after ``on`` (none may come before the last one). ``appeal_decide`` calls it."""
    require_regulation_change(user=actor, body_id=sanction.registration.register.body_id)
    registration = sanction.registration
    _sanction_end(actor=actor, sanction=sanction, on=on, reason=reason)
    if sanction.start_change_id is not None:
        in_force = registration.status_changes.filter(since__lte=on).order_by("-since", "-pk").first()
        if in_force is not None and in_force.pk == sanction.start_change_id:
            _status_change(
                actor=actor,
                registration=registration,
                status=RegistrationStatus.REGISTERED,
                since=on,
                reason=_("Complaint %(complaint)s: the sanction was reversed on appeal.")
                % {"complaint": sanction.complaint_id},
            )
        _status_copy_refresh(actor=actor, registration=registration)
    charge = sanction.charge
    if charge is not None and charge.cancelled_on is None and charge_paid(charge) < charge.amount:
        charge.cancelled_on = on
        charge.full_clean()
        instance_save_audited(charge, actor=actor, update_fields=["cancelled_on"])
