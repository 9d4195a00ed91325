"""The reads of the report history and the fingerprint of the data a profile is made from."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, QuerySet

from sswis.access.reports_policy import profiles_visible
from sswis.indicators.cache import data_stamp
from sswis.planning.models import Scenario
from sswis.quality.models import CriterionScore, Instrument
from sswis.registry.models import Assignment, Organisation, Post, Worker
from sswis.reports.models import ProfileReport
from sswis.surveys.models import PerceptionResponse, SurveyRound

REGISTRY_MODELS = (
    (Worker, "updated_at"),
    (Assignment, "updated_at"),
    (Post, "updated_at"),
    (Organisation, "updated_at"),
)
OTHER_MODELS = (
    (Scenario, "updated_at"),
    (Instrument, "updated_at"),
    (CriterionScore, "recorded_at"),
    (SurveyRound, "updated_at"),
    (PerceptionResponse, "updated_at"),
)


@dataclass(frozen=True)
class Fingerprint:
    """``indicator_stamp``: the indicators' data stamp (``indicators.cache.data_stamp``: it changes with
    any committed change of the rows the indicators read); ``registry_updated_at``: the newest change of
    the registry's rows; ``digest``: both with the newest change of the scenarios, the framework
    inventory, the scores and the survey rounds."""

    digest: str
    indicator_stamp: str
    registry_updated_at: datetime.datetime | None


def _newest(models: tuple[tuple[Any, str], ...]) -> list[datetime.datetime | None]:
    return [model.objects.aggregate(newest=Max(column))["newest"] for model, column in models]


def data_fingerprint() -> Fingerprint:
    """The fingerprint of the data a profile made now comes from (ten queries)."""
    stamp = data_stamp()
    registry = [moment for moment in _newest(REGISTRY_MODELS) if moment is not None]
    others = _newest(OTHER_MODELS)
    text = "|".join([stamp, *(str(moment) for moment in registry), *(str(moment) for moment in others)])
    return Fingerprint(
        digest=hashlib.sha256(text.encode()).hexdigest(),
        indicator_stamp=stamp,
        registry_updated_at=max(registry) if registry else None,
    )


def profile_reports_listed(*, user: Any) -> QuerySet[ProfileReport]:
    """The profiles ``user`` may read, newest first, with who asked and the location (one query)."""
    return profiles_visible(
        user=user,
        queryset=ProfileReport.objects.select_related("user", "location").order_by("-created_at", "-id"),
    )
