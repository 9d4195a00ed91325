"""How the OpenAPI schema describes sswis's authentication and the refusals every operation can give."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import serializers


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """knox's token, under the name the schema has always used (``tokenAuth``): the header
    ``Authorization: Token <token>``, the token from ``POST /api/v1/auth/token/``."""

    target_class = "knox.auth.TokenAuthentication"
    name = "tokenAuth"
    priority = 1  # before drf-spectacular's own knox extension ("knoxApiToken")

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return dict(build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token"))


class ErrorSerializer(serializers.Serializer[Any]):
    """The body of a refusal that is not about the fields of the request: ``{"detail": "..."}``."""

    detail = serializers.CharField(help_text=_("Why the request was refused, in the user's language."))


class ValidationErrorSerializer(serializers.Serializer[Any]):
    """The body of a 400: each refused field (or query parameter) with its messages; problems of the
    request as a whole under ``non_field_errors``, a refusal of the whole request under ``detail``."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    detail = serializers.CharField(required=False)

    class Meta:
        # Field names are those of the request; the schema cannot list them all, so they are allowed.
        ref_name = "ValidationError"


_REFUSALS: dict[str, Any] = {
    "400": _(
        "Bad request: the named fields or parameters were refused (text with a control, format or "
        "unassigned character is refused everywhere, the address too); nothing was written."
    ),
    "401": _("Not authenticated: no valid API token (or session) was given."),
    "403": _("Forbidden: the user's role or area does not allow this."),
    "404": _("Not found, or outside the user's area (or a page past the last)."),
    "415": _("Unsupported media type: send the body as JSON (or a form, or a file upload where named)."),
}


class ApiAutoSchema(AutoSchema):
    """The default schema of every API operation, plus what holds for all of them:

    * the refusals each can give, with their bodies: 400 everywhere (a path or query parameter with a
      character the text rule refuses, ``sswis.text``; a refused parameter or body), 401 and 403 where a
      signed-in user is needed, 404 where the operation names a record or is a paged list, 415 where it
      takes a body. Responses an operation documents itself are kept as they are;
    * an optional query parameter may be sent empty (``?cadre=``), which is the same as leaving it out
      (``sswis.api.query``), as a browser's form sends it; a required one may not;
    * ``page`` and ``page_size`` are whole numbers from 1.
    """

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            if parameter["in"] != "query":
                continue
            if parameter["name"] in ("page", "page_size"):
                parameter["schema"]["minimum"] = 1
            if not parameter.get("required"):
                parameter["allowEmptyValue"] = True
            elif parameter["schema"].get("type") == "string":
                parameter["schema"].setdefault("minLength", 1)
        locations = {parameter["in"] for parameter in parameters}
        names = {parameter["name"] for parameter in parameters}
        has_body = "requestBody" in operation
        codes = ["400"]
        security = operation.get("security", [])
        if security and {} not in security:  # {}: anonymous callers are accepted too
            codes += ["401", "403"]
        if "path" in locations or "page" in names:
            codes.append("404")
        if has_body:
            codes.append("415")
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        invalid = self.resolve_serializer(ValidationErrorSerializer, "response").ref
        responses = operation.setdefault("responses", {})
        for code in codes:
            body = invalid if code == "400" else error
            responses.setdefault(
                code, {"description": str(_REFUSALS[code]), "content": {"application/json": {"schema": body}}}
            )
        return operation
