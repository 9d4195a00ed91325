"""The caseloads' reads and the grid's write: the over-norm flag uses the worker's reference assignment of the
caseload's year (the same cadre the distribution places them in), and a month's grid is written all or
nothing by whoever sees every worker in it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sswis.support.caseload_distribution import caseload_distribution
from sswis.support.caseload_entry import caseloads_set_many
from sswis.support.caseload_selectors import (
    caseloads_flagged,
    caseloads_listed,
    grid_workers,
    reference_cadres,
)
from sswis.support.models import Caseload, CaseloadNorm
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date


def test_the_flag_uses_the_reference_assignment_as_the_distribution_does(country: Country) -> None:
    sw, psw, cpv = country.social_worker, country.para_social_worker, country.volunteer

    def assign(**given: Any) -> Any:  # every one at D11
        return AssignmentFactory(location=country.district_11, **given)

    # Same start: the one still active on 31 December wins over one ending in November.
    active = WorkerFactory(worker_id="ACTIVE")
    assign(worker=active, cadre=sw, start_date=D(2025, 3, 1), end_date=D(2025, 11, 30))
    assign(worker=active, cadre=psw, start_date=D(2025, 3, 1))
    # Same start, both active: the larger FTE wins; then the lowest id.
    fte = WorkerFactory(worker_id="FTE")
    assign(worker=fte, cadre=sw, start_date=D(2024, 1, 1), fte=Decimal("0.5"))
    assign(worker=fte, cadre=cpv, start_date=D(2024, 1, 1), fte=Decimal("1"))
    first = WorkerFactory(worker_id="FIRST")
    assign(worker=first, cadre=cpv, start_date=D(2024, 1, 1))
    assign(worker=first, cadre=sw, start_date=D(2024, 1, 1))
    # Not child protection in 2025: the 2020 assignment ended in 2024 does not count for 2025.
    gone = WorkerFactory(worker_id="GONE")
    assign(worker=gone, cadre=sw, start_date=D(2020, 1, 1), end_date=D(2024, 12, 31))
    assign(worker=gone, cadre=psw, start_date=D(2025, 1, 1), child_protection=False)
    for worker in (active, fte, first, gone):
        Caseload.objects.create(worker=worker, month=D(2025, 6, 1), open_cases=11)
        Caseload.objects.create(worker=worker, month=D(2024, 6, 1), open_cases=11)
    for cadre, maximum in ((sw, 5), (psw, 20), (cpv, 8)):
        CaseloadNorm.objects.create(cadre=cadre, maximum_open_cases=maximum)
    pairs = {(worker.pk, year) for worker in (active, fte, first, gone) for year in (2024, 2025)}
    assert reference_cadres(pairs=pairs) == {
        (active.pk, 2025): psw.pk,
        (fte.pk, 2024): cpv.pk,
        (fte.pk, 2025): cpv.pk,
        (first.pk, 2024): cpv.pk,
        (first.pk, 2025): cpv.pk,
        (gone.pk, 2024): sw.pk,
    }
    flagged = caseloads_flagged(Caseload.objects.filter(month=D(2025, 6, 1)).order_by("worker__worker_id"))
    assert [(c.worker.worker_id, c.norm, c.over_norm) for c in flagged] == [  # type: ignore[attr-defined]
        ("ACTIVE", 20, False),
        ("FIRST", 8, True),
        ("FTE", 8, True),
        ("GONE", None, None),
    ]
    # The distribution places the same workers in the same cadres (the indicators' SQL).
    placed = {
        row.cadre: row.workers
        for row in caseload_distribution(month=D(2025, 6, 1)).rows
        if row.location == "KD"
    }
    assert placed == {"CPV": 2, "PSW": 1}


def test_the_list_and_the_grid_are_for_the_roles_that_see_people(
    country: Country, personas: Personas
) -> None:
    for user in (personas.analyst, personas.administrator, personas.outsider):
        with pytest.raises(PermissionDenied):
            caseloads_listed(user=user)
        with pytest.raises(PermissionDenied):
            grid_workers(user=user, month=D(2025, 6, 1), location=country.district_11)


@pytest.fixture
def two_sides(country: Country) -> dict[str, Any]:
    north = WorkerFactory(worker_id="NORTH")
    AssignmentFactory(worker=north, location=country.district_11, organisation=country.ministry)
    south = WorkerFactory(worker_id="SOUTH")
    AssignmentFactory(worker=south, location=country.district_21, organisation=country.ngo)
    return {"north": north, "south": south}


def test_a_grid_is_written_all_or_nothing(personas: Personas, two_sides: dict[str, Any]) -> None:
    north, south = two_sides["north"], two_sides["south"]
    with pytest.raises(PermissionDenied):  # the officer does not see the south worker
        caseloads_set_many(actor=personas.subnational, month=D(2025, 6, 1), open_cases={north: 3, south: 4})
    with pytest.raises(ValidationError) as refused:
        caseloads_set_many(actor=personas.national, month=D(2025, 6, 1), open_cases={north: 3, south: -4})
    assert refused.value.message_dict == {
        "open_cases": ["SOUTH: The number of open cases cannot be negative."]
    }
    assert not Caseload.objects.exists()
    counts = caseloads_set_many(actor=personas.subnational, month=D(2025, 6, 1), open_cases={north: 3})
    assert (counts.created, counts.changed, counts.unchanged) == (1, 0, 0)
    counts = caseloads_set_many(actor=personas.national, month=D(2025, 6, 1), open_cases={north: 3, south: 4})
    assert (counts.created, counts.changed, counts.unchanged) == (1, 0, 1)
    counts = caseloads_set_many(actor=personas.national, month=D(2025, 6, 1), open_cases={north: 5})
    assert (counts.created, counts.changed, counts.unchanged) == (0, 1, 0)
    assert Caseload.objects.get(worker=north).history.latest().history_user == personas.national
