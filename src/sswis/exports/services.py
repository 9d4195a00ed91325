"""Exports of personal data: checked against ``sswis.access.policy`` and recorded with who made them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sswis.access import policy
from sswis.exports.models import ExportFormat, ExportRecord
from sswis.exports.selectors import WORKER_EXPORT_HEADER, worker_export_queryset, worker_export_rows
from sswis.registry.selectors import WorkerFilters


@dataclass(frozen=True)
class TableExport:
    """A table ready to be written by ``sswis.spreadsheets``; ``rows`` is a one-pass iterator."""

    header: Sequence[str]
    rows: Iterator[Sequence[Any]]
    row_count: int
    file_format: ExportFormat
    file_name: str
    record: ExportRecord


def _filters_recorded(filters: WorkerFilters) -> dict[str, Any]:
    """The filters as a JSON object of what the user chose (codes, not database ids); empty ones left out.

    The search text is not kept, since it is often a person's name: only ``"search_used": true`` says
    that the list was searched (data minimisation, docs/security.md).
    """
    values: dict[str, Any] = {
        "search_used": True if filters.search.strip() else None,
        "location": filters.location.code if filters.location else "",
        "cadre": list(filters.cadre_codes),
        "category": list(filters.categories),
        "organisation": list(filters.organisation_codes),
        "employer": filters.employer,
        "paid": filters.paid,
        "active_year": filters.active_year,
        "counted_year": filters.counted_year,
    }
    return {name: value for name, value in values.items() if value not in ("", [], None)}


def worker_export(
    *,
    actor: Any,
    filters: WorkerFilters,
    file_format: ExportFormat,
    on: datetime.date | None = None,
) -> TableExport:
    """The worker list as a table: exactly the workers ``registry.selectors.worker_list`` gives ``actor``
    for ``filters`` (same order), with their current assignment on ``on`` (default today).

    Refuses (``PermissionDenied``) anyone who may not see person records — analysts, system
    administrators and outsiders — before anything is read. Records an ``ExportRecord`` (who, what,
    which filters, how many rows) before any row is returned, so that even an interrupted download is
    on record. The rows are read lazily, in chunks, when the iterator is consumed.
    """
    policy.require_people(user=actor)
    day = on or timezone.localdate()
    workers = worker_export_queryset(user=actor, filters=filters, on=day)
    with transaction.atomic():
        record = ExportRecord.objects.create(
            user=actor,
            username=actor.get_username(),
            subject="workers",
            file_format=file_format,
            filters=_filters_recorded(filters),
            row_count=workers.count(),
        )
    return TableExport(
        header=WORKER_EXPORT_HEADER,
        rows=worker_export_rows(workers=workers),
        row_count=record.row_count,
        file_format=file_format,
        file_name=f"workers-{day.isoformat()}.{file_format.value}",
        record=record,
    )
