"""Person-level records and the establishment: posts, workers and assignments.

Only national data managers, subnational officers and organisation focal points may call these
endpoints (analysts, system administrators and outsiders get 403). Lists and details show only what
``sswis.access.policy`` (directly or through ``registry.selectors``) lets the user see, so rows out of
scope are absent from lists and 404 on detail. Writes go through ``registry.services``, which refuse a
change outside the user's scope with 403.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.fields import DateField
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from sswis.access import policy
from sswis.api import filters, serializers
from sswis.api.permissions import PERSON_RECORDS
from sswis.api.views.base import ServiceViewSet
from sswis.api.views.reference import CODE_IN_URL
from sswis.exports.http import MEDIA_TYPES, export_response
from sswis.exports.models import ExportFormat
from sswis.exports.services import worker_export
from sswis.registry.dates import PlausibleDateValidator
from sswis.registry.models import Assignment, Post, Worker
from sswis.registry.selectors import post_list
from sswis.registry.services import (
    assignment_end,
    assignment_start,
    assignment_transfer,
    assignment_update,
    post_create,
    post_update,
    worker_register,
    worker_update,
)

REFERENCE_DATE = OpenApiParameter(
    name="date",
    type=OpenApiTypes.DATE,
    location=OpenApiParameter.QUERY,
    description=gettext_lazy(
        "Reference date of `is_filled` (YYYY-MM-DD, default today; `vacant_on` sets it too)."
    ),
)


@extend_schema_view(
    list=extend_schema(parameters=[REFERENCE_DATE]),
    retrieve=extend_schema(parameters=[REFERENCE_DATE]),
)
class PostViewSet(ServiceViewSet[Post]):
    """The establishment: approved posts, with whether each is filled on a reference date."""

    permission_classes = PERSON_RECORDS
    serializer_class = serializers.PostSerializer
    detail_serializer_class = serializers.PostSerializer
    filterset_class = filters.PostFilter
    lookup_field = "code"
    lookup_value_regex = CODE_IN_URL

    def reference_date(self) -> datetime.date:
        """``vacant_on`` or ``date`` from the query string, else today; 400 if both are given and differ,
        or for a date outside 1900-2100 (``sswis.registry.dates``) like every other date."""
        days: dict[str, datetime.date] = {}
        for name in ("date", "vacant_on"):
            text = self.request.query_params.get(name)
            if text:
                try:
                    days[name] = DateField(validators=[PlausibleDateValidator(label=name)]).run_validation(
                        text
                    )
                except ValidationError as problem:
                    raise ValidationError({name: problem.detail}) from problem
        if len(set(days.values())) > 1:
            raise ValidationError({"date": _("Give either date or vacant_on, or the same day for both.")})
        return days.get("vacant_on") or days.get("date") or timezone.localdate()

    def get_queryset(self) -> QuerySet[Post]:
        return post_list(user=self.request.user, on=self.reference_date())

    def perform_create(self, serializer: BaseSerializer[Post]) -> None:
        post = post_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.refreshed(post)

    def perform_update(self, serializer: BaseSerializer[Post]) -> None:
        assert serializer.instance is not None
        serializer.instance = post_update(
            actor=self.request.user,
            post=serializer.instance,
            version=self.expected_version,
            **serializer.validated_data,
        )


EXPORT_FORMAT = OpenApiParameter(
    name="format",
    type=OpenApiTypes.STR,
    enum=[choice.value for choice in ExportFormat],
    default=ExportFormat.CSV.value,
    location=OpenApiParameter.QUERY,
    description=gettext_lazy(
        "File format: `csv` (UTF-8 with byte order mark, streamed) or `xlsx` (Excel workbook)."
    ),
)


@extend_schema_view(create=extend_schema(responses={201: serializers.WorkerSerializer}))
class WorkerViewSet(ServiceViewSet[Worker]):
    """Workers (personal data), by worker ID, with the same filters as the web worker list."""

    permission_classes = PERSON_RECORDS
    filterset_class = filters.WorkerFilter
    lookup_field = "worker_id"
    detail_serializer_class = serializers.WorkerSerializer
    lookup_value_regex = CODE_IN_URL

    def get_queryset(self) -> QuerySet[Worker]:
        return policy.workers_visible(user=self.request.user).order_by(
            "family_name", "given_name", "worker_id"
        )

    def get_serializer_class(self) -> type[BaseSerializer[Worker]]:
        if self.action == "create":
            return serializers.WorkerCreateSerializer
        return serializers.WorkerSerializer

    def perform_create(self, serializer: BaseSerializer[Worker]) -> None:
        fields: dict[str, Any] = dict(serializer.validated_data)
        first = fields.pop("first_assignment", None)
        serializer.instance = worker_register(
            actor=self.request.user,
            first_assignment=None if first is None else serializers.assignment_terms(first),
            **fields,
        )

    def perform_update(self, serializer: BaseSerializer[Worker]) -> None:
        assert serializer.instance is not None
        serializer.instance = worker_update(
            actor=self.request.user,
            worker=serializer.instance,
            version=self.expected_version,
            **serializer.validated_data,
        )

    file_actions = ("export",)

    @extend_schema(
        parameters=[EXPORT_FORMAT],
        filters=True,
        responses={
            (200, MEDIA_TYPES[ExportFormat.CSV].split(";")[0]): OpenApiTypes.BINARY,
            (200, MEDIA_TYPES[ExportFormat.XLSX]): OpenApiTypes.BINARY,
        },
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request: Request, format: str | None = None) -> HttpResponseBase:
        """Every worker of the list with the same filters (all pages), as a CSV or XLSX file: the
        worker's details and their current assignment (organisation, location, cadre). Each export is
        recorded with who made it. ``export.csv`` / ``export.xlsx`` (the URL's format suffix) choose the
        file format like ``?format=``."""
        text = format or request.query_params.get("format") or ExportFormat.CSV.value
        if text not in ExportFormat.values:
            raise ValidationError({"format": [f"Unknown export format {text!r}: choose csv or xlsx."]})
        filterset = filters.WorkerFilter(
            request.query_params, queryset=Worker.objects.none(), request=request
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        export = worker_export(
            actor=request.user, filters=filterset.worker_filters(), file_format=ExportFormat(text)
        )
        return export_response(export)


@extend_schema_view(
    update=extend_schema(
        request=serializers.AssignmentUpdateSerializer, responses=serializers.AssignmentSerializer
    ),
    partial_update=extend_schema(
        request=serializers.AssignmentUpdateSerializer, responses=serializers.AssignmentSerializer
    ),
)
class AssignmentViewSet(ServiceViewSet[Assignment]):
    """Assignments (a worker's role in an organisation, at a location, in a cadre, over a period), by uuid.

    Creating one starts it; PUT/PATCH correct its terms; ``end`` ends it; ``transfer`` ends it and starts
    the next one in one step.
    """

    permission_classes = PERSON_RECORDS
    serializer_class = serializers.AssignmentSerializer
    detail_serializer_class = serializers.AssignmentSerializer
    filterset_class = filters.AssignmentFilter
    lookup_field = "uuid"
    conditional_actions = ("end", "transfer")

    def get_queryset(self) -> QuerySet[Assignment]:
        return (
            policy.assignments_visible(user=self.request.user)
            .select_related("worker", "organisation", "location", "cadre", "post")
            .order_by("worker__worker_id", "start_date", "id")
        )

    def get_serializer_class(self) -> type[BaseSerializer[Assignment]]:
        if self.action in ("update", "partial_update"):
            return serializers.AssignmentUpdateSerializer
        return serializers.AssignmentSerializer

    def perform_create(self, serializer: BaseSerializer[Assignment]) -> None:
        data = serializer.validated_data
        serializer.instance = assignment_start(
            actor=self.request.user, worker=data["worker"], terms=serializers.assignment_terms(data)
        )

    def perform_update(self, serializer: BaseSerializer[Assignment]) -> None:
        """Correct paid, FTE, child protection, post, end date or exit reason (``assignment_update``)."""
        assert serializer.instance is not None
        serializer.instance = assignment_update(
            actor=self.request.user,
            assignment=serializer.instance,
            version=self.expected_version,
            **serializer.validated_data,
        )

    @extend_schema(request=serializers.AssignmentEndSerializer, responses=serializers.AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, uuid: str, format: str | None = None) -> Response:
        """End an open assignment on ``end_date`` (the last day in the role) with an exit reason."""
        assignment = self.get_object()
        self.preconditions(assignment)
        serializer = serializers.AssignmentEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = assignment_end(
            actor=request.user,
            assignment=assignment,
            version=self.expected_version,
            **serializer.validated_data,
        )
        return self.detail_response(assignment)

    @extend_schema(
        request=serializers.AssignmentTransferSerializer, responses={201: serializers.AssignmentSerializer}
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, uuid: str, format: str | None = None) -> Response:
        """End the assignment on ``last_day`` (reason ``transferred``) and start the new one: both or neither.

        The response is the new assignment.
        """
        assignment = self.get_object()
        self.preconditions(assignment)
        serializer = serializers.AssignmentTransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        new_assignment = assignment_transfer(
            actor=request.user,
            assignment=assignment,
            last_day=data["last_day"],
            terms=serializers.assignment_terms(data),
            version=self.expected_version,
        )
        return self.detail_response(new_assignment, status_code=status.HTTP_201_CREATED)
