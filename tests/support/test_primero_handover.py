"""The case hand-over directory (``support.handover``): who can take a case at a location today, within
the user's scope.

Workers (all with a Primero user name unless said): ALICE (SW, ministry, D11), PETER (SW, NGO1, D11),
GRACE (volunteer, NGO1, D21), BRIAN (PSW, ministry, D12, ended 2023), DORA (ministry, D11, no Primero user
name), ELI (ministry, D11, no child-protection responsibility), FAY (volunteer at NGO1 in D21 since 2019
and para-social worker at the ministry in D11 since 2024: both still running).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sswis.support.handover import handover_directory
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date


@pytest.fixture
def directory_world(country: Country) -> dict[str, Any]:
    c = country

    def worker(worker_id: str, user_name: str, family_name: str) -> Any:
        return WorkerFactory(worker_id=worker_id, primero_user_name=user_name, family_name=family_name)

    made = {
        "ALICE": worker("ALICE", "alice.b", "Banda"),
        "PETER": worker("PETER", "peter.m", "Mwale"),
        "GRACE": worker("GRACE", "grace.k", "Kunda"),
        "BRIAN": worker("BRIAN", "brian.c", "Chola"),
        "DORA": worker("DORA", "", "Daka"),
        "ELI": worker("ELI", "eli.x", "Ezra"),
        "FAY": worker("FAY", "fay.n", "Nkhoma"),
    }
    place = {
        "ALICE": (c.ministry, c.district_11, c.social_worker, D(2020, 1, 1), None, True),
        "PETER": (c.ngo, c.district_11, c.social_worker, D(2021, 1, 1), None, True),
        "GRACE": (c.ngo, c.district_21, c.volunteer, D(2022, 1, 1), None, True),
        "BRIAN": (c.ministry, c.district_12, c.para_social_worker, D(2020, 1, 1), D(2023, 6, 30), True),
        "DORA": (c.ministry, c.district_11, c.social_worker, D(2020, 1, 1), None, True),
        "ELI": (c.ministry, c.district_11, c.social_worker, D(2020, 1, 1), None, False),
    }
    for worker_id, (organisation, location, cadre, start, end, child_protection) in place.items():
        AssignmentFactory(
            worker=made[worker_id],
            organisation=organisation,
            location=location,
            cadre=cadre,
            start_date=start,
            end_date=end,
            exit_reason="resigned" if end else "",
            child_protection=child_protection,
        )
    AssignmentFactory(
        worker=made["FAY"],
        organisation=c.ngo,
        location=c.district_21,
        cadre=c.volunteer,
        start_date=D(2019, 1, 1),
    )
    AssignmentFactory(
        worker=made["FAY"],
        organisation=c.ministry,
        location=c.district_11,
        cadre=c.para_social_worker,
        start_date=D(2024, 1, 1),
    )
    return made


def listed(user: Any, location: Any, **filters: Any) -> list[tuple[str, str, str, str]]:
    return [
        (w.worker_id, w.user_name, w.organisation_code, w.location_code)
        for w in handover_directory(user=user, location=location, **filters)
    ]


def test_the_national_data_manager_sees_every_worker_who_can_take_a_case(
    directory_world: dict[str, Any], country: Country, personas: Personas
) -> None:
    # sorted by family name: Banda, Kunda, Mwale, Nkhoma
    assert listed(personas.national, country.root) == [
        ("ALICE", "alice.b", "MSW", "D11"),
        ("GRACE", "grace.k", "NGO1", "D21"),
        ("PETER", "peter.m", "NGO1", "D11"),
        ("FAY", "fay.n", "MSW", "D11"),  # her latest assignment
    ]
    assert listed(personas.national, country.region_2) == [
        ("GRACE", "grace.k", "NGO1", "D21"),
        ("FAY", "fay.n", "NGO1", "D21"),  # the assignment there
    ]
    assert listed(personas.national, country.district_12) == []  # BRIAN left in 2023


def test_filters_and_a_past_day(
    directory_world: dict[str, Any], country: Country, personas: Personas
) -> None:
    assert listed(personas.national, country.root, cadre=country.volunteer) == [
        ("GRACE", "grace.k", "NGO1", "D21"),
        ("FAY", "fay.n", "NGO1", "D21"),
    ]
    assert [w[0] for w in listed(personas.national, country.root, organisation=country.ministry)] == [
        "ALICE",
        "FAY",
    ]
    assert [w[0] for w in listed(personas.national, country.district_12, day=D(2023, 1, 1))] == ["BRIAN"]


def test_an_officer_and_a_focal_point_see_the_workers_of_their_scope_only(
    directory_world: dict[str, Any], country: Country, personas: Personas
) -> None:
    assert [w[0] for w in listed(personas.subnational, country.root)] == ["ALICE", "PETER", "FAY"]
    assert listed(personas.subnational, country.region_2) == []  # FAY's D21 assignment is not theirs
    assert listed(personas.focal_point, country.root) == [
        ("GRACE", "grace.k", "NGO1", "D21"),
        ("PETER", "peter.m", "NGO1", "D11"),
        ("FAY", "fay.n", "NGO1", "D21"),  # through NGO1's assignment, not the ministry's
    ]


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_roles_that_see_no_person_are_refused(
    directory_world: dict[str, Any], country: Country, personas: Personas, persona: str
) -> None:
    with pytest.raises(PermissionDenied):
        handover_directory(user=getattr(personas, persona), location=country.root)
