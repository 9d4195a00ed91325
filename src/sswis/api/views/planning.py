"""Workforce planning (contract ``contracts/planning.md``): any user with a role, outsiders refused.

The figures are aggregates (counts by location and cadre are never small cells: ``contracts/indicators.md``)
and come from ``sswis.planning``, the same functions as ``sswis plan``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api import planning_serializers as serializers
from sswis.api.permissions import AGGREGATES
from sswis.api.views.base import ServiceAPIView
from sswis.planning.norms import norm_gaps, norm_gaps_as_json


class NormGapsView(ServiceAPIView):
    """Required staff and gaps from the norms, for every location (or a location's subtree) and year."""

    permission_classes = AGGREGATES

    @extend_schema(
        parameters=[serializers.NormGapQuerySerializer], responses=serializers.NormGapDocumentSerializer
    )
    def get(self, request: Request) -> Response:
        """``{"year": Y, "rows": [...]}``: for every location and group (whole workforce, cadre category,
        cadre) with a norm in force in the year, the target, the child population, the counted workforce,
        the required staff and the gap, unrounded (not paginated); the nearest location's norm wins."""
        query = serializers.NormGapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            rows = norm_gaps(year=params["year"], location=params.get("location"), depth=params.get("depth"))
        except ValueError as problem:
            raise ValidationError({"non_field_errors": [str(problem)]}) from problem
        return Response(norm_gaps_as_json(year=params["year"], rows=rows))
