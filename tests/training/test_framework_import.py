"""Competency frameworks from a spreadsheet and back (``training.framework_import``): every problem at
once with row, column, value and sentence; nothing written on any error; a second import changes nothing;
an export imported again changes nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from sswis.spreadsheets import table_write_xlsx
from sswis.training.framework_import import COLUMN_NAMES, frameworks_export, frameworks_import
from sswis.training.models_competencies import (
    Competency,
    CompetencyArea,
    CompetencyFramework,
    RequiredCompetency,
)
from tests.training.factories_competencies import AssessmentFactory, CompetencyFactory

HEADER = ",".join(COLUMN_NAMES)
GOOD = f"""{HEADER}
SW,CASE,Case management,CM,Case management,3,2,Plans and follows a case,case_management
SW,LAW,Law and procedures,LAW,Child protection law,3,1,,child_protection_law
SW,CASE,Case management,REF,Referral,2,1,,
PSW,CASE,Case work,CM,Case management,3,1,Plans and follows a case,case_management
"""


def write(tmp_path: Path, text: str, name: str = "frameworks.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def stored() -> list[tuple[Any, ...]]:
    return sorted(
        RequiredCompetency.objects.values_list(
            "area__framework__cadre__code", "area__code", "area__position", "competency__code", "level"
        )
    )


def test_a_file_creates_the_frameworks_and_a_second_import_changes_nothing(
    country: Any, personas: Any, tmp_path: Path
) -> None:
    source = write(tmp_path, GOOD)
    report = frameworks_import(actor=personas.national, source=source)
    assert (report.imported, report.problems) == (True, [])
    counts = report.files["frameworks.csv"]
    assert (counts.read, counts.created, counts.updated, counts.unchanged, counts.rejected) == (4, 4, 0, 0, 0)
    assert stored() == [
        ("PSW", "CASE", 0, "CM", 1),
        ("SW", "CASE", 0, "CM", 2),
        ("SW", "CASE", 0, "REF", 1),
        ("SW", "LAW", 1, "LAW", 1),
    ]
    assert list(CompetencyFramework.objects.values_list("cadre__code", "name")) == [
        ("PSW", "Para-social worker"),
        ("SW", "Social worker"),
    ]
    assert Competency.objects.get(code="CM").survey_topic == "case_management"
    again = frameworks_import(actor=personas.national, source=source)
    counts = again.files["frameworks.csv"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 4)


def test_changes_update_the_rows_and_a_requirement_moves_area(
    country: Any, personas: Any, tmp_path: Path
) -> None:
    frameworks_import(actor=personas.national, source=write(tmp_path, GOOD))
    changed = GOOD.replace(
        "SW,CASE,Case management,REF,Referral,2,1", "SW,LAW,Law and procedures,REF,Referrals,2,2"
    )
    report = frameworks_import(actor=personas.national, source=write(tmp_path, changed))
    counts = report.files["frameworks.csv"]
    assert (report.imported, counts.created, counts.updated, counts.unchanged) == (True, 0, 1, 3)
    assert ("SW", "LAW", 1, "REF", 2) in stored()
    assert Competency.objects.get(code="REF").name == "Referrals"


def test_every_problem_at_once_and_nothing_written(country: Any, personas: Any, tmp_path: Path) -> None:
    AssessmentFactory(competency=CompetencyFactory(code="USED", levels=4), level=4)
    bad = f"""{HEADER}
XX,CASE,Case management,CM,Case management,3,2,,case_management
SW,CASE,Case work,CM,Case management,3,2,,case_management
SW,CASE,Case management,CM,Case management,3,1,,case_management
SW,LAW,Law,LAW,Law,2,3,,cooking
SW,LAW,Law,USED,Used,2,1,,
SW,LAW,Law,NEW,New,,1,,
"""
    report = frameworks_import(actor=personas.national, source=write(tmp_path, bad))
    assert report.imported is False
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (1, "cadre", "XX"),
        (3, "area_name", "Case management"),
        (3, "competency_code", "CM"),
        (4, "survey_topic", "cooking"),
        (4, "level_required", "3"),
        (5, "levels", "2"),
        (6, "levels", ""),
    ]
    messages = {p.row: p.message for p in report.problems}
    assert messages[1] == "There is no cadre with the code 'XX'; add it to the registry first."
    assert (
        messages[3]
        == "Cadre SW requires competency CM on row 2 already; a framework requires a competency once."
    )
    assert messages[5] == (
        "Competency USED is in use at level 4 (by a programme, an assessment or another framework): it needs at "
        "least 4 levels."
    )
    assert (
        CompetencyFramework.objects.count(),
        CompetencyArea.objects.count(),
        Competency.objects.count(),
    ) == (0, 0, 1)
    counts = report.files["frameworks.csv"]
    assert (counts.balanced, counts.created, counts.rejected) == (True, 1, 5)


def test_a_header_problem_and_a_file_of_another_kind(country: Any, personas: Any, tmp_path: Path) -> None:
    report = frameworks_import(actor=personas.national, source=write(tmp_path, "cadre,colour\nSW,red\n"))
    assert [(p.row, p.column) for p in report.problems][:2] == [(0, "colour"), (0, "area_code")]
    report = frameworks_import(actor=personas.national, source=write(tmp_path, "x", name="frameworks.txt"))
    assert [p.message for p in report.problems] == [
        "frameworks.txt is not a framework file: give a .csv or .xlsx file."
    ]


def test_a_workbook_and_a_dry_run(country: Any, personas: Any, tmp_path: Path) -> None:
    rows = [line.split(",") for line in GOOD.strip().splitlines()[1:]]
    path = tmp_path / "frameworks.xlsx"
    table_write_xlsx(
        header=COLUMN_NAMES, rows=[[*row[:5], int(row[5]), int(row[6]), *row[7:]] for row in rows], path=path
    )
    report = frameworks_import(actor=personas.national, source=path, dry_run=True)
    assert (report.imported, report.problems, report.files["frameworks.xlsx"].created) == (False, [], 4)
    assert RequiredCompetency.objects.count() == 0
    assert frameworks_import(actor=personas.national, source=path).imported is True
    assert RequiredCompetency.objects.count() == 4


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_export_imported_again_changes_nothing(
    country: Any, personas: Any, tmp_path: Path, suffix: str
) -> None:
    frameworks_import(actor=personas.national, source=write(tmp_path, GOOD))
    target = tmp_path / f"export{suffix}"
    assert frameworks_export(path=target) == 4
    report = frameworks_import(actor=personas.national, source=target)
    counts = report.files[target.name]
    assert (report.problems, counts.read, counts.unchanged) == ([], 4, 4)


def test_only_framework_managers_import(country: Any, personas: Any, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        frameworks_import(actor=personas.analyst, source=write(tmp_path, GOOD))


def test_the_command(country: Any, personas: Any, tmp_path: Path) -> None:
    source = write(tmp_path, GOOD)
    out = StringIO()
    call_command("training_framework_import", str(source), "--user", "national", "--dry-run", stdout=out)
    assert RequiredCompetency.objects.count() == 0
    call_command("training_framework_import", str(source), "--user", "national", stdout=out)
    assert RequiredCompetency.objects.count() == 4
    with pytest.raises(CommandError):
        call_command(
            "training_framework_import", str(write(tmp_path, "cadre\nXX\n")), "--user", "national", stdout=out
        )
    with pytest.raises(CommandError):
        call_command("training_framework_import", str(source), "--user", "analyst", stdout=out)
    exported = tmp_path / "out.csv"
    call_command("training_framework_import", "--export", str(exported), stdout=out)
    assert exported.read_text(encoding="utf-8-sig").splitlines()[0] == ",".join(COLUMN_NAMES)
