"""The support of the workforce (contract ``support.md``): supervision relationships and sessions against
the country's norms, monthly caseloads against norms per cadre. Associations and memberships are in
``models_associations.py``.

Every row keeps its history (``AuditHistory``: who changed what, when), so every figure can be computed
for any past year, and has a stable UUID and a last-updated time for the directory's sync.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.registry.models import Cadre, Worker
from sswis.support import models_associations  # noqa: F401  (Django finds the associations' models here)
from sswis.text import PrintableTextValidator


class SupervisionKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative")
    EDUCATIONAL = "educational", _("Educational")
    SUPPORTIVE = "supportive", _("Supportive")


class SupervisionMode(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")
    PEER = "peer", _("Peer")


class RecordSource(models.TextChoices):
    """Where a session or a caseload came from."""

    ENTERED = "entered", _("Entered on a page")
    API = "api", _("Sent through the API")
    TEMPLATE = "template", _("Imported with the mapping template")
    PRIMERO = "primero", _("Synced from Primero")
    SMS = "sms", _("Sent by SMS")


class SupervisionRules(models.Model):
    """The country's supervision norms and the eligibility of supervisors: one row (``rules_current``
    in ``supervision.py`` creates it with the guidelines' defaults)."""

    supervisees_when_only_duty = models.PositiveSmallIntegerField(
        _("supervisees per supervisor when supervising is their only duty"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    supervisees_otherwise = models.PositiveSmallIntegerField(
        _("supervisees per supervisor otherwise"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    must_be_registered = models.BooleanField(
        _("supervisors must be registered"),
        default=True,
        help_text=_("A supervisor holds a registration whose status is registered on the day."),
    )
    minimum_experience_years = models.PositiveSmallIntegerField(
        _("years of experience a supervisor needs"),
        default=2,
        validators=[MaxValueValidator(60)],
    )
    supervision_course = models.ForeignKey(
        "training.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("supervision course"),
        help_text=_("A supervisor must have completed it; empty: no course is required."),
    )
    auxiliary_mentor_years = models.PositiveSmallIntegerField(
        _("years of experience an auxiliary mentor needs"),
        default=5,
        validators=[MaxValueValidator(60)],
        help_text=_(
            "A worker who does not meet the rules above may still mentor as an auxiliary with this "
            "much experience."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("supervision rules")
        verbose_name_plural = _("supervision rules")

    def __str__(self) -> str:
        return str(_("Supervision rules"))

    def norm(self, *, only_duty: bool) -> int:
        """The most supervisees a supervisor may have (contract ``support.md``, "Supervision")."""
        return self.supervisees_when_only_duty if only_duty else self.supervisees_otherwise


class SupervisionRelationship(models.Model):
    """A supervisor (a worker) supervises a supervisee (a worker) from ``start_date`` to ``end_date``
    (empty: still running). Active on D when ``start_date <= D`` and (no end or ``end_date >= D``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    supervisor = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="supervising", verbose_name=_("supervisor")
    )
    supervisee = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="supervised_by", verbose_name=_("supervisee")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=SupervisionKind.choices, default=SupervisionKind.SUPPORTIVE
    )
    mode = models.CharField(
        _("mode"), max_length=20, choices=SupervisionMode.choices, default=SupervisionMode.INDIVIDUAL
    )
    supervision_only_duty = models.BooleanField(
        _("supervising is the supervisor's only duty"),
        default=False,
        help_text=_("Sets the supervisor's norm: 10 supervisees when it is their only duty, 6 otherwise."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["supervisor_id", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "supervisee", "start_date"], name="one_relationship_per_pair_and_start"
            ),
            models.CheckConstraint(condition=~Q(supervisor=F("supervisee")), name="no_self_supervision"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="supervision_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["supervisee", "start_date"], name="support_rel_supervisee"),
            models.Index(fields=["start_date", "end_date"], name="support_rel_period"),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor_id} -> {self.supervisee_id} ({self.start_date})"


class SupervisionSession(models.Model):
    """A supervision session a supervisor held with a supervisee on a day."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    supervisor = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="sessions_held", verbose_name=_("supervisor")
    )
    supervisee = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="sessions_received", verbose_name=_("supervisee")
    )
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=SupervisionKind.choices, default=SupervisionKind.SUPPORTIVE
    )
    topics = models.CharField(_("topics"), max_length=500, blank=True, validators=[PrintableTextValidator()])
    source = models.CharField(
        _("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.ENTERED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "supervisee", "date"], name="one_session_per_pair_and_day"
            ),
            models.CheckConstraint(condition=~Q(supervisor=F("supervisee")), name="no_self_session"),
        ]
        indexes = [models.Index(fields=["supervisee", "date"], name="support_session_supervisee")]

    def __str__(self) -> str:
        return f"{self.supervisor_id} -> {self.supervisee_id} on {self.date}"


CASELOAD_KIND_ALL = "all"


class Caseload(models.Model):
    """A worker's number of open cases at the end of a month, of a kind (``all`` unless the country
    distinguishes kinds). One per worker, month and kind: a later sync or import replaces it.

    ``month`` is the month's first day."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="caseloads")
    month = models.DateField(_("month"))
    kind = models.CharField(
        _("kind"), max_length=50, default=CASELOAD_KIND_ALL, validators=[PrintableTextValidator()]
    )
    open_cases = models.PositiveIntegerField(_("open cases"), validators=[MaxValueValidator(100_000)])
    source = models.CharField(
        _("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.ENTERED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["-month", "worker_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "month", "kind"], name="one_caseload_per_worker_month_kind"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="caseload_month_first_day"),
        ]
        indexes = [models.Index(fields=["month", "kind", "worker"], name="support_caseload_month")]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.month:%Y-%m} {self.kind}: {self.open_cases}"


class CaseloadNorm(models.Model):
    """The most open cases of a kind a worker of a cadre should carry (e.g. CWLA: 12 investigations a
    month, 17 families in ongoing services, 12-15 children in foster care)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="caseload_norms")
    kind = models.CharField(
        _("kind"), max_length=50, default=CASELOAD_KIND_ALL, validators=[PrintableTextValidator()]
    )
    maximum_open_cases = models.PositiveIntegerField(
        _("most open cases"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        validators=[PrintableTextValidator()],
        help_text=_("Where the norm comes from, e.g. a national standard or CWLA."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["cadre__code", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "kind"], name="one_caseload_norm_per_cadre_kind")
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.kind}: {self.maximum_open_cases}"
