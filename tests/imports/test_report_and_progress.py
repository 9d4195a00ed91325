"""Problem reports as CSV and XLSX (formula-safe), progress reports, and the command's new options."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from sswis.imports.loading import PROGRESS_ROWS, ImportProgress
from sswis.imports.modes import ImportMode
from sswis.imports.report import ImportReport, Problem, report_as_dict, report_from_dict, report_write
from sswis.imports.services import template_import
from sswis.registry.models import Worker
from tests.conftest import Country, Personas
from tests.imports.conftest import Files

Template = Callable[..., Path]

PROBLEMS = [
    Problem(file="", row=0, column="", value="x.txt", message="Not a template."),
    Problem(file="workers.csv", row=2, column="given_name", value='=HYPERLINK("http://x")', message="Bad."),
    Problem(file="workers.csv", row=3, column="worker_id", value="W1", message="Lonely.", severity="warning"),
]


def test_the_problems_are_written_as_csv_with_formulas_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"

    assert report_write(report=ImportReport(problems=PROBLEMS), path=path) == 3

    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["file", "row", "column", "value", "message", "severity"],
            ["", "", "", "x.txt", "Not a template.", "error"],
            ["workers.csv", "2", "given_name", '\'=HYPERLINK("http://x")', "Bad.", "error"],
            ["workers.csv", "3", "worker_id", "W1", "Lonely.", "warning"],
        ]


def test_the_problems_are_written_as_xlsx_with_formulas_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"

    report_write(report=ImportReport(problems=PROBLEMS), path=path)

    sheet = load_workbook(path)["problems"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["file", "row", "column", "value", "message", "severity"],
        [None, None, None, "x.txt", "Not a template.", "error"],
        ["workers.csv", 2, "given_name", '\'=HYPERLINK("http://x")', "Bad.", "error"],
        ["workers.csv", 3, "worker_id", "W1", "Lonely.", "warning"],
    ]


def test_another_report_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"A report is written as \.csv or \.xlsx, not report\.txt\."):
        report_write(report=ImportReport(), path=tmp_path / "report.txt")


def test_a_report_survives_its_json_document(
    personas: Personas, country: Country, template: Template
) -> None:
    report = template_import(actor=personas.national, source=template(), mode=ImportMode.DRY_RUN)

    again = report_from_dict(json.loads(json.dumps(report_as_dict(report=report))))

    assert again == report


def test_progress_is_reported_per_file_and_every_thousand_rows(
    personas: Personas, country: Country, template: Template
) -> None:
    count = 2 * PROGRESS_ROWS + 10
    files: Files = {
        "cadres": [["code", "name", "category"], ["CCW", "Community child care worker", "allied"]],
        "workers": [["worker_id", "given_name", "family_name"]]
        + [[f"W{index:05d}", "Given", "Family"] for index in range(count)],
    }
    seen: list[ImportProgress] = []

    template_import(actor=personas.national, source=template(files), progress=seen.append)

    assert [(p.file, p.file_rows, p.file_rows_estimate, p.rows, p.files_done) for p in seen] == [
        ("cadres.csv", 0, 1, 0, 0),
        ("cadres.csv", 1, 1, 1, 1),
        ("workers.csv", 0, count, 1, 1),
        ("workers.csv", PROGRESS_ROWS, count, 1 + PROGRESS_ROWS, 1),
        ("workers.csv", 2 * PROGRESS_ROWS, count, 1 + 2 * PROGRESS_ROWS, 1),
        ("workers.csv", count, count, 1 + count, 2),
    ]
    assert [p.fraction for p in (seen[0], seen[2], seen[-1])] == [0.0, 0.5, 1.0]
    assert seen[4].fraction == pytest.approx(0.5 + 0.5 * 2 * PROGRESS_ROWS / count)


def test_a_workbook_estimates_its_rows_too(personas: Personas, country: Country, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "cadres"
    for row in (["code", "name", "category"], ["A", "Alpha", "allied"], ["B", "Beta", "allied"]):
        sheet.append(row)
    workbook.save(tmp_path / "t.xlsx")
    seen: list[ImportProgress] = []

    template_import(actor=personas.national, source=tmp_path / "t.xlsx", progress=seen.append)

    assert [(p.file, p.file_rows, p.file_rows_estimate) for p in seen] == [
        ("cadres.csv", 0, 2),
        ("cadres.csv", 2, 2),
    ]


# The command ------------------------------------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_skip_invalid_and_report_on_the_command_line(
    personas: Personas, country: Country, template: Template, base_files: Files, tmp_path: Path
) -> None:
    base_files["workers"][2][3] = "F"  # W002 and its two assignments are rejected

    out, _ = run(
        str(template()), "--user", "national", "--skip-invalid", "--report", str(tmp_path / "problems.csv")
    )

    assert out.splitlines()[-1] == (
        "Imported the valid rows: 15 created, 0 updated, 3 unchanged; 3 rows were rejected (3 errors)."
    )
    assert sorted(Worker.objects.values_list("worker_id", flat=True)) == ["W001", "W003"]
    with (tmp_path / "problems.csv").open(encoding="utf-8-sig") as handle:
        assert [row[:4] for row in csv.reader(handle)] == [
            ["file", "row", "column", "value"],
            ["workers.csv", "2", "sex", "F"],
            ["assignments.csv", "2", "worker_id", "W002"],
            ["assignments.csv", "3", "worker_id", "W002"],
        ]


def test_the_report_option_needs_a_spreadsheet_name(personas: Personas, template: Template) -> None:
    with pytest.raises(CommandError, match=r"--report must name a \.csv or \.xlsx file, not problems\.pdf\."):
        run(str(template()), "--user", "national", "--report", "problems.pdf")


def test_the_progress_bar_goes_to_standard_error_when_asked(
    personas: Personas, country: Country, template: Template, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import", str(template()), "--user", "national", "--progress", stdout=StringIO())
    shown = capsys.readouterr().err

    assert "assignments.csv" in shown
    assert "4/4 rows [########################] 100%" in shown
    assert "rows/s" in shown
    assert shown.endswith("\n")

    call_command("import", str(template()), "--user", "national", "--no-progress", stdout=StringIO())
    assert capsys.readouterr().err == ""
