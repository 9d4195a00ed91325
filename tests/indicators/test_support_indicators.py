"""The support indicators (contract ``support.md``) in ``sswis indicators``, worked out by hand on the
world of ``tests/indicators/support_world.py`` (its docstring has the tables) and on smaller cases, one
edge at a time."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sswis.indicators.cache import data_stamp
from sswis.indicators.definitions import reference_period
from sswis.indicators.rows import (
    CASELOAD_MEAN,
    CASELOAD_OVER_NORM_SHARE,
    COUNT,
    SESSIONS_PER_SUPERVISEE,
    SUPERVISED_SHARE,
    SUPERVISORS_OVER_NORM,
)
from sswis.indicators.selectors import (
    IndicatorRow,
    indicators_as_json,
    indicators_compute,
    indicators_compute_years,
    indicators_for_reader,
)
from sswis.indicators.support import KIND_ALL, support_parameters
from sswis.support.caseloads import caseload_norm_set, caseload_set
from sswis.support.models import CASELOAD_KIND_ALL, SupervisionRelationship, SupervisionRules
from sswis.support.supervision import relationship_end, rules_change, session_record
from tests.conftest import Country, Personas
from tests.factories import WorkerFactory
from tests.indicators.conftest import assign, row
from tests.indicators.support_world import (
    YEAR,
    SupportWorld,
    caseload,
    others,
    supervise,
    support_world_build,
)

CODES = ("KD", "R1", "D11", "D12", "R2", "D21")
SUPPORT = (
    SUPERVISED_SHARE,
    SUPERVISORS_OVER_NORM,
    SESSIONS_PER_SUPERVISEE,
    CASELOAD_MEAN,
    CASELOAD_OVER_NORM_SHARE,
)


@pytest.fixture
def world(country: Country) -> SupportWorld:
    return support_world_build(country)


def parts(rows: list[IndicatorRow], indicator: str, location: str, **group: str) -> tuple[Any, ...]:
    found = row(rows, indicator, location, **group)
    return found.numerator, found.denominator, found.value


def every(rows: list[IndicatorRow], indicator: str) -> dict[str, tuple[Any, ...]]:
    return {code: parts(rows, indicator, code) for code in CODES}


# --- supervised share ------------------------------------------------------------------------------


def test_supervised_share_of_every_location(world: SupportWorld) -> None:
    rows = indicators_compute(year=YEAR)

    assert every(rows, SUPERVISED_SHARE) == {
        "KD": (4, 9, 4 / 9),
        "R1": (3, 7, 3 / 7),
        "D11": (3, 4, 3 / 4),  # A (two relationships: once), B (ends 31 Dec), C (starts 31 Dec); not S4
        "D12": (0, 3, 0.0),  # E's ended on 30 December, F's starts on 1 January 2025; S1 has none
        "R2": (1, 2, 1 / 2),
        "D21": (1, 2, 1 / 2),  # G (two supervisors: once); not H
    }
    # X is supervised but not counted: in no numerator (and no denominator).
    assert parts(rows, COUNT, "KD")[0] == 9
    # The rows come after the workforce indicators of each location, in the contract's order.
    assert [r.indicator for r in rows if r.location == "D12"][-6:-1] == list(SUPPORT)  # turnover last


@pytest.mark.parametrize(
    ("start", "end", "supervised"),
    [
        ("2024-12-31", None, 1),  # starts on the reference date
        ("2023-01-01", "2024-12-31", 1),  # ends on the reference date
        ("2023-01-01", "2024-12-30", 0),  # ended the day before
        ("2025-01-01", None, 0),  # starts the day after
        ("2020-01-01", None, 1),
    ],
)
def test_a_relationship_supervises_on_the_days_it_is_active(
    country: Country, start: str, end: str | None, supervised: int
) -> None:
    supervisee = assign(country, location=country.district_12).worker
    supervise(WorkerFactory.create(), supervisee, start, end)

    rows = indicators_compute(year=YEAR, location=country.district_12)

    assert parts(rows, SUPERVISED_SHARE, "D12") == (supervised, 1, float(supervised))
    assert parts(rows, SESSIONS_PER_SUPERVISEE, "D12") == (0, supervised, 0.0 if supervised else None)


def test_supervised_share_splits_like_the_workforce_count(world: SupportWorld) -> None:
    by_sex = indicators_compute(year=YEAR, by=("sex",))
    by_cadre = indicators_compute(year=YEAR, by=("cadre",))

    # Each group's supervised workers over every worker counted at the location; the groups add up.
    assert parts(by_sex, SUPERVISED_SHARE, "KD", sex="female") == (3, 9, 3 / 9)  # A, C, G
    assert parts(by_sex, SUPERVISED_SHARE, "KD", sex="male") == (1, 9, 1 / 9)  # B
    assert parts(by_sex, SUPERVISED_SHARE, "D21", sex="female") == (1, 2, 1 / 2)
    assert parts(by_cadre, SUPERVISED_SHARE, "D11", cadre="SW") == (2, 4, 2 / 4)  # A, B
    assert parts(by_cadre, SUPERVISED_SHARE, "D11", cadre="PSW") == (1, 4, 1 / 4)  # C
    assert parts(by_cadre, SUPERVISED_SHARE, "KD", cadre="SW") == (3, 9, 3 / 9)
    # No group without a supervised worker (D12 has none); the {} row is the same as unsplit.
    assert [r.group for r in by_sex if r.indicator == SUPERVISED_SHARE and r.location == "D12"] == [{}]
    assert parts(by_sex, SUPERVISED_SHARE, "KD") == parts(by_cadre, SUPERVISED_SHARE, "KD") == (4, 9, 4 / 9)
    # The other support indicators are not split.
    for indicator in SUPPORT[1:]:
        assert {tuple(r.group) for r in by_sex if r.indicator == indicator} == {()}


def test_nobody_counted_gives_nulls(country: Country) -> None:
    supervise(WorkerFactory.create(), WorkerFactory.create())  # neither has an assignment
    rows = indicators_compute(year=YEAR)

    assert {code: [parts(rows, indicator, code) for indicator in SUPPORT] for code in ("KD", "D21")} == {
        # The supervisor with no assignment is placed at the root: 1 supervisor, not over the norm.
        "KD": [(0, 0, None), (0, 1, 0.0), (0, 0, None), (0, 0, None), (0, 0, None)],
        "D21": [(0, 0, None)] * 5,
    }


# --- supervisors over their norm -------------------------------------------------------------------


def test_supervisors_over_norm_placed_where_the_contract_says(world: SupportWorld) -> None:
    rows = indicators_compute(year=YEAR, by=("sex",))

    assert every(rows, SUPERVISORS_OVER_NORM) == {
        # S1, S2, S4 below; S3 (no assignment) and S5 (ended) at the root; S5 and S2 over.
        "KD": (2, 5, 2 / 5),
        "R1": (0, 2, 0.0),
        "D11": (0, 1, 0.0),  # S4: 6 supervisees, exactly the norm of 6
        "D12": (0, 1, 0.0),  # S1 (counted: their reference location, not their later non-CP D21 one)
        "R2": (1, 1, 1.0),
        "D21": (1, 1, 1.0),  # S2: not counted; latest-starting active assignment; 7 > 6
    }
    assert [r.group for r in rows if r.indicator == SUPERVISORS_OVER_NORM and r.location == "KD"] == [{}]


@pytest.mark.parametrize(
    ("supervisees", "only_duty", "over"),
    [(6, False, 0), (7, False, 1), (10, True, 0), (11, True, 1), (7, True, 0)],
)
def test_the_norm_is_10_when_supervising_is_the_only_duty_else_6(
    country: Country, supervisees: int, only_duty: bool, over: int
) -> None:
    supervisor = WorkerFactory.create()
    for supervisee in others(supervisees, "N"):
        supervise(supervisor, supervisee, only_duty=only_duty)

    assert parts(indicators_compute(year=YEAR, depth=0), SUPERVISORS_OVER_NORM, "KD") == (
        over,
        1,
        float(over),
    )


def test_the_countrys_own_norms_are_used(country: Country, personas: Personas) -> None:
    supervisor = WorkerFactory.create()
    for supervisee in others(7, "N"):
        supervise(supervisor, supervisee)
    assert parts(indicators_compute(year=YEAR, depth=0), SUPERVISORS_OVER_NORM, "KD") == (1, 1, 1.0)

    rules_change(actor=personas.national, changes={"supervisees_otherwise": 7})

    assert parts(indicators_compute(year=YEAR, depth=0), SUPERVISORS_OVER_NORM, "KD") == (0, 1, 0.0)


def test_supervisees_are_counted_once_and_only_in_active_relationships(country: Country) -> None:
    supervisor = WorkerFactory.create()
    team = others(6, "T")
    for supervisee in team:
        supervise(supervisor, supervisee, "2023-01-01")
    supervise(supervisor, team[0], "2024-06-01")  # the same supervisee again: still 6 distinct
    supervise(supervisor, WorkerFactory.create(), "2023-01-01", "2024-12-30")  # ended: not counted
    supervise(supervisor, WorkerFactory.create(), "2025-01-01")  # not yet
    assert parts(indicators_compute(year=YEAR, depth=0), SUPERVISORS_OVER_NORM, "KD") == (0, 1, 0.0)

    supervise(supervisor, WorkerFactory.create(), "2024-12-31")  # the seventh, from the reference date
    assert parts(indicators_compute(year=YEAR, depth=0), SUPERVISORS_OVER_NORM, "KD") == (1, 1, 1.0)


def test_a_supervisor_not_counted_is_placed_by_their_latest_active_assignment_else_the_root(
    country: Country,
) -> None:
    placed = WorkerFactory.create()
    assign(country, worker=placed, location=country.district_11, start="2019-01-01", child_protection=False)
    assign(country, worker=placed, location=country.district_21, start="2021-01-01", child_protection=False)
    assign(country, worker=placed, location=country.district_12, start="2023-01-01", end="2024-12-30")
    nowhere = WorkerFactory.create()
    for supervisor in (placed, nowhere):
        supervise(supervisor, WorkerFactory.create())

    rows = indicators_compute(year=YEAR)

    # ``placed`` is counted in 2024 (the D12 child protection assignment overlaps it): their reference
    # location wins although it ended before the reference date.
    assert {code: parts(rows, SUPERVISORS_OVER_NORM, code)[1] for code in CODES} == {
        "KD": 2,
        "R1": 1,
        "D11": 0,
        "D12": 1,
        "R2": 0,
        "D21": 0,
    }
    # In 2025 they are not counted: the latest-starting assignment active on 31 December 2025 (D21).
    rows = indicators_compute(year=2025)
    assert {code: parts(rows, SUPERVISORS_OVER_NORM, code)[1] for code in CODES} == {
        "KD": 2,
        "R1": 0,
        "D11": 0,
        "D12": 0,
        "R2": 1,
        "D21": 1,
    }


# --- sessions per supervisee -----------------------------------------------------------------------


def test_sessions_per_supervisee(world: SupportWorld) -> None:
    rows = indicators_compute(year=YEAR)

    assert every(rows, SESSIONS_PER_SUPERVISEE) == {
        "KD": (6, 4, 6 / 4),
        "R1": (4, 3, 4 / 3),
        # A: 3 in 2024 (not 31 Dec 2023 nor 1 Jan 2025; one with S2, any supervisor), B: 1 (1 January), C: 0.
        "D11": (4, 3, 4 / 3),
        "D12": (0, 0, None),  # E's 2 sessions: E is not supervised on 31 December
        "R2": (2, 1, 2.0),
        "D21": (2, 1, 2.0),
    }


# --- caseloads -------------------------------------------------------------------------------------


def test_caseload_mean_and_share_over_the_norm(world: SupportWorld) -> None:
    rows = indicators_compute(year=YEAR)

    assert every(rows, CASELOAD_MEAN) == {
        "KD": (60, 6, 10.0),
        "R1": (49, 5, 49 / 5),
        "D11": (38, 3, 38 / 3),  # A 12, B 10, C 16 (not November's 50 nor 'investigation' 20); S4 none
        "D12": (11, 2, 11 / 2),  # E 7, S1 4
        "R2": (11, 1, 11.0),
        "D21": (11, 1, 11.0),  # G; H has only a 'foster' caseload
    }
    assert every(rows, CASELOAD_OVER_NORM_SHARE) == {
        "KD": (3, 5, 3 / 5),
        "R1": (2, 4, 2 / 4),
        "D11": (2, 3, 2 / 3),  # A 12 > 10, C 16 > 15; B 10 is the norm, not over
        "D12": (0, 1, 0.0),  # S1 4 <= 10; E's cadre (CPV) has no norm: in neither part
        "R2": (1, 1, 1.0),
        "D21": (1, 1, 1.0),
    }


@pytest.mark.parametrize(
    ("month", "kind", "cadre", "mean", "over"),
    [
        ("2024-12", "all", "social_worker", (11, 1, 11.0), (1, 1, 1.0)),
        ("2024-12", "all", "volunteer", (11, 1, 11.0), (0, 0, None)),  # no norm for the cadre
        ("2024-11", "all", "social_worker", (0, 0, None), (0, 0, None)),  # November
        ("2025-12", "all", "social_worker", (0, 0, None), (0, 0, None)),  # another year's December
        ("2024-12", "investigation", "para_social_worker", (0, 0, None), (0, 0, None)),  # not 'all'
    ],
)
def test_only_the_december_all_caseload_counts(
    country: Country, month: str, kind: str, cadre: str, mean: tuple[Any, ...], over: tuple[Any, ...]
) -> None:
    from sswis.support.models import CaseloadNorm

    CaseloadNorm.objects.create(cadre=country.social_worker, kind="all", maximum_open_cases=10)
    CaseloadNorm.objects.create(cadre=country.para_social_worker, kind="investigation", maximum_open_cases=3)
    worker = assign(country, location=country.district_21, cadre=getattr(country, cadre)).worker
    caseload(worker, month, 11, kind=kind)

    rows = indicators_compute(year=YEAR, location=country.district_21)

    assert (parts(rows, CASELOAD_MEAN, "D21"), parts(rows, CASELOAD_OVER_NORM_SHARE, "D21")) == (mean, over)


def test_the_norm_is_that_of_the_reference_assignments_cadre(country: Country) -> None:
    from sswis.support.models import CaseloadNorm

    CaseloadNorm.objects.create(cadre=country.social_worker, kind="all", maximum_open_cases=10)
    CaseloadNorm.objects.create(cadre=country.para_social_worker, kind="all", maximum_open_cases=20)
    worker = assign(
        country, location=country.district_11, cadre=country.social_worker, start="2020-01-01"
    ).worker
    assign(
        country,
        worker=worker,
        location=country.district_12,
        cadre=country.para_social_worker,
        start="2024-03-01",
    )
    caseload(worker, "2024-12", 15)

    rows = indicators_compute(year=YEAR)

    # Counted in D12 as a para-social worker (started last): 15 <= 20, and nothing in D11.
    assert parts(rows, CASELOAD_OVER_NORM_SHARE, "D12") == (0, 1, 0.0)
    assert parts(rows, CASELOAD_MEAN, "D11") == (0, 0, None)


# --- the same rules everywhere ---------------------------------------------------------------------


def test_a_subtree_and_several_years_give_the_same_figures(world: SupportWorld, country: Country) -> None:
    everything = indicators_compute(year=YEAR, by=("sex",))

    region = indicators_compute(year=YEAR, by=("sex",), location=country.region_1)
    assert region == [r for r in everything if r.location in ("R1", "D11", "D12")]
    assert indicators_compute_years(years=(2023, YEAR), by=("sex",)) == (
        indicators_compute(year=2023, by=("sex",)) + everything
    )
    # 31 December 2023: G (S1 since 2023), B (S4 since 2023) and E (S6 until 30 December 2024); A and C
    # not yet. S2 is counted in 2023 (their child protection assignment ended on 31 December 2023).
    rows_2023 = indicators_compute(year=2023)
    assert parts(rows_2023, SUPERVISED_SHARE, "KD") == (3, 10, 3 / 10)


def test_asking_for_caseloads_reads_no_supervision(world: SupportWorld) -> None:
    with CaptureQueriesContext(connection) as caseloads:
        rows = indicators_compute(year=YEAR, indicators=[CASELOAD_MEAN])
    with CaptureQueriesContext(connection) as count_only:
        indicators_compute(year=YEAR, indicators=[COUNT])

    assert {r.indicator for r in rows} == {CASELOAD_MEAN}
    sql = " ".join(query["sql"] for query in caseloads.captured_queries)
    assert "support_caseload" in sql and "support_supervision" not in sql
    assert "support_" not in " ".join(query["sql"] for query in count_only.captured_queries)


def test_the_constants_are_the_support_domains() -> None:
    period = reference_period(year=YEAR)
    parameters = support_parameters(period)

    assert KIND_ALL == CASELOAD_KIND_ALL
    assert (parameters["supervisees_when_only_duty"], parameters["supervisees_otherwise"]) == (
        SupervisionRules().norm(only_duty=True),
        SupervisionRules().norm(only_duty=False),
    )
    assert parameters["december"] == datetime.date(YEAR, 12, 1)


# --- small cells ------------------------------------------------------------------------------------


def withheld_codes(rows: list[IndicatorRow], indicator: str) -> set[str]:
    return {r.location for r in rows if r.indicator == indicator and not r.group and r.withheld}


def test_an_analyst_gets_no_support_figure_about_fewer_than_k(
    world: SupportWorld, personas: Personas, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 2
    analyst = indicators_for_reader(user=personas.analyst, year=YEAR)
    national = indicators_for_reader(user=personas.national, year=YEAR)

    assert national == indicators_compute(year=YEAR)
    # Shares: withheld when those counted or the others are 1 (k - 1); means: when taken over 1.
    assert withheld_codes(analyst, SUPERVISED_SHARE) == {"D11", "R2", "D21"}  # 3 of 4; 1 of 2
    assert withheld_codes(analyst, SUPERVISORS_OVER_NORM) == {"D11", "D12", "R2", "D21"}  # 0 of 1; 1 of 1
    assert withheld_codes(analyst, SESSIONS_PER_SUPERVISEE) == {"R2", "D21"}  # 1 supervisee
    assert withheld_codes(analyst, CASELOAD_MEAN) == {"R2", "D21"}  # 1 caseload
    assert withheld_codes(analyst, CASELOAD_OVER_NORM_SHARE) == {"D11", "D12", "R2", "D21"}
    hidden = row(analyst, CASELOAD_MEAN, "D21")
    assert (hidden.numerator, hidden.denominator, hidden.value, hidden.withheld) == (None, None, None, True)
    assert parts(analyst, CASELOAD_MEAN, "D12") == (11, 2, 11 / 2)
    assert parts(analyst, SUPERVISORS_OVER_NORM, "KD") == (2, 5, 2 / 5)
    assert not any(r.withheld for r in national)


def test_an_analyst_gets_the_supervised_share_by_sex_without_small_cells(
    world: SupportWorld, personas: Personas, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 2
    analyst = indicators_for_reader(user=personas.analyst, year=YEAR, by=("sex",))

    # KD: 1 supervised man (withheld), and so the smallest other group too (the women) — else 4 - 3.
    assert [
        (r.group, r.numerator, r.withheld)
        for r in analyst
        if r.indicator == SUPERVISED_SHARE and r.location == "KD"
    ] == [({}, 4, False), ({"sex": "female"}, None, True), ({"sex": "male"}, None, True)]
    national = indicators_for_reader(user=personas.national, year=YEAR, by=("sex",))
    assert parts(national, SUPERVISED_SHARE, "KD", sex="male") == (1, 9, 1 / 9)


# --- the command ------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_support_rows_as_json(world: SupportWorld) -> None:
    output = run("--year", "2024", "--location", "R2", "--indicator", *SUPPORT)

    assert json.loads(output) == {
        "year": 2024,
        "rows": [
            {
                "indicator": indicator,
                "location": code,
                "group": {},
                "numerator": n,
                "denominator": d,
                "value": v,
                "withheld": False,
            }
            for code in ("R2", "D21")
            for indicator, n, d, v in (
                (SUPERVISED_SHARE, 1, 2, 0.5),
                (SUPERVISORS_OVER_NORM, 1, 1, 1.0),
                (SESSIONS_PER_SUPERVISEE, 2, 1, 2.0),
                (CASELOAD_MEAN, 11, 1, 11.0),
                (CASELOAD_OVER_NORM_SHARE, 1, 1, 1.0),
            )
        ],
    }
    assert json.loads(run("--year", "2024")) == indicators_as_json(
        year=YEAR, rows=indicators_compute(year=YEAR)
    )


def test_the_command_prints_the_support_rows_as_csv(world: SupportWorld) -> None:
    output = run(
        "--year",
        "2024",
        "--format",
        "csv",
        "--by",
        "sex",
        "--location",
        "D11",
        "--indicator",
        SUPERVISED_SHARE,
        CASELOAD_MEAN,
    )

    assert list(csv.reader(io.StringIO(output))) == [
        ["indicator", "location", "sex", "numerator", "denominator", "value", "withheld"],
        ["support.supervised_share", "D11", "", "3", "4", "0.75", "false"],
        ["support.supervised_share", "D11", "female", "2", "4", "0.5", "false"],
        ["support.supervised_share", "D11", "male", "1", "4", "0.25", "false"],
        ["support.caseload_mean", "D11", "", "38", "3", "12.666666666666666", "false"],
    ]


# --- the cache -------------------------------------------------------------------------------------


def test_a_support_change_gives_a_fresh_computation(
    world: SupportWorld, personas: Personas, country: Country
) -> None:
    actor, w = personas.national, world.workers

    def changed(change: Any) -> None:
        before, stamp = indicators_for_reader(user=actor, year=YEAR), data_stamp()
        change()
        assert data_stamp() != stamp
        after = indicators_for_reader(user=actor, year=YEAR)
        assert after == indicators_compute(year=YEAR) != before

    relationship = SupervisionRelationship.objects.get(supervisor=w["S1"], supervisee=w["G"])
    s2_g = SupervisionRelationship.objects.get(supervisor=w["S2"], supervisee=w["G"])
    # S2 down to 6 supervisees (not over); then G has no supervisor left.
    changed(lambda: relationship_end(actor=actor, relationship=s2_g, end_date=datetime.date(2024, 6, 1)))
    changed(
        lambda: relationship_end(actor=actor, relationship=relationship, end_date=datetime.date(2024, 6, 1))
    )
    changed(
        lambda: session_record(
            actor=actor, supervisor=w["S4"], supervisee=w["C"], date=datetime.date(2024, 12, 31)
        )
    )
    changed(lambda: caseload_set(actor=actor, worker=w["B"], month=datetime.date(2024, 12, 1), open_cases=11))
    changed(lambda: caseload_norm_set(actor=actor, cadre=country.volunteer, kind="all", maximum_open_cases=5))
    changed(lambda: rules_change(actor=actor, changes={"supervisees_when_only_duty": 11}))  # S5 at the norm
