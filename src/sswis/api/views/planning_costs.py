"""Costing through the API: the workforce's yearly cost and the cost of closing its gaps (any role), and
the salary scales and other costs per worker they come from (read by any role, set by a national
planner)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import policy
from sswis.api import planning_serializers
from sswis.api.fields import CodeRelatedField
from sswis.api.permissions import AGGREGATES
from sswis.api.views.base import ServiceAPIView
from sswis.planning.costs import workforce_costs, workforce_costs_as_json
from sswis.planning.models import CadreCost, SalaryScale
from sswis.planning.services import cadre_cost_set, salary_scale_set
from sswis.registry.models import Cadre


class CostRowSerializer(serializers.Serializer[Any]):
    location = serializers.CharField()
    cadre = serializers.CharField()
    counted = serializers.IntegerField()
    unpriced = serializers.IntegerField(
        help_text=gettext_lazy("Workers whose cadre has no salary scale in force.")
    )
    salary_cost = serializers.FloatField()
    on_costs = serializers.FloatField()
    non_salary_costs = serializers.FloatField()
    total_cost = serializers.FloatField()
    shortage = serializers.FloatField(allow_null=True)
    cost_to_close = serializers.FloatField(allow_null=True)


class CostsDocumentSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    rows = CostRowSerializer(many=True)


class SalaryScaleSerializer(serializers.Serializer[Any]):
    cadre = CodeRelatedField(queryset=Cadre.objects.all())
    grade = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    annual_salary = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    valid_from = serializers.IntegerField(min_value=1900, max_value=2100)


class CadreCostSerializer(serializers.Serializer[Any]):
    cadre = CodeRelatedField(queryset=Cadre.objects.all())
    valid_from = serializers.IntegerField(min_value=1900, max_value=2100)
    on_cost_rate = serializers.DecimalField(max_digits=6, decimal_places=4, min_value=0, max_value=10)
    supervision_per_worker = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, default=Decimal(0)
    )
    transport_per_worker = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, default=Decimal(0)
    )
    training_per_worker = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, default=Decimal(0)
    )


class WorkforceCostsView(ServiceAPIView):
    """The workforce's yearly cost by location and cadre, and the cost of closing each cadre's gap."""

    permission_classes = AGGREGATES

    @extend_schema(
        parameters=[planning_serializers.NormGapQuerySerializer], responses=CostsDocumentSerializer
    )
    def get(self, request: Request) -> Response:
        """``{"year": Y, "rows": [...]}`` exactly as ``sswis plan costs`` prints it (unrounded)."""
        query = planning_serializers.NormGapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            rows = workforce_costs(
                year=params["year"], location=params.get("location"), depth=params.get("depth")
            )
        except ValueError as problem:
            raise ValidationError({"non_field_errors": [str(problem)]}) from problem
        return Response(workforce_costs_as_json(year=params["year"], rows=rows))


class SalaryScaleListView(ServiceAPIView):
    """Salary scales by cadre and grade."""

    permission_classes = AGGREGATES

    @extend_schema(responses=SalaryScaleSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Every salary scale."""
        scales = SalaryScale.objects.select_related("cadre").order_by("cadre__code", "grade", "valid_from")
        return Response(SalaryScaleSerializer(scales, many=True).data)

    @extend_schema(request=SalaryScaleSerializer, responses={201: SalaryScaleSerializer})
    def post(self, request: Request) -> Response:
        """Set the salary of a cadre at a grade (empty: the cadre's own) from a year."""
        policy.require_plan_change(user=request.user, location=None)
        given = SalaryScaleSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        scale = salary_scale_set(actor=request.user, **given.validated_data)
        return Response(SalaryScaleSerializer(scale).data, status=status.HTTP_201_CREATED)


class CadreCostListView(ServiceAPIView):
    """On-cost rates and other yearly costs per worker, by cadre."""

    permission_classes = AGGREGATES

    @extend_schema(responses=CadreCostSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Every cadre's costs."""
        costs = CadreCost.objects.select_related("cadre").order_by("cadre__code", "valid_from")
        return Response(CadreCostSerializer(costs, many=True).data)

    @extend_schema(request=CadreCostSerializer, responses={201: CadreCostSerializer})
    def post(self, request: Request) -> Response:
        """Set a cadre's on-cost rate and other costs per worker from a year."""
        policy.require_plan_change(user=request.user, location=None)
        given = CadreCostSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        cost = cadre_cost_set(actor=request.user, **given.validated_data)
        return Response(CadreCostSerializer(cost).data, status=status.HTTP_201_CREATED)
