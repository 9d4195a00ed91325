"""From training to planning, from hand-built cases: graduates per programme, cadre and year; the
graduates expected from intakes and completion rates; a scenario's graduates filled from them; the CLI."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from sswis.planning.inputs import PlanInputError
from sswis.planning.models import Scenario
from sswis.planning.services import scenario_save
from sswis.planning.training_graduates import scenario_graduates_from_training, scenario_training_graduates
from sswis.training.models import ProgrammeKind
from sswis.training.pipeline import GraduateRow, completion_rate, graduates_expected, graduates_recorded
from tests.conftest import Country, Personas
from tests.training.factories_practicum import (
    InstitutionFactory,
    IntakeFactory,
    ProgrammeFactory,
    completions,
)

RATE_P1 = 54 / 70  # completions 2022-2024 (15 + 9 + 30) over their intakes 2020-2022 (20 + 10 + 40)


@pytest.fixture
def pipeline(country: Country) -> None:
    """Five programmes (base year 2024 in the tests):

    * P1, diploma of 24 months at D11, for SW: intakes 2019-2024 of 10, 20, 10, 40, 30, 50; completions
      2021-2025 of 8, 15, 9, 30, 5. Rate as of 2024: the last three years with data, 2022-2024: 54 / 70.
      Expected: 2025 from the 2023 intake, 30 x 54/70; 2026 from 2024, 50 x 54/70; 2027 none.
    * P2, certificate of 12 months at D21, for SW and PSW (a half each): intakes 2024 of 12, 2025 of 18; 3
      completions in 2024 whose intake (2023) is not recorded: no year with data, rate 1. Expected 2025
      12, 2026 18.
    * P3, in-service, for SW, 7 completions in 2024: not pre-service, never counted.
    * P4, pre-service degree of no duration, for PSW: 4 completions in 2024 (graduates), no expectation.
    * P5, pre-service of 36 months for no cadre: intake 2022 of 10 -> 10 expected in 2025, for no cadre.
    """
    north = InstitutionFactory(code="I-N", location=country.district_11)
    south = InstitutionFactory(code="I-S", location=country.district_21)
    p1 = ProgrammeFactory(code="P1", institution=north, duration_months=24, cadres=[country.social_worker])
    for year, enrolled in zip(range(2019, 2025), (10, 20, 10, 40, 30, 50), strict=True):
        IntakeFactory(programme=p1, year=year, enrolled=enrolled)
    for year, count in zip(range(2021, 2026), (8, 15, 9, 30, 5), strict=True):
        completions(p1, year, count)
    p2 = ProgrammeFactory(
        code="P2",
        institution=south,
        kind=ProgrammeKind.PRE_SERVICE_CERTIFICATE,
        duration_months=12,
        cadres=[country.social_worker, country.para_social_worker],
    )
    IntakeFactory(programme=p2, year=2024, enrolled=12)
    IntakeFactory(programme=p2, year=2025, enrolled=18)
    completions(p2, 2024, 3)
    p3 = ProgrammeFactory(
        code="P3", institution=north, kind=ProgrammeKind.IN_SERVICE, cadres=[country.social_worker]
    )
    completions(p3, 2024, 7)
    p4 = ProgrammeFactory(
        code="P4",
        institution=south,
        kind=ProgrammeKind.PRE_SERVICE_DEGREE,
        duration_months=None,
        cadres=[country.para_social_worker],
    )
    completions(p4, 2024, 4)
    p5 = ProgrammeFactory(code="P5", institution=south, duration_months=36)
    IntakeFactory(programme=p5, year=2022, enrolled=10)


def test_graduates_per_programme_cadre_and_year(pipeline: None) -> None:
    rows = graduates_recorded(first_year=2024, last_year=2024)

    assert rows == [
        GraduateRow(year=2024, programme="P1", cadre="SW", graduates=30.0),
        GraduateRow(year=2024, programme="P2", cadre="PSW", graduates=1.5),
        GraduateRow(year=2024, programme="P2", cadre="SW", graduates=1.5),
        GraduateRow(year=2024, programme="P4", cadre="PSW", graduates=4.0),
    ]


def test_graduates_of_every_year(pipeline: None) -> None:
    by_year: dict[int, float] = {}
    for row in graduates_recorded():
        by_year[row.year] = by_year.get(row.year, 0.0) + row.graduates

    assert by_year == {2021: 8.0, 2022: 15.0, 2023: 9.0, 2024: 37.0, 2025: 5.0}  # 2024: P1 30, P2 3, P4 4


def test_the_completion_rate_looks_at_the_last_three_years_with_data() -> None:
    intakes = {2019: 10, 2020: 20, 2021: 10, 2022: 40}
    found = {2021: 8, 2022: 15, 2023: 9, 2024: 30, 2025: 5}

    assert completion_rate(intakes=intakes, completions=found, offset=2, base_year=2024) == (
        54 / 70,
        [2024, 2023, 2022],
    )
    # As of 2022: 2022 and 2021 only, (15 + 8) / (20 + 10).
    assert completion_rate(intakes=intakes, completions=found, offset=2, base_year=2022) == (
        23 / 30,
        [2022, 2021],
    )
    # A year whose intake is not recorded, or with no completion, is no data; none at all: 1.
    assert completion_rate(intakes={2020: 5}, completions={2022: 0, 2023: 4}, offset=2, base_year=2024) == (
        1.0,
        [],
    )


def test_graduates_expected_from_intakes(pipeline: None, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(4):
        expected = graduates_expected(base_year=2024, horizon=3)

    assert expected.years == [2025, 2026, 2027]
    programmes = {programme.programme: programme for programme in expected.programmes}
    assert sorted(programmes) == ["P1", "P2", "P5"]
    assert (programmes["P1"].completion_rate, programmes["P1"].rate_years) == (RATE_P1, (2024, 2023, 2022))
    assert programmes["P1"].graduates == pytest.approx((30 * RATE_P1, 50 * RATE_P1, 0.0))
    assert (programmes["P2"].completion_rate, programmes["P2"].graduates) == (1.0, (12.0, 18.0, 0.0))
    assert programmes["P5"].graduates == (10.0, 0.0, 0.0)
    assert list(expected.by_cadre) == ["PSW", "SW"]
    assert expected.by_cadre["SW"] == pytest.approx((30 * RATE_P1 + 6, 50 * RATE_P1 + 9, 0.0))
    assert expected.by_cadre["PSW"] == pytest.approx((6.0, 9.0, 0.0))


def test_graduates_expected_within_a_place(pipeline: None, country: Country) -> None:
    expected = graduates_expected(base_year=2024, horizon=2, within=country.region_1)

    assert [programme.programme for programme in expected.programmes] == ["P1"]
    assert list(expected.by_cadre) == ["SW"]
    assert expected.by_cadre["SW"] == pytest.approx((30 * RATE_P1, 50 * RATE_P1))


# --- a scenario's graduates --------------------------------------------------------------------------------


def _scenario(code: str, location: str, cadres: dict[str, Any]) -> Scenario:
    return scenario_save(
        actor=None,
        data={
            "code": code,
            "name": f"Scenario {code}",
            "base_year": 2024,
            "horizon": 3,
            "location": location,
            "cadres": cadres,
            "task_shifting": [{"from": "SW", "to": "PSW", "share": 0.1}],
        },
    )


def test_a_scenario_s_graduates_are_filled_from_training(pipeline: None, personas: Personas) -> None:
    scenario = _scenario(
        "national",
        "KD",
        {
            "SW": {"graduates": 5, "absorption_rate": 0.5, "target_per_100k": 10},
            "PSW": {"recruitment": 2},
            "CPV": {"graduates": 7},
        },
    )

    read = scenario_training_graduates(scenario=scenario)
    scenario_graduates_from_training(actor=personas.national, scenario=scenario)

    scenario.refresh_from_db()
    assert (read.years, read.untouched) == ([2025, 2026, 2027], ["CPV"])
    assert scenario.document["cadres"] == {
        "SW": {
            "graduates": [round(30 * RATE_P1 + 6, 4), round(50 * RATE_P1 + 9, 4), 0.0],
            "absorption_rate": 0.5,
            "target_per_100k": 10,
        },
        "PSW": {"recruitment": 2, "graduates": [6.0, 9.0, 0.0]},
        "CPV": {"graduates": 7},
    }
    assert scenario.document["cadres"]["SW"]["graduates"] == [29.1429, 47.5714, 0.0]
    assert scenario.document["task_shifting"] == [{"from": "SW", "to": "PSW", "share": 0.1}]
    assert scenario.history.latest().history_user == personas.national


def test_a_scenario_of_a_region_takes_the_graduates_of_its_institutions(
    pipeline: None, personas: Personas
) -> None:
    scenario = _scenario("north", "R1", {"SW": {}, "PSW": {}})

    scenario_graduates_from_training(actor=personas.subnational, scenario=scenario)

    scenario.refresh_from_db()
    assert scenario.document["cadres"] == {"SW": {"graduates": [23.1429, 38.5714, 0.0]}, "PSW": {}}


def test_filling_is_refused_to_who_may_not_change_the_scenario(pipeline: None, personas: Personas) -> None:
    scenario = _scenario("south", "R2", {"SW": {"graduates": 1}})

    for user in (personas.analyst, personas.subnational, personas.focal_point):
        with pytest.raises(PermissionDenied):
            scenario_graduates_from_training(actor=user, scenario=scenario)

    scenario.refresh_from_db()
    assert scenario.document["cadres"] == {"SW": {"graduates": 1}}


def test_filling_a_scenario_training_says_nothing_about_is_refused(
    pipeline: None, personas: Personas
) -> None:
    scenario = scenario_save(
        actor=None, data={"code": "v", "name": "Volunteers", "base_year": 2024, "cadres": {"CPV": {}}}
    )

    with pytest.raises(PlanInputError) as refused:
        scenario_graduates_from_training(actor=personas.national, scenario=scenario)

    assert (refused.value.field, refused.value.message) == (
        "cadres",
        "no pre-service programme with a duration prepares for this scenario's cadres (CPV).",
    )
    assert scenario.history.count() == 1


# --- the command line ----------------------------------------------------------------------------------


def _run(*arguments: str) -> str:
    output = io.StringIO()
    call_command("training_graduates", *arguments, stdout=output)
    return output.getvalue()


def test_the_command_prints_graduates_as_json(pipeline: None) -> None:
    document = json.loads(_run("--from", "2024", "--to", "2024", "--format", "json"))

    assert document == {
        "rows": [
            {"year": 2024, "programme": "P1", "cadre": "SW", "graduates": 30.0},
            {"year": 2024, "programme": "P2", "cadre": "PSW", "graduates": 1.5},
            {"year": 2024, "programme": "P2", "cadre": "SW", "graduates": 1.5},
            {"year": 2024, "programme": "P4", "cadre": "PSW", "graduates": 4.0},
        ]
    }


def test_the_command_prints_csv_and_text(pipeline: None) -> None:
    rows = list(csv.reader(io.StringIO(_run("--from", "2025", "--format", "csv"))))
    text = _run("--from", "2025", "--to", "2025")

    assert rows == [["year", "programme", "cadre", "graduates"], ["2025", "P1", "SW", "5.0"]]
    assert text.splitlines() == ["year  programme  cadre  graduates", "2025  P1  SW  5"]


def test_the_command_refuses_a_bad_year(pipeline: None) -> None:
    with pytest.raises(CommandError, match="--from"):
        _run("--from", "20x4")
    with pytest.raises(CommandError, match="--to"):
        _run("--from", "2025", "--to", "2024")
