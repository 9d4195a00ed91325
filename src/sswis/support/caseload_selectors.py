"""The reads of caseloads and their norms: the caseloads a user may see (filtered), each flagged against
its worker's cadre's norm, the norms, and the workers a data clerk enters a month's caseloads for.

**Over-norm flag**: a caseload of month M (year Y) and kind K is *over the norm* when its open cases exceed
the norm of K of the cadre of the worker's reference assignment of Y (the indicators' rule, as the
distribution places the worker: ``caseload_distribution``); ``None`` when that cadre has no norm of K or
the worker has no reference assignment in Y.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from sswis.access.policy import require_people, workers_visible
from sswis.access.support_policy import caseloads_visible, require_support_read
from sswis.geo.models import Location
from sswis.registry.models import Assignment, Organisation, Worker
from sswis.support.models import Caseload, CaseloadNorm


def month_last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _active_in_month(month: datetime.date) -> Q:
    return Q(start_date__lte=month_last_day(month)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=month.replace(day=1))
    )


def caseloads_listed(
    *,
    user: Any,
    worker_id: str = "",
    month: datetime.date | None = None,
    kind: str = "",
    location: Location | None = None,
) -> QuerySet[Caseload]:
    """The caseloads ``user`` may see (``support_policy.caseloads_visible``), latest month first, then by
    worker ID and kind; only the worker ``worker_id``'s, ``month``'s, of ``kind``; with ``location``, those of workers who
    had an assignment at it or below it during the caseload's month. ``PermissionDenied`` for the roles
    that see no person."""
    require_people(user=user)
    caseloads = Caseload.objects.select_related("worker")
    if worker_id:
        caseloads = caseloads.filter(worker__worker_id=worker_id.strip())
    if month is not None:
        caseloads = caseloads.filter(month=month.replace(day=1))
    if kind:
        caseloads = caseloads.filter(kind=kind)
    if location is not None:
        # Active during the month: started in it or before (its start's month not after it), not ended
        # before its first day.
        placed = (
            Assignment.objects.annotate(start_month=TruncMonth("start_date"))
            .filter(
                worker_id=OuterRef("worker_id"),
                location__path__startswith=location.path,
                start_month__lte=OuterRef("month"),
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("month")))
        )
        caseloads = caseloads.filter(Exists(placed))
    return caseloads_visible(user=user, queryset=caseloads).order_by("-month", "worker__worker_id", "kind")


Candidate = tuple[int, datetime.date, datetime.date | None, Decimal, int, int]


def _reference_order(assignment: Candidate, year: int) -> tuple[int, int, Decimal, int]:
    _worker, start, end, fte, pk, _cadre = assignment
    ended = 0 if end is None or end >= datetime.date(year, 12, 31) else 1
    return (-start.toordinal(), ended, -fte, pk)


def reference_cadres(*, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """``(worker id, year) -> cadre id`` of each worker's reference assignment of that year (the
    indicators' rule, ``indicators.selectors``: among the child protection assignments overlapping the year,
    the latest start, then one still active on 31 December, then the larger FTE, then the lowest id);
    pairs with none are left out. One query: the child protection assignments of the workers."""
    if not pairs:
        return {}
    candidates: dict[int, list[Candidate]] = {}
    for row in Assignment.objects.filter(
        worker_id__in={worker for worker, _year in pairs}, child_protection=True
    ).values_list("worker_id", "start_date", "end_date", "fte", "pk", "cadre_id"):
        candidates.setdefault(row[0], []).append(row)
    picked: dict[tuple[int, int], int] = {}
    for worker_id, year in pairs:
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        overlapping = [
            row
            for row in candidates.get(worker_id, [])
            if row[1] <= last and (row[2] is None or row[2] >= first)
        ]
        if overlapping:
            picked[(worker_id, year)] = min(overlapping, key=lambda row: _reference_order(row, year))[5]
    return picked


def caseloads_flagged(caseloads: Iterable[Caseload]) -> list[Caseload]:
    """``caseloads`` (a page of a list) each with ``norm`` (the most open cases of its kind for its worker's
    cadre in its year, or ``None``) and ``over_norm`` (module docstring) set. Two queries."""
    listed = list(caseloads)
    cadres = reference_cadres(pairs={(caseload.worker_id, caseload.month.year) for caseload in listed})
    kinds = {caseload.kind for caseload in listed}
    norms = (
        {
            (cadre_id, kind): maximum
            for cadre_id, kind, maximum in CaseloadNorm.objects.filter(
                kind__in=kinds, cadre_id__in=set(cadres.values())
            ).values_list("cadre_id", "kind", "maximum_open_cases")
        }
        if cadres
        else {}
    )
    for caseload in listed:
        cadre_id = cadres.get((caseload.worker_id, caseload.month.year))
        norm = norms.get((cadre_id, caseload.kind)) if cadre_id is not None else None
        caseload.norm = norm  # type: ignore[attr-defined]
        caseload.over_norm = None if norm is None else caseload.open_cases > norm  # type: ignore[attr-defined]
    return listed


def norms_listed(*, user: Any) -> QuerySet[CaseloadNorm]:
    """Every caseload norm, by cadre code and kind: every role but outsiders and workers' own logins."""
    require_support_read(user=user)
    return CaseloadNorm.objects.select_related("cadre").order_by("cadre__code", "kind")


def grid_workers(
    *,
    user: Any,
    month: datetime.date,
    organisation: Organisation | None = None,
    location: Location | None = None,
) -> QuerySet[Worker]:
    """The workers ``user`` sees who had an assignment during ``month`` at ``organisation`` and/or at
    ``location`` or below it, by family name, given name and worker ID: whose caseloads a data clerk
    enters in one go."""
    require_people(user=user)
    assignments = Assignment.objects.filter(_active_in_month(month), worker_id=OuterRef("pk"))
    if organisation is not None:
        assignments = assignments.filter(organisation=organisation)
    if location is not None:
        assignments = assignments.filter(location__path__startswith=location.path)
    return workers_visible(user=user, queryset=Worker.objects.filter(Exists(assignments))).order_by(
        "family_name", "given_name", "worker_id"
    )
