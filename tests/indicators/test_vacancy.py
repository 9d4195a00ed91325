"""``posts.vacancy_rate``: funded posts existing on 31 December and the vacant ones among them."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from sswis.indicators.selectors import indicators_compute
from tests.conftest import Country
from tests.factories import PostFactory
from tests.indicators.conftest import YEAR, assign, day, row

VACANCY = "posts.vacancy_rate"


def post(country: Country, location: Any, cadre: Any, **fields: Any) -> Any:
    for name in ("established_on", "abolished_on"):
        if isinstance(fields.get(name), str):
            fields[name] = day(fields[name])
    return PostFactory(organisation=country.ministry, location=location, cadre=cadre, **fields)


def parts(rows: list, location: str, **group: str) -> tuple:
    found = row(rows, VACANCY, location, **group)
    return found.numerator, found.denominator, found.value


@pytest.fixture
def establishment(country: Country) -> None:
    sw, psw, cpv = country.social_worker, country.para_social_worker, country.volunteer
    d11, d12, d21 = country.district_11, country.district_12, country.district_21
    post(country, d11, sw)  # vacant
    filled = post(country, d11, sw)
    assign(country, location=d11, post=filled, start="2020-01-01")
    post(country, d11, psw, funded=False)  # unfunded: ignored
    post(country, d12, psw, established_on="2020-01-01", abolished_on="2024-12-31")  # gone on 31 Dec
    post(country, d12, psw, abolished_on="2025-01-01")  # still exists on 31 Dec, vacant
    post(country, d12, sw, established_on="2025-01-01")  # not yet established: ignored
    until_31 = post(country, d21, sw, established_on="2024-12-31")
    assign(country, location=d21, post=until_31, start="2024-01-01", end="2024-12-31")  # filled
    until_30 = post(country, d21, psw)
    assign(country, location=d21, post=until_30, start="2024-01-01", end="2024-12-30")  # vacant
    other_work = post(country, d21, cpv)
    assign(country, location=d21, post=other_work, cadre=cpv, start="2024-01-01", child_protection=False)
    later = post(country, d21, psw)
    assign(country, location=d21, post=later, start="2025-01-01")  # vacant on 31 Dec 2024


def test_vacancy_rate_follows_existence_and_filling_rules(country: Country, establishment: None) -> None:
    rows = indicators_compute(year=YEAR)

    assert parts(rows, "D11") == (1, 2, 0.5)
    assert parts(rows, "D12") == (1, 1, 1.0)
    assert parts(rows, "D21") == (2, 4, 0.5)
    assert parts(rows, "R1") == (2, 3, float(Fraction(2, 3)))
    assert parts(rows, "R2") == (2, 4, 0.5)
    assert parts(rows, "KD") == (4, 7, float(Fraction(4, 7)))


def test_vacancy_rate_in_another_year(country: Country, establishment: None) -> None:
    rows = indicators_compute(year=2025)

    # 31 Dec 2025: the post abolished on 1 Jan 2025 is gone; the one established then exists and is vacant;
    # the assignments that ended in 2024 left their posts vacant; the one started in 2025 fills its post.
    assert parts(rows, "D11") == (1, 2, 0.5)
    assert parts(rows, "D12") == (1, 1, 1.0)
    assert parts(rows, "D21") == (2, 4, 0.5)
    assert parts(rows, "KD") == (4, 7, float(Fraction(4, 7)))


def test_vacancy_rate_by_cadre_divides_by_the_cadres_funded_posts(
    country: Country, establishment: None
) -> None:
    rows = indicators_compute(year=YEAR, by=("cadre",))

    # Funded posts existing on 31 Dec 2024: D11 SW x2 (one vacant); D12 PSW x1 (vacant); D21 SW x1
    # (filled), PSW x2 (both vacant), CPV x1 (filled). So KD: SW 1 of 3, PSW 3 of 3, CPV 0 of 1.
    assert [
        (r.group, r.numerator, r.denominator) for r in rows if r.indicator == VACANCY and r.location == "KD"
    ] == [
        ({}, 4, 7),
        ({"cadre": "CPV"}, 0, 1),
        ({"cadre": "PSW"}, 3, 3),
        ({"cadre": "SW"}, 1, 3),
    ]
    assert parts(rows, "KD", cadre="SW") == (1, 3, float(Fraction(1, 3)))
    assert parts(rows, "KD", cadre="CPV") == (0, 1, 0.0)
    assert parts(rows, "D11", cadre="SW") == (1, 2, 0.5)
    assert parts(rows, "D21", cadre="PSW") == (2, 2, 1.0)
    assert parts(rows, "D21", cadre="SW") == (0, 1, 0.0)
    assert parts(rows, "R1", cadre="PSW") == (1, 1, 1.0)
    assert parts(rows, "R1", cadre="SW") == (1, 2, 0.5)
    # D11's unfunded PSW post gives it no PSW row; D12's not yet established SW post no SW row.
    assert [r.group for r in rows if r.indicator == VACANCY and r.location == "D11"] == [{}, {"cadre": "SW"}]
    assert [r.group for r in rows if r.indicator == VACANCY and r.location == "D12"] == [{}, {"cadre": "PSW"}]


@pytest.mark.parametrize("by", [("sex",), ("cadre", "sex"), ("category",)])
def test_vacancy_rate_is_not_split_by_other_dimensions(
    country: Country, establishment: None, by: tuple[str, ...]
) -> None:
    rows = indicators_compute(year=YEAR, by=by)

    assert [r.group for r in rows if r.indicator == VACANCY] == [{}] * 6
    assert parts(rows, "KD") == (4, 7, float(Fraction(4, 7)))


def test_vacancy_rate_is_null_without_funded_post(country: Country) -> None:
    post(country, country.district_11, country.social_worker, funded=False)

    rows = indicators_compute(year=YEAR, by=("cadre",))

    for code in ("KD", "R1", "D11", "D12", "R2", "D21"):
        assert parts(rows, code) == (0, 0, None)
    assert [r for r in rows if r.indicator == VACANCY and r.group] == []
