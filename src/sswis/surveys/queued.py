"""Imports of field submissions started from the browser or the API: kept and run like an upload.

:func:`submissions_record_submit` keeps what was received under the import's folder and queues its
import in the background worker (``sswis db_worker``), so the page and the API follow it with the same
record, progress and report as a template upload (``sswis.imports.services.import_record_run``). The
import itself is :func:`sswis.surveys.services.submissions_import`, exactly as on the command line.

* An export file (``.csv``, ``.xlsx`` or ``.json``) is kept as it is uploaded.
* From KoboToolbox or ODK Central the submissions are fetched during the request (the credentials are
  used then and never kept: not in the record, not on disk, not in the queued task) and the JSON
  records the server sent are kept as ``submissions.json``; the history shows the server and form
  (without credentials) and the SHA-256 and size of the pages received.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sswis.access import policy
from sswis.imports.loading import ProgressCallback
from sswis.imports.models import ImportRecord
from sswis.imports.modes import ImportMode
from sswis.imports.report import ImportReport
from sswis.imports.services import (
    UploadRefused,
    import_record_create,
    import_record_path,
    import_record_queue,
)
from sswis.surveys.models import SurveyRound
from sswis.surveys.services import submissions_import
from sswis.surveys.submissions import (
    SubmissionBatch,
    SubmissionFetchError,
    central_submissions_fetch,
    file_submissions_read,
    kobo_submissions_fetch,
)

RECEIVED_FILE = "submissions.json"
EXPORT_SUFFIXES = (".csv", ".xlsx", ".json", ".xlsm", ".xls")  # the last two: refused with their reason
EXPORT_REFUSAL = gettext_lazy("{name} is not a submissions export: give a .csv, .xlsx or .json file.")


class SubmissionsRefused(ValueError):
    """Nothing was kept or queued; ``message`` says why (the source could not be read, no such round)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def submissions_record_submit(
    *,
    actor: Any,
    round_code: str = "",
    dry_run: bool = False,
    file_name: str = "",
    chunks: Iterable[bytes] | None = None,
    fetch: Callable[[], SubmissionBatch] | None = None,
) -> ImportRecord:
    """Keep field submissions and queue their import; returns the record (finished already with the
    immediate task backend of the tests).

    Give either an export file (``file_name`` and its ``chunks``) or ``fetch``, which reads a server
    (``kobo_submissions_fetch`` or ``central_submissions_fetch`` with their credentials bound). ``actor``
    must be a national data manager (``PermissionDenied`` before anything is read). Raises
    ``SubmissionsRefused`` (nothing kept) for an unknown survey round, a server that could not be read
    or a file that is not an export, and ``UploadRefused``'s message as one too (too large).
    """
    policy.require_national_import(user=actor)
    if (fetch is None) == (chunks is None):
        raise ValueError("Give an export file or a server to fetch from, not both.")
    if round_code and not SurveyRound.objects.filter(code=round_code).exists():
        raise SubmissionsRefused(
            _("There is no survey round '%(code)s'; create it first.") % {"code": round_code}
        )
    mode = ImportMode.of(dry_run=dry_run)
    try:
        if fetch is not None:
            try:
                batch = fetch()
            except SubmissionFetchError as exc:
                raise SubmissionsRefused(exc.message) from exc
            received = json.dumps({"results": batch.records}, ensure_ascii=False).encode()
            record = import_record_create(
                actor=actor, file_name=RECEIVED_FILE, chunks=[received], mode=mode, accepted=(".json",)
            )
            # The history names where the submissions came from and what was received from there.
            record.file_name, record.sha256, record.size = batch.form[:255], batch.sha256, batch.size
            record.save(update_fields=["file_name", "sha256", "size"])
        else:
            assert chunks is not None
            record = import_record_create(
                actor=actor,
                file_name=file_name,
                chunks=chunks,
                mode=mode,
                accepted=EXPORT_SUFFIXES,
                refusal=EXPORT_REFUSAL,
            )
    except UploadRefused as exc:
        raise SubmissionsRefused(str(exc)) from exc
    from sswis.surveys.tasks import submissions_record_task  # the task module imports this one

    return import_record_queue(record=record, task=submissions_record_task, round_code=round_code)


SOURCE_FIELDS = {
    "file": ("file",),
    "kobo": ("kobo_url", "asset", "token"),
    "central": ("central_url", "project", "form_id", "username", "password"),
}
"""Each source and the fields it needs, as the page's form and the API name them."""
SOURCES = tuple(SOURCE_FIELDS)


def submissions_server_fetcher(
    *,
    source: str,
    kobo_url: str = "",
    asset: str = "",
    token: str = "",
    central_url: str = "",
    project: int | None = None,
    form_id: str = "",
    username: str = "",
    password: str = "",
) -> Callable[[], SubmissionBatch]:
    """The ``fetch`` of ``submissions_record_submit`` for ``source`` ``kobo`` or ``central`` with the
    credentials given (checked and used by the fetchers; never kept)."""
    if source == "kobo":
        return functools.partial(kobo_submissions_fetch, server_url=kobo_url, asset_uid=asset, token=token)
    if source == "central":
        return functools.partial(
            central_submissions_fetch,
            server_url=central_url,
            project_id=project or 0,
            form_id=form_id,
            username=username,
            password=password,
        )
    raise ValueError(f"Not a server: {source!r}.")


SERVER_FIELDS = (*SOURCE_FIELDS["kobo"], *SOURCE_FIELDS["central"])


def submissions_submit(
    *,
    actor: Any,
    source: str,
    round_code: str = "",
    dry_run: bool = False,
    upload: Any = None,
    **server: Any,
) -> ImportRecord:
    """``submissions_record_submit`` for what the page and the API receive: ``source`` ``file`` with
    ``upload`` (an uploaded file: ``name`` and ``chunks()``), or ``kobo``/``central`` with the
    ``SERVER_FIELDS`` of ``submissions_server_fetcher``."""
    if source == "file":
        return submissions_record_submit(
            actor=actor,
            round_code=round_code,
            dry_run=dry_run,
            file_name=upload.name,
            chunks=upload.chunks(),
        )
    fetch = submissions_server_fetcher(source=source, **server)
    return submissions_record_submit(actor=actor, round_code=round_code, dry_run=dry_run, fetch=fetch)


def submissions_record_importer(
    *, round_code: str
) -> Callable[[ImportRecord, ProgressCallback], ImportReport]:
    """The ``importer`` of ``import_record_run`` for kept submissions: ``submissions_import`` of the kept
    file as the record's user, the record's mode, the survey round ``round_code``."""

    def run(record: ImportRecord, progress: ProgressCallback) -> ImportReport:
        def read() -> SubmissionBatch:
            batch = file_submissions_read(path=import_record_path(record=record))
            batch.form = record.file_name  # the server and form, or the file's name as uploaded
            return batch

        return submissions_import(
            actor=record.user,
            read=read,
            round_code=round_code,
            dry_run=record.mode_enum.dry_run,
            progress=progress,
            history=False,
        )

    return run
