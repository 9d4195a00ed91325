"""Token and session authentication; login lockout (django-axes) applies to the token endpoint."""

from __future__ import annotations

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import Personas

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory


def test_token_is_obtained_with_username_and_password_and_authenticates(personas: Personas) -> None:
    response = APIClient().post(TOKEN_URL, {"username": "analyst", "password": PASSWORD}, format="json")

    assert response.status_code == 200, response.content
    token = response.json()["token"]
    assert token == Token.objects.get(user=personas.analyst).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cadres/").status_code == 200
    assert client.get("/api/v1/workers/").status_code == 403  # the analyst's role still applies


def test_the_same_token_is_returned_again(personas: Personas) -> None:
    first = APIClient().post(TOKEN_URL, {"username": "north", "password": PASSWORD}, format="json")
    second = APIClient().post(TOKEN_URL, {"username": "north", "password": PASSWORD}, format="json")

    assert first.json() == second.json()


def test_wrong_password_gets_no_token(personas: Personas) -> None:
    response = APIClient().post(TOKEN_URL, {"username": "analyst", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with the username and password given."]}
    assert Token.objects.count() == 0


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
    assert Token.objects.count() == 0


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
