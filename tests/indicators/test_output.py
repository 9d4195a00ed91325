"""The JSON document, the CSV file and the ``sswis indicators`` command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sswis.indicators.definitions import INDICATORS
from sswis.indicators.selectors import indicators_as_json, indicators_compute, indicators_write_csv
from tests.conftest import Country
from tests.factories import PopulationEstimateFactory, WorkerFactory
from tests.indicators.conftest import YEAR, assign


@pytest.fixture
def small(country: Country) -> None:
    assign(
        country,
        worker=WorkerFactory(sex="female"),
        location=country.district_11,
        cadre=country.para_social_worker,
    )
    assign(country, worker=WorkerFactory(sex="unknown"), location=country.district_21)
    PopulationEstimateFactory(location=country.district_11, year=YEAR, children=83120)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_json_document_is_exactly_the_contract_shape(country: Country, small: None) -> None:
    rows = indicators_compute(year=YEAR, by=("cadre",), location=country.district_11)

    document = indicators_as_json(year=YEAR, rows=rows)

    assert document == {
        "year": 2024,
        "rows": [
            {
                "indicator": "workforce.count",
                "location": "D11",
                "group": {},
                "numerator": 1,
                "denominator": None,
                "value": 1,
                "withheld": False,
            },
            {
                "indicator": "workforce.count",
                "location": "D11",
                "group": {"cadre": "PSW"},
                "numerator": 1,
                "denominator": None,
                "value": 1,
                "withheld": False,
            },
            {
                "indicator": "workforce.per_100k_children",
                "location": "D11",
                "group": {},
                "numerator": 1,
                "denominator": 83120,
                "value": 100000 / 83120,
                "withheld": False,
            },
            {
                "indicator": "workforce.per_100k_children",
                "location": "D11",
                "group": {"cadre": "PSW"},
                "numerator": 1,
                "denominator": 83120,
                "value": 100000 / 83120,
                "withheld": False,
            },
            {
                "indicator": "workforce.female_share",
                "location": "D11",
                "group": {},
                "numerator": 1,
                "denominator": 1,
                "value": 1.0,
                "withheld": False,
            },
            {
                "indicator": "posts.vacancy_rate",
                "location": "D11",
                "group": {},
                "numerator": 0,
                "denominator": 0,
                "value": None,
                "withheld": False,
            },
            {
                "indicator": "workforce.licensed_share",
                "location": "D11",
                "group": {},
                "numerator": 0,
                "denominator": 1,
                "value": 0.0,
                "withheld": False,
            },
            {
                "indicator": "workforce.certified_share",
                "location": "D11",
                "group": {},
                "numerator": 0,
                "denominator": 1,
                "value": 0.0,
                "withheld": False,
            },
            {
                "indicator": "support.supervised_share",
                "location": "D11",
                "group": {},
                "numerator": 0,
                "denominator": 1,
                "value": 0.0,
                "withheld": False,
            },
            {
                "indicator": "support.supervisors_over_norm",
                "location": "D11",
                "group": {},
                "numerator": 0,
                "denominator": 0,
                "value": None,
                "withheld": False,
            },
            {
                "indicator": "support.sessions_per_supervisee",
                "location": "D11",
                "group": {},
                "numerator": 0,
                "denominator": 0,
                "value": None,
                "withheld": False,
            },
            {
                "indicator": "support.caseload_mean",
                "location": "D11",
                "group": {},
                "numerator": 0,
                "denominator": 0,
                "value": None,
                "withheld": False,
            },
            {
                "indicator": "support.caseload_over_norm_share",
                "location": "D11",
                "group": {},
                "numerator": 0,
                "denominator": 0,
                "value": None,
                "withheld": False,
            },
            {
                "indicator": "support.turnover_rate",
                "location": "D11",
                "group": {},
                "numerator": 0,
                "denominator": 1.0,
                "value": 0.0,
                "withheld": False,
            },
            {
                "indicator": "support.turnover_rate",
                "location": "D11",
                "group": {"cadre": "PSW"},
                "numerator": 0,
                "denominator": 1.0,
                "value": 0.0,
                "withheld": False,
            },
        ],
    }
    assert list(document) == ["year", "rows"]
    assert [list(item) for item in document["rows"]] == [
        ["indicator", "location", "group", "numerator", "denominator", "value", "withheld"]
    ] * 15
    assert type(document["rows"][0]["value"]) is int


def test_json_values_are_not_rounded(country: Country, small: None) -> None:
    document = json.loads(run("--year", "2024", "--location", "D11"))

    per_100k = document["rows"][1]
    assert per_100k["indicator"] == "workforce.per_100k_children"
    assert per_100k["value"] == 1.2030798845043311  # 100000 / 83120, every digit
    assert str(per_100k["value"]) == "1.2030798845043311"


def test_command_prints_the_json_of_every_location(country: Country, small: None) -> None:
    output = run("--year", "2024")

    assert json.loads(output) == indicators_as_json(year=YEAR, rows=indicators_compute(year=YEAR))
    assert [r["location"] for r in json.loads(output)["rows"]][:: len(INDICATORS)] == [
        "KD",
        "R1",
        "D11",
        "D12",
        "R2",
        "D21",
    ]
    assert output.startswith(
        '{"year": 2024,\n "rows": [\n  {"indicator": "workforce.count", "location": "KD", '
    )


def test_command_with_one_or_several_by(country: Country, small: None) -> None:
    expected = indicators_as_json(year=YEAR, rows=indicators_compute(year=YEAR, by=("cadre", "sex")))

    assert json.loads(run("--year", "2024", "--by", "cadre", "--by", "sex")) == expected
    assert json.loads(run("--year", "2024", "--by", "cadre", "sex")) == expected
    assert json.loads(run("--year", "2024", "--by", "cadre,sex")) == expected
    assert json.loads(run("--year=2024", "--format=json", "--by=cadre", "--by=sex")) == expected


def test_command_by_licensed(country: Country, small: None) -> None:
    output = run("--year", "2024", "--format", "csv", "--by", "licensed", "--location", "D11")

    assert list(csv.reader(io.StringIO(output))) == [
        ["indicator", "location", "licensed", "numerator", "denominator", "value", "withheld"],
        ["workforce.count", "D11", "", "1", "", "1", "false"],
        ["workforce.count", "D11", "not_licensed", "1", "", "1", "false"],
        ["workforce.per_100k_children", "D11", "", "1", "83120", "1.2030798845043311", "false"],
        ["workforce.per_100k_children", "D11", "not_licensed", "1", "83120", "1.2030798845043311", "false"],
        ["workforce.female_share", "D11", "", "1", "1", "1.0", "false"],
        ["posts.vacancy_rate", "D11", "", "0", "0", "", "false"],
        ["workforce.licensed_share", "D11", "", "0", "1", "0.0", "false"],
        ["workforce.certified_share", "D11", "", "0", "1", "0.0", "false"],
        ["support.supervised_share", "D11", "", "0", "1", "0.0", "false"],
        ["support.supervisors_over_norm", "D11", "", "0", "0", "", "false"],
        ["support.sessions_per_supervisee", "D11", "", "0", "0", "", "false"],
        ["support.caseload_mean", "D11", "", "0", "0", "", "false"],
        ["support.caseload_over_norm_share", "D11", "", "0", "0", "", "false"],
        ["support.turnover_rate", "D11", "", "0", "1.0", "0.0", "false"],
        ["support.turnover_rate", "D11", "not_licensed", "0", "1.0", "0.0", "false"],
    ]


def test_command_csv_spreads_the_group_in_one_column_per_dimension(country: Country, small: None) -> None:
    output = run("--year", "2024", "--format", "csv", "--by", "cadre", "sex", "--location", "R1")

    lines = list(csv.reader(io.StringIO(output)))
    assert lines == [
        ["indicator", "location", "cadre", "sex", "numerator", "denominator", "value", "withheld"],
        ["workforce.count", "R1", "", "", "1", "", "1", "false"],
        ["workforce.count", "R1", "PSW", "female", "1", "", "1", "false"],
        ["workforce.per_100k_children", "R1", "", "", "1", "", "", "false"],
        ["workforce.per_100k_children", "R1", "PSW", "female", "1", "", "", "false"],
        ["workforce.female_share", "R1", "", "", "1", "1", "1.0", "false"],
        ["posts.vacancy_rate", "R1", "", "", "0", "0", "", "false"],
        ["workforce.licensed_share", "R1", "", "", "0", "1", "0.0", "false"],
        ["workforce.certified_share", "R1", "", "", "0", "1", "0.0", "false"],
        ["support.supervised_share", "R1", "", "", "0", "1", "0.0", "false"],
        ["support.supervisors_over_norm", "R1", "", "", "0", "0", "", "false"],
        ["support.sessions_per_supervisee", "R1", "", "", "0", "0", "", "false"],
        ["support.caseload_mean", "R1", "", "", "0", "0", "", "false"],
        ["support.caseload_over_norm_share", "R1", "", "", "0", "0", "", "false"],
        ["support.turnover_rate", "R1", "", "", "0", "1.0", "0.0", "false"],
        ["support.turnover_rate", "R1", "PSW", "female", "0", "1.0", "0.0", "false"],
        ["workforce.count", "D11", "", "", "1", "", "1", "false"],
        ["workforce.count", "D11", "PSW", "female", "1", "", "1", "false"],
        ["workforce.per_100k_children", "D11", "", "", "1", "83120", "1.2030798845043311", "false"],
        ["workforce.per_100k_children", "D11", "PSW", "female", "1", "83120", "1.2030798845043311", "false"],
        ["workforce.female_share", "D11", "", "", "1", "1", "1.0", "false"],
        ["posts.vacancy_rate", "D11", "", "", "0", "0", "", "false"],
        ["workforce.licensed_share", "D11", "", "", "0", "1", "0.0", "false"],
        ["workforce.certified_share", "D11", "", "", "0", "1", "0.0", "false"],
        ["support.supervised_share", "D11", "", "", "0", "1", "0.0", "false"],
        ["support.supervisors_over_norm", "D11", "", "", "0", "0", "", "false"],
        ["support.sessions_per_supervisee", "D11", "", "", "0", "0", "", "false"],
        ["support.caseload_mean", "D11", "", "", "0", "0", "", "false"],
        ["support.caseload_over_norm_share", "D11", "", "", "0", "0", "", "false"],
        ["support.turnover_rate", "D11", "", "", "0", "1.0", "0.0", "false"],
        ["support.turnover_rate", "D11", "PSW", "female", "0", "1.0", "0.0", "false"],
        ["workforce.count", "D12", "", "", "0", "", "0", "false"],
        ["workforce.per_100k_children", "D12", "", "", "0", "", "", "false"],
        ["workforce.female_share", "D12", "", "", "0", "0", "", "false"],
        ["posts.vacancy_rate", "D12", "", "", "0", "0", "", "false"],
        ["workforce.licensed_share", "D12", "", "", "0", "0", "", "false"],
        ["workforce.certified_share", "D12", "", "", "0", "0", "", "false"],
        ["support.supervised_share", "D12", "", "", "0", "0", "", "false"],
        ["support.supervisors_over_norm", "D12", "", "", "0", "0", "", "false"],
        ["support.sessions_per_supervisee", "D12", "", "", "0", "0", "", "false"],
        ["support.caseload_mean", "D12", "", "", "0", "0", "", "false"],
        ["support.caseload_over_norm_share", "D12", "", "", "0", "0", "", "false"],
        ["support.turnover_rate", "D12", "", "", "0", "0.0", "", "false"],
    ]


def test_csv_without_by_has_no_dimension_column(country: Country, small: None) -> None:
    stream = io.StringIO()
    indicators_write_csv(
        rows=indicators_compute(year=YEAR, location=country.district_21), by=(), stream=stream
    )

    assert stream.getvalue() == (
        "indicator,location,numerator,denominator,value,withheld\n"
        "workforce.count,D21,1,,1,false\n"
        "workforce.per_100k_children,D21,1,,,false\n"
        "workforce.female_share,D21,0,0,,false\n"
        "posts.vacancy_rate,D21,0,0,,false\n"
        "workforce.licensed_share,D21,0,1,0.0,false\n"
        "workforce.certified_share,D21,0,1,0.0,false\n"
        "support.supervised_share,D21,0,1,0.0,false\n"
        "support.supervisors_over_norm,D21,0,0,,false\n"
        "support.sessions_per_supervisee,D21,0,0,,false\n"
        "support.caseload_mean,D21,0,0,,false\n"
        "support.caseload_over_norm_share,D21,0,0,,false\n"
        "support.turnover_rate,D21,0,1.0,0.0,false\n"
    )


def test_command_location_depth_and_output_file(country: Country, small: None, tmp_path: Path) -> None:
    target = tmp_path / "indicators.json"

    assert run("--year", "2024", "--location", "KD", "--depth", "1", "--output", str(target)) == ""

    document = json.loads(target.read_text(encoding="utf-8"))
    assert [r["location"] for r in document["rows"]][:: len(INDICATORS)] == ["KD", "R1", "R2"]
    assert document == indicators_as_json(
        year=YEAR, rows=indicators_compute(year=YEAR, location=country.root, depth=1)
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--year", "2024", "--by", "age"),
            "Unknown dimension 'age' for --by. Valid dimensions: cadre, category, employer, paid, sex, education, sector, "
            "setting, licensed, certified.",
        ),
        (("--year", "2024", "--by", "cadre", "region"), "Unknown dimension 'region'"),
        (("--year", "2024", "--location", "ZZ"), "Unknown location code 'ZZ'."),
        (("--year", "twenty"), "--year must be a year such as 2024, not 'twenty'."),
        (("--year", "224"), "--year must be between 1900 and 2100, not 224."),
        (("--year", "2024", "--format", "xml"), "Unknown format 'xml'. Valid formats: json, csv."),
        (("--year", "2024", "--depth", "-1"), "--depth must be 0 or more"),
        (("--by", "cadre"), "one of the arguments --year --years is required"),
    ],
)
def test_command_refuses_bad_arguments_clearly(country: Country, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError) as error:
        run(*args)

    assert message in str(error.value)


def test_command_on_an_empty_registry_prints_a_valid_empty_document(db: None) -> None:
    assert json.loads(run("--year", "2024")) == {"year": 2024, "rows": []}
    assert run("--year", "2024", "--format", "csv", "--by", "sex") == (
        "indicator,location,sex,numerator,denominator,value,withheld\n"
    )
