"""Who is counted in the child protection workforce of a year, once, and where (``workforce.count``)."""

from __future__ import annotations

import pytest
from django.db import connection

from sswis.indicators.definitions import INDICATORS
from sswis.indicators.selectors import indicators_compute
from tests.conftest import Country
from tests.factories import WorkerFactory
from tests.indicators.conftest import YEAR, assign, counts, row

ALL_ZERO = {"KD": 0, "R1": 0, "D11": 0, "D12": 0, "R2": 0, "D21": 0}


def test_empty_registry_gives_zero_everywhere(country: Country) -> None:
    rows = indicators_compute(year=YEAR)

    assert counts(rows) == ALL_ZERO
    assert row(rows, "workforce.count", "KD").value == 0
    assert row(rows, "workforce.count", "KD").denominator is None


def test_year_boundaries_of_start_and_end_dates(country: Country) -> None:
    assign(country, location=country.district_11, start="2024-12-31")  # counted in 2024
    assign(country, location=country.district_11, start="2025-01-01")  # not in 2024
    assign(country, location=country.district_12, start="2020-01-01", end="2024-01-01")  # counted in 2024
    assign(country, location=country.district_21, start="2020-01-01", end="2023-12-31")  # not in 2024

    assert counts(indicators_compute(year=2024)) == {"KD": 2, "R1": 2, "D11": 1, "D12": 1, "R2": 0, "D21": 0}
    assert counts(indicators_compute(year=2023)) == {"KD": 2, "R1": 1, "D11": 0, "D12": 1, "R2": 1, "D21": 1}
    assert counts(indicators_compute(year=2025)) == {"KD": 2, "R1": 2, "D11": 2, "D12": 0, "R2": 0, "D21": 0}


def test_worker_with_overlapping_assignments_is_counted_once(country: Country) -> None:
    worker = WorkerFactory()
    assign(country, worker=worker, location=country.district_11, start="2019-01-01")
    assign(country, worker=worker, location=country.district_11, cadre=country.volunteer, start="2023-05-01")
    assign(country, worker=worker, location=country.district_11, organisation=country.ngo, start="2024-02-01")

    assert counts(indicators_compute(year=YEAR)) == {"KD": 1, "R1": 1, "D11": 1, "D12": 0, "R2": 0, "D21": 0}


def test_reference_assignment_is_the_latest_start(country: Country) -> None:
    worker = WorkerFactory()
    assign(country, worker=worker, location=country.district_11, start="2020-01-01")
    assign(country, worker=worker, location=country.district_21, start="2024-03-01")

    assert counts(indicators_compute(year=YEAR)) == {"KD": 1, "R1": 0, "D11": 0, "D12": 0, "R2": 1, "D21": 1}


def test_latest_start_wins_even_when_it_ended_in_the_year(country: Country) -> None:
    worker = WorkerFactory()
    assign(country, worker=worker, location=country.district_12, start="2024-01-01")  # active on 31 Dec
    assign(country, worker=worker, location=country.district_11, start="2024-02-01", end="2024-05-01")

    assert counts(indicators_compute(year=YEAR)) == {"KD": 1, "R1": 1, "D11": 1, "D12": 0, "R2": 0, "D21": 0}


def test_same_start_prefers_the_assignment_active_on_31_december(country: Country) -> None:
    worker = WorkerFactory()
    # Larger FTE but ended before the reference date: loses to the active one.
    assign(
        country, worker=worker, location=country.district_11, start="2024-01-01", end="2024-06-30", fte="1"
    )
    assign(country, worker=worker, location=country.district_21, start="2024-01-01", fte="0.5")

    assert counts(indicators_compute(year=YEAR)) == {"KD": 1, "R1": 0, "D11": 0, "D12": 0, "R2": 1, "D21": 1}


def test_assignment_ending_on_31_december_is_active_on_the_reference_date(country: Country) -> None:
    worker = WorkerFactory()
    assign(
        country, worker=worker, location=country.district_11, start="2024-01-01", end="2024-12-30", fte="1"
    )
    assign(
        country, worker=worker, location=country.district_12, start="2024-01-01", end="2024-12-31", fte="0.2"
    )

    assert counts(indicators_compute(year=YEAR)) == {"KD": 1, "R1": 1, "D11": 0, "D12": 1, "R2": 0, "D21": 0}


def test_same_start_and_both_active_prefers_the_larger_fte(country: Country) -> None:
    worker = WorkerFactory()
    assign(country, worker=worker, location=country.district_11, start="2024-01-01", fte="0.5")  # lower id
    assign(country, worker=worker, location=country.district_21, start="2024-01-01", fte="0.75")

    assert counts(indicators_compute(year=YEAR)) == {"KD": 1, "R1": 0, "D11": 0, "D12": 0, "R2": 1, "D21": 1}


def test_full_tie_is_broken_by_the_assignment_recorded_first(country: Country) -> None:
    worker = WorkerFactory()
    assign(country, worker=worker, location=country.district_12, start="2024-01-01", fte="0.5")  # lower id
    assign(country, worker=worker, location=country.district_11, start="2024-01-01", fte="0.5")

    assert counts(indicators_compute(year=YEAR)) == {"KD": 1, "R1": 1, "D11": 0, "D12": 1, "R2": 0, "D21": 0}


def test_only_child_protection_assignments_count(country: Country) -> None:
    # Only a non-child-protection assignment in 2024: not in the workforce.
    assign(country, location=country.district_12, start="2024-01-01", child_protection=False)
    # A newer non-child-protection assignment does not hide an older child protection one.
    worker = WorkerFactory()
    assign(country, worker=worker, location=country.district_11, start="2019-01-01")
    assign(country, worker=worker, location=country.district_21, start="2024-03-01", child_protection=False)
    # Child protection work ended before the year; only non-child-protection work in it.
    former = WorkerFactory()
    assign(country, worker=former, location=country.district_21, start="2019-01-01", end="2023-06-30")
    assign(
        country,
        worker=former,
        location=country.district_21,
        cadre=country.volunteer,
        start="2023-07-01",
        child_protection=False,
    )

    assert counts(indicators_compute(year=YEAR)) == {"KD": 1, "R1": 1, "D11": 1, "D12": 0, "R2": 0, "D21": 0}


def test_paid_or_unpaid_governmental_or_not_any_category_all_count(country: Country) -> None:
    assign(
        country, location=country.district_21, organisation=country.ngo, cadre=country.volunteer, paid=False
    )
    assign(
        country, location=country.district_21, organisation=country.ministry, cadre=country.para_social_worker
    )

    assert row(indicators_compute(year=YEAR), "workforce.count", "D21").value == 2


def test_roll_up_region_is_sum_of_districts_and_country_of_all(country: Country) -> None:
    for _ in range(3):
        assign(country, location=country.district_11)
    for _ in range(2):
        assign(country, location=country.district_12)
    for _ in range(4):
        assign(country, location=country.district_21)
    # A worker assigned to the region itself counts at the region and the country, in no district.
    assign(country, location=country.region_2)
    assign(country, location=country.root)

    rows = indicators_compute(year=YEAR)

    assert counts(rows) == {"KD": 11, "R1": 5, "D11": 3, "D12": 2, "R2": 5, "D21": 4}


def test_every_location_gets_its_undisaggregated_rows(country: Country) -> None:
    assign(country, location=country.district_11)

    rows = indicators_compute(year=YEAR, by=("cadre",))

    undisaggregated = [(r.indicator, r.location) for r in rows if r.group == {}]
    assert undisaggregated == [
        (indicator, code)
        for code in ("KD", "R1", "D11", "D12", "R2", "D21")
        for indicator in (
            "workforce.count",
            "workforce.per_100k_children",
            "workforce.female_share",
            "posts.vacancy_rate",
            "workforce.licensed_share",
            "workforce.certified_share",
            "support.supervised_share",
            "support.supervisors_over_norm",
            "support.sessions_per_supervisee",
            "support.caseload_mean",
            "support.caseload_over_norm_share",
            "support.turnover_rate",
        )
    ]


def test_a_subtree_and_depth_give_the_same_figures(country: Country) -> None:
    assign(country, location=country.district_11)
    assign(country, location=country.district_12)
    everything = indicators_compute(year=YEAR, by=("sex",))

    region = indicators_compute(year=YEAR, by=("sex",), location=country.region_1)
    assert region == [r for r in everything if r.location in ("R1", "D11", "D12")]
    assert {r.location for r in indicators_compute(year=YEAR, location=country.region_1, depth=0)} == {"R1"}
    every = len(INDICATORS)  # one {} row of each per location
    assert [r.location for r in indicators_compute(year=YEAR, location=country.root, depth=1)][::every] == [
        "KD",
        "R1",
        "R2",
    ]
    assert [r.location for r in indicators_compute(year=YEAR, depth=1)][::every] == ["KD", "R1", "R2"]
    assert {r.location for r in indicators_compute(year=YEAR, location=country.district_21)} == {"D21"}


def test_unknown_dimension_is_refused_with_the_valid_ones(country: Country) -> None:
    with pytest.raises(
        ValueError,
        match=r"Unknown dimension 'age'\. Valid dimensions: cadre, category, employer, "
        r"paid, sex, education, sector, setting, licensed, certified\.",
    ):
        indicators_compute(year=YEAR, by=("cadre", "age"))


@pytest.mark.parametrize("year", [0, 10000])
def test_impossible_year_is_refused(country: Country, year: int) -> None:
    with pytest.raises(ValueError, match="year"):
        indicators_compute(year=year)


def test_negative_depth_is_refused(country: Country) -> None:
    with pytest.raises(ValueError, match="depth"):
        indicators_compute(year=YEAR, depth=-1)


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize(
    ("by", "queries"),
    [
        # Locations, the workforce aggregate, the posts aggregate, the population estimates, the
        # support's two aggregates (per worker; the supervisors)...
        ((), 6),
        # ... and the cadre list and the organisation types to name the groups.
        (("cadre", "employer"), 8),
        (("cadre",), 7),
    ],
)
def test_number_of_queries_does_not_depend_on_the_data(
    country: Country, django_assert_num_queries: object, workers: int, by: tuple[str, ...], queries: int
) -> None:
    for _ in range(workers):
        assign(country, location=country.district_21)
    # On PostgreSQL the workforce query, the support's two and the turnover's have their own transaction
    # (here a savepoint) to set their sort memory.
    extra = 12 if connection.vendor == "postgresql" else 0
    # ... and the turnover's query (support.turnover_rate).
    with django_assert_num_queries(queries + 1 + extra):  # type: ignore[operator]
        rows = indicators_compute(year=YEAR, by=by)
    assert counts(rows)["KD"] == workers


def test_a_subtree_reads_only_its_workers_but_ranks_all_their_assignments(country: Country) -> None:
    moved_south = WorkerFactory(sex="female")
    assign(country, worker=moved_south, location=country.district_11, start="2019-01-01")
    assign(country, worker=moved_south, location=country.district_21, start="2024-06-01")  # reference
    moved_north = WorkerFactory(sex="male")
    assign(country, worker=moved_north, location=country.district_21, start="2019-01-01")
    assign(country, worker=moved_north, location=country.district_12, start="2024-06-01")  # reference
    assign(country, worker=WorkerFactory(sex="female"), location=country.district_21)

    north = indicators_compute(year=YEAR, location=country.region_1)
    south = indicators_compute(year=YEAR, location=country.region_2)

    assert counts(north) == {"R1": 1, "D11": 0, "D12": 1}
    assert counts(south) == {"R2": 2, "D21": 2}
    assert counts(north, "workforce.female_share") == {"R1": 0, "D11": 0, "D12": 0}
    assert counts(south, "workforce.female_share") == {"R2": 2, "D21": 2}
    everything = indicators_compute(year=YEAR)
    assert north + south == [r for r in everything if r.location != "KD"]
