"""``workforce.certified_share`` and the ``certified`` dimension (VAC 3.1(d).1), worked out by hand on
the small country.

Programmes: ``CERT`` certifies, recognised from 2020-01-01; ``LATE`` certifies, recognised from
2024-07-01; ``PLAIN`` recognised from 2020-01-01 but does not certify; ``UNRECOGNISED`` certifies but has
no recognition date. Every assignment started 2022-01-01, so the same eight workers are counted in 2023
and 2024; certified on the reference date, 31 December:

| worker | where, cadre, sex | completions | 2024 | 2023 |
|---|---|---|---|---|
| ``on_the_day`` | D11, SW, female | CERT 2024-12-31 (the reference date itself) | yes | no |
| ``day_after`` | D11, PSW, male | CERT 2025-01-01 (the day after) | no | no |
| ``too_early`` | D11, SW, female | LATE 2024-03-01, before LATE was recognised (it is by 31 December) | no | no |
| ``again`` | D12, SW, male | LATE 2024-03-01 (too early) and LATE 2024-09-01 (recognised by then) | yes | no |
| ``plain`` | D12, SW, female | PLAIN 2023-05-01, UNRECOGNISED 2023-05-01 | no | no |
| ``twice`` | D21, CPV, female (NGO) | CERT 2023-03-01 and CERT 2024-03-01 | yes, counted once | yes |
| ``earlier`` | D21, SW, female (NGO) | CERT 2021-06-30, before their assignment started | yes | yes |
| ``nothing`` | D21, PSW, male | none | no | no |

``outside`` completed CERT in 2022 but has no child protection assignment: in no figure.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
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
from sswis.indicators.selectors import indicators_as_json, indicators_compute, indicators_compute_years
from sswis.training.models import Completion, Programme
from tests.conftest import Country
from tests.factories import WorkerFactory
from tests.indicators.conftest import YEAR, assign, day, groups, row
from tests.training.factories_indicators import CertifyingProgrammeFactory, completed

START = "2022-01-01"
COMPLETION_TABLE = Completion._meta.db_table
PROGRAMME_TABLE = Programme._meta.db_table


@pytest.fixture
def trained(country: Country) -> None:
    def worker(location: Any, cadre: Any, sex: str, **assignment: Any) -> Any:
        person = WorkerFactory.create(sex=sex)
        assign(country, worker=person, location=location, cadre=cadre, start=START, **assignment)
        return person

    certifying = CertifyingProgrammeFactory.create(code="CERT")
    late = CertifyingProgrammeFactory.create(code="LATE", government_recognised_from=day("2024-07-01"))
    plain = CertifyingProgrammeFactory.create(code="PLAIN", certifies_child_victims=False)
    unrecognised = CertifyingProgrammeFactory.create(code="UNRECOGNISED", government_recognised_from=None)
    sw, psw, cpv = country.social_worker, country.para_social_worker, country.volunteer
    d11, d12, d21 = country.district_11, country.district_12, country.district_21

    completed(worker(d11, sw, "female"), certifying, "2024-12-31")
    completed(worker(d11, psw, "male"), certifying, "2025-01-01")
    completed(worker(d11, sw, "female"), late, "2024-03-01")
    again = worker(d12, sw, "male")
    completed(again, late, "2024-03-01")
    completed(again, late, "2024-09-01")
    plain_worker = worker(d12, sw, "female")
    completed(plain_worker, plain, "2023-05-01")
    completed(plain_worker, unrecognised, "2023-05-01")
    twice = worker(d21, cpv, "female", organisation=country.ngo)
    completed(twice, certifying, "2023-03-01")
    completed(twice, certifying, "2024-03-01")
    completed(worker(d21, sw, "female", organisation=country.ngo), certifying, "2021-06-30")
    worker(d21, psw, "male")
    completed(worker(d21, sw, "female", child_protection=False), certifying, "2022-05-01")


def share(rows: Any, location: str, **group: str) -> tuple[Any, ...]:
    found = row(rows, CERTIFIED_SHARE, location, **group)
    return found.numerator, found.denominator, found.value


def test_certified_share_of_every_location(trained: None) -> None:
    rows = indicators_compute(year=YEAR)

    assert {code: share(rows, code) for code in ("KD", "R1", "D11", "D12", "R2", "D21")} == {
        "KD": (4, 8, 4 / 8),
        "R1": (2, 5, 2 / 5),
        "D11": (1, 3, 1 / 3),  # on_the_day; not day_after, not too_early
        "D12": (1, 2, 1 / 2),  # again (its later completion); not plain
        "R2": (2, 3, 2 / 3),
        "D21": (2, 3, 2 / 3),  # twice (once), earlier; not nothing
    }
    # The rows come after every other workforce indicator of each location, before the support's.
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


def test_a_past_year_is_worked_out_from_the_dates(trained: None) -> None:
    rows = indicators_compute(year=2023)

    # 31 December 2023: twice (its first completion) and earlier; LATE was not yet recognised.
    assert share(rows, "KD") == (2, 8, 2 / 8)
    assert (share(rows, "D11"), share(rows, "D12"), share(rows, "D21")) == (
        (0, 3, 0.0),
        (0, 2, 0.0),
        (2, 3, 2 / 3),
    )
    # 2025: day_after too (nobody is counted in 2025 who was not in 2024: no assignment ended).
    assert share(indicators_compute(year=2025), "KD") == (5, 8, 5 / 8)
    # Each year exactly as if asked alone.
    assert indicators_compute_years(years=(2023, 2024)) == rows + indicators_compute(year=YEAR)


def test_split_by_certified(trained: None) -> None:
    rows = indicators_compute(year=YEAR, by=("certified",))

    assert groups(rows, COUNT, "KD") == {("certified",): 4, ("not_certified",): 4}
    assert groups(rows, COUNT, "D11") == {("certified",): 1, ("not_certified",): 2}
    assert groups(rows, COUNT, "D12") == {("certified",): 1, ("not_certified",): 1}
    assert groups(rows, COUNT, "D21") == {("certified",): 2, ("not_certified",): 1}
    # The share split by certified: the certified group only (the other has no certified worker).
    assert share(rows, "KD", certified="certified") == (4, 8, 4 / 8)
    assert groups(rows, CERTIFIED_SHARE, "KD") == {("certified",): 4}
    # In output order: certified before not certified.
    assert [r.group for r in rows if r.indicator == COUNT and r.location == "KD"] == [
        {},
        {"certified": "certified"},
        {"certified": "not_certified"},
    ]


def test_split_by_certified_and_sex_adds_up_to_the_whole(trained: None) -> None:
    rows = indicators_compute(year=YEAR, by=("certified", "sex"))

    assert groups(rows, COUNT, "KD") == {
        ("certified", "female"): 3,  # on_the_day, twice, earlier
        ("certified", "male"): 1,  # again
        ("not_certified", "female"): 2,  # too_early, plain
        ("not_certified", "male"): 2,  # day_after, nothing
    }
    assert groups(rows, CERTIFIED_SHARE, "KD") == {("certified", "female"): 3, ("certified", "male"): 1}
    for code in ("KD", "R1", "D11", "D12", "R2", "D21"):
        whole = row(rows, COUNT, code).numerator
        assert sum(groups(rows, COUNT, code).values()) == whole
        certified = row(rows, CERTIFIED_SHARE, code).numerator
        assert sum(groups(rows, CERTIFIED_SHARE, code).values()) == certified
        assert (
            sum(n for (group, _), n in groups(rows, COUNT, code).items() if group == "certified") == certified
        )


def test_split_by_cadre_keeps_the_locations_denominator(trained: None) -> None:
    rows = indicators_compute(year=YEAR, by=("cadre",))

    # SW: on_the_day, again, earlier; CPV: twice; PSW: nobody (no row).
    assert [share(rows, "KD", cadre=code) for code in ("CPV", "SW")] == [(1, 8, 1 / 8), (3, 8, 3 / 8)]
    assert groups(rows, CERTIFIED_SHARE, "KD") == {("CPV",): 1, ("SW",): 3}
    assert groups(rows, CERTIFIED_SHARE, "D11") == {("SW",): 1}


def test_nobody_counted_gives_an_empty_share_and_a_completion_alone_counts_nobody(country: Country) -> None:
    outside = WorkerFactory.create()
    assign(country, worker=outside, location=country.district_11, child_protection=False)
    completed(outside, CertifyingProgrammeFactory.create(), "2024-01-01")

    rows = indicators_compute(year=YEAR, by=("certified",))

    assert share(rows, "KD") == (0, 0, None)
    assert [r for r in rows if r.group] == []


def test_no_completion_at_all_gives_0(country: Country) -> None:
    assign(country, location=country.district_11)

    assert share(indicators_compute(year=YEAR), "D11") == (0, 1, 0.0)


def read_training(queries: CaptureQueriesContext) -> int:
    return sum(COMPLETION_TABLE in query["sql"] for query in queries.captured_queries)


def test_only_what_is_asked_for_is_computed_and_read(trained: None) -> None:
    with CaptureQueriesContext(connection) as without:
        rows = indicators_compute(year=YEAR, by=("cadre",), indicators=(COUNT, PER_100K, LICENSED_SHARE))
    assert {r.indicator for r in rows} == {COUNT, PER_100K, LICENSED_SHARE}
    assert read_training(without) == 0
    assert not any(PROGRAMME_TABLE in query["sql"] for query in without.captured_queries)
    # A split by certified reads the completions once, in the workforce query, whatever is asked for.
    with CaptureQueriesContext(connection) as split:
        by_certified = indicators_compute(year=YEAR, by=("certified",), indicators=[COUNT])
    assert read_training(split) == 1
    assert groups(by_certified, COUNT, "KD") == {("certified",): 4, ("not_certified",): 4}
    # The share alone: one workforce query, no posts, no population, no registration.
    with CaptureQueriesContext(connection) as alone:
        only = indicators_compute(year=YEAR, indicators=CERTIFIED_SHARE)
    assert [(r.indicator, r.location) for r in only][:2] == [(CERTIFIED_SHARE, "KD"), (CERTIFIED_SHARE, "R1")]
    assert read_training(alone) == 1
    assert not any("regulation_licence" in query["sql"] for query in alone.captured_queries)
    assert not any("registry_post" in query["sql"] for query in alone.captured_queries)


def test_the_query_count_does_not_change_with_certified(trained: None) -> None:
    # The certified workers are joined inside the workforce query: no query more than any other split.
    with CaptureQueriesContext(connection) as by_sex:
        indicators_compute(year=YEAR, by=("sex",), indicators=[COUNT, LICENSED_SHARE])
    with CaptureQueriesContext(connection) as by_certified:
        indicators_compute(year=YEAR, by=("certified",), indicators=[COUNT, CERTIFIED_SHARE])
    with CaptureQueriesContext(connection) as everything:
        indicators_compute(year=YEAR, by=("certified",))
    with CaptureQueriesContext(connection) as everything_by_sex:
        indicators_compute(year=YEAR, by=("sex",))
    assert len(by_certified) == len(by_sex)
    assert len(everything) == len(everything_by_sex)
    assert read_training(by_sex) == 0
    assert read_training(everything_by_sex) == 1  # every indicator: the certified share too


def test_unknown_indicator_is_refused(country: Country) -> None:
    with pytest.raises(
        ValueError, match=r"Unknown indicator 'workforce\.trained_share'\. Valid indicators: "
    ):
        indicators_compute(year=YEAR, indicators=("workforce.count", "workforce.trained_share"))


# --- the command line --------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_command_by_certified_with_only_some_indicators(trained: None) -> None:
    output = run(
        "--year", "2024", "--format", "csv", "--by", "certified", "--location", "D11",
        "--indicator", "workforce.count", "--indicator", "workforce.certified_share",
    )  # fmt: skip

    assert list(csv.reader(io.StringIO(output))) == [
        ["indicator", "location", "certified", "numerator", "denominator", "value", "withheld"],
        ["workforce.count", "D11", "", "3", "", "3", "false"],
        ["workforce.count", "D11", "certified", "1", "", "1", "false"],
        ["workforce.count", "D11", "not_certified", "2", "", "2", "false"],
        ["workforce.certified_share", "D11", "", "1", "3", "0.3333333333333333", "false"],
        ["workforce.certified_share", "D11", "certified", "1", "3", "0.3333333333333333", "false"],
    ]


def test_command_certified_share_alone_for_any_year(trained: None) -> None:
    for year in (2023, 2024, 2025):
        document = json.loads(run("--year", str(year), "--indicator", "workforce.certified_share"))
        rows = indicators_compute(year=year, indicators=[CERTIFIED_SHARE])
        assert document == indicators_as_json(year=year, rows=rows)
    assert [(r["location"], r["numerator"], r["denominator"]) for r in document["rows"]][:1] == [("KD", 5, 8)]
    several = json.loads(
        run("--years", "2023-2024", "--indicator", "workforce.certified_share,workforce.count")
    )
    assert {(r["year"], r["indicator"]) for r in several["rows"] if r["location"] == "KD"} == {
        (2023, COUNT),
        (2023, CERTIFIED_SHARE),
        (2024, COUNT),
        (2024, CERTIFIED_SHARE),
    }


def test_command_refuses_an_unknown_indicator(country: Country) -> None:
    with pytest.raises(CommandError) as error:
        run("--year", "2024", "--indicator", "workforce.trained_share")

    assert str(error.value) == (
        "Unknown indicator 'workforce.trained_share' for --indicator. Valid indicators: workforce.count, "
        "workforce.per_100k_children, workforce.female_share, posts.vacancy_rate, workforce.licensed_share, "
        "workforce.certified_share, support.supervised_share, support.supervisors_over_norm, "
        "support.sessions_per_supervisee, support.caseload_mean, support.caseload_over_norm_share, "
        "support.turnover_rate."
    )
