"""Reading field submissions: from the KoboToolbox API v2, from ODK Central (OData, through pyodk), or from
either tool's export file (CSV, XLSX, or the API's JSON saved to a file).

Each reader gives a :class:`SubmissionBatch`: the submissions in the order the source gives them, each
with its position (1 = first), its UUID and its answers by question name. Question paths are flattened
to the question's own name (``worker/given_name``, ``worker-given_name`` and Central's nested
``{"worker": {"given_name": ...}}`` all give ``given_name``): the form's names are unique
(``sswis.surveys.xlsform``). Values become the text a template cell would hold.

Everything is read before anything is written: a source that fails half-way (HTTP error, refused
connection, a page that is not JSON) raises :class:`SubmissionFetchError` with a plain message, and the
import writes nothing. Only ``http`` and ``https`` servers are read, and paging links (Kobo ``next``,
Central ``@odata.nextLink``) are followed only on the server given, so a credential is never sent
elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sswis.imports import safety
from sswis.imports.messages import message
from sswis.imports.readers import (
    WORKBOOK_SUFFIXES,
    CsvSource,
    RawTable,
    TemplateReadError,
    WorkbookSource,
    cell_text,
)
from sswis.imports.schema import ASSIGNMENTS, WORKERS
from sswis.surveys.models import SubmissionSource
from sswis.surveys.perceptions import PERCEPTION_NAMES, PERCEPTION_QUESTIONS

PAGE_SIZE = 1000
"""Submissions asked for per request."""

MAX_PAGES = 10_000
"""A source that keeps sending pages beyond this is broken (10 million submissions): stop."""

TIMEOUT_SECONDS = 60

LOCATION_LEVEL = re.compile(r"location_[0-9]+")
QUESTION_NAMES = frozenset({*WORKERS.column_names, *ASSIGNMENTS.column_names, *PERCEPTION_NAMES})
MULTIPLE_QUESTIONS = frozenset(question.name for question in PERCEPTION_QUESTIONS if question.multiple)
# Metadata the tools add to every submission (Kobo's start with "_"; ODK Central's CSV export columns).
META_NAMES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "instanceID",
        "instanceName",
        "deprecatedID",
        "rootUuid",
        "uuid",
        "version",
        "audit",
        "KEY",
        "SubmissionDate",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    }
)
ROOT_KEYS = ("rootUuid", "__id", "KEY", "instanceID", "_uuid")
"""Where a submission's stable identity is, in order of preference. An edited submission gets a new
``meta/instanceID`` (and Kobo a new ``_uuid``), with ``meta/deprecatedID`` naming the version it replaces;
what stays is KoboToolbox's ``meta/rootUuid`` (the first version's UUID) and ODK Central's ``__id`` (OData)
or ``KEY`` (CSV export), the instance ID of the first version, which names the submission logically."""

VERSION_KEYS = ("instanceID", "_uuid", "__id", "KEY")
"""Where the UUID of this version of a submission is: ``meta/instanceID`` (Kobo's ``_uuid`` is the same)."""

UUID_KEYS = (*ROOT_KEYS, "deprecatedID")


class SubmissionFetchError(Exception):
    """The submissions could not be read; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Submission:
    """One submission: ``position`` 1 = first of the source; ``uuid`` normalised (``""``: none found)."""

    position: int
    uuid: str  # the stable identity (see ROOT_KEYS): the same for every version of an edited submission
    answers: dict[str, str]
    conflicts: list[str] = field(default_factory=list)  # questions given twice with different answers
    instance_id: str = ""  # this version's meta/instanceID, normalised ("" when the source has none)
    deprecated_id: str = ""  # the version this one replaces (meta/deprecatedID), normalised


@dataclass
class SubmissionBatch:
    """What a source gave: ``source`` (kobo, central, file), ``form`` (where from) and the submissions."""

    source: str
    form: str  # never holds credentials (see url_without_credentials)
    submissions: list[Submission]
    unrecognised: list[str] = field(default_factory=list)  # answer names that are no question of the form
    sha256: str = ""  # of what was received: the file, or the pages in order (for the import history)
    size: int = 0  # bytes received
    records: list[dict[str, Any]] = field(default_factory=list)  # the JSON records as a server sent them


def submission_uuid_normalise(value: str) -> str:
    """``uuid:ABC-...`` and ``abc-...`` are the same submission: no prefix, lower-case, trimmed.

    Central's ``KEY`` of a repeat (``uuid:.../group[1]``) is cut at the first ``/``.
    """
    text = value.strip().split("/", 1)[0].strip()
    if text.lower().startswith("uuid:"):
        text = text[5:]
    return text.strip().lower()


def _text(value: Any) -> str | None:
    """A JSON or workbook value as template text; ``None`` for lists and objects (attachments, tags...)."""
    if isinstance(value, list | dict):
        return None
    return cell_text(value)


def _name_of(path: str) -> tuple[str, str]:
    """The question name of a flattened path, and the segment before it (``""`` at the top)."""
    parts = [part for part in re.split(r"[/-]", path) if part] if not path.startswith("_") else [path]
    if not parts:
        return "", ""
    return parts[-1], (parts[-2] if len(parts) > 1 else "")


def _is_question(name: str) -> bool:
    return name in QUESTION_NAMES or bool(LOCATION_LEVEL.fullmatch(name))


def _is_metadata(name: str, parent: str) -> bool:
    # Kobo exports split select_multiple answers into one 0/1 column per answer: "<question>/<answer>".
    return name.startswith("_") or name in META_NAMES or parent in MULTIPLE_QUESTIONS or parent == "formhub"


def _flat_items(record: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(path, value)`` of a JSON record; nested objects (ODK Central groups) give ``group/question``."""
    for key, value in record.items():
        if key == "__system" or "@odata" in key:
            continue  # Central's own metadata and navigation links of repeats
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(value, dict):
            yield from _flat_items(value, path)
        else:
            yield path, value


def _submission(position: int, items: Iterable[tuple[str, Any]], unrecognised: set[str]) -> Submission:
    answers: dict[str, str] = {}
    found_uuids: dict[str, str] = {}
    conflicts: list[str] = []
    for path, value in items:
        name, parent = _name_of(path)
        text = _text(value)
        if text is None or not name:
            continue
        if name in UUID_KEYS or (path.startswith("__id")):
            found_uuids.setdefault(name, text)
        if _is_question(name) and parent not in MULTIPLE_QUESTIONS:
            if text and answers.get(name) and answers[name] != text:
                conflicts.append(name)
            if text or name not in answers:
                answers[name] = text
        elif not _is_metadata(name, parent) and name not in UUID_KEYS:
            unrecognised.add(path)
    root = next((found_uuids[key] for key in ROOT_KEYS if found_uuids.get(key)), "")
    version = next((found_uuids[key] for key in VERSION_KEYS if found_uuids.get(key)), "")
    return Submission(
        position=position,
        uuid=submission_uuid_normalise(root),
        answers=answers,
        conflicts=conflicts,
        instance_id=submission_uuid_normalise(version),
        deprecated_id=submission_uuid_normalise(found_uuids.get("deprecatedID", "")),
    )


def submissions_from_records(
    *, records: Iterable[Mapping[str, Any]], source: str, form: str
) -> SubmissionBatch:
    """A batch from JSON records (Kobo ``results`` or Central ``value``)."""
    unrecognised: set[str] = set()
    records = list(records)
    submissions = [
        _submission(position, _flat_items(record), unrecognised)
        for position, record in enumerate(records, start=1)
    ]
    return SubmissionBatch(
        source=source,
        form=form,
        submissions=submissions,
        unrecognised=sorted(unrecognised),
        records=[dict(record) for record in records],
    )


# KoboToolbox -------------------------------------------------------------------------------------------


def _http_base(url: str, *, what: str) -> urllib.parse.SplitResult:
    """The server address, checked, without any ``user:password@`` typed into it (never shown or stored)."""
    parts = urllib.parse.urlsplit(url_without_credentials(url.strip()))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SubmissionFetchError(
            f"The {what} address '{url_without_credentials(url)}' must start with https:// (or http://)."
        )
    return parts


def _same_server(link: str, base: urllib.parse.SplitResult) -> bool:
    return _origin(link) == _origin(base.geturl())


SECRET_QUERY_NAMES = frozenset(
    {
        "token",
        "access_token",
        "auth_token",
        "api_key",
        "apikey",
        "key",
        "password",
        "secret",
        "signature",
        "sig",
    }
)
"""Query parameters with these names (in any letter case) are credentials: never shown or kept."""


def url_without_credentials(url: str) -> str:
    """``url`` without the ``user:password@`` part and the credential-looking query parameters
    (``?token=...``, ``api_key``, ...) a user may have typed into it: for messages and records.

    Other query parameters (``start``, ``limit``, ...) stay. Anything that is not a URL with a host is
    returned as it is (it holds no credentials to remove).
    """
    parts = urllib.parse.urlsplit(url)
    if not parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    kept = [(name, value) for name, value in pairs if name.lower() not in SECRET_QUERY_NAMES]
    # The query is rewritten only when something was removed, so an ordinary URL comes back as written.
    query = parts.query if len(kept) == len(pairs) else urllib.parse.urlencode(kept)
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, query, parts.fragment))


class SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same scheme, host and port, sending the credential there again;
    a redirect anywhere else raises :class:`SubmissionFetchError` and is not followed.

    The credential is added with ``add_unredirected_header``, which urllib never copies into a redirected
    request (its own handler copies ordinary headers, ``Authorization`` included, to whatever host the
    server names): it is put back here, and only for the same origin.
    """

    def __init__(self, *, header: str, value: str, what: str) -> None:
        self.header, self.value, self.what = header, value, what

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if _origin(newurl) != _origin(req.full_url):
            raise SubmissionFetchError(
                f"{self.what} redirected the request to another server "
                f"({url_without_credentials(newurl)}); it was not followed, so that the credential is not "
                "sent there. Give the server's own address."
            )
        following = super().redirect_request(req, fp, code, msg, headers, newurl)
        if following is not None:
            following.add_unredirected_header(self.header, self.value)
        return following


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def _kobo_page(url: str, *, token: str, server: str, asset: str) -> tuple[dict[str, Any], bytes]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    request.add_unredirected_header("Authorization", f"Token {token}")
    opener = urllib.request.build_opener(
        SameOriginRedirects(header="Authorization", value=f"Token {token}", what=f"KoboToolbox at {server}")
    )
    limit = safety.limits_current().max_bytes
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise SubmissionFetchError(
                f"KoboToolbox at {server} refused the API token (HTTP {exc.code}): check --token or the "
                "environment variable SSWIS_KOBO_TOKEN, and that this account may view the form's data."
            ) from exc
        if exc.code == 404:
            raise SubmissionFetchError(
                f"KoboToolbox at {server} has no form with the asset UID '{asset}' (HTTP 404): check --asset."
            ) from exc
        raise SubmissionFetchError(
            f"KoboToolbox at {server} answered HTTP {exc.code} ({exc.reason}) for {url}."
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SubmissionFetchError(f"KoboToolbox at {server} could not be reached: {reason}.") from exc
    if len(body) > limit:
        raise SubmissionFetchError(
            f"KoboToolbox at {server} answered a page larger than the {limit // 2**20} MB an import accepts "
            "(SSWIS_IMPORT_MAX_BYTES)."
        )
    try:
        page = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SubmissionFetchError(
            f"KoboToolbox at {server} did not answer with JSON data for {url}: {exc}."
        ) from exc
    if not isinstance(page, dict) or not isinstance(page.get("results"), list):
        raise SubmissionFetchError(
            f"KoboToolbox at {server} answered {url} without a list of results: is this the address of a "
            "KoboToolbox server?"
        )
    if not all(isinstance(record, dict) for record in page["results"]):
        raise SubmissionFetchError(
            f"KoboToolbox at {server} answered {url} with results that are not submissions."
        )
    return page, body


def kobo_submissions_fetch(
    *, server_url: str, asset_uid: str, token: str, page_size: int = PAGE_SIZE
) -> SubmissionBatch:
    """Every submission of the form ``asset_uid`` from ``GET /api/v2/assets/{uid}/data/?format=json``.

    Follows the ``next`` links (on the same server only) until there is none. Raises
    :class:`SubmissionFetchError` for a refused token (401/403), an unknown asset (404), any other HTTP
    error, an unreachable server or an answer that is not the documented ``{count, next, results}``.
    """
    base = _http_base(server_url, what="KoboToolbox server")
    server = urllib.parse.urlunsplit((base.scheme, base.netloc, base.path.rstrip("/"), "", ""))
    if not asset_uid.strip():
        raise SubmissionFetchError("Give the form's asset UID (--asset).")
    if not token.strip():
        raise SubmissionFetchError("Give a KoboToolbox API token (--token or SSWIS_KOBO_TOKEN).")
    query = urllib.parse.urlencode({"format": "json", "start": 0, "limit": page_size})
    url: str | None = f"{server}/api/v2/assets/{urllib.parse.quote(asset_uid.strip())}/data/?{query}"
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    digest, size = hashlib.sha256(), 0
    while url is not None:
        if url in seen or len(seen) >= MAX_PAGES:
            raise SubmissionFetchError(f"KoboToolbox at {server} keeps sending the same page ({url}).")
        seen.add(url)
        page, body = _kobo_page(url, token=token.strip(), server=server, asset=asset_uid)
        digest.update(body)
        size += len(body)
        records.extend(page["results"])
        following = page.get("next")
        if following and not _same_server(str(following), base):
            raise SubmissionFetchError(
                f"KoboToolbox at {server} sent a next page on another server "
                f"({url_without_credentials(str(following))}); it was not followed."
            )
        url = url_without_credentials(str(following)) if following else None
    batch = submissions_from_records(
        records=records, source=SubmissionSource.KOBO, form=f"{server} asset {asset_uid.strip()}"
    )
    batch.sha256, batch.size = digest.hexdigest(), size
    return batch


# ODK Central -------------------------------------------------------------------------------------------


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string for the characters a URL, user name or password holds.
    return json.dumps(value)


def central_submissions_fetch(
    *,
    server_url: str,
    project_id: int,
    form_id: str,
    username: str,
    password: str,
    page_size: int = PAGE_SIZE,
) -> SubmissionBatch:
    """Every submission of ``form_id`` in project ``project_id`` from the OData ``Submissions`` table.

    pyodk logs in (``POST /v1/sessions``) with a configuration written to a private temporary folder
    (deleted afterwards; nothing is written to the user's home), then pages with ``$top`` and follows
    ``@odata.nextLink`` on the same server. Raises :class:`SubmissionFetchError` like the Kobo reader.
    """
    from pyodk.client import Client
    from pyodk.errors import PyODKError
    from requests import RequestException, Response

    base = _http_base(server_url, what="ODK Central server")
    server = urllib.parse.urlunsplit((base.scheme, base.netloc, base.path.rstrip("/"), "", ""))
    if not username or not password:
        raise SubmissionFetchError(
            "Give the ODK Central user name and password (environment variables SSWIS_CENTRAL_USERNAME and "
            "SSWIS_CENTRAL_PASSWORD, or --central-config with a pyodk configuration file)."
        )
    where = f"ODK Central at {server}"
    records: list[dict[str, Any]] = []
    digest, size = hashlib.sha256(), 0
    pyodk_log = logging.getLogger("pyodk")
    previous_level = pyodk_log.level
    pyodk_log.setLevel(logging.CRITICAL)  # pyodk logs every failure with a traceback; we report it once
    try:
        with tempfile.TemporaryDirectory(prefix="sswis-pyodk-") as folder:
            config_path = Path(folder) / "pyodk_config.toml"
            config_path.write_text(
                "[central]\n"
                f"base_url = {_toml_string(server)}\n"
                f"username = {_toml_string(username)}\n"
                f"password = {_toml_string(password)}\n"
                f"default_project_id = {int(project_id)}\n",
                encoding="utf-8",
            )
            config_path.chmod(0o600)
            with Client(config_path=config_path, cache_path=Path(folder) / "pyodk_cache.toml") as client:
                page = client.submissions.get_table(
                    form_id=form_id, project_id=project_id, top=page_size, count=True
                )
                seen: set[str] = set()
                while True:
                    if not isinstance(page, dict) or not isinstance(page.get("value"), list):
                        raise SubmissionFetchError(
                            f'{where} answered without a list of submissions ("value"): is this an ODK Central server?'
                        )
                    received = json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode()
                    digest.update(received)  # pyodk gives the page parsed: its JSON, as sent compactly
                    size += len(received)
                    records.extend(record for record in page["value"] if isinstance(record, dict))
                    following = page.get("@odata.nextLink")
                    if not following:
                        break
                    if not _same_server(str(following), base):
                        raise SubmissionFetchError(
                            f"{where} sent a next page on another server "
                            f"({url_without_credentials(str(following))}); it was not followed."
                        )
                    if following in seen or len(seen) >= MAX_PAGES:
                        raise SubmissionFetchError(
                            f"{where} keeps sending the same page ({url_without_credentials(str(following))})."
                        )
                    seen.add(str(following))
                    page = client.session.response_or_error(
                        method="GET", url=str(following), logger=pyodk_log
                    ).json()
    except PyODKError as exc:
        response = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], Response) else None
        status = response.status_code if response is not None else None
        if status in (401, 403) or "login request failed" in str(exc):
            raise SubmissionFetchError(
                f"{where} refused the user name or password (HTTP {status or 401}): check SSWIS_CENTRAL_USERNAME "
                "and SSWIS_CENTRAL_PASSWORD, and that this user may read the form's submissions."
            ) from exc
        if status == 404:
            raise SubmissionFetchError(
                f"{where} has no form '{form_id}' in project {project_id} (HTTP 404): check --project and --form."
            ) from exc
        raise SubmissionFetchError(f"{where} refused the request: {str(exc).splitlines()[0]}") from exc
    except RequestException as exc:
        raise SubmissionFetchError(f"{where} could not be reached: {exc.__class__.__name__}.") from exc
    except ValueError as exc:  # a body that is not JSON
        raise SubmissionFetchError(f"{where} did not answer with JSON data: {exc}.") from exc
    finally:
        pyodk_log.setLevel(previous_level)
    batch = submissions_from_records(
        records=records, source=SubmissionSource.CENTRAL, form=f"{server} project {project_id} form {form_id}"
    )
    batch.sha256, batch.size = digest.hexdigest(), size
    return batch


# Export files ------------------------------------------------------------------------------------------


def _table_to_batch(table: RawTable, *, form: str) -> SubmissionBatch:
    """Submissions from an export's header (question paths) and rows (row ``n`` = submission ``n``)."""
    paths = table.raw_header
    if not any(paths):
        raise SubmissionFetchError(f"{form} is empty: an export has a header row with the question names.")
    if not any(_is_question(_name_of(path)[0]) for path in paths):
        raise SubmissionFetchError(
            f"No column of {form} is a question of the sswis form: export the submissions with the question "
            "names (in KoboToolbox: 'XML values and headers'), not the labels."
        )
    unrecognised: set[str] = set()
    submissions = [
        _submission(position, zip(paths, cells, strict=False), unrecognised) for position, cells in table.rows
    ]
    return SubmissionBatch(
        source=SubmissionSource.FILE, form=form, submissions=submissions, unrecognised=sorted(unrecognised)
    )


EXPORT_SUFFIXES = (".csv", ".xlsx", ".json")


def file_submissions_read(*, path: Path) -> SubmissionBatch:
    """Submissions from an export file: ``.csv``, ``.xlsx`` (first sheet) or ``.json``.

    Read exactly as a template file is (``sswis.imports.readers`` and ``sswis.imports.safety``): a file
    over ``SSWIS_IMPORT_MAX_BYTES`` is refused before it is read; a CSV file's character set (UTF-8,
    UTF-16, Windows-1252) and delimiter (comma, semicolon as KoboToolbox writes, tab) are detected and it
    is read as a stream; a workbook must pass ``safety.workbook_check`` (macro-enabled, password-protected,
    ``.xls``, zip/XML bombs and DOCTYPE/ENTITY declarations are refused) and is closed after reading. A
    JSON file is what the APIs answer (Kobo ``{"results": [...]}`` or Central ``{"value": [...]}``) or a
    plain list of submissions. Raises :class:`SubmissionFetchError` (the import's message) when the file
    cannot or may not be read. ``sha256`` and ``size`` are the file's.
    """
    batch = _file_read(path=path)
    with path.open("rb") as handle:
        batch.sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    batch.size = path.stat().st_size
    return batch


def _file_read(*, path: Path) -> SubmissionBatch:
    name = path.name
    if not path.is_file():
        raise SubmissionFetchError(f"There is no file at {path}.")
    suffix = path.suffix.lower()
    try:
        if suffix in WORKBOOK_SUFFIXES:
            workbook = WorkbookSource(path)  # checks the workbook before calamine opens it
            with workbook:
                return _table_to_batch(workbook.first_sheet_table(), form=name)
        if suffix not in EXPORT_SUFFIXES:
            raise SubmissionFetchError(
                f"{name} is not a submissions export: give a .csv, .xlsx or .json file."
            )
        limit = safety.limits_current().max_bytes
        if path.stat().st_size > limit:
            raise TemplateReadError(message("too_large", file=name, limit=limit // 2**20), file=name)
        if suffix == ".csv":
            source = CsvSource(encoding=None)
            with source:
                table = source.csv_table(name="submissions", file=name, opener=lambda: path.open("rb"))
                return _table_to_batch(table, form=name)
    except TemplateReadError as exc:
        raise SubmissionFetchError(exc.message) from exc
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise SubmissionFetchError(f"{name} is not JSON: {exc}.") from exc
    records = data.get("results", data.get("value")) if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise SubmissionFetchError(
            f'{name} holds no list of submissions (a Kobo "results" or an ODK Central "value" list).'
        )
    return submissions_from_records(records=records, source=SubmissionSource.FILE, form=name)
