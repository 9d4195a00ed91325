"""Reads of worker merges (``sswis.registry.merging``), always through ``sswis.access.merging_policy``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from sswis.access import merging_policy, policy
from sswis.registry.merging import worker_live, worker_movers
from sswis.registry.models import Worker
from sswis.registry.models_merging import WorkerMerge


def merge_list(*, user: Any) -> QuerySet[WorkerMerge]:
    """Merges the user may read, newest first, with both records and the authors joined (one query).

    Raises ``PermissionDenied`` for a user whose role may not read merges."""
    merging_policy.require_merge_role(user=user)
    return (
        merging_policy.merges_visible(user=user)
        .select_related("surviving", "merged", "merged_by", "unmerged_by")
        .order_by("-merged_at", "-id")
    )


def merge_detail(*, user: Any, merge_uuid: Any) -> WorkerMerge:
    """The merge with this UUID if the user may read it; ``WorkerMerge.DoesNotExist`` otherwise (out of
    scope and missing look the same)."""
    return merge_list(user=user).get(uuid=merge_uuid)


@dataclass(frozen=True)
class MovedRows:
    """The rows of one kind that a merge moved: the model's name, the field changed, how many."""

    key: str
    kind: str
    field: str
    count: int


def merge_moved_rows(*, merge: WorkerMerge) -> list[MovedRows]:
    """What the merge moved, kind by kind in the movers' order (counts, not the rows: the rows are other
    domains' personal data, each read through its own pages)."""
    known = {mover.key: mover for mover in worker_movers()}
    rows = []
    for key, pks in merge.moved.items():
        mover = known.get(key)
        if mover is not None:
            kind = str(mover.model._meta.verbose_name_plural)
            field = str(getattr(mover.model._meta.get_field(mover.field), "verbose_name", mover.field))
        else:  # a kind no longer registered (a removed app): still shown by its key
            label, _dot, field = key.rpartition(".")
            model = apps.get_model(label) if label.count(".") == 1 and _model_exists(label) else None
            kind = str(model._meta.verbose_name_plural) if model is not None else label
        rows.append(MovedRows(key=key, kind=kind, field=field, count=len(pks)))
    return rows


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def worker_merged_record(*, user: Any, worker_id: str) -> tuple[Worker, Worker] | None:
    """For a merged record's worker ID: (the merged record, the live record it leads to) when the user sees
    the live one; ``None`` otherwise (no such merged record, or the survivor is out of the user's scope)."""
    merged = Worker.objects.filter(worker_id=worker_id, merged_into__isnull=False).first()
    if merged is None:
        return None
    live = worker_live(merged)
    if not policy.workers_visible(user=user).filter(pk=live.pk).exists():
        return None
    return merged, live
