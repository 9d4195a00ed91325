"""Imports over HTTP, shared by the pages and the API (they validate and render, this receives and writes).

* :class:`SizeLimitUploadHandler` refuses a template over the import size limit (``safety.limits_current().max_bytes``) while it
  arrives. Django writes uploads over 2.5 MB to a temporary file as they arrive, but it has no limit for
  files. This handler, put first for the upload views only (before anything reads the request body),
  stops receiving (``StopUpload``) as soon as the request announces, or the file reaches, more than the
  limit: nothing more is written to disk, the rest of the request is read and thrown away, and the view
  tells the user (:func:`upload_refused`).
* :func:`problems_response` is the problems of a finished import as a CSV or XLSX download.

Nothing here decides who may do what: the views ask ``sswis.access.policy`` (through the imports'
selectors and services) first.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, HttpRequest, StreamingHttpResponse

from sswis.exports.http import MEDIA_TYPES, table_download
from sswis.exports.models import ExportFormat
from sswis.imports.models import ImportRecord
from sswis.imports.report import ImportReport, problem_columns, problem_rows
from sswis.imports.safety import limits_current

MULTIPART_ALLOWANCE = 64 * 1024
"""Bytes of a request besides the file: form fields, boundaries, part headers."""

ProblemsFormat = Literal["csv", "xlsx"]
PROBLEMS_FORMATS: tuple[ProblemsFormat, ...] = ("csv", "xlsx")
PROBLEMS_MEDIA_TYPES: dict[ProblemsFormat, str] = {
    name: MEDIA_TYPES[ExportFormat(name)] for name in PROBLEMS_FORMATS
}


def upload_refused(request: HttpRequest) -> bool:
    """Whether :class:`SizeLimitUploadHandler` stopped the upload of ``request`` for its size."""
    return bool(getattr(request, "sswis_upload_refused", False))


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops an upload over the import limit as it arrives (see the module docstring)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = limits_current().max_bytes
        self.received = 0
        self.announced_too_large = False

    def refuse(self) -> None:
        self.request.sswis_upload_refused = True  # type: ignore[union-attr]
        raise StopUpload(connection_reset=False)

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: str | None = None
    ) -> None:
        self.announced_too_large = content_length > self.limit + MULTIPART_ALLOWANCE

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.announced_too_large:
            self.refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers make the file


def problems_file_name(*, record: ImportRecord, file_format: ProblemsFormat) -> str:
    return f"import-{record.uuid}-problems.{file_format}"


def problems_response(
    *, record: ImportRecord, report: ImportReport, file_format: ProblemsFormat, translated: bool = True
) -> StreamingHttpResponse | FileResponse:
    """The problems of ``report`` (the finished import ``record``) as an attachment, one row per problem in
    ``problem_columns()`` order: header and severities in the active language for people, the same codes
    in every language for programs (``translated=False``: the API). Formula-safe (``sswis.spreadsheets``):
    a value such as ``=1+1`` typed into a template cell comes out as text. CSV is streamed; XLSX is written
    to a temporary file that is sent and gone as soon as it is closed. An import without problems gives the
    header row only."""
    return table_download(
        header=problem_columns(translated=translated),
        rows=problem_rows(report.problems, translated=translated),
        file_format=ExportFormat(file_format),
        file_name=problems_file_name(record=record, file_format=file_format),
        sheet="problems",
    )
