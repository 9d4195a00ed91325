"""A small country's supervision and caseloads in 2024, worked out by hand for the support indicators
(contract ``support.md``): used by ``tests/indicators/test_support_indicators.py``, the API's and the
dashboard's tests.

Counted in 2024 (child protection assignments from 2022-01-01, social workers of the ministry unless
said; reference date 31 December 2024):

| worker | where | sex | cadre | supervised on 31 Dec | sessions in 2024 | December caseload `all` |
|---|---|---|---|---|---|---|
| A | D11 | female | SW | yes (S1, two relationships) | 3 (and one on 2023-12-31, one on 2025-01-01) | 12 (norm 10: over) |
| B | D11 | male | SW | yes (S4, ends 2024-12-31) | 1 (on 2024-01-01) | 10 (at the norm: not over) |
| C | D11 | female | PSW | yes (S4, starts 2024-12-31) | 0 | 16 (norm 15: over); November 50 and `investigation` 20 ignored |
| S4 | D11 | male | SW | no | 0 | none (November 30 ignored) |
| E | D12 | female | CPV | no (ended 2024-12-30) | 2 (not counted: not supervised) | 7 (CPV has no norm) |
| F | D12 | male | SW | no (starts 2025-01-01) | 0 | none |
| S1 | D12 | female | SW | no | 0 | 4 (not over) |
| G | D21 | female | SW | yes (S1 and S2: once) | 2 | 11 (over) |
| H | D21 | male | SW | no | 0 | only kind `foster` 5: none |

X is supervised by S1 but has no assignment (not counted): their 4 sessions and December caseload of 100
count nowhere.

Supervisors on 31 December (norms 10 when supervising is the only duty, else 6):

| supervisor | distinct supervisees | only duty | over | placed at |
|---|---|---|---|---|
| S1 | 3 (A twice, G, X) | no | no | D12: their reference assignment (not their later non-CP one in D21) |
| S2 | 7 (G and 6 others) | no | yes | D21: not counted (CP assignment ended 2023); latest-starting active assignment (D21 from 2023, not D11 from 2020) |
| S3 | 7 | one of 7 relationships says so | no | KD: no assignment at all |
| S4 | 6 (B, C and 4 others) | no | no (exactly at the norm) | D11: reference assignment |
| S5 | 11 | yes | yes | KD: their only assignment ended 2024-06-30 |
| S6 | none on the day (E's ended 2024-12-30, F's starts 2025-01-01) | | | not a supervisor |
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from sswis.registry.models import Worker
from sswis.support.models import (
    Caseload,
    CaseloadNorm,
    SupervisionRelationship,
    SupervisionSession,
)
from tests.conftest import Country
from tests.factories import AssignmentFactory, WorkerFactory

YEAR = 2024
START = datetime.date(2022, 1, 1)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@dataclass
class SupportWorld:
    workers: dict[str, Worker]


def _counted(country: Country, name: str, location: Any, sex: str, cadre: Any = None) -> Worker:
    worker = WorkerFactory.create(worker_id=f"W-{name}", sex=sex)
    AssignmentFactory.create(
        worker=worker,
        organisation=country.ministry,
        location=location,
        cadre=cadre or country.social_worker,
        start_date=START,
        end_date=None,
    )
    return worker


def supervise(
    supervisor: Worker,
    supervisee: Worker,
    start: str = "2024-01-01",
    end: str | None = None,
    *,
    only_duty: bool = False,
) -> SupervisionRelationship:
    return SupervisionRelationship.objects.create(
        supervisor=supervisor,
        supervisee=supervisee,
        start_date=day(start),
        end_date=day(end) if end else None,
        supervision_only_duty=only_duty,
    )


def sessions(supervisor: Worker, supervisee: Worker, *days: str) -> None:
    for text in days:
        SupervisionSession.objects.create(supervisor=supervisor, supervisee=supervisee, date=day(text))


def caseload(worker: Worker, month: str, open_cases: int, kind: str = "all") -> None:
    Caseload.objects.create(worker=worker, month=day(f"{month}-01"), kind=kind, open_cases=open_cases)


def others(count: int, prefix: str) -> list[Worker]:
    """Supervisees with no assignment (counted nowhere)."""
    return [WorkerFactory.create(worker_id=f"W-{prefix}{n}") for n in range(count)]


def support_world_build(country: Country) -> SupportWorld:
    """The world of the module docstring."""
    d11, d12, d21 = country.district_11, country.district_12, country.district_21
    w: dict[str, Worker] = {
        "A": _counted(country, "A", d11, "female"),
        "B": _counted(country, "B", d11, "male"),
        "C": _counted(country, "C", d11, "female", country.para_social_worker),
        "S4": _counted(country, "S4", d11, "male"),
        "E": _counted(country, "E", d12, "female", country.volunteer),
        "F": _counted(country, "F", d12, "male"),
        "S1": _counted(country, "S1", d12, "female"),
        "G": _counted(country, "G", d21, "female"),
        "H": _counted(country, "H", d21, "male"),
        "X": WorkerFactory.create(worker_id="W-X"),
    }
    # S1 also works in D21 from March 2024, outside child protection: still placed at D12.
    AssignmentFactory.create(
        worker=w["S1"],
        organisation=country.ministry,
        location=d21,
        cadre=country.social_worker,
        start_date=day("2024-03-01"),
        child_protection=False,
    )
    s2 = WorkerFactory.create(worker_id="W-S2")
    for location, start, end, child_protection in (
        (d12, "2020-01-01", "2023-12-31", True),  # not counted in 2024
        (d11, "2020-01-01", None, False),
        (d21, "2023-01-01", None, False),  # the latest-starting active one
    ):
        AssignmentFactory.create(
            worker=s2,
            organisation=country.ministry,
            location=location,
            cadre=country.social_worker,
            start_date=day(start),
            end_date=day(end) if end else None,
            child_protection=child_protection,
        )
    s3 = WorkerFactory.create(worker_id="W-S3")
    s5 = WorkerFactory.create(worker_id="W-S5")
    AssignmentFactory.create(
        worker=s5,
        organisation=country.ministry,
        location=d11,
        cadre=country.social_worker,
        start_date=day("2020-01-01"),
        end_date=day("2024-06-30"),
        child_protection=False,
    )
    s6 = WorkerFactory.create(worker_id="W-S6")
    w.update({"S2": s2, "S3": s3, "S5": s5, "S6": s6})

    supervise(w["S1"], w["A"], "2024-01-01")
    supervise(w["S1"], w["A"], "2024-06-01")
    supervise(w["S1"], w["G"], "2023-01-01")
    supervise(w["S1"], w["X"], "2023-01-01")
    supervise(s2, w["G"], "2024-02-01")
    for worker in others(6, "S2-"):
        supervise(s2, worker, "2024-01-01")
    for n, worker in enumerate(others(7, "S3-")):
        supervise(s3, worker, "2024-01-01", only_duty=n == 0)
    supervise(w["S4"], w["B"], "2023-01-01", "2024-12-31")
    supervise(w["S4"], w["C"], "2024-12-31")
    for worker in others(4, "S4-"):
        supervise(w["S4"], worker, "2024-01-01")
    for worker in others(11, "S5-"):
        supervise(s5, worker, "2024-01-01", only_duty=True)
    supervise(s6, w["E"], "2023-01-01", "2024-12-30")
    supervise(s6, w["F"], "2025-01-01")

    sessions(w["S1"], w["A"], "2023-12-31", "2024-02-01", "2024-05-01", "2025-01-01")
    sessions(s2, w["A"], "2024-12-31")  # any supervisor
    sessions(w["S4"], w["B"], "2024-01-01")
    sessions(w["S1"], w["G"], "2024-03-01", "2024-09-01")
    sessions(s6, w["E"], "2024-03-01", "2024-06-01")
    sessions(w["S1"], w["X"], "2024-01-10", "2024-02-10", "2024-03-10", "2024-04-10")

    CaseloadNorm.objects.create(cadre=country.social_worker, kind="all", maximum_open_cases=10)
    CaseloadNorm.objects.create(cadre=country.para_social_worker, kind="all", maximum_open_cases=15)
    CaseloadNorm.objects.create(cadre=country.para_social_worker, kind="investigation", maximum_open_cases=3)
    caseload(w["A"], "2024-12", 12)
    caseload(w["B"], "2024-12", 10)
    caseload(w["C"], "2024-12", 16)
    caseload(w["C"], "2024-11", 50)
    caseload(w["C"], "2024-12", 20, kind="investigation")
    caseload(w["S4"], "2024-11", 30)
    caseload(w["E"], "2024-12", 7)
    caseload(w["S1"], "2024-12", 4)
    caseload(w["G"], "2024-12", 11)
    caseload(w["H"], "2024-12", 5, kind="foster")
    caseload(w["X"], "2024-12", 100)
    return SupportWorld(workers=w)
