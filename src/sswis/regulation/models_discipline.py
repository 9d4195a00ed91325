"""Complaints and discipline: a complaint against a registered worker, its case file, the outcome and the
sanction it puts on the registration, and the appeal against it.

A complaint goes received -> investigation -> hearing (on a day) -> decided, then perhaps appealed ->
appeal decided. The complainant's identity and the case file are for the registrar's office only (the
selectors in ``selectors_discipline`` leave them out for anyone else). Every change is audited.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sswis.auditing import AuditHistory
from sswis.text import PrintableTextValidator

MONEY = {"max_digits": 14, "decimal_places": 2}


class ComplainantKind(models.TextChoices):
    """Who complains: a member of the public or an employer (named, with a contact), or no one named."""

    PUBLIC = "public", _("Member of the public")
    EMPLOYER = "employer", _("Employer")
    ANONYMOUS = "anonymous", _("Anonymous")


class ComplaintStage(models.TextChoices):
    """Where a complaint stands; each step leads to the next, in this order (a dismissal may come at the
    investigation, every other outcome needs a hearing)."""

    RECEIVED = "received", _("Received")
    INVESTIGATION = "investigation", _("Under investigation")
    HEARING = "hearing", _("Hearing set")
    DECIDED = "decided", _("Decided")
    APPEALED = "appealed", _("Appealed")
    APPEAL_DECIDED = "appeal_decided", _("Appeal decided")


class Outcome(models.TextChoices):
    """What the body decided on a complaint: dismissed, or one of the sanctions (``SanctionKind``)."""

    DISMISSED = "dismissed", pgettext_lazy("complaint outcome", "Dismissed")
    CAUTION = "caution", _("Caution")
    FINE = "fine", _("Fine")
    SUSPENSION = "suspension", _("Suspension")
    CONDITIONS = "conditions", _("Conditions on practice")
    REMOVAL = "removal", _("Removal from the register")


class SanctionKind(models.TextChoices):
    """A sanction on a registration (every outcome but a dismissal)."""

    CAUTION = "caution", _("Caution")
    FINE = "fine", _("Fine")
    SUSPENSION = "suspension", _("Suspension")
    CONDITIONS = "conditions", _("Conditions on practice")
    REMOVAL = "removal", _("Removal from the register")


class SanctionEnd(models.TextChoices):
    """Why a sanction stopped before its term."""

    OVERTURNED = "overturned", _("Overturned on appeal")
    VARIED = "varied", _("Varied on appeal")
    REMOVED = "removed", _("Ended by the removal of the registration")


class AppealDecision(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    OVERTURNED = "overturned", _("Overturned")
    VARIED = "varied", _("Varied")


class Complaint(models.Model):
    """A complaint to a body against a worker registered with it (``registration``: the one complained
    about, when named). An anonymous complainant has no name or contact; the others have both."""

    body = models.ForeignKey("regulation.RegulatoryBody", on_delete=models.PROTECT, related_name="complaints")
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="complaints")
    registration = models.ForeignKey(
        "regulation.Registration",
        on_delete=models.PROTECT,
        related_name="complaints",
        null=True,
        blank=True,
    )
    complainant_kind = models.CharField(_("complainant"), max_length=20, choices=ComplainantKind.choices)
    complainant_name = models.CharField(
        _("complainant's name"), max_length=200, blank=True, validators=[PrintableTextValidator()]
    )
    complainant_contact = models.CharField(
        _("complainant's contact"), max_length=200, blank=True, validators=[PrintableTextValidator()]
    )
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("summary"))
    stage = models.CharField(
        _("stage"), max_length=20, choices=ComplaintStage.choices, default=ComplaintStage.RECEIVED
    )
    investigation_on = models.DateField(_("investigation began on"), null=True, blank=True)
    hearing_on = models.DateField(_("hearing on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["body", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="complaint_anonymous_has_no_identity",
                condition=~models.Q(complainant_kind="anonymous")
                | (models.Q(complainant_name="") & models.Q(complainant_contact="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body_id} #{self.pk} ({self.stage})"


class CaseFileEntryKind(models.TextChoices):
    NOTE = "note", _("Note")
    DOCUMENT = "document", _("Document")


class CaseFileEntry(models.Model):
    """A note or a document's text in a complaint's case file (the registrar's office only)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="case_file")
    kind = models.CharField(_("kind"), max_length=20, choices=CaseFileEntryKind.choices)
    recorded_on = models.DateField(_("recorded on"))
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[PrintableTextValidator()])
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditHistory()

    class Meta:
        ordering = ["complaint", "recorded_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.recorded_on}"


class Sanction(models.Model):
    """A sanction on a registration, from a complaint's outcome or a varied appeal: in force from
    ``starts_on`` (to ``ends_on`` for a suspension or conditions on practice) unless it ended before, on
    ``ended_on`` (overturned or varied on appeal, or the registration removed). ``start_change`` and
    ``end_change`` are the status changes it made (a suspension: suspended, then registered again the day
    after it ends; a removal: removed); ``charge`` is a fine's."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="sanctions")
    registration = models.ForeignKey(
        "regulation.Registration", on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SanctionKind.choices)
    decided_on = models.DateField(_("decided on"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,  # type: ignore[arg-type]
    )
    conditions = models.TextField(_("conditions on practice"), blank=True)
    charge = models.OneToOneField(
        "regulation.Charge", on_delete=models.PROTECT, related_name="sanction", null=True, blank=True
    )
    start_change = models.ForeignKey(
        "regulation.RegistrationStatusChange",
        on_delete=models.PROTECT,
        related_name="sanctions_started",
        null=True,
        blank=True,
    )
    end_change = models.ForeignKey(
        "regulation.RegistrationStatusChange",
        on_delete=models.PROTECT,
        related_name="sanctions_ended",
        null=True,
        blank=True,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("ended because"), max_length=20, choices=SanctionEnd.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["registration", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="sanction_period",
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_on}..{self.ends_on or ''}"


class Appeal(models.Model):
    """The appeal against a complaint's sanction, lodged within the body's ``appeal_days`` of the decision;
    decided upheld, overturned (the sanction is reversed) or varied (reversed and ``varied_to`` applied)."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="appeal")
    sanction = models.ForeignKey(Sanction, on_delete=models.PROTECT, related_name="appeals")
    lodged_on = models.DateField(_("lodged on"))
    grounds = models.TextField(_("grounds"))
    decision = models.CharField(_("decision"), max_length=20, choices=AppealDecision.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    varied_to = models.OneToOneField(
        Sanction, on_delete=models.PROTECT, related_name="varied_from", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["complaint", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.decision or '-'}"
