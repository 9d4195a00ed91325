"""The directory's HTTP conventions: FHIR JSON responses, errors as OperationOutcome, the base view.

Every answer is ``application/fhir+json; charset=utf-8`` (JSON is the only format: ``Accept`` is not
negotiated, ``_format`` other than JSON is refused with 406). Every error is an OperationOutcome whose
first issue has severity ``error`` and a code that says what went wrong:

====== =================== ================================================================
status issue code          when
====== =================== ================================================================
400    ``invalid``         a parameter or value the directory does not understand
401    ``login``           no or bad credentials (``WWW-Authenticate: Token``)
403    ``forbidden``       the reader's role gives no access to the directory
404    ``not-found``       no such resource (or out of the reader's scope), no such version
405    ``not-supported``   a method the route does not serve
406    ``not-supported``   a format other than JSON
410    ``deleted``         the resource was deleted (vread of a deleted resource)
415    ``not-supported``   a POST ``_search`` body that is not form-encoded
====== =================== ================================================================

Authentication is the API's (``Authorization: Token <key>`` from ``sswis token``/the tokens page, or
the session of a signed-in browser).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser, FormParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sswis.access import fhir_policy

FHIR_JSON = "application/fhir+json"


class FhirError(Exception):
    """An error answered as an OperationOutcome with ``status`` and the FHIR issue ``code``."""

    def __init__(self, *, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def invalid(message: str) -> FhirError:
    """A 400 ``invalid``: a request the directory does not understand (``message`` says where and what)."""
    return FhirError(status=400, code="invalid", message=message)


def not_found(message: str | None = None) -> FhirError:
    return FhirError(status=404, code="not-found", message=message or gettext("No such resource."))


def operation_outcome(
    *, code: str, message: str, severity: str = "error", more: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """An OperationOutcome with one issue (and ``more`` after it)."""
    issue = {"severity": severity, "code": code, "diagnostics": message}
    return {"resourceType": "OperationOutcome", "issue": [issue, *(more or [])]}


def outcome_response(
    *, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(operation_outcome(code=code, message=message), status=status, headers=headers)


def _drf_outcome(exc: exceptions.APIException) -> tuple[int, str]:
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return exc.status_code, "login" if exc.status_code == 401 else "forbidden"
    if isinstance(exc, exceptions.PermissionDenied):
        return 403, "forbidden"
    if isinstance(exc, exceptions.NotFound):
        return 404, "not-found"
    if isinstance(
        exc, exceptions.MethodNotAllowed | exceptions.UnsupportedMediaType | exceptions.NotAcceptable
    ):
        return exc.status_code, "not-supported"
    if isinstance(exc, exceptions.Throttled):
        return exc.status_code, "throttled"
    if exc.status_code == 400:
        return 400, "invalid"
    return exc.status_code, "exception"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error of a directory view as an OperationOutcome; other exceptions propagate (a 500)."""
    if isinstance(exc, FhirError):
        return outcome_response(status=exc.status, code=exc.code, message=exc.message)
    if isinstance(exc, Http404):
        return outcome_response(status=404, code="not-found", message=gettext("No such resource."))
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc) or gettext("You may not read the directory.")
        return outcome_response(status=403, code="forbidden", message=message)
    if isinstance(exc, exceptions.APIException):
        status, code = _drf_outcome(exc)
        headers = {}
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return outcome_response(status=status, code=code, message=str(detail), headers=headers)
    return None


class FhirJsonRenderer(JSONRenderer):
    """JSON with the FHIR media type (UTF-8, not ASCII-escaped, compact), written by orjson: a history
    page of 1,000 Practitioners is about 1.5 MB, which the standard library's encoder took a tenth of the
    page's time to write. Values orjson does not know (none in a resource today) go through DRF's own
    encoder, as with the standard renderer."""

    media_type = FHIR_JSON
    format = "json"
    charset = "utf-8"
    ensure_ascii = False

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if data is None:
            return b""
        encoder = self.encoder_class()
        return orjson.dumps(data, default=encoder.default)


class JsonOnly(BaseContentNegotiation):
    """FHIR JSON whatever ``Accept`` says (a FHIR server answers in a format it has); ``_format`` is
    checked by the view."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        for parser in parsers:
            if request.content_type.split(";")[0].strip() == parser.media_type:
                return parser
        return None

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class DirectoryReader(BasePermission):
    """Signed in and allowed the directory (``sswis.access.fhir_policy``)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated()
        fhir_policy.require_directory(user=request.user)
        return True


JSON_FORMATS = frozenset({"json", "application/json", "application/fhir+json", "application/json+fhir"})


class FhirView(APIView):
    """Base of the directory's views: FHIR JSON, OperationOutcome errors, directory readers only."""

    renderer_classes = [FhirJsonRenderer]
    parser_classes = [FormParser]
    schema = None  # not part of the OpenAPI schema of /api/v1/: the CapabilityStatement describes it
    content_negotiation_class = JsonOnly
    permission_classes = [DirectoryReader]

    def get_exception_handler(self) -> Any:
        return exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        requested = request.query_params.getlist("_format")
        if any(value.split(";")[0].strip() not in JSON_FORMATS for value in requested):
            raise FhirError(
                status=406,
                code="not-supported",
                message=gettext("The directory answers in JSON only (_format=json)."),
            )

    def base_url(self, request: HttpRequest) -> str:
        """The directory's base (``http://host/fhir``), for ``fullUrl``s and links."""
        return request.build_absolute_uri("/fhir").rstrip("/")


def fhir_not_found_response(request: HttpRequest) -> HttpResponse:
    """A 404 OperationOutcome for an address under ``/fhir/`` that leads nowhere (an unknown type)."""
    import json

    body = operation_outcome(
        code="not-found",
        message=gettext("The directory has no such address: %(path)s") % {"path": request.path},
    )
    return HttpResponse(json.dumps(body), status=404, content_type=f"{FHIR_JSON}; charset=utf-8")
