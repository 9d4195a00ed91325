"""Receiving uploaded templates: refuse a file over the import's size limit while it arrives.

The limit is ``safety.limits_current().max_bytes`` (``SSWIS_IMPORT_MAX_BYTES``), the one every check uses.

Django writes uploads over 2.5 MB to a temporary file as they arrive, but it has no limit for files. This
handler, put first for the upload view only, stops receiving (``StopUpload``) as soon as the request
announces, or the file reaches, more than the limit: nothing more is written to disk, the rest of the
request is read and thrown away, and the view tells the user (``upload_refused``).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from sswis.imports.safety import limits_current

MULTIPART_ALLOWANCE = 64 * 1024
"""Bytes of a request besides the file: form fields, boundaries, part headers."""


def upload_refused(request: HttpRequest) -> bool:
    """Whether :class:`SizeLimitUploadHandler` stopped the upload of ``request`` for its size."""
    return bool(getattr(request, "sswis_upload_refused", False))


class SizeLimitUploadHandler(FileUploadHandler):
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
