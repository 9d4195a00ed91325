"""The DHIS2 API (``/api/v1/dhis2/``): the push history (list, detail with every conflict), starting a push
(a background job), and the export of a year (``?year=&format=json|adx``). National data managers only
(``access.dhis2_policy``): the figures include the small cells withheld from other readers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api.dhis2_serializers import (
    Dhis2ExportQuerySerializer,
    Dhis2PushDetailSerializer,
    Dhis2PushSerializer,
    Dhis2PushStartSerializer,
)
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import DHIS2
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.dhis2.client import Dhis2Error, connection_from_environment
from sswis.dhis2.download import export_download
from sswis.dhis2.export import ExportError
from sswis.dhis2.formats import AdxInvalid
from sswis.dhis2.models import Dhis2Push, PushOrigin
from sswis.dhis2.push import dhis2_push_create, dhis2_push_queue


class Dhis2PushListView(ServiceErrorsMixin, generics.ListCreateAPIView[Dhis2Push]):
    """GET: every push, newest first. POST ``{"year", "format": "json"|"adx", "dry_run"}``: push the year's
    counts to ``SSWIS_DHIS2_URL`` with the server's token, as a background job (202 with the push)."""

    permission_classes = DHIS2
    pagination_class = ApiPagination
    serializer_class = Dhis2PushSerializer

    def get_queryset(self) -> QuerySet[Dhis2Push]:
        return Dhis2Push.objects.select_related("user").order_by("-created_at", "-id")

    @extend_schema(operation_id="dhis2_pushes")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="dhis2_push_start",
        request=Dhis2PushStartSerializer,
        responses={202: Dhis2PushDetailSerializer},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        asked = Dhis2PushStartSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            connection = connection_from_environment()
            push = dhis2_push_create(
                actor=request.user,
                url=connection.url,
                year=asked.validated_data["year"],
                format=asked.validated_data["format"],
                dry_run=asked.validated_data["dry_run"],
                origin=PushOrigin.API,
            )
        except Dhis2Error as problem:
            raise exceptions.ValidationError({"non_field_errors": [problem.message]}) from None
        except ValueError as problem:
            raise exceptions.ValidationError({"non_field_errors": [str(problem)]}) from None
        push = dhis2_push_queue(push=push)
        return Response(Dhis2PushDetailSerializer(push).data, status=status.HTTP_202_ACCEPTED)


class Dhis2PushDetailView(ServiceErrorsMixin, generics.RetrieveAPIView[Dhis2Push]):
    """One push with DHIS2's summary and every conflict, with the value it concerns."""

    permission_classes = DHIS2
    serializer_class = Dhis2PushDetailSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Dhis2Push]:
        return Dhis2Push.objects.select_related("user").prefetch_related("conflicts")

    @extend_schema(operation_id="dhis2_push")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


ERROR = OpenApiResponse(
    description=gettext_lazy("A JSON message: `detail`, or one list of messages per field."),
    response=OpenApiTypes.OBJECT,
)


class Dhis2ExportView(ServiceAPIView):
    """``?year=Y&format=json|adx``: the year's counts as a dataValueSets JSON document or an ADX message
    (a download); the counts of what was left out are in the ``X-SSWIS-Not-Sent`` header. 409 when there
    is nothing to export (no mapping imported, no mapped location); errors are JSON."""

    permission_classes = DHIS2

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[Any, str]:
        # ``format`` names the file's format (json or adx), checked as a parameter; answers other than the
        # file (refusals) are JSON.
        return JSONRenderer(), "application/json"

    @extend_schema(
        operation_id="dhis2_export",
        parameters=[Dhis2ExportQuerySerializer],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "application/adx+xml"): OpenApiTypes.BINARY,
            (400, "application/json"): ERROR,
            (409, "application/json"): ERROR,
        },
    )
    def get(self, request: Request) -> HttpResponseBase:
        query = Dhis2ExportQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        try:
            return export_download(year=query.validated_data["year"], format=query.validated_data["format"])
        except (ExportError, AdxInvalid) as problem:
            return Response({"detail": problem.message}, status=status.HTTP_409_CONFLICT)
