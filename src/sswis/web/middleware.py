"""Middleware of the pages and the API: the signed-in user's language, refusing unprintable text in
addresses, and telling the user plainly when the embedded SQLite database is busy, instead of a server
error.

``UserLanguageMiddleware``: the language a signed-in user chose (``access.UserLanguage``) wins over the
browser's cookie and ``Accept-Language`` (``LocaleMiddleware``, before it). It is read from the session
(put there at login and when chosen), so no page makes a query for it.

``UnprintableRequestMiddleware``: the path and every query parameter (name and value) of every request
(pages, API, administration) are held to the text rule of ``sswis.text``; a request breaking it is
refused with 400 before any view runs, with a message naming the parameter and the character (JSON for
``/api/``, an OperationOutcome for ``/fhir/``). So no search, filter or code in a URL can carry a control character into a query or a page.

``DatabaseBusyMiddleware``:
On SQLite an import holds the database's write lock for its whole run (it is one transaction). Another
write waits up to the busy timeout (10 s, ``settings.DATABASES``) and then fails with "database is
locked". That is not a fault of the page: the user gets a short page saying so (503, ``Retry-After``)
rather than a 500; API requests (``/api/``) get the same as JSON. PostgreSQL has no such lock; there
this never triggers.

It also turns a database that cannot be reached (the server stopped or restarting, the connection cut,
the SQLite file gone) into a short page saying so (503, ``Retry-After``; JSON for ``/api/``), with no
traceback, instead of a server error; the error is logged. Django closes a connection that failed at the
end of the request, and PostgreSQL connections are checked before each request
(``CONN_HEALTH_CHECKS``), so the next request connects afresh and works once the database is back. A
failure before any view runs (loading the session) is answered the same way by ``server_error``, the
site's handler of server errors (``sswis.urls``). See docs/resilience.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from sswis.text import text_problem, text_problem_message

RETRY_AFTER_SECONDS = 30
UNREACHABLE_RETRY_SECONDS = 10

logger = logging.getLogger(__name__)

SESSION_LANGUAGE_KEY = "sswis_language"
"""The session key of the signed-in user's chosen language (``UserLanguageMiddleware``)."""


class UserLanguageMiddleware:
    """Activate the language the signed-in user chose, if any (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # A visitor without a session cookie has nothing to read: no session is loaded for them.
        chosen = session.get(SESSION_LANGUAGE_KEY) if session is not None and session.session_key else None
        if chosen and translation.check_for_language(chosen):
            translation.activate(chosen)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def request_text_problems(request: HttpRequest) -> dict[str, list[str]]:
    """Parameter -> messages for the path and query parameters of ``request`` that break the text rule."""
    problems: dict[str, list[str]] = {}
    refused = text_problem(request.path)
    if refused is not None:
        problems["path"] = [text_problem_message(label=_("The address"), problem=refused)]
    for name, values in request.GET.lists():
        refused = text_problem(name)
        if refused is not None:
            label = _("The name of a query parameter")
            problems.setdefault("query", []).append(text_problem_message(label=label, problem=refused))
            continue
        for value in values:
            refused = text_problem(value)
            if refused is not None:
                problems.setdefault(name, []).append(text_problem_message(label=name, problem=refused))
    return problems


class UnprintableRequestMiddleware:
    """Refuse (400) a request whose path or query string holds a character the text rule refuses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problems = request_text_problems(request)
        if not problems:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(problems, status=400)
        messages = [message for found in problems.values() for message in found]
        if request.path.startswith("/fhir/"):  # a FHIR client reads an OperationOutcome
            issues = [
                {"severity": "error", "code": "invalid", "diagnostics": message} for message in messages
            ]
            body = {"resourceType": "OperationOutcome", "issue": issues}
            return JsonResponse(body, status=400, content_type="application/fhir+json; charset=utf-8")
        return render(request, "web/bad_request.html", {"problems": messages}, status=400)


def database_unreachable(exception: BaseException) -> bool:
    """Whether ``exception`` says the database cannot be reached or used right now (not a busy SQLite
    lock, which has its own page): a connection refused or cut, a database not accepting connections, an
    SQLite file gone (SQLite then opens an empty one: "no such table" in a database without Django's
    migration table; a table missing from sswis's own database is a fault of the schema, not this)."""
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError) or "database is locked" in str(exception):
        return False
    if "no such table" in str(exception) or "no such column" in str(exception):
        # A fault of the schema (a migration not applied) stays a server error, unless the SQLite file
        # itself is gone: SQLite then opened an empty database in its place.
        return _sqlite_database_replaced()
    return True


def _sqlite_database_replaced() -> bool:
    """Whether the SQLite database now open is not sswis's (it has no migration table at all)."""
    if connection.vendor != "sqlite":
        return False
    try:
        return "django_migrations" not in connection.introspection.table_names()
    except DatabaseError:
        return True


def database_unreachable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer when the database cannot be reached: a page that reads nothing from the database
    (not even the signed-in user), or JSON under ``/api/``."""
    if request.path.startswith("/api/"):
        detail = _("The database is not reachable. Nothing was saved; try again in a moment.")
        response: HttpResponse = JsonResponse({"detail": detail}, status=503)
    else:
        # Without the request's context processors: they would read the signed-in user and their scope.
        context = {
            "LANGUAGE_CODE": translation.get_language(),
            "LANGUAGE_BIDI": translation.get_language_bidi(),
            "retry_path": request.get_full_path(),
        }
        response = HttpResponse(render_to_string("web/unreachable.html", context), status=503)
    response["Retry-After"] = str(UNREACHABLE_RETRY_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """The busy database and the database out of reach: short 503 answers (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if database_unreachable(exception):
            logger.error("The database is not reachable: %s", exception, exc_info=exception)
            return database_unreachable_response(request)
        if not (isinstance(exception, OperationalError) and "database is locked" in str(exception)):
            return None
        if request.path.startswith("/api/"):
            detail = "The database is busy with an import; try again in a moment."
            response: HttpResponse = JsonResponse({"detail": detail}, status=503)
        else:
            response = render(request, "web/busy.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
