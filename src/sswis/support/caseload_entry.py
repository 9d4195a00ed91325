"""Writing a month's caseloads of many workers at once (the data clerk's grid), through ``caseload_set``."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sswis.access.support_policy import require_workers_change
from sswis.registry.models import Worker
from sswis.support.caseloads import caseload_set
from sswis.support.models import CASELOAD_KIND_ALL, Caseload, RecordSource


@dataclass(frozen=True)
class EntryCounts:
    created: int
    changed: int
    unchanged: int


@transaction.atomic
def caseloads_set_many(
    *,
    actor: Any,
    month: datetime.date,
    open_cases: Mapping[Worker, int],
    kind: str = CASELOAD_KIND_ALL,
    source: str = RecordSource.ENTERED,
) -> EntryCounts:
    """Set each worker's open cases of ``kind`` at the end of ``month`` (``caseload_set``, audited with
    ``actor``); all or nothing. ``PermissionDenied`` unless ``actor`` may change every worker's records;
    ``ValidationError`` naming the first refused worker (field ``open_cases``) or the month, nothing
    written. The figures already recorded are read in one query; only those that differ are written."""
    require_workers_change(user=actor, workers=list(open_cases))
    created = changed = unchanged = 0
    existing = dict(
        Caseload.objects.filter(
            worker__in=list(open_cases), month=month.replace(day=1), kind=kind.strip() or CASELOAD_KIND_ALL
        ).values_list("worker_id", "open_cases")
    )
    for worker, count in open_cases.items():
        if existing.get(worker.pk) == count:
            unchanged += 1  # the same figure again: nothing to write
            continue
        try:
            _caseload, was_changed = caseload_set(
                actor=actor, worker=worker, month=month, open_cases=count, kind=kind, source=source
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "open_cases" in error.error_dict:
                raise ValidationError(
                    {
                        "open_cases": _("%(worker)s: %(problem)s")
                        % {"worker": worker.worker_id, "problem": " ".join(error.message_dict["open_cases"])}
                    }
                ) from error
            raise
        if not was_changed:
            unchanged += 1
        elif worker.pk in existing:
            changed += 1
        else:
            created += 1
    return EntryCounts(created=created, changed=changed, unchanged=unchanged)
