"""The movements of 2024 that the retention tests (support, API, pages) work by hand."""

from __future__ import annotations

from tests.conftest import Country
from tests.indicators.conftest import assign


def retention_world_build(country: Country) -> None:
    """2024 in R1 (D11, D12) and R2 (D21):

    D11: A active all year (ministry, SW, since 2020); B left on 30 Dec (resigned; ministry, SW, since 2021);
    C started in March (NGO, PSW). D12: D left in June (no reason recorded; ministry, SW, since 2014).
    D21: E retired in September (NGO, SW, since 2023-12-31); F active all year (ministry, SW, since 2019)."""
    assign(country, start="2020-01-01")
    assign(country, start="2021-05-01", end="2024-12-30", exit_reason="resigned")
    assign(country, start="2024-03-01", organisation=country.ngo, cadre=country.para_social_worker)
    assign(country, location=country.district_12, start="2014-06-01", end="2024-06-30")
    assign(
        country,
        location=country.district_21,
        organisation=country.ngo,
        start="2023-12-31",
        end="2024-09-30",
        exit_reason="retired",
    )
    assign(country, location=country.district_21, start="2019-01-01")
