"""Workers' perceptions as aggregates and the survey rounds (any user with a role, outsiders refused);
the questionnaire and the import of field submissions (national data managers only).

The figures are those of ``sswis.surveys.selectors.perception_summary``, the same as the ``sswis
perceptions`` command and the perceptions page: counts and shares per answer, never a person's answers,
withheld for fewer than ``MINIMUM_RESPONDENTS`` respondents.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api import serializers
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import AGGREGATES, NATIONAL_IMPORTS
from sswis.api.survey_serializers import SubmissionsImportSerializer, XLSFormQuerySerializer
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin, SizeLimitedUploadMixin
from sswis.api.views.imports import ERROR
from sswis.api.views.mapping_template import JsonForMessages
from sswis.api.views.reference import CODE_IN_URL
from sswis.imports.template import XLSX_MEDIA_TYPE
from sswis.surveys.models import SurveyRound
from sswis.surveys.queued import SERVER_FIELDS, SubmissionsRefused, submissions_submit
from sswis.surveys.selectors import (
    MINIMUM_RESPONDENTS,
    perception_summary,
    survey_round_list,
    withheld_explanation,
)
from sswis.surveys.wellbeing import wellbeing_summary
from sswis.surveys.xlsform import XLSFormError, xlsform_file


class SurveyRoundViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[SurveyRound],
):
    """Rounds of the workers' perceptions survey, newest first, by code."""

    permission_classes = AGGREGATES
    queryset = SurveyRound.objects.none()  # the model, for the schema; rows come from get_queryset
    serializer_class = serializers.SurveyRoundSerializer
    pagination_class = ApiPagination
    lookup_field = "code"
    lookup_value_regex = CODE_IN_URL

    def get_queryset(self) -> QuerySet[SurveyRound]:
        return survey_round_list(user=self.request.user)


class PerceptionsView(ServiceAPIView):
    """Workers' perceptions of a survey round, for a location and everything under it."""

    permission_classes = AGGREGATES

    @extend_schema(
        parameters=[serializers.PerceptionQuerySerializer],
        responses=serializers.PerceptionSummarySerializer,
    )
    def get(self, request: Request) -> Response:
        """Counts and shares per answer of every question (not paginated); ``questions`` is empty and
        ``withheld`` true when fewer than ``minimum_respondents`` workers answered there, or in a place
        within it (``withheld_reason``, ``withheld_explanation``)."""
        query = serializers.PerceptionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        location = query.validated_data.get("location")
        summary = perception_summary(
            user=request.user,
            round_code=query.validated_data["round"].code,
            location_code=location.code if location is not None else "",
        )
        wellbeing = wellbeing_summary(
            user=request.user, survey_round=query.validated_data["round"], location=location
        )
        return Response(
            {
                **asdict(summary),
                "minimum_respondents": MINIMUM_RESPONDENTS,
                "withheld_explanation": withheld_explanation(summary=summary),
                "wellbeing": [scale.as_json() for scale in wellbeing.scales],
            }
        )


class XLSFormView(ServiceAPIView):
    """The worker mapping questionnaire (XLSForm) for ODK Collect and KoboToolbox, made from the registry."""

    permission_classes = NATIONAL_IMPORTS
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonForMessages

    @extend_schema(
        parameters=[XLSFormQuerySerializer],
        responses={
            (200, XLSX_MEDIA_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("The XLSForm workbook.")
            )
        },
    )
    def get(self, request: Request) -> HttpResponse:
        """The same file as ``sswis xlsform`` and the field survey page, versioned with the current time."""
        query = XLSFormQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            download = xlsform_file(with_perceptions=query.validated_data["perceptions"] == "true")
        except XLSFormError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        response = HttpResponse(download.content, content_type=XLSX_MEDIA_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
        return response


class SubmissionsImportView(SizeLimitedUploadMixin, ServiceAPIView):
    """Import field submissions in the background, like a template upload (``POST /api/v1/imports/``)."""

    permission_classes = NATIONAL_IMPORTS
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Import field survey submissions in the background",
        request={
            "multipart/form-data": SubmissionsImportSerializer,
            "application/json": SubmissionsImportSerializer,
        },
        responses={202: serializers.ImportRecordSerializer, 413: ERROR},
    )
    def post(self, request: Request) -> Response:
        """Read the submissions (a server is read now, with credentials that are not kept), keep them and
        queue their import as the user; 202 with the import record, followed at its ``url`` exactly like
        an upload. A server that cannot be read, or an unknown survey round, is a 400 and nothing is kept."""
        received, too_large = self.uploaded_data(request)
        if too_large is not None:
            return too_large
        given = SubmissionsImportSerializer(data=received)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            record = submissions_submit(
                actor=request.user,
                source=data["source"],
                round_code=data["round"].code if data["round"] is not None else "",
                dry_run=data["dry_run"],
                upload=data.get("file"),
                **{name: data[name] for name in SERVER_FIELDS},
            )
        except SubmissionsRefused as refusal:
            raise ValidationError({"non_field_errors": [refusal.message]}) from refusal
        body = serializers.ImportRecordSerializer(record, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})
