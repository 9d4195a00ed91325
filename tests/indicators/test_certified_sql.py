"""``certified_workers_sql`` (who is certified on a day, in the database) agrees with the contract's rule
read row by row in Python on random completions and programmes, on every day around their dates; and it
names the training's tables through the app registry (the indicators never import the training)."""

from __future__ import annotations

import ast
import datetime
import random
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

import sswis.indicators
from sswis.indicators.certified import certified_workers_sql
from sswis.registry.models import Worker
from sswis.training.models import Completion
from tests.factories import WorkerFactory
from tests.training.factories_indicators import CertifyingProgrammeFactory, completed

FIRST = datetime.date(2024, 12, 20)


def certified_in_database(day: datetime.date) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(certified_workers_sql(day="%(day)s"), {"day": day})
        ids = [worker_id for (worker_id,) in cursor.fetchall()]
    assert len(ids) == len(set(ids)), "each worker once"
    return set(ids)


def certified_by_the_rule(worker: Worker, day: datetime.date) -> bool:
    """The contract, literally: a completion on or before ``day`` of a programme that certifies and that
    the government recognised on or before the completion date."""
    return any(
        completion.completed_on <= day
        and completion.programme.certifies_child_victims
        and completion.programme.government_recognised_from is not None
        and completion.programme.government_recognised_from <= completion.completed_on
        for completion in Completion.objects.filter(worker=worker).select_related("programme")
    )


def random_completions(rng: random.Random, workers: list[Any]) -> None:
    """Six programmes: two certifying and recognised long before, two certifying and recognised on a
    day among the completions', one recognised long before that does not certify, one certifying and
    never recognised; 0 to 3 completions per worker, a month before or on few days among the others (two
    completions, or a completion and a recognition, on one day are common)."""

    def some_day() -> datetime.date:
        return FIRST + datetime.timedelta(days=rng.randrange(0, 15, 2))

    long_before = FIRST - datetime.timedelta(days=365)
    programmes = [
        CertifyingProgrammeFactory.create(certifies_child_victims=certifies, government_recognised_from=since)
        for certifies, since in (
            (True, long_before),
            (True, long_before),
            (True, some_day()),
            (True, some_day()),
            (False, long_before),
            (True, None),
        )
    ]
    for worker in workers:
        done: set[tuple[int, datetime.date]] = set()
        for _ in range(rng.randrange(0, 4)):
            programme = rng.choice(programmes)
            on = FIRST - datetime.timedelta(days=30) if rng.random() < 0.25 else some_day()
            if (programme.pk, on) not in done:
                done.add((programme.pk, on))
                completed(worker, programme, on.isoformat())


@pytest.mark.parametrize("seed", range(6))
def test_the_database_agrees_with_the_rule_on_random_completions(db: Any, seed: int) -> None:
    rng = random.Random(seed)
    workers = [WorkerFactory.create() for _ in range(12)]
    random_completions(rng, workers)

    for offset in range(-1, 17):  # every day of the completions and recognitions, and one on each side
        day = FIRST + datetime.timedelta(days=offset)
        expected = {worker.pk for worker in workers if certified_by_the_rule(worker, day)}
        assert certified_in_database(day) == expected, day


def test_the_random_completions_hold_every_case(db: Any) -> None:
    # The seeds above are not idle: among their workers some are certified every day, some become
    # certified within the days, and some never are.
    every_day, became, never = 0, 0, 0
    for seed in range(6):
        workers = [WorkerFactory.create() for _ in range(12)]
        random_completions(random.Random(seed), workers)
        found = [certified_in_database(FIRST + datetime.timedelta(days=offset)) for offset in range(-1, 17)]
        for worker in workers:
            certified = [worker.pk in ids for ids in found]
            every_day += all(certified)
            became += certified[-1] and not certified[0]
            never += not any(certified)
    assert (every_day >= 5, became >= 5, never >= 5) == (True, True, True), (every_day, became, never)


def test_the_indicators_do_not_import_the_training() -> None:
    for path in Path(sswis.indicators.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)] + [
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        ]
        assert not [name for name in imported if name.startswith("sswis.training")], path
