"""``GET /api/v1/template/?format=xlsx|csv``: the blank mapping template, for users who may import.

The file is the one of ``sswis template`` and of the web page (``sswis.imports.template.template_write``).
``format`` is this endpoint's own parameter, not DRF's renderer override: the negotiation below ignores
it, so refusals and bad parameters are always answered in JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from sswis.api.permissions import IMPORTS
from sswis.api.views.base import ServiceAPIView
from sswis.imports.template import TEMPLATE_FORMATS, template_spooled


class JsonForMessages(BaseContentNegotiation):
    """Messages (errors) in JSON whatever the ``format`` parameter says; the file itself is not rendered."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class TemplateQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """Query parameters of the template endpoint."""

    format = serializers.ChoiceField(
        choices=list(TEMPLATE_FORMATS),
        default="xlsx",
        help_text=gettext_lazy(
            "xlsx: one workbook with instructions and drop-down lists; csv: a zip of CSV files."
        ),
    )


class MappingTemplateView(ServiceAPIView):
    """The blank workforce mapping template, as a download."""

    permission_classes = IMPORTS
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonForMessages

    @extend_schema(
        parameters=[TemplateQuerySerializer],
        responses={
            (200, fmt.media_type): OpenApiResponse(OpenApiTypes.BINARY, description=fmt.label)
            for fmt in TEMPLATE_FORMATS.values()
        },
    )
    def get(self, request: Request) -> FileResponse:
        """The file as an attachment (``Content-Disposition`` names it), not paginated."""
        query = TemplateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        chosen, stream = template_spooled(format=query.validated_data["format"])
        return FileResponse(
            stream, as_attachment=True, filename=chosen.filename, content_type=chosen.media_type
        )
