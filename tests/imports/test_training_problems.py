"""Every problem of the training files: its exact file, row, column, value and message; all reported at once;
errors write nothing."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sswis.imports.report import FileCounts
from sswis.imports.services import template_import
from tests.conftest import Personas
from tests.factories import WorkerFactory
from tests.imports.conftest import Files, database_snapshot
from tests.imports.test_training_files import COMPLETION_HEADER, PROGRAMME_HEADER
from tests.training.factories_imports import ProgrammeFactory, TrainingInstitutionFactory

Template = Callable[..., Path]

GOOD: Files = {
    "programmes": [
        PROGRAMME_HEADER,
        [
            "BSW",
            "Bachelor of Social Work",
            "Institute of Social Work",
            "pre_service_degree",
            "2015-07-01",
            "yes",
        ],
        ["CP-IN", "Child protection in practice", "Institute of Social Work", "in_service", "", "no"],
    ],
    "completions": [
        COMPLETION_HEADER,
        ["W1", "BSW", "2019-11-30", "ISW-2019-0042"],
        ["W1", "CP-IN", "2023-05-02", ""],
        ["W1", "STORED", "2023-06-01", ""],
    ],
}


@pytest.fixture
def training(country: Any) -> None:
    """Institution ISW, its programme STORED, and worker W1 of the registry."""
    institution = TrainingInstitutionFactory(code="ISW", name="Institute of Social Work")
    ProgrammeFactory(code="STORED", institution=institution)
    WorkerFactory(worker_id="W1")


def cell(name: str, row: int, column: int, value: str) -> Callable[[Files], None]:
    def change(files: Files) -> None:
        files[name][row][column] = value

    return change


def append(name: str, *rows: list[str]) -> Callable[[Files], None]:
    def change(files: Files) -> None:
        files[name].extend(list(row) for row in rows)

    return change


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
TODAY = timezone.localdate().isoformat()

# (case, change to the good files, the one expected error: file, row, column, value, message)
ERROR_CASES: list[tuple[str, Callable[[Files], None], tuple[str, int, str, str, str]]] = [
    (
        "programme code missing",
        append("programmes", ["", "Nameless", "", "in_service", "", ""]),
        ("programmes.csv", 3, "code", "", "Code is missing; every programme needs one."),
    ),
    (
        "programme code too long",
        append("programmes", ["P" * 51, "Long", "", "in_service", "", ""]),
        ("programmes.csv", 3, "code", "P" * 51, "Code has 51 characters; at most 50 are allowed."),
    ),
    (
        "programme twice",
        append("programmes", ["CP-IN", "Again", "", "in_service", "", ""]),
        (
            "programmes.csv",
            3,
            "code",
            "CP-IN",
            "Programme code 'CP-IN' appears more than once in programmes.csv (first on row 2).",
        ),
    ),
    (
        "bad kind",
        cell("programmes", 2, 3, "evening_class"),
        (
            "programmes.csv",
            2,
            "kind",
            "evening_class",
            "Kind 'evening_class' is not one of the allowed values: pre_service_degree, pre_service_diploma, "
            "pre_service_certificate, in_service, online_course.",
        ),
    ),
    (
        "kind missing",
        cell("programmes", 2, 3, ""),
        ("programmes.csv", 2, "kind", "", "Kind is missing; every programme needs one."),
    ),
    (
        "bad recognition date",
        cell("programmes", 1, 4, "01/07/2015"),
        (
            "programmes.csv",
            1,
            "government_recognised_from",
            "01/07/2015",
            "Government recognised from '01/07/2015' is not a date written YYYY-MM-DD, e.g. 2024-03-31.",
        ),
    ),
    (
        "bad boolean",
        cell("programmes", 1, 5, "perhaps"),
        (
            "programmes.csv",
            1,
            "certifies_child_victims",
            "perhaps",
            "Certifies for child victims 'perhaps' is not yes or no (true/false and 1/0 are accepted too).",
        ),
    ),
    (
        "control character in a name",
        cell("programmes", 1, 1, "Bachelor\x07 of Social Work"),
        (
            "programmes.csv",
            1,
            "name",
            "Bachelor[U+0007] of Social Work",
            "Name contains a character that is not allowed: U+0007 (character 9). Remove it, or type the text "
            "again instead of pasting it.",
        ),
    ),
    (
        "control character in an institution",
        cell("programmes", 2, 2, "Institute\x1b"),
        (
            "programmes.csv",
            2,
            "institution",
            "Institute[U+001B]",
            "Institution contains a character that is not allowed: U+001B (character 10). Remove it, or type "
            "the text again instead of pasting it.",
        ),
    ),
    (
        "institution name too long",
        cell("programmes", 2, 2, "I" * 201),
        (
            "programmes.csv",
            2,
            "institution",
            "I" * 201,
            "Institution has 201 characters; at most 200 are allowed.",
        ),
    ),
    (
        "unknown worker",
        cell("completions", 2, 0, "NOBODY"),
        (
            "completions.csv",
            2,
            "worker_id",
            "NOBODY",
            "Worker ID 'NOBODY' is not in workers.csv nor in the registry.",
        ),
    ),
    (
        "unknown programme",
        cell("completions", 3, 1, "NO-SUCH"),
        (
            "completions.csv",
            3,
            "programme_code",
            "NO-SUCH",
            "Programme code 'NO-SUCH' is not in programmes.csv nor in the registry.",
        ),
    ),
    (
        "bad completion date",
        cell("completions", 2, 2, "2023-02-30"),
        (
            "completions.csv",
            2,
            "completed_on",
            "2023-02-30",
            "Completed on '2023-02-30' is not a date written YYYY-MM-DD, e.g. 2024-03-31.",
        ),
    ),
    (
        "completion in the future",
        cell("completions", 2, 2, TOMORROW),
        (
            "completions.csv",
            2,
            "completed_on",
            TOMORROW,
            f"Completed on {TOMORROW} is in the future (the import ran on {TODAY}).",
        ),
    ),
    (
        "completion twice",
        append("completions", ["W1", "BSW", "2019-11-30", "ISW-2"]),
        (
            "completions.csv",
            4,
            "completed_on",
            "W1, BSW, 2019-11-30",
            "The same completion (W1, BSW, 2019-11-30) appears more than once in completions.csv (first on row 1).",
        ),
    ),
    (
        "certificate number too long",
        cell("completions", 1, 3, "C" * 101),
        (
            "completions.csv",
            1,
            "certificate_number",
            "C" * 101,
            "Certificate number has 101 characters; at most 100 are allowed.",
        ),
    ),
    (
        "unknown column",
        lambda files: files["completions"][0].__setitem__(3, "certificate_no"),
        (
            "completions.csv",
            0,
            "certificate_no",
            "",
            "Column 'certificate_no' is not a column of completions.csv; check its spelling. The columns are: "
            "worker_id, programme_code, completed_on, certificate_number.",
        ),
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [case[1:] for case in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_each_error_is_reported_exactly_and_nothing_is_written(
    personas: Personas,
    training: None,
    template: Template,
    change: Callable[[Files], None],
    expected: tuple[Any, ...],
) -> None:
    files = copy.deepcopy(GOOD)
    change(files)
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template(files))

    assert [(p.file, p.row, p.column, p.value, p.message) for p in report.errors] == [expected]
    assert report.imported is False
    assert database_snapshot() == before


def test_every_problem_of_both_files_is_reported_at_once(
    personas: Personas, training: None, template: Template
) -> None:
    files = copy.deepcopy(GOOD)
    files["programmes"][1][3] = "degree"
    files["programmes"][2][5] = "maybe"
    files["completions"][1][0] = "NOBODY"
    files["completions"][3][2] = TOMORROW

    report = template_import(actor=personas.national, source=template(files))

    assert [(p.file, p.row, p.column) for p in report.problems] == [
        ("programmes.csv", 1, "kind"),
        ("programmes.csv", 2, "certifies_child_victims"),
        ("completions.csv", 1, "worker_id"),
        ("completions.csv", 3, "completed_on"),
    ]
    # The completion of the rejected programme CP-IN is not reported again: its programme's row is.
    assert report.files == {
        "programmes.csv": FileCounts(read=2, rejected=2),
        "completions.csv": FileCounts(read=3, rejected=3),
    }
    assert report.summary == "Nothing was imported: 4 errors."


def test_a_completion_on_the_day_of_the_import_is_accepted(
    personas: Personas, training: None, template: Template
) -> None:
    files = {"completions": [COMPLETION_HEADER, ["W1", "STORED", TODAY, ""]]}

    report = template_import(actor=personas.national, source=template(files))

    assert (report.problems, report.files) == ([], {"completions.csv": FileCounts(read=1, created=1)})


def test_a_worker_and_a_programme_of_the_same_template_resolve(
    personas: Personas, training: None, template: Template
) -> None:
    files = copy.deepcopy(GOOD)
    files["workers"] = [["worker_id", "given_name", "family_name"], ["W2", "Baraka", "Mushi"]]
    files["assignments"] = [
        ["worker_id", "organization_code", "location_code", "cadre_code", "start_date", "paid"],
        ["W2", "NGO1", "D21", "CPV", "2022-01-01", "no"],
    ]
    files["completions"].append(["W2", "BSW", "2020-01-01", ""])

    report = template_import(actor=personas.national, source=template(files))

    assert report.problems == [] and report.files["completions.csv"] == FileCounts(read=4, created=4)
    assert report.imported is True
