"""``Cache-Control: no-store`` on every response that may carry personal data (``sswis.security``):
every page and API answer for a signed-in user, every API answer, never on static files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sswis.access.services import api_token_create
from tests.conftest import Personas
from tests.web.conftest import Workforce
from tests.web.test_csp import urls

NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def test_every_page_of_a_signed_in_user_is_not_stored(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    client = as_user(personas.national)
    for url in [*urls(workforce), reverse("web:worker_export") + "?format=csv", "/admin/"]:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        assert response["Cache-Control"] == NEVER_CACHE, url


def test_refusals_to_signed_in_users_are_not_stored(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.outsider).get(reverse("web:worker_list"))

    assert (response.status_code, response["Cache-Control"]) == (403, NEVER_CACHE)


def test_api_answers_are_not_stored_whoever_asks(personas: Personas, workforce: Workforce) -> None:
    _, secret = api_token_create(actor=None, user=personas.national)
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    answers = [
        with_token.get("/api/v1/workers/"),
        with_token.get("/api/v1/workers/export/?format=csv"),
        APIClient().get("/api/v1/workers/"),  # 401
        APIClient().get("/api/v1/schema/"),
    ]

    assert [a.status_code for a in answers] == [200, 200, 401, 200]
    assert [a["Cache-Control"] for a in answers] == [NEVER_CACHE] * 4


def test_static_files_keep_their_cache_headers(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    for client in (Client(), as_user(personas.national)):
        response = client.get("/static/web/sswis.css")
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")


def test_an_anonymous_page_without_personal_data_is_not_forced(personas: Personas) -> None:
    # An anonymous visitor gets nothing personal: such answers keep the ordinary caching rules.
    response = Client().get("/does-not-exist/")

    assert response.status_code == 404
    assert "Cache-Control" not in response
