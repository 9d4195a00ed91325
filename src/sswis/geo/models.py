"""The location tree and the child population that every per-100,000 indicator divides by."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.concurrency import Versioned
from sswis.geo.boundaries import geometry_problem


class Setting(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")
    MIXED = "mixed", _("Mixed")


class Location(Versioned):
    """A node of the country's administrative tree (country > region > district > ...).

    ``path`` is a materialised path of primary keys, each followed by ``/`` (``"1/5/23/"``), so "this
    location and everything under it" is one indexed prefix query: ``path__startswith=location.path``.
    It is maintained by ``sswis.geo.services`` only.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    level = models.CharField(
        max_length=50, blank=True, help_text=gettext_lazy("Label of the level, e.g. region, district.")
    )
    setting = models.CharField(max_length=10, choices=Setting.choices, blank=True)
    dhis2_uid = models.CharField(
        max_length=11, blank=True, help_text=gettext_lazy("DHIS2 organisation unit uid, if mapped.")
    )
    boundary = models.JSONField(
        null=True, blank=True, help_text=gettext_lazy("GeoJSON geometry of the boundary.")
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory()

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        """Refuse a boundary that is not a valid GeoJSON Polygon or MultiPolygon (WGS 84)."""
        super().clean()
        if self.boundary is not None:
            problem = geometry_problem(self.boundary)
            if problem:
                raise ValidationError({"boundary": problem})

    def is_ancestor_or_self_of(self, other: Location) -> bool:
        return bool(self.path) and other.path.startswith(self.path)


class PopulationEstimate(Versioned):
    """Child population (aged 0-17) of a location in a year; ``total`` is the whole population if known."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="population_estimates")
    year = models.PositiveSmallIntegerField()
    children = models.PositiveIntegerField()
    total = models.PositiveBigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory()

    class Meta:
        ordering = ["location__path", "year"]
        constraints = [
            models.UniqueConstraint(fields=["location", "year"], name="population_one_per_location_year"),
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(total__gte=models.F("children")),
                name="population_total_not_below_children",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location.code} {self.year}: {self.children}"
