"""Aggregate indicators (contract ``contracts/indicators.md``): any user with a role, outsiders refused.

The numbers are those of ``sswis.indicators.selectors.indicators_compute``, rendered by
``indicators_as_json``: the same code as the ``sswis indicators`` command and the dashboard.
"""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api import serializers
from sswis.api.permissions import AGGREGATES
from sswis.api.views.base import ServiceAPIView
from sswis.indicators.definitions import DIMENSIONS, INDICATORS
from sswis.indicators.selectors import indicators_as_json, indicators_compute


class IndicatorsView(ServiceAPIView):
    """The workforce indicators for a year, for every location or a location's subtree."""

    permission_classes = AGGREGATES

    @extend_schema(
        parameters=[serializers.IndicatorQuerySerializer],
        responses=serializers.IndicatorDocumentSerializer,
    )
    def get(self, request: Request) -> Response:
        """``{"year": Y, "rows": [...]}`` exactly as the indicators contract defines it (not paginated).

        ``by`` may be repeated (``by=cadre&by=sex``: their combinations); ``depth`` needs ``location``
        to mean "levels below it" (without it: levels below the country root).
        """
        query = serializers.IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            rows = indicators_compute(
                year=params["year"],
                by=params["by"],
                location=params.get("location"),
                depth=params.get("depth"),
            )
        except ValueError as problem:
            raise ValidationError({"non_field_errors": [str(problem)]}) from problem
        return Response(indicators_as_json(year=params["year"], rows=rows))


class IndicatorDefinitionsView(ServiceAPIView):
    """What each indicator means and which dimensions split it."""

    permission_classes = AGGREGATES

    @extend_schema(responses=serializers.IndicatorDefinitionsSerializer)
    def get(self, request: Request) -> Response:
        """Every indicator definition and every dimension, in the contract's order."""
        return Response(
            {
                "indicators": [
                    {**asdict(definition), "dimensions": list(definition.dimensions)}
                    for definition in INDICATORS.values()
                ],
                "dimensions": [asdict(dimension) for dimension in DIMENSIONS.values()],
            }
        )
