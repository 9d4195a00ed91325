"""The public register in the API: no authentication, the same entries as the page and nothing personal,
refusals as 400 naming ``q``, a limit per address (429) and no indexing unless the country chooses."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.regulation.models import RegistrationStatus
from tests.factories import WorkerFactory
from tests.regulation.registers import PRIVATE_TEXTS, Council, council_create, status_set, tendai_registered

URL = "/api/v1/public/register/"


@pytest.fixture
def council(db: Any) -> Council:
    return council_create()


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    """The API searches on today's date: 1 June 2024 here."""
    day = datetime.date(2024, 6, 1)
    monkeypatch.setattr("sswis.api.views.public.timezone.localdate", lambda: day)
    return day


def test_anyone_gets_the_entries_and_nothing_else(council: Council, today: datetime.date) -> None:
    registration = tendai_registered(council)
    status_set(registration, RegistrationStatus.SUSPENDED, datetime.date(2024, 5, 2), reason="Case 12")

    response = APIClient().get(URL, {"q": "tendai moyo"})

    assert response.status_code == 200
    assert response.json() == [
        {
            "name": "Tendai Moyo",
            "register": "Social workers",
            "number": "SW-0042",
            "status": "suspended",
            "valid_until": "2024-12-31",
            "sanctions": ["Suspended since 2024-05-02"],
        }
    ]
    body = response.content.decode()
    assert [text for text in (*PRIVATE_TEXTS, "Case 12") if text in body] == []


def test_no_authentication_is_asked_nor_read(council: Council, today: datetime.date) -> None:
    tendai_registered(council)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    assert [entry["number"] for entry in client.get(URL, {"q": "sw-0042"}).json()] == ["SW-0042"]


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}])
def test_without_a_search_no_entry(council: Council, today: datetime.date, query: dict[str, str]) -> None:
    tendai_registered(council)

    response = APIClient().get(URL, query)

    assert (response.status_code, response.json()) == (200, [])


def test_a_short_name_is_refused_naming_q(council: Council, today: datetime.date) -> None:
    response = APIClient().get(URL, {"q": "Mo"})

    assert response.status_code == 400
    assert list(response.json()) == ["q"]
    assert "at least 3 characters" in response.json()["q"][0]


def test_at_most_twenty_entries(council: Council, today: datetime.date) -> None:
    for index in range(21):
        council.register(
            WorkerFactory(given_name=f"Ama{index:02d}", family_name="Mensah"), number=f"SW-{index}"
        )

    entries = APIClient().get(URL, {"q": "Mensah"}).json()

    assert [entry["name"] for entry in entries] == [f"Ama{index:02d} Mensah" for index in range(20)]


@pytest.mark.parametrize("count", [1, 3])
def test_the_same_queries_for_one_and_three_entries(
    council: Council, today: datetime.date, count: int
) -> None:
    for index in range(count):
        registration = council.register(WorkerFactory(family_name="Banda"), number=f"SW-{index}")
        status_set(registration, RegistrationStatus.SUSPENDED, datetime.date(2024, 1, 1))

    with CaptureQueriesContext(connection) as queries:
        entries = APIClient().get(URL, {"q": "Banda"}).json()

    assert (len(entries), len(queries)) == (count, 4)  # the number, by family name, by given name, sanctions


def test_search_engines_are_asked_not_to_index_any_answer(council: Council, today: datetime.date) -> None:
    for query in ({"q": "Moyo"}, {"q": "Mo"}, {}):
        assert APIClient().get(URL, query)["X-Robots-Tag"] == "noindex, nofollow"


@override_settings(SSWIS_PUBLIC_REGISTER_INDEXABLE=True)
def test_unless_the_country_chooses_to_let_them(council: Council, today: datetime.date) -> None:
    assert "X-Robots-Tag" not in APIClient().get(URL, {"q": "Moyo"})


@override_settings(SSWIS_PUBLIC_REGISTER_RATE="2/m")
def test_searches_are_limited_per_address(council: Council, today: datetime.date) -> None:
    tendai_registered(council)
    here = APIClient(REMOTE_ADDR="198.51.100.7")

    statuses = [here.get(URL, {"q": "Moyo"}).status_code for _ in range(2)]
    refused = here.get(URL, {"q": "Moyo"})

    assert statuses == [200, 200]
    assert refused.status_code == 429
    detail = json.loads(refused.content)["detail"]
    assert detail.startswith("Too many searches from this address. Try again in ")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["X-Robots-Tag"] == "noindex, nofollow"
    assert APIClient(REMOTE_ADDR="203.0.113.9").get(URL, {"q": "Moyo"}).status_code == 200
