"""The blank mapping template: made from the schema, with the registry's codes, and importable once filled."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl.worksheet.worksheet import Worksheet

from sswis.imports.docs import docs_render
from sswis.imports.report import FileCounts
from sswis.imports.schema import TEMPLATE, Column, Kind, template_file
from sswis.imports.services import template_import
from sswis.imports.template import (
    TEMPLATE_FORMATS,
    instructions_header,
    template_spooled,
    template_write,
)
from sswis.registry.models import Assignment, Worker
from sswis.regulation.models import Registration
from tests.conftest import Country, Personas
from tests.factories import LocationFactory
from tests.training.factories_imports import TrainingInstitutionFactory

SHEETS = [
    "instructions",
    "locations",
    "population",
    "organizations",
    "cadres",
    "posts",
    "workers",
    "assignments",
    "registers",
    "registrations",
    "licences",
    "programmes",
    "completions",
    "supervision",
    "supervision_sessions",
    "caseloads",
    "lists",
]


def workbook_of(rows: int = 100) -> openpyxl.Workbook:
    stream = io.BytesIO()
    template_write(format="xlsx", stream=stream, rows=rows)
    return openpyxl.load_workbook(io.BytesIO(stream.getvalue()))


def validations(sheet: Worksheet) -> dict[str, tuple[Any, ...]]:
    """Each validation by its cells: (type, operator, formula1, formula2, error style, error message)."""
    return {
        str(rule.sqref): (rule.type, rule.operator, rule.formula1, rule.formula2, rule.errorStyle, rule.error)
        for rule in sheet.data_validations.dataValidation
    }


def header(sheet: Worksheet) -> list[Any]:
    return [cell.value for cell in sheet[1]]


def test_workbook_has_the_instructions_a_sheet_per_file_in_loading_order_and_hidden_lists(
    country: Country,
) -> None:
    workbook = workbook_of()

    assert workbook.sheetnames == SHEETS
    assert [workbook[name].sheet_state for name in SHEETS] == ["visible"] * 16 + ["hidden"]
    assert header(workbook["workers"]) == [
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
    ]
    for spec in TEMPLATE:
        sheet = workbook[spec.name]
        assert header(sheet) == list(spec.column_names)
        assert sheet.max_row == 1  # blank: the header only
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])


def test_columns_have_widths_and_formats_that_keep_codes_and_dates(country: Country) -> None:
    workbook = workbook_of()
    posts, population = workbook["posts"], workbook["population"]

    formats = {
        name: posts.column_dimensions[letter].number_format
        for name, letter in zip(template_file(name="posts").column_names, "ABCDEFGH", strict=True)
    }
    assert formats == {
        "code": "@",
        "organization_code": "@",
        "location_code": "@",
        "cadre_code": "@",
        "grade": "@",
        "funded": "@",
        "established_on": "yyyy-mm-dd",
        "abolished_on": "yyyy-mm-dd",
    }
    assert population.column_dimensions["B"].number_format == "General"  # year: a number
    assert posts.column_dimensions["A"].width == 12  # "code", "P-00017": the minimum
    assert posts.column_dimensions["B"].width == 21  # "organization_code" + 4


def test_validations_come_from_the_schema_with_the_registry_codes_on_the_lists_sheet(
    country: Country,
) -> None:
    workbook = workbook_of(rows=100)

    # The fixture's country: 6 locations, 2 organisations, 3 cadres, sorted by code; no register nor programme.
    assert list(workbook["lists"].values) == [
        ("locations", "organizations", "cadres", "registers", "programmes"),
        ("D11", "MSW", "CPV", None, None),
        ("D12", "NGO1", "PSW", None, None),
        ("D21", None, "SW", None, None),
        ("KD", None, None, None, None),
        ("R1", None, None, None, None),
        ("R2", None, None, None, None),
    ]
    warning = "This is not a {} of the registry. Keep it only if the {} sheet of this template defines it."
    assert validations(workbook["assignments"]) == {
        "A2:A101": ("textLength", "lessThanOrEqual", "64", None, None, "Worker ID: at most 64 characters."),
        "B2:B101": (
            "list",
            None,
            "'lists'!$B$2:$B$3",
            None,
            "warning",
            warning.format("organisation code", "organizations"),
        ),
        "C2:C101": (
            "list",
            None,
            "'lists'!$A$2:$A$7",
            None,
            "warning",
            warning.format("location code", "locations"),
        ),
        "D2:D101": (
            "list",
            None,
            "'lists'!$C$2:$C$4",
            None,
            "warning",
            warning.format("cadre code", "cadres"),
        ),
        "E2:E101": ("textLength", "lessThanOrEqual", "64", None, None, "Post code: at most 64 characters."),
        "F2:F101": (
            "date",
            "between",
            "1",
            "73415",
            None,
            "Start date: enter a date from 1900-01-01 to 2100-12-31, e.g. 2021-02-01.",
        ),
        "G2:G101": (
            "date",
            "between",
            "1",
            "73415",
            None,
            "End date: enter a date from 1900-01-01 to 2100-12-31, e.g. 2023-12-31.",
        ),
        "H2:H101": ("list", None, '"yes,no"', None, "stop", "Paid: choose one of yes, no."),
        "I2:I101": (
            "decimal",
            "between",
            "0.001",
            "1",
            None,
            "FTE: enter a number more than 0 and at most 1.",
        ),
        "J2:J101": ("list", None, '"yes,no"', None, "stop", "Child protection: choose one of yes, no."),
        "K2:K101": (
            "list",
            None,
            '"resigned,retired,died,dismissed,transferred,contract_ended,other"',
            None,
            "stop",
            "Exit reason: choose one of resigned, retired, died, dismissed, transferred, contract_ended, other.",
        ),
    }
    assert validations(workbook["population"]) == {
        "A2:A101": (
            "list",
            None,
            "'lists'!$A$2:$A$7",
            None,
            "warning",
            warning.format("location code", "locations"),
        ),
        "B2:B101": (
            "whole",
            "between",
            "1900",
            "2100",
            None,
            "Year: enter a whole number at least 1900 and at most 2100.",
        ),
        "C2:C101": (
            "whole",
            "greaterThanOrEqual",
            "0",
            None,
            None,
            "Children: enter a whole number at least 0.",
        ),
        "D2:D101": (
            "whole",
            "greaterThanOrEqual",
            "0",
            None,
            None,
            "Total: enter a whole number at least 0.",
        ),
    }
    setting = workbook["locations"].data_validations.dataValidation[-1]
    assert (str(setting.sqref), setting.formula1, setting.allow_blank, setting.showErrorMessage) == (
        "E2:E101",
        '"urban,rural,mixed"',
        True,
        True,
    )
    assert (setting.promptTitle, setting.prompt) == ("setting", "urban, rural or mixed")


def test_every_enumeration_and_yes_no_column_has_its_drop_down(country: Country) -> None:
    workbook = workbook_of()

    for spec in TEMPLATE:
        rules = validations(workbook[spec.name])
        for index, column in enumerate(spec.columns):
            letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]
            if column.kind == Kind.ENUMERATION:
                assert rules[f"{letter}2:{letter}101"][2] == '"' + ",".join(column.choices) + '"'
            elif column.kind == Kind.BOOLEAN:
                assert rules[f"{letter}2:{letter}101"][2] == '"yes,no"'


def test_an_empty_registry_gives_no_code_lists_and_length_checks_instead(db: Any) -> None:
    workbook = workbook_of(rows=10)

    assert list(workbook["lists"].values) == [
        ("locations", "organizations", "cadres", "registers", "programmes")
    ]
    assert validations(workbook["population"])["A2:A11"] == (
        "textLength",
        "lessThanOrEqual",
        "64",
        None,
        None,
        "Location code: at most 64 characters.",
    )


def test_codes_are_written_as_text_never_as_formulas(db: Any) -> None:
    LocationFactory(code="=HYPERLINK(1)")
    LocationFactory(code="007")

    lists = workbook_of()["lists"]

    assert [(cell.value, cell.data_type) for cell in lists["A"][1:]] == [("007", "s"), ("=HYPERLINK(1)", "s")]


def test_a_list_of_choices_too_long_for_excel_goes_to_the_lists_sheet(
    country: Country, monkeypatch: pytest.MonkeyPatch
) -> None:
    choices = tuple(f"choice_number_{number:03}" for number in range(20))  # 20 x 17 characters: > 255
    level = Column("education_level", Kind.ENUMERATION, "highest level", "choice_number_001", choices=choices)
    workers = template_file(name="workers")
    columns = tuple(level if column.name == "education_level" else column for column in workers.columns)
    monkeypatch.setitem(vars(workers), "columns", columns)

    workbook = workbook_of(rows=10)

    lists = workbook["lists"]
    assert header(lists) == [
        "locations",
        "organizations",
        "cadres",
        "workers.education_level",
        "registers",
        "programmes",
    ]
    assert [cell.value for cell in lists["D"][1:21]] == list(choices)
    assert validations(workbook["workers"])["G2:G11"] == (
        "list",
        None,
        "'lists'!$D$2:$D$21",
        None,
        "stop",
        "Education level: choose a value from the drop-down list.",  # the choices exceed Excel's 255
    )


def test_instructions_explain_every_column_of_every_file(country: Country) -> None:
    rows = list(workbook_of()["instructions"].values)
    columns = sum(len(spec.columns) for spec in TEMPLATE)

    assert rows[0] == instructions_header()
    assert len(rows[1 : columns + 1]) == 90 == columns
    assert [row[:2] for row in rows[1 : columns + 1]] == [
        (spec.name, column.name) for spec in TEMPLATE for column in spec.columns
    ]
    assert rows[6] == (
        "population",
        "location_code",
        "yes",
        "code of the location",
        ("code (text); up to 64 characters; a code of locations.csv or of the registry"),
        "D11",
    )
    assert rows[3] == (
        "locations",
        "parent_code",
        "yes, except for the single root",
        "code of the parent location (empty only for the country itself)",
        "code (text); up to 64 characters; a code of locations.csv or of the registry",
        "R1",
    )
    assert (
        "assignments",
        "fte",
        "no",
        "full-time equivalent, more than 0 and at most 1",
        ("number, at most 3 decimals; more than 0 and at most 1; empty = 1"),
        "0.5",
    ) in rows
    assert all(row[5] for row in rows[1 : columns + 1])  # every column has an example
    assert rows[columns + 2][:2] == ("file", "rule")
    assert ("posts", "abolished_on, when given with established_on, is after established_on.") in [
        row[:2] for row in rows
    ]
    notes = [row[0] for row in rows[rows.index(("notes", None, None, None, None, None)) + 1 :]]
    assert notes[2] == "These sheets (and files) are not imported: instructions, lists."
    assert notes[3].startswith(
        "The drop-down lists of codes (locations, organizations, cadres, registers, programmes) hold every code "
        "in the "
        "registry on "
    )
    assert notes[4] == (
        "The drop-down lists and checks cover the first 100 data rows of each sheet; the import checks "
        "every value of every row in any case."
    )


def test_csv_zip_holds_a_header_only_file_per_template_file_and_the_instructions(country: Country) -> None:
    stream = io.BytesIO()
    written = template_write(format="csv", stream=stream)

    archive = zipfile.ZipFile(io.BytesIO(stream.getvalue()))
    assert written == TEMPLATE_FORMATS["csv"]
    assert archive.namelist() == [spec.filename for spec in TEMPLATE] + ["instructions.csv"]
    assert archive.read("workers.csv").decode("utf-8") == (
        "\ufeffworker_id,given_name,family_name,sex,birth_date,disability,education_level,education_field,"
        "national_id,phone,email\r\n"
    )
    instructions = list(csv.reader(io.StringIO(archive.read("instructions.csv").decode("utf-8-sig"))))
    assert instructions[0] == list(instructions_header())
    # The CSV export rule: a text starting with "+" is written with an apostrophe (never a formula).
    assert ["workers", "phone", "no", "phone number", "text; up to 40 characters", "'+255 712 345 678"] in (
        instructions
    )
    assert not any("drop-down" in " ".join(row) for row in instructions)


def test_unknown_format_and_rows_out_of_range_are_refused_before_writing(db: Any) -> None:
    stream = io.BytesIO()

    with pytest.raises(ValueError, match=r"Unknown template format 'ods': choose one of xlsx, csv\."):
        template_write(format="ods", stream=stream)
    with pytest.raises(ValueError, match=r"The number of rows must be between 1 and 1048575, not 0\."):
        template_write(format="xlsx", stream=stream, rows=0)
    assert stream.getvalue() == b""


def test_queries_do_not_grow_with_the_number_of_codes(db: Any) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            template_spooled(format="xlsx")[1].close()
        return len(captured)

    root = LocationFactory(code="KD")
    one = queries()
    LocationFactory.create_batch(2, parent=root)

    assert queries() == one == 5  # one per list of codes


# Filling in the template and importing it --------------------------------------------------------------

FILLED: dict[str, list[list[Any]]] = {
    "locations": [
        ["D13", "Delta", "R1", "district", "rural"],
        ["W131", "Delta Ward", "D13", "ward", "urban"],
    ],
    "population": [[None, 2024, 800, 1600]],  # location D13: filled in below from the drop-down
    "organizations": [
        ["MSW-D13", "Delta Social Welfare Office", "government", "social_welfare", "D13", "MSW"]
    ],
    "cadres": [["CCW", "Community child care worker", "para_professional", "3412"]],
    "posts": [["P1", "MSW-D13", "D13", "SW", "G7", "yes", datetime.date(2020, 1, 1), None]],
    "workers": [
        [
            "007",
            "Amina",
            "Okello",
            "female",
            datetime.date(1988, 4, 12),
            "no",
            "bachelor",
            "social work",
            None,
            "+255 712 345 678",
            "amina@example.org",
        ],
        ["008", "Baraka", "Mushi", "male", None, None, None, None, None, None, None],
    ],
    "assignments": [
        ["007", "MSW-D13", "D13", "SW", "P1", datetime.date(2020, 2, 1), None, "yes", 1, "yes", None],
        [
            "007",
            "NGO1",
            "D21",
            "CCW",
            None,
            datetime.date(2019, 1, 1),
            datetime.date(2019, 12, 31),
            "no",
            0.5,
            "no",
            "resigned",
        ],
        ["008", "MSW-D13", "D13", "SW", None, datetime.date(2021, 3, 1), None, "yes", 1, "yes", None],
    ],
    "registers": [["SW-REG", "Social workers", "Social Service Professions Council", "SW;CCW"]],
    "registrations": [
        ["007", "SW-REG", "SW-0042", datetime.date(2019, 3, 1), "suspended", datetime.date(2024, 5, 1)]
    ],
    "licences": [
        ["SW-REG", "SW-0042", "L-2024-0042", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)]
    ],
    "programmes": [
        ["BSW", "Bachelor of Social Work", "Institute of Social Work", "pre_service_degree", None, "yes"]
    ],
    "completions": [["007", "BSW", datetime.date(2019, 11, 30), "ISW-2019-0042"]],
    "supervision": [["007", "008", datetime.date(2024, 1, 15), None, "educational", "group", "yes"]],
    "supervision_sessions": [["007", "008", datetime.date(2024, 3, 12), 60, None]],
    "caseloads": [["008", "2024-12", 18, None]],
}


def test_a_filled_in_template_imports_without_any_problem(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    TrainingInstitutionFactory(code="ISW", name="Institute of Social Work")
    chosen, stream = template_spooled(format="xlsx")
    workbook = openpyxl.load_workbook(stream)
    stream.close()
    FILLED["population"][0][0] = "D13"
    for name, rows in FILLED.items():
        for row in rows:
            workbook[name].append(row)
    path = tmp_path / chosen.filename
    workbook.save(path)

    report = template_import(actor=personas.national, source=path)

    assert report.problems == []
    assert report.imported is True
    assert report.files == {
        spec.filename: FileCounts(read=len(FILLED[spec.name]), created=len(FILLED[spec.name]))
        for spec in TEMPLATE
    }
    amina = Worker.objects.get(worker_id="007")
    assert (amina.phone, amina.birth_date) == ("+255 712 345 678", datetime.date(1988, 4, 12))
    assert Assignment.objects.get(worker=amina, organisation__code="NGO1").fte == Decimal("0.5")
    registration = Registration.objects.get(number="SW-0042")
    assert (registration.worker, registration.register.body.code, registration.status) == (
        amina,
        "SOCIAL-SERVICE-PROFESSIONS-COUNCIL",
        "suspended",
    )
    assert list(registration.register.cadres.order_by("code").values_list("code", flat=True)) == ["CCW", "SW"]
    assert registration.licences.get().valid_until == datetime.date(2024, 12, 31)
    completion = amina.completions.get()
    assert (completion.programme.institution.code, completion.certificate_number) == ("ISW", "ISW-2019-0042")
    relationship = amina.supervising.get()
    assert (relationship.supervisee.worker_id, relationship.kind, relationship.supervision_only_duty) == (
        "008",
        "educational",
        True,
    )
    session = amina.sessions_held.get()
    assert (session.duration_minutes, session.kind, session.source) == (60, "supportive", "template")
    caseload = Worker.objects.get(worker_id="008").caseloads.get()
    assert (caseload.month, caseload.kind, caseload.open_cases) == (datetime.date(2024, 12, 1), "all", 18)


def test_the_csv_files_of_the_zip_import_once_unzipped(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    _, stream = template_spooled(format="csv")
    with zipfile.ZipFile(stream) as archive:
        archive.extractall(tmp_path / "template")
    with (tmp_path / "template" / "cadres.csv").open("a", encoding="utf-8", newline="") as cadres:
        csv.writer(cadres).writerow(["CCW", "Community child care worker", "para_professional", "3412"])

    report = template_import(actor=personas.national, source=tmp_path / "template")

    assert report.problems == []  # instructions.csv is skipped quietly; empty files import nothing
    assert report.files["cadres.csv"] == FileCounts(read=1, created=1)
    assert report.files["workers.csv"] == FileCounts()


def test_the_csv_zip_imports_as_it_is(personas: Personas, country: Country, tmp_path: Path) -> None:
    """The generated zip is itself an importable source: its instructions.csv is skipped quietly."""
    _, stream = template_spooled(format="csv")
    (tmp_path / "template.zip").write_bytes(stream.read())

    report = template_import(actor=personas.national, source=tmp_path / "template.zip")

    assert report.problems == []
    assert report.files["workers.csv"] == FileCounts()


def test_adding_an_optional_column_is_one_change_in_the_schema(
    personas: Personas, country: Country, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An optional column added to the schema's workers file (and nothing else) appears in the blank
    workbook and its instructions, in the documentation, and is read by the import."""
    added = Column("primero_user_name", Kind.CODE, "user name in Primero", "amina.okello", max_length=150)
    workers = template_file(name="workers")
    monkeypatch.setitem(vars(workers), "columns", (*workers.columns, added))

    workbook = workbook_of(rows=10)
    docs = docs_render(
        text="<!-- schema:begin -->\n<!-- schema:end -->\n<!-- messages:begin -->\n<!-- messages:end -->"
    )

    assert header(workbook["workers"])[-1] == "primero_user_name"
    assert workbook["workers"].column_dimensions["L"].number_format == "@"
    assert validations(workbook["workers"])["L2:L11"][5] == "Primero user name: at most 150 characters."
    assert (
        "workers",
        "primero_user_name",
        "no",
        "user name in Primero",
        "code (text); up to 150 characters",
        "amina.okello",
    ) in list(workbook["instructions"].values)
    assert (
        "| `primero_user_name` | no | user name in Primero | code (text); up to 150 characters | `amina.okello` |"
        in docs.splitlines()
    )

    workbook["workers"].append(["W001", "Amina", "Okello", *[None] * 8, "amina.okello"])
    workbook["assignments"].append(["W001", "MSW", "D11", "SW", None, datetime.date(2024, 1, 1), None, "yes"])
    workbook.save(tmp_path / "filled.xlsx")
    report = template_import(actor=personas.national, source=tmp_path / "filled.xlsx")

    assert report.problems == []
    assert Worker.objects.get(worker_id="W001").primero_user_name == "amina.okello"
