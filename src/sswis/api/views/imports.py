"""The import history and imports by API: the same records, scope rules and background task as the pages.

``POST /api/v1/imports/`` takes a mapping template (multipart form data), keeps it and queues its import
(``imports.services.import_record_submit``, the task of the upload page) and answers 202 with the record;
poll the record's ``url`` until its ``status`` is ``finished``, ``failed`` or ``interrupted`` (its
worker process ended before it finished: the import is one transaction, so nothing was written). A file over the import limit
is refused while it arrives (``imports.http.SizeLimitUploadHandler``) with 413 and nothing is kept.

Only users who may import call these endpoints (national data managers, subnational officers,
organisation focal points; others 403, anonymous 401). A national data manager sees every record, the
others their own (``policy.import_records_visible``): another user's record is 404 to them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api import serializers
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import IMPORTS
from sswis.api.views.base import FileActionsMixin, ServiceErrorsMixin, SizeLimitedUploadMixin
from sswis.imports.http import (
    PROBLEMS_MEDIA_TYPES,
    problems_response,
)
from sswis.imports.models import ImportRecord, ImportStatus
from sswis.imports.selectors import (
    import_record_detail,
    import_record_list,
    import_record_progress,
    import_record_report,
)
from sswis.imports.services import (
    UploadRefused,
    import_record_submit,
    import_records_interrupted_mark,
)

ERROR = OpenApiResponse(
    description=gettext_lazy("A JSON message: `detail`, or one list of messages per field."),
    response=OpenApiTypes.OBJECT,
)


@extend_schema_view(
    list=extend_schema(summary="The import history (newest first)"),
    retrieve=extend_schema(
        summary="One import: progress while it runs, counts and problems once finished",
        responses=serializers.ImportRecordDetailSerializer,
    ),
)
class ImportRecordViewSet(
    SizeLimitedUploadMixin,
    FileActionsMixin,
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[ImportRecord],
):
    """Imports of mapping templates, by uuid: upload one, follow it, read its result and problems."""

    permission_classes = IMPORTS
    serializer_class = serializers.ImportRecordSerializer
    pagination_class = ApiPagination
    parser_classes = [MultiPartParser]
    lookup_field = "uuid"
    lookup_value_regex = r"[0-9a-fA-F-]{36}"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Like the pages: an import whose worker died is shown as interrupted, not running forever.
        # (Here, after authentication, not in get_queryset: the schema generator calls that without a database.)
        import_records_interrupted_mark()

    def get_queryset(self) -> QuerySet[ImportRecord]:
        if self.action == "list":
            return import_record_list(user=self.request.user)
        return import_record_detail(user=self.request.user)

    file_actions = ("problems",)

    @extend_schema(
        summary="Import a mapping template in the background",
        request={"multipart/form-data": serializers.ImportUploadSerializer},
        responses={
            202: serializers.ImportRecordSerializer,
            400: ERROR,
            413: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description=gettext_lazy(
                    "The file is over the import limit (`SSWIS_IMPORT_MAX_BYTES`); nothing was kept."
                ),
                examples=[
                    OpenApiExample(
                        "too large",
                        value={
                            "detail": gettext_lazy("The file is larger than the 200 MB an import accepts.")
                        },
                    )
                ],
            ),
        },
    )
    def create(self, request: Request, format: str | None = None) -> Response:
        """Keep the file (SHA-256 and size recorded) and queue its import as the user; 202 with the record.

        The import runs in the background worker (``sswis db_worker``), exactly like an upload on the page.
        """
        received, too_large = self.uploaded_data(request)
        if too_large is not None:
            return too_large
        upload = serializers.ImportUploadSerializer(data=received)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        try:
            record = import_record_submit(
                actor=request.user,
                file_name=data["file"].name,
                chunks=data["file"].chunks(),
                mode=data["mode"],
                encoding=data["encoding"] or None,
            )
        except UploadRefused as refusal:
            raise ValidationError({"file": [str(refusal)]}) from refusal
        body = serializers.ImportRecordSerializer(record, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The record with ``progress`` (while running) and ``problems`` (once finished)."""
        record = self.get_object()
        context = {
            **self.get_serializer_context(),
            "progress": import_record_progress(record=record),
            "report": import_record_report(record=record),
        }
        return Response(serializers.ImportRecordDetailSerializer(record, context=context).data)

    @extend_schema(
        summary="The problems of a finished import as a file",
        parameters=[serializers.ImportProblemsQuerySerializer],
        responses={
            (200, PROBLEMS_MEDIA_TYPES["csv"].split(";")[0]): OpenApiTypes.BINARY,
            (200, PROBLEMS_MEDIA_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (409, "application/json"): ERROR,
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def problems(self, request: Request, uuid: str, format: str | None = None) -> HttpResponseBase:
        """Every problem (file, row, column, value, message, severity) as CSV or XLSX, the same file as the
        page's download; values that a spreadsheet would run as a formula are written as text. 409 while
        the import is queued or running; 404 when it failed or was interrupted (it has no report).

        ``problems.csv`` / ``problems.xlsx`` (the URL's format suffix) choose the file format like ``?format=``."""
        record = self.get_object()
        parameters = request.query_params.dict() | ({"format": format} if format else {})
        query = serializers.ImportProblemsQuerySerializer(data=parameters)
        query.is_valid(raise_exception=True)
        report = import_record_report(record=record)
        if report is None:
            if record.status == ImportStatus.FAILED:
                raise NotFound(gettext("This import could not run, so it has no problems report."))
            if record.status == ImportStatus.INTERRUPTED:
                raise NotFound(
                    gettext("This import was interrupted before it finished, so it has no problems report.")
                )
            return Response(
                {
                    "detail": gettext(
                        "The status of this import is %(status)s: its problems are known once it has finished."
                    )
                    % {"status": record.get_status_display()}
                },
                status=status.HTTP_409_CONFLICT,
            )
        # For programs: the header and severities are the same codes in every language.
        return problems_response(
            record=record, report=report, file_format=query.validated_data["format"], translated=False
        )
