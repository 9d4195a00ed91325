"""Importing the support files of the template (supervision.csv, supervision_sessions.csv, caseloads.csv,
contract ``support.md``, "Files"): defaults, enumerations, the rules of a row (no self-supervision, no end
before the start, nothing in the future, a worker found), a caseload replacing the stored one, importing again,
a workbook's sheets, and who may import them (an officer or an organisation focal point: the rows of the
workers they see; a training institution's focal point: none)."""

from __future__ import annotations

import copy
import datetime
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sswis.imports.modes import ImportMode
from sswis.imports.report import WARNING, FileCounts, Problem
from sswis.imports.schema import CASELOADS
from sswis.imports.services import template_import
from sswis.support.models import Caseload, SupervisionRelationship, SupervisionSession
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.imports.conftest import Files, database_snapshot
from tests.imports.test_template import validations, workbook_of
from tests.imports.test_workbook import workbook_write
from tests.training.factories_imports import TrainingInstitutionFactory, institution_focal_point

Template = Callable[..., Path]
D = datetime.date

SUPERVISION_HEADER = [
    "supervisor_worker_id",
    "supervisee_worker_id",
    "start_date",
    "end_date",
    "kind",
    "mode",
    "supervision_only_duty",
]
SESSION_HEADER = ["supervisor_worker_id", "supervisee_worker_id", "date", "duration_minutes", "kind"]
CASELOAD_HEADER = ["worker_id", "month", "open_cases", "kind"]

SUPPORT: Files = {
    "supervision": [
        SUPERVISION_HEADER,
        ["W1", "W2", "2024-01-15", "", "", "", ""],  # every default
        ["W1", "W3", "2023-06-01", "2024-05-31", "Educational", "group", "yes"],
    ],
    "supervision_sessions": [
        SESSION_HEADER,
        ["W1", "W2", "2024-03-12", "60", ""],
        ["W1", "W3", "2024-02-01", "", "administrative"],
    ],
    "caseloads": [
        CASELOAD_HEADER,
        ["W2", "2024-12", "18", ""],
        ["W2", "2024-12", "3", "foster_care"],
        ["W3", "2024-11", "0", ""],
    ],
}

CREATED = {
    "supervision.csv": FileCounts(read=2, created=2),
    "supervision_sessions.csv": FileCounts(read=2, created=2),
    "caseloads.csv": FileCounts(read=3, created=3),
}


@pytest.fixture
def workers(country: Country) -> dict[str, Any]:
    """W1 and W2 work for the ministry in D11 (region R1, the officer's), W3 for the NGO in D21 (the focal
    point's)."""
    made = {}
    for worker_id, location, organisation in (
        ("W1", country.district_11, country.ministry),
        ("W2", country.district_11, country.ministry),
        ("W3", country.district_21, country.ngo),
    ):
        worker = WorkerFactory(worker_id=worker_id)
        AssignmentFactory(
            worker=worker, location=location, organisation=organisation, cadre=country.social_worker
        )
        made[worker_id] = worker
    return made


@pytest.fixture
def files() -> Files:
    return copy.deepcopy(SUPPORT)


@pytest.fixture
def write(template: Template) -> Template:
    """``write(files)``: those files alone, each call in a folder of its own."""
    calls = itertools.count(1)
    return lambda files: template(files, folder=f"import-{next(calls)}")


def stored_relationships() -> list[tuple[Any, ...]]:
    return list(
        SupervisionRelationship.objects.order_by("supervisee__worker_id").values_list(
            "supervisor__worker_id",
            "supervisee__worker_id",
            "start_date",
            "end_date",
            "kind",
            "mode",
            "supervision_only_duty",
        )
    )


def stored_sessions() -> list[tuple[Any, ...]]:
    return list(
        SupervisionSession.objects.order_by("supervisee__worker_id").values_list(
            "supervisor__worker_id", "supervisee__worker_id", "date", "duration_minutes", "kind", "source"
        )
    )


def stored_caseloads() -> list[tuple[Any, ...]]:
    return list(
        Caseload.objects.order_by("worker__worker_id", "month", "kind").values_list(
            "worker__worker_id", "month", "kind", "open_cases", "source"
        )
    )


def _in(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _next_month() -> str:
    today = timezone.localdate()
    return f"{today.year + today.month // 12}-{today.month % 12 + 1:02}"


# What is written ----------------------------------------------------------------------------------------


def test_the_support_files_are_imported_with_their_defaults_and_exact_rows(
    personas: Personas, workers: dict[str, Any], write: Template, files: Files
) -> None:
    report = template_import(actor=personas.national, source=write(files))

    assert report.problems == []
    assert report.files == CREATED
    assert report.summary == "Imported: 7 created, 0 updated, 0 unchanged."
    assert stored_relationships() == [
        ("W1", "W2", D(2024, 1, 15), None, "supportive", "individual", False),
        ("W1", "W3", D(2023, 6, 1), D(2024, 5, 31), "educational", "group", True),
    ]
    assert stored_sessions() == [
        ("W1", "W2", D(2024, 3, 12), 60, "supportive", "template"),
        ("W1", "W3", D(2024, 2, 1), None, "administrative", "template"),
    ]
    assert stored_caseloads() == [
        ("W2", D(2024, 12, 1), "all", 18, "template"),
        ("W2", D(2024, 12, 1), "foster_care", 3, "template"),
        ("W3", D(2024, 11, 1), "all", 0, "template"),
    ]


def test_every_row_written_has_its_history_by_the_importing_user(
    personas: Personas, workers: dict[str, Any], write: Template, files: Files
) -> None:
    template_import(actor=personas.national, source=write(files))

    for model, count in ((SupervisionRelationship, 2), (SupervisionSession, 2), (Caseload, 3)):
        authors = list(model.history.values_list("history_user", "history_type"))  # type: ignore[attr-defined]
        assert authors == [(personas.national.pk, "+")] * count


def test_importing_the_same_files_again_creates_nothing_and_says_so(
    personas: Personas, workers: dict[str, Any], write: Template, files: Files
) -> None:
    template_import(actor=personas.national, source=write(files))
    before = database_snapshot()

    again = template_import(actor=personas.national, source=write(files))

    assert again.problems == []
    assert again.files == {
        "supervision.csv": FileCounts(read=2, unchanged=2),
        "supervision_sessions.csv": FileCounts(read=2, unchanged=2),
        "caseloads.csv": FileCounts(read=3, unchanged=3),
    }
    assert again.summary == "Imported. Nothing changed: all 7 rows were already in the registry."
    assert database_snapshot() == before


def test_the_support_files_may_name_the_workers_of_the_same_template(
    personas: Personas, workers: dict[str, Any], write: Template
) -> None:
    files = {
        "workers": [["worker_id", "given_name", "family_name"], ["W5", "Neema", "Juma"]],
        "assignments": [
            ["worker_id", "organization_code", "location_code", "cadre_code", "start_date", "paid"],
            ["W5", "MSW", "D12", "SW", "2022-01-01", "yes"],
        ],
        "supervision": [SUPERVISION_HEADER, ["W5", "W2", "2024-01-15", "", "", "", ""]],
        "caseloads": [CASELOAD_HEADER, ["W5", "2024-10", "12", ""]],
    }

    report = template_import(actor=personas.national, source=write(files))

    assert report.problems == []
    assert (report.files["supervision.csv"], report.files["caseloads.csv"]) == (
        FileCounts(read=1, created=1),
        FileCounts(read=1, created=1),
    )
    assert stored_relationships()[0][:2] == ("W5", "W2")


def test_a_changed_row_is_updated_and_a_caseload_replaced_whatever_its_source(
    personas: Personas, workers: dict[str, Any], write: Template, files: Files
) -> None:
    template_import(actor=personas.national, source=write(files))
    Caseload.objects.filter(kind="all", worker__worker_id="W2").update(open_cases=25, source="primero")
    Caseload.objects.filter(kind="all", worker__worker_id="W3").update(source="primero")  # the same figure
    SupervisionSession.objects.filter(supervisee__worker_id="W2").update(source="entered")
    changed = {
        "supervision": [
            ["supervisor_worker_id", "supervisee_worker_id", "start_date", "end_date"],  # kind, mode: kept
            ["W1", "W2", "2024-01-15", "2024-12-31"],
            ["W1", "W3", "2023-06-01", "2024-05-31"],
        ],
        "supervision_sessions": [SESSION_HEADER, ["W1", "W2", "2024-03-12", "90", ""]],
        "caseloads": [
            ["worker_id", "month", "open_cases"],  # no kind column: the caseloads of kind all
            ["W2", "2024-12", "18"],
            ["W3", "2024-11", "0"],
        ],
    }

    report = template_import(actor=personas.national, source=write(changed))

    assert report.problems == []
    assert report.files == {
        "supervision.csv": FileCounts(read=2, updated=1, unchanged=1),
        "supervision_sessions.csv": FileCounts(read=1, updated=1),
        "caseloads.csv": FileCounts(read=2, updated=1, unchanged=1),
    }
    assert stored_relationships() == [
        ("W1", "W2", D(2024, 1, 15), D(2024, 12, 31), "supportive", "individual", False),
        ("W1", "W3", D(2023, 6, 1), D(2024, 5, 31), "educational", "group", True),
    ]
    assert stored_sessions()[0] == (
        "W1",
        "W2",
        D(2024, 3, 12),
        90,
        "supportive",
        "entered",
    )  # keeps its source
    assert stored_caseloads() == [
        ("W2", D(2024, 12, 1), "all", 18, "template"),  # replaced: the template's from now on
        ("W2", D(2024, 12, 1), "foster_care", 3, "template"),
        ("W3", D(2024, 11, 1), "all", 0, "primero"),  # the same figure: unchanged
    ]
    caseload = Caseload.objects.get(kind="all", worker__worker_id="W2")
    latest = caseload.history.latest()  # type: ignore[attr-defined]
    assert (latest.history_type, latest.history_user) == ("~", personas.national)


def test_a_dry_run_reports_the_counts_and_writes_nothing(
    personas: Personas, workers: dict[str, Any], write: Template, files: Files
) -> None:
    before = database_snapshot()

    report = template_import(actor=personas.national, source=write(files), dry_run=True)

    assert (report.problems, report.files, report.imported) == ([], CREATED, False)
    assert database_snapshot() == before


# Problems -----------------------------------------------------------------------------------------------


def test_every_problem_of_every_support_file_is_reported_at_once_and_nothing_is_written(
    personas: Personas, workers: dict[str, Any], write: Template
) -> None:
    tomorrow, next_month = _in(1), _next_month()
    files = {
        "supervision": [
            SUPERVISION_HEADER,
            ["W1", "W1", "2024-01-15", "", "", "", ""],
            ["W1", "W2", "2024-01-15", "2023-12-31", "clinical", "remote", "maybe"],
            ["W9", "W2", tomorrow, "", "", "", ""],
            ["W1", "W3", "2024-01-15", "", "", "", ""],
            ["W1", "W3", "2024-01-15", "", "", "", ""],
        ],
        "supervision_sessions": [
            SESSION_HEADER,
            ["W2", "W2", "2024-03-12", "0", ""],
            ["W1", "W8", tomorrow, "1441", ""],
        ],
        "caseloads": [
            CASELOAD_HEADER,
            ["W2", "2024-13", "-1", ""],
            ["W2", "2024/12", "many", ""],
            ["W2", next_month, "4", ""],
            ["W9", "2024-12", "4", ""],
            ["W3", "2024-12", "", ""],
        ],
    }
    before = database_snapshot()

    report = template_import(actor=personas.national, source=write(files))

    today = timezone.localdate().isoformat()
    assert [(p.file, p.row, p.column, p.value, p.message) for p in report.problems] == [
        (
            "supervision.csv",
            1,
            "supervisee_worker_id",
            "W1",
            "Worker 'W1' is both the supervisor and the supervisee; a worker cannot supervise themselves.",
        ),
        (
            "supervision.csv",
            2,
            "kind",
            "clinical",
            "Kind 'clinical' is not one of the allowed values: administrative, educational, supportive.",
        ),
        (
            "supervision.csv",
            2,
            "mode",
            "remote",
            "Mode 'remote' is not one of the allowed values: individual, group, peer.",
        ),
        (
            "supervision.csv",
            2,
            "supervision_only_duty",
            "maybe",
            "Supervision only duty 'maybe' is not yes or no (true/false and 1/0 are accepted too).",
        ),
        (
            "supervision.csv",
            2,
            "end_date",
            "2023-12-31",
            "End date 2023-12-31 is before start date 2024-01-15.",
        ),
        (
            "supervision.csv",
            3,
            "supervisor_worker_id",
            "W9",
            "Worker ID 'W9' is not in workers.csv nor in the registry.",
        ),
        (
            "supervision.csv",
            3,
            "start_date",
            tomorrow,
            f"Start date {tomorrow} is in the future (the import ran on {today}).",
        ),
        (
            "supervision.csv",
            5,
            "start_date",
            "W1, W3, 2024-01-15",
            "The same supervision relationship (W1, W3, 2024-01-15) appears more than once in supervision.csv "
            "(first on row 4).",
        ),
        (
            "supervision_sessions.csv",
            1,
            "duration_minutes",
            "0",
            "Duration (minutes) '0' must be at least 1 and at most 1440.",
        ),
        (
            "supervision_sessions.csv",
            1,
            "supervisee_worker_id",
            "W2",
            "Worker 'W2' is both the supervisor and the supervisee; a worker cannot supervise themselves.",
        ),
        (
            "supervision_sessions.csv",
            2,
            "duration_minutes",
            "1441",
            "Duration (minutes) '1441' must be at least 1 and at most 1440.",
        ),
        (
            "supervision_sessions.csv",
            2,
            "supervisee_worker_id",
            "W8",
            "Worker ID 'W8' is not in workers.csv nor in the registry.",
        ),
        (
            "supervision_sessions.csv",
            2,
            "date",
            tomorrow,
            f"Date {tomorrow} is in the future (the import ran on {today}).",
        ),
        (
            "caseloads.csv",
            1,
            "month",
            "2024-13",
            "Month '2024-13' is not a month written YYYY-MM, e.g. 2025-12.",
        ),
        ("caseloads.csv", 1, "open_cases", "-1", "Open cases '-1' must be at least 0 and at most 100000."),
        (
            "caseloads.csv",
            2,
            "month",
            "2024/12",
            "Month '2024/12' is not a month written YYYY-MM, e.g. 2025-12.",
        ),
        ("caseloads.csv", 2, "open_cases", "many", "Open cases 'many' is not a whole number."),
        (
            "caseloads.csv",
            3,
            "month",
            next_month,
            f"Month {next_month} has not begun (the import ran on {today}).",
        ),
        ("caseloads.csv", 4, "worker_id", "W9", "Worker ID 'W9' is not in workers.csv nor in the registry."),
        ("caseloads.csv", 5, "open_cases", "", "Open cases is missing; every caseload needs one."),
    ]
    assert report.files == {
        "supervision.csv": FileCounts(read=5, created=1, rejected=4),  # written, then rolled back
        "supervision_sessions.csv": FileCounts(read=2, rejected=2),
        "caseloads.csv": FileCounts(read=5, rejected=5),
    }
    assert report.imported is False
    assert database_snapshot() == before


def test_a_caseload_repeated_in_the_file_is_an_error_also_without_the_kind_column(
    personas: Personas, workers: dict[str, Any], write: Template
) -> None:
    files = {
        "caseloads": [["worker_id", "month", "open_cases"], ["W2", "2024-12", "4"], ["W2", "2024-12", "5"]]
    }

    report = template_import(actor=personas.national, source=write(files))

    assert [(p.row, p.column, p.value, p.message) for p in report.problems] == [
        (
            2,
            "kind",
            "W2, 2024-12, all",
            "The same caseload (W2, 2024-12, all) appears more than once in caseloads.csv (first on row 1).",
        )
    ]
    assert not Caseload.objects.exists()


def test_skipping_invalid_rows_imports_the_others(
    personas: Personas, workers: dict[str, Any], write: Template
) -> None:
    files = {
        "supervision": [
            SUPERVISION_HEADER,
            ["W1", "W1", "2024-01-15", "", "", "", ""],
            SUPPORT["supervision"][1],
        ]
    }

    report = template_import(actor=personas.national, source=write(files), mode=ImportMode.SKIP_INVALID)

    assert report.files == {"supervision.csv": FileCounts(read=2, created=1, rejected=1)}
    assert [relationship[:2] for relationship in stored_relationships()] == [("W1", "W2")]


# A workbook ----------------------------------------------------------------------------------------------


def test_a_workbook_with_the_support_sheets_imports_as_the_csv_files_do(
    personas: Personas, workers: dict[str, Any], tmp_path: Path, files: Files
) -> None:
    report = template_import(actor=personas.national, source=workbook_write(tmp_path / "support.xlsx", files))

    assert [(p.file, p.severity) for p in report.problems] == [
        ("Notes", WARNING)
    ]  # the workbook's notes sheet
    assert report.files == CREATED
    assert stored_caseloads()[0] == ("W2", D(2024, 12, 1), "all", 18, "template")
    assert stored_sessions()[0] == ("W1", "W2", D(2024, 3, 12), 60, "supportive", "template")


def test_the_blank_workbook_has_the_support_sheets_and_their_instructions(country: Country) -> None:
    workbook = workbook_of(rows=10)

    assert workbook.sheetnames[-4:] == ["supervision", "supervision_sessions", "caseloads", "lists"]
    assert validations(workbook["supervision"])["E2:E11"] == (
        "list",
        None,
        '"administrative,educational,supportive"',
        None,
        "stop",
        "Kind: choose one of administrative, educational, supportive.",
    )
    assert workbook["caseloads"].column_dimensions["B"].number_format == "@"  # a month is typed as text
    instructions = [row for row in workbook["instructions"].values if row[0] == "caseloads"]
    assert [row[:3] for row in instructions[:4]] == [
        ("caseloads", "worker_id", "yes"),
        ("caseloads", "month", "yes"),
        ("caseloads", "open_cases", "yes"),
        ("caseloads", "kind", "no"),
    ]
    assert instructions[1][4] == "text; a month written YYYY-MM, e.g. 2025-12"
    assert [row[1] for row in instructions[4:]] == [str(rule) for rule in CASELOADS.rules]  # the rules


# Who may import them ------------------------------------------------------------------------------------


def test_an_officer_imports_the_rows_of_the_workers_they_see(
    personas: Personas, workers: dict[str, Any], write: Template
) -> None:
    files = {
        "supervision": [SUPERVISION_HEADER, ["W1", "W2", "2024-01-15", "", "", "", ""]],
        "supervision_sessions": [SESSION_HEADER, ["W1", "W2", "2024-03-12", "60", ""]],
        "caseloads": [CASELOAD_HEADER, ["W2", "2024-12", "18", ""]],
    }

    report = template_import(actor=personas.subnational, source=write(files))

    assert report.problems == []
    assert report.files == {
        "supervision.csv": FileCounts(read=1, created=1),
        "supervision_sessions.csv": FileCounts(read=1, created=1),
        "caseloads.csv": FileCounts(read=1, created=1),
    }
    relationship = SupervisionRelationship.objects.get()
    assert relationship.history.latest().history_user == personas.subnational  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("persona", "where", "mine", "other"),
    [
        ("subnational", "R1 (North) and below", "W2", "W3"),
        ("focal_point", "organisation NGO1", "W3", "W2"),
    ],
)
@pytest.mark.parametrize("mode", [ImportMode.ALL_OR_NOTHING, ImportMode.SKIP_INVALID])
def test_an_officer_or_a_focal_point_may_not_import_the_rows_of_a_worker_they_do_not_see(
    personas: Personas,
    workers: dict[str, Any],
    write: Template,
    persona: str,
    where: str,
    mine: str,
    other: str,
    mode: ImportMode,
) -> None:
    files = {
        # A relationship needs both workers in sight: the supervisor W1 is the ministry's in D11.
        "supervision": [SUPERVISION_HEADER, [other, mine, "2024-01-15", "", "", "", ""]],
        "supervision_sessions": [SESSION_HEADER, [mine, other, "2024-03-12", "60", ""]],
        "caseloads": [
            CASELOAD_HEADER,
            [other, "2024-12", "18", ""],
            ["W9", "2024-12", "18", ""],  # unknown: the same words, no telling whether W9 exists
            [mine, "2024-12", "7", ""],
        ],
    }
    before = database_snapshot()

    report = template_import(actor=getattr(personas, persona), source=write(files), mode=mode)

    def words(worker_id: str, entities: str) -> str:
        return (
            f"Worker '{worker_id}' is neither in workers.csv nor one of the workers of {where}: you may import "
            f"only the {entities} of the workers of {where} (both workers, for supervision). Ask a national data "
            "manager for the others."
        )

    assert [(p.file, p.row, p.column, p.value, p.message) for p in report.problems] == [
        (
            "supervision.csv",
            1,
            "supervisor_worker_id",
            other,
            words(other, "supervision relationships"),
        ),
        (
            "supervision_sessions.csv",
            1,
            "supervisee_worker_id",
            other,
            words(other, "supervision sessions"),
        ),
        ("caseloads.csv", 1, "worker_id", other, words(other, "caseloads")),
        ("caseloads.csv", 2, "worker_id", "W9", words("W9", "caseloads")),
    ]
    if mode.skip_invalid:
        assert report.files["caseloads.csv"] == FileCounts(read=3, created=1, rejected=2)
        assert stored_caseloads() == [(mine, D(2024, 12, 1), "all", 7, "template")]
        assert not SupervisionRelationship.objects.exists()
    else:
        assert database_snapshot() == before


def test_an_institution_focal_point_has_the_support_files_refused(
    workers: dict[str, Any], write: Template, files: Files
) -> None:
    focal_point = institution_focal_point(institution=TrainingInstitutionFactory(code="ISW"))
    before = database_snapshot()

    report = template_import(actor=focal_point, source=write(files))

    refusal = (
        "only a national data manager, a subnational officer or an organisation focal point imports supervision "
        "and caseloads. You may import programmes.csv, completions.csv."
    )
    assert report.problems == [
        Problem(name, 0, "", "", f"You may not import {name}: {refusal}")
        for name in ("supervision.csv", "supervision_sessions.csv", "caseloads.csv")
    ]
    assert report.files == {
        "supervision.csv": FileCounts(read=2, rejected=2),
        "supervision_sessions.csv": FileCounts(read=2, rejected=2),
        "caseloads.csv": FileCounts(read=3, rejected=3),
    }
    assert database_snapshot() == before
