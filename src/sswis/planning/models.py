"""Planning's stored inputs: norms (target ratios). Every change is audited with its author."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.geo.models import Location
from sswis.registry.dates import EARLIEST_YEAR, LATEST_YEAR
from sswis.registry.models import Cadre, CadreCategory
from sswis.text import PrintableTextValidator


class NormGroup(models.TextChoices):
    """What a norm counts: the whole workforce, one cadre category or one cadre."""

    WORKFORCE = "workforce", _("Whole workforce")
    CATEGORY = "category", _("Cadre category")
    CADRE = "cadre", _("Cadre")


class Norm(models.Model):
    """A target ratio: ``target_per_100k`` workers of a group per 100,000 children, from the year
    ``valid_from``, at ``location`` and every location below it unless a lower location has its own
    (contract ``planning.md`` section 1: the nearest one wins; at the same location, the latest year
    that has begun wins). ``source`` says where it comes from (a national policy, a standard).

    The group is the whole workforce (no category, no cadre), a cadre category (``category``) or a cadre
    (``cadre``), as ``group`` says; at most one norm per location, group and year.
    """

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="norms")
    group = models.CharField(max_length=20, choices=NormGroup.choices)
    category = models.CharField(max_length=20, choices=CadreCategory.choices, blank=True)
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, null=True, blank=True, related_name="norms")
    target_per_100k = models.DecimalField(
        _("target per 100,000 children"),
        max_digits=10,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("100000"))],
    )
    valid_from = models.PositiveSmallIntegerField(
        _("valid from (year)"), validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)]
    )
    source = models.CharField(_("source"), max_length=255, validators=[PrintableTextValidator()])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["location__path", "group", "category", "cadre__code", "valid_from"]
        constraints = [
            models.CheckConstraint(
                name="norm_group_fields",
                condition=(
                    models.Q(group="workforce", category="", cadre__isnull=True)
                    | (models.Q(group="category", cadre__isnull=True) & ~models.Q(category=""))
                    | models.Q(group="cadre", category="", cadre__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["location", "group", "category", "valid_from"],
                condition=models.Q(cadre__isnull=True),
                name="norm_unique_without_cadre",
            ),
            models.UniqueConstraint(
                fields=["location", "cadre", "valid_from"],
                condition=models.Q(cadre__isnull=False),
                name="norm_unique_per_cadre",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location.code} {self.group_key} {self.target_per_100k} from {self.valid_from}"

    @property
    def group_key(self) -> dict[str, str]:
        """The indicators' group this norm is for: ``{}``, ``{"category": ...}`` or ``{"cadre": ...}``."""
        if self.group == NormGroup.CATEGORY:
            return {"category": self.category}
        if self.group == NormGroup.CADRE and self.cadre is not None:
            return {"cadre": self.cadre.code}
        return {}

    def clean(self) -> None:
        if self.group == NormGroup.WORKFORCE and (self.category or self.cadre_id):
            raise ValidationError(_("A norm for the whole workforce has no category and no cadre."))
        if self.group == NormGroup.CATEGORY and (not self.category or self.cadre_id):
            raise ValidationError(
                {"category": _("A norm for a cadre category names the category (and no cadre).")}
            )
        if self.group == NormGroup.CADRE and (not self.cadre_id or self.category):
            raise ValidationError({"cadre": _("A norm for a cadre names the cadre (and no category).")})


class Scenario(models.Model):
    """A stored projection scenario (contract ``planning.md`` section 3): its code, name, base year and
    horizon as columns, and the whole document it was given as (``document``, the contract's JSON),
    from which ``planning.scenarios.scenario_parse`` reads every parameter. ``location`` is where it is
    kept: who may change it (a subnational officer, scenarios of their area); anyone with a role may read
    and run it, since its results are aggregates."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[PrintableTextValidator()])
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="scenarios")
    base_year = models.PositiveSmallIntegerField(_("base year"))
    horizon = models.PositiveSmallIntegerField(_("horizon (years)"))
    document = models.JSONField(_("parameters"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


class WisnStudyRecord(models.Model):
    """A stored WHO WISN study (contract ``planning.md`` section 2): its code and name, the cadre,
    location and year as columns, and the whole study document (``document``, the contract's JSON) from
    which ``planning.wisn.wisn_study_parse`` reads every input. Changed by a national data manager, or a
    subnational officer for their area; read and run by anyone with a role (its results are aggregates)."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[PrintableTextValidator()])
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="wisn_studies")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="wisn_studies")
    year = models.PositiveSmallIntegerField(_("year"))
    document = models.JSONField(_("study"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


class SalaryScale(models.Model):
    """The yearly salary of a cadre at a grade from the year ``valid_from`` (``grade`` empty: the cadre's
    salary for posts without a grade of their own on the scale, and for workers without a post). A
    worker is paid at the grade of the post their reference assignment fills when the scale has that
    grade (the post's grade wins), else at the cadre's."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="salary_scales")
    grade = models.CharField(_("grade"), max_length=50, blank=True, validators=[PrintableTextValidator()])
    annual_salary = models.DecimalField(
        _("yearly salary"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    valid_from = models.PositiveSmallIntegerField(
        _("valid from (year)"), validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["cadre__code", "grade", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "grade", "valid_from"], name="salary_scale_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cadre.code} {self.grade or '-'} {self.annual_salary} from {self.valid_from}"


class CadreCost(models.Model):
    """What a worker of a cadre costs besides the salary, from the year ``valid_from``: on-costs as a share
    of the salary (pension, insurance, taxes) and yearly non-salary costs per worker."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="costs")
    valid_from = models.PositiveSmallIntegerField(
        _("valid from (year)"), validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)]
    )
    on_cost_rate = models.DecimalField(
        _("on-cost rate"),
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )
    supervision_per_worker = models.DecimalField(
        _("supervision a year per worker"), max_digits=14, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    transport_per_worker = models.DecimalField(
        _("transport a year per worker"), max_digits=14, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    training_per_worker = models.DecimalField(
        _("training a year per worker"), max_digits=14, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["cadre__code", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["cadre", "valid_from"], name="cadre_cost_unique")]

    def __str__(self) -> str:
        return f"{self.cadre.code} costs from {self.valid_from}"

    @property
    def non_salary_per_worker(self) -> Decimal:
        return self.supervision_per_worker + self.transport_per_worker + self.training_per_worker
