"""The worker list counts its matches only up to a cap (``sswis.web.paging``): what the page says at and
above the cap, that every page stays reachable, and that the queries do not grow with the matches."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sswis.web import paging
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.web.conftest import queries_for, text_of

LIST = reverse("web:worker_list")
CAP = 60  # more than a page (50), so that a capped list has a second page


@pytest.fixture
def capped_at_60(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "COUNTED_UP_TO", CAP)


def workers(country: Country, count: int, *, start: int = 0) -> None:
    for number in range(start, start + count):
        worker = WorkerFactory(worker_id=f"X{number:03d}", family_name=f"Person{number:03d}")
        AssignmentFactory(
            worker=worker,
            organisation=country.ministry,
            location=country.district_11,
            cadre=country.social_worker,
            paid=True,
        )


def ids_on(response: Any) -> list[str]:
    return [worker.worker_id for worker in response.context["page_obj"]]


def test_at_the_cap_the_count_is_exact(
    as_user: Callable[[Any], Client], personas: Personas, country: Country, capped_at_60: None
) -> None:
    workers(country, CAP)
    page = as_user(personas.national).get(LIST)
    text = text_of(page)

    assert "Workers in your scope (60)" in text
    assert "Download 60 workers with these filters:" in text
    assert "1\u201350 of 60" in text
    assert "Page 1 of 2" in text
    assert 'href="?page=2">Last' in page.content.decode()


def test_above_the_cap_the_page_says_more_than_the_cap_and_pages_on(
    as_user: Callable[[Any], Client], personas: Personas, country: Country, capped_at_60: None
) -> None:
    workers(country, CAP + 15)
    client = as_user(personas.national)
    first = client.get(LIST)
    text, html = text_of(first), first.content.decode()

    assert "Workers in your scope (more than 60)" in text
    assert "Download more than 60 workers with these filters:" in text
    assert "1\u201350 of more than 60" in text
    assert "Page 1" in text and "Page 1 of" not in text
    assert 'href="?page=2" rel="next"' in html
    assert ">Last<" not in html  # the number of pages is not known
    assert ids_on(first) == [f"X{number:03d}" for number in range(50)]

    second = client.get(LIST, {"page": 2})
    assert ids_on(second) == [f"X{number:03d}" for number in range(50, 75)]
    assert "51\u201375 of more than 60" in text_of(second)
    assert 'rel="next"' not in second.content.decode()
    assert 'href="?page=1"' in second.content.decode()


def test_above_the_cap_a_page_past_the_end_or_not_a_number_gives_the_last_or_the_first(
    as_user: Callable[[Any], Client], personas: Personas, country: Country, capped_at_60: None
) -> None:
    workers(country, CAP + 15)
    client = as_user(personas.national)

    assert client.get(LIST, {"page": 99}).context["page_obj"].number == 2
    assert client.get(LIST, {"page": "two"}).context["page_obj"].number == 1
    assert client.get(LIST, {"page": 0}).context["page_obj"].number == 2  # as Django's paginator does


def test_above_the_cap_filters_keep_their_pages(
    as_user: Callable[[Any], Client], personas: Personas, country: Country, capped_at_60: None
) -> None:
    workers(country, CAP + 15)
    WorkerFactory(worker_id="Y000", family_name="Outside")  # no assignment in D11
    client = as_user(personas.national)
    first = client.get(LIST, {"location": "D11", "paid": "yes"})
    html = first.content.decode()

    assert "more than 60" in text_of(first)
    assert re.search(r'href="\?location=D11&amp;paid=yes&amp;page=2" rel="next"', html)
    assert "Y000" not in ids_on(client.get(LIST, {"location": "D11", "paid": "yes", "page": 2}))


def test_the_count_stops_at_the_cap(
    as_user: Callable[[Any], Client], personas: Personas, country: Country, capped_at_60: None
) -> None:
    workers(country, CAP + 15)
    with CaptureQueriesContext(connection) as captured:
        as_user(personas.national).get(LIST)

    counts = [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 61" in counts[0]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?q=Person",
        "?q=x000",
        "?location=D11",
        "?cadre=SW&paid=yes",
        "?category=professional&location=D11",
        "?page=2",
    ],
)
def test_the_queries_do_not_grow_with_the_matches_nor_past_the_cap(
    as_user: Callable[[Any], Client],
    personas: Personas,
    country: Country,
    capped_at_60: None,
    query: str,
) -> None:
    client = as_user(personas.national)
    workers(country, 1)
    one = queries_for(client, LIST + query)
    workers(country, 2, start=1)
    three = queries_for(client, LIST + query)
    workers(country, CAP + 50, start=3)
    beyond = queries_for(client, LIST + query)

    assert one == three == beyond
