"""Every page works under the strict content security policy: no inline script, style or event handler,
and nothing loaded from another host (the system must work on an intranet without internet)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas
from tests.web.conftest import YEAR, Workforce

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:-][\w:-]*)\s*=", re.I)
EXTERNAL = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.I)


def assert_csp_safe(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not STYLE_ELEMENT.search(html)
    assert not STYLE_ATTRIBUTE.search(html), STYLE_ATTRIBUTE.search(html)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html)
    assert not EXTERNAL.search(html), EXTERNAL.search(html)


def urls(workforce: Workforce) -> list[str]:
    return [
        f"{reverse('web:dashboard')}?year={YEAR}",
        f"{reverse('web:dashboard')}?year={YEAR}&location=R1&sort=-workers",
        reverse("web:worker_list"),
        reverse("web:worker_register"),
        reverse("web:worker_detail", args=["W-ALICE"]),
        reverse("web:worker_edit", args=["W-ALICE"]),
        reverse("web:assignment_start", args=["W-ALICE"]),
        reverse("web:assignment_end", args=[workforce.alice_assignment.uuid]),
        reverse("web:assignment_transfer", args=[workforce.alice_assignment.uuid]),
        reverse("web:organisation_list"),
        reverse("web:organisation_detail", args=["MSW"]),
        reverse("web:post_list"),
        reverse("web:perceptions"),
        "/does-not-exist/",
    ]


def test_every_page_is_csp_safe(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    client = as_user(personas.national)
    for url in urls(workforce):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        html = response.content.decode()
        assert_csp_safe(html)
        assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
        assert '<link rel="stylesheet" href="/static/web/sswis.css">' in html
        assert "Content-Security-Policy" in response


@pytest.mark.parametrize("role", ["analyst", "outsider", None])
def test_refusals_and_login_are_csp_safe(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, role: str | None
) -> None:
    client = as_user(getattr(personas, role) if role else None)
    for url in [reverse("web:login"), reverse("web:worker_list"), reverse("web:dashboard")]:
        response = client.get(url, follow=True)
        assert_csp_safe(response.content.decode())


def test_pages_with_errors_are_csp_safe(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, settings: Any
) -> None:
    client = as_user(personas.national)
    response = client.post(reverse("web:worker_register"), {"worker_id": ""})
    assert 'class="error-summary"' in response.content.decode()
    assert_csp_safe(response.content.decode())
    settings.AXES_LOCKOUT_TEMPLATE = "web/lockout.html"
    anonymous = as_user(None)
    for _ in range(6):
        response = anonymous.post(reverse("web:login"), {"username": "north", "password": "wrong"})
    assert response.status_code == 429
    assert_csp_safe(response.content.decode())


def test_the_checks_catch_violations() -> None:
    for bad in [
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        '<p style="color:red">',
        '<button onclick="x()">',
        '<div hx-on:click="x()">',
        '<script src="https://cdn.example.org/htmx.js"></script>',
    ]:
        with pytest.raises(AssertionError):
            assert_csp_safe(bad)
