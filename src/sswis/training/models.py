"""Developing the workforce: training institutions with their accreditation periods, programmes (their
kind, the cadres they prepare for, the competencies they build, the day the government recognised them,
whether they certify to work with child victims), instructors, yearly intakes and completions. Competency
frameworks are in ``models_competencies``, the field practicum in ``models_practicum`` (imported here, so
that Django finds their models when it loads this module).

Dates decide: a completion certifies when its programme was recognised, as certifying, on the completion
date (contract ``indicators.md``, "Licensed and certified"), so every figure can be computed for a past
year. Every change is audited with its author.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.geo.models import Location
from sswis.registry.models import Cadre, EducationLevel, Organisation, Worker
from sswis.text import PrintableTextValidator
from sswis.training import models_competencies, models_practicum  # noqa: F401  (Django finds their models here)


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    COLLEGE = "college", _("College")
    NGO_TRAINING_UNIT = "ngo_training_unit", _("NGO training unit")
    ONLINE_PLATFORM = "online_platform", _("Online learning platform")
    OTHER = "other", _("Other")


class TrainingInstitution(models.Model):
    """A university, college, NGO training unit or online platform that trains the workforce."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=50, unique=True, validators=[PrintableTextValidator()])
    name = models.CharField(_("name"), max_length=200, unique=True, validators=[PrintableTextValidator()])
    kind = models.CharField(
        _("kind"), max_length=20, choices=InstitutionKind.choices, default=InstitutionKind.OTHER
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_institutions",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_institutions",
        help_text=_("The registry's organisation that runs it, where there is one."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Accreditation(models.Model):
    """A period during which an institution is accredited (``valid_until`` empty: open-ended)."""

    institution = models.ForeignKey(
        TrainingInstitution, on_delete=models.CASCADE, related_name="accreditations"
    )
    accredited_by = models.CharField(
        _("accredited by"), max_length=200, validators=[PrintableTextValidator()]
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["institution", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="accreditation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.valid_from} - {self.valid_until or ''}"


class ProgrammeKind(models.TextChoices):
    """The kinds of ``programmes.csv`` (template version 2)."""

    PRE_SERVICE_DEGREE = "pre_service_degree", _("Pre-service degree")
    PRE_SERVICE_DIPLOMA = "pre_service_diploma", _("Pre-service diploma")
    PRE_SERVICE_CERTIFICATE = "pre_service_certificate", _("Pre-service certificate")
    IN_SERVICE = "in_service", _("In-service course")
    ONLINE_COURSE = "online_course", _("Online course")


PRE_SERVICE_KINDS = frozenset(
    {
        ProgrammeKind.PRE_SERVICE_DEGREE,
        ProgrammeKind.PRE_SERVICE_DIPLOMA,
        ProgrammeKind.PRE_SERVICE_CERTIFICATE,
    }
)
"""The kinds whose graduates enter the workforce (the projection's ``graduates_t``)."""


class Programme(models.Model):
    """A training programme. It certifies to work with child victims on a day when it is recognised by
    the government (``government_recognised_from`` on or before that day) and ``certifies_child_victims``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=50, unique=True, validators=[PrintableTextValidator()])
    name = models.CharField(_("name"), max_length=200, validators=[PrintableTextValidator()])
    institution = models.ForeignKey(
        TrainingInstitution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ProgrammeKind.choices)
    duration_months = models.PositiveSmallIntegerField(
        _("duration in months"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    awards_education = models.CharField(
        _("education level it awards"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    cadres = models.ManyToManyField(
        Cadre, verbose_name=_("cadres it prepares for"), blank=True, related_name="training_programmes"
    )
    government_recognised_from = models.DateField(
        _("recognised by the government from"), null=True, blank=True
    )
    certifies_child_victims = models.BooleanField(
        _("certifies to work with child victims of violence"), default=False
    )
    practicum_hours = models.PositiveIntegerField(
        _("field practicum hours required"), default=0, validators=[MaxValueValidator(10000)]
    )
    supervisor_experience_years = models.PositiveSmallIntegerField(
        _("years of experience a practicum supervisor needs"), default=0, validators=[MaxValueValidator(50)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Instructor(models.Model):
    """A person who teaches at an institution, with their qualification; the programmes they teach."""

    institution = models.ForeignKey(TrainingInstitution, on_delete=models.CASCADE, related_name="instructors")
    name = models.CharField(_("name"), max_length=200, validators=[PrintableTextValidator()])
    qualification = models.CharField(
        _("highest qualification"),
        max_length=20,
        choices=EducationLevel.choices,
        default=EducationLevel.UNKNOWN,
    )
    field = models.CharField(_("field"), max_length=200, blank=True, validators=[PrintableTextValidator()])
    full_time = models.BooleanField(_("full time"), default=True)
    programmes = models.ManyToManyField(Programme, blank=True, related_name="instructors")
    active_from = models.DateField(_("teaching from"), null=True, blank=True)
    active_until = models.DateField(_("teaching until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["institution", "name"]

    def __str__(self) -> str:
        return self.name


class Intake(models.Model):
    """The students a programme enrolled in a year."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="intakes")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    enrolled = models.PositiveIntegerField(_("students enrolled"), validators=[MaxValueValidator(1_000_000)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="one_intake_per_programme_year")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.year}: {self.enrolled}"


class CompletionSource(models.TextChoices):
    ENTERED = "entered", _("Entered on a page or through the API")
    TEMPLATE = "template", _("Mapping template (completions.csv)")
    PLATFORM = "platform", _("Institution's or online platform's list")


class Completion(models.Model):
    """A worker completed a programme on a day (``completions.csv``: identified by worker, programme and
    day), with the certificate's number when there is one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="completions")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField(_("completed on"))
    certificate_number = models.CharField(
        _("certificate number"), max_length=100, blank=True, validators=[PrintableTextValidator()]
    )
    source = models.CharField(
        max_length=20, choices=CompletionSource.choices, default=CompletionSource.ENTERED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory()

    class Meta:
        ordering = ["-completed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "programme", "completed_on"], name="one_completion_per_worker_programme_day"
            )
        ]
        indexes = [
            # Who is certified on a day (``sswis.indicators.certified``): each certifying programme's
            # completions from its recognition to the day, the worker read from the index itself (an
            # index-only scan on PostgreSQL); it serves the searches by programme and day too.
            models.Index(fields=["programme", "completed_on", "worker"]),
            models.Index(fields=["worker", "completed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.completed_on}"


class UnmatchedCompletion(models.Model):
    """A completion from an institution's or platform's list whose person matched no registry worker (by
    worker id, national id or e-mail): kept, never dropped, until someone matches it to a worker (it then
    becomes a :class:`Completion`) or sets it aside with a reason."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="unmatched_completions")
    person_identifier = models.CharField(
        _("person identifier"), max_length=200, validators=[PrintableTextValidator()]
    )
    person_name = models.CharField(
        _("name"), max_length=300, blank=True, validators=[PrintableTextValidator()]
    )
    completed_on = models.DateField(_("completed on"))
    certificate_number = models.CharField(
        _("certificate number"), max_length=100, blank=True, validators=[PrintableTextValidator()]
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    row_number = models.PositiveIntegerField(_("row"), null=True, blank=True)
    matched = models.ForeignKey(
        Completion, null=True, blank=True, on_delete=models.SET_NULL, related_name="unmatched_origin"
    )
    set_aside_reason = models.CharField(
        _("reason set aside"), max_length=500, blank=True, validators=[PrintableTextValidator()]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person_identifier", "completed_on"], name="one_unmatched_per_person_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_identifier} {self.completed_on}"
