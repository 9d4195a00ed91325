"""A small hand-built country for duplicate detection: 1,000 distinct background workers (seeded), 30
seeded copies of some of them with one error each (a typo, no national id, given and family names
swapped, a typo and no phone) (so that the model has duplicates to learn from,
about the share a real register has), and the known cases.

Known duplicates (must be found):

* ``mohamed``: Mohamed Hassan / Mohammed Hassan, same birth date and national id (both in D11);
* ``nguyen``: Nguyễn Thi Lan / Nguyen Thi Lan, same birth date and phone, one without a national id (D11,
  D12: both in region R1);
* ``swapped``: Grace Banda / Banda Grace, same birth date and phone (D11 and D21: across regions);
* ``birth``: Esther Mwale born 1985-03-07 / 1985-07-03 (day and month swapped), same national id (D21).

Twins (must NOT be found): Peter and Paul Otieno, same birth date, family name, sex and district (D11),
different national ids and phones.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

import pytest

from sswis.duplicates.models import LinkageModel
from sswis.registry.models import Assignment, Worker
from tests.conftest import Country

BACKGROUND = 1000
SYLLABLES = (
    "ba",
    "da",
    "ka",
    "la",
    "ma",
    "na",
    "pa",
    "ta",
    "wa",
    "zi",
    "mbe",
    "ngo",
    "chi",
    "ru",
    "so",
    "ye",
)


@dataclass
class World:
    pairs: dict[str, tuple[Worker, Worker]]
    twins: tuple[Worker, Worker]
    planted: set[tuple[str, str]]  # the background copies: (original's worker ID, copy's worker ID)


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _worker(
    index: int,
    given: str,
    family: str,
    born: datetime.date,
    national_id: str = "",
    phone: str = "",
    sex: str = "female",
) -> Worker:
    return Worker(
        worker_id=f"K{index:05d}", given_name=given, family_name=family, sex=sex, birth_date=born,
        national_id=national_id, phone=phone, education_level="bachelor",
    )  # fmt: skip


def world_build(country: Country) -> World:
    rng = random.Random(20261207)
    districts = [country.district_11, country.district_12, country.district_21]
    background = [
        _worker(
            index, _name(rng), _name(rng), datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(15000)),
            national_id=f"{rng.randrange(10**11, 10**12)}", phone=f"07{rng.randrange(10**8):08d}",
            sex=rng.choice(("female", "male")),
        )
        for index in range(BACKGROUND)
    ]  # fmt: skip
    planted: set[tuple[str, str]] = set()
    for number, original in enumerate(rng.sample(background[:BACKGROUND], 30)):
        copy = _worker(
            2000 + number, original.given_name, original.family_name, original.birth_date,
            original.national_id, original.phone, original.sex,
        )  # fmt: skip
        error = number % 4
        if error == 0:
            copy.given_name = copy.given_name[:-1] + ("e" if copy.given_name[-1] != "e" else "a")
        elif error == 1:
            copy.national_id = ""
        elif error == 3:
            copy.given_name, copy.family_name = copy.family_name, copy.given_name
        else:
            copy.phone = ""
            copy.family_name = copy.family_name + copy.family_name[-1]
        planted.add((original.worker_id, copy.worker_id))
        background.append(copy)
    known = {
        "mohamed": (
            _worker(1001, "Mohamed", "Hassan", datetime.date(1980, 5, 17), "900000000001", sex="male"),
            _worker(1002, "Mohammed", "Hassan", datetime.date(1980, 5, 17), "900000000001", sex="male"),
        ),
        "nguyen": (
            _worker(1003, "Thi Lan", "Nguyễn", datetime.date(1990, 8, 21), "900000000002", "0711000002"),
            _worker(1004, "Thi Lan", "Nguyen", datetime.date(1990, 8, 21), "", "0711000002"),
        ),
        "swapped": (
            _worker(1005, "Grace", "Banda", datetime.date(1975, 1, 30), "900000000003", "0711000003"),
            _worker(1006, "Banda", "Grace", datetime.date(1975, 1, 30), "", "0711000003"),
        ),
        "birth": (
            _worker(1007, "Esther", "Mwale", datetime.date(1985, 3, 7), "900000000004"),
            _worker(1008, "Esther", "Mwale", datetime.date(1985, 7, 3), "900000000004"),
        ),
    }
    twins = (
        _worker(1009, "Peter", "Otieno", datetime.date(1988, 2, 14), "900000000005", "0711000005", "male"),
        _worker(1010, "Paul", "Otieno", datetime.date(1988, 2, 14), "912345678906", "0711000006", "male"),
    )
    everyone = [*background, *[w for pair in known.values() for w in pair], *twins]
    Worker.objects.bulk_create(everyone)
    saved = {w.worker_id: w for w in Worker.objects.all()}
    places = {
        "K01001": country.district_11, "K01002": country.district_11, "K01003": country.district_11,
        "K01004": country.district_12, "K01005": country.district_11, "K01006": country.district_21,
        "K01007": country.district_21, "K01008": country.district_21, "K01009": country.district_11,
        "K01010": country.district_11,
    }  # fmt: skip
    Assignment.objects.bulk_create(
        Assignment(
            worker=worker,
            organisation=country.ministry,
            location=places.get(worker.worker_id) or districts[index % 3],
            cadre=country.social_worker,
            start_date=datetime.date(2015, 1, 1) + datetime.timedelta(days=index),
            paid=True,
            fte=1,
            child_protection=True,
            worker_sex=worker.sex,
        )
        for index, worker in enumerate(saved.values())
    )
    return World(
        pairs={key: (saved[a.worker_id], saved[b.worker_id]) for key, (a, b) in known.items()},
        twins=(saved[twins[0].worker_id], saved[twins[1].worker_id]),
        planted=planted,
    )


_TRAINED: dict[str, Any] = {}
WORKERS = BACKGROUND + 30 + 10


@pytest.fixture
def world(country: Country) -> World:
    return world_build(country)


@pytest.fixture
def trained_model(world: World) -> LinkageModel:
    """The model trained on the world once per test session (training is deterministic: seeded), stored
    in each test's database; the first test pays the training."""
    if "settings" not in _TRAINED:
        import duckdb

        from sswis.duplicates.linkage import model_train
        from sswis.duplicates.reading import workers_load

        database = duckdb.connect()
        count = workers_load(database=database, today=datetime.date(2025, 6, 30))
        _TRAINED["settings"] = model_train(database=database, workers=count)
        _TRAINED["count"] = count
        database.close()
    return LinkageModel.objects.create(splink_settings=_TRAINED["settings"], workers_count=_TRAINED["count"])


@pytest.fixture
def detected(world: World, trained_model: LinkageModel) -> Any:
    """A finished run over the world (its 34 open pairs)."""
    from sswis.duplicates.models import RunOrigin
    from sswis.duplicates.services import duplicate_run_create, duplicate_run_execute

    return duplicate_run_execute(
        run=duplicate_run_create(actor=None, threshold=0.9, train=False, origin=RunOrigin.COMMAND)
    )


def pair_of(run: Any, workers: tuple[Worker, Worker]) -> Any:
    from sswis.duplicates.models import CandidatePair

    low, high = sorted(workers, key=lambda worker: worker.pk)
    return CandidatePair.objects.get(run=run, worker_a=low, worker_b=high)
