"""The supervisor database (``support.supervision_selectors``): supervisees on a day, the norm (10 when a
relationship says supervising is the only duty, else 6) and the 11th (7th) supervisee over it; where a
supervisor is (location, cadre); who is listed; who sees whom; and the queries a page costs."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from sswis.access.policy import scope_of
from sswis.support.eligibility import AUXILIARY_MENTOR
from sswis.support.models import SupervisionRelationship
from sswis.support.supervision import relationship_create, rules_change, rules_current
from sswis.support.supervision_selectors import (
    WHO_ALL,
    WHO_ELIGIBLE,
    relationships_listed,
    sessions_listed,
    supervisor_rows,
    supervisors_queryset,
)
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date
DAY = D(2024, 6, 30)


def worker_at(
    country: Country, location: Any, *, organisation: Any = None, cadre: Any = None, **kw: Any
) -> Any:
    worker = WorkerFactory(**kw)
    AssignmentFactory(
        worker=worker,
        organisation=organisation or country.ministry,
        location=location,
        cadre=cadre or country.social_worker,
        start_date=D(2015, 1, 1),
    )
    return worker


def supervise(personas: Personas, supervisor: Any, supervisees: list[Any], **kw: Any) -> None:
    for supervisee in supervisees:
        relationship_create(
            actor=personas.national,
            supervisor=supervisor,
            supervisee=supervisee,
            start_date=kw.get("start_date", D(2024, 1, 1)),
            end_date=kw.get("end_date"),
            supervision_only_duty=kw.get("only_duty", False),
        )


def rows(user: Any, **filters: Any) -> dict[str, Any]:
    rules = rules_current()
    workers = list(supervisors_queryset(user=user, day=DAY, rules=rules, **filters))
    return {row.worker.worker_id: row for row in supervisor_rows(workers, day=DAY, rules=rules)}


def test_the_norm_is_10_when_supervising_is_the_only_duty_else_6_and_one_more_is_over(
    country: Country, personas: Personas
) -> None:
    only = worker_at(country, country.district_11, worker_id="ONLY")
    other = worker_at(country, country.district_11, worker_id="OTHER")
    ten = [worker_at(country, country.district_11) for _ in range(11)]
    six = [worker_at(country, country.district_12) for _ in range(7)]
    supervise(personas, only, ten[:9])
    supervise(personas, only, ten[9:10], only_duty=True)  # one relationship says so: norm 10
    supervise(personas, other, six[:6])
    found = rows(personas.national)
    assert (found["ONLY"].norm, found["ONLY"].supervisee_count, found["ONLY"].over_norm) == (10, 10, False)
    assert (found["OTHER"].norm, found["OTHER"].supervisee_count, found["OTHER"].over_norm) == (6, 6, False)
    supervise(personas, only, ten[10:])
    supervise(personas, other, six[6:])
    found = rows(personas.national)
    assert (found["ONLY"].supervisee_count, found["ONLY"].over_norm) == (11, True)
    assert (found["OTHER"].supervisee_count, found["OTHER"].over_norm) == (7, True)
    assert sorted(rows(personas.national, over_norm=True)) == ["ONLY", "OTHER"]
    rules_change(actor=personas.national, changes={"supervisees_otherwise": 7})
    assert rows(personas.national)["OTHER"].over_norm is False


def test_supervisees_on_the_day_are_distinct_and_ended_or_later_relationships_do_not_count(
    country: Country, personas: Personas
) -> None:
    supervisor = worker_at(country, country.district_11, worker_id="SUP")
    first, ended, later = (worker_at(country, country.district_11) for _ in range(3))
    supervise(personas, supervisor, [first], start_date=D(2023, 1, 1))
    supervise(personas, supervisor, [first], start_date=D(2024, 2, 1))  # the same supervisee again
    supervise(personas, supervisor, [ended], start_date=D(2023, 1, 1), end_date=D(2024, 6, 29))
    supervise(personas, supervisor, [later], start_date=D(2024, 7, 1))
    row = rows(personas.national)["SUP"]
    assert [w.pk for w in row.supervisees] == [first.pk]
    assert row.supervisee_count == 1


def test_who_is_listed_where_and_by_whom(country: Country, personas: Personas) -> None:
    """``north`` (D11, ministry, SW) supervises; ``south`` (D21, NGO, PSW) supervises; ``idle`` (D12,
    unregistered, 9 years: an auxiliary mentor) does not; ``novice`` (1 year) neither."""
    north = worker_at(country, country.district_11, worker_id="NORTH")
    south = worker_at(
        country,
        country.district_21,
        organisation=country.ngo,
        cadre=country.para_social_worker,
        worker_id="SOUTH",
    )
    worker_at(country, country.district_12, worker_id="IDLE")
    novice = WorkerFactory(worker_id="NOVICE")
    AssignmentFactory(
        worker=novice, organisation=country.ministry, location=country.district_12, start_date=D(2023, 6, 1)
    )
    supervise(personas, north, [worker_at(country, country.district_11)])
    supervise(personas, south, [worker_at(country, country.district_21, organisation=country.ngo)])
    assert sorted(rows(personas.national)) == ["NORTH", "SOUTH"]
    assert sorted(rows(personas.national, location=country.region_1)) == ["NORTH"]
    assert sorted(rows(personas.national, cadre=country.para_social_worker)) == ["SOUTH"]
    eligible = rows(personas.national, who=WHO_ELIGIBLE)
    assert "IDLE" in eligible and "NOVICE" not in eligible
    assert eligible["IDLE"].eligibility.status == AUXILIARY_MENTOR and eligible["IDLE"].supervisee_count == 0
    everyone = rows(personas.national, who=WHO_ALL)
    assert {"NORTH", "SOUTH", "IDLE"} <= set(everyone) and "NOVICE" not in everyone
    assert everyone["NORTH"].eligibility.status == AUXILIARY_MENTOR  # 9 years, not registered
    assert (
        everyone["NORTH"].location == country.district_11 and everyone["NORTH"].cadre == country.social_worker
    )
    assert sorted(rows(personas.subnational)) == ["NORTH"]
    assert sorted(rows(personas.focal_point)) == ["SOUTH"]
    assert rows(personas.analyst) == {} and rows(personas.outsider) == {}


def test_a_supervisor_with_no_counted_assignment_is_placed_at_the_latest_active_one_else_the_root(
    country: Country, personas: Personas
) -> None:
    """Not child protection (not counted): the latest-starting assignment active on the day places them;
    with none active, the root."""
    volunteer = WorkerFactory(worker_id="VOL")
    AssignmentFactory(
        worker=volunteer, organisation=country.ngo, location=country.district_21, child_protection=False
    )
    gone = WorkerFactory(worker_id="GONE")
    AssignmentFactory(
        worker=gone, organisation=country.ngo, location=country.district_21, end_date=D(2022, 12, 31)
    )
    supervise(personas, volunteer, [worker_at(country, country.district_21)])
    supervise(personas, gone, [worker_at(country, country.district_21)])
    found = rows(personas.national)
    assert (found["VOL"].location, found["GONE"].location) == (country.district_21, country.root)
    assert sorted(rows(personas.national, location=country.region_2)) == ["VOL"]


@pytest.mark.parametrize("count", [1, 3])
def test_a_page_of_the_database_costs_the_same_queries_for_1_or_3_supervisors(
    country: Country, personas: Personas, count: int, django_assert_num_queries: Any
) -> None:
    for n in range(count):
        supervise(
            personas,
            worker_at(country, country.district_11, worker_id=f"S{n}"),
            [worker_at(country, country.district_11) for _ in range(2)],
        )
    rules = rules_current()
    # scope; the root; the page's supervisors; their supervisees; locations; cadres
    with django_assert_num_queries(6):
        workers = list(supervisors_queryset(user=personas.subnational, day=DAY, rules=rules))
        listed = supervisor_rows(workers, day=DAY, rules=rules)
    assert len(listed) == count


@pytest.mark.parametrize("count", [1, 3])
def test_relationships_and_sessions_lists_cost_the_same_queries_for_1_or_3(
    country: Country, personas: Personas, count: int, django_assert_num_queries: Any
) -> None:
    from sswis.support.supervision import session_record

    supervisor = worker_at(country, country.district_11)
    for _ in range(count):
        supervisee = worker_at(country, country.district_11)
        supervise(personas, supervisor, [supervisee])
        session_record(actor=personas.national, supervisor=supervisor, supervisee=supervisee, date=DAY)
    scope_of(personas.subnational)  # read once, then kept on the user
    with django_assert_num_queries(1):  # the rows with both workers
        listed = [
            (r.supervisor.worker_id, r.supervisee.worker_id)
            for r in relationships_listed(user=personas.subnational, location=country.region_1, today=DAY)
        ]
    assert len(listed) == count
    with django_assert_num_queries(1):
        sessions = [
            (s.supervisor.worker_id, s.supervisee.worker_id)
            for s in sessions_listed(user=personas.subnational, location=country.region_1, today=DAY)
        ]
    assert len(sessions) == count


def test_relationships_are_filtered_and_scoped(country: Country, personas: Personas) -> None:
    north_sup = worker_at(country, country.district_11)
    north = worker_at(country, country.district_11)
    south_sup = worker_at(country, country.district_21, organisation=country.ngo)
    south = worker_at(country, country.district_21, organisation=country.ngo)
    supervise(personas, north_sup, [north], start_date=D(2023, 1, 1), end_date=D(2023, 12, 31))
    supervise(personas, south_sup, [south])

    def pairs(user: Any, **filters: Any) -> list[tuple[int, int]]:
        return [
            (r.supervisor_id, r.supervisee_id) for r in relationships_listed(user=user, today=DAY, **filters)
        ]

    assert pairs(personas.national) == [(south_sup.pk, south.pk), (north_sup.pk, north.pk)]
    assert pairs(personas.national, active=DAY) == [(south_sup.pk, south.pk)]
    assert pairs(personas.national, active=D(2023, 6, 1)) == [(north_sup.pk, north.pk)]
    assert pairs(personas.national, location=country.region_2) == [(south_sup.pk, south.pk)]
    assert pairs(personas.national, supervisee=north.worker_id) == [(north_sup.pk, north.pk)]
    assert pairs(personas.subnational) == [(north_sup.pk, north.pk)]
    assert pairs(personas.focal_point) == [(south_sup.pk, south.pk)]
    assert pairs(personas.analyst) == [] and pairs(personas.outsider) == []
    assert SupervisionRelationship.objects.count() == 2
