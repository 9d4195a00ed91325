"""The one rule for spreadsheet exports: no cell can run as a formula; values keep their types."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sswis.spreadsheets import cell_neutralise, table_write_csv, table_write_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+255700000000", "'+255700000000"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tX", "'\tX"),
        ("\rX", "'\rX"),
        ("Amina", "Amina"),
        ("", ""),
        (" =1", " =1"),
        (-5, -5),
        (2.5, 2.5),
        (True, True),
        (None, None),
        (datetime.date(2024, 1, 31), datetime.date(2024, 1, 31)),
    ],
)
def test_cell_neutralise(value: object, expected: object) -> None:
    assert cell_neutralise(value) == expected


def test_csv_has_bom_header_and_neutralised_cells() -> None:
    stream = io.StringIO()
    count = table_write_csv(
        header=["name", "phone", "born"],
        rows=[["=cmd|' /C calc'!A0", "+255 700", datetime.date(1990, 5, 1)], ["Juma", "", None]],
        stream=stream,
    )
    assert count == 2
    assert stream.getvalue() == (
        "\ufeffname,phone,born\r\n'=cmd|' /C calc'!A0,'+255 700,1990-05-01\r\nJuma,,\r\n"
    )


def test_xlsx_keeps_types_and_neutralises_text(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    count = table_write_xlsx(
        header=["name", "fte", "start"],
        rows=[["@evil", -0.5, datetime.date(2024, 12, 31)]],
        path=path,
        sheet="workers",
    )
    assert count == 1
    sheet = load_workbook(path)["workers"]
    assert [cell.value for cell in sheet[1]] == ["name", "fte", "start"]
    assert [cell.value for cell in sheet[2]] == ["'@evil", -0.5, datetime.datetime(2024, 12, 31)]
