"""Token and session authentication; login lockout (django-axes) applies to the token endpoint."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from sswis.access.services import api_token_create
from tests.conftest import Personas

TOKEN_URL = "/api/v1/auth/token/"
REVOKE_URL = "/api/v1/auth/token/revoke/"
REVOKE_ALL_URL = "/api/v1/auth/token/revoke-all/"
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory


def test_token_is_obtained_with_username_and_password_and_authenticates(personas: Personas) -> None:
    before = timezone.now()
    response = APIClient().post(TOKEN_URL, {"username": "analyst", "password": PASSWORD}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted(body) == ["expiry", "token"]
    token = body["token"]
    stored = AuthToken.objects.get(user=personas.analyst)
    # Only the digest is kept; the token itself is nowhere in the database.
    assert (len(token), stored.digest) == (64, hashlib.sha512(token.encode()).hexdigest())
    assert token not in {stored.digest, stored.token_key}
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    assert expiry == stored.expiry
    assert before + datetime.timedelta(days=30) <= expiry <= timezone.now() + datetime.timedelta(days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cadres/").status_code == 200
    assert client.get("/api/v1/workers/").status_code == 403  # the analyst's role still applies


def test_each_request_makes_a_new_token_and_both_work(personas: Personas) -> None:
    first = APIClient().post(TOKEN_URL, {"username": "north", "password": PASSWORD}, format="json").json()
    second = APIClient().post(TOKEN_URL, {"username": "north", "password": PASSWORD}, format="json").json()

    assert first["token"] != second["token"]
    assert AuthToken.objects.filter(user=personas.subnational).count() == 2
    for token in (first["token"], second["token"]):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/v1/workers/").status_code == 200


def test_token_lifetime_follows_the_setting(personas: Personas, settings: Any) -> None:
    settings.SSWIS_API_TOKEN_TTL_DAYS = 2
    before = timezone.now()

    body = APIClient().post(TOKEN_URL, {"username": "north", "password": PASSWORD}, format="json").json()

    expiry = datetime.datetime.fromisoformat(body["expiry"])
    assert before + datetime.timedelta(days=2) <= expiry <= timezone.now() + datetime.timedelta(days=2)


def test_an_expired_token_is_refused_and_deleted(personas: Personas) -> None:
    token, secret = api_token_create(actor=None, user=personas.national)
    AuthToken.objects.filter(digest=token.digest).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    response = client.get("/api/v1/workers/")

    assert (response.status_code, response.json()) == (401, {"detail": "Invalid token."})
    assert AuthToken.objects.count() == 0


def test_revoke_ends_the_token_in_use_only(personas: Personas) -> None:
    _, kept = api_token_create(actor=None, user=personas.national)
    _, revoked = api_token_create(actor=None, user=personas.national)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {revoked}")

    response = client.post(REVOKE_URL)

    assert response.status_code == 204
    assert client.get("/api/v1/workers/").status_code == 401
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {kept}")
    assert other.get("/api/v1/workers/").status_code == 200
    assert AuthToken.objects.filter(user=personas.national).count() == 1
    # The audit trail says who revoked which token.
    [deleted] = AuthToken.history.filter(history_type="-")  # type: ignore[attr-defined]
    assert (deleted.digest, deleted.history_user) == (
        hashlib.sha512(revoked.encode()).hexdigest(),
        personas.national,
    )


def test_revoke_needs_a_token_not_a_session(personas: Personas) -> None:
    api_token_create(actor=None, user=personas.national)
    client = APIClient()
    client.force_login(personas.national)

    response = client.post(REVOKE_URL)

    assert response.status_code == 401
    assert AuthToken.objects.count() == 1


def test_revoke_all_ends_every_token_of_the_user_and_no_one_elses(personas: Personas) -> None:
    _, mine = api_token_create(actor=None, user=personas.national)
    api_token_create(actor=None, user=personas.national)
    api_token_create(actor=None, user=personas.national)
    _, theirs = api_token_create(actor=None, user=personas.analyst)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {mine}")

    response = client.post(REVOKE_ALL_URL)

    assert (response.status_code, response.json()) == (200, {"revoked": 3})
    assert client.get("/api/v1/workers/").status_code == 401
    assert list(AuthToken.objects.values_list("user__username", flat=True)) == ["analyst"]
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {theirs}")
    assert other.get("/api/v1/cadres/").status_code == 200


def test_revoke_all_by_session_needs_csrf(personas: Personas) -> None:
    api_token_create(actor=None, user=personas.outsider)  # no role is needed to revoke one's own tokens
    api_token_create(actor=None, user=personas.outsider)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(personas.outsider)
    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf

    refused = client.post(REVOKE_ALL_URL)
    counted = AuthToken.objects.count()
    accepted = client.post(REVOKE_ALL_URL, headers={"X-CSRFToken": csrf})

    assert (refused.status_code, counted) == (403, 2)
    assert (accepted.status_code, accepted.json(), AuthToken.objects.count()) == (200, {"revoked": 2}, 0)


def test_revoking_without_credentials_is_401(personas: Personas) -> None:
    assert APIClient().post(REVOKE_URL).status_code == 401
    assert APIClient().post(REVOKE_ALL_URL).status_code == 401


def test_wrong_password_gets_no_token(personas: Personas) -> None:
    response = APIClient().post(TOKEN_URL, {"username": "analyst", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with the username and password given."]}
    assert AuthToken.objects.count() == 0


def test_missing_fields_are_named(personas: Personas) -> None:
    response = APIClient().post(TOKEN_URL, {}, format="json")

    assert response.status_code == 400
    assert sorted(response.json()) == ["password", "username"]


def test_inactive_user_gets_no_token(personas: Personas) -> None:
    personas.analyst.is_active = False
    personas.analyst.save()

    response = APIClient().post(TOKEN_URL, {"username": "analyst", "password": PASSWORD}, format="json")

    assert response.status_code == 400


def test_lockout_after_five_failures_refuses_even_the_right_password(personas: Personas) -> None:
    client = APIClient()
    failures = [
        client.post(TOKEN_URL, {"username": "national", "password": f"guess {n}"}, format="json").status_code
        for n in range(5)
    ]

    response = client.post(TOKEN_URL, {"username": "national", "password": PASSWORD}, format="json")

    # The fifth failure reaches AXES_FAILURE_LIMIT and is already answered with the lockout.
    assert failures == [400, 400, 400, 400, 429]
    assert response.status_code == 429
    assert AuthToken.objects.count() == 0


def test_invalid_token_is_refused(personas: Personas) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    assert client.get("/api/v1/cadres/").status_code == 401


def test_session_authentication_works_and_needs_csrf_for_writes(personas: Personas) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(personas.national)

    read = client.get("/api/v1/cadres/")
    write = client.post(
        "/api/v1/cadres/", {"code": "PO", "name": "P", "category": "professional"}, format="json"
    )

    assert read.status_code == 200
    assert write.status_code == 403
    assert "CSRF" in write.json()["detail"]


def test_page_size_parameter_is_capped(personas: Personas) -> None:
    client = APIClient()
    client.force_authenticate(user=personas.analyst)

    one = client.get("/api/v1/locations/?page_size=1").json()
    capped = client.get("/api/v1/locations/?page_size=100000").json()

    assert (one["count"], len(one["results"]), one["next"] is not None) == (6, 1, True)
    assert (capped["count"], len(capped["results"]), capped["next"]) == (6, 6, None)


def test_api_root_lists_resources_for_users_with_a_role_only(personas: Personas) -> None:
    def status_for(user: object) -> int:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return int(client.get("/api/v1/").status_code)

    analyst = APIClient()
    analyst.force_authenticate(user=personas.analyst)
    links = analyst.get("/api/v1/").json()

    assert sorted(links) == [
        "assignments",
        "cadres",
        "imports",
        "locations",
        "organisations",
        "population",
        "posts",
        "survey-rounds",
        "workers",
    ]
    assert (status_for(personas.outsider), status_for(None)) == (403, 401)
