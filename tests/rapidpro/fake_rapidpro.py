"""A local stand-in for RapidPro's broadcasts API (``POST /api/v2/broadcasts.json``), answering as its
documentation shows: 201 with the broadcast created (``id``, ``urns``, ``contacts``, ``groups``, ``text``,
``created_on``); 400 with the field's errors (more than 100 URNs, no text, no recipients); 401 without the
right ``Authorization: Token <key>``. It records every broadcast it got."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY = "rapidpro-api-key-for-tests"


@dataclass
class FakeRapidPro:
    url: str = ""
    key: str = KEY
    broadcasts: list[dict[str, Any]] = field(default_factory=list)  # the bodies of the 201s
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Authorization)
    refuse_from: int | None = None  # answer 400 from this broadcast on (0: the first)


def _handler(server: FakeRapidPro) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            server.requests.append((self.path, self.headers.get("Authorization", "")))
            if self.path != "/api/v2/broadcasts.json":
                self._answer(404, {"detail": "Not found."})
                return
            if self.headers.get("Authorization") != f"Token {server.key}":
                self._answer(401, {"detail": "Invalid token"})
                return
            data = json.loads(body)
            urns, text = data.get("urns") or [], data.get("text")
            if server.refuse_from is not None and len(server.broadcasts) >= server.refuse_from:
                self._answer(400, {"non_field_errors": ["Must provide either urns, contacts or groups."]})
                return
            if len(urns) > 100:
                self._answer(400, {"urns": ["Ensure this field has no more than 100 elements."]})
                return
            if not text:
                self._answer(400, {"text": ["This field is required."]})
                return
            broadcast = {
                "id": 1000 + len(server.broadcasts),
                "urns": urns,
                "contacts": [],
                "groups": [],
                "text": text,
                "created_on": "2025-06-03T09:00:00.000000Z",
            }
            server.broadcasts.append(broadcast)
            self._answer(201, broadcast)

    return Handler


@contextmanager
def fake_rapidpro(**options: Any) -> Iterator[FakeRapidPro]:
    server = FakeRapidPro(**options)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
