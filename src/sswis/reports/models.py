"""The report history: one record per country workforce profile asked for (page, API or command line),
kept with its file.

A record says who asked for it (a user; nobody from the command line: the server's operator), when, of
which location and year, in which language and format, whether it is meant for publication (then every
small cell is withheld, whoever asked), and which data it came from (``fingerprint``: a digest of the
indicators' data stamp and of the newest change of the planning and quality rows; ``data_updated_at``: the
newest change of the registry's rows). While it is made, ``progress`` (0-100) and ``stage`` say how far it
is; then the file, or the error that stopped it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.geo.models import Location


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    HTML = "html", _("Web page (HTML)")


class ReportOrigin(models.TextChoices):
    COMMAND = "command", _("Command line")
    PAGE = "page", _("Page")
    API = "api", _("API")


class ProfileReport(models.Model):
    """One country workforce profile ("state of the social service workforce") of a location and year."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profile_reports",
        verbose_name=_("asked by"),
    )
    origin = models.CharField(_("asked from"), max_length=10, choices=ReportOrigin.choices)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="profile_reports", verbose_name=_("location")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=10)
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    publication = models.BooleanField(_("for publication"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    fingerprint = models.CharField(_("data fingerprint"), max_length=64, blank=True)
    data_stamp = models.CharField(_("indicator data stamp"), max_length=64, blank=True)
    data_updated_at = models.DateTimeField(_("newest registry change"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="reports/profiles/%Y/", blank=True, max_length=300)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0, help_text=_("of a PDF; 0 for HTML"))
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("workforce profile")
        verbose_name_plural = _("workforce profiles")

    def __str__(self) -> str:
        return f"{self.location.code} {self.year} {self.language} {self.format} ({self.status})"

    @property
    def file_name(self) -> str:
        """The name the download is saved under: ``profile-<location>-<year>-<language>.<format>``."""
        suffix = "-publication" if self.publication else ""
        return f"profile-{self.location.code}-{self.year}-{self.language}{suffix}.{self.format}"
