"""Telling the user plainly when the embedded SQLite database is busy, instead of a server error.

On SQLite an import holds the database's write lock for its whole run (it is one transaction). Another
write waits up to the busy timeout (10 s, ``settings.DATABASES``) and then fails with "database is
locked". That is not a fault of the page: the user gets a short page saying so (503, ``Retry-After``)
rather than a 500; API requests (``/api/``) get the same as JSON. PostgreSQL has no such lock; there
this never triggers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

RETRY_AFTER_SECONDS = 30


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not (isinstance(exception, OperationalError) and "database is locked" in str(exception)):
            return None
        if request.path.startswith("/api/"):
            detail = "The database is busy with an import; try again in a moment."
            response: HttpResponse = JsonResponse({"detail": detail}, status=503)
        else:
            response = render(request, "web/busy.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
