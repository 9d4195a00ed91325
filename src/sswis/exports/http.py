"""An export as an HTTP download, shared by the pages and the API (they render, this writes)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.http import FileResponse, StreamingHttpResponse

from sswis.exports.models import ExportFormat
from sswis.exports.services import TableExport
from sswis.spreadsheets import table_csv_lines, table_write_xlsx

MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_download(
    *,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    file_format: ExportFormat,
    file_name: str,
    sheet: str,
) -> StreamingHttpResponse | FileResponse:
    """A table as an attachment, the one way sswis sends spreadsheets (exports, import problem reports).

    CSV is streamed as the rows are read; XLSX is written (write-only, flat memory) to a temporary file
    that is sent and removed as soon as it is closed. Cells are neutralised by ``sswis.spreadsheets``.
    """
    if file_format == ExportFormat.CSV:
        response = StreamingHttpResponse(
            table_csv_lines(header=header, rows=rows), content_type=MEDIA_TYPES[ExportFormat.CSV]
        )
        response["Content-Disposition"] = f'attachment; filename="{file_name}"'
        return response
    descriptor, name = tempfile.mkstemp(prefix="sswis-export-", suffix=".xlsx")
    os.close(descriptor)
    path = Path(name)
    try:
        table_write_xlsx(header=header, rows=rows, path=path, sheet=sheet)
        stream = path.open("rb")
    finally:
        # The open file stays readable; the name goes at once so that nothing is left behind.
        path.unlink(missing_ok=True)
    return FileResponse(
        stream, as_attachment=True, filename=file_name, content_type=MEDIA_TYPES[ExportFormat.XLSX]
    )


def export_response(export: TableExport) -> StreamingHttpResponse | FileResponse:
    """The recorded export as a download (see :func:`table_download`)."""
    return table_download(
        header=export.header,
        rows=export.rows,
        file_format=export.file_format,
        file_name=export.file_name,
        sheet=export.record.subject,
    )
