"""Small cells of ``certified``, a personal attribute (k = 5): the split by certified x sex and the certified
share, worked out by hand, for the analyst (aggregates only) and the national data manager (everything).

Region North (R1), every worker a social worker of the ministry, certified on 31 December 2024 or not:

| | certified, female | certified, male | not certified, female | not certified, male | all |
|---|---|---|---|---|---|
| D11 | 6 | 2 | 7 | 5 | 20 |
| D12 | 0 | 0 | 5 | 0 | 5 |
| R1 = KD | 6 | 2 | 12 | 5 | 25 |

South has nobody.
"""

from __future__ import annotations

from typing import Any

import pytest

from sswis.indicators.disclosure import rows_small_cells_withheld
from sswis.indicators.rows import CERTIFIED_SHARE, COUNT, PER_100K, IndicatorRow
from sswis.indicators.selectors import indicators_compute, indicators_for_reader
from tests.conftest import Country, Personas
from tests.factories import PopulationEstimateFactory, WorkerFactory
from tests.indicators.conftest import YEAR, assign, groups, row
from tests.training.factories_indicators import CertifyingProgrammeFactory, completed

BY = ("certified", "sex")


@pytest.fixture
def north(country: Country) -> None:
    programme = CertifyingProgrammeFactory.create(code="CERT")
    cells = {
        country.district_11: {
            ("female", True): 6,
            ("male", True): 2,
            ("female", False): 7,
            ("male", False): 5,
        },
        country.district_12: {("female", False): 5},
    }
    for place, cell in cells.items():
        for (sex, certified), number in cell.items():
            for _ in range(number):
                worker = WorkerFactory.create(sex=sex)
                assign(country, worker=worker, location=place)
                if certified:
                    completed(worker, programme, "2024-05-01")
    PopulationEstimateFactory.create(location=country.district_11, year=YEAR, children=50000)


def parts(rows: list[IndicatorRow], indicator: str, location: str, **group: str) -> tuple[Any, ...]:
    found = row(rows, indicator, location, **group)
    return found.numerator, found.denominator, found.value, found.withheld


def withheld(rows: list[IndicatorRow], indicator: str, location: str) -> list[dict[str, str]]:
    return [r.group for r in rows if r.indicator == indicator and r.location == location and r.withheld]


def test_the_national_data_manager_gets_every_figure_as_computed(
    country: Country, personas: Personas, north: None
) -> None:
    rows = indicators_for_reader(user=personas.national, year=YEAR, by=BY)

    assert rows == indicators_compute(year=YEAR, by=BY)
    assert not any(r.withheld for r in rows)
    assert groups(rows, COUNT, "D11") == {
        ("certified", "female"): 6,
        ("certified", "male"): 2,
        ("not_certified", "female"): 7,
        ("not_certified", "male"): 5,
    }
    assert parts(rows, CERTIFIED_SHARE, "D11") == (8, 20, 8 / 20, False)
    assert parts(rows, CERTIFIED_SHARE, "D11", certified="certified", sex="male") == (2, 20, 2 / 20, False)
    # The splits add up to the whole at every location.
    for code in ("KD", "R1", "D11", "D12", "R2", "D21"):
        assert sum(groups(rows, COUNT, code).values()) == row(rows, COUNT, code).numerator
        assert sum(groups(rows, CERTIFIED_SHARE, code).values()) == row(rows, CERTIFIED_SHARE, code).numerator


def test_the_analyst_gets_no_cell_of_1_to_4_nor_one_to_subtract(
    country: Country, personas: Personas, north: None
) -> None:
    rows = indicators_for_reader(user=personas.analyst, year=YEAR, by=BY)

    # D11: certified men (2) are small; the smallest other non-zero cell, uncertified men (5), goes too.
    assert withheld(rows, COUNT, "D11") == [
        {"certified": "certified", "sex": "male"},
        {"certified": "not_certified", "sex": "male"},
    ]
    assert parts(rows, COUNT, "D11", certified="certified", sex="female") == (6, None, 6, False)
    assert parts(rows, COUNT, "D11", certified="not_certified", sex="female") == (7, None, 7, False)
    # The per-100,000 rows go with the counts and keep the child population (it describes no worker).
    assert withheld(rows, PER_100K, "D11") == withheld(rows, COUNT, "D11")
    assert parts(rows, PER_100K, "D11", certified="certified", sex="male") == (None, 50000, None, True)
    # The share: certified men (2) small; its only other group row (certified women, 6) goes too; the
    # location's own row, 8 certified of 20 (12 not), is shown.
    assert withheld(rows, CERTIFIED_SHARE, "D11") == [
        {"certified": "certified", "sex": "female"},
        {"certified": "certified", "sex": "male"},
    ]
    assert parts(rows, CERTIFIED_SHARE, "D11") == (8, 20, 8 / 20, False)
    # D12: 5 uncertified women, nobody certified: nothing small.
    assert withheld(rows, COUNT, "D12") == withheld(rows, CERTIFIED_SHARE, "D12") == []
    assert parts(rows, CERTIFIED_SHARE, "D12") == (0, 5, 0.0, False)
    # R1 and the country (the same people): certified men (2) and, as the complement, uncertified men (5).
    for code in ("R1", "KD"):
        assert withheld(rows, COUNT, code) == [
            {"certified": "certified", "sex": "male"},
            {"certified": "not_certified", "sex": "male"},
        ]
        assert parts(rows, COUNT, code, certified="not_certified", sex="female") == (12, None, 12, False)
        assert parts(rows, CERTIFIED_SHARE, code) == (8, 25, 8 / 25, False)
    # The location counts are never withheld.
    assert [parts(rows, COUNT, code) for code in ("KD", "D11", "D12")] == [
        (25, None, 25, False),
        (20, None, 20, False),
        (5, None, 5, False),
    ]


def test_the_share_by_sex_alone(country: Country, personas: Personas, north: None) -> None:
    rows = indicators_for_reader(user=personas.analyst, year=YEAR, by=("sex",), location=country.district_11)

    # D11 women: 6 certified of 13 (7 not): shown; men: 2 certified of 7: withheld, and women with it.
    assert withheld(rows, CERTIFIED_SHARE, "D11") == [{"sex": "female"}, {"sex": "male"}]
    assert withheld(rows, COUNT, "D11") == []  # 13 women and 7 men: a split by sex alone hides nothing
    assert parts(rows, CERTIFIED_SHARE, "D11") == (8, 20, 8 / 20, False)


@pytest.mark.parametrize(
    ("certified", "total", "hidden"),
    [
        (0, 12, False),  # nobody certified
        (4, 12, True),  # 4 certified
        (5, 12, False),  # exactly k certified, 7 not
        (8, 12, True),  # 4 not certified: 12 - 8 is shown by the count
        (12, 12, False),  # everyone certified
    ],
)
def test_the_whole_locations_share_is_withheld_when_either_side_is_small(
    certified: int, total: int, hidden: bool
) -> None:
    rows = [
        IndicatorRow(COUNT, "D11", {}, total, None, total, YEAR),
        IndicatorRow(CERTIFIED_SHARE, "D11", {}, certified, total, certified / total, YEAR),
    ]

    controlled = rows_small_cells_withheld(rows=rows, by=(), minimum=5)

    assert controlled[0] == rows[0]
    assert controlled[1].withheld is hidden
    if hidden:
        assert (controlled[1].numerator, controlled[1].denominator, controlled[1].value) == (None, None, None)
