"""``GET /api/v1/training/competencies/export/?format=csv|xlsx[&cadre=CODE...]``: the competency frameworks
as the import's spreadsheet, the same file as the page's export (``/training/competencies/export/``) and
``sswis training_framework_import --export``: the rows of
``training.framework_import.frameworks_export_rows``, one per competency a cadre requires, so an export
imported again changes nothing.

Read by whoever reads the frameworks: every role but a worker's own login
(``training_policy.require_catalogue_read``). ``format`` is this endpoint's own parameter, not DRF's
renderer override: refusals and bad parameters are answered in JSON (400 naming ``format`` or ``cadre``).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from sswis.api.fields import CodeRelatedField
from sswis.api.permissions import CATALOGUE
from sswis.api.views.base import ServiceAPIView
from sswis.api.views.mapping_template import JsonForMessages
from sswis.exports.http import MEDIA_TYPES, table_download
from sswis.exports.models import ExportFormat
from sswis.registry.models import Cadre
from sswis.training.framework_import import COLUMN_NAMES, frameworks_export_rows

EXPORT_NAME = "competency-frameworks"
"""The file's name without its suffix, as the page names it."""
EXPORT_SHEET = "frameworks"
"""The workbook's one sheet, as ``frameworks_export`` names it."""


class FrameworkExportQuerySerializer(serializers.Serializer[Any]):
    format = serializers.ChoiceField(
        choices=ExportFormat.choices,
        default=ExportFormat.CSV.value,
        help_text=gettext_lazy("csv (UTF-8 with a byte order mark) or xlsx"),
        error_messages={
            "invalid_choice": gettext_lazy('Unknown export format "{input}": choose csv or xlsx.')
        },
    )
    cadre = CodeRelatedField(
        queryset=Cadre.objects.all(),
        many=True,
        required=False,
        help_text=gettext_lazy(
            "a cadre's code, repeatable: only these cadres' frameworks (default: every one)"
        ),
    )


class FrameworkExportView(ServiceAPIView):
    """Every competency framework (or those of the cadres given) as the import's spreadsheet."""

    permission_classes = CATALOGUE
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonForMessages

    @extend_schema(
        parameters=[FrameworkExportQuerySerializer],
        responses={
            (200, MEDIA_TYPES[ExportFormat.CSV].split(";")[0]): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("competency-frameworks.csv")
            ),
            (200, MEDIA_TYPES[ExportFormat.XLSX]): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("competency-frameworks.xlsx")
            ),
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse | FileResponse:
        """The file as an attachment (``Content-Disposition`` names it), not paginated: the columns
        ``cadre, area_code, area_name, competency_code, competency_name, levels, level_required,
        description, survey_topic``, by cadre code, then in each framework's order. An unknown cadre: 400."""
        query = FrameworkExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        chosen = ExportFormat(query.validated_data["format"])
        cadres = query.validated_data.get("cadre") or []
        return table_download(
            header=COLUMN_NAMES,
            rows=frameworks_export_rows(cadre_codes=[cadre.code for cadre in cadres] if cadres else None),
            file_format=chosen,
            file_name=f"{EXPORT_NAME}.{chosen.value}",
            sheet=EXPORT_SHEET,
        )
