"""A WISN study applied to many locations from a CSV table, ranked by workload pressure; the settings
command (urban/rural)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.planning.projection_world import projection_world
from tests.web.test_planning_pages import STUDY


@pytest.fixture
def files(db: Any, tmp_path: Path) -> Path:
    projection_world()
    (tmp_path / "study.json").write_text(json.dumps(STUDY), encoding="utf-8")
    return tmp_path


def run(files: Path, table: str) -> dict[str, Any]:
    (files / "table.csv").write_text(table, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "plan", "wisn", str(files / "study.json"), "--locations", str(files / "table.csv"), stdout=out
    )
    return json.loads(out.getvalue())


def test_locations_ranked_by_workload_pressure(files: Path) -> None:
    # AWT 1,696 h; CAF 1 / (1 - 104/1696) = 1.06533; IAF 200/1696 = 0.11792.
    # D2: 2,400 assessments need 2,400 x 3 / 1,696 = 4.24528 x CAF + IAF = 4.64052; 1 social worker counted.
    # D1: 1,200: 2.12264 x CAF + IAF = 2.37922, 1 given. K: 600: 1.24849, 10 given. No workload: no ratio.
    document = run(files, "\ufefflocation,existing_staff,Case assessment\nD1,1,1200\nD2,,2400\nK,10,600\n")
    locations = document["locations"]
    assert [row["location"] for row in locations] == ["D2", "D1", "K"]
    d2 = locations[0]
    required = 2400 * 3 / 1696 / (1 - 104 / 1696) + 200 / 1696
    assert d2["required_staff"] == pytest.approx(required)
    assert d2["existing_staff"] == 1.0
    assert d2["workload_pressure"] == pytest.approx((1 - 1 / required) * 100)
    assert locations[2]["wisn_ratio"] == pytest.approx(10 / (600 * 3 / 1696 / (1 - 104 / 1696) + 200 / 1696))


@pytest.mark.parametrize(
    ("table", "where"),
    [
        ("place,Case assessment\nD1,3\n", "row 1"),
        ("location,Visits\nD1,3\n", "row 1"),
        ("location,Case assessment,Visits\nD1,3,4\n", "row 1, column Visits"),
        ("location,Case assessment\nXX,3\n", "row 2, column location"),
        ("location,Case assessment\nD1,3\nD1,4\n", "row 3, column location"),
        ("location,Case assessment\nD1,-3\n", "row 2, column Case assessment"),
        ("location,Case assessment\nD1,many\n", "row 2, column Case assessment"),
        ("location,existing_staff,Case assessment\nD1,x,3\n", "row 2, column existing_staff"),
        ("location,Case assessment\n", "row 2"),
    ],
)
def test_a_bad_table_is_refused_naming_row_and_column(files: Path, table: str, where: str) -> None:
    with pytest.raises(CommandError) as refused:
        run(files, table)
    assert f"table.csv, {where}: " in str(refused.value)


def test_settings_command_prints_gaps_and_disparity(files: Path) -> None:
    out = io.StringIO()
    call_command("plan", "settings", "--year", "2024", stdout=out)
    document = json.loads(out.getvalue())
    assert document["year"] == 2024
    assert set(document) == {"year", "rows", "disparity"}
    with pytest.raises(CommandError, match="--year"):
        call_command("plan", "settings", "--year", "20x4")
