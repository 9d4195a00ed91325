"""WHO WISN (contracts/planning.md section 2): every step against figures worked out by hand."""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from sswis.planning.inputs import PlanInputError
from sswis.planning.selectors import wisn_evaluate
from sswis.planning.wisn import wisn_compute, wisn_result_as_json, wisn_study_parse
from tests.factories import AssignmentFactory, CadreFactory, LocationFactory, OrganisationFactory

# The contract's example.
STUDY: dict[str, Any] = {
    "cadre": "SW",
    "location": "D01",
    "year": 2025,
    "working_time": {
        "working_days": 260,
        "public_holidays": 12,
        "annual_leave": 21,
        "sick_leave": 10,
        "other_leave": 5,
        "hours_per_day": 8,
    },
    "activities": [{"name": "Case assessment", "annual_workload": 1200, "unit_time_hours": 3}],
    "category_allowances": [{"name": "Supervision received", "hours_per_year": 104}],
    "individual_allowances": [{"name": "District coordination", "hours_per_year": 200, "staff": 1}],
    "existing_staff": 6,
}


def study(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(STUDY)
    data.update(changes)
    return data


def test_the_contract_example_step_by_step() -> None:
    result = wisn_compute(study=wisn_study_parse(data=STUDY), existing_staff=6)

    # By hand, exactly: AWT = (260 - (12 + 21 + 10 + 5)) * 8 = 212 * 8 = 1696 hours.
    awt = Fraction(1696)
    standard = awt / 3  # 565.33 assessments a year
    activity_staff = Fraction(1200) / standard  # 3600 / 1696
    caf = 1 / (1 - Fraction(104) / awt)  # 1696 / 1592
    iaf = Fraction(200 * 1) / awt
    required = activity_staff * caf + iaf
    assert result.available_working_time_hours == 1696.0
    assert result.activities[0].standard_workload == pytest.approx(float(standard), rel=1e-15)
    assert result.activities[0].required_staff == pytest.approx(float(activity_staff), rel=1e-15)
    assert result.category_allowance_percent == pytest.approx(float(Fraction(104) / awt * 100), rel=1e-15)
    assert result.category_allowance_factor == pytest.approx(float(caf), rel=1e-15)
    assert result.individual_allowance_factor == pytest.approx(float(iaf), rel=1e-15)
    assert result.required_staff == pytest.approx(float(required), rel=1e-14)
    assert result.difference == pytest.approx(float(6 - required), rel=1e-14)
    assert result.wisn_ratio == pytest.approx(float(6 / required), rel=1e-14)
    assert result.workload_pressure == pytest.approx(float((1 - 6 / required) * 100), rel=1e-14)
    # The contract's figures, rounded as it prints them.
    document = wisn_result_as_json(result=result)
    assert round(document["activities"][0]["standard_workload"], 2) == 565.33
    assert round(document["activities"][0]["required_staff"], 4) == 2.1226
    assert round(document["category_allowance_factor"], 4) == 1.0653
    assert round(document["individual_allowance_factor"], 4) == 0.1179
    assert round(document["required_staff"], 4) == 2.3792
    assert document["existing_staff"] == 6
    assert round(document["difference"], 4) == 3.6208
    assert round(document["wisn_ratio"], 4) == 2.5218
    assert round(document["workload_pressure"], 2) == -152.18


def test_a_standard_given_as_units_per_hour_is_the_same_as_its_unit_time() -> None:
    per_hour = study(activities=[{"name": "Home visit", "annual_workload": 900, "rate_per_hour": 0.5}])
    hours = study(activities=[{"name": "Home visit", "annual_workload": 900, "unit_time_hours": 2}])

    by_rate = wisn_compute(study=wisn_study_parse(data=per_hour), existing_staff=6)
    by_time = wisn_compute(study=wisn_study_parse(data=hours), existing_staff=6)

    # 1696 hours at 0.5 visits an hour: 848 visits a year; 900 / 848 staff.
    assert by_rate.activities[0].standard_workload == pytest.approx(848.0)
    assert by_rate.activities[0].required_staff == pytest.approx(900 / 848)
    assert by_rate.required_staff == pytest.approx(by_time.required_staff)


def test_category_allowances_near_100_percent_and_at_100_percent() -> None:
    # AWT = 125 days * 8 hours = 1000 hours: 999 hours of allowances are 99.9% and CAF = 1000.
    time = {
        "working_days": 125,
        "public_holidays": 0,
        "annual_leave": 0,
        "sick_leave": 0,
        "other_leave": 0,
        "hours_per_day": 8,
    }
    near = study(
        working_time=time,
        activities=[{"name": "Assessment", "annual_workload": 10, "unit_time_hours": 1}],
        category_allowances=[
            {"name": "Meetings", "hours_per_year": 500},
            {"name": "Reports", "hours_per_year": 499},
        ],
        individual_allowances=[],
    )
    result = wisn_compute(study=wisn_study_parse(data=near), existing_staff=6)
    assert result.category_allowance_percent == pytest.approx(99.9)
    assert result.category_allowance_factor == pytest.approx(1000.0)
    assert result.required_staff == pytest.approx(10 / 1000 * 1000)

    full = copy.deepcopy(near)
    full["category_allowances"][1]["hours_per_year"] = 500
    with pytest.raises(PlanInputError) as refused:
        wisn_study_parse(data=full)
    assert refused.value.field == "category_allowances"
    assert "100" in refused.value.message


def test_nothing_to_do_gives_no_ratio_rather_than_a_division_by_zero() -> None:
    idle = study(
        activities=[{"name": "Assessment", "annual_workload": 0, "unit_time_hours": 3}],
        category_allowances=[],
        individual_allowances=[],
    )
    result = wisn_compute(study=wisn_study_parse(data=idle), existing_staff=4)
    assert (result.required_staff, result.difference, result.wisn_ratio, result.workload_pressure) == (
        0.0,
        4.0,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"working_time": {**STUDY["working_time"], "hours_per_day": None}}, "working_time.hours_per_day"),
        ({"working_time": {**STUDY["working_time"], "sick_leave": -1}}, "working_time.sick_leave"),
        ({"working_time": {**STUDY["working_time"], "working_days": 0}}, "working_time.working_days"),
        ({"working_time": {**STUDY["working_time"], "working_days": 400}}, "working_time.working_days"),
        ({"working_time": {**STUDY["working_time"], "annual_leave": 233}}, "working_time"),
        ({"activities": []}, "activities"),
        (
            {"activities": [{"name": "A", "annual_workload": 1, "unit_time_hours": 0}]},
            "activities[0].unit_time_hours",
        ),
        (
            {"activities": [{"name": "A", "annual_workload": 1, "unit_time_hours": 1, "rate_per_hour": 1}]},
            "activities[0]",
        ),
        (
            {"activities": [{"name": "A", "annual_workload": "many", "unit_time_hours": 1}]},
            "activities[0].annual_workload",
        ),
        ({"activities": [{"annual_workload": 1, "unit_time_hours": 1}]}, "activities[0].name"),
        (
            {"individual_allowances": [{"name": "C", "hours_per_year": 10, "staff": -1}]},
            "individual_allowances[0].staff",
        ),
        ({"existing_staff": -2}, "existing_staff"),
        ({"year": "2025"}, "year"),
        ({"cadre": ""}, "cadre"),
    ],
)
def test_bad_input_names_its_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(PlanInputError) as refused:
        wisn_study_parse(data=study(**changes))
    assert refused.value.field == field


@pytest.mark.django_db
def test_the_existing_staff_come_from_the_registry_when_the_study_gives_none() -> None:
    district = LocationFactory(code="D01")
    social_worker, other = CadreFactory(code="SW"), CadreFactory(code="PSW")
    organisation = OrganisationFactory(location=district)
    for _ in range(3):
        AssignmentFactory(organisation=organisation, cadre=social_worker)
    AssignmentFactory(organisation=organisation, cadre=other)
    AssignmentFactory(organisation=organisation, cadre=social_worker, child_protection=False)  # not counted

    _study, result = wisn_evaluate(data=study(existing_staff=None))

    assert result.existing_staff == 3.0
    assert wisn_evaluate(data=study())[1].existing_staff == 6.0  # given: kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"), [({"cadre": "NOPE"}, "cadre"), ({"location": "NOPE"}, "location")]
)
def test_unknown_codes_are_refused_by_name(changes: dict[str, Any], field: str) -> None:
    LocationFactory(code="D01")
    CadreFactory(code="SW")
    with pytest.raises(PlanInputError) as refused:
        wisn_evaluate(data=study(**changes))
    assert refused.value.field == field


@pytest.mark.django_db
def test_the_command_prints_the_contract_s_json_and_the_steps(tmp_path: Path, capsys: Any) -> None:
    LocationFactory(code="D01")
    CadreFactory(code="SW")
    path = tmp_path / "study.json"
    path.write_text(json.dumps(STUDY), encoding="utf-8")

    call_command("plan", "wisn", str(path))
    document = json.loads(capsys.readouterr().out)
    assert list(document) == [
        "available_working_time_hours",
        "activities",
        "category_allowance_factor",
        "individual_allowance_factor",
        "required_staff",
        "existing_staff",
        "difference",
        "wisn_ratio",
        "workload_pressure",
    ]
    assert document["available_working_time_hours"] == 1696.0
    assert round(document["required_staff"], 4) == 2.3792

    call_command("plan", "wisn", str(path), "--format", "text")
    text = capsys.readouterr().out
    assert "(260.0 working days - 48.0 days of holidays and leave) x 8.00 hours = 1,696.0 hours" in text
    assert "Required staff = A x CAF + IAF = 2.3792" in text
    assert "workload pressure -152.18%" in text


@pytest.mark.django_db
def test_the_command_refuses_bad_input_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "study.json"
    path.write_text(
        json.dumps(study(category_allowances=[{"name": "All", "hours_per_year": 1696}])), encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"study.json, category_allowances: .*100"):
        call_command("plan", "wisn", str(path))
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="is not a JSON document"):
        call_command("plan", "wisn", str(path))


@pytest.mark.django_db
def test_the_steps_are_written_in_the_language_of_the_command_line(tmp_path: Path, capsys: Any) -> None:
    LocationFactory(code="D01")
    CadreFactory(code="SW")
    path = tmp_path / "study.json"
    path.write_text(json.dumps(STUDY), encoding="utf-8")

    with translation.override("fr"):
        call_command("plan", "wisn", str(path), "--format", "text")
    text = capsys.readouterr().out

    assert "Étape 1." in text
    assert "1\xa0696,0" in text  # numbers as French writes them
    assert "2,3792" in text
