"""A worker's own side of the regulation: CPD evidence they submit for review, and the reminders e-mailed
before their licence ends.

Evidence is submitted by the worker's own login (or recorded for them by the registrar), reviewed by the
registrar of a body the worker is registered with: accepted as the attendance of one of that body's
accredited activities (whose points then count, never typed), or rejected with a reason. Reminders go out
``settings.SSWIS_LICENCE_REMINDER_DAYS`` days before a licence's last day (default 30 and 7), once each,
to workers with an e-mail address whose registration is registered and who hold no later licence.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from sswis.access.models import Role
from sswis.access.policy import scope_of
from sswis.access.regulation_policy import may_change_regulation, require_regulation_change
from sswis.auditing import instance_save_audited
from sswis.registry.models import Worker
from sswis.regulation.models import (
    CpdActivity,
    CpdEvidence,
    EvidenceStatus,
    Licence,
    LicenceReminder,
    Registration,
    RegistrationStatus,
)
from sswis.regulation.services import cpd_record_add


def _bodies_of(worker: Worker) -> set[int | None]:
    """The bodies the worker is registered with (a registration that was registered and is not removed: an
    application alone gives a registrar no access to the worker's evidence); ``{None}`` when none (then a
    national data manager only)."""
    bodies = (
        Registration.objects.filter(worker=worker, registered_on__isnull=False)
        .exclude(status=RegistrationStatus.REMOVED)
        .values_list("register__body_id", flat=True)
    )
    return set(bodies) or {None}


def may_review_evidence(*, user: Any, evidence: CpdEvidence) -> bool:
    """A national data manager, or the registrar of a body the worker is registered with."""
    return any(may_change_regulation(user=user, body_id=body) for body in _bodies_of(evidence.worker))


@transaction.atomic
def cpd_evidence_submit(
    *,
    actor: Any,
    worker: Worker,
    title: str,
    provider_name: str,
    completed_on: datetime.date,
    certificate_id: str = "",
    note: str = "",
    today: datetime.date,
) -> CpdEvidence:
    """Submit CPD evidence of ``worker``: by their own login, or by someone who may review it. Refused for a
    completion in the future."""
    scope = scope_of(actor)
    own = scope.role == Role.WORKER and scope.worker_id == worker.pk
    if not own and not any(may_change_regulation(user=actor, body_id=b) for b in _bodies_of(worker)):
        raise PermissionDenied(_("Only the worker or their registrar may submit this worker's CPD evidence."))
    if completed_on > today:
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    evidence = CpdEvidence(
        worker=worker,
        title=title.strip(),
        provider_name=provider_name.strip(),
        completed_on=completed_on,
        certificate_id=certificate_id.strip(),
        note=note.strip(),
    )
    evidence.full_clean()
    instance_save_audited(evidence, actor=actor)
    return evidence


def _require_submitted(evidence: CpdEvidence) -> None:
    if evidence.status != EvidenceStatus.SUBMITTED:
        raise ValidationError({"evidence": _("This evidence is already reviewed.")})


@transaction.atomic
def cpd_evidence_accept(*, actor: Any, evidence: CpdEvidence, activity: CpdActivity) -> CpdEvidence:
    """Accept the evidence as the attendance of ``activity`` (an accredited activity of a body the worker is
    registered with, which its registrar keeps), recorded on the evidence's completion day."""
    evidence = CpdEvidence.objects.select_for_update().get(pk=evidence.pk)
    require_regulation_change(user=actor, body_id=activity.provider.body_id)
    _require_submitted(evidence)
    if activity.provider.body_id not in _bodies_of(evidence.worker):
        raise ValidationError({"activity": _("The worker is not registered with this activity's body.")})
    record = cpd_record_add(
        actor=actor, worker=evidence.worker, activity=activity, completed_on=evidence.completed_on
    )
    evidence.status, evidence.record = EvidenceStatus.ACCEPTED, record
    instance_save_audited(evidence, actor=actor, update_fields=["status", "record"])
    return evidence


@transaction.atomic
def cpd_evidence_reject(*, actor: Any, evidence: CpdEvidence, reason: str) -> CpdEvidence:
    """Reject the evidence with the reason the worker is shown."""
    evidence = CpdEvidence.objects.select_for_update().get(pk=evidence.pk)
    if not may_review_evidence(user=actor, evidence=evidence):
        raise PermissionDenied(_("Only the worker's registrar may review this evidence."))
    _require_submitted(evidence)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    evidence.status, evidence.reason = EvidenceStatus.REJECTED, reason.strip()
    evidence.full_clean()
    instance_save_audited(evidence, actor=actor, update_fields=["status", "reason"])
    return evidence


def reminder_days() -> tuple[int, ...]:
    return tuple(sorted(set(getattr(settings, "SSWIS_LICENCE_REMINDER_DAYS", (30, 7))), reverse=True))


@transaction.atomic
def licence_reminders_send(*, day: datetime.date) -> int:
    """E-mail the reminders due on ``day`` and record them; return how many were sent. A licence ending
    within ``n`` days after ``day`` (``n`` in ``reminder_days``) gets the ``n``-day reminder once, unless a
    nearer one was sent, when its registration is registered, no later licence follows it and the worker
    has an e-mail address; one reminder a licence a day. Run by the daily job."""
    messages: list[tuple[str, str, None, list[str]]] = []
    records: list[LicenceReminder] = []
    # Nearest first, and each reminder for a licence ending within its days: a night the job did not run
    # is caught up the next, and a licence issued with 5 days left gets the 7-day reminder only.
    for days in sorted(reminder_days()):
        licences = (
            Licence.objects.filter(
                valid_until__gt=day,
                valid_until__lte=day + datetime.timedelta(days=days),
                registration__status=RegistrationStatus.REGISTERED,
                registration__worker__email__gt="",
            )
            .exclude(reminders__days_before__lte=days)
            .exclude(pk__in=[record.licence_id for record in records])
            .select_related("registration__register__body", "registration__worker")
        )
        for licence in licences:
            registration = licence.registration
            if registration.licences.filter(valid_from__gt=licence.valid_until).exists():
                continue  # already renewed
            worker = registration.worker
            with override(settings.LANGUAGE_CODE):
                subject = _("Your licence ends on %(day)s") % {"day": licence.valid_until.isoformat()}
                body = _(
                    "Dear %(name)s,\n\nYour licence on the register %(register)s (registration %(number)s) ends "
                    "on %(day)s. Renew it before then: see what renewal still needs on your page in sswis, "
                    "or ask %(body)s.\n"
                ) % {
                    "name": worker.full_name,
                    "register": registration.register.name,
                    "number": registration.number,
                    "day": licence.valid_until.isoformat(),
                    "body": registration.register.body.name,
                }
            messages.append((subject, body, None, [worker.email]))
            records.append(LicenceReminder(licence=licence, days_before=days, sent_on=day))
    LicenceReminder.objects.bulk_create(records)
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return len(messages)
