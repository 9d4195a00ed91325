"""An export as an HTTP download, shared by the pages and the API (they render, this writes)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.http import FileResponse, StreamingHttpResponse

from sswis.exports.models import ExportFormat
from sswis.exports.services import TableExport
from sswis.spreadsheets import table_csv_lines, table_write_xlsx

MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(export: TableExport) -> StreamingHttpResponse | FileResponse:
    """CSV is streamed as it is read from the database; XLSX is written (write-only, flat memory) to a
    temporary file that is sent and removed as soon as it is closed. Both are attachments."""
    if export.file_format == ExportFormat.CSV:
        response = StreamingHttpResponse(
            table_csv_lines(header=export.header, rows=export.rows),
            content_type=MEDIA_TYPES[ExportFormat.CSV],
        )
        response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
        return response
    descriptor, name = tempfile.mkstemp(prefix="sswis-export-", suffix=".xlsx")
    os.close(descriptor)
    path = Path(name)
    try:
        table_write_xlsx(header=export.header, rows=export.rows, path=path, sheet=export.record.subject)
        stream = path.open("rb")
    finally:
        # The open file stays readable; the name goes at once so that nothing is left behind.
        path.unlink(missing_ok=True)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=export.file_name,
        content_type=MEDIA_TYPES[ExportFormat.XLSX],
    )
