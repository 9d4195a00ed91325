"""A merge of two worker records found to be the same person, and what it moved (``sswis.registry.merging``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory


class WorkerMerge(models.Model):
    """``merged`` was found to be the same person as ``surviving``; its rows were moved to ``surviving``.

    ``moved`` lists exactly which rows moved: ``{"<app_label>.<model>.<field>": [primary keys]}`` (the
    field is the foreign key to the worker that was changed, since one model may have two, such as a
    supervisor and a supervisee). An unmerge moves exactly those rows back; rows recorded on the
    surviving worker after the merge stay with it. Never deleted: an undone merge keeps its row with
    ``unmerged_at`` set, so the audit trail shows both.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    surviving = models.ForeignKey(
        "registry.Worker",
        on_delete=models.PROTECT,
        related_name="merges_survived",
        verbose_name=_("surviving"),
    )
    merged = models.ForeignKey(
        "registry.Worker", on_delete=models.PROTECT, related_name="merges_absorbed", verbose_name=_("merged")
    )
    reason = models.TextField(_("reason"))
    merged_at = models.DateTimeField(_("merged at"), db_index=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moved = models.JSONField(_("rows moved"), default=dict)
    unmerged_at = models.DateTimeField(_("unmerged at"), null=True, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unmerge_reason = models.TextField(_("unmerge reason"), blank=True)
    history = AuditHistory()

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("worker merge")
        verbose_name_plural = _("worker merges")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(surviving=models.F("merged")), name="worker_merge_two_records"
            ),
            # A record is merged away at most once at a time (its merge must be undone first).
            models.UniqueConstraint(
                fields=["merged"],
                condition=models.Q(unmerged_at__isnull=True),
                name="worker_merge_one_live_per_merged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.surviving_id} ({self.merged_at:%Y-%m-%d})"

    @property
    def is_undone(self) -> bool:
        return self.unmerged_at is not None

    @property
    def moved_count(self) -> int:
        return sum(len(pks) for pks in self.moved.values())
