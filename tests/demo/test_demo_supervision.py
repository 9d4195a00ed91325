"""The demo's supervision (``demo.support_supervision``): relationships among the workers at work, some
supervisors over their norm, some workers with none, sessions over the last year; the same for a seed."""

from __future__ import annotations

import datetime
from typing import Any

from sswis.demo.support_supervision import demo_supervision_set
from sswis.support.compliance import NO_SUPERVISOR, OVER_NORM, compliance
from sswis.support.models import SupervisionRelationship, SupervisionSession
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

TODAY = datetime.date(2025, 6, 30)


def test_the_demo_supervises_most_workers_some_over_the_norm_with_sessions(
    country: Country, personas: Personas
) -> None:
    for n in range(150):
        worker = WorkerFactory(worker_id=f"D{n:03d}")
        AssignmentFactory(
            worker=worker,
            organisation=country.ministry,
            location=(country.district_11, country.district_12, country.district_21)[n % 3],
            start_date=datetime.date(2010 + n % 14, 1, 1),
        )
    relationships, sessions = demo_supervision_set(actor=personas.national, seed=2024, today=TODAY)
    pairs = list(SupervisionRelationship.objects.values_list("supervisor_id", "supervisee_id", "start_date"))
    assert (len(pairs), SupervisionSession.objects.count()) == (relationships, sessions)
    assert relationships > 90 and sessions > relationships
    assert SupervisionSession.objects.filter(date__gt=TODAY).count() == 0
    assert SupervisionSession.objects.filter(date__lt=TODAY - datetime.timedelta(days=365)).count() == 0
    assert {h.history_user for h in SupervisionRelationship.history.all()} == {personas.national}
    shown = compliance(user=personas.national, location=None, day=TODAY)
    assert shown.counts[NO_SUPERVISOR] and shown.counts[OVER_NORM]
    assert demo_supervision_set(actor=personas.national, seed=2024, today=TODAY) == (0, 0)  # run again
    SupervisionSession.objects.all().delete()
    SupervisionRelationship.objects.all().delete()
    demo_supervision_set(actor=personas.national, seed=2024, today=TODAY)
    again: list[Any] = list(
        SupervisionRelationship.objects.values_list("supervisor_id", "supervisee_id", "start_date")
    )
    assert sorted(again) == sorted(pairs)
