"""The export of a year as a download, for the page and the API."""

from __future__ import annotations

from django.http import HttpResponse

from sswis.dhis2.export import dhis2_export_build
from sswis.dhis2.push import message_of


def export_download(*, year: int, format: str) -> HttpResponse:
    """The export of ``year`` as a download (``sswis-dhis2-<year>.json`` or ``.xml``); what was left out is
    in the ``X-SSWIS-Not-Sent`` header as counts. ``ExportError``/``AdxInvalid`` when it cannot be made."""
    export = dhis2_export_build(year=year)
    message = message_of(export, format=format)
    adx = format == "adx"
    response = HttpResponse(message, content_type="application/adx+xml" if adx else "application/json")
    response["Content-Disposition"] = f'attachment; filename="sswis-dhis2-{year}.{"xml" if adx else "json"}"'
    response["X-SSWIS-Not-Sent"] = (
        f"locations={len(export.unmapped_locations)}; indicators={len(export.unmapped_indicators)}; "
        f"groups={len(export.unmapped_groups)}; unknown={len(export.no_figure)}"
    )
    return response
