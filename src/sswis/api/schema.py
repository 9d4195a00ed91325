"""How the OpenAPI schema describes sswis's authentication."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """knox's token, under the name the schema has always used (``tokenAuth``): the header
    ``Authorization: Token <token>``, the token from ``POST /api/v1/auth/token/``."""

    target_class = "knox.auth.TokenAuthentication"
    name = "tokenAuth"
    priority = 1  # before drf-spectacular's own knox extension ("knoxApiToken")

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return dict(build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token"))
