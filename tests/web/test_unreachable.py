"""The answer when the database cannot be reached (``DatabaseBusyMiddleware``, ``sswis.urls.server_error``):
503, a page that reads nothing from the database, JSON under ``/api/``; other errors stay what they are.
The same with a real server and a real database going away: ``tests/faults/test_database_gone.py``."""

from __future__ import annotations

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from sswis.urls import server_error
from sswis.web.middleware import DatabaseBusyMiddleware, database_unreachable


def _middleware() -> DatabaseBusyMiddleware:
    return DatabaseBusyMiddleware(lambda request: HttpResponse())


@pytest.mark.parametrize(
    "exception",
    [
        OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused'),
        OperationalError("terminating connection due to administrator command"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_database_out_of_reach_gives_the_503_page(exception: Exception) -> None:
    request = RequestFactory().get("/workers/")
    response = _middleware().process_exception(request, exception)
    assert response is not None and response.status_code == 503
    page = response.content.decode()
    assert "The database is not reachable" in page and "Nothing you sent was saved" in page
    assert str(exception) not in page and "Traceback" not in page
    assert response["Retry-After"] == "10"


@pytest.mark.django_db
def test_a_missing_table_is_a_fault_of_the_schema_not_a_database_out_of_reach() -> None:
    """In sswis's own database (its migration table is there) a missing table stays a server error; the
    moved SQLite file (an empty database opened in its place) is tested in tests/faults."""
    assert not database_unreachable(OperationalError("no such table: x"))


def test_the_api_gets_json() -> None:
    request = RequestFactory().get("/api/v1/workers/")
    response = _middleware().process_exception(request, OperationalError("server closed the connection"))
    assert response is not None and response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "not reachable" in json.loads(response.content)["detail"]


def test_the_page_speaks_the_users_language() -> None:
    request = RequestFactory().get("/workers/")
    with translation.override("fr"):
        response = _middleware().process_exception(request, OperationalError("gone"))
    assert response is not None and '<html lang="fr"' in response.content.decode()


def test_a_busy_lock_and_other_errors_are_not_taken_for_it() -> None:
    assert not database_unreachable(OperationalError("database is locked"))
    assert not database_unreachable(ValueError("a bug"))
    request = RequestFactory().get("/workers/")
    assert _middleware().process_exception(request, ValueError("a bug")) is None


def test_a_failure_before_any_view_is_answered_by_the_error_handler() -> None:
    request = RequestFactory().get("/")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and "not reachable" in response.content.decode()
    try:
        raise ValueError("a bug")
    except ValueError:
        api = server_error(RequestFactory().get("/api/v1/workers/"))
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
