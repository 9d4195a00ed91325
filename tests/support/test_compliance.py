"""The compliance view (``support.compliance``): workers with no supervisor, supervisors over their norm,
supervisees without a session in the 91 days up to the day, ineligible supervisors; lists for readers of
people (the workers they see), counts with small cells withheld for the others; outsiders refused."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sswis.access.policy import scope_of
from sswis.support.compliance import (
    INELIGIBLE,
    NO_SESSION,
    NO_SUPERVISOR,
    OVER_NORM,
    compliance,
    session_window,
)
from sswis.support.supervision import relationship_create, rules_change, session_record
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date
DAY = D(2024, 6, 30)
SINCE = D(2015, 1, 1)


def worker_at(
    country: Country, location: Any, worker_id: str, *, start: datetime.date = SINCE, **kw: Any
) -> Any:
    worker = WorkerFactory(worker_id=worker_id, family_name=worker_id)
    AssignmentFactory(
        worker=worker,
        organisation=kw.pop("organisation", country.ministry),
        location=location,
        cadre=country.social_worker,
        start_date=start,
        **kw,
    )
    return worker


@dataclass
class Scene:
    workers: dict[str, Any]


@pytest.fixture
def scene(country: Country, personas: Personas) -> Scene:
    """In R1 (D11, D12): ``SUP`` (D11, 9 years, not registered: an auxiliary mentor) supervises ``A``, ``B``
    and ``C``, supervising only (norm 10); ``NEW`` (D12, 1 year: not eligible) supervises ``E``; ``F``
    (D11) was supervised until 29 June; ``G`` (D11) never was; ``LEFT`` (D11) left in March. ``A`` had a
    session 90 days before the day, ``B`` one 91 days before, ``C`` and ``E`` none. In R2 (D21, NGO):
    ``SOUTH`` is supervised by nobody. With the norm when only supervising set to 2, ``SUP`` is over it."""
    w = {
        name: worker_at(country, location, name)
        for name, location in (
            ("SUP", country.district_11),
            ("A", country.district_11),
            ("B", country.district_11),
            ("C", country.district_12),
            ("E", country.district_12),
            ("F", country.district_11),
            ("G", country.district_11),
        )
    }
    w["NEW"] = worker_at(country, country.district_12, "NEW", start=D(2023, 6, 1))
    w["LEFT"] = worker_at(country, country.district_11, "LEFT", end_date=D(2024, 3, 31))
    w["SOUTH"] = worker_at(country, country.district_21, "SOUTH", organisation=country.ngo)

    def link(supervisor: str, supervisee: str, **kw: Any) -> None:
        relationship_create(
            actor=personas.national,
            supervisor=w[supervisor],
            supervisee=w[supervisee],
            start_date=kw.pop("start_date", D(2024, 1, 1)),
            **kw,
        )

    for name in ("A", "B", "C"):
        link("SUP", name, supervision_only_duty=True)
    link("NEW", "E")
    link("SUP", "F", end_date=D(2024, 6, 29))
    session_record(actor=personas.national, supervisor=w["SUP"], supervisee=w["A"], date=D(2024, 4, 1))
    session_record(actor=personas.national, supervisor=w["SUP"], supervisee=w["B"], date=D(2024, 3, 31))
    rules_change(actor=personas.national, changes={"supervisees_when_only_duty": 2})
    return Scene(workers=w)


def listed(result: Any, name: str) -> list[str]:
    return [entry.worker.worker_id for entry in result.lists[name]]


def test_the_last_quarter_is_the_91_days_up_to_the_day() -> None:
    assert session_window(DAY) == (D(2024, 4, 1), DAY)


def test_the_lists_of_a_region_for_a_national_data_manager(
    country: Country, personas: Personas, scene: Scene
) -> None:
    result = compliance(user=personas.national, location=country.region_1, day=DAY)
    # Workers: everyone of R1 active on the day (LEFT left in March).
    assert result.totals == {"workers": 8, "supervisors": 2, "supervisees": 4}
    assert listed(result, NO_SUPERVISOR) == ["F", "G", "NEW", "SUP"]
    assert listed(result, OVER_NORM) == ["SUP"]
    over = result.lists[OVER_NORM][0]
    assert (over.supervisee_count, over.norm, over.location) == (3, 2, country.district_11)
    assert listed(result, NO_SESSION) == ["B", "C", "E"]
    assert listed(result, INELIGIBLE) == ["NEW"]  # SUP is an auxiliary mentor, not ineligible
    assert result.lists[INELIGIBLE][0].eligibility.reasons[-1] == "1 year of experience, 2 required"
    assert result.counts == {NO_SUPERVISOR: 4, OVER_NORM: 1, NO_SESSION: 3, INELIGIBLE: 1}
    assert result.withheld is False
    country_wide = compliance(user=personas.national, location=None, day=DAY)
    assert listed(country_wide, NO_SUPERVISOR) == ["F", "G", "NEW", "SOUTH", "SUP"]
    south = compliance(user=personas.national, location=country.region_2, day=DAY)
    assert (listed(south, NO_SUPERVISOR), listed(south, OVER_NORM)) == (["SOUTH"], [])


def test_a_session_on_the_first_day_of_the_quarter_counts_and_the_day_before_does_not(
    country: Country, personas: Personas, scene: Scene
) -> None:
    earlier = compliance(user=personas.national, location=country.region_1, day=D(2024, 6, 29))
    # B's session of 31 March is in the window; F is still supervised on 29 June, with no session.
    assert listed(earlier, NO_SESSION) == ["C", "E", "F"]


def test_readers_of_people_get_the_workers_they_see_and_the_others_counts_only(
    country: Country, personas: Personas, scene: Scene, settings: Any
) -> None:
    officer = compliance(user=personas.subnational, location=country.region_1, day=DAY)
    assert (officer.withheld, officer.counts[NO_SUPERVISOR], listed(officer, NO_SUPERVISOR)) == (
        False,
        4,
        ["F", "G", "NEW", "SUP"],
    )
    focal = compliance(user=personas.focal_point, location=None, day=DAY)
    assert listed(focal, NO_SUPERVISOR) == ["SOUTH"] and listed(focal, NO_SESSION) == []
    # Small cells (k = 5): 4 of 9 without a supervisor is withheld, and so is 1 over the norm (of 2).
    assert focal.withheld and focal.counts == {
        NO_SUPERVISOR: None,
        OVER_NORM: None,
        NO_SESSION: None,
        INELIGIBLE: None,
    }
    analyst = compliance(user=personas.analyst, location=country.region_1, day=DAY)
    assert analyst.lists is None and analyst.totals == {"workers": 8, "supervisors": 2, "supervisees": 4}
    assert analyst.counts == {NO_SUPERVISOR: None, OVER_NORM: None, NO_SESSION: None, INELIGIBLE: None}
    settings.SSWIS_SMALL_CELL_MIN = 1
    shown = compliance(user=personas.analyst, location=country.region_1, day=DAY)
    assert shown.counts == {NO_SUPERVISOR: 4, OVER_NORM: 1, NO_SESSION: 3, INELIGIBLE: 1}
    # A count withheld by its complement: with k = 2, 1 of the 2 supervisors is over (1 within the norm).
    settings.SSWIS_SMALL_CELL_MIN = 2
    assert compliance(user=personas.analyst, location=country.region_1, day=DAY).counts[OVER_NORM] is None


def test_outsiders_and_workers_own_logins_are_refused(personas: Personas, scene: Scene) -> None:
    with pytest.raises(PermissionDenied):
        compliance(user=personas.outsider, location=None, day=DAY)
    assert scope_of(personas.outsider).role is None


@pytest.mark.parametrize("count", [1, 3])
def test_the_view_costs_the_same_queries_for_1_or_3_in_every_list(
    country: Country, personas: Personas, count: int, django_assert_num_queries: Any
) -> None:
    """``count`` supervisors (1 year: ineligible), each over a norm of 1 with 2 supervisees without a
    session; ``count`` workers with no supervisor besides the supervisors."""
    rules_change(actor=personas.national, changes={"supervisees_otherwise": 1})
    for n in range(count):
        supervisor = worker_at(country, country.district_11, f"S{n}", start=D(2024, 1, 1))
        worker_at(country, country.district_11, f"U{n}")
        for m in range(2):
            relationship_create(
                actor=personas.national,
                supervisor=supervisor,
                supervisee=worker_at(country, country.district_11, f"E{n}{m}"),
                start_date=D(2024, 1, 1),
            )
    scope_of(personas.subnational)
    # rules, root, three counts; four lists; locations and cadres
    with django_assert_num_queries(11):
        result = compliance(user=personas.subnational, location=country.region_1, day=DAY)
    assert [len(result.lists[name]) for name in (NO_SUPERVISOR, OVER_NORM, NO_SESSION, INELIGIBLE)] == [
        2 * count,
        count,
        2 * count,
        count,
    ]
