"""The proposals of criteria 2, 3 and 4 from hand-built small countries: exact scores and reasons.

The ``country`` fixture: KD > R1 (D11, D12), R2 (D21); the ministry (government) at KD, NGO1 (non-
government) in R2; cadres SW (professional), PSW (para-professional), CPV (volunteer). The year is 2024;
every assignment runs from 2020 with no end, so every worker is counted in 2024 at their assignment."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from sswis.indicators.rows import SUPERVISED_SHARE
from sswis.indicators.selectors import indicators_compute
from sswis.quality.proposals import (
    hris_propose,
    licensing_propose,
    proposals_as_json,
    proposals_compute,
    supervision_propose,
)
from sswis.registry.models import Worker
from sswis.support.models import SupervisionRelationship, SupervisionSession
from tests.conftest import Country
from tests.factories import (
    AssignmentFactory,
    LocationFactory,
    PopulationEstimateFactory,
    RegisterFactory,
    WorkerFactory,
    registration_with_history,
)

pytestmark = pytest.mark.django_db
YEAR = 2024
day = datetime.date


def _worker(country: Country, *, cadre: Any = None, organisation: Any = None, location: Any = None) -> Worker:
    assignment = AssignmentFactory(
        cadre=cadre or country.social_worker,
        organisation=organisation or country.ministry,
        location=location or country.district_11,
    )
    return assignment.worker


def _supervise(
    supervisor: Worker, supervisee: Worker, *, start: str = "2023-01-01", end: str | None = None
) -> None:
    SupervisionRelationship.objects.create(
        supervisor=supervisor,
        supervisee=supervisee,
        start_date=day.fromisoformat(start),
        end_date=day.fromisoformat(end) if end else None,
    )


def _session(supervisor: Worker, supervisee: Worker, on: str) -> None:
    SupervisionSession.objects.create(
        supervisor=supervisor, supervisee=supervisee, date=day.fromisoformat(on)
    )


# --- criterion 2 -----------------------------------------------------------------------------------------


def test_no_relationship_at_all_proposes_1(country: Country) -> None:
    _worker(country)
    proposal = supervision_propose(year=YEAR)
    assert proposal.proposed == 1
    assert proposal.reasons == {
        "relationships_recorded": False,
        "counted_workers": 1,
        "supervised_workers": 0,
        "supervised": 0.0,
        "supervisors": 0,
        "supervisors_over_norm": 0,
        "over": 0.0,
        "supervised_with_session_october_december": 0,
        "sessions": 0.0,
    }


def test_a_relationship_ended_before_the_year_is_recorded_but_supervises_nobody(country: Country) -> None:
    supervisor, supervisee = _worker(country), _worker(country)
    _supervise(supervisor, supervisee, start="2021-01-01", end="2022-12-31")
    proposal = supervision_propose(year=YEAR)
    assert (proposal.proposed, proposal.reasons["relationships_recorded"]) == (2, True)
    assert (proposal.reasons["supervised"], proposal.reasons["supervisors"], proposal.reasons["over"]) == (
        0,
        0,
        0,
    )


def test_exactly_half_supervised_proposes_3(country: Country) -> None:
    supervisor, supervisee = _worker(country), _worker(country)
    _supervise(supervisor, supervisee)
    _session(supervisor, supervisee, "2024-12-31")
    proposal = supervision_propose(year=YEAR)
    assert proposal.proposed == 3
    assert proposal.reasons["counted_workers"] == 2
    assert proposal.reasons["supervised_workers"] == 1
    assert proposal.reasons["supervised"] == 0.5
    assert proposal.reasons["sessions"] == 1.0


def _four_of_five(country: Country) -> tuple[Worker, list[Worker]]:
    """A counted supervisor (not supervised) and four counted supervisees: supervised 4/5 = 0.8; the
    supervisor has 4 supervisees, within the norm of 6: over 0."""
    supervisor = _worker(country)
    supervisees = [_worker(country, cadre=country.para_social_worker) for _ in range(4)]
    for supervisee in supervisees:
        _supervise(supervisor, supervisee)
    return supervisor, supervisees


def test_four_fifths_supervised_with_half_of_them_seen_in_the_quarter_proposes_4(country: Country) -> None:
    supervisor, supervisees = _four_of_five(country)
    _session(supervisor, supervisees[0], "2024-10-01")  # the quarter's first day
    _session(supervisor, supervisees[1], "2024-12-31")  # and its last
    _session(supervisor, supervisees[2], "2024-09-30")  # the day before: not in the quarter
    _session(supervisor, supervisees[3], "2025-01-01")  # after the year
    proposal = supervision_propose(year=YEAR)
    assert proposal.reasons == {
        "relationships_recorded": True,
        "counted_workers": 5,
        "supervised_workers": 4,
        "supervised": 0.8,
        "supervisors": 1,
        "supervisors_over_norm": 0,
        "over": 0.0,
        "supervised_with_session_october_december": 2,
        "sessions": 0.5,
    }
    assert proposal.proposed == 4


def test_fewer_than_half_seen_in_the_quarter_proposes_3(country: Country) -> None:
    supervisor, supervisees = _four_of_five(country)
    _session(supervisor, supervisees[0], "2024-11-15")
    _session(supervisor, supervisees[0], "2024-12-15")  # twice the same worker: one worker
    proposal = supervision_propose(year=YEAR)
    assert (proposal.reasons["supervised_with_session_october_december"], proposal.reasons["sessions"]) == (
        1,
        0.25,
    )
    assert proposal.proposed == 3


def test_a_supervisor_over_the_norm_proposes_3(country: Country) -> None:
    """Seven supervisees of one supervisor (norm 6): over 1/1; supervised 7/8 and every one seen."""
    supervisor = _worker(country)
    for _ in range(7):
        supervisee = _worker(country, cadre=country.para_social_worker)
        _supervise(supervisor, supervisee)
        _session(supervisor, supervisee, "2024-11-01")
    proposal = supervision_propose(year=YEAR)
    assert (proposal.reasons["supervised"], proposal.reasons["over"], proposal.reasons["sessions"]) == (
        0.875,
        1.0,
        1.0,
    )
    assert (proposal.reasons["supervisors"], proposal.reasons["supervisors_over_norm"]) == (1, 1)
    assert proposal.proposed == 3


@pytest.mark.parametrize(("over_norm", "over", "expected"), [(1, 0.1, 4), (2, 0.2, 3)])
def test_exactly_a_tenth_of_supervisors_over_the_norm_is_within(
    country: Country, over_norm: int, over: float, expected: int
) -> None:
    """Ten supervisors who are not counted (no assignment: placed at the root), ``over_norm`` of them with
    seven supervisees (norm 6), the others with one; every supervisee counted, supervised and seen in the
    quarter: supervised 1, sessions 1, over 1/10 or 2/10."""
    supervisors = [WorkerFactory() for _ in range(10)]
    for index, supervisor in enumerate(supervisors):
        for _ in range(7 if index < over_norm else 1):
            supervisee = _worker(country, cadre=country.para_social_worker)
            _supervise(supervisor, supervisee)
            _session(supervisor, supervisee, "2024-12-01")
    proposal = supervision_propose(year=YEAR)
    assert (proposal.reasons["supervisors"], proposal.reasons["supervisors_over_norm"]) == (10, over_norm)
    assert (proposal.reasons["supervised"], proposal.reasons["over"], proposal.reasons["sessions"]) == (
        1.0,
        over,
        1.0,
    )
    assert proposal.proposed == expected


def test_the_supervised_workers_are_the_indicator_s_own(country: Country) -> None:
    supervisor, _supervisees = _four_of_five(country)
    outside = Worker.objects.create(worker_id="NOT-COUNTED", given_name="A", family_name="B")
    _supervise(supervisor, outside)  # supervised but counted nowhere: in neither part
    _session(supervisor, outside, "2024-11-01")
    row = next(
        row
        for row in indicators_compute(
            year=YEAR, location=country.root, depth=0, indicators=(SUPERVISED_SHARE,)
        )
        if not row.group
    )
    proposal = supervision_propose(year=YEAR)
    assert (proposal.reasons["supervised_workers"], proposal.reasons["counted_workers"]) == (
        row.numerator,
        row.denominator,
    )
    assert proposal.reasons["supervised_with_session_october_december"] == 0


# --- criterion 3 -----------------------------------------------------------------------------------------


def _licensed(worker: Worker, register: Any) -> None:
    registration_with_history(
        worker=worker,
        changes=[("registered", "2020-01-01")],
        licences=[("2024-01-01", "2024-12-31")],
        register=register,
    )


def test_no_register_proposes_1(country: Country) -> None:
    _worker(country)
    proposal = licensing_propose(year=YEAR)
    assert proposal.proposed == 1
    assert proposal.reasons == {
        "registers": [],
        "professionals": 1,
        "licensed_professionals": 0,
        "share": 0.0,
        "registers_with_cpd_for_renewal": [],
        "cpd_renewal": False,
    }


def test_a_register_and_no_professional_proposes_2(country: Country) -> None:
    register = RegisterFactory(cpd_points_per_cycle=Decimal(20))
    _licensed(_worker(country, cadre=country.para_social_worker), register)  # not a professional
    proposal = licensing_propose(year=YEAR)
    assert proposal.proposed == 2
    assert (proposal.reasons["professionals"], proposal.reasons["share"]) == (0, 0.0)
    assert proposal.reasons["registers"] == ["SW-REG"]
    assert proposal.reasons["cpd_renewal"] is True


@pytest.mark.parametrize(
    ("licensed", "cpd_points", "share", "expected"),
    [
        (0, 20, 0.0, 2),
        (1, 20, 0.25, 3),  # exactly 0.25
        (2, 20, 0.5, 3),
        (3, 0, 0.75, 3),  # exactly 0.75, no CPD for renewal
        (3, 20, 0.75, 4),  # exactly 0.75 with it
        (4, 20, 1.0, 4),
    ],
)
def test_the_share_of_four_professionals_licensed(
    country: Country, licensed: int, cpd_points: int, share: float, expected: int
) -> None:
    register = RegisterFactory(cpd_points_per_cycle=Decimal(cpd_points))
    professionals = [_worker(country) for _ in range(4)]
    for worker in professionals[:licensed]:
        _licensed(worker, register)
    if licensed < 4:  # the last professional's licence ended before 31 December: not licensed
        registration_with_history(
            worker=professionals[3],
            changes=[("registered", "2020-01-01")],
            licences=[("2023-01-01", "2024-06-30")],
            register=register,
        )
    proposal = licensing_propose(year=YEAR)
    assert (proposal.reasons["professionals"], proposal.reasons["licensed_professionals"]) == (4, licensed)
    assert proposal.reasons["share"] == share
    assert proposal.reasons["cpd_renewal"] is (cpd_points > 0)
    assert proposal.proposed == expected


# --- criterion 4 -----------------------------------------------------------------------------------------


def _population(*locations: Any) -> None:
    for location in locations:
        PopulationEstimateFactory(location=location, year=YEAR, children=5000)


def test_no_counted_worker_is_coverage_0(country: Country) -> None:
    _population(country.district_11, country.district_12, country.district_21)
    proposal = hris_propose(year=YEAR)
    assert proposal.proposed == 1
    assert proposal.reasons == {
        "reporting_depth": 2,
        "districts": 3,
        "covered_districts": 0,
        "coverage": 0.0,
        "districts_not_covered": ["D11", "D12", "D21"],
        "government_workers": 0,
        "non_government_workers": 0,
        "both_employers": False,
    }


def test_a_district_with_workers_but_no_child_population_is_not_covered(country: Country) -> None:
    _population(country.district_11)
    _worker(country, location=country.district_11)
    _worker(country, location=country.district_12)  # no population for D12
    proposal = hris_propose(year=YEAR)
    assert (proposal.reasons["covered_districts"], proposal.reasons["districts_not_covered"]) == (
        1,
        ["D12", "D21"],
    )
    assert proposal.reasons["coverage"] == pytest.approx(1 / 3)
    assert proposal.proposed == 2


def test_exactly_half_of_the_districts_covered_proposes_3(country: Country) -> None:
    district_22 = LocationFactory(code="D22", name="Delta", parent=country.region_2)
    _population(country.district_11, country.district_12, country.district_21, district_22)
    village = LocationFactory(code="V111", name="Village", parent=country.district_11, level="village")
    _worker(country, location=village)  # below a district: counts for it
    _worker(country, organisation=country.ngo, location=country.district_21)
    proposal = hris_propose(year=YEAR)
    assert (proposal.reasons["districts"], proposal.reasons["covered_districts"]) == (4, 2)
    assert proposal.reasons["coverage"] == 0.5
    assert proposal.reasons["both_employers"] is True
    assert proposal.proposed == 3


def test_every_district_with_one_kind_of_employer_proposes_3_and_both_4(country: Country) -> None:
    _population(country.district_11, country.district_12, country.district_21)
    for district in (country.district_11, country.district_12, country.district_21):
        _worker(country, location=district)
    proposal = hris_propose(year=YEAR)
    assert (proposal.reasons["coverage"], proposal.reasons["both_employers"], proposal.proposed) == (
        1.0,
        False,
        3,
    )
    assert (proposal.reasons["government_workers"], proposal.reasons["non_government_workers"]) == (3, 0)
    _worker(country, organisation=country.ngo, location=country.district_21, cadre=country.volunteer)
    proposal = hris_propose(year=YEAR)
    assert (proposal.reasons["non_government_workers"], proposal.reasons["both_employers"]) == (1, True)
    assert proposal.proposed == 4


def test_the_reporting_depth_is_a_setting(country: Country, settings: Any) -> None:
    settings.SSWIS_REPORTING_DEPTH = 1
    _population(country.district_11, country.district_12)  # R1's population: the sum of its districts'
    _worker(country, location=country.district_21)  # R2: no population known
    _worker(country, location=country.district_12)
    proposal = hris_propose(year=YEAR)
    assert (proposal.reasons["reporting_depth"], proposal.reasons["districts"]) == (1, 2)
    assert (proposal.reasons["covered_districts"], proposal.reasons["districts_not_covered"]) == (1, ["R2"])
    assert proposal.proposed == 3


# --- all three -------------------------------------------------------------------------------------------


def test_the_document_has_the_contract_s_shape(country: Country) -> None:
    _worker(country)
    document = proposals_as_json(year=YEAR, proposals=proposals_compute(year=YEAR))
    assert list(document) == ["year", "criteria"]
    assert document["year"] == YEAR
    assert list(document["criteria"]) == ["supervision", "licensing", "hris"]
    assert {name: list(value) for name, value in document["criteria"].items()} == {
        "supervision": ["proposed", "reasons"],
        "licensing": ["proposed", "reasons"],
        "hris": ["proposed", "reasons"],
    }
    assert {name: value["proposed"] for name, value in document["criteria"].items()} == {
        "supervision": 1,
        "licensing": 1,
        "hris": 1,
    }


def test_an_impossible_year_is_refused(country: Country) -> None:
    with pytest.raises(ValueError, match="1899"):
        proposals_compute(year=1899)
