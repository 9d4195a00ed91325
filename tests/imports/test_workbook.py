"""An ``.xlsx`` workbook imports exactly like the same template as CSV files."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from sswis.imports.readers import cell_text
from sswis.imports.report import WARNING, FileCounts, Problem
from sswis.imports.schema import Kind, template_file
from sswis.imports.services import template_import
from sswis.registry.models import Assignment, Worker
from tests.conftest import Country, Personas
from tests.imports.conftest import BASE_COUNTS, Files

Template = Callable[..., Path]


def renamed_workers(files: Files) -> None:
    """W002 becomes the text code ``007`` (leading zeros), W003 the code ``1001`` (a number in the workbook)."""
    for name in ("workers", "assignments"):
        for row in files[name][1:]:
            row[0] = {"W002": "007", "W003": "1001"}.get(row[0], row[0])


def typed(file: str, column: str, text: str) -> Any:
    """The cell a spreadsheet user would type: numbers, real dates and true/false cells, not text."""
    if text == "1001":
        return 1001 if file == "workers" else 1001.0
    kind = template_file(name=file).column(column).kind
    if not text:
        return None
    if kind == Kind.DATE and text[:1].isdigit():
        day = datetime.date.fromisoformat(text)
        return datetime.datetime.combine(day, datetime.time(9, 30)) if column == "birth_date" else day
    if kind == Kind.BOOLEAN:
        return text == "yes"
    if kind == Kind.INTEGER:
        return int(text)
    if kind == Kind.DECIMAL:
        return float(text)
    return text


def workbook_write(path: Path, files: Files) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in files.items():
        sheet = workbook.create_sheet(name.capitalize() if name == "workers" else name)
        header = rows[0]
        sheet.append(header)
        for row in rows[1:]:
            sheet.append([typed(name, column, text) for column, text in zip(header, row, strict=True)])
    workbook.create_sheet("Notes").append(["Prepared by the district office"])
    workbook.save(path)
    return path


def test_workbook_imports_the_same_as_csv(
    personas: Personas, country: Country, template: Template, base_files: Files, tmp_path: Path
) -> None:
    renamed_workers(base_files)
    workbook = workbook_write(tmp_path / "mapping.xlsx", base_files)

    report = template_import(actor=personas.national, source=workbook)

    files = (
        "locations.csv, population.csv, organizations.csv, cadres.csv, posts.csv, workers.csv, assignments.csv, "
        "registers.csv, registrations.csv, licences.csv, programmes.csv, completions.csv, supervision.csv, "
        "supervision_sessions.csv, caseloads.csv"
    )
    assert report.problems == [
        Problem(
            "Notes",
            0,
            "",
            "",
            f"'Notes' is not a file of the mapping template and was not read. The files are: {files}.",
            WARNING,
        )
    ]
    assert report.files == {
        name: FileCounts(read=read, created=created, unchanged=unchanged)
        for name, (read, created, unchanged) in BASE_COUNTS.items()
    }
    assert sorted(Worker.objects.values_list("worker_id", flat=True)) == ["007", "1001", "W001"]
    assert Worker.objects.get(worker_id="W001").birth_date == datetime.date(1988, 4, 12)
    assert Assignment.objects.get(worker__worker_id="1001").start_date == datetime.date(2022, 6, 1)
    assert Assignment.objects.filter(worker__worker_id="007").count() == 2

    again = template_import(actor=personas.national, source=template())  # the same template as CSV files

    assert again.problems == []
    assert again.files == {
        name: FileCounts(read=read, unchanged=read) for name, (read, _, _) in BASE_COUNTS.items()
    }


def test_workbook_errors_name_the_sheet_row_and_column(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    base_files["assignments"][2][5] = "not a date"

    report = template_import(
        actor=personas.national, source=workbook_write(tmp_path / "bad.xlsx", base_files)
    )

    assert [(p.file, p.row, p.column, p.value) for p in report.errors] == [
        ("assignments.csv", 2, "start_date", "not a date")
    ]


def test_a_damaged_workbook_is_an_error(personas: Personas, country: Country, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a zip file")

    report = template_import(actor=personas.national, source=path)

    assert [(p.file, p.row, p.message) for p in report.problems] == [
        (
            "broken.xlsx",
            0,
            "broken.xlsx is not an Excel workbook although its name ends in .xlsx: it holds plain text (perhaps "
            'a CSV file). In Excel choose File > Save As > "Excel Workbook (.xlsx)" and import that file.',
        )
    ]


def test_cell_text_reads_cells_as_a_csv_file_would_hold_them() -> None:
    assert cell_text(12.0) == "12"
    assert cell_text(0.5) == "0.5"
    assert cell_text(7) == "7"
    assert cell_text(" 007 ") == "007"
    assert cell_text(True) == "yes"
    assert cell_text(datetime.datetime(2024, 3, 31, 10, 15)) == "2024-03-31"
    assert cell_text(datetime.date(2024, 3, 31)) == "2024-03-31"
    assert cell_text(None) == ""
