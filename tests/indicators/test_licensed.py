"""``workforce.licensed_share`` and the ``licensed`` dimension, worked out by hand on the small country.

Every registration state on the reference date, 31 December 2024 (all assignments started 2022-01-01,
so the same nine workers are counted in 2023 and 2024):

| worker | where, cadre | history | licensed 2024 | licensed 2023 |
|---|---|---|---|---|
| ``valid`` | D11, SW | registered 2020; licences 2023 and 2024 | yes | yes |
| ``ended`` | D11, PSW | registered 2020; licence 2024-01-01 to 2024-12-30 (the day before) | no | no |
| ``two`` | D11, SW | two registrations, both registered with a 2024 licence | yes, counted once | no |
| ``starts`` | D12, SW | registered 2024-06-01; licence from 2024-12-31 (the day itself) | yes | no |
| ``suspended`` | D12, SW | registered 2020, suspended 2024-11-01; licences 2023 and 2024 | no | yes |
| ``restored`` | D21, CPV | registered 2020, lapsed 2024-03-01, restored 2024-06-01; licences to 2024-02-29 and from 2024-06-01 | yes | yes |
| ``later`` | D21, SW | registered 2020, suspended 2025-01-01 (after the day); licence 2024 | yes | no |
| ``same_day_off`` | D21, PSW | registered 2020; on 2024-12-31 registered, then suspended (recorded last) | no | no |
| ``same_day_on`` | D21, CPV | registered 2020; on 2024-12-31 suspended, then registered (recorded last) | yes | no |

``outside`` holds a licence but has no child protection assignment: in no figure.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sswis.indicators.rows import (
    CASELOAD_MEAN,
    CASELOAD_OVER_NORM_SHARE,
    CERTIFIED_SHARE,
    COUNT,
    FEMALE_SHARE,
    LICENSED_SHARE,
    PER_100K,
    SESSIONS_PER_SUPERVISEE,
    SUPERVISED_SHARE,
    SUPERVISORS_OVER_NORM,
    VACANCY_RATE,
)
from sswis.indicators.selectors import indicators_compute, indicators_compute_years
from sswis.regulation.models import Licence
from tests.conftest import Country
from tests.factories import RegisterFactory, WorkerFactory, registration_with_history
from tests.indicators.conftest import YEAR, assign, groups, row

START = "2022-01-01"
REGISTERED = [("registered", "2020-01-01")]
LICENCE_2023 = ("2023-01-01", "2023-12-31")
LICENCE_2024 = ("2024-01-01", "2024-12-31")


@pytest.fixture
def regulated(country: Country) -> None:
    def worker(location: Any, cadre: Any, **assignment: Any) -> Any:
        person = WorkerFactory.create()
        assign(country, worker=person, location=location, cadre=cadre, start=START, **assignment)
        return person

    sw, psw, cpv = country.social_worker, country.para_social_worker, country.volunteer
    d11, d12, d21 = country.district_11, country.district_12, country.district_21
    history = registration_with_history
    history(worker=worker(d11, sw), changes=REGISTERED, licences=[LICENCE_2023, LICENCE_2024])
    history(worker=worker(d11, psw), changes=REGISTERED, licences=[("2024-01-01", "2024-12-30")])
    two = worker(d11, sw)
    history(worker=two, changes=REGISTERED, licences=[LICENCE_2024])
    history(
        worker=two,
        changes=REGISTERED,
        licences=[LICENCE_2024],
        register=RegisterFactory.create(code="PSW-REG"),
    )
    history(
        worker=worker(d12, sw),
        changes=[("registered", "2024-06-01")],
        licences=[("2024-12-31", "2025-12-30")],
    )
    history(
        worker=worker(d12, sw),
        changes=[*REGISTERED, ("suspended", "2024-11-01")],
        licences=[LICENCE_2023, LICENCE_2024],
    )
    history(
        worker=worker(d21, cpv, organisation=country.ngo),
        changes=[*REGISTERED, ("lapsed", "2024-03-01"), ("registered", "2024-06-01")],
        licences=[("2023-01-01", "2024-02-29"), ("2024-06-01", "2025-05-31")],
    )
    history(
        worker=worker(d21, sw, organisation=country.ngo),
        changes=[*REGISTERED, ("suspended", "2025-01-01")],
        licences=[LICENCE_2024],
    )
    history(
        worker=worker(d21, psw),
        changes=[*REGISTERED, ("registered", "2024-12-31"), ("suspended", "2024-12-31")],
        licences=[LICENCE_2024],
    )
    history(
        worker=worker(d21, cpv),
        changes=[*REGISTERED, ("suspended", "2024-12-31"), ("registered", "2024-12-31")],
        licences=[LICENCE_2024],
    )
    history(
        worker=worker(d21, sw, child_protection=False),
        changes=REGISTERED,
        licences=[LICENCE_2023, LICENCE_2024],
    )


def share(rows: Any, location: str, **group: str) -> tuple[Any, ...]:
    found = row(rows, LICENSED_SHARE, location, **group)
    return found.numerator, found.denominator, found.value


def test_licensed_share_of_every_location(regulated: None) -> None:
    rows = indicators_compute(year=YEAR)

    assert {code: share(rows, code) for code in ("KD", "R1", "D11", "D12", "R2", "D21")} == {
        "KD": (6, 9, 6 / 9),
        "R1": (3, 5, 3 / 5),
        "D11": (2, 3, 2 / 3),  # valid, two (counted once); not ended
        "D12": (1, 2, 1 / 2),  # starts; not suspended
        "R2": (3, 4, 3 / 4),
        "D21": (3, 4, 3 / 4),  # restored, later, same_day_on; not same_day_off
    }
    # The rows come after the other workforce indicators of each location, before the certified share.
    assert [r.indicator for r in rows if r.location == "KD"] == [
        COUNT,
        PER_100K,
        FEMALE_SHARE,
        VACANCY_RATE,
        LICENSED_SHARE,
        CERTIFIED_SHARE,
        SUPERVISED_SHARE,
        SUPERVISORS_OVER_NORM,
        SESSIONS_PER_SUPERVISEE,
        CASELOAD_MEAN,
        CASELOAD_OVER_NORM_SHARE,
        "support.turnover_rate",  # the support's indicators follow the workforce's
    ]


def test_a_past_year_is_worked_out_from_the_history(regulated: None) -> None:
    rows = indicators_compute(year=2023)

    # 31 December 2023: valid, suspended (suspended only in 2024) and restored (before its lapse).
    assert share(rows, "KD") == (3, 9, 3 / 9)
    assert (share(rows, "D11"), share(rows, "D12"), share(rows, "D21")) == (
        (1, 3, 1 / 3),
        (1, 2, 1 / 2),
        (1, 4, 1 / 4),
    )
    # Each year exactly as if asked alone.
    assert indicators_compute_years(years=(2023, 2024)) == rows + indicators_compute(year=YEAR)


def test_split_by_licensed(regulated: None) -> None:
    rows = indicators_compute(year=YEAR, by=("licensed",))

    assert groups(rows, COUNT, "KD") == {("licensed",): 6, ("not_licensed",): 3}
    assert groups(rows, COUNT, "D11") == {("licensed",): 2, ("not_licensed",): 1}
    assert groups(rows, COUNT, "D12") == {("licensed",): 1, ("not_licensed",): 1}
    assert groups(rows, COUNT, "D21") == {("licensed",): 3, ("not_licensed",): 1}
    # The share split by licensed: the licensed group only (the other has no licensed worker).
    assert share(rows, "KD", licensed="licensed") == (6, 9, 6 / 9)
    assert groups(rows, LICENSED_SHARE, "KD") == {("licensed",): 6}
    # In output order: licensed before not licensed.
    assert [r.group for r in rows if r.indicator == COUNT and r.location == "KD"] == [
        {},
        {"licensed": "licensed"},
        {"licensed": "not_licensed"},
    ]


def test_split_by_cadre_keeps_the_locations_denominator(regulated: None) -> None:
    rows = indicators_compute(year=YEAR, by=("cadre",))

    # SW: valid, two, starts, later licensed (suspended not); CPV: restored, same_day_on; PSW: nobody.
    assert [share(rows, "KD", cadre=code) for code in ("CPV", "SW")] == [(2, 9, 2 / 9), (4, 9, 4 / 9)]
    assert groups(rows, LICENSED_SHARE, "KD") == {("CPV",): 2, ("SW",): 4}
    assert (
        sum(
            r.numerator or 0 for r in rows if r.indicator == LICENSED_SHARE and r.location == "KD" and r.group
        )
        == 6
    )
    # D11 PSW (ended) has no licensed worker: no row; the count by cadre and licensed gives the group's own.
    assert groups(rows, LICENSED_SHARE, "D11") == {("SW",): 2}
    both = indicators_compute(year=YEAR, by=("cadre", "licensed"), location=None)
    assert groups(both, COUNT, "KD") == {
        ("CPV", "licensed"): 2,
        ("PSW", "not_licensed"): 2,
        ("SW", "licensed"): 4,
        ("SW", "not_licensed"): 1,
    }


def test_nobody_counted_gives_an_empty_share_and_a_licence_alone_counts_nobody(country: Country) -> None:
    outside = WorkerFactory.create()
    assign(country, worker=outside, location=country.district_11, child_protection=False)
    registration_with_history(worker=outside, changes=REGISTERED, licences=[LICENCE_2024])

    rows = indicators_compute(year=YEAR, by=("licensed",))

    assert share(rows, "KD") == (0, 0, None)
    assert [r for r in rows if r.group] == []


def test_no_registration_at_all_gives_0(country: Country) -> None:
    assign(country, location=country.district_11)

    assert share(indicators_compute(year=YEAR), "D11") == (0, 1, 0.0)


def test_only_what_is_asked_for_is_computed_and_read(regulated: None) -> None:
    licence_table = Licence._meta.db_table
    with CaptureQueriesContext(connection) as without:
        rows = indicators_compute(year=YEAR, by=("cadre",), indicators=(COUNT, PER_100K))
    assert {r.indicator for r in rows} == {COUNT, PER_100K}
    assert rows == [
        r for r in indicators_compute(year=YEAR, by=("cadre",)) if r.indicator in (COUNT, PER_100K)
    ]
    assert not any(licence_table in query["sql"] for query in without.captured_queries)
    assert not any("registry_post" in query["sql"] for query in without.captured_queries)
    # A split by licensed reads the licences whichever indicators are asked for.
    with CaptureQueriesContext(connection) as split:
        by_licensed = indicators_compute(year=YEAR, by=("licensed",), indicators=[COUNT])
    assert sum(licence_table in query["sql"] for query in split.captured_queries) == 1
    assert groups(by_licensed, COUNT, "KD") == {("licensed",): 6, ("not_licensed",): 3}
    # The share alone: one workforce query, no posts, no population.
    only = indicators_compute(year=YEAR, indicators=LICENSED_SHARE)
    assert [(r.indicator, r.location) for r in only][:2] == [(LICENSED_SHARE, "KD"), (LICENSED_SHARE, "R1")]


def test_unknown_or_no_indicator_is_refused(country: Country) -> None:
    with pytest.raises(
        ValueError, match=r"Unknown indicator 'workforce\.trained_share'\. Valid indicators: "
    ):
        indicators_compute(year=YEAR, indicators=("workforce.count", "workforce.trained_share"))
    with pytest.raises(ValueError, match="at least one indicator"):
        indicators_compute(year=YEAR, indicators=())
