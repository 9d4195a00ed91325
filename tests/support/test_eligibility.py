"""Who may supervise on a day (``support.eligibility``): each rule and its reason, the auxiliary mentor,
exactly N years, the course on or before the day; and many workers in a bounded number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sswis.regulation.services import (
    register_set,
    registration_apply,
    registration_approve,
    registration_review,
    regulatory_body_set,
)
from sswis.support.eligibility import (
    AUXILIARY_MENTOR,
    NOT_ELIGIBLE,
    SUPERVISOR,
    eligibility_bulk,
    experience_cutoff,
    worker_eligibility,
)
from sswis.support.supervision import rules_change
from sswis.training.models import Programme
from sswis.training.services import completion_record
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date
DAY = D(2024, 6, 30)


@pytest.fixture
def register(personas: Personas) -> Any:
    body = regulatory_body_set(actor=personas.national, code="SWC", name="Social Work Council")
    return register_set(actor=personas.national, body=body, code="SW", name="Social workers")


def registered(personas: Personas, register: Any, worker: Any, on: datetime.date) -> None:
    registration = registration_apply(
        actor=personas.national, register=register, worker=worker, applied_on=on - datetime.timedelta(days=1)
    )
    registration_review(actor=personas.national, registration=registration, documents_checked=True)
    registration_approve(
        actor=personas.national, registration=registration, number=f"N-{worker.worker_id}", registered_on=on
    )


def worker_since(country: Country, start: datetime.date, **fields: Any) -> Any:
    worker = WorkerFactory(**fields)
    AssignmentFactory(
        worker=worker, organisation=country.ministry, cadre=country.social_worker, start_date=start
    )
    return worker


def test_a_registered_worker_with_two_years_is_a_supervisor_and_each_missing_rule_is_a_reason(
    country: Country, personas: Personas, register: Any
) -> None:
    """Defaults: registered, 2 years; mentors 5 years. ``ok`` meets both; ``unregistered`` has 10 years but
    no registration (an auxiliary mentor); ``new`` is registered with 1 year (not eligible); ``nobody``
    has neither registration nor assignment."""
    ok = worker_since(country, D(2022, 6, 30))
    registered(personas, register, ok, D(2023, 1, 2))
    unregistered = worker_since(country, D(2014, 1, 1))
    new = worker_since(country, D(2023, 7, 1))
    registered(personas, register, new, D(2024, 1, 2))
    nobody = WorkerFactory()
    found = eligibility_bulk(worker_pks=[ok.pk, unregistered.pk, new.pk, nobody.pk], day=DAY)
    assert found[ok.pk].status == SUPERVISOR and found[ok.pk].reasons == ()
    assert (found[ok.pk].registered, found[ok.pk].experience_years, found[ok.pk].course_completed) == (
        True,
        2,
        None,
    )
    assert found[unregistered.pk].status == AUXILIARY_MENTOR
    assert found[unregistered.pk].reasons == ("no registration of theirs is registered on 2024-06-30",)
    assert found[unregistered.pk].experience_years == 10
    assert found[new.pk].status == NOT_ELIGIBLE
    assert found[new.pk].reasons == ("0 years of experience, 2 required",)
    assert found[nobody.pk].status == NOT_ELIGIBLE
    assert found[nobody.pk].reasons == (
        "no registration of theirs is registered on 2024-06-30",
        "0 years of experience, 2 required",
    )


def test_experience_counts_whole_years_from_the_earliest_assignment(
    country: Country, personas: Personas
) -> None:
    """Two years exactly on the anniversary, one the day before; the earliest of several assignments
    counts (ended or not); an assignment beginning after the day gives none."""
    rules_change(actor=personas.national, changes={"must_be_registered": False})
    worker = worker_since(country, D(2022, 6, 30))
    AssignmentFactory(
        worker=worker, organisation=country.ngo, start_date=D(2023, 1, 1), end_date=D(2023, 5, 1)
    )
    assert worker_eligibility(worker=worker, day=D(2024, 6, 30)).status == SUPERVISOR
    day_before = worker_eligibility(worker=worker, day=D(2024, 6, 29))
    assert (day_before.status, day_before.experience_years, day_before.reasons) == (
        NOT_ELIGIBLE,
        1,
        ("1 year of experience, 2 required",),
    )
    earlier = WorkerFactory()
    AssignmentFactory(
        worker=earlier, organisation=country.ngo, start_date=D(2019, 1, 1), end_date=D(2019, 12, 31)
    )
    AssignmentFactory(worker=earlier, organisation=country.ministry, start_date=D(2024, 1, 1))
    assert worker_eligibility(worker=earlier, day=DAY).experience_years == 5
    future = worker_since(country, D(2025, 1, 1))
    assert worker_eligibility(worker=future, day=DAY).experience_years == 0


def test_the_auxiliary_mentor_needs_exactly_the_years_the_rules_say(
    country: Country, personas: Personas
) -> None:
    """Not registered: a mentor with 5 years on the day, not the day before (defaults: 5 years)."""
    worker = worker_since(country, D(2019, 6, 30))
    assert worker_eligibility(worker=worker, day=D(2024, 6, 30)).status == AUXILIARY_MENTOR
    assert worker_eligibility(worker=worker, day=D(2024, 6, 29)).status == NOT_ELIGIBLE
    rules_change(actor=personas.national, changes={"auxiliary_mentor_years": 6})
    assert worker_eligibility(worker=worker, day=D(2024, 6, 30)).status == NOT_ELIGIBLE


def test_the_course_must_be_completed_on_or_before_the_day(
    country: Country, personas: Personas, register: Any
) -> None:
    course = Programme.objects.create(code="SUP", name="Supervision course", kind="in_service")
    rules_change(actor=personas.national, changes={"supervision_course": course})
    worker = worker_since(country, D(2015, 1, 1))
    registered(personas, register, worker, D(2016, 1, 2))
    without = worker_eligibility(worker=worker, day=DAY)
    assert (without.status, without.course_completed, without.reasons) == (
        AUXILIARY_MENTOR,
        False,
        ("the supervision course SUP not completed by 2024-06-30",),
    )
    completion_record(actor=personas.national, worker=worker, programme=course, completed_on=DAY)
    assert worker_eligibility(worker=worker, day=DAY).status == SUPERVISOR
    assert worker_eligibility(worker=worker, day=DAY - datetime.timedelta(days=1)).status == AUXILIARY_MENTOR


def test_registered_means_registered_on_the_day(country: Country, personas: Personas, register: Any) -> None:
    worker = worker_since(country, D(2015, 1, 1))
    registered(personas, register, worker, D(2024, 6, 30))
    assert worker_eligibility(worker=worker, day=D(2024, 6, 30)).registered is True
    assert worker_eligibility(worker=worker, day=D(2024, 6, 29)).registered is False


def test_the_experience_cutoff_of_29_february() -> None:
    assert experience_cutoff(day=D(2024, 2, 29), years=1) == D(2023, 2, 28)
    assert experience_cutoff(day=D(2024, 2, 29), years=4) == D(2020, 2, 29)
    assert experience_cutoff(day=D(2024, 6, 30), years=2) == D(2022, 6, 30)


def test_many_workers_are_evaluated_in_one_query(country: Country, personas: Personas, register: Any) -> None:
    """The rules are read first; then one query for 1 or 12 workers alike."""
    workers = [worker_since(country, D(2010 + n, 1, 1)) for n in range(12)]
    for worker in workers[:4]:
        registered(personas, register, worker, D(2020, 1, 2))
    from sswis.support.supervision import rules_current

    rules = rules_current()
    for chosen in (workers[:1], workers):
        with CaptureQueriesContext(connection) as queries:
            found = eligibility_bulk(worker_pks=[w.pk for w in chosen], day=DAY, rules=rules)
        assert (len(found), len(queries)) == (len(chosen), 1)
    assert [found[w.pk].status for w in workers] == [SUPERVISOR] * 4 + [AUXILIARY_MENTOR] * 6 + [
        NOT_ELIGIBLE
    ] * 2
