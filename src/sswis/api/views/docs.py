"""The OpenAPI schema and its documentation pages, served entirely from this host (no CDN).

The pages are public, like the schema: they describe the API and hold no data. Their HTML loads the
Swagger UI / Redoc bundles from ``drf-spectacular-sidecar`` under ``/static/``; the Swagger UI start-up
script is a separate request (``?script``) so that the page needs no inline script.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

# The UI bundles set inline style attributes and Redoc runs its search in a blob: worker; everything
# still comes from this host only.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def _with_docs_policy(response: Response) -> Response:
    if getattr(settings, "SSWIS_CONTENT_SECURITY_POLICY", ""):
        response["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
    return response


class SwaggerDocsView(SpectacularSwaggerSplitView):
    """Swagger UI for the API, from local static files."""

    url_name = "api:schema"
    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _with_docs_policy(super().get(request, *args, **kwargs))


class RedocDocsView(SpectacularRedocView):
    """Redoc reference documentation for the API, from local static files."""

    url_name = "api:schema"
    template_name = "api/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _with_docs_policy(super().get(request, *args, **kwargs))
