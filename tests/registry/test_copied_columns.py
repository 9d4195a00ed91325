"""``Assignment.worker_sex`` (``COPIED_COLUMNS``): equal to the worker's sex after every kind of write.

The suite-wide check in ``tests/conftest.py`` also compares every copy with its source after every test
that used the database; these tests make sure each write path is exercised on purpose (the import:
``tests/imports/test_import.py``).
"""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from sswis.imports.writing import TableWriter
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
    first_updated_at = Assignment.objects.get(pk=first.pk).updated_at

    worker_update(actor=personas.national, worker=worker, sex="female")

    assert stored_copies(worker) == ["female", "female"]
    assert stored_copies(other) == ["male"]
    assert Assignment.history.count() == assignment_history  # type: ignore[attr-defined]
    assert worker.history.first().sex == "female"
    assert Assignment.objects.get(pk=first.pk).updated_at == first_updated_at


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


def test_a_copied_assignment_and_a_changed_worker_take_the_stored_sex(country: Country) -> None:
    """Django's ways of saving a row: copy by clearing the primary key, and moving it to another worker."""
    female, male = WorkerFactory(sex="female"), WorkerFactory(sex="male")
    assignment = AssignmentFactory(worker=female, start_date=datetime.date(2020, 1, 1))

    assignment.pk, assignment.uuid = None, uuid.uuid4()
    assignment.start_date = datetime.date(2021, 1, 1)
    assignment.save()
    moved = Assignment.objects.get(pk=assignment.pk)
    moved.worker = male
    moved.save(update_fields=["worker"])

    assert stored_copies(female) == ["female"]
    assert stored_copies(male) == ["male"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two connections")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("writer", ["save", "import"])
def test_a_change_of_sex_made_while_a_new_assignment_is_not_yet_committed_reaches_it(
    country: Country, writer: str
) -> None:
    """The new assignment reads the sex under a lock: the change waits for its commit, then updates it."""
    worker = WorkerFactory(sex="male")
    changed = threading.Event()

    def change() -> None:
        try:
            stored = Worker.objects.get(pk=worker.pk)
            stored.sex = "female"
            stored.save()
        finally:
            connections.close_all()
            changed.set()

    with transaction.atomic():
        if writer == "save":
            AssignmentFactory(worker=worker, organisation=country.ministry, location=country.district_11)
        else:
            TableWriter(model=Assignment, actor=None, now=timezone.now()).create(
                rows=[
                    {
                        "worker_id": worker.pk,
                        "organisation_id": country.ministry.pk,
                        "location_id": country.district_11.pk,
                        "cadre_id": country.social_worker.pk,
                        "start_date": datetime.date(2024, 1, 1),
                        "paid": True,
                    }
                ]
            )
        other = threading.Thread(target=change)
        other.start()
        assert not changed.wait(1), "the change of sex did not wait for the new assignment's transaction"
    other.join(10)

    assert changed.is_set()
    assert stored_copies(worker) == ["female"]
