"""Choosing the language: from every page, remembered per user and per browser; until then the browser's
``Accept-Language``, then ``SSWIS_LANGUAGE``. Arabic pages read right to left. No query is added."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sswis.access.models import UserLanguage
from sswis.web.numbers import decimal_text, percent_text
from tests.conftest import Personas
from tests.web.conftest import queries_for

LOGIN = reverse("web:login")
DASHBOARD = reverse("web:dashboard")
LANGUAGE = reverse("web:language")
PASSWORD = "correct horse battery staple"


def html_tag(response: Any) -> str:
    text = response.content.decode()
    return text[text.index("<html") : text.index(">", text.index("<html")) + 1]


def test_the_browser_s_language_decides_until_someone_chooses(client: Client, db: Any) -> None:
    assert html_tag(client.get(LOGIN)) == '<html lang="en" dir="ltr">'
    response = client.get(LOGIN, headers={"accept-language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert html_tag(response) == '<html lang="fr" dir="ltr">'
    with translation.override("fr"):
        log_in = translation.gettext("Log in")
    assert log_in != "Log in" and log_in in response.content.decode()
    # A language sswis does not offer: the next one the browser accepts, else the default.
    assert (
        html_tag(client.get(LOGIN, headers={"accept-language": "de, sw;q=0.8"}))
        == '<html lang="sw" dir="ltr">'
    )
    assert html_tag(client.get(LOGIN, headers={"accept-language": "de"})) == '<html lang="en" dir="ltr">'


def test_arabic_pages_read_right_to_left(client: Client, db: Any) -> None:
    response = client.get(LOGIN, headers={"accept-language": "ar"})
    assert html_tag(response) == '<html lang="ar" dir="rtl">'


def test_a_visitor_s_choice_is_kept_by_the_browser_over_accept_language(client: Client, db: Any) -> None:
    response = client.post(LANGUAGE, {"language": "pt", "next": LOGIN})
    assert response.status_code == 302 and response["Location"] == LOGIN
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "pt" and cookie["httponly"] and cookie["samesite"] == "Lax"
    page = client.get(LOGIN, headers={"accept-language": "fr"})
    assert html_tag(page) == '<html lang="pt" dir="ltr">'


def test_every_page_offers_every_language_named_in_itself(client: Client, personas: Personas) -> None:
    client.force_login(personas.national)
    html = client.get(DASHBOARD).content.decode()
    assert f'action="{LANGUAGE}"' in html
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in html and f">{name}</option>" in html


def test_a_user_s_choice_follows_them_to_another_browser(personas: Personas) -> None:
    first = Client()
    first.post(LOGIN, {"username": "national", "password": PASSWORD})
    first.post(LANGUAGE, {"language": "es", "next": DASHBOARD})
    chosen = UserLanguage.objects.get(user=personas.national)
    assert chosen.language == "es"
    record = chosen.history.get()  # type: ignore[attr-defined]
    assert record.history_user == personas.national  # audited with its author

    other = Client(headers={"accept-language": "fr"})
    other.post(LOGIN, {"username": "national", "password": PASSWORD})
    assert html_tag(other.get(DASHBOARD)) == '<html lang="es" dir="ltr">'
    # Signed out, the other browser is back to its own language.
    other.post(reverse("web:logout"))
    assert html_tag(other.get(LOGIN)) == '<html lang="fr" dir="ltr">'


def test_a_language_not_offered_changes_nothing(client: Client, personas: Personas) -> None:
    client.force_login(personas.national)
    response = client.post(LANGUAGE, {"language": "de", "next": DASHBOARD}, follow=True)
    assert html_tag(response) == '<html lang="en" dir="ltr">'
    assert "Choose one of the languages offered." in response.content.decode()
    assert not UserLanguage.objects.exists()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_the_chooser_goes_back_only_to_a_page_of_this_site(client: Client, db: Any, target: str) -> None:
    response = client.post(LANGUAGE, {"language": "fr", "next": target})
    assert response["Location"] == LOGIN


def test_switching_language_adds_no_query(personas: Personas, as_user: Callable[[Any], Client]) -> None:
    client = as_user(personas.national)
    queries_for(client, DASHBOARD)  # the figures are computed once, then kept until the data change
    english = queries_for(client, DASHBOARD)
    client.post(LANGUAGE, {"language": "ar", "next": DASHBOARD})
    assert html_tag(client.get(DASHBOARD)) == '<html lang="ar" dir="rtl">'
    assert queries_for(client, DASHBOARD) == english


def test_the_layout_mirrors_by_itself_right_to_left() -> None:
    """The style sheet places things by start and end, never by left and right, so that Arabic pages
    (``dir="rtl"``) mirror navigation, tables and forms without a style sheet of their own."""
    css = (settings.PACKAGE_DIR / "web" / "static" / "web" / "sswis.css").read_text(encoding="utf-8")
    physical = re.findall(
        r"\b(?:margin|padding|border)-(?:left|right)\b|text-align:\s*(?:left|right)|(?<![-\w])(?:left|right)\s*:|float:",
        css,
    )
    assert physical == []


@pytest.mark.parametrize(
    ("language", "decimal", "share"),
    [
        ("en", "1,234.6", "12.5%"),
        ("fr", "1\xa0234,6", "12,5\xa0%"),
        ("pt", "1.234,6", "12,5%"),
        ("es", "1\xa0234,6", "12,5\xa0%"),
    ],
)
def test_figures_are_written_as_the_reader_s_language_writes_them(
    language: str, decimal: str, share: str
) -> None:
    with translation.override(language):
        assert (decimal_text(1234.56), percent_text(0.125)) == (decimal, share)
        # Rounded as Python rounds the value itself (2.25 is exactly half: to the even 2.2), then written.
        assert decimal_text(2.25) == ("2.2" if language == "en" else "2,2")
