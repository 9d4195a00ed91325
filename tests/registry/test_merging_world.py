"""Every kind of row the access matrix's world gives a worker (registrations, exam attempts, complaints,
CPD, completions, students, placements, competency assessments, memberships, caseloads, supervision, a
login...) moves with a merge and back with an unmerge, row for row."""

from __future__ import annotations

import pytest

from sswis.registry.merging import worker_merge, worker_movers, worker_unmerge
from sswis.registry.models import Worker
from tests.access.world import NORTH_WORKER, world_build
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def _rows_of(worker: Worker) -> dict[str, set[int]]:
    found = {}
    for mover in worker_movers():
        pks = set(
            mover.model._default_manager.filter(**{mover.attname: worker.pk}).values_list("pk", flat=True)
        )
        if pks:
            found[mover.key] = pks
    return found


def test_every_row_of_a_full_record_moves_and_comes_back() -> None:
    world = world_build()
    person = Worker.objects.get(worker_id=NORTH_WORKER["worker_id"])
    survivor = WorkerFactory(worker_id="W-SURVIVOR")
    before = _rows_of(person)
    # The world gives the north worker rows of at least these kinds.
    assert {
        "registry.assignment.worker",
        "regulation.registration.worker",
        "regulation.examattempt.worker",
        "regulation.complaint.worker",
        "training.completion.worker",
        "support.caseload.worker",
        "support.membership.worker",
        "access.userscope.worker",
    } <= set(before)

    merge = worker_merge(
        actor=world.users["national"], surviving=survivor, merged=person, reason="Same person"
    )

    assert _rows_of(person) == {}
    assert _rows_of(survivor) == before
    assert {key: set(pks) for key, pks in merge.moved.items()} == before

    worker_unmerge(actor=world.users["national"], merge=merge, reason="Two people")

    assert _rows_of(person) == before
    assert _rows_of(survivor) == {}
