"""The demo's Primero part (``demo.support_primero``): user names for 40% of the workers who can take cases,
written once (a second run writes nothing), and one dry-run sync kept in the history, writing no caseload."""

from __future__ import annotations

from typing import Any

from sswis.demo.support_primero import demo_primero_set
from sswis.primero.fake import open_cases_of_named_workers
from sswis.primero.models import PrimeroSync
from sswis.registry.models import Worker
from sswis.support.handover import handover_directory
from sswis.support.models import Caseload
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory


def test_the_demo_names_workers_once_and_keeps_a_dry_run_sync(country: Country, personas: Personas) -> None:
    for number in range(10):
        worker = WorkerFactory(worker_id=f"D{number}", given_name="Zoë", family_name="Mwale")
        AssignmentFactory(
            worker=worker,
            organisation=country.ministry,
            location=country.district_11,
            cadre=country.social_worker,
        )
    volunteer = WorkerFactory(worker_id="V1")
    AssignmentFactory(
        worker=volunteer, organisation=country.ngo, location=country.district_21, cadre=country.volunteer
    )
    assert demo_primero_set(actor=personas.national, seed=1) == 4
    names = sorted(Worker.objects.exclude(primero_user_name="").values_list("primero_user_name", flat=True))
    assert names == ["zoe.mwale", "zoe.mwale2", "zoe.mwale3", "zoe.mwale4"]
    assert Worker.objects.get(worker_id="V1").primero_user_name == ""  # a volunteer takes no case
    named: Any = Worker.objects.exclude(primero_user_name="").first()
    assert named.history.latest().history_user == personas.national
    owners = open_cases_of_named_workers(seed=1)  # what the demo's fake Primero served
    sync = PrimeroSync.objects.get()
    assert (sync.status, sync.dry_run, sync.open_cases) == ("finished", True, len(owners))
    assert sync.matched == len({owner for owner in owners if owner and owner.startswith("zoe")})
    assert [owner["user_name"] for owner in sync.unmatched] == ["former.caseworker", "intake.desk"]
    assert not Caseload.objects.exists()
    assert len(handover_directory(user=personas.national, location=country.root)) == 4
    history = Worker.history.count()
    assert demo_primero_set(actor=personas.national, seed=1) == 4
    assert (Worker.history.count(), PrimeroSync.objects.count()) == (history, 1)
