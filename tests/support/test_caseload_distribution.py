"""The distribution of caseloads per location and cadre (``support.caseload_distribution``), worked by hand.

June 2025, kind ``all``; the SW cadre's norm is 10 open cases, PSW has none:

* D11, SW: 4, 8 (a worker transferred from D21 to D11 in March: placed at D11), 12, 15 -> n 4, mean 9.75,
  median (8 + 12) / 2 = 10, Q1 rank ceil(4/4) = 1 -> 4, Q3 rank ceil(12/4) = 3 -> 12, max 15, over 10: 2;
* D12, SW: 6, 10, 20 -> n 3, mean 12, median 10, Q1 rank 1 -> 6, Q3 rank ceil(9/4) = 3 -> 20, over: 1
  (10 is not over 10);
* R1, SW (D11 and D12): 4 6 8 10 12 15 20 -> n 7, mean 75/7, median 10, Q1 rank 2 -> 6, Q3 rank 6 -> 15,
  max 20, over 3;
* D21, PSW: 3, 3 -> no norm;
* unplaced: a worker whose only assignment ended in 2023, and one whose only assignment is not child
  protection.

Not counted: a caseload of another kind, of another month.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.support.caseload_distribution import (
    caseload_distribution,
    distribution_for_reader,
    histogram_statistics,
)
from sswis.support.models import Caseload, CaseloadNorm
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, UserFactory, WorkerFactory

D = datetime.date
JUNE = D(2025, 6, 1)
# On PostgreSQL the aggregate runs in a savepoint with more sort memory (``aggregate_rows``): 3 statements more.
POSTGRESQL_EXTRA = 3 if connection.vendor == "postgresql" else 0


@pytest.fixture
def caseloads(country: Country) -> dict[str, Any]:
    made: dict[str, Any] = {}

    def worker(name: str, open_cases: int, location: Any, cadre: Any, **assignment: Any) -> Any:
        person = WorkerFactory(worker_id=name)
        AssignmentFactory(worker=person, location=location, cadre=cadre, **assignment)
        Caseload.objects.create(worker=person, month=JUNE, open_cases=open_cases)
        made[name] = person
        return person

    sw, psw = country.social_worker, country.para_social_worker
    for index, value in enumerate((4, 12, 15)):
        worker(f"D11-{index}", value, country.district_11, sw)
    moved = worker("MOVED", 8, country.district_21, sw, end_date=D(2025, 2, 28))
    AssignmentFactory(worker=moved, location=country.district_11, cadre=sw, start_date=D(2025, 3, 1))
    for index, value in enumerate((6, 10, 20)):
        worker(f"D12-{index}", value, country.district_12, sw)
    for index in range(2):
        worker(f"D21-{index}", 3, country.district_21, psw)
    worker("GONE", 50, country.district_11, sw, end_date=D(2023, 12, 31))
    worker("NOT-CP", 50, country.district_11, sw, child_protection=False)
    Caseload.objects.create(worker=made["D11-0"], month=JUNE, kind="foster", open_cases=99)
    Caseload.objects.create(worker=made["D11-0"], month=D(2025, 5, 1), open_cases=99)
    CaseloadNorm.objects.create(cadre=sw, kind="all", maximum_open_cases=10)
    CaseloadNorm.objects.create(cadre=psw, kind="foster", maximum_open_cases=5)  # another kind: no norm
    return made


def _figures(rows: list[Any]) -> dict[tuple[str, str], tuple[Any, ...]]:
    return {
        (row.location, row.cadre): (
            row.workers,
            None if row.mean is None else round(row.mean, 4),
            row.median,
            row.lower_quartile,
            row.upper_quartile,
            row.maximum,
            row.norm,
            row.over_norm,
        )
        for row in rows
    }


def test_the_distribution_worked_by_hand(caseloads: dict[str, Any], django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(5 + POSTGRESQL_EXTRA):
        distribution = caseload_distribution(month=D(2025, 6, 17))
    assert _figures(distribution.rows) == {
        ("KD", "PSW"): (2, 3.0, 3.0, 3, 3, 3, None, None),
        ("KD", "SW"): (7, round(75 / 7, 4), 10.0, 6, 15, 20, 10, 3),
        ("R1", "SW"): (7, round(75 / 7, 4), 10.0, 6, 15, 20, 10, 3),
        ("D11", "SW"): (4, 9.75, 10.0, 4, 12, 15, 10, 2),
        ("D12", "SW"): (3, 12.0, 10.0, 6, 20, 20, 10, 1),
        ("R2", "PSW"): (2, 3.0, 3.0, 3, 3, 3, None, None),
        ("D21", "PSW"): (2, 3.0, 3.0, 3, 3, 3, None, None),
    }
    assert [(row.location, row.cadre) for row in distribution.rows] == [
        ("KD", "PSW"),
        ("KD", "SW"),
        ("R1", "SW"),
        ("D11", "SW"),
        ("D12", "SW"),
        ("R2", "PSW"),
        ("D21", "PSW"),
    ]
    assert distribution.unplaced == 2
    district_11 = distribution.rows[3]
    assert (district_11.over_norm_share, distribution.rows[5].over_norm_share) == (0.5, None)
    assert district_11.as_json()["month"] == "2025-06"


def test_a_part_of_the_country_a_level_a_cadre_and_another_kind(
    country: Country, caseloads: dict[str, Any], django_assert_num_queries: Any
) -> None:
    part = caseload_distribution(month=JUNE, location=country.region_1, depth=1)
    assert [(row.location, row.workers) for row in part.rows] == [("R1", 7), ("D11", 4), ("D12", 3)]
    assert part.unplaced is None  # part of the country: the workers placed elsewhere look the same
    with django_assert_num_queries(6 + POSTGRESQL_EXTRA):
        districts = caseload_distribution(month=JUNE, level="district", cadre=country.para_social_worker)
    assert [(row.location, row.cadre, row.workers) for row in districts.rows] == [("D21", "PSW", 2)]
    foster = caseload_distribution(month=JUNE, kind="foster")
    assert _figures(foster.rows)[("D11", "SW")] == (1, 99.0, 99.0, 99, 99, 99, None, None)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([7], (1, 7.0, 7.0, 7, 7, 7)),
        ([1, 2], (2, 1.5, 1.5, 1, 2, 2)),
        ([1, 2, 3, 4, 5], (5, 3.0, 3.0, 2, 4, 5)),  # Q1 rank ceil(1.25) = 2, Q3 rank ceil(3.75) = 4
        ([0, 0, 0, 9, 9, 9, 9, 9], (8, 5.625, 9.0, 0, 9, 9)),  # median (9 + 9) / 2
        ([2, 4, 6, 8, 10, 12], (6, 7.0, 7.0, 4, 10, 12)),  # median (6 + 8) / 2; Q1 rank 2, Q3 rank 5
    ],
)
def test_the_statistics_of_a_histogram(values: list[int], expected: tuple[Any, ...]) -> None:
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    figures = histogram_statistics(counts, norm=None)
    assert (
        figures.workers,
        figures.mean,
        figures.median,
        figures.lower_quartile,
        figures.upper_quartile,
        figures.maximum,
    ) == expected
    assert figures.over_norm is None
    assert histogram_statistics(counts, norm=4).over_norm == sum(1 for value in values if value > 4)


def _withheld(rows: list[Any]) -> dict[tuple[str, str], tuple[bool, bool]]:
    return {(row.location, row.cadre): (row.withheld, row.over_norm_withheld) for row in rows}


def test_small_cells_are_withheld_from_an_analyst(
    caseloads: dict[str, Any], personas: Personas, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 3
    rows = distribution_for_reader(user=personas.analyst, month=JUNE).rows
    # D11 (4 workers) and D12 (3) are shown, but 2 and 1 over the norm: withheld; R1: 3 over, 4 not.
    # PSW: 2 workers everywhere: withheld (no norm: nothing over the norm to withhold).
    assert _withheld(rows) == {
        ("KD", "PSW"): (True, False),
        ("KD", "SW"): (False, False),
        ("R1", "SW"): (False, False),
        ("D11", "SW"): (False, True),
        ("D12", "SW"): (False, True),
        ("R2", "PSW"): (True, False),
        ("D21", "PSW"): (True, False),
    }
    d21 = next(row for row in rows if row.location == "D21")
    assert (d21.workers, d21.mean, d21.median, d21.maximum) == (2, None, None, None)
    d11 = next(row for row in rows if row.location == "D11")
    assert (d11.median, d11.over_norm, d11.over_norm_share) == (10.0, None, None)


def test_the_complementary_rule_withholds_a_sibling(
    country: Country, caseloads: dict[str, Any], personas: Personas, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 4
    rows = distribution_for_reader(user=personas.analyst, month=JUNE, location=country.region_1, depth=1).rows
    # D12 (3 workers) alone would be withheld: R1's figures minus D11's would give it back, so D11 too.
    assert _withheld(rows) == {
        ("R1", "SW"): (False, True),
        ("D11", "SW"): (True, True),
        ("D12", "SW"): (True, True),
    }


def test_an_officer_sees_every_figure_of_their_area_only(
    caseloads: dict[str, Any], personas: Personas, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 5
    withheld = _withheld(distribution_for_reader(user=personas.subnational, month=JUNE).rows)
    assert withheld[("D11", "SW")] == withheld[("D12", "SW")] == withheld[("R1", "SW")] == (False, False)
    assert withheld[("KD", "SW")] == (False, True)  # the country: 3 over the norm
    assert withheld[("D21", "PSW")] == (True, False)
    national = distribution_for_reader(user=personas.national, month=JUNE).rows
    assert not any(row.withheld or row.over_norm_withheld for row in national)


def test_outsiders_and_workers_own_logins_are_refused(caseloads: dict[str, Any], personas: Personas) -> None:
    own = UserFactory(username="own")
    user_scope_grant(actor=None, user=own, role=Role.WORKER, worker=caseloads["D11-0"])
    for user in (personas.outsider, own):
        with pytest.raises(PermissionDenied):
            distribution_for_reader(user=user, month=JUNE)
