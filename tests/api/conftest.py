"""Fixtures of the API tests: a client per persona and a small staffed registry in the shared country.

``staffing``: worker ``W000001`` works for the ministry (MSW) at D11 (region R1, the subnational
officer's) as a social worker in post ``P001``; worker ``W000002`` works for NGO1 at D21 (region R2, the
focal point's organisation) as a para-social worker; post ``P002`` (NGO1, D21, PSW) is vacant.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.registry.models import Assignment, Post, Worker
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, PostFactory, UserFactory, WorkerFactory

PERSONAS = ("national", "subnational", "focal_point", "analyst", "administrator", "outsider")


@dataclass
class Staffing:
    north_worker: Worker
    south_worker: Worker
    north_post: Post
    south_post: Post
    north_assignment: Assignment
    south_assignment: Assignment


@pytest.fixture
def staffing(country: Country) -> Staffing:
    north_post = PostFactory(
        code="P001",
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        grade="G7",
        established_on=datetime.date(2019, 1, 1),
    )
    south_post = PostFactory(
        code="P002", organisation=country.ngo, location=country.district_21, cadre=country.para_social_worker
    )
    north_worker = WorkerFactory(worker_id="W000001", given_name="Amina", family_name="Banda", sex="female")
    south_worker = WorkerFactory(worker_id="W000002", given_name="Joseph", family_name="Phiri", sex="male")
    north_assignment = AssignmentFactory(
        worker=north_worker,
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        post=north_post,
        start_date=datetime.date(2020, 3, 1),
    )
    south_assignment = AssignmentFactory(
        worker=south_worker,
        organisation=country.ngo,
        location=country.district_21,
        cadre=country.para_social_worker,
        start_date=datetime.date(2021, 6, 1),
        paid=False,
    )
    return Staffing(north_worker, south_worker, north_post, south_post, north_assignment, south_assignment)


@pytest.fixture
def client_for(personas: Personas) -> Callable[[str | None], APIClient]:
    """``client_for("national")``: an API client authenticated as that persona (``None``: anonymous)."""

    def make(persona: str | None) -> APIClient:
        client = APIClient()
        if persona is not None:
            client.force_authenticate(user=getattr(personas, persona))
        return client

    return make


@pytest.fixture
def national_user(db: Any) -> Any:
    """A national data manager without the shared country (for tests that count rows from zero)."""
    user = UserFactory(username="national-only")
    user_scope_grant(actor=None, user=user, role=Role.NATIONAL_DATA_MANAGER)
    return user


def timestamp(value: datetime.datetime) -> str:
    """A datetime as the API renders it."""
    return str(serializers.DateTimeField().to_representation(value))


def results(response: Any) -> list[dict[str, Any]]:
    """The rows of a paginated list response (asserting it succeeded)."""
    assert response.status_code == 200, response.content
    return list(response.json()["results"])


def codes(response: Any, key: str = "code") -> list[str]:
    return [row[key] for row in results(response)]
