"""Every route of the URL configuration x every persona, against the table of ``tests/access/matrix.py``.

The data (``tests/access/world.py``) is created once for the module, inside a transaction rolled back at
its end; every request runs in a savepoint rolled back after it, so a write that should have been refused
but was not cannot change what the next case sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.access.matrix import DOC, MATRIX, PERSONAS, Row, markdown
from tests.access.routes import Route, all_routes, url_of
from tests.access.world import (
    CASE_FILE_MARKERS,
    MARKERS,
    NAME_FIELDS,
    NAMES_IN_SCOPE,
    PEOPLE_IN_SCOPE,
    SIDES,
    World,
    world_build,
)

ROUTES = all_routes()


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield world_build()
        transaction.set_rollback(True)


def outcome(response: Any) -> str:
    """A response as a matrix cell: its status code, or which kind of redirect it is."""
    if response.status_code != 302:
        return str(response.status_code)
    location = response["Location"]
    if location.startswith("/login/?next="):
        return "login"
    if location.startswith("/admin/login/?next="):
        return "admin-login"
    return "redirect"


def body_of(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def request(client: Client, method: str, url: str) -> Any:
    """One request, rolled back afterwards. Writes carry an empty body (JSON for the API)."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = client.generic(method, url, b"{}", content_type="application/json")
        else:
            response = client.generic(method, url, b"", content_type="application/x-www-form-urlencoded")
        body = body_of(response)
        transaction.set_rollback(True)
    return response, body


def test_every_route_has_a_row() -> None:
    """A new route cannot be added without deciding who may use it; a removed one leaves no stale row."""
    routes = {route.id for route in ROUTES}
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, (
        f"Routes without a row in tests/access/matrix.py (say who may use them): {', '.join(missing)}"
    )
    assert not stale, f"Rows of tests/access/matrix.py for routes that no longer exist: {', '.join(stale)}"


def test_the_document_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/access-matrix.md is out of date: run .venv/bin/python -m tests.access.matrix --write"
    )


# Every case in English and again in Arabic (right to left): what a reader may see must not depend on
# the language the pages speak.
LANGUAGES = ("en", "ar")

CASES = [
    pytest.param(
        route, persona, language, id=f"{route.variant(MATRIX[route.id].suffix)}-{persona}-{language}"
    )
    for route in ROUTES
    if route.id in MATRIX
    for persona in PERSONAS
    for language in LANGUAGES
]


@pytest.mark.parametrize(("route", "persona", "language"), CASES)
def test_route_as_persona(world: World, db: Any, route: Route, persona: str, language: str) -> None:
    entry: Row = MATRIX[route.id]
    column = PERSONAS.index(persona)
    client = Client(headers={"accept-language": language})
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    inside, outside = SIDES[persona]
    sides = ((inside, True), (outside, False)) if entry.object else ((inside, True),)
    forbidden = [
        marker
        for side in MARKERS
        if side not in PEOPLE_IN_SCOPE.get(persona, set())
        for marker in MARKERS[side][len(NAME_FIELDS) if side in NAMES_IN_SCOPE.get(persona, set()) else 0 :]
    ]
    problems = []
    for side, in_scope in sides:
        url = url_of(route, world.parameters(entry.object, side) | {"format": entry.suffix})
        checks = [("GET", entry.expected(entry.get[column], in_scope=in_scope))]
        checks += [
            (method, entry.expected(entry.write[column], in_scope=in_scope)) for method in entry.writes
        ]
        for method, expected in checks:
            if expected == "ok":
                continue
            response, body = request(client, method, url)
            got = outcome(response)
            if got != expected:
                problems.append(f"{method} {url}: expected {expected}, got {got}")
            leaked = [marker for marker in forbidden if marker in body]
            if leaked:
                problems.append(f"{method} {url}: the response names a person out of sight: {leaked}")
    assert not problems, f"{route.id} as {persona}:\n" + "\n".join(problems)


# Every route (and its API format variant) that reads a complaint, a list of them, or a registration (whose
# page lists its complaints).
CASE_LISTS = {"web:complaint_list", "api:regulation-complaints"}
CASE_READING_ROUTES = [
    route
    for route in ROUTES
    if route.id in MATRIX
    and (MATRIX[route.id].object in ("complaint", "registration") or route.id in CASE_LISTS)
]
CASE_PAGES = {"web:complaint_detail", "api:regulation-complaint"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_body_s_registrar_reads_the_complainant_and_the_case_file(
    world: World, db: Any, persona: str
) -> None:
    """The matrix checks the workers' markers; this, the complainants' and the case files': the registrar
    persona (C-north's registrar's office) receives north's on that complaint's page and API answer, and
    nowhere else; every other persona, the national data manager included, never any."""
    client = Client()
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    assert {route.id for route in CASE_READING_ROUTES} >= CASE_PAGES | CASE_LISTS
    problems = []
    for route in CASE_READING_ROUTES:
        entry = MATRIX[route.id]
        for side in ("north", "south"):
            url = url_of(route, world.parameters(entry.object, side) | {"format": entry.suffix})
            response, body = request(client, "GET", url)
            seen = [marker for markers in CASE_FILE_MARKERS.values() for marker in markers if marker in body]
            shown = persona == "registrar" and side == "north" and route.id in CASE_PAGES
            expected = list(CASE_FILE_MARKERS["north"]) if shown else []
            if seen != expected:
                problems.append(f"GET {url} ({response.status_code}): expected {expected}, got {seen}")
    assert not problems, f"as {persona}:\n" + "\n".join(problems)
