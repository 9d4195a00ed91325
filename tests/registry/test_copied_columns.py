"""``Assignment.worker_sex`` (``COPIED_COLUMNS``): equal to the worker's sex after every kind of write.

The suite-wide check in ``tests/conftest.py`` also compares every copy with its source after every test
that used the database; these tests make sure each write path is exercised on purpose (the import:
``tests/imports/test_import.py``).
"""

from __future__ import annotations

import datetime

import pytest

from sswis.indicators.selectors import indicators_compute
from sswis.registry.models import Assignment, Worker
from sswis.registry.services import (
    AssignmentTerms,
    assignment_start,
    assignment_transfer,
    worker_register,
    worker_update,
)
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def stored_copies(worker: Worker) -> list[str]:
    return list(Assignment.objects.filter(worker=worker).order_by("pk").values_list("worker_sex", flat=True))


def terms(country: Country, start: datetime.date) -> AssignmentTerms:
    return AssignmentTerms(
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        start_date=start,
        paid=True,
    )


def test_a_registered_worker_s_first_assignment_copies_their_sex(
    personas: Personas, country: Country
) -> None:
    worker = worker_register(
        actor=personas.national,
        first_assignment=terms(country, datetime.date(2024, 1, 1)),
        worker_id="KD-1",
        given_name="Amina",
        family_name="Okello",
        sex="female",
    )
    assert stored_copies(worker) == ["female"]


def test_a_change_of_sex_reaches_every_assignment_and_only_the_worker_s_audit_trail(
    personas: Personas, country: Country
) -> None:
    worker = WorkerFactory(sex="male")
    other = WorkerFactory(sex="male")
    first = AssignmentFactory(worker=worker, start_date=datetime.date(2020, 1, 1))
    AssignmentFactory(worker=worker, start_date=datetime.date(2022, 1, 1))
    AssignmentFactory(worker=other)
    assignment_history = Assignment.history.count()  # type: ignore[attr-defined]

    worker_update(actor=personas.national, worker=worker, sex="female")

    assert stored_copies(worker) == ["female", "female"]
    assert stored_copies(other) == ["male"]
    assert Assignment.history.count() == assignment_history  # type: ignore[attr-defined]
    assert worker.history.first().sex == "female"
    first.refresh_from_db()
    assert first.updated_at == Assignment.objects.get(pk=first.pk).updated_at


def test_saving_an_assignment_loaded_before_the_change_does_not_undo_it(
    personas: Personas, country: Country
) -> None:
    worker = WorkerFactory(sex="male")
    stale = AssignmentFactory(worker=worker, start_date=datetime.date(2020, 1, 1))
    worker_update(actor=personas.national, worker=Worker.objects.get(pk=worker.pk), sex="other")

    stale.fte = stale.fte / 2
    stale.save()

    assert stored_copies(worker) == ["other"]
    stale.refresh_from_db()
    assert stale.worker_sex == "other"


def test_new_and_transferred_assignments_copy_the_stored_sex(personas: Personas, country: Country) -> None:
    worker = WorkerFactory(sex="female")
    stale_worker = Worker.objects.get(pk=worker.pk)
    worker_update(actor=personas.national, worker=worker, sex="male")

    # The worker object is stale (still "female"); the database is the truth.
    started = assignment_start(
        actor=personas.national, worker=stale_worker, terms=terms(country, datetime.date(2020, 1, 1))
    )
    moved = assignment_transfer(
        actor=personas.national,
        assignment=started,
        last_day=datetime.date(2022, 12, 31),
        terms=terms(country, datetime.date(2023, 1, 1)),
    )
    assert (started.worker_sex, moved.worker_sex) == ("male", "male")
    assert stored_copies(worker) == ["male", "male"]


def test_the_female_share_follows_a_change_of_sex(personas: Personas, country: Country) -> None:
    """D11: two workers, one female: 1/2; after the other becomes female: 2/2."""
    female = WorkerFactory(sex="female")
    male = WorkerFactory(sex="male")
    for worker in (female, male):
        AssignmentFactory(
            worker=worker,
            location=country.district_11,
            organisation=country.ministry,
            cadre=country.social_worker,
            start_date=datetime.date(2024, 1, 1),
        )

    def share() -> tuple[int, int | None]:
        (row,) = [
            row
            for row in indicators_compute(year=2024, location=country.district_11, depth=0)
            if row.indicator == "workforce.female_share"
        ]
        return row.numerator, row.denominator

    assert share() == (1, 2)
    worker_update(actor=personas.national, worker=male, sex="female")
    assert share() == (2, 2)
