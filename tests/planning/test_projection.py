"""Supply projection (contracts/planning.md section 3), against figures worked out by hand."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sswis.indicators.selectors import COUNT, indicators_compute
from sswis.planning.models import Scenario
from sswis.planning.projection import scenario_project
from sswis.planning.selectors import scenario_checked
from tests.planning.projection_world import HAND_ROWS_K, HAND_SCENARIO, projection_world


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    return projection_world()


def figures(rows: list[dict[str, Any]], location: str) -> list[tuple[Any, ...]]:
    keys = (
        "year",
        "cadre",
        "stock",
        "exits",
        "retirements",
        "entrants",
        "required",
        "gap",
        "per_100k",
        "cost",
    )
    return [tuple(row[key] for key in keys) for row in rows if row["location"] == location]


def projected(data: dict[str, Any], **options: Any) -> dict[str, Any]:
    parameters, _location = scenario_checked(data=data)
    projection = scenario_project(scenario=parameters, **options)
    from sswis.planning.projection import projection_as_json

    return projection_as_json(projection=projection)


def assert_close(actual: list[tuple[Any, ...]], expected: list[tuple[Any, ...]]) -> None:
    assert len(actual) == len(expected)
    for got, wanted in zip(actual, expected, strict=True):
        assert got[:2] == wanted[:2]
        assert got[2:] == pytest.approx(wanted[2:], rel=1e-12, abs=1e-9), (got, wanted)


def test_the_projection_worked_by_hand(world: dict[str, Any]) -> None:
    document = projected(HAND_SCENARIO)
    assert document["scenario"] == "hand"
    assert_close(figures(document["rows"], "K"), HAND_ROWS_K)
    assert {row["location"] for row in document["rows"]} == {"K"}  # the root by default


def test_the_base_stock_is_the_indicators_count(world: dict[str, Any]) -> None:
    counts = {
        (row.location, row.group["cadre"]): row.numerator
        for row in indicators_compute(year=2024, by=("cadre",))
        if row.indicator == COUNT and row.group
    }
    document = projected(HAND_SCENARIO, depth=1)
    base = {(row["location"], row["cadre"]): row["stock"] for row in document["rows"] if row["year"] == 2024}
    assert base == {key: float(counts.get(key, 0)) for key in base}
    assert base == {
        ("K", "PSW"): 2.0,
        ("K", "SW"): 5.0,
        ("D1", "PSW"): 2.0,
        ("D1", "SW"): 4.0,
        ("D2", "PSW"): 0.0,
        ("D2", "SW"): 1.0,
    }


def test_a_location_adds_up_its_sub_locations_flows_and_uses_its_own_children(world: dict[str, Any]) -> None:
    rows = projected(HAND_SCENARIO, depth=1)["rows"]
    flows = ("stock", "exits", "retirements", "entrants", "cost")
    by_key = {(row["location"], row["year"], row["cadre"]): row for row in rows}
    for year in range(2024, 2028):
        for cadre in ("SW", "PSW"):
            for flow in flows:
                total = by_key[("D1", year, cadre)][flow] + by_key[("D2", year, cadre)][flow]
                assert by_key[("K", year, cadre)][flow] == pytest.approx(total)
    # D1: 50,000 children in 2024, none recorded later: grown by 5% a year. D2: no figure at all.
    assert by_key[("D1", 2025, "SW")]["per_100k"] == pytest.approx(
        by_key[("D1", 2025, "SW")]["stock"] / 52500 * 1e5
    )
    assert by_key[("D1", 2024, "SW")]["required"] == pytest.approx(5 * 0.7)
    assert [by_key[("D2", year, "SW")]["required"] for year in range(2024, 2028)] == [None] * 4
    assert by_key[("D2", 2027, "SW")]["gap"] is None
    assert by_key[("D2", 2027, "PSW")]["per_100k"] is None
    # D2's one social worker, born 1967, retires in 2027 after two years of 10% attrition.
    assert by_key[("D2", 2027, "SW")]["retirements"] == pytest.approx(0.81)


def test_no_birth_dates_means_no_retirements(world: dict[str, Any]) -> None:
    data = copy.deepcopy(HAND_SCENARIO)
    data["cadres"]["PSW"] = {"attrition_rate": 0, "retirement_age": 20, "recruitment": 1}
    rows = projected(data)["rows"]
    psw = [(row["stock"], row["retirements"]) for row in rows if row["cadre"] == "PSW"]
    assert psw == [(2.0, 0.0), (3.0, 0.0), (4.0, 0.0), (5.0, 0.0)]


def test_without_task_shifting_each_cadre_keeps_its_own_requirement(world: dict[str, Any]) -> None:
    data = copy.deepcopy(HAND_SCENARIO)
    del data["task_shifting"]
    data["cadres"]["PSW"] = {"target_per_100k": 4}
    rows = projected(data)["rows"]
    required = [(row["year"], row["cadre"], row["required"]) for row in rows]
    assert required == [
        (2024, "PSW", pytest.approx(4.0)),
        (2024, "SW", pytest.approx(10.0)),
        (2025, "PSW", pytest.approx(4.2)),
        (2025, "SW", pytest.approx(10.5)),
        (2026, "PSW", pytest.approx(4.4)),
        (2026, "SW", pytest.approx(11.0)),
        (2027, "PSW", pytest.approx(4.6305)),
        (2027, "SW", pytest.approx(11.57625)),
    ]


def test_a_cadre_without_target_or_shift_has_no_requirement(world: dict[str, Any]) -> None:
    data = copy.deepcopy(HAND_SCENARIO)
    del data["task_shifting"]
    data["cadres"]["PSW"] = {}
    rows = projected(data)["rows"]
    assert [row["required"] for row in rows if row["cadre"] == "PSW"] == [None] * 4
    assert [row["gap"] for row in rows if row["cadre"] == "PSW"] == [None] * 4


def test_yearly_lists_of_graduates_and_recruits(world: dict[str, Any]) -> None:
    data = copy.deepcopy(HAND_SCENARIO)
    data["cadres"]["SW"].update(graduates=0, recruitment=[1, 2, 3], attrition_rate=0, retirement_age=100)
    rows = projected(data)["rows"]
    assert [(row["stock"], row["entrants"]) for row in rows if row["cadre"] == "SW"] == [
        (5.0, 0.0),
        (6.0, 1.0),
        (8.0, 2.0),
        (11.0, 3.0),
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"horizon": 31}, "horizon"),
        ({"horizon": 0}, "horizon"),
        ({"base_year": "2024"}, "base_year"),
        ({"code": ""}, "code"),
        ({"cadres": {}}, "cadres"),
        ({"cadres": {"SW": {"attrition_rate": -0.1}}}, "cadres.SW.attrition_rate"),
        ({"cadres": {"SW": {"attrition_rate": 1.5}}}, "cadres.SW.attrition_rate"),
        ({"cadres": {"SW": {"attrition_rate": "guess"}}}, "cadres.SW.attrition_rate"),
        ({"cadres": {"SW": {"absorption_rate": 2}}}, "cadres.SW.absorption_rate"),
        ({"cadres": {"SW": {"salary": -1}}}, "cadres.SW.salary"),
        ({"cadres": {"SW": {"graduates": [1, 2]}}}, "cadres.SW.graduates"),
        ({"cadres": {"SW": {"recruitment": [1, -2, 3]}}}, "cadres.SW.recruitment[1]"),
        ({"cadres": {"SW": {"retirement_age": 61.5}}}, "cadres.SW.retirement_age"),
        ({"cadres": {"SW": {"atrition_rate": 0.1}}}, "cadres.SW.atrition_rate"),
        ({"cadres": {"XX": {}}}, "cadres.XX"),
        ({"task_shifting": [{"from": "SW", "to": "XX", "share": 0.3}]}, "task_shifting[0].to"),
        ({"task_shifting": [{"from": "SW", "to": "SW", "share": 0.3}]}, "task_shifting[0].to"),
        ({"task_shifting": [{"from": "SW", "to": "PSW", "share": 1.3}]}, "task_shifting[0].share"),
        (
            {
                "task_shifting": [
                    {"from": "SW", "to": "PSW", "share": 0.6},
                    {"from": "SW", "to": "PSW", "share": 0.6},
                ]
            },
            "task_shifting[1].share",
        ),
        ({"currency": "dollars"}, "currency"),
        ({"location": "NOWHERE"}, "location"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    world: dict[str, Any], tmp_path: Path, change: dict[str, Any], field: str
) -> None:
    data = {**copy.deepcopy(HAND_SCENARIO), **change}
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("plan", "scenario", str(path))
    assert f"scenario.json, {field}: " in str(refused.value)
    assert Scenario.objects.count() == 0


def test_the_command_line_stores_a_scenario_and_projects_it(world: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(HAND_SCENARIO), encoding="utf-8")
    out = io.StringIO()
    call_command("plan", "scenario", str(path), stdout=out)
    assert "hand" in out.getvalue()
    # Changing it by its code updates the same scenario and keeps the earlier version in its history.
    changed = {**HAND_SCENARIO, "name": "Renamed"}
    path.write_text(json.dumps(changed), encoding="utf-8")
    call_command("plan", "scenario", str(path), stdout=io.StringIO())
    scenario = Scenario.objects.get()
    assert (scenario.name, scenario.location.code, scenario.base_year, scenario.horizon) == (
        "Renamed",
        "K",
        2024,
        3,
    )
    assert [record.name for record in scenario.history.order_by("history_date")] == [
        "Worked by hand",
        "Renamed",
    ]

    out = io.StringIO()
    call_command("plan", "project", "--scenario", "hand", stdout=out)
    document = json.loads(out.getvalue())
    assert document["scenario"] == "hand"
    assert_close(figures(document["rows"], "K"), HAND_ROWS_K)

    out = io.StringIO()
    call_command("plan", "project", "--scenario", "hand", "--location", "D2", "--format", "csv", stdout=out)
    table = list(csv.reader(io.StringIO(out.getvalue())))
    assert table[0] == [
        "year", "cadre", "location", "stock", "exits", "retirements", "entrants", "required", "gap", "per_100k", "cost",
    ]  # fmt: skip
    assert table[1] == ["2024", "PSW", "D2", "0.0", "0.0", "0.0", "0.0", "", "", "", "0.0"]
    assert table[2] == ["2024", "SW", "D2", "1.0", "0.0", "0.0", "0.0", "", "", "", "1200.0"]
    assert len(table) == 1 + 4 * 2


def test_projecting_an_unknown_scenario_or_location_is_refused(world: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no scenario with the code 'nope'"):
        call_command("plan", "project", "--scenario", "nope")
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(HAND_SCENARIO), encoding="utf-8")
    call_command("plan", "scenario", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="no location with the code 'XX'"):
        call_command("plan", "project", "--scenario", "hand", "--location", "XX")


def test_entrants_go_to_sub_locations_by_their_share_of_the_base_stock(world: dict[str, Any]) -> None:
    rows = projected(HAND_SCENARIO, location=world["d1"])["rows"]
    # D1 has 4 of the country's 5 social workers: 4/5 of 7, 2 and 12 entrants.
    assert [row["entrants"] for row in rows if row["cadre"] == "SW"] == pytest.approx([0, 5.6, 1.6, 9.6])
    # Nobody in the scenario's own location is projected from a location outside it.
    with pytest.raises(ValueError, match="plans for D1"):
        projected({**HAND_SCENARIO, "location": "D1"}, location=world["country"])
    rows = projected({**HAND_SCENARIO, "location": "D1"})["rows"]
    assert {row["location"] for row in rows} == {"D1"}
    assert [row["entrants"] for row in rows if row["cadre"] == "SW"] == pytest.approx([0, 7, 2, 12])
