"""Duplicate detection's rows: the trained linkage model, the runs and the candidate pairs they propose.

* :class:`LinkageModel` — a Splink model trained on the country's own workers (its JSON settings with the
  m and u probabilities, when and by whom it was trained, on how many workers). The newest is the one in
  force; older ones stay as the record of what earlier runs used.
* :class:`DuplicateRun` — one detection run (command line, page or API; in the background on the page
  and the API): its threshold, progress, counts and the model it used.
* :class:`CandidatePair` — one pair of workers a run proposes as the same person, with its match
  probability, the reasons (each comparison's level and match weight), its cluster and its review
  (open, confirmed with the surviving record, or rejected with a reason). A rejected pair is never
  proposed again (``sswis.duplicates.services``).

Pairs name people: they are read through ``sswis.access.duplicates_policy`` only. Models and pairs are
audited (``AuditHistory``) with the acting user.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory


class LinkageModel(models.Model):
    """A trained Splink model (``splink_settings``: Splink's JSON settings, m and u probabilities included)."""

    splink_settings = models.JSONField(_("Splink settings"))
    trained_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("trained by"),
    )
    workers_count = models.PositiveIntegerField(_("workers trained on"), default=0)
    seconds = models.FloatField(_("training time (seconds)"), default=0.0)
    history = AuditHistory()

    class Meta:
        ordering = ["-trained_at", "-id"]
        get_latest_by = ["trained_at", "id"]
        verbose_name = _("linkage model")

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} ({self.workers_count})"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCESS = "success", _("Finished")
    FAILED = "failed", _("Failed")


class RunOrigin(models.TextChoices):
    COMMAND = "command", _("Command line")
    PAGE = "page", _("Page")
    API = "api", _("API")
    DEMO = "demo", _("Demo data")


class DuplicateRun(models.Model):
    """One run of duplicate detection over every worker not merged away."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicate_runs",
        verbose_name=_("user"),
    )
    origin = models.CharField(_("run from"), max_length=10, choices=RunOrigin.choices)
    threshold = models.FloatField(_("threshold (match probability)"))
    train = models.BooleanField(_("train the model first"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    progress = models.FloatField(_("progress"), default=0.0, help_text=_("0 to 1"))
    model = models.ForeignKey(
        LinkageModel,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
        verbose_name=_("linkage model"),
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    workers_count = models.PositiveIntegerField(_("workers compared"), default=0)
    pairs_count = models.PositiveIntegerField(_("pairs proposed"), default=0)
    clusters_count = models.PositiveIntegerField(_("clusters"), default=0)
    skipped_rejected = models.PositiveIntegerField(_("pairs skipped (rejected before)"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("duplicate detection run")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.status})"


class PairStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed (merged)")
    REJECTED = "rejected", _("Rejected (different people)")


class CandidatePair(models.Model):
    """Two workers a run proposes as one person. ``worker_a`` has the smaller primary key.

    ``reasons``: ``{comparison: {"level": label, "match_weight": w}}`` for each comparison of the model.
    ``cluster``: the run's number of the group of workers linked to each other by proposed pairs.
    """

    run = models.ForeignKey(
        DuplicateRun, on_delete=models.CASCADE, related_name="pairs", verbose_name=_("run")
    )
    worker_a = models.ForeignKey(
        "registry.Worker", on_delete=models.CASCADE, related_name="+", verbose_name=_("first worker")
    )
    worker_b = models.ForeignKey(
        "registry.Worker", on_delete=models.CASCADE, related_name="+", verbose_name=_("second worker")
    )
    probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    reasons = models.JSONField(_("reasons"), default=dict)
    cluster = models.PositiveIntegerField(_("cluster"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN)
    surviving = models.ForeignKey(
        "registry.Worker",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("surviving record"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("review reason"), blank=True)
    history = AuditHistory()

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "worker_a", "worker_b"], name="duplicates_one_pair_per_run"
            ),
            models.CheckConstraint(
                condition=models.Q(worker_a__lt=models.F("worker_b")), name="duplicates_pair_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["worker_a", "worker_b", "status"], name="duplicates_pair_workers"),
            models.Index(fields=["run", "status"], name="duplicates_pair_run_status"),
        ]
        verbose_name = _("candidate pair")

    def __str__(self) -> str:
        return f"{self.worker_a_id}~{self.worker_b_id} ({self.probability:.3f}, {self.status})"
