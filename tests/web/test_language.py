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
from sswis.presentation.charts import Bar, Point, bar_chart_svg, trend_chart_svg
from sswis.presentation.number_text import count_text, decimal_text, percent_text
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


def test_arabic_pages_write_arabic_indic_digits_unless_the_country_keeps_latin_ones(
    settings: Any,
) -> None:
    with translation.override("ar"):
        # Arabic-Indic digits (U+0660...), the Arabic decimal and thousands separators and percent sign.
        assert decimal_text(1234.56) == "\u0661\u066c\u0662\u0663\u0664\u066b\u0666"
        assert percent_text(0.125) == "\u0661\u0662\u066b\u0665\u066a"
        assert count_text(12345) == "\u0661\u0662\u066c\u0663\u0664\u0665"
        settings.LATIN_DIGITS = True
        assert (decimal_text(1234.56), count_text(12345)) == ("1.234,6", "12.345")
    with translation.override("sw"):
        assert (decimal_text(1234.56), percent_text(0.125), count_text(12345)) == (
            "1,234.6",
            "12.5%",
            "12,345",
        )


def test_the_dashboard_in_arabic_writes_its_figures_in_arabic_digits_and_codes_as_they_are(
    personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(personas.national)
    english = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    arabic = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert re.search(r'class="card__value">[0-9,.%]+<', english)
    assert re.search(r'class="card__value">[\u0660-\u0669\u066a-\u066c]+<', arabic)
    # Years in the form's values and codes in links stay as the server reads them back.
    years = re.findall(r'value="(\d{4})"', english)
    assert years and re.findall(r'value="(\d{4})"', arabic) == years
    assert re.findall(r'href="([^"]*location=[^"]*)"', arabic) == re.findall(
        r'href="([^"]*location=[^"]*)"', english
    )


def test_charts_read_right_to_left_in_arabic() -> None:
    bars = [Bar("Social worker", 30.0, "30"), Bar("Volunteer", 10.0, "10")]
    with translation.override("en"):
        left_to_right = str(bar_chart_svg(title="t", bars=bars, axis_title="Workers"))
        trend_english = str(
            trend_chart_svg(title="t", points=[Point(2024, 3.0, "3"), Point(2025, 4.0, "4")], axis_title="w")
        )
    with translation.override("ar"):
        right_to_left = str(bar_chart_svg(title="t", bars=bars, axis_title="Workers"))
        trend_arabic = str(
            trend_chart_svg(title="t", points=[Point(2024, 3.0, "3"), Point(2025, 4.0, "4")], axis_title="w")
        )
    # Labels are aligned on the right edge (text-anchor end) in Arabic, on the left (start) otherwise.
    assert 'text-anchor="end"' not in _labels(left_to_right, "Social worker")
    assert 'text-anchor="end"' in _labels(right_to_left, "Social worker")
    # The value axis counts in the page's digits.
    assert re.search(r">[\u0660-\u0669]+<", right_to_left) and not re.search(
        r">[\u0660-\u0669]+<", left_to_right
    )
    # The years run from right to left: 2024 is drawn to the right of 2025.
    assert _x_of(trend_arabic, "2024") > _x_of(trend_arabic, "2025")
    assert _x_of(trend_english, "2024") < _x_of(trend_english, "2025")


def _labels(svg: str, label: str) -> str:
    """The SVG text element that writes ``label``."""
    match = re.search(r"<text[^>]*>" + re.escape(label) + "</text>", svg)
    assert match, label
    return match.group(0)


def _x_of(svg: str, text: str) -> float:
    """Where the axis label ``text`` is drawn (its translation along x, in its group)."""
    match = re.search(
        r'<text[^>]*transform="translate\(([-0-9.]+)[ ,][^"]*"[^>]*>' + re.escape(text) + "</text>", svg
    )
    assert match, text
    return float(match.group(1))


def test_the_mapping_template_page_explains_every_column_in_the_reader_s_language(
    personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(personas.national)
    french = client.get(reverse("web:mapping_template"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<code>workers.csv</code>" in french and "<code>given_name</code>" in french
    with translation.override("fr"):
        from sswis.imports.schema import WORKERS

        assert str(WORKERS.column("given_name").meaning) in french
        assert str(WORKERS.meaning) in french


def test_the_dashboard_explains_each_figure_from_its_definition_in_the_reader_s_language(
    personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(personas.national)
    page = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="pt").content.decode()
    with translation.override("pt"):
        from sswis.indicators.definitions import INDICATORS

        numerator = str(INDICATORS["workforce.per_100k_children"].numerator)
    assert numerator != "workforce.count of the location (or of the group)"
    assert numerator in page
