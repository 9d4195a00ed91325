"""Attrition estimated from the registry (contracts/planning.md section 3), worked by hand."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from sswis.planning.attrition import attrition_estimated
from sswis.registry.models import ExitReason
from tests.factories import AssignmentFactory, CadreFactory, LocationFactory, OrganisationFactory


@pytest.fixture
def history(db: Any) -> None:
    """Social workers A-D from 2020; A resigns mid-2021, B retires in March 2022; E joins in 2023 and
    leaves at its end; F moves to another organisation in 2023 (two assignments, still counted).

    Counted: 2020 A B C D F (5); 2021 A B C D F (5); 2022 B C D F (4); 2023 C D E F (4); 2024 C D F (3).
    Left for a reason other than retirement: into 2021 nobody; into 2022 A (1 of 5); into 2023 nobody
    (B retired); into 2024 E (1 of 4)."""
    country = LocationFactory(code="K")
    organisation = OrganisationFactory(location=country)
    sw = CadreFactory(code="SW")
    CadreFactory(code="PSW")

    def assignment(
        start: tuple[int, int, int], end: tuple[int, int, int] | None = None, reason: str = ""
    ) -> Any:
        return AssignmentFactory(
            organisation=organisation,
            cadre=sw,
            start_date=datetime.date(*start),
            end_date=datetime.date(*end) if end else None,
            exit_reason=reason,
        )

    assignment((2020, 1, 1), (2021, 6, 30), ExitReason.RESIGNED)
    assignment((2020, 1, 1), (2022, 3, 31), ExitReason.RETIRED)
    assignment((2020, 1, 1))
    assignment((2020, 1, 1))
    assignment((2023, 2, 1), (2023, 12, 31), ExitReason.OTHER)
    moved = assignment((2020, 1, 1), (2023, 5, 31), ExitReason.TRANSFERRED)
    AssignmentFactory(
        worker=moved.worker, organisation=OrganisationFactory(location=country), cadre=sw,
        start_date=datetime.date(2023, 6, 1),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("base_year", "rate"),
    [
        (2024, (1 / 5 + 0 + 1 / 4) / 3),  # cohorts 2021, 2022, 2023
        (2023, (0 + 1 / 5 + 0) / 3),  # cohorts 2020, 2021, 2022
        (2021, 0.0),  # cohort 2020 only (nobody counted in 2019 or 2018): nobody left
        (2020, 0.0),  # no history at all
    ],
)
def test_the_mean_yearly_rate_of_the_years_with_workers(history: None, base_year: int, rate: float) -> None:
    assert attrition_estimated(base_year=base_year, cadres=["SW", "PSW"]) == {
        "SW": pytest.approx(rate),
        "PSW": 0.0,
    }
