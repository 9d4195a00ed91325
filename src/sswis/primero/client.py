"""Reading Primero's open cases over HTTP (Primero API v2), with the standard library only.

* Authentication: ``POST /api/v2/tokens`` with ``{"user": {"user_name", "password"}}`` answers 200 with the
  JWT in its ``Authorization: Bearer ...`` header (valid 60 minutes, long enough for a sync); a server
  without the token endpoint (404, 405) or whose answer carries no token is asked with HTTP Basic instead.
  401 there is a refused user name or password.
* The cases: ``GET /api/v2/cases?status=open&record_state=true&fields=owned_by&per=1000&page=N`` answers
  ``{"data": [{"id", "owned_by", ...}], "metadata": {"total", "per", "page"}}``; pages are read until
  ``ceil(total / per)`` pages are in. Every page must be the documented shape, and the cases read must be
  the ``total`` the first page announced, each case once: a page missing, malformed or shifted (cases
  opened or closed during the sync) is an error, so that a sync writes from a complete count or not at all.

The credentials are sent to the given server only: redirects are never followed (a redirect to another
address would carry the token or the password there), and the address is shown and kept without any
``user:password@`` typed into it (``url_without_credentials``). Errors are :class:`PrimeroError` with a
sentence for the user.
"""

from __future__ import annotations

import base64
import json
import math
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sswis.surveys.submissions import url_without_credentials

PER_PAGE = 1000
"""Primero's largest page."""
TIMEOUT_SECONDS = 120
MAX_PAGE_BYTES = 64 * 1024 * 1024
"""A page of 1,000 cases with ``fields=owned_by`` is some 100 KB; anything near this is not such a page."""
MAX_PAGES = 100_000
"""100 million open cases: more pages than that is a server repeating itself."""


class PrimeroError(Exception):
    """The open cases could not be read; ``message`` says why in plain words (never a credential)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class OpenCases:
    """What Primero gave: the open cases per owner (``owned_by``), how many cases had no owner, the pages."""

    by_owner: Counter[str] = field(default_factory=Counter)
    without_owner: int = 0
    total: int = 0
    pages: int = 0


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        raise PrimeroError(
            _(
                "Primero at %(server)s redirected the request to %(target)s; it was not followed, so that "
                "the credentials are not sent anywhere else. Give the server's own address (often https://)."
            )
            % {"server": url_without_credentials(req.full_url), "target": url_without_credentials(newurl)}
        )


_OPENER = urllib.request.build_opener(_NoRedirects())


def server_address(url: str) -> str:
    """The server's address as given, checked, without credentials or query, and without a trailing slash
    (``https://primero.example/``, ``https://host/primero``): ``PrimeroError`` when it is no web address."""
    parts = urllib.parse.urlsplit(url_without_credentials(url.strip()))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PrimeroError(
            _("The Primero address %(url)s must start with https:// (or http://) and name a server.")
            % {"url": url_without_credentials(url.strip()) or '""'}
        )
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


Opener = Callable[[urllib.request.Request], Any]


@dataclass
class PrimeroClient:
    """A service account's session with the Primero server at ``server`` (see :func:`server_address`)."""

    server: str
    user_name: str
    password: str
    authorization: str = ""

    def _open(self, request: urllib.request.Request) -> tuple[int, Any, bytes]:
        """Status, headers and body of ``request``; ``PrimeroError`` for an unreachable server. HTTP error
        statuses come back as such (the callers say what they mean)."""
        try:
            with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
                return response.status, response.headers, response.read(MAX_PAGE_BYTES + 1)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read(MAX_PAGE_BYTES + 1)
        except PrimeroError:
            raise
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise PrimeroError(
                _("Primero at %(server)s could not be reached: %(reason)s.")
                % {"server": self.server, "reason": reason}
            ) from error

    def _basic(self) -> str:
        pair = f"{self.user_name}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def authenticate(self) -> str:
        """Get a token (``POST /api/v2/tokens``), else settle for HTTP Basic; returns which (``token`` or
        ``basic``). ``PrimeroError`` when the server refuses the user name or password."""
        body = json.dumps({"user": {"user_name": self.user_name, "password": self.password}}).encode()
        request = urllib.request.Request(
            f"{self.server}/api/v2/tokens",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        status, headers, _body = self._open(request)
        if status == 401:
            raise PrimeroError(self._refused())
        token = (headers.get("Authorization") or "") if status in (200, 201) else ""
        if token.lower().startswith("bearer ") and len(token) > len("bearer "):
            self.authorization = token
            return "token"
        if status in (200, 201, 404, 405, 501):
            # No token endpoint (or no token in its answer): this server is asked with HTTP Basic.
            self.authorization = self._basic()
            return "basic"
        raise PrimeroError(
            _("Primero at %(server)s answered HTTP %(status)s when asked for a token.")
            % {"server": self.server, "status": status}
        )

    def _refused(self) -> str:
        return _(
            "Primero at %(server)s refused the user name or password (HTTP 401): check "
            "SSWIS_PRIMERO_USERNAME and SSWIS_PRIMERO_PASSWORD, and that this account may read cases."
        ) % {"server": self.server}

    def cases_page(self, page: int, *, per: int = PER_PAGE) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Page ``page`` of the open cases: its cases and its ``metadata`` (``total``, ``per``, ``page``),
        checked to be the documented shape."""
        query = urllib.parse.urlencode(
            {"status": "open", "record_state": "true", "fields": "owned_by", "per": per, "page": page}
        )
        url = f"{self.server}/api/v2/cases?{query}"
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        request.add_unredirected_header("Authorization", self.authorization or self._basic())
        status, _headers, body = self._open(request)
        if status == 401:
            raise PrimeroError(self._refused())
        if status == 403:
            raise PrimeroError(
                _("Primero at %(server)s does not let this account read cases (HTTP 403).")
                % {"server": self.server}
            )
        if status != 200:
            raise PrimeroError(
                _("Primero at %(server)s answered HTTP %(status)s for page %(page)s of the open cases.")
                % {"server": self.server, "status": status, "page": page}
            )
        if len(body) > MAX_PAGE_BYTES:
            raise PrimeroError(
                _("Primero at %(server)s sent a page %(page)s larger than %(size)s MB.")
                % {"server": self.server, "page": page, "size": MAX_PAGE_BYTES // 2**20}
            )
        try:
            answer = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise PrimeroError(
                _(
                    "Primero at %(server)s did not answer page %(page)s of the open cases with JSON: %(error)s."
                )
                % {"server": self.server, "page": page, "error": error}
            ) from error
        return _page_checked(answer, server=self.server, page=page)


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _page_checked(answer: Any, *, server: str, page: int) -> tuple[list[dict[str, Any]], dict[str, int]]:
    shape = _(
        "Primero at %(server)s answered page %(page)s of the open cases without the documented "
        '{"data": [...], "metadata": {"total", "per", "page"}}: %(problem)s.'
    )
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
        raise PrimeroError(shape % {"server": server, "page": page, "problem": _("no list of cases")})
    metadata = answer.get("metadata")
    counts = (
        {name: _count(metadata.get(name)) for name in ("total", "per", "page")}
        if isinstance(metadata, dict)
        else {}
    )
    missing = [name for name in ("total", "per") if counts.get(name) is None]
    if missing:
        problem = _("metadata %(names)s missing or not a number") % {"names": ", ".join(missing)}
        raise PrimeroError(shape % {"server": server, "page": page, "problem": problem})
    if not all(isinstance(case, dict) for case in answer["data"]):
        raise PrimeroError(
            shape % {"server": server, "page": page, "problem": _("a case that is not an object")}
        )
    if counts.get("page") not in (None, page):
        problem = _("it says it is page %(other)s") % {"other": counts["page"]}
        raise PrimeroError(shape % {"server": server, "page": page, "problem": problem})
    return answer["data"], {name: value for name, value in counts.items() if value is not None}


def open_cases_read(client: PrimeroClient, *, per: int = PER_PAGE) -> OpenCases:
    """Every open case's owner, counted, after :meth:`PrimeroClient.authenticate`. ``PrimeroError`` when a
    page cannot be read, is malformed, or the cases read are not exactly the ``total`` announced."""
    result = OpenCases()
    seen: set[str] = set()
    first, metadata = client.cases_page(1, per=per)
    total = metadata["total"]
    page_size = max(1, min(metadata["per"] or per, per))
    pages = max(1, math.ceil(total / page_size))
    if pages > MAX_PAGES:
        raise PrimeroError(
            _("Primero at %(server)s announced %(total)s open cases, more than a sync reads.")
            % {"server": client.server, "total": total}
        )
    for number, cases in _pages(client, first, pages=pages, per=per):
        result.pages += 1
        for case in cases:
            case_id = case.get("id")
            if case_id is not None:
                key = str(case_id)
                if key in seen:
                    raise PrimeroError(_shifted(client.server, total=total))
                seen.add(key)
            owner = case.get("owned_by")
            if isinstance(owner, str) and owner.strip():
                result.by_owner[owner.strip()] += 1
            else:
                result.without_owner += 1
            result.total += 1
        if number < pages and len(cases) != page_size:
            raise PrimeroError(
                _(
                    "Primero at %(server)s sent %(count)s cases on page %(page)s of %(pages)s, not "
                    "%(per)s: cases may have been opened or closed during the sync. Nothing was written; "
                    "run it again."
                )
                % {
                    "server": client.server,
                    "count": len(cases),
                    "page": number,
                    "pages": pages,
                    "per": page_size,
                }
            )
    if result.total != total:
        raise PrimeroError(_shifted(client.server, total=total, read=result.total))
    return result


def _pages(
    client: PrimeroClient, first: list[dict[str, Any]], *, pages: int, per: int
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    yield 1, first
    for number in range(2, pages + 1):
        cases, _metadata = client.cases_page(number, per=per)
        yield number, cases


def _shifted(server: str, *, total: int, read: int | None = None) -> str:
    if read is None:
        return _(
            "Primero at %(server)s sent a case twice: cases were opened or closed during the sync. Nothing "
            "was written; run it again."
        ) % {"server": server}
    return _(
        "Primero at %(server)s announced %(total)s open cases but sent %(read)s: a page is missing, or cases "
        "were opened or closed during the sync. Nothing was written; run it again."
    ) % {"server": server, "total": total, "read": read}
