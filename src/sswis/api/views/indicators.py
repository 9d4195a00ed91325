"""Aggregate indicators (contract ``contracts/indicators.md``): any user with a role, outsiders refused.

The numbers are those of ``sswis.indicators.selectors.indicators_for_reader`` (the same computation as
the ``sswis indicators`` command and the dashboard, with the small cells withheld from readers who may
see aggregates only), rendered by ``indicators_as_json`` / ``indicators_years_as_json``.
"""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api import serializers
from sswis.api.permissions import AGGREGATES
from sswis.api.views.base import ServiceAPIView
from sswis.indicators.definitions import DIMENSIONS, INDICATORS
from sswis.indicators.selectors import indicators_as_json, indicators_for_reader, indicators_years_as_json

_DOCUMENT = PolymorphicProxySerializer(
    component_name="IndicatorDocumentOfYearOrYears",
    serializers=[serializers.IndicatorDocumentSerializer, serializers.IndicatorYearsDocumentSerializer],
    resource_type_field_name=None,
)


class IndicatorsView(ServiceAPIView):
    """The workforce indicators for a year (or several), for every location or a location's subtree."""

    permission_classes = AGGREGATES

    @extend_schema(parameters=[serializers.IndicatorQuerySerializer], responses=_DOCUMENT)
    def get(self, request: Request) -> Response:
        """``{"year": Y, "rows": [...]}`` exactly as the indicators contract defines it (not paginated);
        with ``years`` (``2019-2025`` or ``2019,2022,2025``) ``{"years": [...], "rows": [...]}`` with the
        ``year`` of each row, each year exactly as if asked alone.

        ``by`` may be repeated (``by=cadre&by=sex``: their combinations); ``depth`` needs ``location``
        to mean "levels below it" (without it: levels below the country root). Small cells of splits by
        a personal attribute (sex, education, licensed, certified), small female shares, licensed,
        certified and supervised shares that describe fewer than k workers with or without the
        attribute, and the support figures that describe fewer than k supervisors or workers (shares:
        with or without; means: in all) are withheld (``withheld: true``) unless the reader may see the
        persons of the location (national data manager; subnational officer in their area).
        """
        query = serializers.IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            rows = indicators_for_reader(
                user=request.user,
                year=params.get("year"),
                years=params.get("years"),
                by=params["by"],
                location=params.get("location"),
                depth=params.get("depth"),
            )
        except ValueError as problem:
            raise ValidationError({"non_field_errors": [str(problem)]}) from problem
        if "years" in params:
            return Response(indicators_years_as_json(years=params["years"], rows=rows))
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
