"""Local stand-ins for KoboToolbox and ODK Central, serving payloads shaped as their documentation shows.

Each runs a threaded ``http.server`` on 127.0.0.1 at a free port, checks credentials like the real
server (401 without them), pages its submissions and records the requests it got.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeServer:
    url: str = ""
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (method, path with query, auth)
    broken: str = ""  # "malformed": answer text that is not JSON


def _handler(server: FakeServer, routes: Any) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
            pass

        def _answer(self, status: int, body: Any) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _handle(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            server.requests.append((method, self.path, self.headers.get("Authorization", "")))
            if server.broken == "malformed":
                self._answer(200, b"<html>Service unavailable</html>")
                return
            status, answer = routes(method, urllib.parse.urlsplit(self.path), self.headers, body)
            if status in (301, 302, 307, 308):  # answer: where to
                self.send_response(status)
                self.send_header("Location", answer)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._answer(status, answer)

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler


@contextmanager
def _serve(
    server: FakeServer, routes: Any, *, handler: Any = None, host: str = "127.0.0.1"
) -> Iterator[FakeServer]:
    """Run ``handler`` (default: one answering from ``routes``) on a free port of ``host`` while in use."""
    httpd = ThreadingHTTPServer((host, 0), handler or _handler(server, routes))
    server.url = f"http://{host}:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


KOBO_TOKEN = "kobo-secret-token"
KOBO_MAX_LIMIT = 2  # the server caps the page size (Kobo caps it too), so paging is exercised


@contextmanager
def kobo_server(*, assets: dict[str, list[dict[str, Any]]]) -> Iterator[FakeServer]:
    """``GET /api/v2/assets/{uid}/data/?format=json&start=&limit=`` -> ``{count, next, previous, results}``."""
    server = FakeServer()

    def routes(method: str, url: urllib.parse.SplitResult, headers: Any, body: bytes) -> tuple[int, Any]:
        if url.path.startswith("/moved/"):  # the same server under its old path: a permanent redirect
            return 301, f"{url.path.removeprefix('/moved')}?{url.query}"
        if headers.get("Authorization") != f"Token {KOBO_TOKEN}":
            return 401, {"detail": "Authentication credentials were not provided."}
        parts = url.path.strip("/").split("/")
        if method != "GET" or len(parts) != 5 or parts[:3] != ["api", "v2", "assets"] or parts[4] != "data":
            return 404, {"detail": "Not found."}
        records = assets.get(parts[3])
        if records is None:
            return 404, {"detail": "Not found."}
        query = dict(urllib.parse.parse_qsl(url.query))
        start = int(query.get("start", 0))
        limit = min(int(query.get("limit", 100)), KOBO_MAX_LIMIT)

        def page(at: int) -> str | None:
            if at < 0 or at >= len(records):
                return None
            return f"{server.url}{url.path}?format=json&limit={limit}&start={at}"

        return 200, {
            "count": len(records),
            "next": page(start + limit),
            "previous": page(start - limit) if start else None,
            "results": records[start : start + limit],
        }

    with _serve(server, routes) as running:
        yield running


CENTRAL_EMAIL = "manager@example.org"
CENTRAL_PASSWORD = "central-password"
CENTRAL_TOKEN = "lSpAIeksRu1CNZs7!qjAot2T17dPzkrw9B4iTtpj7OoIJBmXvnHM8z8Ka4QPEjR7"


@contextmanager
def central_server(
    *, forms: dict[tuple[int, str], list[dict[str, Any]]], page_size: int = 2
) -> Iterator[FakeServer]:
    """``POST /v1/sessions`` -> ``{token, expiresAt, createdAt}``; the OData ``Submissions`` table ->
    ``{"@odata.context", "@odata.count"?, "value", "@odata.nextLink"?}`` paged by ``$top``/``$skiptoken``."""
    server = FakeServer()

    def routes(method: str, url: urllib.parse.SplitResult, headers: Any, body: bytes) -> tuple[int, Any]:
        if method == "POST" and url.path == "/v1/sessions":
            login = json.loads(body or b"{}")
            if login.get("email") == CENTRAL_EMAIL and login.get("password") == CENTRAL_PASSWORD:
                return 200, {
                    "createdAt": "2025-03-01T10:00:00.000Z",
                    "expiresAt": "2025-03-02T10:00:00.000Z",
                    "token": CENTRAL_TOKEN,
                }
            return 401, {"code": 401.2, "message": "Could not authenticate with the provided credentials."}
        if headers.get("Authorization") != f"Bearer {CENTRAL_TOKEN}":
            return 401, {"code": 401.2, "message": "Could not authenticate with the provided credentials."}
        parts = url.path.strip("/").split("/")
        if (
            method != "GET"
            or len(parts) != 6
            or parts[:2] != ["v1", "projects"]
            or parts[3] != "forms"
            or not parts[4].endswith(".svc")
            or parts[5] != "Submissions"
        ):
            return 404, {"code": 404.1, "message": "Could not find the resource you were looking for."}
        records = forms.get((int(parts[2]), urllib.parse.unquote(parts[4].removesuffix(".svc"))))
        if records is None:
            return 404, {"code": 404.1, "message": "Could not find the resource you were looking for."}
        query = dict(urllib.parse.parse_qsl(url.query))
        top = min(int(query.get("$top", page_size)), page_size)  # the server caps the page size
        skip = 0
        if "$skiptoken" in query:
            skip = json.loads(base64.b64decode(query["$skiptoken"][2:]))["skip"]
        answer: dict[str, Any] = {
            "@odata.context": f"{server.url}/v1/projects/{parts[2]}/forms/{parts[4]}/$metadata#Submissions",
            "value": records[skip : skip + top],
        }
        if query.get("$count", "").lower() == "true":
            answer["@odata.count"] = len(records)
        if skip + top < len(records):
            token = "01" + base64.b64encode(json.dumps({"skip": skip + top}).encode()).decode()
            answer["@odata.nextLink"] = (
                f"{server.url}{url.path}?%24top={top}&%24count=true&%24skiptoken={urllib.parse.quote(token)}"
            )
        return 200, answer

    with _serve(server, routes) as running:
        yield running


@contextmanager
def redirecting_server(*, to: str, host: str = "127.0.0.1") -> Iterator[FakeServer]:
    """Answers every request with ``302 Found`` to ``to`` + the request's path (a moved or hostile server)."""
    server = FakeServer()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            server.requests.append(("GET", self.path, self.headers.get("Authorization", "")))
            self.send_response(302)
            self.send_header("Location", f"{to}{self.path}")
            self.send_header("Content-Length", "0")
            self.end_headers()

    with _serve(server, None, handler=Handler, host=host) as running:
        yield running
