"""The regulation's yearly figures, per register: registrations by status on 31 December, by location;
the renewals due in the year, how many were renewed in time and how many lapsed (the lapse rate); and CPD
compliance of the cycles that ended in the year. Docs: ``docs/regulation.md``, "Figures".

Definitions, for a register and a year Y (reference date 31 December Y):

* **by status**: every registration by its status on the reference date (dates decide: the status
  history); and, for those on the register (not an application, not refused), at the location of the
  worker's reference assignment of Y (the indicators' rule, so a region's figure is the sum of its
  districts'); a worker not counted in the workforce of Y is at no location and only in the register's
  total. A location's count says where people work: for readers who may not see every figure (a
  registrar), counts of 1 to k-1 are withheld (``None``) as the indicators' small cells are, and when one
  location of a level is withheld for a status, the smallest other non-zero one of that level too.
* **renewals due**: licences of the register whose last day falls in Y (their renewal falls on the day
  after); **renewed in time**: those followed by a licence of the same registration beginning no later
  than the renewal day plus the register's grace period; **lapsed**: registrations whose status became
  ``lapsed`` during Y; **lapse rate** = lapsed / renewals due (``None`` when none is due).
* **CPD compliance**: among the renewals due, the cycles (a licence's period) in which the worker earned
  the register's points per cycle and attended every required category, or was exempt by age (a register
  asking no CPD: all compliant); **share** = compliant / renewals due (``None`` when none is due).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from sswis.access.policy import sees_every_figure
from sswis.indicators.computation import Tree
from sswis.indicators.counted import reference_assignment_ids
from sswis.registry.models import Assignment, Worker
from sswis.regulation.models import (
    CpdRecord,
    Licence,
    Register,
    Registration,
    RegistrationStatus,
    RegistrationStatusChange,
)
from sswis.regulation.selectors import cpd_exempt, registration_status_on_expressions


@dataclass
class RegisterFigures:
    """One register's figures for a year (see the module docstring)."""

    register: str
    name: str
    by_status: dict[str, int] = field(default_factory=dict)
    by_location: dict[str, dict[str, int | None]] = field(default_factory=dict)  # code -> status -> count
    renewals_due: int = 0
    renewed_in_time: int = 0
    lapsed: int = 0
    cpd_compliant: int = 0

    @property
    def lapse_rate(self) -> float | None:
        return self.lapsed / self.renewals_due if self.renewals_due else None

    @property
    def cpd_compliance(self) -> float | None:
        return self.cpd_compliant / self.renewals_due if self.renewals_due else None

    def as_json(self) -> dict[str, Any]:
        return {
            "register": self.register,
            "name": self.name,
            "by_status": self.by_status,
            "by_location": self.by_location,
            "renewals_due": self.renewals_due,
            "renewed_in_time": self.renewed_in_time,
            "lapsed": self.lapsed,
            "lapse_rate": self.lapse_rate,
            "cpd_compliant": self.cpd_compliant,
            "cpd_compliance": self.cpd_compliance,
        }


def _withheld(by_location: dict[str, dict[str, int | None]], *, levels: dict[str, int], below: int) -> None:
    """Withhold (``None``) the counts of 1 to ``below - 1``, and by the complementary rule the smallest other
    non-zero count of the same level and status when only one of them was withheld."""
    if below <= 1:
        return
    statuses = {status for counts in by_location.values() for status in counts}
    for status in statuses:
        by_level: dict[int, list[str]] = defaultdict(list)
        for code, counts in by_location.items():
            if counts.get(status):
                by_level[levels[code]].append(code)
        for codes in by_level.values():
            small = [code for code in codes if 0 < (by_location[code][status] or 0) < below]
            for code in small:
                by_location[code][status] = None
            others = sorted(
                (code for code in codes if by_location[code][status] is not None),
                key=lambda code: (by_location[code][status] or 0, code),
            )
            if len(small) == 1 and others:
                by_location[others[0]][status] = None


def _counted_locations(*, year: int, depth: int) -> dict[int, list[str]]:
    """worker id -> the codes of the location of their reference assignment of ``year`` and its ancestors
    down to ``depth`` levels below the top (the country at depth 0), from the indicators' location tree."""
    tree = Tree.load()
    chains: dict[int, list[str]] = {}
    found: dict[int, list[str]] = {}
    for worker_id, location_id in Assignment.objects.filter(
        pk__in=reference_assignment_ids(year=year)
    ).values_list("worker_id", "location_id"):
        if location_id not in chains:
            chains[location_id] = [tree.code[pk] for pk in reversed(tree.chain[location_id])][: depth + 1]
        found[worker_id] = chains[location_id]
    return found


def regulation_statistics(
    *, registers: QuerySet[Register], year: int, depth: int = 1, withheld_below: int = 0
) -> list[RegisterFigures]:
    """The figures of ``year`` for each of ``registers`` (narrowed by the caller to what the user may
    see), with locations down to ``depth`` levels below the country; location counts of 1 to
    ``withheld_below - 1`` withheld (0: none, for readers who see every figure). A few queries per
    register."""
    reference = datetime.date(year, 12, 31)
    first = datetime.date(year, 1, 1)
    status_on, _since = registration_status_on_expressions(day=reference)
    locations = _counted_locations(year=year, depth=depth)
    levels = {code: level for chain in locations.values() for level, code in enumerate(chain)}
    figures = []
    for register in registers.order_by("code"):
        result = RegisterFigures(register=register.code, name=register.name)
        by_location: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        rows = (
            Registration.objects.filter(register=register)
            .annotate(status_on=status_on)
            .exclude(status_on__isnull=True)
            .values_list("worker_id", "status_on")
        )
        for worker_id, status in rows:
            result.by_status[status] = result.by_status.get(status, 0) + 1
            if status in (RegistrationStatus.APPLIED, RegistrationStatus.REFUSED):
                continue  # not on the register: an application says nothing of where people work
            for code in locations.get(worker_id, []):
                by_location[code][status] += 1
        result.by_location = {code: dict(counts) for code, counts in by_location.items()}
        _withheld(result.by_location, levels=levels, below=withheld_below)
        due = list(
            Licence.objects.filter(
                registration__register=register, valid_until__gte=first, valid_until__lte=reference
            )
            .select_related("registration")
            .order_by("pk")
        )
        result.renewals_due = len(due)
        following = defaultdict(list)
        for registration_id, valid_from in Licence.objects.filter(
            registration_id__in={licence.registration_id for licence in due}
        ).values_list("registration_id", "valid_from"):
            following[registration_id].append(valid_from)
        grace = datetime.timedelta(days=register.grace_days)
        for licence in due:
            renewal = licence.valid_until + datetime.timedelta(days=1)
            if any(renewal <= start <= renewal + grace for start in following[licence.registration_id]):
                result.renewed_in_time += 1
        result.lapsed = (
            RegistrationStatusChange.objects.filter(
                registration__register=register,
                status=RegistrationStatus.LAPSED,
                since__gte=first,
                since__lte=reference,
            )
            .values("registration")
            .distinct()
            .count()
        )
        result.cpd_compliant = _cpd_compliant(register=register, due=due)
        figures.append(result)
    return figures


def _cpd_compliant(*, register: Register, due: list[Licence]) -> int:
    """How many of the cycles ``due`` met the register's CPD rule (points and required categories, or an
    exemption by age on the cycle's last day)."""
    if not due:
        return 0
    required = register.cpd_points_per_cycle
    categories = set(register.cpd_required_categories)
    if required <= 0 and not categories:
        return len(due)
    workers = {licence.registration_id: licence.registration.worker_id for licence in due}
    births = dict(Worker.objects.filter(pk__in=set(workers.values())).values_list("pk", "birth_date"))
    attended: dict[int, list[tuple[datetime.date, Decimal, str]]] = defaultdict(list)
    for worker_id, day, points, category in CpdRecord.objects.filter(
        worker_id__in=set(workers.values())
    ).values_list("worker_id", "completed_on", "activity__points", "activity__category"):
        attended[worker_id].append((day, points, category))
    compliant = 0
    for licence in due:
        worker_id = workers[licence.registration_id]
        end = licence.valid_until
        if cpd_exempt(register=register, birth_date=births.get(worker_id), cycle_end=end):
            compliant += 1
            continue
        within = [
            (points, category)
            for day, points, category in attended[worker_id]
            if licence.valid_from <= day <= end
        ]
        if sum((points for points, _c in within), Decimal(0)) >= required and categories <= {
            c for _p, c in within
        }:
            compliant += 1
    return compliant


def small_cells_for(*, user: Any) -> int:
    """The ``withheld_below`` of ``user``: 0 for a reader who sees every figure of the country (a national
    data manager), ``SSWIS_SMALL_CELL_MIN`` for anyone else (a registrar)."""
    return 0 if sees_every_figure(user=user) else int(settings.SSWIS_SMALL_CELL_MIN)
