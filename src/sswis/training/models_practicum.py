"""The field practicum: students (who may not yet be workers) placed at an organisation under a
supervisor, with hours planned and done and an evaluation; and the places organisations offer.

A supervisor is a registry worker; the experience the programme asks (``Programme.
supervisor_experience_years``) and their being registered are checked by ``practicum.placement_create``.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.registry.models import Organisation, Sex, Worker
from sswis.text import PrintableTextValidator


class Student(models.Model):
    """A student of a programme: personal data, seen by their institution and the national data manager."""

    programme = models.ForeignKey("training.Programme", on_delete=models.PROTECT, related_name="students")
    student_number = models.CharField(
        _("student number"), max_length=64, validators=[PrintableTextValidator()]
    )
    given_name = models.CharField(_("given name"), max_length=150, validators=[PrintableTextValidator()])
    family_name = models.CharField(_("family name"), max_length=150, validators=[PrintableTextValidator()])
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    intake_year = models.PositiveSmallIntegerField(
        _("intake year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    worker = models.ForeignKey(
        Worker,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student_records",
        help_text=_("The registry's worker, once the student is one."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["family_name", "given_name", "student_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "student_number"], name="one_student_number_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.student_number})"


class PracticumOffer(models.Model):
    """Places an organisation offers for field practicum in a year."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="practicum_offers")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    places = models.PositiveIntegerField(_("places"), validators=[MaxValueValidator(10000)])
    history = AuditHistory()

    class Meta:
        ordering = ["year", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_practicum_offer_per_organisation_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}: {self.places}"


class Evaluation(models.TextChoices):
    NOT_EVALUATED = "not_evaluated", _("Not evaluated yet")
    UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")
    SATISFACTORY = "satisfactory", _("Satisfactory")
    GOOD = "good", _("Good")
    EXCELLENT = "excellent", _("Excellent")


class Placement(models.Model):
    """A student's field practicum at an organisation under a supervisor."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="placements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="practicum_placements"
    )
    supervisor = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="practicum_supervisions")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    hours_planned = models.PositiveIntegerField(_("hours planned"), validators=[MaxValueValidator(10000)])
    hours_done = models.PositiveIntegerField(
        _("hours done"), default=0, validators=[MaxValueValidator(10000)]
    )
    evaluation = models.CharField(
        _("evaluation"), max_length=20, choices=Evaluation.choices, default=Evaluation.NOT_EVALUATED
    )
    evaluation_notes = models.TextField(
        _("evaluation notes"), blank=True, validators=[PrintableTextValidator(multiline=True)]
    )
    ended_early_on = models.DateField(
        _("ended early on"),
        null=True,
        blank=True,
        help_text=_("The last day of a placement that ended before its planned end; empty otherwise."),
    )
    end_reason = models.CharField(
        _("why it ended early"), max_length=500, blank=True, validators=[PrintableTextValidator()]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="placement_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} at {self.organisation_id} ({self.starts_on})"
