"""Logging in and out, and the friendly lockout page after repeated failures (django-axes)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas
from tests.web.conftest import text_of

LOGIN = reverse("web:login")
PASSWORD = "correct horse battery staple"


def test_login_page_is_labelled(client: Client, db: Any) -> None:
    html = client.get(LOGIN).content.decode()
    assert '<label for="id_username">Username' in html
    assert '<label for="id_password">Password' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_login_goes_to_the_dashboard(client: Client, personas: Personas) -> None:
    response = client.post(LOGIN, {"username": "national", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")


def test_login_returns_to_the_page_asked_for(client: Client, personas: Personas) -> None:
    response = client.post(
        LOGIN + "?next=/workers/", {"username": "north", "password": PASSWORD, "next": "/workers/"}
    )
    assert response["Location"] == "/workers/"


def test_wrong_password_shows_an_error(client: Client, personas: Personas) -> None:
    response = client.post(LOGIN, {"username": "national", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in text_of(response)
    assert "There is a problem" in text_of(response)


def test_signed_in_user_skips_the_login_page(client: Client, personas: Personas) -> None:
    client.force_login(personas.analyst)
    assert client.get(LOGIN)["Location"] == reverse("web:dashboard")


def test_logout_is_a_post_and_says_so(client: Client, personas: Personas) -> None:
    client.force_login(personas.national)
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"), follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "You have logged out." in text_of(response)
    assert client.get(reverse("web:dashboard")).status_code == 302


@pytest.fixture
def lockout_template(settings: Any) -> None:
    """The setting the lead adds to settings/base.py: ``AXES_LOCKOUT_TEMPLATE = "web/lockout.html"``."""
    settings.AXES_LOCKOUT_TEMPLATE = "web/lockout.html"


def test_lockout_after_five_failures_shows_a_friendly_page(
    client: Client, personas: Personas, lockout_template: None
) -> None:
    for _ in range(4):
        assert client.post(LOGIN, {"username": "national", "password": "wrong"}).status_code == 200
    response = client.post(LOGIN, {"username": "national", "password": "wrong"})
    assert response.status_code == 429
    text = text_of(response)
    assert "Too many failed log-in attempts" in text
    assert "logging in as national from this computer is blocked after 5 wrong passwords." in text
    assert "Try again in 60 minutes, or ask your system administrator to unlock the account." in text
    assert response["Retry-After"] == "3600"
    # Even the right password is refused while locked out.
    assert client.post(LOGIN, {"username": "national", "password": PASSWORD}).status_code == 429
