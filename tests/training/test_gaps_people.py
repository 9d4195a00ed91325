"""The workers who lack a required competency, one worker's competencies and the training needs
(``training.gaps``, ``training.selectors_competencies``), against ``tests/training/competency_world.py``."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sswis.training.gaps import lacking_of, training_needs, workers_missing
from sswis.training.selectors_competencies import worker_competencies
from tests.factories import PerceptionResponseFactory, SurveyRoundFactory
from tests.training.competency_world import CompetencyWorld, competency_world_build


@pytest.fixture
def world(country: Any) -> CompetencyWorld:
    return competency_world_build(country)


def test_the_workers_lacking_a_competency(world: CompetencyWorld, country: Any, personas: Any) -> None:
    workers, requirements = workers_missing(
        user=personas.national, year=2025, location=country.root, cadre=country.social_worker
    )
    assert [worker.worker_id for worker in workers] == ["W1", "W3", "W4", "W6"]
    lacking = lacking_of(workers=list(workers), requirements=requirements, year=2025)
    assert {
        world.workers[name].worker_id: [
            (x.competency, x.required, x.held) for x in lacking[world.workers[name].pk]
        ]
        for name in ("w1", "w3", "w4", "w6")
    } == {
        "W1": [("LAW", 1, 0)],
        "W3": [("CM", 2, 1)],
        "W4": [("CM", 2, 0), ("LAW", 1, 0)],
        "W6": [("LAW", 1, 0)],
    }
    only_cm, _ = workers_missing(
        user=personas.national,
        year=2025,
        location=country.region_1,
        cadre=country.social_worker,
        competency="CM",
    )
    assert [worker.worker_id for worker in only_cm] == ["W3", "W4"]


def test_the_missing_list_is_narrowed_to_the_reader_s_scope(
    world: CompetencyWorld, country: Any, personas: Any
) -> None:
    mine, _ = workers_missing(
        user=personas.subnational, year=2025, location=country.region_1, cadre=country.social_worker
    )
    assert [worker.worker_id for worker in mine] == ["W1", "W3", "W4"]
    with pytest.raises(PermissionDenied):
        workers_missing(
            user=personas.subnational, year=2025, location=country.region_2, cadre=country.social_worker
        )
    # The NGO's focal point: none of these workers is the NGO's, whatever the location asked for.
    theirs, _ = workers_missing(
        user=personas.focal_point, year=2025, location=country.root, cadre=country.social_worker
    )
    assert list(theirs) == []
    for refused in (personas.analyst, personas.outsider, personas.administrator):
        with pytest.raises(PermissionDenied):
            workers_missing(user=refused, year=2025, location=country.root, cadre=country.social_worker)


def test_the_missing_list_takes_a_fixed_number_of_queries(
    world: CompetencyWorld, country: Any, personas: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        workers, requirements = workers_missing(
            user=personas.subnational, year=2025, location=country.region_1, cadre=country.social_worker
        )
        page = list(workers[:50])
        lacking_of(workers=page, requirements=requirements, year=2025)


def test_one_worker_s_competencies(world: CompetencyWorld, personas: Any) -> None:
    found = worker_competencies(
        user=personas.national, worker=world.workers["w2"], day=datetime.date(2025, 12, 31)
    )
    assert [(held.code, held.level) for held in found.held] == [("CM", 3), ("LAW", 1)]
    assert [(item.code, item.required, item.held, item.met) for item in found.required] == [
        ("CM", 2, 3, True),
        ("LAW", 1, 1, True),
    ]
    early = worker_competencies(
        user=personas.national, worker=world.workers["w2"], day=datetime.date(2025, 1, 31)
    )
    assert [(held.code, held.level) for held in early.held] == [("LAW", 1)]
    w3 = worker_competencies(
        user=personas.subnational, worker=world.workers["w3"], day=datetime.date(2025, 12, 31)
    )
    assert [(item.code, item.held, item.met) for item in w3.required] == [("CM", 1, False), ("LAW", 1, True)]
    with pytest.raises(PermissionDenied):
        worker_competencies(
            user=personas.subnational, worker=world.workers["w6"], day=datetime.date(2025, 12, 31)
        )
    with pytest.raises(PermissionDenied):
        worker_competencies(
            user=personas.analyst, worker=world.workers["w1"], day=datetime.date(2025, 12, 31)
        )


def _survey(country: Any) -> None:
    """Round 2025: at D11 five respondents, three asking for case management and two for the law; at D21
    two asking for case management."""
    survey_round = SurveyRoundFactory(code="2025")
    for needed in (
        "case_management",
        "case_management child_protection_law",
        "case_management",
        "child_protection_law",
        "none",
    ):
        PerceptionResponseFactory(
            survey_round=survey_round, location=country.district_11, training_needed=needed
        )
    for _ in range(2):
        PerceptionResponseFactory(
            survey_round=survey_round, location=country.district_21, training_needed="case_management"
        )
    PerceptionResponseFactory(
        survey_round=SurveyRoundFactory(code="2024"),
        location=country.district_11,
        training_needed="case_management",
    )


def test_the_training_needs_with_the_survey(world: CompetencyWorld, country: Any, personas: Any) -> None:
    _survey(country)
    rows = training_needs(user=personas.national, year=2025)
    assert [
        (row.competency, row.cadre, row.counted, row.lacking, row.survey_topic, row.asked) for row in rows
    ] == [
        ("LAW", "SW", 5, 3, "child_protection_law", 2),
        ("CM", "SW", 5, 2, "case_management", 5),
    ]


def test_the_analyst_gets_the_survey_withheld_where_the_survey_withholds_it(
    world: CompetencyWorld, country: Any, personas: Any
) -> None:
    _survey(country)
    country_rows = training_needs(user=personas.analyst, year=2025)
    # k = 5: every line of the country is withheld (3 have CM, 2 lack it; 2 have LAW, 3 lack it), and so
    # is the survey (2 answered at D21).
    assert [(row.competency, row.lacking, row.asked) for row in country_rows] == [
        ("CM", None, None),
        ("LAW", None, None),
    ]
    region = training_needs(user=personas.analyst, year=2025, location=country.region_1)
    # R1 with k = 5: 4 counted, CM 2 have / 2 lack (withheld), LAW 2 / 2 (withheld); the survey: 5 at D11.
    assert [(row.competency, row.lacking, row.withheld, row.asked) for row in region] == [
        ("CM", None, True, 3),
        ("LAW", None, True, 2),
    ]
