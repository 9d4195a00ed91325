"""Professional associations (national, or of a region) and the memberships of workers in them, with dates.

A worker is a **member on** D of an association when one of their memberships of it has ``member_from <= D``
and (``member_until`` empty or ``>= D``). A worker's memberships of one association never share a day
(``support.associations`` refuses an overlap), so on any day a worker is a member of an association once at
most.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.geo.models import Location
from sswis.registry.models import Worker
from sswis.text import PrintableTextValidator

EARLIEST_FOUNDED = 1800


class AssociationScope(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")


class MembershipKind(models.TextChoices):
    FULL = "full", _("Full member")
    ASSOCIATE = "associate", _("Associate member")
    STUDENT = "student", _("Student member")


class Association(models.Model):
    """A professional association of the workforce (e.g. a national association of social workers), of
    the whole country or of one region (``region``: a location of the geo tree, and everything below it)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=50, unique=True, validators=[PrintableTextValidator()])
    name = models.CharField(_("name"), max_length=200, unique=True, validators=[PrintableTextValidator()])
    scope = models.CharField(
        _("scope"), max_length=20, choices=AssociationScope.choices, default=AssociationScope.NATIONAL
    )
    region = models.ForeignKey(
        Location,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="associations",
        help_text=_("The part of the country a regional association covers; empty for a national one."),
    )
    founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_FOUNDED), MaxValueValidator(2200)],
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="national", region__isnull=True)
                | Q(scope="regional", region__isnull=False),
                name="association_region_when_regional",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Membership(models.Model):
    """A worker's membership of an association from ``member_from`` to ``member_until`` (empty: current)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="association_memberships", verbose_name=_("worker")
    )
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("association")
    )
    member_from = models.DateField(_("member from"))
    member_until = models.DateField(_("member until"), null=True, blank=True)
    number = models.CharField(
        _("membership number"), max_length=50, blank=True, validators=[PrintableTextValidator()]
    )
    kind = models.CharField(
        _("kind of membership"), max_length=20, choices=MembershipKind.choices, default=MembershipKind.FULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["association_id", "-member_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member_until__isnull=True) | Q(member_until__gte=F("member_from")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["association", "number"],
                condition=~Q(number=""),
                name="one_membership_number_per_association",
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "association"], name="support_membership_worker"),
            models.Index(fields=["association", "member_from"], name="support_membership_assoc"),
            models.Index(fields=["member_from", "member_until"], name="support_membership_period"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} in {self.association_id} from {self.member_from}"

    def active_on(self, day: datetime.date) -> bool:
        """Whether the membership holds on ``day``."""
        return self.member_from <= day and (self.member_until is None or self.member_until >= day)
