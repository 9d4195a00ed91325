"""Sending data values to DHIS2 (``POST /api/dataValueSets``) and reading its import summary, with the
standard library only.

* The server and the credentials come from the environment when a push runs, never stored:
  ``SSWIS_DHIS2_URL``, and ``SSWIS_DHIS2_TOKEN`` (a personal access token, sent as ``Authorization:
  ApiToken <token>``) or else ``SSWIS_DHIS2_USERNAME`` and ``SSWIS_DHIS2_PASSWORD`` (HTTP Basic).
* The request: JSON (``application/json``) or ADX (``application/adx+xml``), with ``dryRun``,
  ``idScheme``, ``dataElementIdScheme``, ``orgUnitIdScheme`` and ``importStrategy=CREATE_AND_UPDATE``,
  and a timeout (:data:`TIMEOUT_SECONDS`). Redirects are not followed (the token would go elsewhere).
* The answer (:func:`summary_read`): the wrapped form of DHIS2 2.38 and later (``{"httpStatus",
  "httpStatusCode", "status", "message", "response": {"responseType": "ImportSummary", ...}}``, HTTP 200,
  or 409 with status ``WARNING`` or ``ERROR`` when values were rejected) and the older ImportSummary given
  unwrapped. 401 is a refused token; any other answer without an import summary (5xx, HTML, not JSON) and
  a timeout are errors (:class:`Dhis2Error`) saying what came back.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sswis.surveys.submissions import url_without_credentials

URL_VARIABLE = "SSWIS_DHIS2_URL"
TOKEN_VARIABLE = "SSWIS_DHIS2_TOKEN"
USERNAME_VARIABLE = "SSWIS_DHIS2_USERNAME"
PASSWORD_VARIABLE = "SSWIS_DHIS2_PASSWORD"
TIMEOUT_SECONDS = 300.0
MAX_ANSWER_BYTES = 64 * 1024 * 1024


class Dhis2Error(Exception):
    """No import summary could be had; ``message`` says why in plain words (never a credential)."""

    def __init__(self, message: str, *, http_status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status


@dataclass(frozen=True)
class Connection:
    """Where and how to send: the server (checked, no credentials in it) and the Authorization header."""

    url: str
    authorization: str


def server_address(url: str) -> str:
    """``url`` checked (http or https, a host), without credentials, query or trailing slash."""
    parts = urllib.parse.urlsplit(url_without_credentials(url.strip()))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Dhis2Error(
            _("The DHIS2 address %(url)s must start with https:// (or http://) and name a server.")
            % {"url": url_without_credentials(url.strip()) or '""'}
        )
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def connection_from_environment() -> Connection:
    """The server and credentials of the environment; ``Dhis2Error`` naming what is missing."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    if not url:
        raise Dhis2Error(_("No DHIS2 server is set: set %(name)s on the server.") % {"name": URL_VARIABLE})
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if token:
        return Connection(url=server_address(url), authorization=f"ApiToken {token}")
    user_name = os.environ.get(USERNAME_VARIABLE, "").strip()
    password = os.environ.get(PASSWORD_VARIABLE, "")
    if user_name and password:
        pair = base64.b64encode(f"{user_name}:{password}".encode()).decode("ascii")
        return Connection(url=server_address(url), authorization=f"Basic {pair}")
    raise Dhis2Error(
        _(
            "No DHIS2 credentials are set: set %(token)s to a personal access token (or %(user)s and "
            "%(password)s) on the server."
        )
        % {"token": TOKEN_VARIABLE, "user": USERNAME_VARIABLE, "password": PASSWORD_VARIABLE}
    )


@dataclass
class ImportSummary:
    """DHIS2's import summary, whichever form it came in."""

    http_status: int
    status: str  # SUCCESS, WARNING or ERROR
    message: str = ""
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    rejected_indexes: list[int] = field(default_factory=list)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        raise Dhis2Error(
            _(
                "DHIS2 at %(server)s redirected the request to %(target)s; it was not followed, so that the "
                "token is not sent anywhere else. Give the server's own address (often https://)."
            )
            % {"server": url_without_credentials(req.full_url), "target": url_without_credentials(newurl)},
            http_status=code,
        )


_OPENER = urllib.request.build_opener(_NoRedirects())


def data_values_post(
    *,
    connection: Connection,
    body: bytes,
    adx: bool,
    dry_run: bool,
    id_scheme: str,
    timeout: float = TIMEOUT_SECONDS,
) -> ImportSummary:
    """POST ``body`` to ``/api/dataValueSets`` and read the summary; ``Dhis2Error`` when there is none."""
    query = urllib.parse.urlencode(
        {
            "dryRun": "true" if dry_run else "false",
            "idScheme": id_scheme.upper(),
            "dataElementIdScheme": id_scheme.upper(),
            "orgUnitIdScheme": id_scheme.upper(),
            "importStrategy": "CREATE_AND_UPDATE",
        }
    )
    request = urllib.request.Request(
        f"{connection.url}/api/dataValueSets?{query}",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/adx+xml" if adx else "application/json",
            "Accept": "application/json",
            "Authorization": connection.authorization,
        },
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status, answer = response.status, response.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        with error:
            status, answer = error.code, error.read(MAX_ANSWER_BYTES + 1)
    except Dhis2Error:
        raise
    except TimeoutError as error:
        raise Dhis2Error(
            _(
                "DHIS2 at %(server)s did not answer within %(seconds)s seconds; nothing is known of the import."
            )
            % {"server": connection.url, "seconds": f"{timeout:g}"}
        ) from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError | socket.timeout):
            raise Dhis2Error(
                _(
                    "DHIS2 at %(server)s did not answer within %(seconds)s seconds; nothing is known of the import."
                )
                % {"server": connection.url, "seconds": f"{timeout:g}"}
            ) from error
        raise Dhis2Error(
            _("DHIS2 at %(server)s could not be reached: %(reason)s.")
            % {"server": connection.url, "reason": reason}
        ) from error
    return summary_read(status=status, answer=answer, server=connection.url)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def summary_read(*, status: int, answer: bytes, server: str) -> ImportSummary:
    """The import summary of an answer (see the module's docstring); ``Dhis2Error`` for anything else."""
    if status == 401:
        raise Dhis2Error(
            _(
                "DHIS2 at %(server)s refused the credentials (HTTP 401): the personal access token (%(token)s) is "
                "wrong, expired or not allowed from this address; create a new one in DHIS2 (Profile, "
                "Personal access tokens)."
            )
            % {"server": server, "token": TOKEN_VARIABLE},
            http_status=status,
        )
    if status == 403:
        raise Dhis2Error(
            _(
                "DHIS2 at %(server)s refused the import (HTTP 403): the token's user may not write this data set."
            )
            % {"server": server},
            http_status=status,
        )
    if len(answer) > MAX_ANSWER_BYTES:
        raise Dhis2Error(_("DHIS2's answer is too large to be an import summary."), http_status=status)
    try:
        document = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        text = answer[:200].decode("utf-8", "replace").strip() or _("(empty)")
        raise Dhis2Error(
            _("DHIS2 at %(server)s answered HTTP %(status)d without an import summary (not JSON): %(text)s")
            % {"server": server, "status": status, "text": text},
            http_status=status,
        ) from None
    summary = None
    if isinstance(document, dict):
        inner = document.get("response")
        if isinstance(inner, dict) and (
            inner.get("responseType") == "ImportSummary" or "importCount" in inner
        ):
            summary = inner
        elif document.get("responseType") == "ImportSummary" or "importCount" in document:
            summary = document  # DHIS2 before 2.38: the ImportSummary itself
    if summary is None:
        message = document.get("message", "") if isinstance(document, dict) else ""
        raise Dhis2Error(
            _("DHIS2 at %(server)s answered HTTP %(status)d without an import summary: %(message)s")
            % {"server": server, "status": status, "message": message or json.dumps(document)[:200]},
            http_status=status,
        )
    raw_counts = summary.get("importCount")
    counts: dict[str, Any] = raw_counts if isinstance(raw_counts, dict) else {}
    conflicts = [c for c in summary.get("conflicts") or [] if isinstance(c, dict)]
    rejected = [i for i in summary.get("rejectedIndexes") or [] if isinstance(i, int) and i >= 0]
    state = str(summary.get("status") or document.get("status") or "").upper()
    if state not in ("SUCCESS", "WARNING", "ERROR"):
        state = "SUCCESS" if state == "OK" and not conflicts else "WARNING" if conflicts else "ERROR"
    message = str(document.get("message") or summary.get("description") or "")
    return ImportSummary(
        http_status=status,
        status=state,
        message=message,
        imported=_count(counts.get("imported")),
        updated=_count(counts.get("updated")),
        ignored=_count(counts.get("ignored")),
        deleted=_count(counts.get("deleted")),
        conflicts=conflicts,
        rejected_indexes=rejected,
    )
