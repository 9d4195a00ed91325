"""Every problem of the regulation files: its exact file, row, column, value and message; all reported at
once; errors write nothing; a row rejected takes the rows that refer to it along."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sswis.imports.modes import ImportMode
from sswis.imports.report import FileCounts
from sswis.imports.services import template_import
from sswis.registry.models import Worker
from sswis.regulation.models import Licence, Registration
from sswis.regulation.services import regulatory_body_set
from tests.conftest import Personas
from tests.imports.conftest import Files, database_snapshot

Template = Callable[..., Path]


def cell(name: str, row: int, column: int, value: str) -> Callable[[Files], None]:
    def change(files: Files) -> None:
        files[name][row][column] = value

    return change


def append(name: str, *rows: list[str]) -> Callable[[Files], None]:
    def change(files: Files) -> None:
        files[name].extend(list(row) for row in rows)

    return change


# (case, change to the regulation template, the one expected error: file, row, column, value, message)
ERROR_CASES: list[tuple[str, Callable[[Files], None], tuple[str, int, str, str, str]]] = [
    # A row without a usable key: added, as the rows that refer to a code it no longer has would be errors too.
    (
        "register code missing",
        append("registers", ["", "Nurses", "Health Council", ""]),
        ("registers.csv", 3, "code", "", "Code is missing; every register needs one."),
    ),
    (
        "register code too long",
        append("registers", ["A" * 51, "Nurses", "Health Council", ""]),
        ("registers.csv", 3, "code", "A" * 51, "Code has 51 characters; at most 50 are allowed."),
    ),
    (
        "register name missing",
        cell("registers", 1, 1, ""),
        ("registers.csv", 1, "name", "", "Name is missing; every register needs one."),
    ),
    (
        "body missing",
        cell("registers", 2, 2, ""),
        ("registers.csv", 2, "body", "", "Body is missing; every register needs one."),
    ),
    (
        "body name too long",
        cell("registers", 2, 2, "B" * 201),
        ("registers.csv", 2, "body", "B" * 201, "Body has 201 characters; at most 200 are allowed."),
    ),
    (
        "cadre code unknown",
        cell("registers", 2, 3, "PSW;NURSE"),
        (
            "registers.csv",
            2,
            "cadre_codes",
            "NURSE",
            "Cadre code 'NURSE' is not in cadres.csv nor in the registry.",
        ),
    ),
    (
        "cadre code too long",
        cell("registers", 1, 3, "SW; " + "C" * 65),
        (
            "registers.csv",
            1,
            "cadre_codes",
            "SW; " + "C" * 65,
            f"Cadre codes: '{'C' * 65}' has 65 characters; a code has at most 64.",
        ),
    ),
    (
        "register code twice",
        append("registers", ["SW-REG", "Social workers (copy)", "Social Service Council", ""]),
        (
            "registers.csv",
            3,
            "code",
            "SW-REG",
            "Register code 'SW-REG' appears more than once in registers.csv (first on row 1).",
        ),
    ),
    (
        "worker unknown",
        cell("registrations", 1, 0, "W404"),
        (
            "registrations.csv",
            1,
            "worker_id",
            "W404",
            "Worker ID 'W404' is not in workers.csv nor in the registry.",
        ),
    ),
    (
        "register unknown",
        cell("registrations", 3, 1, "NURSES"),
        (
            "registrations.csv",
            3,
            "register_code",
            "NURSES",
            "Register code 'NURSES' is not in registers.csv nor in the registry.",
        ),
    ),
    (
        "registration number missing",
        append("registrations", ["W2", "AUX-REG", "", "2022-01-01", "", ""]),
        (
            "registrations.csv",
            4,
            "registration_number",
            "",
            "Registration number is missing; every registration needs one.",
        ),
    ),
    (
        "registered on not a date",
        cell("registrations", 1, 3, "01/03/2019"),
        (
            "registrations.csv",
            1,
            "registered_on",
            "01/03/2019",
            "Registered on '01/03/2019' is not a date written YYYY-MM-DD, e.g. 2024-03-31.",
        ),
    ),
    (
        "status not one of the four",
        cell("registrations", 1, 4, "applied"),
        (
            "registrations.csv",
            1,
            "status",
            "applied",
            "Status 'applied' is not one of the allowed values: registered, suspended, lapsed, removed.",
        ),
    ),
    (
        "status since missing",
        cell("registrations", 2, 5, ""),
        (
            "registrations.csv",
            2,
            "status_since",
            "",
            "Status since is missing; a registration that is suspended needs the date it became suspended.",
        ),
    ),
    (
        "status since before registered on",
        cell("registrations", 3, 5, "2021-05-31"),
        (
            "registrations.csv",
            3,
            "status_since",
            "2021-05-31",
            "Status since 2021-05-31 is before registered on 2021-06-01.",
        ),
    ),
    (
        "status since not a date",
        cell("registrations", 3, 5, "2023-02-30"),
        (
            "registrations.csv",
            3,
            "status_since",
            "2023-02-30",
            "Status since '2023-02-30' is not a date written YYYY-MM-DD, e.g. 2024-03-31.",
        ),
    ),
    (
        "registration twice",
        append("registrations", ["W2", "SW-REG", "SW-001", "2020-01-01", "", ""]),
        (
            "registrations.csv",
            4,
            "registration_number",
            "SW-REG, SW-001",
            "The same registration (SW-REG, SW-001) appears more than once in registrations.csv (first on row 1).",
        ),
    ),
    (
        "registration unknown",
        cell("licences", 3, 1, "SW-404"),
        (
            "licences.csv",
            3,
            "registration_number",
            "SW-REG, SW-404",
            "Registration 'SW-REG, SW-404' is not in registrations.csv nor in the registry.",
        ),
    ),
    (
        "licence number too long",
        cell("licences", 1, 2, "L" * 51),
        (
            "licences.csv",
            1,
            "licence_number",
            "L" * 51,
            "Licence number has 51 characters; at most 50 are allowed.",
        ),
    ),
    (
        "valid until missing",
        cell("licences", 2, 4, ""),
        ("licences.csv", 2, "valid_until", "", "Valid until is missing; every licence needs one."),
    ),
    (
        "valid until before valid from",
        cell("licences", 3, 4, "2020-01-14"),
        (
            "licences.csv",
            3,
            "valid_until",
            "2020-01-14",
            "Valid until 2020-01-14 is before valid from 2020-01-15.",
        ),
    ),
    (
        "licence before its registration",
        cell("licences", 1, 3, "2019-02-28"),
        (
            "licences.csv",
            1,
            "valid_from",
            "2019-02-28",
            "Valid from 2019-02-28 is before 2019-03-01, when registration SW-001 of register SW-REG was "
            "registered; a licence cannot begin before its registration.",
        ),
    ),
    (
        "licences overlapping in the file",
        append("licences", ["SW-REG", "SW-001", "L-3", "2020-12-31", "2021-12-30"]),
        (
            "licences.csv",
            4,
            "valid_from",
            "2020-12-31",
            "The licence from 2020-12-31 to 2021-12-30 overlaps the licence from 2020-01-01 to 2020-12-31 "
            "(row 2) of the same registration, SW-001 of register SW-REG; the licences of a registration may "
            "not overlap.",
        ),
    ),
    (
        "licence twice",
        append("licences", ["SW-REG", "SW-001", "L-1 again", "2019-03-01", "2019-12-31"]),
        (
            "licences.csv",
            4,
            "valid_from",
            "SW-REG, SW-001, 2019-03-01",
            "The same licence (SW-REG, SW-001, 2019-03-01) appears more than once in licences.csv (first on "
            "row 1).",
        ),
    ),
]


@pytest.mark.parametrize(
    ("case", "change", "expected"), ERROR_CASES, ids=[case for case, _, _ in ERROR_CASES]
)
def test_each_error_is_reported_exactly_and_nothing_is_written(
    personas: Personas,
    council_worker: Worker,
    template: Template,
    regulation_files: Files,
    case: str,
    change: Callable[[Files], None],
    expected: tuple[str, int, str, str, str],
) -> None:
    change(regulation_files)
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template(regulation_files))

    assert [(p.file, p.row, p.column, p.value, p.message) for p in report.errors] == [expected]
    assert report.imported is False
    assert database_snapshot() == before


def test_every_problem_of_every_file_is_reported_at_once(
    personas: Personas, council_worker: Worker, template: Template, regulation_files: Files
) -> None:
    for change in (
        cell("registers", 2, 3, "NURSE"),
        cell("registrations", 1, 4, "retired"),
        cell("registrations", 2, 5, ""),
        cell("licences", 3, 4, "2019-01-01"),
    ):
        change(regulation_files)

    report = template_import(actor=personas.national, source=template(regulation_files))

    assert [(p.file, p.row, p.column) for p in report.problems] == [
        ("registers.csv", 2, "cadre_codes"),
        ("registrations.csv", 1, "status"),
        ("registrations.csv", 2, "status_since"),
        # Row 3 of registrations (AUX-REG) refers to the rejected register: rejected, not reported again;
        # so are the licences of the rejected registrations, but for an error of their own.
        ("licences.csv", 3, "valid_until"),
    ]
    assert report.files["registrations.csv"] == FileCounts(read=3, rejected=3)
    assert report.files["licences.csv"] == FileCounts(read=3, rejected=3)
    assert report.summary == "Nothing was imported: 4 errors."


def test_a_licence_overlapping_one_in_the_registry_is_refused(
    personas: Personas, council_worker: Worker, template: Template, regulation_files: Files
) -> None:
    template_import(actor=personas.national, source=template(regulation_files))
    files = {
        "licences": [
            regulation_files["licences"][0],
            ["SW-REG", "SW-001", "L-9", "2020-12-01", "2021-11-30"],
        ]
    }

    report = template_import(actor=personas.national, source=template(files, folder="more"))

    assert [(p.row, p.column, p.value, p.message) for p in report.problems] == [
        (
            1,
            "valid_from",
            "2020-12-01",
            "The licence from 2020-12-01 to 2021-11-30 overlaps the licence from 2020-01-01 to 2020-12-31 (in "
            "the registry) of the same registration, SW-001 of register SW-REG; the licences of a registration "
            "may not overlap.",
        )
    ]
    assert Licence.objects.count() == 3


def test_two_bodies_of_the_same_name_make_the_name_ambiguous(
    personas: Personas, council_worker: Worker, template: Template, regulation_files: Files
) -> None:
    regulatory_body_set(actor=personas.national, code="SSC-A", name="Social Service Council")
    regulatory_body_set(actor=personas.national, code="SSC-B", name="SOCIAL SERVICE COUNCIL")

    report = template_import(actor=personas.national, source=template(regulation_files))

    text = (
        "2 regulatory bodies are called '{}' (SSC-A, SSC-B); give each body its own name in sswis, then import "
        "again."
    )
    assert [(p.file, p.row, p.column, p.value, p.message) for p in report.errors] == [
        ("registers.csv", 1, "body", "Social Service Council", text.format("Social Service Council")),
        ("registers.csv", 2, "body", "social  service COUNCIL", text.format("social  service COUNCIL")),
    ]


def test_a_file_without_the_status_column_lists_registered_registrations(
    personas: Personas, council_worker: Worker, template: Template, regulation_files: Files
) -> None:
    regulation_files["registrations"] = [row[:4] for row in regulation_files["registrations"]]

    report = template_import(actor=personas.national, source=template(regulation_files))

    assert report.problems == []
    assert set(Registration.objects.values_list("status", flat=True)) == {"registered"}


def test_skipping_invalid_rows_names_the_rows_rejected_because_of_another(
    personas: Personas, council_worker: Worker, template: Template, regulation_files: Files
) -> None:
    regulation_files["registrations"][1][3] = "2019-13-01"  # SW-001: not a date

    report = template_import(
        actor=personas.national, source=template(regulation_files), mode=ImportMode.SKIP_INVALID
    )

    rejected = (
        "Registration 'SW-REG, SW-001' is on a row of registrations.csv that was rejected, so this row is "
        "rejected too."
    )
    assert [(p.file, p.row, p.column, p.value, p.message) for p in report.problems] == [
        (
            "registrations.csv",
            1,
            "registered_on",
            "2019-13-01",
            "Registered on '2019-13-01' is not a date written YYYY-MM-DD, e.g. 2024-03-31.",
        ),
        ("licences.csv", 1, "registration_number", "SW-REG, SW-001", rejected),
        ("licences.csv", 2, "registration_number", "SW-REG, SW-001", rejected),
    ]
    assert report.imported is True
    assert sorted(Registration.objects.values_list("number", flat=True)) == ["AUX-001", "SW-002"]
    assert list(Licence.objects.values_list("registration__number", flat=True)) == ["SW-002"]


def test_a_registration_stored_before_is_rejected_with_its_row_of_this_import(
    personas: Personas, council_worker: Worker, template: Template, regulation_files: Files
) -> None:
    """A row rejected in this import wins over the same registration in the registry: its licences wait."""
    template_import(actor=personas.national, source=template(regulation_files))
    regulation_files["registrations"][1][4] = "expired"
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template(regulation_files, folder="again"))

    assert [(p.file, p.row, p.column) for p in report.problems] == [("registrations.csv", 1, "status")]
    assert report.files["licences.csv"] == FileCounts(read=3, unchanged=1, rejected=2)
    assert database_snapshot() == before
