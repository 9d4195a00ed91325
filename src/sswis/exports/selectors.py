"""Reads for exports: the rows of the worker list export, in the user's scope, without N+1 queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from sswis.access import policy
from sswis.registry.models import Assignment, OrganisationType, Worker
from sswis.registry.selectors import WorkerFilters, worker_list

#: Columns of the worker export: the worker's own fields, then their current assignment.
WORKER_EXPORT_HEADER: Sequence[str] = (
    "Worker ID",
    "Given name",
    "Family name",
    "Sex",
    "Birth date",
    "Disability",
    "Education level",
    "Education field",
    "National ID",
    "Phone",
    "Email",
    "Current assignments",
    "Organisation code",
    "Organisation",
    "Employer",
    "Location code",
    "Location",
    "Cadre code",
    "Cadre",
    "Cadre category",
    "Post code",
    "Start date",
    "Paid",
    "FTE",
    "Child protection",
)

#: Workers read from the database at a time (one query for them, one for their assignments).
EXPORT_CHUNK_SIZE = 2000


def worker_export_queryset(*, user: Any, filters: WorkerFilters, on: datetime.date) -> QuerySet[Worker]:
    """The workers of the list export: exactly ``worker_list(user, filters)``, in its order, each with
    ``current_assignments`` — the assignments ``user`` may see that are active on ``on``, the reference
    one first (started last, then the larger FTE, then recorded first)."""
    current = (
        policy.assignments_visible(user=user)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)
        .select_related("organisation", "location", "cadre", "post")
        .order_by("-start_date", "-fte", "id")
    )
    return worker_list(user=user, filters=filters).prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )


def _worker_row(worker: Worker) -> list[Any]:
    row: list[Any] = [
        worker.worker_id,
        worker.given_name,
        worker.family_name,
        worker.get_sex_display(),
        worker.birth_date,
        worker.get_disability_display(),
        worker.get_education_level_display(),
        worker.education_field,
        worker.national_id,
        worker.phone,
        worker.email,
    ]
    current: list[Assignment] = worker.current_assignments  # type: ignore[attr-defined]
    row.append(len(current))
    if not current:
        return row + [None] * (len(WORKER_EXPORT_HEADER) - len(row))
    assignment = current[0]
    organisation = assignment.organisation
    return [
        *row,
        organisation.code,
        organisation.name,
        "Government" if organisation.type == OrganisationType.GOVERNMENT else "Non-government",
        assignment.location.code,
        assignment.location.name,
        assignment.cadre.code,
        assignment.cadre.name,
        assignment.cadre.get_category_display(),
        assignment.post.code if assignment.post else None,
        assignment.start_date,
        assignment.paid,
        assignment.fte,
        assignment.child_protection,
    ]


def worker_export_rows(*, workers: QuerySet[Worker]) -> Iterator[list[Any]]:
    """One row per worker of ``worker_export_queryset``, read in chunks of ``EXPORT_CHUNK_SIZE``:
    two queries per chunk whatever the number of assignments, and memory bounded by one chunk.

    Text is returned as stored; ``sswis.spreadsheets`` neutralises formulas when writing. A worker with
    no current assignment has empty assignment columns and ``0`` current assignments.
    """
    for worker in workers.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield _worker_row(worker)
