"""The SP 3.a.1 quality-assurance score (contract ``quality-score.md``, version 1): the inventory of the
normative framework (criterion 1's evidence) and the scores of record, one per year and criterion.

A score of record is what a national data manager records, with evidence (a text, links, a file). For
criteria 2-4 it keeps the proposal sswis made from the data when it was recorded (``proposed`` and its
``proposal_reasons``), whether the score accepted it and, when it did not, the reason. Recording a criterion
again changes the row; the earlier scores stay in its history (django-simple-history, with the author).

Files (an instrument's text, a score's evidence) are kept in Django's default storage (``MEDIA_ROOT``, under
``DATA_DIR``) and served only through the access-checked pages, never as public media.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.registry.models import Cadre
from sswis.text import PrintableTextValidator

SCORE_MINIMUM, SCORE_MAXIMUM = 1, 4


class InstrumentKind(models.TextChoices):
    POLICY = "policy", _("Policy")
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    STANDARD = "standard", _("Standard")
    CODE_OF_ETHICS = "code_of_ethics", _("Code of ethics")
    STRATEGY = "strategy", _("Strategy or plan")
    GUIDELINE = "guideline", _("Guideline")
    OTHER = "other", _("Other")


class InstrumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    IN_FORCE = "in_force", _("In force")
    UNDER_REVIEW = "under_review", _("Under review")
    REPEALED = "repealed", _("Repealed")


class Criterion(models.TextChoices):
    """The four criteria of SP 3.a.1, in the contract's order; the values are the contract's JSON keys."""

    FRAMEWORK = "framework", _("Normative framework")
    SUPERVISION = "supervision", _("Supervision and support")
    LICENSING = "licensing", _("Licensing or accreditation")
    HRIS = "hris", _("Human resource information system")


CRITERION_NUMBER = {
    Criterion.FRAMEWORK: 1,
    Criterion.SUPERVISION: 2,
    Criterion.LICENSING: 3,
    Criterion.HRIS: 4,
}
PROPOSED_CRITERIA = (Criterion.SUPERVISION, Criterion.LICENSING, Criterion.HRIS)
"""The criteria sswis proposes a score for (criterion 1 never: it comes from the inventory)."""


class Instrument(models.Model):
    """One instrument of the normative framework: a policy, law, regulation, standard, code of ethics,
    strategy or plan, guideline. ``whole_workforce``: it covers every cadre; otherwise ``cadres`` says
    which. ``in_force_until`` empty: no end known."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices)
    title = models.CharField(_("title"), max_length=300, validators=[PrintableTextValidator()])
    reference = models.CharField(
        _("reference or number"), max_length=100, blank=True, validators=[PrintableTextValidator()]
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, blank=True, validators=[PrintableTextValidator()]
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=InstrumentStatus.choices)
    whole_workforce = models.BooleanField(_("covers the whole workforce"), default=True)
    cadres = models.ManyToManyField(Cadre, blank=True, related_name="instruments", verbose_name=_("cadres"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="quality/instruments/%Y/", blank=True, max_length=300)
    file_name = models.CharField(
        _("file name"), max_length=255, blank=True, validators=[PrintableTextValidator()]
    )
    notes = models.TextField(
        _("notes"), max_length=4000, blank=True, validators=[PrintableTextValidator(multiline=True)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory(m2m_fields=[cadres])

    class Meta:
        ordering = ["kind", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class CriterionScore(models.Model):
    """The score of record of one criterion for one year (1-4), with its evidence.

    ``proposed`` and ``proposal_reasons``: sswis's proposal for the year when the score was recorded
    (criteria 2-4; empty for criterion 1). ``accepted``: the score equals the proposal (``None`` for
    criterion 1). ``override_reason``: why the score differs from the proposal (required then)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    criterion = models.CharField(_("criterion"), max_length=20, choices=Criterion.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MINIMUM), MaxValueValidator(SCORE_MAXIMUM)]
    )
    evidence = models.TextField(
        _("evidence"), max_length=4000, blank=True, validators=[PrintableTextValidator(multiline=True)]
    )
    links = models.JSONField(_("links"), default=list, blank=True)
    file = models.FileField(_("evidence file"), upload_to="quality/evidence/%Y/", blank=True, max_length=300)
    file_name = models.CharField(
        _("file name"), max_length=255, blank=True, validators=[PrintableTextValidator()]
    )
    proposed = models.PositiveSmallIntegerField(_("proposed score"), null=True, blank=True)
    proposal_reasons = models.JSONField(_("reasons of the proposal"), default=dict, blank=True)
    accepted = models.BooleanField(_("accepted the proposal"), null=True, blank=True)
    override_reason = models.TextField(
        _("reason for another score"),
        max_length=2000,
        blank=True,
        validators=[PrintableTextValidator(multiline=True)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    history = AuditHistory()

    class Meta:
        ordering = ["year", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["year", "criterion"], name="quality_score_year_criterion_unique"),
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MINIMUM, score__lte=SCORE_MAXIMUM),
                name="quality_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.criterion}: {self.score}"

    @property
    def number(self) -> int:
        return CRITERION_NUMBER[Criterion(self.criterion)]
