"""``--by`` dimensions: exact groups of each, taken from the worker or their reference assignment."""

from __future__ import annotations

import pytest

from sswis.indicators.selectors import indicators_compute
from tests.conftest import Country
from tests.factories import CadreFactory, PopulationEstimateFactory, WorkerFactory
from tests.indicators.conftest import YEAR, assign, groups, row


@pytest.fixture
def workforce(country: Country) -> None:
    """Six workers; W6's older PSW/NGO/unpaid assignment must not decide any of W6's groups."""
    allied = CadreFactory(code="CHW", name="Community health worker", category="allied")
    ngo, ministry = country.ngo, country.ministry
    w = {
        1: WorkerFactory(sex="female", education_level="bachelor"),
        2: WorkerFactory(sex="male", education_level="secondary"),
        3: WorkerFactory(sex="other", education_level="unknown"),
        4: WorkerFactory(sex="unknown", education_level="none"),
        5: WorkerFactory(sex="male", education_level="certificate"),
        6: WorkerFactory(sex="female", education_level="diploma"),
    }
    assign(
        country, worker=w[1], location=country.district_11, cadre=country.social_worker, organisation=ministry
    )
    assign(
        country,
        worker=w[2],
        location=country.district_21,
        cadre=country.para_social_worker,
        organisation=ngo,
        paid=False,
    )
    assign(
        country,
        worker=w[3],
        location=country.district_21,
        cadre=country.volunteer,
        organisation=ngo,
        paid=False,
    )
    assign(country, worker=w[4], location=country.district_12, cadre=allied, organisation=ministry)
    assign(country, worker=w[5], location=country.district_21, cadre=country.social_worker, organisation=ngo)
    assign(
        country,
        worker=w[6],
        location=country.district_11,
        cadre=country.para_social_worker,
        organisation=ngo,
        paid=False,
        start="2019-01-01",
    )
    assign(
        country,
        worker=w[6],
        location=country.district_12,
        cadre=country.social_worker,
        organisation=ministry,
        start="2024-02-01",
    )


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        ("cadre", {("CHW",): 1, ("CPV",): 1, ("PSW",): 1, ("SW",): 3}),
        ("category", {("professional",): 3, ("para_professional",): 1, ("volunteer",): 1, ("allied",): 1}),
        ("employer", {("government",): 3, ("non_government",): 3}),
        ("paid", {("paid",): 4, ("unpaid",): 2}),
        ("sex", {("female",): 2, ("male",): 2, ("other",): 1, ("unknown",): 1}),
        ("education", {("post_secondary",): 3, ("no_post_secondary",): 2, ("unknown",): 1}),
    ],
)
def test_each_dimension_gives_its_groups_at_the_country(
    country: Country, workforce: None, dimension: str, expected: dict[tuple[str, ...], int]
) -> None:
    rows = indicators_compute(year=YEAR, by=(dimension,))

    assert groups(rows, "workforce.count", "KD") == expected
    # In the dimension's own order (cadres by code), after the undisaggregated row.
    assert [
        tuple(r.group.values()) for r in rows if r.indicator == "workforce.count" and r.location == "KD"
    ] == [
        (),
        *expected,
    ]
    assert row(rows, "workforce.count", "KD").value == 6


def test_groups_roll_up_like_the_totals(country: Country, workforce: None) -> None:
    rows = indicators_compute(year=YEAR, by=("employer",))

    assert groups(rows, "workforce.count", "D11") == {("government",): 1}
    assert groups(rows, "workforce.count", "D12") == {("government",): 2}
    assert groups(rows, "workforce.count", "R1") == {("government",): 3}
    assert groups(rows, "workforce.count", "D21") == {("non_government",): 3}
    assert groups(rows, "workforce.count", "R2") == {("non_government",): 3}
    assert groups(rows, "workforce.count", "KD") == {("government",): 3, ("non_government",): 3}


def test_two_dimensions_give_their_combinations(country: Country, workforce: None) -> None:
    rows = indicators_compute(year=YEAR, by=("cadre", "sex"))

    assert [r.group for r in rows if r.indicator == "workforce.count" and r.location == "KD"] == [
        {},
        {"cadre": "CHW", "sex": "unknown"},
        {"cadre": "CPV", "sex": "other"},
        {"cadre": "PSW", "sex": "male"},
        {"cadre": "SW", "sex": "female"},
        {"cadre": "SW", "sex": "male"},
    ]
    assert groups(rows, "workforce.count", "KD") == {
        ("CHW", "unknown"): 1,
        ("CPV", "other"): 1,
        ("PSW", "male"): 1,
        ("SW", "female"): 2,
        ("SW", "male"): 1,
    }
    assert groups(rows, "workforce.count", "R1") == {("CHW", "unknown"): 1, ("SW", "female"): 2}
    assert groups(rows, "workforce.count", "D21") == {
        ("CPV", "other"): 1,
        ("PSW", "male"): 1,
        ("SW", "male"): 1,
    }


def test_three_dimensions_in_the_order_given(country: Country, workforce: None) -> None:
    rows = indicators_compute(year=YEAR, by=("paid", "employer", "education"))

    assert groups(rows, "workforce.count", "KD") == {
        ("paid", "government", "post_secondary"): 2,
        ("paid", "government", "no_post_secondary"): 1,
        ("paid", "non_government", "post_secondary"): 1,
        ("unpaid", "non_government", "no_post_secondary"): 1,
        ("unpaid", "non_government", "unknown"): 1,
    }
    assert list(
        row(
            rows, "workforce.count", "KD", paid="unpaid", employer="non_government", education="unknown"
        ).group
    ) == ["paid", "employer", "education"]


def test_repeated_dimension_is_taken_once(country: Country, workforce: None) -> None:
    assert indicators_compute(year=YEAR, by=("sex", "sex")) == indicators_compute(year=YEAR, by=("sex",))
    assert indicators_compute(year=YEAR, by="sex") == indicators_compute(year=YEAR, by=("sex",))


def test_per_100k_groups_match_count_groups(country: Country, workforce: None) -> None:
    for location in (country.district_11, country.district_12, country.district_21):
        PopulationEstimateFactory(location=location, year=YEAR, children=40000)

    rows = indicators_compute(year=YEAR, by=("category",))

    per_100k = {
        tuple(r.group.values()): (r.numerator, r.denominator, r.value)
        for r in rows
        if r.indicator == "workforce.per_100k_children" and r.location == "KD"
    }
    assert per_100k == {
        (): (6, 120000, 5.0),
        ("professional",): (3, 120000, 2.5),
        ("para_professional",): (1, 120000, 100000 / 120000),
        ("volunteer",): (1, 120000, 100000 / 120000),
        ("allied",): (1, 120000, 100000 / 120000),
    }
