"""The import history: one record per import (command line or browser), kept for good.

A record holds who imported what and when, the SHA-256 and size of the file as received (its copy is kept
under ``DATA_DIR/imports/<uuid>/`` until ``sswis imports_prune`` deletes it with the report's problems), the mode, the status of the background job, the counts per file and
the whole report (every problem). The report is large for a large template with many problems: lists
load everything but it (see ``selectors.import_record_list``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from sswis.imports.modes import ImportMode


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted")


class ImportRecord(models.Model):
    """One import of a mapping template. ``finished`` means the import ran (it may still have found
    errors and imported nothing: see ``imported`` and the report); ``failed`` means it could not run
    (``failure`` says why); ``interrupted`` means its worker stopped before it finished (the process was
    killed, the machine restarted): the import is one transaction, so nothing was written
    (``services.import_records_interrupted_mark``). ``pruned_at``: when the kept file and the problems
    were deleted (``services.import_records_prune``); the record's facts and counts stay."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="import_records"
    )
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(
        max_length=500, help_text=gettext_lazy("the kept copy, relative to DATA_DIR")
    )
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField(help_text=gettext_lazy("bytes"))
    mode = models.CharField(max_length=32, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    encoding = models.CharField(
        max_length=40,
        blank=True,
        help_text=gettext_lazy("character set of CSV files as given by the user; empty: detected"),
    )
    language = models.CharField(
        max_length=10,
        blank=True,
        help_text=gettext_lazy("language of the report (the uploader's); empty: the system's default"),
    )
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveBigIntegerField(default=0)
    imported = models.BooleanField(default=False)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    counts = models.JSONField(
        default=dict, blank=True, help_text=gettext_lazy("file -> read, created, updated, ...")
    )
    report = models.JSONField(
        default=dict, blank=True, help_text=gettext_lazy("report_as_dict of the import")
    )
    failure = models.TextField(blank=True)
    pruned_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("when the kept file and the problems were deleted (retention)"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_done(self) -> bool:
        return self.status in (ImportStatus.FINISHED, ImportStatus.FAILED, ImportStatus.INTERRUPTED)

    @property
    def mode_enum(self) -> ImportMode:
        return ImportMode(self.mode)

    def totals(self) -> dict[str, int]:
        """The counts of all files added up (``read``, ``created``, ``updated``, ``unchanged``, ``rejected``)."""
        total = dict.fromkeys(("read", "created", "updated", "unchanged", "rejected"), 0)
        for counts in self.counts.values():
            for key in total:
                total[key] += int(counts.get(key, 0))
        return total
