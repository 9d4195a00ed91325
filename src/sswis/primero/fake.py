"""A fake Primero server for the tests, the benchmark and trying the sync on the demo country: it answers
the documented Primero API v2 shapes (``docs/support.md``, "Caseloads from Primero") from a list of open
cases' owners, in a thread on 127.0.0.1.

* ``POST /api/v2/tokens`` ``{"user": {"user_name", "password"}}``: 200, ``{"user_name"}`` and the token in the
  ``Authorization: Bearer ...`` header; 401 ``{"error": "Invalid User name or password."}``. With
  ``tokens=False`` 404 (a server asked with HTTP Basic).
* ``GET /api/v2/cases?...&per=N&page=P``: ``{"data": [{"id", "owned_by"}], "metadata": {"total", "per",
  "page"}}`` with the bearer token (or HTTP Basic); 401 ``{"errors": [...]}`` without.
* ``failures`` makes page P fail: ``"500"`` (HTTP 500), ``"missing"`` (HTTP 404), ``"malformed"`` (not
  JSON), ``"shape"`` (JSON without ``data``), ``"short"`` (one case fewer).

Pages are made once and kept (``recorded``), so that serving them costs what reading recorded pages does.
"""

from __future__ import annotations

import base64
import json
import random
import secrets
import threading
import urllib.parse
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


class FakePrimero:
    """``with FakePrimero(owners=[...]) as fake:`` serves at ``fake.url`` until the block ends."""

    def __init__(
        self,
        *,
        owners: Sequence[str | None],
        user_name: str = "sync",
        password: str = "sync-password",
        tokens: bool = True,
        failures: dict[int, str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.owners = list(owners)
        self.host = host
        self.user_name, self.password, self.tokens = user_name, password, tokens
        self.failures = dict(failures or {})
        self.token = secrets.token_urlsafe(24)
        self.requests: list[str] = []  # "METHOD path" of every request, in order
        self.recorded: dict[tuple[int, int], bytes] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return None

            def do_POST(self) -> None:
                fake.requests.append(f"POST {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if urllib.parse.urlsplit(self.path).path != "/api/v2/tokens" or not fake.tokens:
                    self._json(404, {"errors": [{"code": 404, "message": "Not Found"}]})
                    return
                try:
                    user = json.loads(body)["user"]
                    valid = user["user_name"] == fake.user_name and user["password"] == fake.password
                except (ValueError, KeyError, TypeError):
                    valid = False
                if not valid:
                    self._json(401, {"error": "Invalid User name or password."})
                    return
                self._json(200, {"user_name": fake.user_name}, {"Authorization": f"Bearer {fake.token}"})

            def do_GET(self) -> None:
                fake.requests.append(f"GET {self.path}")
                parts = urllib.parse.urlsplit(self.path)
                if parts.path != "/api/v2/cases":
                    self._json(404, {"errors": [{"code": 404, "message": "Not Found"}]})
                    return
                if not fake.authorised(self.headers.get("Authorization", "")):
                    self._json(
                        401,
                        {"errors": [{"code": 401, "resource": "/api/v2/cases", "message": "Unauthorized"}]},
                    )
                    return
                query = dict(urllib.parse.parse_qsl(parts.query))
                per = min(1000, max(1, int(query.get("per", 20))))
                page = max(1, int(query.get("page", 1)))
                failure = fake.failures.get(page)
                if failure == "500":
                    self._json(500, {"errors": [{"code": 500, "message": "Internal Server Error"}]})
                elif failure == "missing":
                    self._json(404, {"errors": [{"code": 404, "message": "Not Found"}]})
                elif failure == "malformed":
                    self._send(200, b'{"data": [{"id": "1", "owned_by": ', {})
                elif failure == "shape":
                    self._json(200, {"records": []})
                else:
                    self._send(200, fake.page(per=per, page=page, short=failure == "short"), {})

            def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                self._send(status, json.dumps(body).encode(), headers or {})

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.server.server_address[1]}"

    def authorised(self, header: str) -> bool:
        if header == f"Bearer {self.token}" and self.tokens:
            return True
        expected = base64.b64encode(f"{self.user_name}:{self.password}".encode()).decode("ascii")
        return header == f"Basic {expected}"

    def page(self, *, per: int, page: int, short: bool = False) -> bytes:
        """Page ``page`` of ``per`` cases as Primero answers it (made once, then served as recorded)."""
        if (per, page) not in self.recorded or short:
            start = (page - 1) * per
            owners = self.owners[start : start + per]
            if short:
                owners = owners[:-1]
            data = [
                {"id": f"case-{start + index + 1:08d}", "owned_by": owner}
                for index, owner in enumerate(owners)
            ]
            body = json.dumps(
                {"data": data, "metadata": {"total": len(self.owners), "per": per, "page": page}}
            ).encode()
            if short:
                return body
            self.recorded[(per, page)] = body
        return self.recorded[(per, page)]

    def start(self) -> FakePrimero:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakePrimero:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def open_cases_of_named_workers(*, seed: int = 13) -> list[str | None]:
    """Open cases for a fake Primero on the demo country: 0 to 25 (seeded) for every worker with a Primero
    user name, 7 of ``former.caseworker`` and 3 of ``intake.desk`` (accounts no worker carries), and one
    case without an owner; shuffled."""
    from sswis.registry.models import Worker

    picker = random.Random(seed)
    owners: list[str | None] = []
    named = (
        Worker.objects.exclude(primero_user_name="")
        .order_by("pk")
        .values_list("primero_user_name", flat=True)
    )
    for user_name in named:
        owners += [user_name] * picker.randint(0, 25)
    owners += ["former.caseworker"] * 7 + ["intake.desk"] * 3 + [None]
    picker.shuffle(owners)
    return owners
