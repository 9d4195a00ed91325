"""Every list endpoint answers with the same number of queries for 1 and for 3 rows (no N+1).

Each count is: the user's scope, the filter's code look-ups if any, the page count and the page itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.imports.models import ImportRecord
from sswis.surveys.models import SurveyRound
from tests.factories import (
    AssignmentFactory,
    CadreFactory,
    LocationFactory,
    OrganisationFactory,
    PopulationEstimateFactory,
    PostFactory,
    UserFactory,
)


def locations(n: int) -> str:
    root = LocationFactory(code="KD")
    for index in range(n - 1):
        LocationFactory(parent=root, code=f"D{index}")
    return "/api/v1/locations/"


def locations_within(n: int) -> str:
    locations(n)
    return "/api/v1/locations/?within=KD&level=district"


def population(n: int) -> str:
    for year in range(2020, 2020 + n):
        PopulationEstimateFactory(year=year)
    return "/api/v1/population/"


def organisations(n: int) -> str:
    parent = OrganisationFactory()
    for _ in range(n - 1):
        OrganisationFactory(parent=parent)
    return "/api/v1/organisations/?government=true"


def cadres(n: int) -> str:
    for _ in range(n):
        CadreFactory()
    return "/api/v1/cadres/"


def posts(n: int) -> str:
    for _ in range(n):
        AssignmentFactory(post=PostFactory())
    return "/api/v1/posts/"


def posts_vacant(n: int) -> str:
    for _ in range(n):
        PostFactory()
    return "/api/v1/posts/?vacant_on=2024-12-31&funded=true"


def workers(n: int) -> str:
    for _ in range(n):
        AssignmentFactory()
    return "/api/v1/workers/"


def workers_filtered(n: int) -> str:
    cadre = CadreFactory(code="SW")
    for _ in range(n):
        AssignmentFactory(cadre=cadre, start_date=datetime.date(2021, 1, 1))
    return "/api/v1/workers/?cadre=SW&active_year=2022&paid=true&employer=government&search=Fam"


def workers_counted(n: int) -> str:
    for _ in range(n):
        AssignmentFactory(start_date=datetime.date(2021, 1, 1))
    return "/api/v1/workers/?counted_year=2024"


def assignments(n: int) -> str:
    for _ in range(n):
        AssignmentFactory(post=PostFactory())
    return "/api/v1/assignments/?active_on=2024-01-01"


def imports(n: int) -> str:
    importer = UserFactory()
    for index in range(n):
        ImportRecord.objects.create(
            user=importer,
            file_name="workers.csv",
            stored_path=f"imports/{index}/workers.csv",
            sha256="0" * 64,
            size=10,
            counts={"workers.csv": {"read": 1, "created": 1, "updated": 0, "unchanged": 0, "rejected": 0}},
        )
    return "/api/v1/imports/"


def survey_rounds(n: int) -> str:
    for index in range(n):
        SurveyRound.objects.create(
            code=f"R{index}", name=f"Round {index}", starts_on=datetime.date(2025, 1, 1)
        )
    return "/api/v1/survey-rounds/"


# (rows maker, queries): scope + page count + page, plus one look-up per code given in a filter.
CASES: dict[str, tuple[Callable[[int], str], int]] = {
    "locations": (locations, 3),
    "locations_within": (locations_within, 4),
    "population": (population, 3),
    "organisations": (organisations, 3),
    "cadres": (cadres, 3),
    "posts": (posts, 3),
    "posts_vacant": (posts_vacant, 3),
    "workers": (workers, 3),
    # ... the merged records whose worker ID is the search, and the cadre's primary key (read first)
    "workers_filtered": (workers_filtered, 6),
    "workers_counted": (workers_counted, 3),
    "assignments": (assignments, 3),
    "imports": (imports, 4),  # ... and the one check for imports whose worker died
    "survey_rounds": (survey_rounds, 3),
}


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("case", list(CASES))
def test_list_queries_do_not_grow_with_rows(
    db: Any, django_assert_num_queries: Any, case: str, rows: int, language: str
) -> None:
    """In English and in Arabic alike: a language is no query more."""
    make, queries = CASES[case]
    url = make(rows)
    user = UserFactory(username="counter")
    user_scope_grant(actor=None, user=user, role=Role.NATIONAL_DATA_MANAGER)
    user = type(user).objects.get(pk=user.pk)  # no cached scope: it is one of the counted queries
    client = APIClient()
    client.force_authenticate(user=user)

    with django_assert_num_queries(queries):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200, response.content
    assert response["Content-Language"] == language
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_subnational_worker_list_queries_do_not_grow_with_rows(
    db: Any, django_assert_num_queries: Any, rows: int
) -> None:
    region = LocationFactory(code="R1")
    district = LocationFactory(code="D11", parent=region)
    organisation = OrganisationFactory(location=district)
    for _ in range(rows):
        AssignmentFactory(organisation=organisation, location=district)
    user = UserFactory(username="north")
    user_scope_grant(actor=None, user=user, role=Role.SUBNATIONAL_OFFICER, location=region)
    user = type(user).objects.get(pk=user.pk)
    client = APIClient()
    client.force_authenticate(user=user)

    with django_assert_num_queries(5):  # ... and the place's subtree, read first (registry.selectors)
        response = client.get("/api/v1/workers/?location=D11")

    assert len(response.json()["results"]) == rows
