"""Shared behaviour of the API views: service errors become HTTP errors."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from sswis.api.conditional import ConditionalRequestsMixin, ConditionalRequestsSchema
from sswis.api.pagination import ApiPagination
from sswis.api.query import BlankQueryValuesMixin
from sswis.imports.http import SizeLimitUploadHandler, upload_refused
from sswis.imports.report import ImportReport, report_as_dict
from sswis.imports.services import too_large_message

_M = TypeVar("_M", bound=Model)


def validation_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """The field -> messages mapping of a service's ``ValidationError`` (whole-row problems under
    ``non_field_errors``, as DRF names them)."""
    messages = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): list(texts)
        for name, texts in messages.items()
    }


def form_data(request: Request) -> dict[str, str]:
    """The request's body as a form's data, the text a browser would send, for the forms shared with the
    pages (``regulation.steps`` and its kind): a number is its text, ``true``/``false`` the checkbox's, a
    ``null`` the field left out; a body that is not an object is no data (every field missing). A field
    given a list or an object, which no form field reads, is refused (400) naming the field."""
    data = request.data
    if not hasattr(data, "items"):
        return {}
    refused = {
        name: [gettext("Give one value, not a list or an object.")]
        for name, value in data.items()
        if isinstance(value, list | dict)
    }
    if refused:
        raise exceptions.ValidationError(refused)
    return {
        name: ("true" if value else "false") if isinstance(value, bool) else str(value)
        for name, value in data.items()
        if value is not None
    }


def form_cleaned_data(form: Any) -> dict[str, Any]:
    """A form's cleaned data (the forms shared with the pages: ``form_data``), or a 400 naming each
    refused field (the form's own problems under ``non_field_errors``, as DRF names them)."""
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): [
                    str(e) for e in errors
                ]
                for name, errors in form.errors.items()
            }
        )
    return dict(form.cleaned_data)


class ServiceErrorsMixin(BlankQueryValuesMixin):
    """Map a service's ``django.core.exceptions.ValidationError`` to 400 with field messages. (Every API
    view has this mixin, so it also reads the query string the API's way: ``sswis.api.query``.)

    ``PermissionDenied`` (403) and ``Http404`` are already mapped by DRF. Services are atomic, so a
    refused write has written nothing.
    """

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(detail=validation_error_detail(exc))
        return super().handle_exception(exc)  # type: ignore[misc]


class FileActionsMixin:
    """Actions that answer with a file (``file_actions``) read ``?format=`` (or the URL's suffix)
    themselves, as the file format, so DRF's content negotiation must not: their answers that are not
    the file (errors, refusals) are JSON like the rest of the API. That holds for every request on
    their route, a method they do not accept included (405, not a 404 for an unknown ``format``)."""

    file_actions: tuple[str, ...] = ()

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[BaseRenderer, str]:
        route_actions = set(getattr(self, "action_map", {}).values())  # every method's action on the route
        if {getattr(self, "action", None), *route_actions} & set(self.file_actions):
            renderer = JSONRenderer()
            return renderer, renderer.media_type
        return super().perform_content_negotiation(request, force)  # type: ignore[misc]


class SizeLimitedUploadMixin:
    """For an endpoint that receives files: the import size limit is in place before anything reads the
    body (``imports.http.SizeLimitUploadHandler``), and :meth:`uploaded_data` gives the body or a 413."""

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # Upload handlers can only be changed before the body is read, and the session authentication's
        # CSRF check reads it: so here, before anything else.
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)  # type: ignore[misc]

    @staticmethod
    def uploaded_data(request: Request) -> tuple[Any, Response | None]:
        """The received body, and the 413 answer to give instead when a file was over the limit (the
        handler stopped it on the way: nothing of it was kept)."""
        received = request.data  # receives the body: the size limit may stop it on the way
        if upload_refused(request._request):
            refusal = {"detail": too_large_message(file_name="The file")}
            return received, Response(refusal, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        return received, None

    @staticmethod
    def report_response(report: ImportReport) -> Response:
        """An import's answer: its report, with 400 when it has errors (nothing written), else 200."""
        answer = status.HTTP_400_BAD_REQUEST if report.has_errors else status.HTTP_200_OK
        return Response(report_as_dict(report=report), status=answer)


class ServiceAPIView(ServiceErrorsMixin, APIView):
    """An ``APIView`` whose service errors become 400."""


class ServiceViewSet(
    FileActionsMixin,
    ConditionalRequestsMixin,
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[_M],
):
    """List, retrieve, create and update (no delete: history is kept) with writes done by services.

    Subclasses implement ``perform_create``/``perform_update`` by calling a service and setting
    ``serializer.instance`` to its result; ``serializer.save()`` is never called. Details and writes
    carry an ``ETag`` and honour ``If-None-Match``/``If-Match`` (``sswis.api.conditional``):
    ``perform_update`` passes ``self.expected_version`` to the service as ``version=``.
    """

    pagination_class = ApiPagination
    schema = ConditionalRequestsSchema()

    def refreshed(self, instance: _M) -> _M:
        """Re-read a written row through ``get_queryset`` so that the response has its annotations and
        joined rows (e.g. a post's ``is_filled``)."""
        return self.get_queryset().get(pk=instance.pk)
