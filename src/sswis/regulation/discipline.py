"""Complaints and discipline's writes, one service a step, each atomic and audited with its author,
refusing bad input with a message and writing nothing (``ValidationError``).

A complaint is received against a registered worker, investigated, heard on a day and decided: dismissed
(possible from the investigation on), or a sanction (only after a hearing) that
``sanctions.sanction_apply`` — the one place a sanction touches a registration — puts on the
registration: a caution, a fine (a charge of kind ``fine`` in the body's currency), a suspension
(``suspended`` from its first day, ``registered`` again the day after its last), conditions on practice
for a period, or removal. An appeal lodged within the body's ``appeal_days`` of the decision is upheld,
overturned (the sanction is reversed from the appeal's decision day: the status restored, an unpaid fine
cancelled) or varied (reversed, and the new sanction applied)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sswis.access.regulation_policy import require_regulation_change
from sswis.auditing import instance_save_audited
from sswis.registry.models import Worker
from sswis.regulation.models import Registration, RegulatoryBody
from sswis.regulation.models_discipline import (
    Appeal,
    AppealDecision,
    CaseFileEntry,
    CaseFileEntryKind,
    ComplainantKind,
    Complaint,
    ComplaintStage,
    Outcome,
    SanctionEnd,
)
from sswis.regulation.sanctions import sanction_apply, sanction_reverse

DECIDED_STAGES = (ComplaintStage.DECIDED, ComplaintStage.APPEALED, ComplaintStage.APPEAL_DECIDED)


def _lock(complaint: Complaint) -> None:
    """Lock the complaint's row and read it again: two steps at once cannot both pass the stage check."""
    Complaint.objects.select_for_update().filter(pk=complaint.pk).first()
    complaint.refresh_from_db()


def _require_stage(complaint: Complaint, *allowed: str) -> None:
    if complaint.stage not in allowed:
        raise ValidationError(
            {
                "stage": _("The complaint is at the stage “%(stage)s”: this step is not possible now.")
                % {"stage": ComplaintStage(complaint.stage).label}
            }
        )


def _not_before(day: datetime.date, earlier: datetime.date | None, field: str, message: str) -> None:
    if earlier is not None and day < earlier:
        raise ValidationError({field: message % {"day": earlier.isoformat()}})


def _save(instance: Any, *, actor: Any, fields: list[str]) -> None:
    instance.full_clean()
    instance_save_audited(instance, actor=actor, update_fields=[*fields, "updated_at"])


@transaction.atomic
def complaint_receive(
    *,
    actor: Any,
    body: RegulatoryBody,
    complainant_kind: str,
    received_on: datetime.date,
    summary: str,
    registration: Registration | None = None,
    worker: Worker | None = None,
    complainant_name: str = "",
    complainant_contact: str = "",
) -> Complaint:
    """Receive a complaint against ``registration`` (a registration on a register of ``body``) or against
    ``worker`` (who holds one). An anonymous complainant gives no name or contact; a member of the public
    or an employer gives both."""
    require_regulation_change(user=actor, body_id=body.pk)
    if registration is not None:
        if worker is not None and worker.pk != registration.worker_id:
            raise ValidationError({"worker": _("The registration is not this worker's.")})
        if registration.register.body_id != body.pk or registration.registered_on is None:
            raise ValidationError(
                {
                    "registration": _("This is not a registration on a register of %(body)s.")
                    % {"body": body.code}
                }
            )
        worker = registration.worker
        registered = True
    elif worker is None:
        raise ValidationError({"worker": _("Name the registration or the worker complained about.")})
    else:
        registered = Registration.objects.filter(
            worker=worker, register__body=body, registered_on__isnull=False
        ).exists()
    if not registered:
        raise ValidationError(
            {
                "worker": _("%(worker)s has no registration on a register of %(body)s.")
                % {"worker": worker, "body": body.code}
            }
        )
    name, contact = complainant_name.strip(), complainant_contact.strip()
    if complainant_kind == ComplainantKind.ANONYMOUS and (name or contact):
        raise ValidationError(
            {"complainant_name": _("An anonymous complaint names no one: leave the name and contact empty.")}
        )
    if complainant_kind != ComplainantKind.ANONYMOUS:
        if not name:
            raise ValidationError({"complainant_name": _("Give the complainant's name.")})
        if not contact:
            raise ValidationError({"complainant_contact": _("Give the complainant's contact.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Give a summary of the complaint.")})
    complaint = Complaint(
        body=body,
        worker=worker,
        registration=registration,
        complainant_kind=complainant_kind,
        complainant_name=name,
        complainant_contact=contact,
        received_on=received_on,
        summary=summary.strip(),
    )
    complaint.full_clean()
    instance_save_audited(complaint, actor=actor)
    return complaint


@transaction.atomic
def complaint_investigate(*, actor: Any, complaint: Complaint, on: datetime.date) -> Complaint:
    """Open the investigation of a received complaint on ``on`` (not before it was received)."""
    require_regulation_change(user=actor, body_id=complaint.body_id)
    _lock(complaint)
    _require_stage(complaint, ComplaintStage.RECEIVED)
    _not_before(
        on,
        complaint.received_on,
        "on",
        _("The investigation cannot begin before the complaint was received (%(day)s)."),
    )
    complaint.stage, complaint.investigation_on = ComplaintStage.INVESTIGATION, on
    _save(complaint, actor=actor, fields=["stage", "investigation_on"])
    return complaint


@transaction.atomic
def complaint_hearing_set(*, actor: Any, complaint: Complaint, hearing_on: datetime.date) -> Complaint:
    """Set the hearing of a complaint under investigation for ``hearing_on`` (not before the investigation
    began); a hearing already set may be moved until the outcome."""
    require_regulation_change(user=actor, body_id=complaint.body_id)
    _lock(complaint)
    _require_stage(complaint, ComplaintStage.INVESTIGATION, ComplaintStage.HEARING)
    _not_before(
        hearing_on,
        complaint.investigation_on,
        "hearing_on",
        _("The hearing cannot come before the investigation began (%(day)s)."),
    )
    complaint.stage, complaint.hearing_on = ComplaintStage.HEARING, hearing_on
    _save(complaint, actor=actor, fields=["stage", "hearing_on"])
    return complaint


@transaction.atomic
def case_file_entry_add(
    *,
    actor: Any,
    complaint: Complaint,
    recorded_on: datetime.date,
    text: str,
    kind: str = CaseFileEntryKind.NOTE,
    title: str = "",
) -> CaseFileEntry:
    """Add a note or a document's text to the complaint's case file (at any stage, not before the
    complaint was received)."""
    require_regulation_change(user=actor, body_id=complaint.body_id)
    _not_before(
        recorded_on,
        complaint.received_on,
        "recorded_on",
        _("The case file begins when the complaint was received (%(day)s)."),
    )
    if not text.strip():
        raise ValidationError({"text": _("Give the text of the note or document.")})
    entry = CaseFileEntry(
        complaint=complaint, kind=kind, recorded_on=recorded_on, title=title.strip(), text=text.strip()
    )
    entry.full_clean()
    instance_save_audited(entry, actor=actor)
    return entry


def _sanctioned_registration(complaint: Complaint, registration: Registration | None) -> Registration:
    """The registration the sanction goes on: the complaint's, or the one named (the worker's, on a
    register of the body), or the worker's only one there."""
    if complaint.registration is not None:
        if registration is not None and registration.pk != complaint.registration_id:
            raise ValidationError(
                {"registration": _("The complaint is about another registration of the worker.")}
            )
        return complaint.registration
    candidates = Registration.objects.filter(
        worker=complaint.worker, register__body=complaint.body, registered_on__isnull=False
    )
    if registration is not None:
        if not candidates.filter(pk=registration.pk).exists():
            raise ValidationError(
                {"registration": _("The sanction must go on a registration of the worker with this body.")}
            )
        return registration
    found = list(candidates[:2])
    if len(found) != 1:
        raise ValidationError(
            {"registration": _("The worker has several registrations: name the one the sanction goes on.")}
        )
    return found[0]


@transaction.atomic
def complaint_decide(
    *,
    actor: Any,
    complaint: Complaint,
    outcome: str,
    decided_on: datetime.date,
    registration: Registration | None = None,
    amount: Decimal | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    conditions: str = "",
) -> Complaint:
    """Decide a complaint: dismissed (from the investigation on), or a sanction after the hearing, not
    before its day, applied by ``sanction_apply`` with its terms (``amount`` of a fine; ``starts_on``
    .. ``ends_on`` of a suspension or conditions, ``starts_on`` of a removal; ``conditions``'s text).
    ``registration`` names the registration sanctioned when the complaint names none and the worker has
    several with the body."""
    require_regulation_change(user=actor, body_id=complaint.body_id)
    _lock(complaint)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if complaint.stage in DECIDED_STAGES:
        raise ValidationError(
            {
                "outcome": _("The complaint was already decided, on %(day)s.")
                % {"day": complaint.decided_on.isoformat() if complaint.decided_on else ""}
            }
        )
    if outcome == Outcome.DISMISSED:
        _require_stage(complaint, ComplaintStage.INVESTIGATION, ComplaintStage.HEARING)
    elif complaint.stage != ComplaintStage.HEARING:
        raise ValidationError(
            {
                "outcome": _("%(outcome)s needs a hearing first (only a dismissal may come before one).")
                % {"outcome": Outcome(outcome).label}
            }
        )
    too_early = _("The outcome cannot come before the hearing or the investigation (%(day)s).")
    _not_before(decided_on, complaint.investigation_on, "decided_on", too_early)
    _not_before(decided_on, complaint.hearing_on, "decided_on", too_early)
    if outcome == Outcome.DISMISSED:
        if amount is not None or starts_on is not None or ends_on is not None or conditions.strip():
            raise ValidationError(
                {"outcome": _("A dismissal has no sanction: give no amount, dates or conditions.")}
            )
    else:
        sanction_apply(
            actor=actor,
            complaint=complaint,
            registration=_sanctioned_registration(complaint, registration),
            kind=outcome,
            decided_on=decided_on,
            amount=amount,
            starts_on=starts_on,
            ends_on=ends_on,
            conditions=conditions,
        )
    complaint.stage, complaint.outcome, complaint.decided_on = ComplaintStage.DECIDED, outcome, decided_on
    _save(complaint, actor=actor, fields=["stage", "outcome", "decided_on"])
    return complaint


@transaction.atomic
def appeal_lodge(*, actor: Any, complaint: Complaint, lodged_on: datetime.date, grounds: str) -> Appeal:
    """Lodge the appeal against a decided complaint's sanction, with its grounds, within the body's
    ``appeal_days`` of the decision (the last day included). Refused: a complaint not decided, or
    dismissed, or already appealed; an appeal before the decision or after the deadline."""
    require_regulation_change(user=actor, body_id=complaint.body_id)
    _lock(complaint)
    _require_stage(complaint, ComplaintStage.DECIDED)
    assert complaint.decided_on is not None  # decided
    if complaint.outcome == Outcome.DISMISSED:
        raise ValidationError(
            {"complaint": _("The complaint was dismissed: there is no sanction to appeal.")}
        )
    _not_before(
        lodged_on,
        complaint.decided_on,
        "lodged_on",
        _("An appeal cannot come before the decision (%(day)s)."),
    )
    days = complaint.body.appeal_days
    deadline = complaint.decided_on + datetime.timedelta(days=days)
    if lodged_on > deadline:
        raise ValidationError(
            {
                "lodged_on": _(
                    "Too late: an appeal had to be lodged by %(deadline)s (%(days)d days after the decision "
                    "of %(decided)s)."
                )
                % {
                    "deadline": deadline.isoformat(),
                    "days": days,
                    "decided": complaint.decided_on.isoformat(),
                }
            }
        )
    if not grounds.strip():
        raise ValidationError({"grounds": _("Give the grounds of the appeal.")})
    sanction = complaint.sanctions.order_by("pk").first()
    appeal = Appeal(complaint=complaint, sanction=sanction, lodged_on=lodged_on, grounds=grounds.strip())
    appeal.full_clean()
    instance_save_audited(appeal, actor=actor)
    complaint.stage = ComplaintStage.APPEALED
    _save(complaint, actor=actor, fields=["stage"])
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    actor: Any,
    appeal: Appeal,
    decision: str,
    decided_on: datetime.date,
    kind: str | None = None,
    amount: Decimal | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    conditions: str = "",
) -> Appeal:
    """Decide an appeal on ``decided_on`` (not before it was lodged): upheld (the sanction stands),
    overturned (the sanction is reversed from that day) or varied (reversed, and the sanction of ``kind``
    with its terms applied instead by ``sanction_apply``, from ``starts_on``, default that day)."""
    require_regulation_change(user=actor, body_id=appeal.complaint.body_id)
    complaint = appeal.complaint
    _lock(complaint)
    _require_stage(complaint, ComplaintStage.APPEALED)
    if decision not in AppealDecision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    _not_before(
        decided_on,
        appeal.lodged_on,
        "decided_on",
        _("An appeal cannot be decided before it was lodged (%(day)s)."),
    )
    terms = kind is not None or amount is not None or starts_on is not None or ends_on is not None
    if decision != AppealDecision.VARIED and (terms or conditions.strip()):
        raise ValidationError({"kind": _("Only a varied decision takes a new sanction.")})
    if decision == AppealDecision.VARIED and kind is None:
        raise ValidationError({"kind": _("Give the sanction the appeal varied it to.")})
    sanction = appeal.sanction
    if decision == AppealDecision.OVERTURNED:
        sanction_reverse(actor=actor, sanction=sanction, on=decided_on, reason=SanctionEnd.OVERTURNED)
    elif decision == AppealDecision.VARIED:
        assert kind is not None
        sanction_reverse(actor=actor, sanction=sanction, on=decided_on, reason=SanctionEnd.VARIED)
        appeal.varied_to = sanction_apply(
            actor=actor,
            complaint=complaint,
            registration=sanction.registration,
            kind=kind,
            decided_on=decided_on,
            amount=amount,
            starts_on=starts_on,
            ends_on=ends_on,
            conditions=conditions,
        )
    appeal.decision, appeal.decided_on = decision, decided_on
    _save(appeal, actor=actor, fields=["decision", "decided_on", "varied_to"])
    complaint.stage = ComplaintStage.APPEAL_DECIDED
    _save(complaint, actor=actor, fields=["stage"])
    return appeal
