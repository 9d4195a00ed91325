"""The public register page: anyone may search it, it shows the entries and nothing personal, refuses
short names and control characters, limits searches per address and keeps search engines out unless the
country chooses otherwise."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from sswis.regulation.models import RegistrationStatus
from tests.factories import UserFactory, WorkerFactory
from tests.regulation.registers import PRIVATE_TEXTS, Council, council_create, status_set, tendai_registered

PAGE = reverse("web:public_register")


@pytest.fixture
def council(db: Any) -> Council:
    return council_create()


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    """The page searches on today's date: 1 June 2024 here."""
    day = datetime.date(2024, 6, 1)
    monkeypatch.setattr("sswis.web.views.public_register.timezone.localdate", lambda: day)
    return day


def test_anyone_may_search_without_logging_in(council: Council, today: datetime.date) -> None:
    tendai_registered(council)

    response = Client().get(PAGE, {"q": "moyo"})

    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    for shown in ("Tendai Moyo", "Social workers", "SW-0042", "Registered", "2024-12-31"):
        assert shown in row, shown
    assert 'class="site-nav"' not in html and "Log out" not in html  # no signed-in navigation
    assert "sessionid" not in response.cookies  # no session for a visitor


def test_a_signed_in_user_sees_the_same_page(council: Council, today: datetime.date) -> None:
    tendai_registered(council)
    client = Client()
    client.force_login(UserFactory())  # no role: the public register is for everyone

    assert "SW-0042" in client.get(PAGE, {"q": "SW-0042"}).content.decode()


def test_nothing_personal_is_shown(council: Council, today: datetime.date) -> None:
    tendai_registered(council)

    html = Client().get(PAGE, {"q": "Tendai"}).content.decode()

    assert "Tendai Moyo" in html
    assert [text for text in PRIVATE_TEXTS if text in html] == []


def test_the_form_alone_searches_nothing(council: Council, today: datetime.date) -> None:
    tendai_registered(council)

    response = Client().get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html and "<table" not in html and "There is a problem" not in html


@pytest.mark.parametrize(("query", "message"), [("Mo", "at least 3 characters"), ("   ", "")])
def test_a_short_name_is_refused_with_a_message(
    council: Council, today: datetime.date, query: str, message: str
) -> None:
    tendai_registered(council)

    response = Client().get(PAGE, {"q": query})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<table" not in html
    assert ("There is a problem" in html) == bool(message)
    assert message in html


def test_no_match_and_a_full_page_say_so(council: Council, today: datetime.date) -> None:
    for index in range(21):
        council.register(WorkerFactory(family_name="Mensah"), number=f"SW-{index}")

    assert "No one on the register matches." in Client().get(PAGE, {"q": "Nobody"}).content.decode()
    html = Client().get(PAGE, {"q": "Mensah"}).content.decode()
    assert html.count('<th scope="row">') == 20
    assert "Only the first 20 are shown" in html


def test_a_suspension_is_shown_as_in_force(council: Council, today: datetime.date) -> None:
    registration = tendai_registered(council)
    status_set(registration, RegistrationStatus.SUSPENDED, datetime.date(2024, 5, 2), reason="Case 12")

    html = Client().get(PAGE, {"q": "Moyo"}).content.decode()

    assert "Suspended since 2024-05-02" in html and "Case 12" not in html


def test_a_control_character_is_refused(council: Council) -> None:
    assert Client().get(PAGE, {"q": "Mo\x01yo"}).status_code == 400


def test_search_engines_are_asked_not_to_index_it(council: Council, today: datetime.date) -> None:
    for response in (Client().get(PAGE), Client().get(PAGE, {"q": "Moyo"}), Client().get(PAGE, {"q": "M"})):
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


@override_settings(SSWIS_PUBLIC_REGISTER_INDEXABLE=True)
def test_unless_the_country_chooses_to_let_them(council: Council, today: datetime.date) -> None:
    response = Client().get(PAGE, {"q": "Moyo"})

    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()


@override_settings(SSWIS_PUBLIC_REGISTER_RATE="3/m")
def test_searches_are_limited_per_address(council: Council, today: datetime.date) -> None:
    tendai_registered(council)
    here, there = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="203.0.113.9")

    statuses = [here.get(PAGE, {"q": "Moyo"}).status_code for _ in range(3)]
    assert here.get(PAGE).status_code == 200  # the form alone is not a search
    refused = here.get(PAGE, {"q": "Moyo"})

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many searches from this address. Try again in" in html and "Tendai Moyo" not in html
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["X-Robots-Tag"] == "noindex, nofollow"
    assert there.get(PAGE, {"q": "Moyo"}).status_code == 200  # another address has its own count
    assert here.get("/api/v1/public/register/", {"q": "Moyo"}).status_code == 429  # one count with the API
