"""Fixtures of the page tests: a small workforce on the shared ``country`` and helpers to read pages."""

from __future__ import annotations

import datetime
import html as html_module
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sswis.registry.models import Assignment, Post, Worker
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, PopulationEstimateFactory, PostFactory, WorkerFactory

YEAR = 2024


@dataclass
class Workforce:
    """Workers placed so that every persona sees a different part.

    * ``alice`` — social worker, ministry, D11, holds post ``P-D11-SW`` (subnational R1 and national see her)
    * ``brian`` — para-social worker, ministry, D12, ended 2023-06-30 (resigned)
    * ``grace`` — volunteer, NGO1, D21 (focal point of NGO1 sees her; subnational R1 does not)
    * ``peter`` — social worker, NGO1, D11 (both subnational R1 and the NGO1 focal point see him)
    """

    alice: Worker
    brian: Worker
    grace: Worker
    peter: Worker
    alice_assignment: Assignment
    brian_assignment: Assignment
    grace_assignment: Assignment
    peter_assignment: Assignment
    post_filled: Post
    post_vacant: Post
    post_ngo: Post


@pytest.fixture
def workforce(country: Country) -> Workforce:
    alice = WorkerFactory(worker_id="W-ALICE", given_name="Alice", family_name="Banda", sex="female")
    brian = WorkerFactory(worker_id="W-BRIAN", given_name="Brian", family_name="Chola", sex="male")
    grace = WorkerFactory(worker_id="W-GRACE", given_name="Grace", family_name="Daka", sex="female")
    peter = WorkerFactory(worker_id="W-PETER", given_name="Peter", family_name="Ngoma", sex="male")
    post_filled = PostFactory(
        code="P-D11-SW",
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
    )
    post_vacant = PostFactory(
        code="P-D12-PSW",
        organisation=country.ministry,
        location=country.district_12,
        cadre=country.para_social_worker,
    )
    post_ngo = PostFactory(
        code="P-D21-CPV", organisation=country.ngo, location=country.district_21, cadre=country.volunteer
    )
    start = datetime.date(2020, 1, 1)
    alice_assignment = AssignmentFactory(
        worker=alice,
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        post=post_filled,
        start_date=start,
    )
    brian_assignment = AssignmentFactory(
        worker=brian,
        organisation=country.ministry,
        location=country.district_12,
        cadre=country.para_social_worker,
        start_date=start,
        end_date=datetime.date(2023, 6, 30),
        exit_reason="resigned",
    )
    grace_assignment = AssignmentFactory(
        worker=grace,
        organisation=country.ngo,
        location=country.district_21,
        cadre=country.volunteer,
        start_date=start,
        paid=False,
    )
    peter_assignment = AssignmentFactory(
        worker=peter,
        organisation=country.ngo,
        location=country.district_11,
        cadre=country.social_worker,
        start_date=start,
    )
    PopulationEstimateFactory(location=country.district_11, year=YEAR, children=10000)
    PopulationEstimateFactory(location=country.district_12, year=YEAR, children=20000)
    # D21 has no estimate: R2 and the country have no known child population in 2024.
    return Workforce(
        alice=alice,
        brian=brian,
        grace=grace,
        peter=peter,
        alice_assignment=alice_assignment,
        brian_assignment=brian_assignment,
        grace_assignment=grace_assignment,
        peter_assignment=peter_assignment,
        post_filled=post_filled,
        post_vacant=post_vacant,
        post_ngo=post_ngo,
    )


@pytest.fixture
def as_user(client: Client) -> Callable[[Any], Client]:
    """``as_user(user)`` logs the test client in as ``user`` (``None``: stay anonymous)."""

    def login(user: Any) -> Client:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


def persona(personas: Personas, name: str) -> Any:
    return None if name == "anonymous" else getattr(personas, name)


def queries_for(client: Client, url: str) -> int:
    """How many database queries one GET of ``url`` takes (the page must answer 200).

    The page is then asked again in Arabic and in English (``Accept-Language``): both must take the same
    queries, so every query-count test also shows that a page in another language costs no query more.
    """
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    by_language = {}
    for language in ("ar", "en"):
        with CaptureQueriesContext(connection) as again:
            answer = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert answer.status_code == 200
        by_language[language] = len(again)
    assert by_language["ar"] == by_language["en"], by_language
    return len(captured)


def text_of(response: Any) -> str:
    """The page's visible text with whitespace collapsed, for phrase assertions."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", html))).strip()
