"""A small hand-built country for the profile's tests, on the shared ``country`` (KD > R1 (D11, D12), R2 (D21)).

2024 (the profile's year):

* D11: six social workers of the ministry since 2020, three women and three men;
* D12: two para-social workers of the ministry since 1 March 2024, a woman (on funded post P-D12-1) and a
  man; post P-D12-2 is funded and vacant;
* D21: one volunteer of the NGO since 2020, a woman, unpaid.

Child population (0-17) in 2023 and 2024: D11 10,000, D12 20,000, D21 5,000 (KD 35,000, R1 30,000).

So in 2024: 9 workers in KD (8 in R1, 1 in R2), 25.7 per 100,000 children in KD (9 / 35,000), 26.7 in R1,
20.0 in R2; vacancy 1 of 2 funded posts (50.0%); 5 women of 9 (55.6%). In 2023: 7 workers (the two
para-social workers had not started), 20.0 per 100,000 children, no funded post filled or vacant counted
differently (both posts existed: 2 vacant of 2, 100.0%). By sex in KD: 5 women and 4 men: 4 is below the
small-cell minimum 5, and the complementary rule withholds the women too, for an analyst.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from sswis.registry.models import Assignment
from tests.conftest import Country
from tests.factories import AssignmentFactory, PopulationEstimateFactory, PostFactory, WorkerFactory

YEAR = 2024
EARLIER = 2023


@dataclass
class Workforce:
    social_workers: list[Assignment]
    para_social_workers: list[Assignment]
    volunteer: Assignment


@pytest.fixture
def workforce(country: Country) -> Workforce:
    since_2020 = datetime.date(2020, 1, 1)
    social_workers = [
        AssignmentFactory(
            worker=WorkerFactory(sex=sex),
            organisation=country.ministry,
            location=country.district_11,
            cadre=country.social_worker,
            start_date=since_2020,
        )
        for sex in ("female", "female", "female", "male", "male", "male")
    ]
    filled = PostFactory(
        code="P-D12-1",
        organisation=country.ministry,
        location=country.district_12,
        cadre=country.para_social_worker,
    )
    PostFactory(
        code="P-D12-2",
        organisation=country.ministry,
        location=country.district_12,
        cadre=country.para_social_worker,
    )
    para_social_workers = [
        AssignmentFactory(
            worker=WorkerFactory(sex=sex),
            organisation=country.ministry,
            location=country.district_12,
            cadre=country.para_social_worker,
            post=post,
            start_date=datetime.date(2024, 3, 1),
        )
        for sex, post in (("female", filled), ("male", None))
    ]
    volunteer = AssignmentFactory(
        worker=WorkerFactory(sex="female"),
        organisation=country.ngo,
        location=country.district_21,
        cadre=country.volunteer,
        start_date=since_2020,
        paid=False,
    )
    for year in (EARLIER, YEAR):
        PopulationEstimateFactory(location=country.district_11, year=year, children=10000)
        PopulationEstimateFactory(location=country.district_12, year=year, children=20000)
        PopulationEstimateFactory(location=country.district_21, year=year, children=5000)
    return Workforce(
        social_workers=social_workers, para_social_workers=para_social_workers, volunteer=volunteer
    )
