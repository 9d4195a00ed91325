"""The record of every export of personal data: who exported which list, with which filters, when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel workbook (XLSX)")


class ExportRecord(models.Model):
    """One export, written when it starts (append-only; never changed afterwards).

    ``filters`` holds the filters as given (location, organisation and cadre codes) and, instead of the
    search text (often a person's name), only ``"search_used": true`` when there was one; and
    ``row_count`` the number of rows the file holds. ``username`` keeps the name should the account be
    renamed; the account itself is never deleted while a record points to it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exports")
    username = models.CharField(max_length=150)
    subject = models.CharField(max_length=40)  # "workers", later other lists
    file_format = models.CharField(max_length=10, choices=ExportFormat.choices)
    filters = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.username} exported {self.row_count} {self.subject} as {self.file_format}"
