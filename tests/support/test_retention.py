"""Retention and attrition (``sswis.support.retention``): hand-worked turnover splits, tenure bands,
retention curves, vacancy durations, the attrition estimate, small cells and access."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sswis.indicators.selectors import indicators_compute
from sswis.planning.attrition import attrition_estimated
from sswis.support.retention import retention_compute, retention_for_reader
from tests.conftest import Country, Personas
from tests.factories import WorkerFactory
from tests.indicators.conftest import assign
from tests.indicators.test_vacancy import post
from tests.support.retention_world import retention_world_build

YEAR = 2024


@pytest.fixture
def movements(country: Country) -> None:
    retention_world_build(country)


def lines(found: list[Any]) -> dict[str, tuple[Any, ...]]:
    return {
        line.key: (line.counted, line.active_first, line.active_last, line.separated, line.rate)
        for line in found
    }


def test_turnover_by_location_cadre_organisation_and_exit_reason(country: Country, movements: None) -> None:
    result = retention_compute(year=YEAR, location=country.root)

    # Counted 6; active on 1 Jan: A B D E F (5); on 31 Dec: A C F (3); separated B D E (3): 3 / 4.
    assert (result.whole.counted, result.whole.active_first, result.whole.active_last) == (6, 5, 3)
    assert (result.whole.separated, result.whole.rate) == (3, 0.75)
    assert lines(result.by_location) == {"R1": (4, 3, 2, 2, 2 / 2.5), "R2": (2, 2, 1, 1, 1 / 1.5)}
    assert lines(result.by_cadre) == {"PSW": (1, 0, 1, 0, 0.0), "SW": (5, 5, 2, 3, 3 / 3.5)}
    assert lines(result.by_organisation) == {"NGO1": (2, 1, 1, 1, 1.0), "MSW": (4, 4, 2, 2, 2 / 3)}
    assert [line.label for line in result.by_organisation] == [
        "Hope for Children",
        "Ministry of Social Welfare",
    ]
    # Reasons: B resigned, E retired, D none; each over the whole average headcount, 4.
    assert [(line.key, line.separated, line.rate) for line in result.by_exit_reason] == [
        ("resigned", 1, 0.25),
        ("retired", 1, 0.25),
        ("not_recorded", 1, 0.25),
    ]


def test_the_page_gives_the_indicators_figures(country: Country, movements: None) -> None:
    result = retention_compute(year=YEAR, location=country.region_1)
    rows = indicators_compute(
        year=YEAR, by=["cadre"], location=country.region_1, indicators=["support.turnover_rate"]
    )

    indicator = {
        (row.location, row.group.get("cadre")): (row.numerator, row.value)
        for row in rows
        if row.location in ("R1", "D11", "D12")
    }
    assert (result.whole.separated, result.whole.rate) == indicator[("R1", None)]
    assert {line.key: (line.separated, line.rate) for line in result.by_location} == {
        "D11": indicator[("D11", None)],
        "D12": indicator[("D12", None)],
    }
    assert {line.key: (line.separated, line.rate) for line in result.by_cadre} == {
        "SW": indicator[("R1", "SW")],
        "PSW": indicator[("R1", "PSW")],
    }


def test_tenure_bands_at_their_exact_boundaries(country: Country) -> None:
    # Completed years on 31 Dec 2024 since the first child protection assignment's start.
    for start in ("2024-01-01", "2024-12-31"):  # 0 years
        assign(country, start=start)
    for start in ("2023-01-01", "2023-12-31"):  # 1 year
        assign(country, start=start)
    assign(country, start="2022-12-31")  # 2 years
    assign(country, start="2020-01-01")  # 4 years
    assign(country, start="2019-12-31")  # 5 years
    assign(country, start="2015-01-01")  # 9 years
    assign(country, start="2014-12-31")  # 10 years
    moved = WorkerFactory()  # first assignment in 2010, now in D12 since 2024: 14 years
    assign(country, worker=moved, start="2010-03-01", end="2023-12-31")
    assign(country, worker=moved, location=country.district_12, start="2024-01-01")
    other = WorkerFactory()  # a non-child-protection job first: tenure from the first child protection one
    assign(country, worker=other, start="2000-01-01", end="2009-12-31", child_protection=False)
    assign(country, worker=other, start="2024-06-01")

    tenure = retention_compute(year=YEAR, location=country.root).tenure

    assert [(band.key, band.workers) for band in tenure] == [
        ("under_1", 3),
        ("1_2", 2),
        ("2_5", 2),
        ("5_10", 2),
        ("10_plus", 2),
    ]
    assert [band.share for band in tenure] == [3 / 11, 2 / 11, 2 / 11, 2 / 11, 2 / 11]
    d12 = retention_compute(year=YEAR, location=country.district_12).tenure
    assert [band.workers for band in d12] == [0, 0, 0, 0, 1]


def test_retention_curves_of_two_cohorts(country: Country) -> None:
    # Cohort 2019: 4 workers. Still active on 31 Dec 2020: 3; 2021: 2; 2022: 2 (one leaves that very day);
    # 2024: 1. The one who came back in 2022 had left again by its end.
    assign(country, start="2019-02-01")  # stays
    assign(country, start="2019-05-01", end="2020-06-30")  # leaves in year 1
    assign(country, start="2019-07-01", end="2022-12-31")  # leaves on 31 Dec 2022: active that day
    back = WorkerFactory()
    assign(country, worker=back, start="2019-12-31", end="2021-06-30")
    assign(country, worker=back, location=country.district_21, start="2022-01-01", end="2022-06-30")
    # Cohort 2022: 2 workers, one still active on 31 Dec 2023; its 3- and 5-year figures not reached.
    assign(country, start="2022-03-01")
    assign(country, start="2022-08-01", end="2023-01-31")
    # A worker whose first child protection assignment was in 2017: not in either cohort.
    early = WorkerFactory()
    assign(country, worker=early, start="2017-01-01", end="2018-12-31")
    assign(country, worker=early, start="2019-03-01")

    cohorts = {cohort.year: cohort for cohort in retention_compute(year=YEAR, location=country.root).cohorts}

    assert sorted(cohorts) == [2017, 2019, 2022]
    assert cohorts[2019].size == 4
    assert cohorts[2019].still_active == {1: 3, 2: 2, 3: 2, 5: 1}
    assert cohorts[2019].share == {1: 0.75, 2: 0.5, 3: 0.5, 5: 0.25}
    assert cohorts[2022].still_active == {1: 1, 2: 1, 3: None, 5: None}
    assert cohorts[2022].share == {1: 0.5, 2: 0.5, 3: None, 5: None}
    # Located where they entered: D21 had no entrant.
    assert retention_compute(year=YEAR, location=country.district_21).cohorts == []


def test_vacancy_duration_of_posts(country: Country) -> None:
    sw, psw = country.social_worker, country.para_social_worker
    d11, d12, d21 = country.district_11, country.district_12, country.district_21
    post(country, d11, sw, established_on="2024-12-31")  # 1 day
    left = post(country, d11, sw, established_on="2020-01-01")
    assign(country, post=left, start="2021-01-01", end="2024-12-21")  # vacant since 22 Dec: 10 days
    post(country, d12, psw, established_on="2024-12-02")  # 30 days
    refilled = post(country, d21, sw, established_on="2024-06-01")
    assign(country, post=refilled, location=d21, start="2020-01-01", end="2020-12-31")  # before: 214 days
    post(country, d21, psw)  # never filled, no date: not known
    filled = post(country, d21, psw)
    assign(country, post=filled, location=d21, start="2024-01-01")  # not vacant
    post(country, d21, psw, established_on="2024-12-22", funded=False)  # unfunded: left out

    vacancy = retention_compute(year=YEAR, location=country.root).vacancy

    assert vacancy is not None
    assert (vacancy.whole.posts, vacancy.whole.mean_days, vacancy.whole.median_days) == (4, 255 / 4, 20.0)
    assert [(line.key, line.posts, line.mean_days, line.median_days) for line in vacancy.by_location] == [
        ("R1", 3, 41 / 3, 10.0),
        ("R2", 1, 214.0, 214.0),
    ]
    assert [(line.key, line.posts, line.mean_days, line.median_days) for line in vacancy.by_cadre] == [
        ("PSW", 1, 30.0, 30.0),
        ("SW", 3, 225 / 3, 10.0),
    ]
    assert vacancy.unknown == 1


def test_the_attrition_estimate_is_plannings(country: Country, movements: None) -> None:
    result = retention_compute(year=2025, location=country.root)

    estimates = {estimate.cadre: estimate for estimate in result.attrition}
    assert {code: estimate.rate for code, estimate in estimates.items()} == attrition_estimated(
        base_year=2025, cadres=["CPV", "PSW", "SW"]
    )
    # SW counted in 2022: A B D F; in 2023 and 2024 also E. Counted in 2024 and not in 2025, other than
    # retirement: B (resigned) and D (no reason); E retired.
    assert [(y.year, y.counted, y.left) for y in estimates["SW"].years] == [
        (2023, 4, 0),
        (2024, 5, 0),
        (2025, 5, 2),
    ]
    assert estimates["SW"].rate == (0 / 4 + 0 / 5 + 2 / 5) / 3
    assert estimates["CPV"].years == () and estimates["CPV"].rate == 0.0


def test_small_cells_are_withheld_from_an_analyst(
    country: Country, personas: Personas, movements: None
) -> None:
    full = retention_for_reader(user=personas.national, year=YEAR, location=country.root)
    shown = retention_for_reader(user=personas.analyst, year=YEAR, location=country.root)

    assert not full.withheld and shown.withheld
    assert lines(shown.by_location) == lines(full.by_location)  # by location and cadre: never withheld
    assert lines(shown.by_cadre) == lines(full.by_cadre)
    assert all(line.withheld and line.separated is None for line in shown.by_organisation)
    assert all(line.withheld for line in shown.by_exit_reason)
    assert [band.workers for band in shown.tenure] == [None, None, None, None, None]
    assert [band.workers for band in full.tenure] == [1, 1, 2, 1, 1]  # C; E; A B; F; D
    assert shown.trend == full.trend
    assert shown.trend[-1] == (YEAR, 0.75, 3, 4.0)
    # A subnational officer sees every figure of their region, not of the country.
    assert not retention_for_reader(user=personas.subnational, year=YEAR, location=country.region_1).withheld
    assert retention_for_reader(user=personas.subnational, year=YEAR, location=country.root).withheld


def test_one_tenure_band_withheld_takes_the_smallest_other_with_it(
    country: Country, personas: Personas, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 3
    for start in ("2024-01-01", "2024-02-01", "2024-03-01", "2023-05-01", "2023-06-01", "2023-07-01"):
        assign(country, start=start)
    for start in ("2022-01-01", "2021-01-01", "2021-02-01", "2021-03-01"):
        assign(country, start=start)
    assign(country, start="2018-01-01")  # 6 years: band 5-10, 1 worker

    tenure = retention_for_reader(user=personas.analyst, year=YEAR, location=country.root).tenure

    # Bands: 3, 3, 4, 1, 0 -> the 1 is withheld, then the smallest other non-zero (the first 3).
    assert [band.workers for band in tenure] == [None, 3, 4, None, 0]


@pytest.mark.parametrize("persona", ["outsider"])
def test_an_outsider_is_refused(country: Country, personas: Personas, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        retention_for_reader(user=getattr(personas, persona), year=YEAR, location=country.root)


def test_the_queries_do_not_grow_with_the_data(country: Country, personas: Personas, movements: None) -> None:
    def counted() -> int:
        caches["indicators"].clear()  # the trend computed each time, so that the counts compare
        with CaptureQueriesContext(connection) as queries:
            retention_for_reader(user=personas.analyst, year=YEAR, location=country.root)
        return len(queries)

    counted()  # the reader's role is read once per request
    few = counted()
    for index in range(3):
        assign(country, start="2022-01-01", end=f"2024-0{index + 3}-01", exit_reason="dismissed")
        post(country, country.district_12, country.volunteer, established_on=f"2024-0{index + 3}-01")
    assert counted() == few
