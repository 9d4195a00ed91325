"""Competency frameworks per cadre: areas, competencies with their levels, the level a cadre requires,
the competencies programmes build and the assessments recorded for workers.

A worker has a competency at a level when a completion of theirs is of a programme that builds it at that
level or higher, or an assessment of theirs records it at that level or higher (``selectors_competencies``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.registry.models import Cadre, Worker
from sswis.text import PrintableTextValidator

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class CompetencyFramework(models.Model):
    """The competencies a cadre needs, grouped into areas (one framework per cadre)."""

    cadre = models.OneToOneField(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="competency_framework"
    )
    name = models.CharField(_("name"), max_length=200, validators=[PrintableTextValidator()])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["cadre__code"]

    def __str__(self) -> str:
        return self.name


class CompetencyArea(models.Model):
    """A group of competencies of a framework (e.g. "Child protection case management")."""

    framework = models.ForeignKey(CompetencyFramework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=50, validators=[PrintableTextValidator()])
    name = models.CharField(_("name"), max_length=200, validators=[PrintableTextValidator()])
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = AuditHistory()

    class Meta:
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="one_area_code_per_framework")
        ]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    """A competency, known across frameworks by its code (programmes and assessments name it), with its
    levels (1 to ``levels``, e.g. 1 foundational, 2 intermediate, 3 advanced)."""

    code = models.CharField(_("code"), max_length=50, unique=True, validators=[PrintableTextValidator()])
    name = models.CharField(_("name"), max_length=300, validators=[PrintableTextValidator()])
    description = models.TextField(
        _("description"), blank=True, validators=[PrintableTextValidator(multiline=True)]
    )
    levels = models.PositiveSmallIntegerField(_("levels"), default=3, validators=LEVEL_VALIDATORS)
    survey_topic = models.CharField(
        _("perception survey training topic"),
        max_length=50,
        blank=True,
        help_text=_("The training topic of the perception survey that asks for this competency, if any."),
    )
    history = AuditHistory()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RequiredCompetency(models.Model):
    """A competency a framework's cadre requires, in one of its areas, at a level."""

    area = models.ForeignKey(CompetencyArea, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="requirements")
    level = models.PositiveSmallIntegerField(_("level required"), default=1, validators=LEVEL_VALIDATORS)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = AuditHistory()

    class Meta:
        ordering = ["area", "position", "competency__code"]
        constraints = [
            models.UniqueConstraint(fields=["area", "competency"], name="one_requirement_per_area_competency")
        ]

    def __str__(self) -> str:
        return f"{self.competency_id} >= {self.level}"


class ProgrammeCompetency(models.Model):
    """A competency a programme builds, up to a level."""

    programme = models.ForeignKey(
        "training.Programme", on_delete=models.CASCADE, related_name="competencies_built"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="programmes_building")
    level = models.PositiveSmallIntegerField(_("level"), default=1, validators=LEVEL_VALIDATORS)
    history = AuditHistory()

    class Meta:
        ordering = ["programme", "competency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "competency"], name="one_level_per_programme_competency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.competency_id} {self.level}"


class CompetencyAssessment(models.Model):
    """A competency recorded for a worker at a level on a day (e.g. by a supervisor's assessment)."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="competency_assessments")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="assessments")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.CharField(
        _("assessed by"), max_length=200, blank=True, validators=[PrintableTextValidator()]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditHistory()

    class Meta:
        ordering = ["-assessed_on", "id"]
        indexes = [models.Index(fields=["worker", "competency"])]

    def __str__(self) -> str:
        return f"{self.competency_id} {self.level} ({self.assessed_on})"
