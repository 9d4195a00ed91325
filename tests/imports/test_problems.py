"""Every kind of problem: reported with its exact file, row, column, value and message; errors write nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sswis.imports.report import ERROR, WARNING, FileCounts, Problem
from sswis.imports.services import template_import
from sswis.registry.models import Worker
from tests.conftest import Country, Personas
from tests.imports.conftest import Files, database_snapshot

Template = Callable[..., Path]

WORKER_COLUMNS = (
    "worker_id, given_name, family_name, sex, birth_date, disability, education_level, education_field, "
    "national_id, phone, email"
)


def add_column(files: Files, name: str, header: str) -> None:
    files[name][0].append(header)
    for row in files[name][1:]:
        row.append("")


def drop_column(files: Files, name: str, index: int) -> None:
    files[name] = [row[:index] + row[index + 1 :] for row in files[name]]


def cell(name: str, row: int, column: int, value: str) -> Callable[[Files], None]:
    def change(files: Files) -> None:
        files[name][row][column] = value

    return change


def append(name: str, *rows: list[str]) -> Callable[[Files], None]:
    def change(files: Files) -> None:
        files[name].extend(list(row) for row in rows)

    return change


# (case, change to the base template, the one expected error: file, row, column, value, message)
ERROR_CASES: list[tuple[str, Callable[[Files], None], tuple[str, int, str, str, str]]] = [
    (
        "unknown column",
        lambda files: add_column(files, "workers", "nickname"),
        (
            "workers.csv",
            0,
            "nickname",
            "",
            f"Column 'nickname' is not a column of workers.csv; check its spelling. The columns are: {WORKER_COLUMNS}.",
        ),
    ),
    (
        "missing required column",
        lambda files: drop_column(files, "workers", 2),
        (
            "workers.csv",
            0,
            "family_name",
            "",
            "Column 'family_name' is required in workers.csv but the header does not have it.",
        ),
    ),
    (
        "missing required value",
        cell("workers", 2, 1, ""),
        ("workers.csv", 2, "given_name", "", "Given name is missing; every worker needs one."),
    ),
    (
        "bad date",
        cell("workers", 1, 4, "12/04/1988"),
        (
            "workers.csv",
            1,
            "birth_date",
            "12/04/1988",
            "Birth date '12/04/1988' is not a date written YYYY-MM-DD, e.g. 2024-03-31.",
        ),
    ),
    (
        "impossible date",
        cell("workers", 1, 4, "1988-02-30"),
        (
            "workers.csv",
            1,
            "birth_date",
            "1988-02-30",
            "Birth date '1988-02-30' is not a date written YYYY-MM-DD, e.g. 2024-03-31.",
        ),
    ),
    (
        "bad boolean",
        cell("assignments", 1, 7, "maybe"),
        (
            "assignments.csv",
            1,
            "paid",
            "maybe",
            "Paid 'maybe' is not yes or no (true/false and 1/0 are accepted too).",
        ),
    ),
    (
        "bad integer",
        cell("population", 1, 2, "1,000"),
        ("population.csv", 1, "children", "1,000", "Children '1,000' is not a whole number."),
    ),
    (
        "year not four digits",
        cell("population", 4, 1, "23"),
        ("population.csv", 4, "year", "23", "Year '23' must be at least 1900 and at most 2100."),
    ),
    (
        "negative integer",
        cell("population", 2, 2, "-5"),
        ("population.csv", 2, "children", "-5", "Children '-5' must be at least 0."),
    ),
    (
        "integer too large",
        cell("population", 2, 2, "3000000000"),
        ("population.csv", 2, "children", "3000000000", "Children '3000000000' is too large to be stored."),
    ),
    (
        "bad decimal",
        cell("assignments", 2, 8, "half"),
        (
            "assignments.csv",
            2,
            "fte",
            "half",
            "FTE 'half' is not a number; use a dot for decimals, e.g. 0.5.",
        ),
    ),
    (
        "too many decimals",
        cell("assignments", 2, 8, "0.3333"),
        ("assignments.csv", 2, "fte", "0.3333", "FTE '0.3333' has more than 3 decimals."),
    ),
    (
        "enumeration",
        cell("workers", 1, 3, "F"),
        (
            "workers.csv",
            1,
            "sex",
            "F",
            "Sex 'F' is not one of the allowed values: female, male, other, unknown.",
        ),
    ),
    (
        "enumeration of organisation type",
        cell("organizations", 2, 2, "charity"),
        (
            "organizations.csv",
            2,
            "type",
            "charity",
            "Type 'charity' is not one of the allowed values: government, ngo, faith_based, community_based, "
            "private, academic, un_or_donor, other.",
        ),
    ),
    (
        "too long",
        cell("workers", 3, 1, "C" * 151),
        (
            "workers.csv",
            3,
            "given_name",
            "C" * 151,
            "Given name has 151 characters; at most 150 are allowed.",
        ),
    ),
    (
        "ISCO-08 code",
        cell("cadres", 2, 3, "34x2"),
        (
            "cadres.csv",
            2,
            "isco08",
            "34x2",
            "ISCO-08 code '34x2' is not an ISCO-08 code of up to four digits, e.g. 2635.",
        ),
    ),
    (
        "email",
        cell("workers", 1, 10, "amina.example.org"),
        (
            "workers.csv",
            1,
            "email",
            "amina.example.org",
            "Email 'amina.example.org' is not a valid email address.",
        ),
    ),
    (
        "more values than columns",
        append("cadres", ["ALW", "Allied worker", "allied", "", "oops"]),
        ("cadres.csv", 3, "", "oops", "This row has more values than the header has columns."),
    ),
    (
        "value under a column without a name",
        lambda files: (add_column(files, "cadres", ""), cell("cadres", 2, 4, "x")(files)),
        ("cadres.csv", 2, "", "x", "This row has a value in a column that has no name in the header."),
    ),
    (
        "duplicate code",
        append("cadres", ["CCW", "Community care worker", "allied", ""]),
        (
            "cadres.csv",
            3,
            "code",
            "CCW",
            "Cadre code 'CCW' appears more than once in cadres.csv (first on row 2).",
        ),
    ),
    (
        "duplicate worker",
        append("workers", ["W001", "Amina", "Okello"] + [""] * 8),
        (
            "workers.csv",
            4,
            "worker_id",
            "W001",
            "Worker ID 'W001' appears more than once in workers.csv (first on row 1).",
        ),
    ),
    (
        "duplicate population key",
        append("population", ["D11", "2024", "5", "10"]),
        (
            "population.csv",
            5,
            "location_code",
            "D11, 2024",
            "Location 'D11' has more than one population row for 2024 (first on row 1).",
        ),
    ),
    (
        "duplicate assignment identity",
        append("assignments", ["W001", "MSW-D13", "D13", "SW", "", "2020-02-01", "", "no", "0.5", "", ""]),
        (
            "assignments.csv",
            5,
            "worker_id",
            "W001, MSW-D13, D13, SW, 2020-02-01",
            "The same assignment (worker W001, organisation MSW-D13, location D13, cadre SW, starting 2020-02-01) "
            "appears more than once (first on row 1).",
        ),
    ),
    (
        "unknown organisation",
        cell("assignments", 3, 1, "NGO9"),
        (
            "assignments.csv",
            3,
            "organization_code",
            "NGO9",
            "Organisation code 'NGO9' is not in organizations.csv nor in the registry.",
        ),
    ),
    (
        "unknown location",
        cell("population", 2, 0, "D99"),
        (
            "population.csv",
            2,
            "location_code",
            "D99",
            "Location code 'D99' is not in locations.csv nor in the registry.",
        ),
    ),
    (
        "unknown parent location",
        cell("locations", 4, 2, "R9"),
        (
            "locations.csv",
            4,
            "parent_code",
            "R9",
            "Location code 'R9' is not in locations.csv nor in the registry.",
        ),
    ),
    (
        "unknown worker",
        append("assignments", ["W404", "NGO1", "D21", "CPV", "", "2022-06-01", "", "no", "", "", ""]),
        (
            "assignments.csv",
            5,
            "worker_id",
            "W404",
            "Worker ID 'W404' is not in workers.csv nor in the registry.",
        ),
    ),
    (
        "unknown post",
        cell("assignments", 1, 4, "P9"),
        ("assignments.csv", 1, "post_code", "P9", "Post code 'P9' is not in posts.csv nor in the registry."),
    ),
    (
        "unknown cadre of a post",
        cell("posts", 2, 3, "XX"),
        ("posts.csv", 2, "cadre_code", "XX", "Cadre code 'XX' is not in cadres.csv nor in the registry."),
    ),
    (
        "second root",
        append("locations", ["X", "Elsewhere", "", "", ""]),
        (
            "locations.csv",
            5,
            "parent_code",
            "",
            "Location 'X' has no parent_code, but 'KD' is already the root of the location tree; only the country "
            "itself may have no parent.",
        ),
    ),
    (
        "location is its own parent",
        cell("locations", 4, 2, "D13"),
        (
            "locations.csv",
            4,
            "parent_code",
            "D13",
            "Location 'D13' would be its own ancestor: the parent codes form a loop (D13 > D13).",
        ),
    ),
    (
        "total below children",
        cell("population", 1, 3, "900"),
        (
            "population.csv",
            1,
            "total",
            "900",
            "Total population 900 is less than the number of children 1000.",
        ),
    ),
    (
        "abolished not after established",
        cell("posts", 1, 7, "2020-01-01"),
        (
            "posts.csv",
            1,
            "abolished_on",
            "2020-01-01",
            "Abolished on 2020-01-01 is not after established on 2020-01-01.",
        ),
    ),
    (
        "end before start",
        cell("assignments", 2, 6, "2020-12-31"),
        (
            "assignments.csv",
            2,
            "end_date",
            "2020-12-31",
            "End date 2020-12-31 is before start date 2021-01-01.",
        ),
    ),
    (
        "exit reason without end date",
        cell("assignments", 3, 10, "retired"),
        (
            "assignments.csv",
            3,
            "exit_reason",
            "retired",
            "Exit reason 'retired' is given without an end date; give the last day in the role or leave the exit "
            "reason empty.",
        ),
    ),
    (
        "fte above 1",
        cell("assignments", 2, 8, "1.5"),
        ("assignments.csv", 2, "fte", "1.5", "FTE '1.5' must be more than 0 and at most 1."),
    ),
    (
        "fte zero",
        cell("assignments", 2, 8, "0"),
        ("assignments.csv", 2, "fte", "0", "FTE '0' must be more than 0 and at most 1."),
    ),
    (
        "post of another location",
        cell("assignments", 1, 2, "D11"),
        (
            "assignments.csv",
            1,
            "post_code",
            "P1",
            "Post 'P1' is in organisation MSW-D13 at location D13 in cadre SW, but this assignment is in MSW-D13 at "
            "D11 in cadre SW; they must be the same.",
        ),
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [case[1:] for case in ERROR_CASES], ids=[case[0] for case in ERROR_CASES]
)
def test_each_error_is_reported_exactly_and_nothing_is_written(
    personas: Personas,
    country: Country,
    template: Template,
    base_files: Files,
    change: Callable[[Files], None],
    expected: tuple[str, int, str, str, str],
) -> None:
    change(base_files)
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template())

    assert report.problems == [Problem(*expected, severity=ERROR)]
    assert (report.imported, report.has_errors) == (False, True)
    assert report.summary == "Nothing was imported: 1 error."
    assert database_snapshot() == before


def test_a_loop_of_parent_codes_is_reported_on_each_row_of_the_loop(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["locations"][4][2] = "W131"  # D13 under W131, which is under D13
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template())

    # The rows that refer to D13 or W131 elsewhere are not loaded but not reported again.
    assert report.problems == [
        Problem(
            "locations.csv",
            3,
            "parent_code",
            "D13",
            "Location 'W131' would be its own ancestor: the parent codes form a loop (W131 > D13 > W131).",
        ),
        Problem(
            "locations.csv",
            4,
            "parent_code",
            "W131",
            "Location 'D13' would be its own ancestor: the parent codes form a loop (D13 > W131 > D13).",
        ),
    ]
    assert report.files["locations.csv"] == FileCounts(read=4, unchanged=2, rejected=2)
    assert report.files["organizations.csv"] == FileCounts(read=2, rejected=2)
    assert report.files["assignments.csv"] == FileCounts(read=4, created=1, rejected=3)
    assert database_snapshot() == before


def test_a_loop_of_parent_organisations_is_an_error(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["organizations"][1][5] = "CBO1"
    base_files["organizations"][2][5] = "MSW-D13"

    report = template_import(actor=personas.national, source=template())

    assert [(p.file, p.row, p.column, p.message) for p in report.problems] == [
        (
            "organizations.csv",
            1,
            "parent_code",
            "Organisation 'MSW-D13' would be its own parent: the parent codes form a loop (MSW-D13 > CBO1 > MSW-D13).",
        ),
        (
            "organizations.csv",
            2,
            "parent_code",
            "Organisation 'CBO1' would be its own parent: the parent codes form a loop (CBO1 > MSW-D13 > CBO1).",
        ),
    ]


def test_a_rejected_row_does_not_cascade_into_more_errors(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["workers"][2][1] = ""  # W002 is rejected; its two assignments cannot be loaded either

    report = template_import(actor=personas.national, source=template())

    assert [(p.file, p.row, p.column) for p in report.problems] == [("workers.csv", 2, "given_name")]
    assert report.files["workers.csv"] == FileCounts(read=3, created=2, rejected=1)
    assert report.files["assignments.csv"] == FileCounts(read=4, created=2, rejected=2)


def test_several_errors_in_several_files_are_all_reported_in_file_then_row_order(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["assignments"][2][8] = "2"
    base_files["assignments"][1][5] = "2020-13-01"
    base_files["workers"][3][3] = "woman"
    base_files["workers"][1][4] = "yesterday"
    base_files["locations"].append(["X", "Elsewhere", "", "", ""])
    base_files["population"][1][3] = "10"
    add_column(base_files, "cadres", "level")
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template())

    assert [(p.file, p.row, p.column, p.value) for p in report.problems] == [
        ("locations.csv", 5, "parent_code", ""),
        ("population.csv", 1, "total", "10"),
        ("cadres.csv", 0, "level", ""),
        ("workers.csv", 1, "birth_date", "yesterday"),
        ("workers.csv", 3, "sex", "woman"),
        ("assignments.csv", 1, "start_date", "2020-13-01"),
        ("assignments.csv", 2, "fte", "2"),
    ]
    assert report.summary == "Nothing was imported: 7 errors."
    assert database_snapshot() == before


def test_a_worker_without_any_assignment_is_a_warning(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["workers"].append(["W004", "Dalila", "Juma"] + [""] * 8)

    report = template_import(actor=personas.national, source=template())

    assert report.problems == [
        Problem(
            "workers.csv",
            4,
            "worker_id",
            "W004",
            "Worker 'W004' has no assignment, neither in assignments.csv nor in the registry, so they count in no figure.",
            WARNING,
        )
    ]
    assert report.imported is True
    assert report.summary == "Imported: 19 created, 0 updated, 3 unchanged (1 warning)."
    assert Worker.objects.filter(worker_id="W004").exists()


def test_a_post_filled_twice_on_the_same_day_is_a_warning(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["assignments"].append(
        ["W002", "MSW-D13", "D13", "SW", "P1", "2021-01-01", "", "yes", "", "", ""]
    )

    report = template_import(actor=personas.national, source=template())

    assert report.problems == [
        Problem(
            "assignments.csv",
            5,
            "post_code",
            "P1",
            "Post 'P1' is filled by two assignments on 2021-01-01: worker W002 here and worker W001 (row 1).",
            WARNING,
        )
    ]
    assert report.imported is True


def test_a_post_filled_in_the_registry_and_again_in_the_template_is_a_warning(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    template_import(actor=personas.national, source=template())
    files: Files = {
        "assignments": [
            [
                "worker_id",
                "organization_code",
                "location_code",
                "cadre_code",
                "post_code",
                "start_date",
                "paid",
            ],
            ["W003", "MSW-D13", "D13", "SW", "P1", "2019-06-01", "yes"],
        ]
    }

    report = template_import(actor=personas.national, source=template(files, folder="second"))

    assert [(p.row, p.message) for p in report.problems] == [
        (
            1,
            "Post 'P1' is filled by two assignments on 2020-02-01: worker W003 here and worker W001 (in the registry).",
        )
    ]


def test_a_location_population_far_from_the_sum_of_its_parts_is_a_warning(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["population"].append(["W131", "2023", "700", ""])

    report = template_import(actor=personas.national, source=template())

    assert report.problems == [
        Problem(
            "population.csv",
            4,
            "children",
            "800",
            "The 2023 child population of 'D13' (800) differs by 14.3% from the sum of its 1 sub-locations (700).",
            WARNING,
        )
    ]
    assert report.imported is True


def test_a_population_within_one_percent_is_fine(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["population"].append(["W131", "2023", "795", "1600"])

    report = template_import(actor=personas.national, source=template())

    assert report.problems == []


# The source and its files ------------------------------------------------------------------------------


def test_an_empty_file_is_an_error(personas: Personas, country: Country, tmp_path: Path) -> None:
    tmp_path.joinpath("workers.csv").write_text("", encoding="utf-8")

    report = template_import(actor=personas.national, source=tmp_path)

    assert report.problems == [
        Problem(
            "workers.csv", 0, "", "", "workers.csv is empty: it needs a header row with the column names."
        ),
    ]


def test_other_files_are_a_warning_and_a_folder_without_template_files_an_error(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    tmp_path.joinpath("worker.csv").write_text("worker_id\n", encoding="utf-8")
    tmp_path.joinpath("notes.txt").write_text("not a csv file: ignored silently", encoding="utf-8")

    report = template_import(actor=personas.national, source=tmp_path)

    files = (
        "locations.csv, population.csv, organizations.csv, cadres.csv, posts.csv, workers.csv, assignments.csv, "
        "registers.csv, registrations.csv, licences.csv, programmes.csv, completions.csv, supervision.csv, "
        "supervision_sessions.csv, caseloads.csv"
    )
    assert report.problems == [
        Problem("", 0, "", "", f"{tmp_path.name} contains none of the template files: {files}."),
        Problem(
            "worker.csv",
            0,
            "",
            "",
            f"'worker.csv' is not a file of the mapping template and was not read. The files are: {files}.",
            WARNING,
        ),
    ]
    assert report.imported is False


def test_a_missing_path_is_an_error(personas: Personas, country: Country, tmp_path: Path) -> None:
    report = template_import(actor=personas.national, source=tmp_path / "nowhere")

    assert report.problems == [
        Problem(
            "", 0, "", str(tmp_path / "nowhere"), f"There is no file or folder at {tmp_path / 'nowhere'}."
        )
    ]


def test_a_header_only_file_imports_nothing_without_error(
    personas: Personas, country: Country, template: Template
) -> None:
    report = template_import(
        actor=personas.national, source=template({"workers": [["worker_id", "given_name", "family_name"]]})
    )

    assert (report.files, report.problems, report.imported) == ({"workers.csv": FileCounts()}, [], True)


def test_bom_and_case_insensitive_headers_with_spaces(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["workers"][0] = [f" {name.upper()} " for name in base_files["workers"][0]]
    base_files["assignments"][0][0] = "Worker_ID"
    base_files["workers"][1][1] = "  Amina  "  # cells are trimmed too

    report = template_import(actor=personas.national, source=template(encoding="utf-8-sig"))

    assert report.problems == []
    assert report.files["workers.csv"] == FileCounts(read=3, created=3)
    assert Worker.objects.get(worker_id="W001").given_name == "Amina"


def test_lenient_values_are_accepted(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["assignments"][1][7] = "TRUE"
    base_files["assignments"][2][7] = "0"
    base_files["assignments"][2][8] = "0.500"
    base_files["workers"][1][3] = "Female"

    report = template_import(actor=personas.national, source=template())

    assert report.problems == []
    assert Worker.objects.get(worker_id="W001").sex == "female"


def test_blank_lines_are_skipped_but_counted_in_row_numbers(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["workers"].insert(2, ["", "", ""])
    base_files["workers"][4][4] = "bad"

    report = template_import(actor=personas.national, source=template())

    assert [(p.row, p.column) for p in report.problems] == [(4, "birth_date")]
    assert report.files["workers.csv"].read == 3


def test_a_repeated_column_is_an_error(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    add_column(base_files, "cadres", " Name ")

    report = template_import(actor=personas.national, source=template())

    assert report.problems == [
        Problem("cadres.csv", 0, "Name", "", "Column 'Name' appears more than once in the header.")
    ]
    assert report.files["cadres.csv"] == FileCounts(read=2, rejected=2)


def test_a_file_above_the_size_limit_is_not_read(
    personas: Personas, country: Country, template: Template, settings: Any
) -> None:
    settings.SSWIS_IMPORT_MAX_BYTES = 2**20
    folder = template()
    (folder / "workers.csv").write_text(
        "worker_id,given_name,family_name\n" + "W,A,B\n" * 200_000, encoding="utf-8"
    )

    report = template_import(actor=personas.national, source=folder)

    assert [(p.file, p.row, p.message) for p in report.errors] == [
        (
            "workers.csv",
            0,
            "workers.csv is larger than the 1 MB an import accepts; split it or ask for a higher limit.",
        )
    ]
