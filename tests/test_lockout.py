"""Login lockout (``sswis.lockout``): per user name and address (django-axes), and per address across
user names; the browser gets the lockout page, API clients JSON, both with 429."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import Personas

LOGIN = "/login/"
TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory


@pytest.fixture
def limit(settings: Any) -> int:
    """A small per-address limit, so the test sends a dozen requests instead of a hundred."""
    settings.SSWIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS = 12
    return 12


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_default_limit_per_address_is_100() -> None:
    from django.conf import settings

    assert (settings.SSWIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS, settings.AXES_FAILURE_LIMIT) == (100, 5)


def test_an_address_is_locked_out_across_user_names_on_the_web(personas: Personas, limit: int) -> None:
    client = Client()
    # Two wrong passwords for each of six names: under axes' five per name, twelve from the address.
    statuses = [
        client.post(LOGIN, {"username": f"guess{n // 2}", "password": "wrong"}).status_code
        for n in range(limit)
    ]

    right = client.post(LOGIN, {"username": "national", "password": PASSWORD})
    other_address = Client(REMOTE_ADDR="10.0.0.9").post(LOGIN, {"username": "national", "password": PASSWORD})

    assert statuses == [200] * (limit - 1) + [429]
    assert right.status_code == 429  # another user name, the right password: the address is locked
    text = text_of(right)
    assert "Too many failed log-in attempts" in text
    assert "logging in from this computer is blocked for every user name after 12 wrong passwords." in text
    assert right["Retry-After"] == "3600"
    assert other_address.status_code == 302  # another address is not affected


def test_an_address_is_locked_out_across_user_names_on_the_api(personas: Personas, limit: int) -> None:
    client = APIClient()
    statuses = [
        client.post(TOKEN_URL, {"username": f"guess{n}", "password": "wrong"}, format="json").status_code
        for n in range(limit)
    ]

    right = client.post(TOKEN_URL, {"username": "analyst", "password": PASSWORD}, format="json")

    assert statuses == [400] * (limit - 1) + [429]
    assert (right.status_code, right["Content-Type"]) == (429, "application/json")
    assert right.json() == {
        "detail": "Too many failed log-in attempts from this address. Try again in 60 minutes."
    }
    assert right["Retry-After"] == "3600"


def test_the_api_gets_json_when_one_user_name_is_locked_out(personas: Personas) -> None:
    client = APIClient()
    for n in range(5):
        client.post(TOKEN_URL, {"username": "national", "password": f"guess {n}"}, format="json")

    response = client.post(TOKEN_URL, {"username": "national", "password": PASSWORD}, format="json")

    assert (response.status_code, response["Content-Type"]) == (429, "application/json")
    assert response.json() == {
        "detail": "Too many failed log-in attempts for this user name from this address. "
        "Try again in 60 minutes."
    }


def test_a_success_does_not_reopen_a_locked_address(personas: Personas, limit: int) -> None:
    client = Client()
    for n in range(limit - 1):
        client.post(LOGIN, {"username": f"guess{n // 2}", "password": "wrong"})

    success = client.post(LOGIN, {"username": "national", "password": PASSWORD})
    client.logout()
    one_more = client.post(LOGIN, {"username": "guess99", "password": "wrong"})

    assert success.status_code == 302
    assert one_more.status_code == 429
