"""Workers' perceptions as aggregates, and the survey rounds: any user with a role, outsiders refused.

The figures are those of ``sswis.surveys.selectors.perception_summary``, the same as the ``sswis
perceptions`` command and the perceptions page: counts and shares per answer, never a person's answers,
withheld for fewer than ``MINIMUM_RESPONDENTS`` respondents.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api import serializers
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import AGGREGATES
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.api.views.reference import CODE_IN_URL
from sswis.surveys.models import SurveyRound
from sswis.surveys.selectors import (
    MINIMUM_RESPONDENTS,
    perception_summary,
    survey_round_list,
    withheld_explanation,
)


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
        return Response(
            {
                **asdict(summary),
                "minimum_respondents": MINIMUM_RESPONDENTS,
                "withheld_explanation": withheld_explanation(summary=summary),
            }
        )
