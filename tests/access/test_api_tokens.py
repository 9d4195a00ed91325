"""API tokens: the ``sswis api_token`` command, the administration (no secret shown), the services'
rules, and the carrying of Django REST framework's clear-text tokens into hashed knox tokens."""

from __future__ import annotations

import datetime
import hashlib
import importlib
import re
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from sswis.access.selectors import api_token_id
from sswis.access.services import api_token_create, api_token_revoke, api_tokens_revoke_all
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def works(secret: str, url: str = "/api/v1/workers/") -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return int(client.get(url).status_code)


def test_create_prints_the_token_once_and_stores_only_its_digest(personas: Personas) -> None:
    before = timezone.now()
    out, err = run("create", "national", "--expires-in", "7")

    secret = out.strip()
    [token] = AuthToken.objects.all()
    assert (len(secret), token.digest) == (64, hashlib.sha512(secret.encode()).hexdigest())
    assert before + datetime.timedelta(days=7) <= token.expiry <= timezone.now() + datetime.timedelta(days=7)
    assert f"API token {api_token_id(token)} for national" in err
    assert secret not in err
    assert works(secret) == 200


def test_create_without_expires_in_uses_the_setting(personas: Personas, settings: Any) -> None:
    settings.SSWIS_API_TOKEN_TTL_DAYS = 3
    before = timezone.now()

    run("create", "analyst")

    [token] = AuthToken.objects.all()
    assert before + datetime.timedelta(days=3) <= token.expiry <= timezone.now() + datetime.timedelta(days=3)


@pytest.mark.parametrize("days", ["0", "-1", "two"])
def test_create_refuses_a_bad_period(personas: Personas, days: str) -> None:
    with pytest.raises(
        CommandError, match=re.escape(f"argument --expires-in: '{days}' is not a whole number of days")
    ):
        run("create", "national", "--expires-in", days)
    assert AuthToken.objects.count() == 0


def test_unknown_user_is_named(personas: Personas) -> None:
    with pytest.raises(CommandError, match=re.escape("No user named 'nobody'.")):
        run("list", "nobody")


def test_list_shows_ids_and_dates_never_the_token(personas: Personas) -> None:
    first, first_secret = api_token_create(
        actor=None, user=personas.national, expires_in=datetime.timedelta(days=1)
    )
    second, second_secret = api_token_create(actor=None, user=personas.national)
    AuthToken.objects.filter(digest=first.digest).update(
        created=datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC),
        expiry=datetime.datetime(2026, 1, 3, 3, 4, tzinfo=datetime.UTC),
    )
    second.refresh_from_db()

    out, _ = run("list", "national")

    lines = out.splitlines()
    assert lines[0].split() == ["id", "made", "expires"]
    assert lines[2] == f"{api_token_id(first)}  2026-01-02 03:04  2026-01-03 03:04  (expired)"
    assert lines[1].startswith(f"{api_token_id(second)}  {second.created:%Y-%m-%d %H:%M}  ")
    assert len(lines) == 3
    for secret in (first_secret, second_secret):
        assert secret[:8] not in out
    assert run("list", "analyst")[0] == "analyst has no API tokens.\n"


def test_revoke_by_id_and_all(personas: Personas) -> None:
    one, one_secret = api_token_create(actor=None, user=personas.national)
    _, two_secret = api_token_create(actor=None, user=personas.national)
    _, three_secret = api_token_create(actor=None, user=personas.national)

    one_id = api_token_id(one)
    out_one, _ = run("revoke", "national", one_id)
    assert out_one == f"Revoked API token {one_id} of national.\n"
    assert [works(one_secret), works(two_secret), works(three_secret)] == [401, 200, 200]

    out_all, _ = run("revoke", "national", "--all")
    assert out_all == "Revoked 2 API token(s) of national.\n"
    assert [works(two_secret), works(three_secret)] == [401, 401]


def test_revoke_refuses_an_unknown_or_short_id_and_another_users_token(personas: Personas) -> None:
    theirs, _ = api_token_create(actor=None, user=personas.analyst)

    with pytest.raises(CommandError, match=re.escape("national has no API token with id 'aaaaaaaaaaaa'.")):
        run("revoke", "national", "a" * 12)
    with pytest.raises(
        CommandError, match=re.escape(f"national has no API token with id '{api_token_id(theirs)}'.")
    ):
        run("revoke", "national", api_token_id(theirs))
    with pytest.raises(CommandError, match=re.escape("A token id has 12 characters; 'abc' is shorter.")):
        run("revoke", "national", "abc")
    assert AuthToken.objects.count() == 1


def test_revoke_needs_an_id_or_all(personas: Personas) -> None:
    with pytest.raises(CommandError, match=re.escape("one of the arguments TOKEN_ID --all is required")):
        run("revoke", "national")


def test_an_inactive_user_gets_no_token(personas: Personas) -> None:
    personas.analyst.is_active = False
    personas.analyst.save(update_fields=["is_active"])

    with pytest.raises(
        CommandError, match=re.escape("analyst is not an active user and may not have a token.")
    ):
        run("create", "analyst")
    assert AuthToken.objects.count() == 0


def test_only_the_owner_or_a_system_administrator_revokes(personas: Personas) -> None:
    token, _ = api_token_create(actor=None, user=personas.analyst)

    with pytest.raises(PermissionDenied, match=re.escape("You may revoke only your own API tokens.")):
        api_token_revoke(actor=personas.national, token=token)
    with pytest.raises(PermissionDenied):
        api_tokens_revoke_all(actor=personas.national, user=personas.analyst)
    api_token_revoke(actor=personas.administrator, token=token)

    assert AuthToken.objects.count() == 0
    assert [(h.history_type, h.history_user) for h in AuthToken.history.order_by("history_id")] == [  # type: ignore[attr-defined]
        ("+", None),
        ("-", personas.administrator),
    ]


def test_a_period_under_a_minute_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationError, match=re.escape("A token must be valid for at least one minute.")):
        api_token_create(actor=None, user=personas.analyst, expires_in=datetime.timedelta(seconds=59))


def test_administration_lists_tokens_without_secret_and_may_not_add(personas: Personas) -> None:
    token, secret = api_token_create(actor=None, user=personas.analyst)
    personas.administrator.is_staff = True
    personas.administrator.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(personas.administrator)

    listing = client.get("/admin/knox/authtoken/")
    detail = client.get(f"/admin/knox/authtoken/{token.digest}/change/")
    add = client.get("/admin/knox/authtoken/add/")

    assert listing.status_code == 200
    assert api_token_id(token) in listing.content.decode()
    for page in (listing, detail):
        # Neither the token nor knox's lookup key (its start); the digest, a one-way hash, names the row.
        assert secret[:15] not in page.content.decode()
    assert detail.status_code == 200
    assert add.status_code == 403


def test_administration_revokes_with_the_administrator_as_author(personas: Personas) -> None:
    token, secret = api_token_create(actor=None, user=personas.analyst)
    personas.administrator.is_staff = True
    personas.administrator.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(personas.administrator)

    response = client.post(f"/admin/knox/authtoken/{token.digest}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert works(secret, "/api/v1/cadres/") == 401
    deleted = AuthToken.history.get(history_type="-")  # type: ignore[attr-defined]
    assert deleted.history_user == personas.administrator


@pytest.mark.parametrize("persona", ["national", "subnational", "focal_point", "analyst", "outsider"])
def test_administration_of_tokens_is_refused_to_other_roles(personas: Personas, persona: str) -> None:
    user = getattr(personas, persona)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)

    assert client.get("/admin/knox/authtoken/").status_code == 403


@pytest.mark.django_db(transaction=True)  # SQLite's schema editor cannot run inside a transaction
def test_drf_tokens_are_carried_hashed_and_keep_working(personas: Personas, settings: Any) -> None:
    """The migration: an old clear-text DRF token authenticates as before, expires after the set period,
    and its clear-text table is gone."""
    settings.SSWIS_API_TOKEN_TTL_DAYS = 10
    key = "0123456789abcdef0123456789abcdef01234567"  # DRF's format: 40 hexadecimal characters
    made = datetime.datetime(2025, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, created timestamp with time zone '
            "NOT NULL, user_id integer NOT NULL)"
            if connection.vendor == "postgresql"
            else 'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, created datetime NOT NULL, '
            "user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)", [key, made, personas.subnational.pk]
        )
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('authtoken', '0001_initial', %s)",
            [made],
        )
    migration = importlib.import_module("sswis.access.migrations.0003_api_tokens_hashed")
    before = timezone.now()

    with connection.schema_editor() as editor:
        migration.tokens_carry(apps, editor)

    [token] = AuthToken.objects.all()
    assert (token.user, token.created, token.token_key) == (personas.subnational, made, key[:15])
    assert (
        before + datetime.timedelta(days=10) <= token.expiry <= timezone.now() + datetime.timedelta(days=10)
    )
    assert works(key) == 200
    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone() == (0,)
