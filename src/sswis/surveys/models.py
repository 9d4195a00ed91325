"""Field surveys: survey rounds, workers' perception answers, and the submissions already imported.

Perception answers are personal data about a worker: they are read only through
``sswis.surveys.selectors`` (aggregates for anyone with a role, a person's answers only for users who
may see that worker, both decided by ``sswis.access.policy``) and written only by
``sswis.surveys.services``, with a history record naming the author.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sswis.geo.models import Location
from sswis.registry.models import Worker
from sswis.surveys.perceptions import perception_question

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MULTIPLE_ANSWER_LENGTH = 255
"""Room for every answer of a multiple-choice question at once (a test checks that they fit)."""


def _choices(name: str) -> list[tuple[str, StrOrPromise]]:
    return list(perception_question(name=name).choices)


class SurveyRound(models.Model):
    """One round of a perceptions survey, e.g. the 2025 national mapping (``code`` ``2025``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="survey_round_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PerceptionResponse(models.Model):
    """One worker's answers in one survey round (at most one per worker and round).

    ``location`` is where the worker was working when surveyed (the location of the assignment in the
    same submission): aggregates by location use it. An empty answer is ``""`` (not asked or not
    answered). Multiple answers are stored space-separated, as ODK writes them.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey_round = models.ForeignKey(SurveyRound, on_delete=models.PROTECT, related_name="responses")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="perception_responses")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="perception_responses")
    submission_uuid = models.CharField("submission UUID", max_length=100, unique=True)
    job_satisfaction = models.CharField(max_length=20, blank=True, choices=_choices("job_satisfaction"))
    supervision_frequency = models.CharField(
        max_length=20, blank=True, choices=_choices("supervision_frequency")
    )
    supervision_kinds = models.CharField(max_length=MULTIPLE_ANSWER_LENGTH, blank=True)
    training_received = models.CharField(max_length=MULTIPLE_ANSWER_LENGTH, blank=True)
    training_needed = models.CharField(max_length=MULTIPLE_ANSWER_LENGTH, blank=True)
    intention_to_leave = models.CharField(max_length=20, blank=True, choices=_choices("intention_to_leave"))
    leave_reason = models.CharField(max_length=20, blank=True, choices=_choices("leave_reason"))
    # The wellbeing items (``perceptions.WELLBEING_QUESTIONS``): an example scale, see ``WellbeingScale``.
    burnout_exhausted = models.CharField(max_length=20, blank=True, choices=_choices("burnout_exhausted"))
    burnout_detached = models.CharField(max_length=20, blank=True, choices=_choices("burnout_detached"))
    burnout_ineffective = models.CharField(max_length=20, blank=True, choices=_choices("burnout_ineffective"))
    fatigue_intrusive = models.CharField(max_length=20, blank=True, choices=_choices("fatigue_intrusive"))
    fatigue_avoidance = models.CharField(max_length=20, blank=True, choices=_choices("fatigue_avoidance"))
    fatigue_sleep = models.CharField(max_length=20, blank=True, choices=_choices("fatigue_sleep"))
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["survey_round", "worker_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "survey_round"], name="perception_one_per_worker_round"
            ),
        ]
        indexes = [models.Index(fields=["survey_round", "location"], name="perception_round_location")]

    def __str__(self) -> str:
        return f"{self.worker_id} in {self.survey_round_id}"


class SubmissionSource(models.TextChoices):
    KOBO = "kobo", _("KoboToolbox")
    CENTRAL = "central", _("ODK Central")
    FILE = "file", _("Exported file")


class ImportedSubmission(models.Model):
    """A field submission already imported, by its stable UUID: importing the same version again writes
    nothing; an edited version (another ``instance_id``) is imported again as an update of the same worker.

    ``submission_uuid`` is the submission's stable identity (KoboToolbox ``meta/rootUuid``, ODK Central
    ``__id``/``KEY``, else ``meta/instanceID``; see ``submissions.ROOT_KEYS``) and ``instance_id`` the
    version last imported (``meta/instanceID``; empty for records made before versions were kept: then
    the version is ``submission_uuid``), both without the ``uuid:`` prefix and lower-case, so the same
    submission is recognised whether it comes from the server or from an export file. ``form`` never
    holds credentials.
    """

    submission_uuid = models.CharField("submission UUID", max_length=100, unique=True)
    instance_id = models.CharField(
        "instance ID",
        max_length=100,
        blank=True,
        default="",
        help_text=gettext_lazy("the version last imported"),
    )
    source = models.CharField(max_length=10, choices=SubmissionSource.choices)
    form = models.CharField(
        max_length=500, help_text=gettext_lazy("Server and form (or file) it was read from.")
    )
    worker = models.ForeignKey(Worker, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "submission_uuid"]

    def __str__(self) -> str:
        return self.submission_uuid

    @property
    def version(self) -> str:
        """The version last imported (``submission_uuid`` for records without ``instance_id``)."""
        return self.instance_id or self.submission_uuid
