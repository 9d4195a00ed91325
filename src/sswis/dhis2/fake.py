"""A fake DHIS2 server for the tests and for trying a push: ``POST /api/dataValueSets`` answered with the
documented response shapes, in a thread on 127.0.0.1.

``mode`` chooses the answer:

* ``success`` — 200, the wrapped summary of 2.38+ (status ``SUCCESS``, every value imported);
* ``warning`` — 409, wrapped, status ``WARNING``: the values at ``reject`` (positions in the message) are
  rejected, each with a conflict naming it in ``indexes`` (the first two share one conflict), and listed
  in ``rejectedIndexes``; the others imported;
* ``error`` — 409, wrapped, status ``ERROR``, a conflict without indexes (an unknown data set), nothing
  imported;
* ``unauthorised`` — 401 (a wrong token), also given to any request without the expected token;
* ``server_error`` — 500 with an HTML page;
* ``slow`` — answers after ``delay`` seconds (a client with a shorter timeout times out);
* ``legacy`` — 200, the ImportSummary unwrapped (before 2.38), with the ``reject`` conflicts in the old
  form (``object``, ``value``, no indexes) and status ``WARNING`` when there are any.

Every request is kept (``requests``: method, path with query, headers, body) so that tests can read what
was sent. The number of values is read from the body (JSON ``dataValues`` or ADX ``dataValue``).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from lxml import etree


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


def _values_in(body: bytes, content_type: str) -> list[dict[str, str]]:
    if "adx" in content_type:
        root = etree.fromstring(body)
        return [dict(element.attrib) for element in root.iter("{urn:ihe:qrph:adx:2015}dataValue")]
    return list(json.loads(body).get("dataValues", []))


class FakeDhis2:
    """``with FakeDhis2(mode="success") as fake:`` serves at ``fake.url`` until the block ends."""

    def __init__(
        self,
        *,
        mode: str = "success",
        token: str = "d2pat_test_token",
        reject: Sequence[int] = (),
        delay: float = 0.0,
        port: int = 0,
    ) -> None:
        self.mode, self.token, self.reject, self.delay = mode, token, list(reject), delay
        self.requests: list[Received] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urllib.parse.urlsplit(self.path)
                fake.requests.append(
                    Received("POST", parts.path, urllib.parse.parse_qs(parts.query), dict(self.headers), body)
                )
                if parts.path != "/api/dataValueSets":
                    self._json(404, {"httpStatus": "Not Found", "httpStatusCode": 404, "status": "ERROR"})
                    return
                if (
                    fake.mode == "unauthorised"
                    or self.headers.get("Authorization") != f"ApiToken {fake.token}"
                ):
                    self._json(
                        401,
                        {
                            "httpStatus": "Unauthorized",
                            "httpStatusCode": 401,
                            "status": "ERROR",
                            "message": "Unauthorized",
                        },
                    )
                    return
                if fake.mode == "server_error":
                    self._send(500, b"<html><body>Internal Server Error</body></html>", "text/html")
                    return
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                count = len(_values_in(body, self.headers.get("Content-Type", "")))
                self._answer(count, dry_run=parse_dry_run(parts.query))

            def _answer(self, count: int, *, dry_run: bool) -> None:
                rejected = [i for i in fake.reject if i < count]
                imported = count - len(rejected)
                if fake.mode == "legacy":
                    self._json(200, fake.legacy_summary(imported=imported, rejected=rejected))
                elif fake.mode == "error":
                    summary = {
                        "responseType": "ImportSummary",
                        "status": "ERROR",
                        "importCount": {"imported": 0, "updated": 0, "ignored": count, "deleted": 0},
                        "conflicts": [
                            {
                                "object": "SSWdataSet1",
                                "value": "Data set not found or not accessible",
                                "errorCode": "E7600",
                            }
                        ],
                        "rejectedIndexes": [],
                    }
                    self._json(
                        409,
                        _wrapped(
                            409,
                            "Conflict",
                            "ERROR",
                            "An error occurred, please check import summary.",
                            summary,
                        ),
                    )
                elif rejected:
                    self._json(
                        409,
                        _wrapped(
                            409,
                            "Conflict",
                            "WARNING",
                            "One more conflicts encountered, please check import summary.",
                            fake.warning_summary(imported, rejected),
                        ),
                    )
                else:
                    summary = {
                        "responseType": "ImportSummary",
                        "status": "SUCCESS",
                        "importOptions": {"dryRun": dry_run},
                        "importCount": {"imported": imported, "updated": 0, "ignored": 0, "deleted": 0},
                        "conflicts": [],
                        "rejectedIndexes": [],
                    }
                    self._json(200, _wrapped(200, "OK", "OK", "Import was successful.", summary))

            def _json(self, status: int, document: Any) -> None:
                self._send(status, json.dumps(document).encode(), "application/json")

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread: threading.Thread | None = None

    def warning_summary(self, imported: int, rejected: list[int]) -> dict[str, Any]:
        conflicts: list[dict[str, Any]] = []
        if len(rejected) >= 2:
            conflicts.append(
                {
                    "object": "SSWcount001",
                    "objects": {"dataElement": "SSWcount001"},
                    "value": "Data element not found or not accessible",
                    "errorCode": "E7610",
                    "property": "dataElement",
                    "indexes": rejected[:2],
                }
            )
            rest = rejected[2:]
        else:
            rest = rejected
        conflicts.extend(
            {
                "object": "ImspTQPwCqd",
                "value": "Organisation unit not in hierarchy of current user",
                "errorCode": "E7617",
                "property": "orgUnit",
                "indexes": [index],
            }
            for index in rest
        )
        return {
            "responseType": "ImportSummary",
            "status": "WARNING",
            "importCount": {"imported": imported, "updated": 0, "ignored": len(rejected), "deleted": 0},
            "conflicts": conflicts,
            "rejectedIndexes": rejected,
        }

    def legacy_summary(self, *, imported: int, rejected: list[int]) -> dict[str, Any]:
        return {
            "responseType": "ImportSummary",
            "status": "WARNING" if rejected else "SUCCESS",
            "description": "Import process completed successfully",
            "importCount": {"imported": imported, "updated": 0, "ignored": len(rejected), "deleted": 0},
            "conflicts": [
                {"object": "SSWcount001", "value": "Data element not found or not accessible"}
                for _ in rejected[:1]
            ],
            "dataSetComplete": "false",
        }

    def __enter__(self) -> FakeDhis2:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.server.shutdown()
        self.server.server_close()


def parse_dry_run(query: str) -> bool:
    return urllib.parse.parse_qs(query).get("dryRun", ["false"])[0] == "true"


def _wrapped(
    code: int, http_status: str, status: str, message: str, summary: dict[str, Any]
) -> dict[str, Any]:
    return {
        "httpStatus": http_status,
        "httpStatusCode": code,
        "status": status,
        "message": message,
        "response": summary,
    }
