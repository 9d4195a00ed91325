"""The reports API (``/api/v1/reports/``): ask for a country workforce profile (made in the background,
202 with the report), the report history the user may read, one report and its file. Who may:
``access.reports_policy`` (any role that sees aggregates; the history shows each their own profiles and
the publications, the national data manager every profile). See ``docs/reports.md``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api.pagination import ApiPagination
from sswis.api.permissions import REPORTS
from sswis.api.report_serializers import ProfileReportSerializer, ProfileRequestSerializer
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.api.views.mapping_template import JsonForMessages
from sswis.geo.models import Location
from sswis.reports.models import ProfileReport, ReportFormat, ReportOrigin, ReportStatus
from sswis.reports.selectors import profile_reports_listed
from sswis.reports.services import (
    profile_report_create,
    profile_report_queue,
    profile_reports_interrupted_mark,
)

ERROR = OpenApiResponse(
    description=gettext_lazy("A JSON message: `detail`, or one list of messages per field."),
    response=OpenApiTypes.OBJECT,
)
MEDIA_TYPES = {ReportFormat.PDF: "application/pdf", ReportFormat.HTML: "text/html"}


class ProfileReportListView(ServiceErrorsMixin, generics.ListAPIView[ProfileReport]):
    """The profiles the user may read, newest first; ``POST`` asks for a new one."""

    permission_classes = REPORTS
    pagination_class = ApiPagination
    serializer_class = ProfileReportSerializer

    def get_queryset(self) -> QuerySet[ProfileReport]:
        return profile_reports_listed(user=self.request.user)

    @extend_schema(operation_id="reports_profiles_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        profile_reports_interrupted_mark()  # profiles left running by a stopped process
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="reports_profiles_request",
        request=ProfileRequestSerializer,
        responses={202: ProfileReportSerializer, 400: ERROR},
    )
    def post(self, request: Request) -> Response:
        """Make the profile in the background (``sswis db_worker``); 202 with the report, whose ``url``
        tells its progress and, once made, its ``download``."""
        asked = ProfileRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        location = Location.objects.filter(code=data["location"]).first()
        if location is None:
            raise exceptions.ValidationError(
                {"location": [gettext("No location has the code %(code)s.") % {"code": data["location"]}]}
            )
        report = profile_report_create(
            actor=request.user,
            location=location,
            year=data["year"],
            language=data["language"],
            format=data["format"],
            publication=data["publication"],
            origin=ReportOrigin.API,
        )
        report = profile_report_queue(report=report)
        body = ProfileReportSerializer(report).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


def _report(request: Request, report_uuid: Any) -> ProfileReport:
    report = profile_reports_listed(user=request.user).filter(uuid=report_uuid).first()
    if report is None:
        raise Http404(gettext("No report with this identifier that you may read."))
    return report


class ProfileReportDetailView(ServiceAPIView):
    """One report: what was asked, by whom, from which data, its status and progress."""

    permission_classes = REPORTS

    @extend_schema(operation_id="reports_profiles_retrieve", responses={200: ProfileReportSerializer})
    def get(self, request: Request, report_uuid: Any) -> Response:
        return Response(ProfileReportSerializer(_report(request, report_uuid)).data)


class ProfileReportDownloadView(ServiceAPIView):
    """The report's file (PDF or HTML) as an attachment; 409 while it is not made (or failed)."""

    permission_classes = REPORTS
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonForMessages

    @extend_schema(
        operation_id="reports_profiles_download",
        responses={
            **{
                (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=str(fmt.label))
                for fmt, media_type in MEDIA_TYPES.items()
            },
            (409, "application/json"): ERROR,
        },
    )
    def get(self, request: Request, report_uuid: Any) -> Any:
        report = _report(request, report_uuid)
        if report.status != ReportStatus.FINISHED or not report.file:
            return Response(
                {
                    "detail": gettext("The report has no file: it is %(status)s.")
                    % {"status": report.get_status_display()}
                },
                status=status.HTTP_409_CONFLICT,
            )
        return FileResponse(
            report.file.open("rb"),
            as_attachment=True,
            filename=report.file_name,
            content_type=MEDIA_TYPES[ReportFormat(report.format)],
        )
