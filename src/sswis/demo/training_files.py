"""The demo country's training as two files of the mapping template (version 2): ``programmes.csv`` (six
programmes of two institutions, two of them certifying to work with child victims of violence) and
``completions.csv`` (about 40% of the workers completed at least one programme).

Written from the generated ``workers.csv`` and ``assignments.csv``, from a fixed seed, so the same
template gives byte-identical files. Who completed what follows the cadre of the worker's first
assignment: professionals a degree or diploma before they started, para-professionals the para-social
worker certificate; in-service and online courses during service. Every completion is on or after the
worker's 18th birthday (16th for a short course) and no later than 31 December of the last year, so the
files are valid against the contract; some completions of the child-victims course are dated before the
government recognised it (1 July 2021), which the certified share must not count.
"""

from __future__ import annotations

import csv
import datetime
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Final

UNIVERSITY: Final = "University of Kandara, School of Social Work"
TRAINING_UNIT: Final = "Kandara Child Protection Training Unit"

PROGRAMMES_COLUMNS: Final = (
    "code",
    "name",
    "institution",
    "kind",
    "government_recognised_from",
    "certifies_child_victims",
)
COMPLETIONS_COLUMNS: Final = ("worker_id", "programme_code", "completed_on", "certificate_number")

PROGRAMMES: Final = (
    ("BSW", "Bachelor of Social Work", UNIVERSITY, "pre_service_degree", "2005-01-01", "yes"),
    ("DSW", "Diploma in Social Work", UNIVERSITY, "pre_service_diploma", "2010-01-01", "no"),
    (
        "CHILD-VICTIMS",
        "Certificate in protecting child victims of violence",
        UNIVERSITY,
        "in_service",
        "2021-07-01",
        "yes",
    ),
    (
        "PSW-CERT",
        "Para-social worker certificate",
        TRAINING_UNIT,
        "pre_service_certificate",
        "2015-01-01",
        "no",
    ),
    ("CM-COURSE", "Case management in-service course", TRAINING_UNIT, "in_service", "2018-01-01", "no"),
    (
        "PFA-ONLINE",
        "Online course: psychological first aid for children",
        TRAINING_UNIT,
        "online_course",
        "",
        "no",
    ),
)

_PROFESSIONAL: Final = frozenset({"SWO", "SW", "PO", "CM"})
_PARA_PROFESSIONAL: Final = frozenset({"PSW", "CCYCW"})
_DEGREE_LEVELS: Final = frozenset({"bachelor", "master", "doctorate"})
_IN_SERVICE_FROM: Final = datetime.date(2019, 1, 1)  # the in-service and online courses' first sessions


@dataclass(frozen=True)
class _Person:
    worker_id: str
    birth_date: datetime.date | None
    education_level: str
    cadre: str  # of the first assignment
    start: datetime.date  # of the first assignment


def _people(folder: Path) -> list[_Person]:
    first: dict[str, tuple[datetime.date, str]] = {}
    with (folder / "assignments.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            start = datetime.date.fromisoformat(row["start_date"])
            known = first.get(row["worker_id"])
            if known is None or start < known[0]:
                first[row["worker_id"]] = (start, row["cadre_code"])
    people: list[_Person] = []
    with (folder / "workers.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row["worker_id"] not in first:
                continue
            start, cadre = first[row["worker_id"]]
            birth = datetime.date.fromisoformat(row["birth_date"]) if row["birth_date"] else None
            people.append(_Person(row["worker_id"], birth, row["education_level"], cadre, start))
    return people


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date | None:
    if last < first:
        return None
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _adult_from(person: _Person, years: int) -> datetime.date:
    if person.birth_date is None:
        return datetime.date(1900, 1, 1)
    try:
        return person.birth_date.replace(year=person.birth_date.year + years)
    except ValueError:  # born on 29 February
        return person.birth_date.replace(year=person.birth_date.year + years, day=28)


def _completions_of(
    rng: random.Random, person: _Person, last: datetime.date
) -> list[tuple[str, datetime.date]]:
    """The programmes ``person`` completed and when, drawn in a fixed order from ``rng``."""
    done: list[tuple[str, datetime.date]] = []
    adult, short_course_age = _adult_from(person, 18), _adult_from(person, 16)
    in_service_from = max(person.start, _IN_SERVICE_FROM, short_course_age)

    def add(code: str, day: datetime.date | None) -> None:
        if day is not None and day <= last:
            done.append((code, day))

    if person.cadre in _PROFESSIONAL:
        if person.education_level in _DEGREE_LEVELS and rng.random() < 0.75:
            year = person.start.year - rng.choice((0, 1, 1, 2))
            add("BSW", max(adult, datetime.date(year, 6, 30)) if year >= 1980 else None)
        elif person.education_level == "diploma" and rng.random() < 0.6:
            add("DSW", max(adult, datetime.date(person.start.year - 1, 11, 30)))
        if rng.random() < 0.35:
            add("CHILD-VICTIMS", _day_between(rng, in_service_from, last))
        if rng.random() < 0.2:
            add("CM-COURSE", _day_between(rng, in_service_from, last))
    elif person.cadre in _PARA_PROFESSIONAL:
        if rng.random() < 0.5:
            add("PSW-CERT", max(adult, person.start - datetime.timedelta(days=rng.randint(30, 400))))
        if rng.random() < 0.25:
            add("CM-COURSE", _day_between(rng, in_service_from, last))
        if rng.random() < 0.15:
            add("CHILD-VICTIMS", _day_between(rng, in_service_from, last))
    if rng.random() < 0.12:
        add("PFA-ONLINE", _day_between(rng, max(in_service_from, datetime.date(2022, 3, 1)), last))
    return done


def training_files_write(*, folder: Path, seed: int, last_year: int) -> dict[str, int]:
    """Write ``programmes.csv`` and ``completions.csv`` into ``folder`` (which holds the generated
    ``workers.csv`` and ``assignments.csv``); return the number of rows of each.

    A worker completes a programme at most once; certificate numbers are unique per programme.
    """
    rng = random.Random(f"{seed}-training")
    last = datetime.date(last_year, 12, 31)
    rows: list[tuple[str, str, str, str]] = []
    issued: dict[str, int] = {}
    for person in _people(folder):
        for code, day in _completions_of(rng, person, last):
            issued[code] = issued.get(code, 0) + 1
            rows.append((person.worker_id, code, day.isoformat(), f"{code}-{day.year}-{issued[code]:05d}"))
    with (folder / "programmes.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(PROGRAMMES_COLUMNS)
        writer.writerows(PROGRAMMES)
    with (folder / "completions.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(COMPLETIONS_COLUMNS)
        writer.writerows(rows)
    return {"programmes.csv": len(PROGRAMMES), "completions.csv": len(rows)}
