"""Who may see and change what: one role and scope per user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from simple_history import register
from simple_history.models import HistoricalRecords

from sswis.geo.models import Location
from sswis.registry.models import Organisation


class Role(models.TextChoices):
    SYSTEM_ADMINISTRATOR = "system_administrator", _("System administrator")
    NATIONAL_DATA_MANAGER = "national_data_manager", _("National data manager")
    SUBNATIONAL_OFFICER = "subnational_officer", _("Subnational officer")
    ORGANISATION_FOCAL_POINT = "organisation_focal_point", _("Organisation HR focal point")
    ANALYST = "analyst", _("Analyst (aggregates only)")
    REGISTRAR = "registrar", _("Registrar of a regulatory body")
    WORKER = "worker", _("Worker (their own record only)")
    INSTITUTION_FOCAL_POINT = "institution_focal_point", _("Training institution focal point")


class UserScope(models.Model):
    """The role of a user and, for scoped roles, the location subtree or organisation it covers.

    A user without a ``UserScope`` is an outsider: refused everywhere.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scope")
    role = models.CharField(max_length=30, choices=Role.choices)
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=gettext_lazy("Required for a subnational officer: the root of the subtree they cover."),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=gettext_lazy("Required for an organisation HR focal point."),
    )
    # By name, not by import: the regulation domain sits beside the registry and imports this app.
    regulatory_body = models.ForeignKey(
        "regulation.RegulatoryBody",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=gettext_lazy("Required for a registrar: the regulatory body whose registers they keep."),
    )
    training_institution = models.ForeignKey(
        "training.TrainingInstitution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=gettext_lazy(
            "Required for a training institution focal point: the institution they manage."
        ),
    )
    worker = models.OneToOneField(
        "registry.Worker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="login_scope",
        help_text=gettext_lazy("Required for a worker's own login: the worker's record."),
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="subnational_officer") | models.Q(location__isnull=False),
                name="subnational_officer_has_location",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="organisation_focal_point") | models.Q(organisation__isnull=False),
                name="focal_point_has_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="registrar") | models.Q(regulatory_body__isnull=False),
                name="registrar_has_body",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="worker") | models.Q(worker__isnull=False),
                name="worker_login_has_worker",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="institution_focal_point")
                | models.Q(training_institution__isnull=False),
                name="institution_focal_point_has_institution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


# API tokens are knox's: every creation and revocation (who, when, for whom, expiry) is kept in the
# audit trail of this app. The history keeps the digest, never the token nor knox's lookup key (the
# token's first characters).
register(AuthToken, app="sswis.access", excluded_fields=["token_key"])


class UserLanguage(models.Model):
    """The language a user chose for the interface (one of ``settings.LANGUAGES``). Without one, the
    browser's cookie or ``Accept-Language`` decides, then ``SSWIS_LANGUAGE``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user} — {self.language}"
