"""``worker_list_counted``: the worker list's matches counted from the assignments alone and planned by
their number, always exactly ``worker_list``'s rows in its order, and the capped count the paginator would
have counted (``sswis.web.paging``)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sswis.registry.models import Worker
from sswis.registry.selectors import WorkerFilters, worker_list, worker_list_counted
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, CadreFactory, OrganisationFactory, WorkerFactory


@pytest.fixture
def workforce(country: Country) -> dict[str, Worker]:
    """Workers in three districts and cadres, paid and unpaid, with names that sort across them: one
    with two assignments in the same district, one in two districts, and a record merged into another
    that still has an assignment (as a direct write could leave it)."""
    fostering = CadreFactory(code="FC", category="para_professional")
    people: dict[str, Worker] = {}
    plan = [
        ("Zulu", "Ann", country.district_11, country.social_worker, True),
        ("Abel", "Ben", country.district_11, country.para_social_worker, False),
        ("Abel", "Amy", country.district_12, country.social_worker, True),
        ("Moyo", "Cid", country.district_21, fostering, True),
        ("Banda", "Dan", country.district_21, country.social_worker, False),
        ("Chama", "Eve", country.district_12, fostering, True),
    ]
    for number, (family, given, place, cadre, paid) in enumerate(plan):
        worker = WorkerFactory(worker_id=f"W{number}", family_name=family, given_name=given)
        organisation = country.ngo if place == country.district_21 else country.ministry
        AssignmentFactory(worker=worker, location=place, cadre=cadre, paid=paid, organisation=organisation)
        people[given] = worker
    # Two assignments in the same district (counted once) and a second district for one worker.
    AssignmentFactory(
        worker=people["Ann"],
        location=country.district_11,
        cadre=country.social_worker,
        paid=True,
        organisation=country.ministry,
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2016, 1, 1),
    )
    AssignmentFactory(
        worker=people["Cid"],
        location=country.district_12,
        cadre=country.volunteer,
        paid=False,
        organisation=OrganisationFactory(location=country.district_12),
    )
    merged = WorkerFactory(worker_id="W9", family_name="Abel", given_name="Ada")
    AssignmentFactory(worker=merged, location=country.district_11, cadre=country.social_worker, paid=True)
    Worker.objects.filter(pk=merged.pk).update(merged_into=people["Ben"], merged_at=timezone.now())
    return people


FILTERS = [
    {"location_code": "D11"},
    {"location_code": "R1"},
    {"location_code": "KD"},
    {"location_code": "D21", "paid": True},
    {"cadre_codes": ("SW",), "paid": True},
    {"cadre_codes": ("SW", "FC")},
    {"categories": ("professional",), "location_code": "R1"},
    {"categories": ("para_professional",), "paid": False},
    {"organisation_codes": None, "location_code": "D12"},
    {"employer": "government", "cadre_codes": ("SW",)},
    {"active_year": 2015, "location_code": "D11"},
    {"location_code": "D21", "cadre_codes": ("NONE",)},
]


def filters_of(country: Country, wanted: dict[str, Any]) -> WorkerFilters:
    places = {"D11": country.district_11, "D12": country.district_12, "D21": country.district_21}
    places |= {"R1": country.region_1, "KD": country.root}
    given = dict(wanted)
    code = given.pop("location_code", None)
    if "organisation_codes" in given:
        given["organisation_codes"] = (country.ministry.code,)
    return WorkerFilters(location=places[code] if code else None, **given)


def listed(workers: Any) -> list[str]:
    return [worker.worker_id for worker in workers]


@pytest.mark.parametrize("wanted", FILTERS)
@pytest.mark.parametrize("who", ["national", "subnational", "focal_point"])
@pytest.mark.parametrize("counted_up_to", [1, 2, 100])
def test_same_rows_order_and_capped_count_as_the_list(
    country: Country,
    personas: Personas,
    workforce: dict[str, Worker],
    wanted: dict[str, Any],
    who: str,
    counted_up_to: int,
) -> None:
    user = getattr(personas, who)
    filters = filters_of(country, wanted)
    expected = listed(worker_list(user=user, filters=filters))

    counted = worker_list_counted(user=user, filters=filters, counted_up_to=counted_up_to)

    assert listed(counted.workers) == expected
    assert counted.count == min(len(expected), counted_up_to + 1)
    assert "W9" not in expected  # the merged record, though it still has an assignment


def test_the_lists_themselves(country: Country, personas: Personas, workforce: dict[str, Worker]) -> None:
    """The fixture's expectations written out, so that the comparison above compares real lists."""
    district = filters_of(country, {"location_code": "D11"})
    assert listed(
        worker_list_counted(user=personas.national, filters=district, counted_up_to=100).workers
    ) == [
        "W1",
        "W0",
    ]
    region = filters_of(country, {"location_code": "R1"})
    national = worker_list_counted(user=personas.national, filters=region, counted_up_to=100)
    assert listed(national.workers) == ["W2", "W1", "W5", "W3", "W0"]
    assert national.count == 5
    # The focal point of the NGO sees only the assignments of the NGO (in D21), none in R1.
    ngo = worker_list_counted(user=personas.focal_point, filters=region, counted_up_to=100)
    assert (listed(ngo.workers), ngo.count) == ([], 0)
    south = filters_of(country, {"location_code": "D21"})
    seen_by_north = worker_list_counted(user=personas.subnational, filters=south, counted_up_to=100)
    assert (listed(seen_by_north.workers), seen_by_north.count) == ([], 0)


def test_a_search_or_no_assignment_filter_is_left_to_the_paginator(
    country: Country, personas: Personas, workforce: dict[str, Worker]
) -> None:
    searched = WorkerFilters(search="Abel", location=country.region_1)
    counted = worker_list_counted(user=personas.national, filters=searched, counted_up_to=100)
    assert counted.count is None
    assert listed(counted.workers) == ["W2", "W1"]
    everyone = worker_list_counted(user=personas.national, filters=WorkerFilters(), counted_up_to=100)
    assert everyone.count is None
    assert len(listed(everyone.workers)) == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan chosen on PostgreSQL")
def test_few_matches_are_looked_up_among_the_matching_ids_many_walk_the_names(
    country: Country, personas: Personas, workforce: dict[str, Worker]
) -> None:
    region = filters_of(country, {"location_code": "R1"})
    few = worker_list_counted(user=personas.national, filters=region, counted_up_to=5)
    many = worker_list_counted(user=personas.national, filters=region, counted_up_to=4)
    with CaptureQueriesContext(connection) as queries:
        assert listed(few.workers) == listed(many.workers)
    few_sql, many_sql = (query["sql"] for query in queries.captured_queries)
    assert "= ANY(ARRAY(SELECT DISTINCT" in few_sql and "EXISTS" in few_sql  # the merged records left out
    assert "ANY(ARRAY" not in many_sql
