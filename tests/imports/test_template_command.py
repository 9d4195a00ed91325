"""``sswis template [--format xlsx|csv] [--output PATH] [--force] [--rows N]``."""

from __future__ import annotations

import os
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import Country


def run(*args: str) -> str:
    out = StringIO()
    call_command("template", *args, stdout=out)
    return out.getvalue()


def test_writes_the_workbook_under_its_default_name_in_the_current_directory(
    country: Country, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    output = run()

    assert (
        output
        == "Wrote the blank mapping template (Excel workbook (.xlsx)) to sswis-mapping-template.xlsx.\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sswis-mapping-template.xlsx"]
    workbook = openpyxl.load_workbook(tmp_path / "sswis-mapping-template.xlsx")
    assert workbook.sheetnames[:2] == ["instructions", "locations"]


def test_csv_into_an_existing_directory_writes_the_zip_there(country: Country, tmp_path: Path) -> None:
    output = run("--format", "csv", "--output", str(tmp_path))

    target = tmp_path / "sswis-mapping-template.zip"
    assert output == f"Wrote the blank mapping template (CSV files (.zip)) to {target}.\n"
    assert zipfile.ZipFile(target).namelist()[-2:] == ["caseloads.csv", "instructions.csv"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sswis-mapping-template.zip"]  # no leftovers


def test_refuses_to_overwrite_a_file_without_force(country: Country, tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"someone's work")

    with pytest.raises(CommandError, match=r"mine\.xlsx exists already: give --force to overwrite it"):
        run("--output", str(target))

    assert target.read_bytes() == b"someone's work"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mine.xlsx"]


def test_force_overwrites_and_rows_sets_the_extent_of_the_checks(country: Country, tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"old")

    umask = os.umask(0o022)
    try:
        run("--output", str(target), "--force", "--rows", "20")
    finally:
        os.umask(umask)

    sheet = openpyxl.load_workbook(target)["cadres"]
    assert [str(rule.sqref) for rule in sheet.data_validations.dataValidation] == [
        "A2:A21",
        "B2:B21",
        "C2:C21",
        "D2:D21",
    ]
    assert target.stat().st_mode & 0o777 == 0o644  # like any new file, not private like a temporary one


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--rows", "0"], r"The number of rows must be between 1 and 1048575, not 0\."),
        (["--output", "no/such/folder/t.xlsx"], r"The folder no/such/folder does not exist\."),
    ],
)
def test_bad_options_are_refused_and_nothing_is_written(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], problem: str
) -> None:
    monkeypatch.chdir(tmp_path)

    with pytest.raises(CommandError, match=problem):
        run(*args)

    assert list(tmp_path.iterdir()) == []
