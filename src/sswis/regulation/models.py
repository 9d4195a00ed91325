"""Regulation of the profession: regulatory bodies (councils), the registers they keep with their rules,
registrations with their dated status history, and licences (practising certificates). National exams are
in ``models_exams``, complaints and discipline in ``models_discipline`` (imported here, so that Django
finds their models when it loads this module).

Dates decide status: a registration's status on any day is the one of its latest status change on or
before that day (``RegistrationStatusChange``), so every figure can be computed for a past year. Money is
a decimal amount in the body's currency. Every change is audited with its author.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.registry.models import Cadre, EducationLevel, Worker
from sswis.regulation import models_discipline, models_exams  # noqa: F401  (Django finds their models here)
from sswis.text import PrintableTextValidator

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class RegulatoryBody(models.Model):
    """A council that keeps registers of a profession (e.g. a council for social service professions)."""

    code = models.CharField(_("code"), max_length=50, unique=True, validators=[PrintableTextValidator()])
    name = models.CharField(_("name"), max_length=200, validators=[PrintableTextValidator()])
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    appeal_days = models.PositiveSmallIntegerField(
        _("days to lodge an appeal"), default=30, validators=[MaxValueValidator(365)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class LicenceValidity(models.TextChoices):
    """How long a licence runs: a number of months from its first day, or until a fixed renewal date."""

    FROM_ISSUE = "from_issue", _("A number of months from the first day")
    FIXED_DATE = "fixed_date", _("Until a fixed renewal date each year")


class Register(models.Model):
    """A register kept by a body, with its own rules: who may register (cadres, minimum education, a
    passed national exam), how long a licence runs, the CPD points a cycle asks for (and the categories
    required, e.g. one ethics activity), the renewal fee, the fine for a late renewal after the grace
    period, the restoration fee of a lapsed registration, and the age from which renewal asks no CPD."""

    body = models.ForeignKey(RegulatoryBody, on_delete=models.PROTECT, related_name="registers")
    code = models.CharField(_("code"), max_length=50, unique=True, validators=[PrintableTextValidator()])
    name = models.CharField(_("name"), max_length=200, validators=[PrintableTextValidator()])
    cadres = models.ManyToManyField(Cadre, blank=True, related_name="registers")
    minimum_education = models.CharField(
        _("minimum education"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    exam_required = models.BooleanField(_("a passed national exam is required"), default=False)
    exam_attempts_limit = models.PositiveSmallIntegerField(
        _("exam attempts allowed"), null=True, blank=True, validators=[MinValueValidator(1)]
    )  # None: no limit
    licence_validity = models.CharField(
        _("licence validity"),
        max_length=20,
        choices=LicenceValidity.choices,
        default=LicenceValidity.FROM_ISSUE,
    )
    licence_months = models.PositiveSmallIntegerField(
        _("licence months"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    renewal_month = models.PositiveSmallIntegerField(
        _("renewal month"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    renewal_day = models.PositiveSmallIntegerField(
        _("renewal day"), default=1, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    cpd_points_per_cycle = models.DecimalField(
        _("CPD points a cycle"), max_digits=6, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    cpd_required_categories = models.JSONField(
        _("CPD categories required each cycle"), default=list, blank=True
    )
    renewal_fee = models.DecimalField(_("renewal fee"), default=Decimal("0"), **MONEY)  # type: ignore[arg-type]
    late_fine = models.DecimalField(_("late fine"), default=Decimal("0"), **MONEY)  # type: ignore[arg-type]
    grace_days = models.PositiveSmallIntegerField(_("grace period (days)"), default=0)
    restoration_fee = models.DecimalField(_("restoration fee"), default=Decimal("0"), **MONEY)  # type: ignore[arg-type]
    cpd_exempt_from_age = models.PositiveSmallIntegerField(
        _("no CPD asked from the age of"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RegistrationStatus(models.TextChoices):
    """Where a registration stands. ``applied`` and ``refused`` come before any registration; the other
    four are the mapping template's (``registrations.csv``)."""

    APPLIED = "applied", _("Applied")
    REFUSED = "refused", _("Refused")
    REGISTERED = "registered", _("Registered")
    SUSPENDED = "suspended", _("Suspended")
    LAPSED = "lapsed", _("Lapsed")
    REMOVED = "removed", _("Removed")


class Registration(models.Model):
    """A worker's registration on a register: applied for on ``applied_on``, registered on
    ``registered_on`` under a ``number`` unique in the register. ``status`` and ``status_since`` repeat
    the latest status change, for lists; the changes themselves are the history that dates decide from."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="registrations")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="registrations")
    number = models.CharField(
        _("registration number"), max_length=50, blank=True, validators=[PrintableTextValidator()]
    )
    applied_on = models.DateField(_("applied on"))
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    status_since = models.DateField(_("status since"))
    documents_checked = models.BooleanField(_("documents checked"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the FHIR directory finds the workers whose registrations changed since an instant.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory()

    class Meta:
        ordering = ["register__code", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number"],
                condition=~models.Q(number=""),
                name="registration_number_unique",
            ),
            models.CheckConstraint(
                name="registration_registered_has_number",
                condition=models.Q(status__in=["applied", "refused"])
                | (~models.Q(number="") & models.Q(registered_on__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register.code} {self.number or '-'} ({self.status})"


class RegistrationStatusChange(models.Model):
    """One change of a registration's status, from ``since`` on, with the reason (a refusal's, a
    sanction's, a removal's). The status on a day is the latest change on or before it."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    since = models.DateField(_("since"))
    reason = models.CharField(_("reason"), max_length=500, blank=True, validators=[PrintableTextValidator()])
    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditHistory()

    class Meta:
        ordering = ["registration", "since", "pk"]

    def __str__(self) -> str:
        return f"{self.status} since {self.since}"


class Licence(models.Model):
    """A practising certificate issued under a registration, valid from ``valid_from`` to ``valid_until``
    (both included)."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="licences")
    number = models.CharField(
        _("licence number"), max_length=50, blank=True, validators=[PrintableTextValidator()]
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["registration", "valid_from"]
        constraints = [
            models.CheckConstraint(
                name="licence_period", condition=models.Q(valid_until__gte=models.F("valid_from"))
            ),
            models.UniqueConstraint(fields=["registration", "valid_from"], name="licence_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '-'} {self.valid_from}..{self.valid_until}"


class CpdProvider(models.Model):
    """A provider of continuing professional development accredited by a body for a period."""

    body = models.ForeignKey(RegulatoryBody, on_delete=models.PROTECT, related_name="cpd_providers")
    code = models.CharField(_("code"), max_length=50, unique=True, validators=[PrintableTextValidator()])
    name = models.CharField(_("name"), max_length=200, validators=[PrintableTextValidator()])
    accredited_from = models.DateField(_("accredited from"))
    accredited_until = models.DateField(_("accredited until"), null=True, blank=True)
    history = AuditHistory()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CpdActivity(models.Model):
    """An accredited activity: its points and category (e.g. ethics) and the day it was held."""

    provider = models.ForeignKey(CpdProvider, on_delete=models.PROTECT, related_name="activities")
    code = models.CharField(_("code"), max_length=50, unique=True, validators=[PrintableTextValidator()])
    title = models.CharField(_("title"), max_length=200, validators=[PrintableTextValidator()])
    category = models.CharField(_("category"), max_length=50, validators=[PrintableTextValidator()])
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    held_on = models.DateField(_("held on"))
    history = AuditHistory()

    class Meta:
        ordering = ["held_on", "code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.points})"


class CpdRecord(models.Model):
    """A worker's attendance of an activity: the points that count come from the activity, never typed.
    ``certificate_id`` is the provider's (or online-course platform's) certificate, when there is one."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="cpd_records")
    activity = models.ForeignKey(CpdActivity, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField(_("completed on"))
    certificate_id = models.CharField(
        _("certificate ID"), max_length=100, blank=True, validators=[PrintableTextValidator()]
    )
    history = AuditHistory()

    class Meta:
        ordering = ["worker", "completed_on"]
        constraints = [models.UniqueConstraint(fields=["worker", "activity"], name="cpd_record_unique")]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.activity_id} {self.completed_on}"


class ChargeKind(models.TextChoices):
    RENEWAL_FEE = "renewal_fee", _("Renewal fee")
    LATE_FINE = "late_fine", _("Late fine")
    RESTORATION_FEE = "restoration_fee", _("Restoration fee")
    FINE = "fine", _("Fine")


class Charge(models.Model):
    """Money a registration owes: an amount in the body's currency, due on a day. A charge cancelled (a
    fine overturned on appeal) is owed no more, from ``cancelled_on``; payments already made stay."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="charges")
    kind = models.CharField(_("kind"), max_length=20, choices=ChargeKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)  # type: ignore[arg-type]
    currency = models.CharField(_("currency"), max_length=3)
    due_on = models.DateField(_("due on"))
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    history = AuditHistory()

    class Meta:
        ordering = ["registration", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency}"


class Payment(models.Model):
    """A payment of a charge (no payment gateway here; the reference is the receipt's)."""

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, validators=[PrintableTextValidator()]
    )
    history = AuditHistory()

    class Meta:
        ordering = ["charge", "paid_on", "pk"]

    def __str__(self) -> str:
        return f"{self.amount} on {self.paid_on}"


class EvidenceStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class CpdEvidence(models.Model):
    """Evidence of CPD a worker submits from their own page (a course elsewhere, a certificate) for the
    registrar to review. Accepting it records the attendance of an accredited activity (``record``), whose
    points count; the worker never types points."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="cpd_evidence")
    title = models.CharField(_("activity or course"), max_length=200, validators=[PrintableTextValidator()])
    provider_name = models.CharField(_("provider"), max_length=200, validators=[PrintableTextValidator()])
    completed_on = models.DateField(_("completed on"))
    certificate_id = models.CharField(
        _("certificate ID"), max_length=100, blank=True, validators=[PrintableTextValidator()]
    )
    note = models.CharField(_("note"), max_length=1000, blank=True, validators=[PrintableTextValidator()])
    status = models.CharField(
        _("status"), max_length=20, choices=EvidenceStatus.choices, default=EvidenceStatus.SUBMITTED
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True, validators=[PrintableTextValidator()])
    record = models.OneToOneField(
        CpdRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    history = AuditHistory()

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"


class LicenceReminder(models.Model):
    """A reminder e-mailed to a worker ``days_before`` their licence ends; kept so none is sent twice."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["licence", "days_before"], name="licence_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} -{self.days_before} days, sent {self.sent_on}"
