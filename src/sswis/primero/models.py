"""The sync history: one record per caseload sync from Primero (command line or page), kept for good.

A record says who ran it (a user from the page; nobody from the command line: the server's operator),
when, against which server (its address without credentials), for which month, whether it was a dry run,
and what came of it: the open cases and pages read, the workers matched, the caseloads created, changed,
unchanged and set back to 0, the Primero user names that matched no worker (or several), or the error
that stopped it (then nothing was written). The unmatched user names are Primero accounts, not workers of
the registry: the history is shown to national data managers and system administrators only
(``access.primero_policy``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class SyncOrigin(models.TextChoices):
    COMMAND = "command", _("Command line")
    PAGE = "page", _("Page")


class PrimeroSync(models.Model):
    """One sync of the month's caseloads from Primero's open cases (``primero.sync``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="primero_syncs",
        verbose_name=_("user"),
    )
    origin = models.CharField(_("run from"), max_length=10, choices=SyncOrigin.choices)
    url = models.CharField(_("Primero server"), max_length=500, help_text=_("without credentials"))
    month = models.DateField(_("month"))
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SyncStatus.choices, default=SyncStatus.QUEUED
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    open_cases = models.PositiveIntegerField(_("open cases read"), default=0)
    pages = models.PositiveIntegerField(_("pages read"), default=0)
    matched = models.PositiveIntegerField(_("workers matched"), default=0)
    created = models.PositiveIntegerField(_("caseloads created"), default=0)
    updated = models.PositiveIntegerField(_("caseloads changed"), default=0)
    unchanged = models.PositiveIntegerField(_("caseloads unchanged"), default=0)
    cleared = models.PositiveIntegerField(_("caseloads set back to 0"), default=0)
    unmatched = models.JSONField(
        _("unmatched user names"),
        default=list,
        blank=True,
        help_text=_('[{"user_name": ..., "open_cases": ...}]: owners of open cases that match no worker'),
    )
    ambiguous = models.JSONField(
        _("ambiguous user names"),
        default=list,
        blank=True,
        help_text=_(
            '[{"user_name": ..., "open_cases": ..., "workers": N}]: names that several workers carry'
        ),
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Primero sync")
        verbose_name_plural = _("Primero syncs")

    def __str__(self) -> str:
        return f"{self.url} {self.month:%Y-%m} ({self.status})"
