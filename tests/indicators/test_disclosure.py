"""Small cells: every edge the contract names, worked out by hand, and who gets which figures."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management import call_command
from django.test import override_settings

from sswis.access import policy
from sswis.indicators.disclosure import rows_small_cells_withheld, small_cell_minimum
from sswis.indicators.rows import COUNT, FEMALE_SHARE, PER_100K, VACANCY_RATE, IndicatorRow
from sswis.indicators.selectors import indicators_compute, indicators_for_reader
from tests.conftest import Country, Personas
from tests.factories import PopulationEstimateFactory, WorkerFactory
from tests.indicators.conftest import YEAR, assign, row

K = 5


def split(location: str, counts: dict[str, int], *, population: int | None = 1000) -> list[IndicatorRow]:
    """The count and per-100k rows of a split by sex at ``location``, as the selectors give them."""
    total = sum(counts.values())
    rows = [IndicatorRow(COUNT, location, {}, total, None, total, YEAR)]
    rows += [IndicatorRow(COUNT, location, {"sex": s}, n, None, n, YEAR) for s, n in counts.items() if n]
    rows.append(IndicatorRow(PER_100K, location, {}, total, population, total * 100, YEAR))
    rows += [
        IndicatorRow(PER_100K, location, {"sex": s}, n, population, n * 100, YEAR)
        for s, n in counts.items()
        if n
    ]
    return rows


def withheld_groups(rows: list[IndicatorRow], indicator: str = COUNT) -> list[str]:
    return [r.group["sex"] for r in rows if r.indicator == indicator and r.group and r.withheld]


def test_numerators_1_to_k_minus_1_are_withheld_0_and_k_are_not() -> None:
    # Two small cells (1 and 4): withheld; 5 (exactly k) and 9 are shown; nothing more is withheld.
    rows = split("D11", {"female": 9, "male": 4, "other": 1, "unknown": 5})

    controlled = rows_small_cells_withheld(rows=rows, by=("sex",), minimum=K)

    assert withheld_groups(controlled) == ["male", "other"]
    assert withheld_groups(controlled, PER_100K) == ["male", "other"]
    assert row(controlled, COUNT, "D11", sex="male") == IndicatorRow(
        COUNT, "D11", {"sex": "male"}, None, None, None, YEAR, withheld=True
    )
    # The per-100k row keeps the child population: it describes no worker.
    assert row(controlled, PER_100K, "D11", sex="other") == IndicatorRow(
        PER_100K, "D11", {"sex": "other"}, None, 1000, None, YEAR, withheld=True
    )
    assert row(controlled, COUNT, "D11", sex="unknown").numerator == 5
    assert row(controlled, COUNT, "D11") == rows[0]  # the location's total is never withheld


def test_complementary_rule_with_one_withheld_cell_withholds_the_smallest_other() -> None:
    # Only male (3) is small; the smallest other non-zero cell is unknown (6), not female (9).
    rows = split("D11", {"female": 9, "male": 3, "other": 0, "unknown": 6})

    controlled = rows_small_cells_withheld(rows=rows, by=("sex",), minimum=K)

    assert withheld_groups(controlled) == ["male", "unknown"]
    assert row(controlled, COUNT, "D11", sex="female").numerator == 9


def test_complementary_rule_between_equal_cells_takes_the_first_in_output_order() -> None:
    rows = split("D11", {"female": 7, "male": 2, "other": 0, "unknown": 7})

    assert withheld_groups(rows_small_cells_withheld(rows=rows, by=("sex",), minimum=K)) == ["female", "male"]


def test_no_complement_when_the_small_cell_is_the_only_non_zero_one() -> None:
    rows = split("D11", {"female": 3})

    assert withheld_groups(rows_small_cells_withheld(rows=rows, by=("sex",), minimum=K)) == ["female"]


def test_female_share_withheld_under_k_workers_of_known_sex() -> None:
    rows = [
        IndicatorRow(FEMALE_SHARE, "D11", {}, 3, 4, 0.75, YEAR),  # k - 1 known: withheld
        IndicatorRow(FEMALE_SHARE, "D12", {}, 3, 5, 0.6, YEAR),  # exactly k: shown
        IndicatorRow(FEMALE_SHARE, "D21", {}, 0, 0, None, YEAR),  # nobody: describes no one
        IndicatorRow(VACANCY_RATE, "D21", {}, 1, 2, 0.5, YEAR),  # posts: never withheld
    ]

    controlled = rows_small_cells_withheld(rows=rows, by=(), minimum=K)

    assert controlled == [
        IndicatorRow(FEMALE_SHARE, "D11", {}, None, None, None, YEAR, withheld=True),
        rows[1],
        rows[2],
        rows[3],
    ]


def test_splits_without_a_personal_dimension_are_not_withheld() -> None:
    rows = [
        IndicatorRow(COUNT, "D11", {}, 3, None, 3, YEAR),
        IndicatorRow(COUNT, "D11", {"cadre": "SW"}, 1, None, 1, YEAR),
        IndicatorRow(COUNT, "D11", {"cadre": "PSW"}, 2, None, 2, YEAR),
    ]

    for by in [("cadre",), ("category",), ("employer",), ("paid",), ("sector",), ("setting",)]:
        assert rows_small_cells_withheld(rows=rows, by=by, minimum=K) == rows


def test_locations_shown_in_full_and_other_years_are_separate_splits() -> None:
    rows = split("D11", {"female": 9, "male": 3}) + split("D12", {"female": 9, "male": 3})
    rows += [
        IndicatorRow(COUNT, "D11", {}, 12, None, 12, YEAR + 1),
        IndicatorRow(COUNT, "D11", {"sex": "female"}, 12, None, 12, YEAR + 1),
    ]

    controlled = rows_small_cells_withheld(rows=rows, by=("sex",), minimum=K, shown_in_full={"D12"})

    assert [(r.location, r.year, r.group) for r in controlled if r.withheld and r.indicator == COUNT] == [
        ("D11", YEAR, {"sex": "female"}),
        ("D11", YEAR, {"sex": "male"}),
    ]
    assert [r for r in controlled if r.location == "D12"] == [r for r in rows if r.location == "D12"]


def test_minimum_of_one_withholds_nothing_and_below_one_is_refused() -> None:
    rows = split("D11", {"female": 1, "male": 1})

    assert rows_small_cells_withheld(rows=rows, by=("sex",), minimum=1) == rows
    with pytest.raises(ValueError, match="at least 1, not 0"):
        rows_small_cells_withheld(rows=rows, by=("sex",), minimum=0)


def test_the_threshold_comes_from_the_setting() -> None:
    assert small_cell_minimum() == 5
    with override_settings(SSWIS_SMALL_CELL_MIN=3):
        assert small_cell_minimum() == 3
    with override_settings(SSWIS_SMALL_CELL_MIN=0), pytest.raises(ImproperlyConfigured, match="not 0"):
        small_cell_minimum()


# --- through the selector, per persona --------------------------------------------------------------


@pytest.fixture
def district(country: Country) -> None:
    """D11: 6 social workers (4 women, 2 men) and 1 para-social worker (a woman); D12: 5 women."""
    for sex in ["female"] * 4 + ["male"] * 2:
        assign(country, worker=WorkerFactory(sex=sex), location=country.district_11)
    assign(
        country,
        worker=WorkerFactory(sex="female"),
        location=country.district_11,
        cadre=country.para_social_worker,
    )
    for _ in range(5):
        assign(country, worker=WorkerFactory(sex="female"), location=country.district_12)
    PopulationEstimateFactory(location=country.district_11, year=YEAR, children=70000)


def parts(rows: list[IndicatorRow], indicator: str, location: str, **group: str) -> tuple[Any, ...]:
    found = row(rows, indicator, location, **group)
    return found.numerator, found.denominator, found.value, found.withheld


def test_analyst_by_cadre_and_sex(country: Country, personas: Personas, district: None) -> None:
    rows = indicators_for_reader(
        user=personas.analyst, year=YEAR, by=("cadre", "sex"), location=country.region_1
    )

    # D11: SW female 4, SW male 2, PSW female 1: all three small; the total 7 stays.
    assert parts(rows, COUNT, "D11") == (7, None, 7, False)
    for group in (
        {"cadre": "SW", "sex": "female"},
        {"cadre": "SW", "sex": "male"},
        {"cadre": "PSW", "sex": "female"},
    ):
        assert parts(rows, COUNT, "D11", **group) == (None, None, None, True)
        assert parts(rows, PER_100K, "D11", **group) == (None, 70000, None, True)
    # D12: SW female 5 = k: shown. R1: SW female 9, SW male 2 (small), PSW female 1 (small): two withheld.
    assert parts(rows, COUNT, "D12", cadre="SW", sex="female") == (5, None, 5, False)
    assert parts(rows, COUNT, "R1", cadre="SW", sex="female") == (9, None, 9, False)
    assert parts(rows, COUNT, "R1", cadre="SW", sex="male")[3] is True
    assert parts(rows, COUNT, "R1", cadre="PSW", sex="female")[3] is True
    # Female shares: D11 5 of 7 and R1 10 of 12 are shown (at least k workers of known sex).
    assert parts(rows, FEMALE_SHARE, "D11") == (5, 7, 5 / 7, False)
    assert parts(rows, FEMALE_SHARE, "R1") == (10, 12, 10 / 12, False)


def test_analyst_by_sex_complementary_rule(country: Country, personas: Personas, district: None) -> None:
    rows = indicators_for_reader(user=personas.analyst, year=YEAR, by=("sex",), location=country.district_11)

    # D11 by sex: female 5, male 2: only male is small, so female (the only other) is withheld too.
    assert parts(rows, COUNT, "D11", sex="female") == (None, None, None, True)
    assert parts(rows, COUNT, "D11", sex="male") == (None, None, None, True)


def test_data_manager_and_command_line_get_every_figure(
    country: Country, personas: Personas, district: None
) -> None:
    computed = indicators_compute(year=YEAR, by=("cadre", "sex"))

    assert indicators_for_reader(user=personas.national, year=YEAR, by=("cadre", "sex")) == computed
    assert parts(computed, COUNT, "D11", cadre="PSW", sex="female") == (1, None, 1, False)
    out = io.StringIO()
    call_command("indicators", "--year", str(YEAR), "--by", "cadre", "sex", stdout=out)
    document = json.loads(out.getvalue())
    assert [r for r in document["rows"] if r["withheld"]] == []
    assert {"indicator": COUNT, "location": "D11", "group": {"cadre": "PSW", "sex": "female"}} in [
        {k: r[k] for k in ("indicator", "location", "group")} for r in document["rows"] if r["numerator"] == 1
    ]


def test_subnational_officer_sees_every_figure_in_their_area_only(
    country: Country, personas: Personas, district: None
) -> None:
    rows = indicators_for_reader(user=personas.subnational, year=YEAR, by=("sex",))
    computed = indicators_compute(year=YEAR, by=("sex",))

    # The officer covers R1: R1, D11 and D12 in full; the country (above their area) protected.
    assert [r for r in rows if r.location in {"R1", "D11", "D12"}] == [
        r for r in computed if r.location in {"R1", "D11", "D12"}
    ]
    assert parts(rows, COUNT, "KD", sex="male") == (None, None, None, True)
    assert parts(rows, COUNT, "D11", sex="male") == (2, None, 2, False)


@pytest.mark.parametrize("persona", ["focal_point", "analyst", "administrator"])
def test_aggregate_readers_get_withheld_cells(
    country: Country, personas: Personas, district: None, persona: str
) -> None:
    rows = indicators_for_reader(user=getattr(personas, persona), year=YEAR, by=("sex",))

    assert sorted({r.location for r in rows if r.withheld}) == ["D11", "KD", "R1"]
    assert policy.sees_every_figure(user=getattr(personas, persona), location=country.district_11) is False


def test_outsider_is_refused(country: Country, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        indicators_for_reader(user=personas.outsider, year=YEAR)
    with pytest.raises(ValueError, match="either a year or years"):
        indicators_for_reader(user=personas.analyst, year=YEAR, years=[YEAR])
