"""Membership figures of the counted workforce, worked out by hand: per location (rolled up the tree) and
cadre, the counted workers of 2024 who are members of an association on 31 December 2024, and the small
cells withheld for readers who may not see every figure."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sswis.access.policy import scope_of
from sswis.support.association_selectors import (
    MembershipRow,
    membership_figures,
    membership_figures_for_reader,
)
from sswis.support.associations import association_create, membership_create
from sswis.support.models_associations import Association
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date


@pytest.fixture
def associations(personas: Personas, country: Country) -> dict[str, Association]:
    return {
        "NASW": association_create(actor=personas.national, code="NASW", name="National association"),
        "R1SW": association_create(
            actor=personas.national, code="R1SW", name="North", scope="regional", region=country.region_1
        ),
    }


@pytest.fixture
def members(personas: Personas, country: Country, associations: dict[str, Association]) -> None:
    """Counted in 2024 (each worker once, at their reference assignment):

    ====== ======== ====================================================================== ========
    where  cadre    workers (memberships on 31 December 2024)                                members
    ====== ======== ====================================================================== ========
    D11    SW       w1 (NASW), w2 (NASW ended 30 June), w3 (R1SW), w4 (none),               3 of 5
                    w11 (NASW; moved from D21 PSW in April: counted here once)
    D11    PSW      w10 (NASW)                                                              1 of 1
    D12    SW       w5 (NASW from 31 December), w6 (NASW from 2025)                          1 of 2
    D21    PSW      w7 (NASW and R1SW: once), w8 (NASW); w9 left in 2023: not counted       2 of 2
    ====== ======== ====================================================================== ========
    """
    sw, psw = country.social_worker, country.para_social_worker
    d11, d12, d21 = country.district_11, country.district_12, country.district_21

    def worker(name: str, location: Any, cadre: Any, **dates: Any) -> Any:
        made = WorkerFactory(worker_id=name)
        organisation = country.ngo if location == d21 else country.ministry
        AssignmentFactory(worker=made, location=location, organisation=organisation, cadre=cadre, **dates)
        return made

    def member(who: Any, code: str, start: datetime.date, end: datetime.date | None = None) -> None:
        membership_create(
            actor=personas.national,
            worker=who,
            association=associations[code],
            member_from=start,
            member_until=end,
        )

    member(worker("w1", d11, sw), "NASW", D(2020, 1, 1))
    member(worker("w2", d11, sw), "NASW", D(2020, 1, 1), D(2024, 6, 30))
    member(worker("w3", d11, sw), "R1SW", D(2022, 1, 1))
    worker("w4", d11, sw)
    member(worker("w5", d12, sw), "NASW", D(2024, 12, 31))
    member(worker("w6", d12, sw), "NASW", D(2025, 1, 1))
    w7 = worker("w7", d21, psw)
    member(w7, "NASW", D(2021, 1, 1))
    member(w7, "R1SW", D(2021, 1, 1))
    member(worker("w8", d21, psw), "NASW", D(2019, 1, 1))
    member(worker("w9", d21, psw, end_date=D(2023, 5, 31)), "NASW", D(2019, 1, 1))
    member(worker("w10", d11, psw), "NASW", D(2023, 1, 1))
    w11 = worker("w11", d21, psw, end_date=D(2024, 3, 31))
    AssignmentFactory(
        worker=w11, location=d11, organisation=country.ministry, cadre=sw, start_date=D(2024, 4, 1)
    )
    member(w11, "NASW", D(2018, 1, 1))


def table(rows: list[MembershipRow]) -> list[tuple[str, str, int, int | None]]:
    return [(row.location, row.cadre, row.counted, row.members) for row in rows]


ANY_ASSOCIATION = [
    ("KD", "PSW", 3, 3),
    ("KD", "SW", 7, 4),
    ("R1", "PSW", 1, 1),
    ("R1", "SW", 7, 4),
    ("D11", "PSW", 1, 1),
    ("D11", "SW", 5, 3),
    ("D12", "SW", 2, 1),
    ("R2", "PSW", 2, 2),
    ("D21", "PSW", 2, 2),
]


@pytest.mark.usefixtures("members")
def test_members_of_any_association_per_location_and_cadre() -> None:
    rows = membership_figures(year=2024)
    assert table(rows) == ANY_ASSOCIATION
    assert [(row.location_name, row.cadre_name) for row in rows[:2]] == [
        ("Kandara", "Para-social worker"),
        ("Kandara", "Social worker"),
    ]
    assert rows[1].as_json() == {
        "year": 2024,
        "location": "KD",
        "location_name": "Kandara",
        "cadre": "SW",
        "cadre_name": "Social worker",
        "counted": 7,
        "members": 4,
        "non_members": 3,
        "share": 0.5714,
        "withheld": False,
    }


@pytest.mark.usefixtures("members")
def test_members_of_one_association_a_subtree_and_a_cadre(
    associations: dict[str, Association], country: Country
) -> None:
    nasw = associations["NASW"]
    assert table(membership_figures(year=2024, association=nasw)) == [
        ("KD", "PSW", 3, 3),
        ("KD", "SW", 7, 3),
        ("R1", "PSW", 1, 1),
        ("R1", "SW", 7, 3),
        ("D11", "PSW", 1, 1),
        ("D11", "SW", 5, 2),
        ("D12", "SW", 2, 1),
        ("R2", "PSW", 2, 2),
        ("D21", "PSW", 2, 2),
    ]
    assert table(
        membership_figures(year=2024, association=associations["R1SW"], location=country.region_2)
    ) == [
        ("R2", "PSW", 2, 1),
        ("D21", "PSW", 2, 1),
    ]
    assert table(
        membership_figures(year=2024, location=country.region_1, cadre=country.social_worker, depth=1)
    ) == [
        ("R1", "SW", 7, 4),
        ("D11", "SW", 5, 3),
        ("D12", "SW", 2, 1),
    ]
    # In 2025 w6 is a member too and w2 (no membership that day) still counted.
    assert table(membership_figures(year=2025, location=country.district_12)) == [("D12", "SW", 2, 2)]


@pytest.mark.usefixtures("members")
def test_small_cells_are_withheld_for_readers_who_may_not_see_every_figure(
    personas: Personas, country: Country, settings: Any
) -> None:
    """With k = 2: members or non-members of 1 are withheld (R1 PSW, D11 PSW, D12 SW), and the smallest
    sibling of a lone withheld line too (R2 PSW beside R1 PSW; D11 SW beside D12 SW)."""
    settings.SSWIS_SMALL_CELL_MIN = 2
    analyst = membership_figures_for_reader(user=personas.analyst, year=2024)
    assert table(analyst) == [
        ("KD", "PSW", 3, 3),
        ("KD", "SW", 7, 4),
        ("R1", "PSW", 1, None),
        ("R1", "SW", 7, 4),
        ("D11", "PSW", 1, None),
        ("D11", "SW", 5, None),
        ("D12", "SW", 2, None),
        ("R2", "PSW", 2, None),
        ("D21", "PSW", 2, 2),
    ]
    assert [(row.withheld, row.share) for row in analyst[4:6]] == [(True, None), (True, None)]
    # The officer of R1 sees every figure of their region, the rest as the analyst does.
    officer = membership_figures_for_reader(user=personas.subnational, year=2024, location=country.region_1)
    assert table(officer) == ANY_ASSOCIATION[2:7]
    assert table(membership_figures_for_reader(user=personas.national, year=2024)) == ANY_ASSOCIATION
    # A page of a subtree withholds what the whole country's does.
    assert table(
        membership_figures_for_reader(user=personas.focal_point, year=2024, location=country.region_2)
    ) == [
        ("R2", "PSW", 2, None),
        ("D21", "PSW", 2, 2),
    ]


@pytest.mark.usefixtures("members")
def test_the_figures_are_one_aggregate_query(personas: Personas) -> None:
    scope_of(personas.national)  # read once per request, not by the figures
    with CaptureQueriesContext(connection) as queries:
        membership_figures_for_reader(user=personas.national, year=2024)
    aggregates = [query["sql"] for query in queries if "COUNT(k.worker_id)" in query["sql"]]
    assert len(aggregates) == 1
    # the location tree, the cadres, the aggregate, the names of the locations
    assert (
        len(
            [
                query
                for query in queries
                if not query["sql"].startswith(("SET", "RESET", "SAVEPOINT", "RELEASE"))
            ]
        )
        == 4
    )


def test_outsiders_and_workers_logins_get_no_figures(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        membership_figures_for_reader(user=personas.outsider, year=2024)


def test_no_counted_worker_no_row(country: Country) -> None:
    assert membership_figures(year=2024) == []
