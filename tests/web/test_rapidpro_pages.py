"""The SMS page (``/support/sms/``): a national data manager makes a webhook token (shown once, kept as a
digest), revokes one, sees the webhook's calls counted by status and the reminders sent; everyone else is
refused and changes nothing."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client

from sswis.rapidpro.models import Reminder, WebhookToken
from sswis.rapidpro.tokens import webhook_token_create
from tests.conftest import Personas
from tests.factories import WorkerFactory
from tests.rapidpro.conftest import rapidpro_body, webhook_post

PAGE = "/support/sms/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_token_is_shown_once_and_kept_as_a_digest(personas: Personas) -> None:
    client = _client(personas.national)
    assert "No webhook token yet." in client.get(PAGE).content.decode()
    response = client.post(PAGE + "tokens/", {"name": "Check-in flows"})
    assert response.status_code == 200
    token = WebhookToken.objects.get()
    page = response.content.decode()
    shown = page.split("Authorization: Token ", 1)[1].split("<", 1)[0]
    assert len(shown) == 43 and hashlib.sha256(shown.encode()).hexdigest() == token.digest
    assert (token.name, token.created_by, token.user.get_username()) == (
        "Check-in flows",
        personas.national,
        "sms-check-in-flows",
    )
    again = client.get(PAGE).content.decode()
    assert shown not in again and "Check-in flows" in again and "sms-check-in-flows" in again


@pytest.mark.parametrize(
    ("name", "problem"),
    [("", "This field is required."), ("Check-in flows", "already exists"), ("Bad\u0007name", "U+0007")],
)
def test_a_bad_name_is_refused_and_nothing_is_made(personas: Personas, name: str, problem: str) -> None:
    webhook_token_create(actor=personas.national, name="Check-in flows")
    response = _client(personas.national).post(PAGE + "tokens/", {"name": name})
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert WebhookToken.objects.count() == 1


def test_a_token_is_revoked_with_an_audit_record(personas: Personas) -> None:
    token, _secret = webhook_token_create(actor=personas.national, name="Old flows")
    response = _client(personas.national).post(f"{PAGE}tokens/{token.pk}/revoke/")
    assert (response.status_code, response["Location"]) == (302, PAGE)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.history.latest().history_user == personas.national
    page = _client(personas.national).get(PAGE).content.decode()
    assert "revoked" in page and "Revoke Old flows" not in page


def test_the_page_counts_the_calls_and_lists_the_reminders(personas: Personas) -> None:
    WorkerFactory(worker_id="SMS1", phone="0712 345 678")
    _token, secret = webhook_token_create(actor=personas.national, name="Check-in flows")
    webhook_post("caseload", rapidpro_body({"open_cases": "4"}), secret=secret)
    webhook_post("caseload", rapidpro_body({"open_cases": "four"}), secret=secret)
    webhook_post("caseload", rapidpro_body({"open_cases": "4"}, urn="tel:+255700000000"), secret=secret)
    Reminder.objects.create(
        kind="sessions",
        period="2025-Q2",
        server="rapidpro.example.org",
        status="sent",
        due=3,
        reached=2,
        not_reachable=1,
        broadcasts=[1234],
        text="Reminder",
    )
    response = _client(personas.national).get(PAGE)
    assert response.status_code == 200
    assert [(row["status"], row["caseload"]) for row in response.context["counts"] if row["total"]] == [
        ("recorded", 1),
        ("unknown_phone", 1),
        ("invalid", 1),
    ]
    page = response.content.decode()
    assert "+255712345678" in page and "SMS1" in page and "<code>open_cases</code>" in page
    assert "2025-Q2" in page and "1234" in page and "rapidpro.example.org" in page
    assert "http://testserver/rapidpro/webhook/session/" in page


def test_only_a_national_data_manager_may_see_or_change_it(personas: Personas) -> None:
    token, _secret = webhook_token_create(actor=personas.national, name="Check-in flows")
    for user in (
        personas.subnational,
        personas.focal_point,
        personas.analyst,
        personas.administrator,
        personas.outsider,
    ):
        client = _client(user)
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE + "tokens/", {"name": "Mine"}).status_code == 403
        assert client.post(f"{PAGE}tokens/{token.pk}/revoke/").status_code == 403
    assert Client().get(PAGE).status_code == 302
    token.refresh_from_db()
    assert list(WebhookToken.objects.values_list("name", flat=True)) == ["Check-in flows"]
    assert token.revoked_at is None
