"""Small cells of ``licensed``, a personal attribute: the split by it, and the licensed share, whose every
row counts people by it (``sswis.indicators.disclosure``), worked out by hand; who gets which figures."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from sswis.indicators.disclosure import rows_small_cells_withheld
from sswis.indicators.rows import COUNT, LICENSED_SHARE, PER_100K, IndicatorRow
from sswis.indicators.selectors import indicators_compute, indicators_for_reader
from tests.conftest import Country, Personas
from tests.factories import WorkerFactory, registration_with_history
from tests.indicators.conftest import YEAR, assign, row

K = 5


def count(location: str, n: int, **group: str) -> IndicatorRow:
    return IndicatorRow(COUNT, location, group, n, None, n, YEAR)


def share(location: str, n: int, total: int, **group: str) -> IndicatorRow:
    return IndicatorRow(LICENSED_SHARE, location, group, n, total, n / total if total else None, YEAR)


def withheld(rows: list[IndicatorRow], indicator: str = LICENSED_SHARE) -> list[dict[str, str]]:
    return [r.group for r in rows if r.indicator == indicator and r.withheld]


@pytest.mark.parametrize(
    ("licensed", "total", "hidden"),
    [
        (0, 12, False),  # nobody licensed: describes no one licensed, 12 not licensed
        (4, 12, True),  # 4 licensed
        (5, 12, False),  # exactly k licensed, 7 not
        (9, 12, True),  # 3 not licensed: 12 - 9 is shown by the count
        (12, 12, False),  # everyone licensed: nobody lacks it
        (7, 12, False),
        (0, 0, False),  # nobody counted
    ],
)
def test_the_whole_locations_share_is_withheld_when_either_side_is_small(
    licensed: int, total: int, hidden: bool
) -> None:
    rows = [count("D11", total), share("D11", licensed, total)]

    controlled = rows_small_cells_withheld(rows=rows, by=(), minimum=K)

    assert controlled[0] == rows[0]  # the count of a location is never withheld
    if hidden:
        assert controlled[1] == IndicatorRow(LICENSED_SHARE, "D11", {}, None, None, None, YEAR, withheld=True)
    else:
        assert controlled[1] == rows[1]


def test_a_split_by_cadre_of_the_share_is_withheld_although_cadre_is_not_personal() -> None:
    # SW 10 workers, 7 licensed (3 not: small); PSW 8, 6 licensed (2 not: small); CPV 6, all licensed.
    rows = [
        count("D11", 24),
        count("D11", 6, cadre="CPV"),
        count("D11", 8, cadre="PSW"),
        count("D11", 10, cadre="SW"),
        share("D11", 19, 24),
        share("D11", 6, 24, cadre="CPV"),
        share("D11", 6, 24, cadre="PSW"),
        share("D11", 7, 24, cadre="SW"),
    ]

    controlled = rows_small_cells_withheld(rows=rows, by=("cadre",), minimum=K)

    assert withheld(controlled) == [{"cadre": "PSW"}, {"cadre": "SW"}]  # two: no complement needed
    assert withheld(controlled, COUNT) == []  # the counts by cadre are not withheld
    assert row(controlled, LICENSED_SHARE, "D11").numerator == 19  # 19 of 24: 5 not licensed


def test_one_small_group_of_the_share_withholds_the_smallest_other_too() -> None:
    # Only PSW is small (1 licensed); the smallest other non-zero group is CPV (5), not SW (9).
    rows = [
        count("D11", 25),
        count("D11", 5, cadre="CPV"),
        count("D11", 6, cadre="PSW"),
        count("D11", 14, cadre="SW"),
        share("D11", 15, 25),
        share("D11", 5, 25, cadre="CPV"),
        share("D11", 1, 25, cadre="PSW"),
        share("D11", 9, 25, cadre="SW"),
    ]

    controlled = rows_small_cells_withheld(rows=rows, by=("cadre",), minimum=K)

    assert withheld(controlled) == [{"cadre": "CPV"}, {"cadre": "PSW"}]
    assert row(controlled, LICENSED_SHARE, "D11", cadre="SW").numerator == 9


def test_the_split_by_licensed_is_withheld_like_sex_and_the_share_follows_the_counts() -> None:
    # 9 licensed, 3 not: not licensed is small, licensed (the only other) is withheld with it.
    rows = [
        count("D11", 12),
        count("D11", 9, licensed="licensed"),
        count("D11", 3, licensed="not_licensed"),
        IndicatorRow(PER_100K, "D11", {"licensed": "licensed"}, 9, 1000, 900.0, YEAR),
        share("D11", 9, 12),
        share("D11", 9, 12, licensed="licensed"),
    ]

    controlled = rows_small_cells_withheld(rows=rows, by=("licensed",), minimum=K)

    assert withheld(controlled, COUNT) == [{"licensed": "licensed"}, {"licensed": "not_licensed"}]
    assert withheld(controlled, PER_100K) == [{"licensed": "licensed"}]
    assert row(controlled, PER_100K, "D11", licensed="licensed").denominator == 1000
    assert withheld(controlled) == [{}, {"licensed": "licensed"}]


def test_a_share_row_whose_count_row_is_not_given_is_withheld() -> None:
    rows = [share("D11", 9, 20), share("D11", 9, 20, cadre="SW")]

    assert withheld(rows_small_cells_withheld(rows=rows, by=("cadre",), minimum=K)) == [{"cadre": "SW"}]


def test_locations_shown_in_full_keep_every_figure() -> None:
    rows = [count("D11", 3), share("D11", 1, 3), count("D12", 3), share("D12", 1, 3)]

    controlled = rows_small_cells_withheld(rows=rows, by=(), minimum=K, shown_in_full={"D12"})

    assert [(r.location, r.withheld) for r in controlled if r.indicator == LICENSED_SHARE] == [
        ("D11", True),
        ("D12", False),
    ]


# --- through the selector, per persona --------------------------------------------------------------


@pytest.fixture
def district(country: Country) -> None:
    """D11: 8 social workers, 6 licensed; D12: 5 social workers, 1 licensed."""
    for place, workers, licensed in ((country.district_11, 8, 6), (country.district_12, 5, 1)):
        for number in range(workers):
            worker = WorkerFactory.create()
            assign(country, worker=worker, location=place)
            if number < licensed:
                registration_with_history(
                    worker=worker,
                    changes=[("registered", "2020-01-01")],
                    licences=[("2024-01-01", "2024-12-31")],
                )


def parts(rows: list[IndicatorRow], indicator: str, location: str, **group: str) -> tuple[Any, ...]:
    found = row(rows, indicator, location, **group)
    return found.numerator, found.denominator, found.value, found.withheld


def test_analyst_gets_the_shares_and_splits_that_describe_at_least_k(
    country: Country, personas: Personas, district: None
) -> None:
    rows = indicators_for_reader(
        user=personas.analyst, year=YEAR, by=("licensed",), location=country.region_1
    )

    # R1: 7 licensed of 13 (6 not): shown. D11: 6 of 8 (2 not): withheld. D12: 1 of 5: withheld.
    assert parts(rows, LICENSED_SHARE, "R1") == (7, 13, 7 / 13, False)
    assert parts(rows, LICENSED_SHARE, "D11") == (None, None, None, True)
    assert parts(rows, LICENSED_SHARE, "D12") == (None, None, None, True)
    assert parts(rows, COUNT, "R1", licensed="not_licensed") == (6, None, 6, False)
    assert parts(rows, COUNT, "D11", licensed="licensed") == (None, None, None, True)  # the complement
    assert parts(rows, COUNT, "D11", licensed="not_licensed") == (None, None, None, True)
    assert parts(rows, COUNT, "D12") == (5, None, 5, False)
    # The national data manager and the command line see every figure.
    national = indicators_for_reader(user=personas.national, year=YEAR, by=("licensed",))
    assert national == indicators_compute(year=YEAR, by=("licensed",))
    assert parts(national, LICENSED_SHARE, "D12") == (1, 5, 0.2, False)


def test_asking_for_the_share_alone_withholds_the_same_cells(
    country: Country, personas: Personas, district: None
) -> None:
    alone = indicators_for_reader(
        user=personas.analyst, year=YEAR, by=("cadre",), indicators=[LICENSED_SHARE]
    )
    everything = indicators_for_reader(user=personas.analyst, year=YEAR, by=("cadre",))

    assert {r.indicator for r in alone} == {LICENSED_SHARE}
    assert alone == [r for r in everything if r.indicator == LICENSED_SHARE]
    assert parts(alone, LICENSED_SHARE, "D11", cadre="SW") == (None, None, None, True)


def test_the_threshold_setting_applies(country: Country, personas: Personas, district: None) -> None:
    with override_settings(SSWIS_SMALL_CELL_MIN=2):
        rows = indicators_for_reader(user=personas.analyst, year=YEAR, location=country.district_11)
    assert parts(rows, LICENSED_SHARE, "D11") == (6, 8, 0.75, False)
