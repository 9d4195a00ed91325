"""Detection on the hand-built world: the known pairs are found with their reasons, the twins are not, a
rejected pair is not proposed again, and the run, its clusters and the model are stored."""

from __future__ import annotations

import datetime

import duckdb
import pytest

from sswis.duplicates.linkage import clusters_of
from sswis.duplicates.models import (
    CandidatePair,
    DuplicateRun,
    LinkageModel,
    PairStatus,
    RunOrigin,
    RunStatus,
)
from sswis.duplicates.reading import name_ascii, name_phonetic, workers_load
from sswis.duplicates.services import duplicate_run_create, duplicate_run_execute, pair_reject
from tests.duplicates.conftest import WORKERS, World

pytestmark = pytest.mark.django_db


def _found(run: DuplicateRun) -> set[tuple[str, str]]:
    return {
        (pair.worker_a.worker_id, pair.worker_b.worker_id)
        for pair in CandidatePair.objects.filter(run=run).select_related("worker_a", "worker_b")
    }


def _key(world: World, name: str) -> tuple[str, str]:
    a, b = world.pairs[name]
    return (a.worker_id, b.worker_id) if a.pk < b.pk else (b.worker_id, a.worker_id)


def test_names_are_transliterated_and_coded() -> None:
    assert name_ascii("Nguyễn") == "nguyen"
    assert name_ascii("Jean-Baptiste") == "jean baptiste"
    assert name_ascii("Ng'ang'a") == "nganga"
    assert name_ascii("Иван") == "ivan"
    assert name_phonetic("mohamed") == name_phonetic("mohammed") == "MHMT"
    assert name_phonetic("da silva") == name_phonetic("dasilva")


def test_the_workers_are_read_with_their_current_location(world: World) -> None:
    database = duckdb.connect()
    count = workers_load(database=database, today=datetime.date(2025, 6, 30))
    assert count == WORKERS
    row = database.execute(
        "SELECT given_ascii, family_ascii, family_phonetic, birth_date, birth_date_swapped, national_id, phone, "
        "location_id FROM workers WHERE worker_id = 'K01003'"
    ).fetchall()
    assert row == [
        ("thi lan", "nguyen", "NKYN", "1990-08-21", None, "900000000002", "711000002",
         world.pairs["nguyen"][0].assignments.get().location_id),
    ]  # fmt: skip
    swapped = database.execute("SELECT birth_date_swapped FROM workers WHERE worker_id = 'K01007'").fetchall()
    assert swapped == [("1985-07-03",)]
    missing = database.execute("SELECT national_id FROM workers WHERE worker_id = 'K01004'").fetchall()
    assert missing == [(None,)]


def test_known_pairs_are_found_and_twins_are_not(world: World, trained_model: LinkageModel) -> None:
    run = duplicate_run_create(actor=None, threshold=0.9, train=False, origin=RunOrigin.COMMAND)
    run = duplicate_run_execute(run=run)
    assert run.status == RunStatus.SUCCESS
    assert run.model == trained_model
    assert run.workers_count == WORKERS
    found = _found(run)
    known = {_key(world, name) for name in ("mohamed", "nguyen", "swapped", "birth")}
    assert found == known | world.planted
    twins = tuple(sorted(w.worker_id for w in world.twins))
    assert twins not in found
    swapped = CandidatePair.objects.get(run=run, worker_a=world.pairs["swapped"][0])
    assert swapped.reasons["names"]["level"] == "given and family names swapped"
    assert swapped.reasons["names"]["match_weight"] > 0
    assert swapped.reasons["national_id"] == {"level": "missing", "match_weight": 0.0}
    birth = CandidatePair.objects.get(run=run, worker_a=world.pairs["birth"][0])
    assert birth.reasons["birth_date"]["level"] == "day and month swapped"
    assert set(birth.reasons) == {"names", "birth_date", "sex", "national_id", "phone", "email", "location"}
    assert run.pairs_count == 34 and run.clusters_count == 34


def test_a_rejected_pair_is_not_proposed_again(world: World, trained_model: LinkageModel, personas) -> None:
    first = duplicate_run_execute(
        run=duplicate_run_create(actor=None, threshold=0.9, train=False, origin=RunOrigin.COMMAND)
    )
    pair = CandidatePair.objects.get(run=first, worker_a=world.pairs["birth"][0])
    pair_reject(actor=personas.national, pair=pair, reason="Two colleagues with the same name")
    second = duplicate_run_execute(
        run=duplicate_run_create(actor=None, threshold=0.9, train=False, origin=RunOrigin.COMMAND)
    )
    assert _key(world, "birth") not in _found(second)
    assert second.pairs_count == 33
    assert second.skipped_rejected == 1
    assert CandidatePair.objects.get(pk=pair.pk).status == PairStatus.REJECTED


def test_a_run_trains_and_stores_the_model_when_none_is_stored(world: World, personas) -> None:
    run = duplicate_run_create(actor=personas.national, threshold=0.9, train=True, origin=RunOrigin.PAGE)
    run = duplicate_run_execute(run=run)
    assert run.status == RunStatus.SUCCESS
    model = LinkageModel.objects.get()
    assert run.model == model
    assert model.trained_by == personas.national
    assert model.workers_count == WORKERS
    assert model.history.get().history_user == personas.national
    names = [comparison["output_column_name"] for comparison in model.splink_settings["comparisons"]]
    assert names == ["names", "birth_date", "sex", "national_id", "phone", "email", "location"]
    assert _key(world, "mohamed") in _found(run)


def test_a_run_with_too_few_workers_fails_with_the_reason(db) -> None:
    run = duplicate_run_execute(
        run=duplicate_run_create(actor=None, threshold=0.9, train=True, origin=RunOrigin.COMMAND)
    )
    assert run.status == RunStatus.FAILED
    assert run.error == "at least two workers are needed to train the model"
    assert CandidatePair.objects.count() == 0


@pytest.mark.parametrize("threshold", ["0", "1", "abc", "-0.5", "1.5"])
def test_a_bad_threshold_is_refused(db, threshold: str) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refusal:
        duplicate_run_create(actor=None, threshold=threshold, train=False, origin=RunOrigin.COMMAND)
    assert refusal.value.message_dict == {"threshold": ["The threshold must be a number between 0 and 1."]}
    assert DuplicateRun.objects.count() == 0


def test_clusters_are_connected_components() -> None:
    assert clusters_of([(5, 9), (1, 2), (2, 3), (9, 12)]) == {1: 1, 2: 1, 3: 1, 5: 2, 9: 2, 12: 2}
    assert clusters_of([]) == {}
