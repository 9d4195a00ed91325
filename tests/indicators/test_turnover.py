"""``support.turnover_rate`` (contract ``support.md``, "Turnover"): hand-worked cases."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sswis.indicators.selectors import indicators_compute, indicators_for_reader
from tests.conftest import Country, Personas
from tests.factories import WorkerFactory
from tests.indicators.conftest import YEAR, assign, row

TURNOVER = "support.turnover_rate"


def parts(rows: list[Any], location: str, **group: str) -> tuple[Any, Any, Any]:
    found = row(rows, TURNOVER, location, **group)
    return found.numerator, found.denominator, found.value


@pytest.fixture
def year_of_movements(country: Country) -> None:
    """In D11, 2024: one worker active all year, one whose assignment ended on 30 December (separated),
    one who started in March (not active on 1 January). In D21: one who left in June and one whose
    reference assignment ended but who is still active through an earlier one."""
    assign(country, start="2020-01-01")  # active on 1 Jan and 31 Dec
    assign(country, start="2021-05-01", end="2024-12-30", exit_reason="resigned")  # separated
    assign(country, start="2024-03-01")  # started in Y: active on 31 Dec only
    assign(country, start="2018-01-01", end="2023-12-31")  # not counted in 2024
    assign(country, start="2024-01-01", end="2024-12-31")  # active on both days (ends on 31 Dec)
    d21 = country.district_21
    assign(country, location=d21, cadre=country.para_social_worker, start="2019-01-01", end="2024-06-30")
    still = WorkerFactory()
    assign(country, worker=still, location=d21, start="2015-01-01")  # active all year ...
    # ... and a later, shorter assignment is their reference one: they are still active on 31 Dec.
    assign(
        country, worker=still, location=d21, organisation=country.ngo, start="2024-04-01", end="2024-05-31"
    )
    assign(country, location=d21, child_protection=False, start="2020-01-01", end="2024-03-01")  # not counted


def test_turnover_is_separated_over_the_average_headcount(country: Country, year_of_movements: None) -> None:
    rows = indicators_compute(year=YEAR, indicators=[TURNOVER])

    # D11: counted 4; active on 1 Jan: 3 (all but the March starter); on 31 Dec: 3 (all but the one
    # who left on 30 Dec). Separated 1 / ((3 + 3) / 2) = 1 / 3.
    assert parts(rows, "D11") == (1, 3.0, 1 / 3)
    # D21: counted 2, both active on 1 Jan, one on 31 Dec: 1 / 1.5.
    assert parts(rows, "D21") == (1, 1.5, 1 / 1.5)
    assert parts(rows, "R1") == (1, 3.0, 1 / 3)
    assert parts(rows, "D12") == (0, 0.0, None)  # nobody: the denominator is 0, the rate null
    assert parts(rows, "KD") == (2, 4.5, 2 / 4.5)
    assert {r.indicator for r in rows} == {TURNOVER}


def test_a_worker_who_started_in_the_year_and_left_in_it(country: Country) -> None:
    assign(country, start="2024-02-01", end="2024-10-31")

    rows = indicators_compute(year=YEAR, indicators=[TURNOVER])

    # Separated, but active on neither day: the average headcount is 0, the rate null.
    assert parts(rows, "D11") == (1, 0.0, None)


def test_turnover_by_cadre_divides_each_cadres_separated_by_its_own_headcount(
    country: Country, year_of_movements: None
) -> None:
    rows = indicators_compute(year=YEAR, by=["cadre"], indicators=[TURNOVER])

    assert parts(rows, "KD", cadre="SW") == (1, 4.0, 0.25)
    assert parts(rows, "KD", cadre="PSW") == (1, 0.5, 2.0)
    assert parts(rows, "D11", cadre="SW") == (1, 3.0, 1 / 3)
    # The worker still active through their older assignment is counted (and stays) with the NGO.
    by_employer = indicators_compute(year=YEAR, by=["employer"], indicators=[TURNOVER])
    assert parts(by_employer, "D21", employer="non_government") == (0, 1.0, 0.0)
    assert parts(by_employer, "D21", employer="government") == (1, 0.5, 2.0)


def test_other_years(country: Country, year_of_movements: None) -> None:
    rows = indicators_compute(year=2023, indicators=[TURNOVER])

    # 2023 in D11: the 2020, 2021 and 2018 starters, all active on 1 Jan 2023; the 2018 one ended on
    # 31 Dec 2023 (still active that day). Nobody separated.
    assert parts(rows, "D11") == (0, 3.0, 0.0)


def test_small_cells_of_a_split_by_sex_are_withheld_from_an_analyst(
    country: Country, personas: Personas
) -> None:
    for _ in range(6):
        assign(country, start="2020-01-01", worker=WorkerFactory(sex="female"))
    for _ in range(2):
        assign(country, start="2020-01-01", end="2024-07-01", worker=WorkerFactory(sex="female"))
    for _ in range(7):
        assign(country, start="2020-01-01", worker=WorkerFactory(sex="male"))
    for _ in range(5):
        assign(country, start="2020-01-01", end="2024-07-01", worker=WorkerFactory(sex="male"))

    national = indicators_for_reader(user=personas.national, year=YEAR, by=["sex"], indicators=[TURNOVER])
    analyst = indicators_for_reader(user=personas.analyst, year=YEAR, by=["sex"], indicators=[TURNOVER])

    assert parts(national, "D11", sex="female") == (2, 7.0, 2 / 7)
    assert parts(national, "D11", sex="male") == (5, 9.5, 5 / 9.5)
    # 2 women left: withheld; then the men's row too (else the whole minus the men gives it back).
    assert row(analyst, TURNOVER, "D11", sex="female").withheld
    assert parts(analyst, "D11", sex="female") == (None, None, None)
    assert row(analyst, TURNOVER, "D11", sex="male").withheld
    assert parts(analyst, "D11") == (7, 16.5, 7 / 16.5)  # a count by location: shown
    assert not row(analyst, TURNOVER, "D11").withheld


def test_one_query_for_the_turnover(country: Country, year_of_movements: None) -> None:
    indicators_compute(year=YEAR, indicators=[TURNOVER])  # the location tree's first read warms nothing
    with CaptureQueriesContext(connection) as queries:
        indicators_compute(year=YEAR, indicators=[TURNOVER])
    # The location tree, the workforce (always), the turnover (plus the transaction settings on
    # PostgreSQL).
    turnover_queries = [q for q in queries.captured_queries if "first_active" in q["sql"]]
    assert len(turnover_queries) == 1
