"""A small hand-written mapping template on top of the ``country`` fixture, and helpers to write it.

The template extends the fixture's country (KD > R1, R2 > D11, D12, D21): it restates KD and R1 as
they are (unchanged), adds district D13 with ward W131 (the ward comes first: a parent may follow its
children), a ministry office and a community group, one new cadre (and SW unchanged), two posts,
three workers and four assignments. It has no problem at all, not even a warning.

``REGULATION`` is a council's lists on top of the same country: two registers of one body (named twice,
in other capitals and spaces), three registrations (one registered, one suspended, one lapsed) and three
licences, referring to a worker of the registry (``W1``, the ``council_worker`` fixture) and to a worker
and a cadre of the same template.
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from sswis.geo.models import Location, PopulationEstimate
from sswis.registry.models import Assignment, Cadre, Organisation, Post, Worker
from sswis.regulation.models import Licence, Register, Registration, RegistrationStatusChange, RegulatoryBody
from sswis.support.models import Caseload, SupervisionRelationship, SupervisionSession
from sswis.training.models import Completion, Programme, TrainingInstitution
from tests.factories import WorkerFactory

Files = dict[str, list[list[str]]]

BASE: Files = {
    "locations": [
        ["code", "name", "parent_code", "type", "setting"],
        ["KD", "Kandara", "", "country", ""],
        ["R1", "North", "KD", "region", ""],
        ["W131", "Delta Ward", "D13", "ward", "urban"],
        ["D13", "Delta", "R1", "district", "rural"],
    ],
    "population": [
        ["location_code", "year", "children", "total"],
        ["D11", "2024", "1000", "2100"],
        ["D12", "2024", "1500", ""],
        ["R1", "2024", "2500", "5000"],
        ["D13", "2023", "800", "1600"],
    ],
    "organizations": [
        ["code", "name", "type", "sector", "location_code", "parent_code"],
        ["MSW-D13", "Delta Social Welfare Office", "government", "social_welfare", "D13", "MSW"],
        ["CBO1", "Delta Children's Group", "community_based", "", "W131", ""],
    ],
    "cadres": [
        ["code", "name", "category", "isco08"],
        ["SW", "Social worker", "professional", "2635"],
        ["CCW", "Community child care worker", "para_professional", "3412"],
    ],
    "posts": [
        [
            "code",
            "organization_code",
            "location_code",
            "cadre_code",
            "grade",
            "funded",
            "established_on",
            "abolished_on",
        ],
        ["P1", "MSW-D13", "D13", "SW", "G7", "yes", "2020-01-01", ""],
        ["P2", "MSW-D13", "D13", "SW", "G7", "no", "", ""],
    ],
    "workers": [
        [
            "worker_id",
            "given_name",
            "family_name",
            "sex",
            "birth_date",
            "disability",
            "education_level",
            "education_field",
            "national_id",
            "phone",
            "email",
        ],
        [
            "W001",
            "Amina",
            "Okello",
            "female",
            "1988-04-12",
            "no",
            "bachelor",
            "social work",
            "19880412-0042",
            "+255 712 345 678",
            "amina@example.org",
        ],
        ["W002", "Baraka", "Mushi", "male", "", "", "diploma", "", "", "", ""],
        ["W003", "Chausiku", "Ndege", "", "", "", "", "", "", "", ""],
    ],
    "assignments": [
        [
            "worker_id",
            "organization_code",
            "location_code",
            "cadre_code",
            "post_code",
            "start_date",
            "end_date",
            "paid",
            "fte",
            "child_protection",
            "exit_reason",
        ],
        ["W001", "MSW-D13", "D13", "SW", "P1", "2020-02-01", "", "yes", "1", "yes", ""],
        ["W002", "CBO1", "W131", "CCW", "", "2021-01-01", "2022-12-31", "no", "0.5", "", "resigned"],
        ["W002", "CBO1", "W131", "CCW", "", "2023-01-01", "", "no", "0.5", "yes", ""],
        ["W003", "NGO1", "D21", "CPV", "", "2022-06-01", "", "no", "", "no", ""],
    ],
}

# What the base template does to the fixture's country, file by file: (read, created, unchanged).
BASE_COUNTS = {
    "locations.csv": (4, 2, 2),
    "population.csv": (4, 4, 0),
    "organizations.csv": (2, 2, 0),
    "cadres.csv": (2, 1, 1),
    "posts.csv": (2, 2, 0),
    "workers.csv": (3, 3, 0),
    "assignments.csv": (4, 4, 0),
}

REGULATION: Files = {
    "cadres": [["code", "name", "category"], ["CCW", "Community child care worker", "para_professional"]],
    "workers": [["worker_id", "given_name", "family_name"], ["W2", "Baraka", "Mushi"]],
    "assignments": [
        ["worker_id", "organization_code", "location_code", "cadre_code", "start_date", "paid"],
        ["W2", "NGO1", "D21", "CCW", "2019-06-01", "no"],
    ],
    "registers": [
        ["code", "name", "body", "cadre_codes"],
        ["SW-REG", "Social workers", "Social Service Council", "SW"],
        ["AUX-REG", "Social auxiliary workers", "social  service COUNCIL", "PSW; CCW"],
    ],
    "registrations": [
        ["worker_id", "register_code", "registration_number", "registered_on", "status", "status_since"],
        ["W1", "SW-REG", "SW-001", "2019-03-01", "", ""],
        ["W2", "SW-REG", "SW-002", "2020-01-15", "suspended", "2024-05-01"],
        ["W1", "AUX-REG", "AUX-001", "2021-06-01", "lapsed", "2023-07-01"],
    ],
    "licences": [
        ["register_code", "registration_number", "licence_number", "valid_from", "valid_until"],
        ["SW-REG", "SW-001", "L-1", "2019-03-01", "2019-12-31"],
        ["SW-REG", "SW-001", "L-2", "2020-01-01", "2020-12-31"],
        ["SW-REG", "SW-002", "", "2020-01-15", "2021-01-14"],
    ],
}

# What the regulation template does to the country with worker W1: (read, created).
REGULATION_COUNTS = {
    "cadres.csv": (1, 1),
    "workers.csv": (1, 1),
    "assignments.csv": (1, 1),
    "registers.csv": (2, 2),
    "registrations.csv": (3, 3),
    "licences.csv": (3, 3),
}

MODELS = (
    Location,
    PopulationEstimate,
    Organisation,
    Cadre,
    Post,
    Worker,
    Assignment,
    RegulatoryBody,
    Register,
    Registration,
    RegistrationStatusChange,
    Licence,
    TrainingInstitution,
    Programme,
    Completion,
    SupervisionRelationship,
    SupervisionSession,
    Caseload,
)


def files_write(folder: Path, files: Files, *, encoding: str = "utf-8") -> Path:
    """Write each file as ``<name>.csv`` in ``folder`` (created); return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        with (folder / f"{name}.csv").open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
    return folder


def database_snapshot() -> dict[str, int]:
    """Rows of every registry, regulation, training and support table and of its history: nothing written means this
    does not change."""
    counts: dict[str, int] = {}
    for model in MODELS:
        counts[model.__name__] = model.objects.count()
        counts[f"{model.__name__} history"] = model.history.count()  # type: ignore[attr-defined]
    return counts


@pytest.fixture
def base_files() -> Files:
    """A fresh deep copy of the base template, to change in a test."""
    return copy.deepcopy(BASE)


@pytest.fixture
def regulation_files() -> Files:
    """A fresh deep copy of the regulation template, to change in a test."""
    return copy.deepcopy(REGULATION)


@pytest.fixture
def council_worker(country: Any) -> Worker:
    """Worker ``W1`` of the registry, whom the regulation template registers twice."""
    return cast(Worker, WorkerFactory(worker_id="W1", given_name="Amina", family_name="Okello"))


@pytest.fixture
def template(tmp_path: Path, base_files: Files) -> Callable[..., Path]:
    """``template(files=None, folder="t")``: write ``files`` (default: the base template) and return the folder."""

    def write(files: Files | None = None, folder: str = "template", **options: Any) -> Path:
        return files_write(tmp_path / folder, base_files if files is None else files, **options)

    return write
