"""``workforce.per_100k_children`` (child population rules) and ``workforce.female_share``."""

from __future__ import annotations

from fractions import Fraction

from sswis.indicators.selectors import indicators_compute
from tests.conftest import Country
from tests.factories import PopulationEstimateFactory, WorkerFactory
from tests.indicators.conftest import YEAR, assign, row

PER_100K = "workforce.per_100k_children"
FEMALE_SHARE = "workforce.female_share"


def exact(numerator: int, denominator: int) -> float:
    """The float nearest to the exact fraction (what a correctly rounded computation must give)."""
    return float(Fraction(numerator, denominator))


def population(country: Country, **children: int) -> None:
    for code, figure in children.items():
        location = next(loc for loc in vars(country).values() if getattr(loc, "code", None) == code)
        PopulationEstimateFactory(location=location, year=YEAR, children=figure)


def parts(rows: list, indicator: str, location: str, **group: str) -> tuple:
    found = row(rows, indicator, location, **group)
    return found.numerator, found.denominator, found.value


def test_per_100k_uses_own_estimates_and_sums_of_children(country: Country) -> None:
    for _ in range(12):
        assign(country, location=country.district_11)
    for _ in range(3):
        assign(country, location=country.district_12)
    assign(country, location=country.district_21)
    population(country, D11=83120, D12=41000, D21=70001)
    PopulationEstimateFactory(location=country.district_21, year=YEAR - 1, children=1)  # another year

    rows = indicators_compute(year=YEAR)

    assert parts(rows, PER_100K, "D11") == (12, 83120, exact(1200000, 83120))
    assert parts(rows, PER_100K, "D12") == (3, 41000, exact(300000, 41000))
    assert parts(rows, PER_100K, "R1") == (15, 124120, exact(1500000, 124120))
    assert parts(rows, PER_100K, "R2") == (1, 70001, exact(100000, 70001))
    assert parts(rows, PER_100K, "KD") == (16, 194121, exact(1600000, 194121))


def test_unknown_population_makes_the_location_and_parents_without_estimate_null(country: Country) -> None:
    assign(country, location=country.district_11)
    population(country, D11=20000, D12=30000)  # D21 has none

    rows = indicators_compute(year=YEAR)

    assert parts(rows, PER_100K, "D21") == (0, None, None)
    assert parts(rows, PER_100K, "R2") == (0, None, None)
    assert parts(rows, PER_100K, "KD") == (1, None, None)
    assert parts(rows, PER_100K, "R1") == (1, 50000, 2.0)
    assert parts(rows, PER_100K, "D12") == (0, 30000, 0.0)


def test_parent_estimate_fills_in_for_unknown_children(country: Country) -> None:
    assign(country, location=country.district_21)
    population(country, D11=20000, D12=30000, R2=40000)  # D21 unknown, but its region has a figure

    rows = indicators_compute(year=YEAR)

    assert parts(rows, PER_100K, "D21") == (1, None, None)
    assert parts(rows, PER_100K, "R2") == (1, 40000, 2.5)
    assert parts(rows, PER_100K, "KD") == (1, 90000, exact(100000, 90000))


def test_parent_own_estimate_overrides_the_sum_of_its_children(country: Country) -> None:
    assign(country, location=country.district_11)
    population(country, D11=20000, D12=30000, R1=60000, D21=40000)

    rows = indicators_compute(year=YEAR)

    assert parts(rows, PER_100K, "R1") == (1, 60000, exact(100000, 60000))
    assert parts(rows, PER_100K, "KD") == (1, 100000, 1.0)  # R1's own 60000 + D21's 40000


def test_zero_population_gives_null_but_counts_in_the_sum(country: Country) -> None:
    assign(country, location=country.district_12)
    population(country, D11=20000, D12=0, D21=0)

    rows = indicators_compute(year=YEAR)

    assert parts(rows, PER_100K, "D12") == (1, 0, None)
    assert parts(rows, PER_100K, "D21") == (0, 0, None)
    assert parts(rows, PER_100K, "R2") == (0, 0, None)
    assert parts(rows, PER_100K, "R1") == (1, 20000, 5.0)


def test_disaggregated_per_100k_keeps_the_location_population(country: Country) -> None:
    for _ in range(2):
        assign(country, location=country.district_11, cadre=country.para_social_worker)
    assign(country, location=country.district_11)
    population(country, D11=30000)

    rows = indicators_compute(year=YEAR, by=("cadre",))

    assert parts(rows, PER_100K, "D11") == (3, 30000, 10.0)
    assert parts(rows, PER_100K, "D11", cadre="PSW") == (2, 30000, exact(200000, 30000))
    assert parts(rows, PER_100K, "D11", cadre="SW") == (1, 30000, exact(100000, 30000))
    assert parts(rows, PER_100K, "R1", cadre="PSW") == (2, None, None)  # D12 has no estimate


def test_female_share_leaves_out_unknown_sex(country: Country) -> None:
    for sex in ("female", "female", "male", "other", "unknown"):
        assign(country, worker=WorkerFactory(sex=sex), location=country.district_11)
    assign(country, worker=WorkerFactory(sex="female"), location=country.district_21)
    assign(country, worker=WorkerFactory(sex="unknown"), location=country.district_12)

    rows = indicators_compute(year=YEAR)

    assert parts(rows, FEMALE_SHARE, "D11") == (2, 4, 0.5)
    assert parts(rows, FEMALE_SHARE, "D12") == (0, 0, None)  # nobody of known sex
    assert parts(rows, FEMALE_SHARE, "R1") == (2, 4, 0.5)
    assert parts(rows, FEMALE_SHARE, "D21") == (1, 1, 1.0)
    assert parts(rows, FEMALE_SHARE, "KD") == (3, 5, 0.6)
    assert row(rows, "workforce.count", "KD").value == 7


def test_female_share_is_null_without_workers_and_counts_only_the_workforce(country: Country) -> None:
    # A woman whose only work in 2024 is not child protection is not in the share.
    assign(country, worker=WorkerFactory(sex="female"), location=country.district_11, child_protection=False)
    assign(country, worker=WorkerFactory(sex="male"), location=country.district_11)

    rows = indicators_compute(year=YEAR)

    assert parts(rows, FEMALE_SHARE, "D11") == (0, 1, 0.0)
    assert parts(rows, FEMALE_SHARE, "D21") == (0, 0, None)


def test_female_share_is_never_split(country: Country) -> None:
    assign(country, worker=WorkerFactory(sex="female"), location=country.district_11)
    assign(country, worker=WorkerFactory(sex="male"), location=country.district_11, cadre=country.volunteer)

    for by in (("sex",), ("cadre",), ("cadre", "sex")):
        rows = indicators_compute(year=YEAR, by=by)
        assert [(r.location, r.group) for r in rows if r.indicator == FEMALE_SHARE] == [
            (code, {}) for code in ("KD", "R1", "D11", "D12", "R2", "D21")
        ]
        assert parts(rows, FEMALE_SHARE, "KD") == (1, 2, 0.5)
