"""The retention page (``/support/retention/``): its figures and charts, small cells withheld for the
analyst, refused to an outsider and to a worker's own login, and its query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Country, Personas
from tests.factories import WorkerFactory
from tests.indicators.conftest import assign
from tests.support.retention_world import retention_world_build

URL = reverse("web:retention")


@pytest.fixture
def movements(country: Country) -> None:
    retention_world_build(country)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_turnover_tenure_cohorts_vacancy_and_attrition(
    country: Country, personas: Personas, movements: None
) -> None:
    page = client_of(personas.national).get(URL, {"year": 2024, "location": "KD"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "Retention and attrition, 2024" in text
    # 3 left of 6 counted; 5 active on 1 January, 3 on 31 December: 75.0%.
    assert "3 workers counted in the year were no longer active on 31 December" in text
    assert "Turnover: 75.0%." in text
    assert "Resigned" in text and "Retired" in text and "Not recorded" in text
    assert "Hope for Children" in text
    assert text.count("<svg") >= 4  # trend, locations, reasons, tenure (the cohorts too, with figures)
    assert 'href="#attrition-definition"' in text and 'id="attrition-definition"' in text
    assert "Withheld" not in text and "withheld (…)" not in text


def test_an_analyst_gets_the_small_cells_withheld(
    country: Country, personas: Personas, movements: None
) -> None:
    text = client_of(personas.analyst).get(URL, {"year": 2024, "location": "KD"}).content.decode()

    assert "Figures about fewer than 5 people are withheld" in text
    assert "Hope for Children" in text  # the organisation is named, its figures are not
    assert "Turnover: 75.0%." in text  # a count by location: shown


def test_bad_pickers_are_404_and_outsiders_are_refused(
    country: Country, personas: Personas, movements: None
) -> None:
    national = client_of(personas.national)
    assert national.get(URL, {"location": "NOPE"}).status_code == 404
    assert national.get(URL, {"year": "12"}).status_code == 404
    assert client_of(personas.outsider).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302  # to the sign-in page
    assert national.get(URL).status_code == 200  # default: the last whole year, the country


def test_the_query_count_does_not_grow_with_the_data(
    country: Country, personas: Personas, movements: None
) -> None:
    client = client_of(personas.analyst)

    def counted() -> int:
        caches["indicators"].clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"year": 2024, "location": "KD"}).status_code == 200
        return len(queries)

    counted()
    few = counted()
    for index in range(3):
        assign(country, worker=WorkerFactory(), start="2010-01-01", end=f"2024-0{index + 2}-01")
    assert counted() == few
