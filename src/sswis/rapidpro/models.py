"""SMS through RapidPro (docs/support.md, "SMS through RapidPro").

* ``WebhookToken``: a secret a RapidPro flow sends (``Authorization: Token <secret>``) when it calls the
  webhook; only its SHA-256 digest is stored. Each token has its own system user, the author of the audit
  records of what arrives with it (``sms-<name>``: no password, no role).
* ``WebhookCall``: one call of the webhook with a known token and what became of it (a log, for the
  national data manager's page: not audited, never changed).
* ``Reminder``: one reminder sent as RapidPro broadcasts (who was due, how many were reached).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.registry.models import Worker
from sswis.text import PrintableTextValidator


class WebhookToken(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True, validators=[PrintableTextValidator()])
    digest = models.CharField(max_length=64, unique=True, editable=False)  # SHA-256 of the secret, hex
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="rapidpro_token",
        editable=False,
        help_text=_("The system user that authors the changes arriving with this token."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = AuditHistory(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("RapidPro webhook token")

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class WebhookKind(models.TextChoices):
    SESSION = "session", _("Supervision session")
    CASELOAD = "caseload", _("Caseload")


class CallStatus(models.TextChoices):
    """What became of a call; the same word is the ``status`` of the webhook's answer."""

    RECORDED = "recorded", _("Recorded")
    UNCHANGED = "unchanged", _("Unchanged (the same figure again)")
    DUPLICATE = "duplicate", _("Refused: already recorded")
    UNKNOWN_PHONE = "unknown_phone", _("Refused: no worker has this phone number")
    AMBIGUOUS_PHONE = "ambiguous_phone", _("Refused: several workers have this phone number")
    NO_SUPERVISOR = "no_supervisor", _("Refused: no supervisor on that day")
    SEVERAL_SUPERVISORS = "several_supervisors", _("Refused: several supervisors on that day")
    INVALID = "invalid", _("Refused: a value is wrong")
    REVOKED = "revoked", _("Refused: the token is revoked")


class WebhookCall(models.Model):
    token = models.ForeignKey(WebhookToken, on_delete=models.CASCADE, related_name="calls")
    kind = models.CharField(_("kind"), max_length=20, choices=WebhookKind.choices)
    status = models.CharField(_("status"), max_length=30, choices=CallStatus.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)  # normalised: digits with country code
    worker = models.ForeignKey(Worker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    field = models.CharField(_("field"), max_length=50, blank=True)  # the refused value's result name
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.created_at:%Y-%m-%d %H:%M}"


class ReminderKind(models.TextChoices):
    SESSIONS = "sessions", _("No supervision session this quarter")
    CASELOADS = "caseloads", _("No caseload for last month")


class ReminderStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    PARTLY_SENT = "partly_sent", _("Partly sent (RapidPro refused a broadcast)")
    FAILED = "failed", _("Failed (RapidPro refused the first broadcast)")
    NOBODY = "nobody", _("Nobody to remind")


class Reminder(models.Model):
    """One run of ``sswis rapidpro remind`` for one kind (a dry run is not kept)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    period = models.CharField(_("period"), max_length=10)  # "2025-Q2" (sessions) or "2025-05" (caseloads)
    server = models.CharField(_("RapidPro server"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=ReminderStatus.choices)
    due = models.PositiveIntegerField(_("workers due"))
    reached = models.PositiveIntegerField(_("workers sent to"))
    not_reachable = models.PositiveIntegerField(_("workers without a phone number"))
    broadcasts = models.JSONField(_("broadcast ids"), default=list)
    problem = models.CharField(_("problem"), max_length=500, blank=True)
    text = models.CharField(_("text"), max_length=640)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} {self.status}"
