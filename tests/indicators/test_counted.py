"""The worker list's "counted in year Y" gives exactly ``workforce.count`` (``sswis.indicators.counted``)."""

from __future__ import annotations

from typing import Any

import pytest

from sswis.geo.models import Location
from sswis.indicators.selectors import indicators_compute
from sswis.registry.selectors import WorkerFilters, worker_list
from tests.conftest import Country, Personas
from tests.factories import WorkerFactory
from tests.indicators.conftest import YEAR, assign, counts, groups


@pytest.fixture
def placed(country: Country) -> dict[str, Any]:
    """Four workers whose 2024 counts differ from where they were active in 2024.

    * ``moved``: child protection in D11 since 2020 and in D21 since March 2024: counted in D21 only;
    * ``ended``: child protection in D12, ended 31 December 2023: counted in 2023, not 2024;
    * ``not_cp``: an assignment in D11 without child protection: never counted, but active in 2024;
    * ``steady``: child protection in D11 since 2022, a volunteer: counted in D11.
    """
    moved = WorkerFactory(worker_id="W-MOVED", family_name="A")
    assign(country, worker=moved, location=country.district_11, start="2020-01-01")
    assign(country, worker=moved, location=country.district_21, start="2024-03-01")
    ended = WorkerFactory(worker_id="W-ENDED", family_name="B")
    assign(country, worker=ended, location=country.district_12, start="2019-01-01", end="2023-12-31")
    not_cp = WorkerFactory(worker_id="W-NOTCP", family_name="C")
    assign(country, worker=not_cp, location=country.district_11, start="2021-01-01", child_protection=False)
    steady = WorkerFactory(worker_id="W-STEADY", family_name="D")
    assign(country, worker=steady, location=country.district_11, start="2022-01-01", cadre=country.volunteer)
    return {"moved": moved, "ended": ended, "not_cp": not_cp, "steady": steady}


def listed(user: Any, country: Country, code: str, **filters: Any) -> list[str]:
    location = Location.objects.get(code=code)
    workers = worker_list(user=user, filters=WorkerFilters(location=location, **filters))
    return list(workers.values_list("worker_id", flat=True))


def test_counted_list_equals_the_workforce_count_everywhere(
    country: Country, personas: Personas, placed: dict[str, Any]
) -> None:
    expected = {"KD": 2, "R1": 1, "D11": 1, "D12": 0, "R2": 1, "D21": 1}
    assert counts(indicators_compute(year=YEAR)) == expected
    found = {code: len(listed(personas.national, country, code, counted_year=YEAR)) for code in expected}
    assert found == expected


def test_counted_at_the_reference_assignment_only_and_not_the_ended_or_non_cp(
    country: Country, personas: Personas, placed: dict[str, Any]
) -> None:
    assert listed(personas.national, country, "D11", counted_year=YEAR) == ["W-STEADY"]
    assert listed(personas.national, country, "D21", counted_year=YEAR) == ["W-MOVED"]
    assert listed(personas.national, country, "KD", counted_year=YEAR) == ["W-MOVED", "W-STEADY"]
    # Active in 2024 is wider: any assignment overlapping the year, wherever it is.
    assert listed(personas.national, country, "D11", active_year=YEAR) == ["W-MOVED", "W-NOTCP", "W-STEADY"]


def test_the_ended_assignment_counts_in_its_own_year(
    country: Country, personas: Personas, placed: dict[str, Any]
) -> None:
    assert counts(indicators_compute(year=2023))["D12"] == 1
    assert listed(personas.national, country, "D12", counted_year=2023) == ["W-ENDED"]
    assert listed(personas.national, country, "KD", counted_year=2023) == ["W-MOVED", "W-ENDED", "W-STEADY"]
    # In 2023 W-MOVED had only the D11 assignment: counted there.
    assert listed(personas.national, country, "D11", counted_year=2023) == ["W-MOVED", "W-STEADY"]


def test_other_filters_apply_to_the_reference_assignment_like_the_split_by_cadre(
    country: Country, personas: Personas, placed: dict[str, Any]
) -> None:
    split = groups(indicators_compute(year=YEAR, by=["cadre"]), "workforce.count", "KD")
    assert split == {("CPV",): 1, ("SW",): 1}
    # W-MOVED's D11 assignment is a social worker's too, but it is not the reference one.
    assert listed(personas.national, country, "D11", counted_year=YEAR, cadre_codes=("SW",)) == []
    assert listed(personas.national, country, "KD", counted_year=YEAR, cadre_codes=("SW",)) == ["W-MOVED"]
    assert listed(personas.national, country, "KD", counted_year=YEAR, cadre_codes=("CPV",)) == ["W-STEADY"]


def test_a_scoped_user_sees_only_the_counted_workers_whose_reference_assignment_they_see(
    country: Country, personas: Personas, placed: dict[str, Any]
) -> None:
    # The officer of R1 sees W-MOVED (through the D11 assignment) but he is counted in D21, outside R1.
    assert listed(personas.subnational, country, "KD", counted_year=YEAR) == ["W-STEADY"]
    assert listed(personas.subnational, country, "KD", active_year=YEAR) == ["W-MOVED", "W-NOTCP", "W-STEADY"]
    assert listed(personas.analyst, country, "KD", counted_year=YEAR) == []
    assert listed(personas.outsider, country, "KD", counted_year=YEAR) == []
