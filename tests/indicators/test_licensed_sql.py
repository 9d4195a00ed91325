"""``licensed_workers_sql`` (who is licensed on a day, in the database) agrees with ``worker_licensed_on``
(the same rule read row by row in Python) on random histories and on every day around their dates."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.db import connection

from sswis.indicators.licensed import REGISTERED, licensed_workers_sql
from sswis.regulation.models import RegistrationStatus
from sswis.regulation.selectors import worker_licensed_on
from tests.factories import RegisterFactory, WorkerFactory, registration_with_history

STATUSES = [status.value for status in RegistrationStatus] + ["registered"] * 4  # registered more often
FIRST = datetime.date(2023, 12, 20)


def licensed_in_database(day: datetime.date) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(licensed_workers_sql(day="%(day)s"), {"day": day})
        ids = [worker_id for (worker_id,) in cursor.fetchall()]
    assert len(ids) == len(set(ids)), "each worker once"
    return set(ids)


def random_history(rng: random.Random, workers: list[Any], registers: list[Any]) -> None:
    """Up to two registrations per worker; 1 to 4 status changes on few days (ties, changes recorded
    out of date order, days without any status before the first change) and 0 to 2 licences."""

    def some_day(step: int = 1) -> str:
        return (FIRST + datetime.timedelta(days=rng.randrange(0, 25, step))).isoformat()

    for worker in workers:
        for register in rng.sample(registers, rng.randrange(0, 3)):
            # Changes on every fourth day only: two on the same day are common.
            changes = [(rng.choice(STATUSES), some_day(4)) for _ in range(rng.randrange(1, 5))]
            licences: dict[str, str] = {}
            for _ in range(rng.randrange(0, 3)):
                start = some_day()
                end = datetime.date.fromisoformat(start) + datetime.timedelta(days=rng.randrange(0, 15))
                licences[start] = end.isoformat()
            registration_with_history(
                worker=worker, changes=changes, licences=sorted(licences.items()), register=register
            )


@pytest.mark.parametrize("seed", range(6))
def test_the_database_agrees_with_the_rule_on_random_histories(db: Any, seed: int) -> None:
    rng = random.Random(seed)
    workers = [WorkerFactory.create() for _ in range(12)]
    registers = [RegisterFactory.create(code=f"REG{n}") for n in range(3)]
    random_history(rng, workers, registers)

    for offset in range(-1, 27):  # every day of the histories, and one on each side
        day = FIRST + datetime.timedelta(days=offset)
        expected = {worker.pk for worker in workers if worker_licensed_on(worker=worker, day=day)}
        assert licensed_in_database(day) == expected, day


def test_the_random_histories_hold_every_case(db: Any) -> None:
    # The seeds above are not idle: some workers are licensed on some days and not on others.
    rng = random.Random(0)
    workers = [WorkerFactory.create() for _ in range(12)]
    random_history(rng, workers, [RegisterFactory.create(code=f"REG{n}") for n in range(3)])
    days = [FIRST + datetime.timedelta(days=offset) for offset in range(25)]
    found = [licensed_in_database(day) for day in days]

    assert len(set().union(*found)) >= 4  # licensed on some day
    licensed_every_day = set.intersection(*found)
    assert len(licensed_every_day) < len(set().union(*found))  # and not on others


def test_the_registered_status_is_the_regulations() -> None:
    assert RegistrationStatus.REGISTERED.value == REGISTERED
