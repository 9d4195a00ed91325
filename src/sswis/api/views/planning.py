"""Workforce planning (contract ``contracts/planning.md``): any user with a role may read and run plans,
outsiders refused; changing a stored plan is for a national data manager, or a subnational officer in
their area (``access.policy.require_plan_change``, in the services).

The figures are aggregates (counts by location and cadre are never small cells: ``contracts/indicators.md``)
and come from ``sswis.planning``, the same functions as ``sswis plan``.
"""

from __future__ import annotations

from django.http import HttpResponseBase
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api import planning_serializers as serializers
from sswis.api.permissions import AGGREGATES
from sswis.api.views.base import ServiceAPIView
from sswis.exports.http import MEDIA_TYPES, table_download
from sswis.exports.models import ExportFormat
from sswis.planning.comparison import OUTCOME_COLUMNS, outcome_rows, outcomes_as_json, scenarios_compare
from sswis.planning.inputs import PlanInputError
from sswis.planning.models import Scenario
from sswis.planning.norms import norm_gaps, norm_gaps_as_json
from sswis.planning.projection import PROJECTION_COLUMNS, projection_as_json, scenario_project
from sswis.planning.selectors import scenario_parameters, scenarios_listed, wisn_evaluate
from sswis.planning.services import scenario_delete, scenario_save
from sswis.planning.wisn import wisn_result_as_json


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


NOT_FOUND = OpenApiResponse(description=gettext_lazy("There is no scenario with this code."))


def _input_refused(problem: PlanInputError) -> ValidationError:
    """A plan's bad input as a 400 naming the field (``cadres.SW.attrition_rate``)."""
    return ValidationError({problem.field: [problem.message]})


class JsonUnlessFileMixin:
    """``?format=csv|xlsx`` chooses the file this view answers with, so DRF's content negotiation must not
    read it: every answer that is not the file (the JSON, errors, refusals) is JSON."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[BaseRenderer, str]:
        renderer = JSONRenderer()
        return renderer, renderer.media_type


class ScenarioListView(ServiceAPIView):
    """Projection scenarios: every role may read them (their results are aggregates); a national data
    manager, or a subnational officer for their area, may add one."""

    permission_classes = AGGREGATES

    @extend_schema(responses=serializers.ScenarioSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Every stored scenario, by code (not paginated: a country keeps a handful)."""
        return Response(serializers.ScenarioSerializer(scenarios_listed(), many=True).data)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: serializers.ScenarioSerializer})
    def post(self, request: Request) -> Response:
        """Create a scenario, or update the one with the document's code: the body is the contract's
        scenario document (planning.md section 3). Bad input: 400 naming the field, nothing stored."""
        try:
            scenario = scenario_save(actor=request.user, data=request.data)
        except PlanInputError as problem:
            raise _input_refused(problem) from problem
        return Response(serializers.ScenarioSerializer(scenario).data, status=status.HTTP_201_CREATED)


class ScenarioDetailView(ServiceAPIView):
    """One scenario, by code: read it, replace its document (PUT), remove it (DELETE; its history keeps
    it)."""

    permission_classes = AGGREGATES

    @extend_schema(responses={200: serializers.ScenarioSerializer, 404: NOT_FOUND})
    def get(self, request: Request, code: str) -> Response:
        """The scenario and its document."""
        return Response(serializers.ScenarioSerializer(_scenario(code)).data)

    @extend_schema(
        request=OpenApiTypes.OBJECT, responses={200: serializers.ScenarioSerializer, 404: NOT_FOUND}
    )
    def put(self, request: Request, code: str) -> Response:
        """Replace the scenario's document (its code is the URL's)."""
        _scenario(code)
        data = request.data
        if not isinstance(data, dict):
            raise ValidationError({"scenario": [gettext("The scenario is an object with named values.")]})
        if data.get("code", code) != code:
            raise ValidationError({"code": [gettext("The code is the URL's: %(code)s.") % {"code": code}]})
        try:
            scenario = scenario_save(actor=request.user, data={**data, "code": code})
        except PlanInputError as problem:
            raise _input_refused(problem) from problem
        return Response(serializers.ScenarioSerializer(scenario).data)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def delete(self, request: Request, code: str) -> Response:
        """Remove the scenario."""
        scenario_delete(actor=request.user, scenario=_scenario(code))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _scenario(code: str) -> Scenario:
    scenario = scenarios_listed().filter(code=code).first()
    if scenario is None:
        raise NotFound(gettext("There is no scenario with the code %(code)r.") % {"code": code})
    return scenario


class ScenarioProjectionView(JsonUnlessFileMixin, ServiceAPIView):
    """A scenario's projection: stock, exits, retirements, entrants, requirement, gap, per 100,000 children
    and cost, year by year and per cadre, for a location and (with ``depth``) the locations below it."""

    permission_classes = AGGREGATES

    @extend_schema(
        parameters=[serializers.ProjectionQuerySerializer],
        responses={
            (200, "application/json"): serializers.ProjectionDocumentSerializer,
            (200, MEDIA_TYPES[ExportFormat.CSV].split(";")[0]): OpenApiTypes.BINARY,
            (200, MEDIA_TYPES[ExportFormat.XLSX]): OpenApiTypes.BINARY,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, code: str) -> HttpResponseBase:
        """``{"scenario": CODE, "rows": [...]}`` exactly as ``sswis plan project`` prints it, or the same
        columns as a CSV or XLSX file (``?format=csv|xlsx``)."""
        scenario = _scenario(code)
        query = serializers.ProjectionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            projection = scenario_project(
                scenario=scenario_parameters(scenario=scenario),
                location=params.get("location"),
                depth=params.get("depth") or 0,
            )
        except ValueError as problem:
            raise ValidationError({"location": [str(problem)]}) from problem
        document = projection_as_json(projection=projection)
        file_format = params.get("format") or "json"
        if file_format == "json":
            return Response(document)
        return table_download(
            header=PROJECTION_COLUMNS,
            rows=([row[column] for column in PROJECTION_COLUMNS] for row in document["rows"]),
            file_format=ExportFormat(file_format),
            file_name=f"projection-{scenario.code}.{file_format}",
            sheet="projection",
        )


class ScenarioComparisonView(JsonUnlessFileMixin, ServiceAPIView):
    """Two to four scenarios side by side at one location: per scenario and cadre, the year the gap
    closes, the cost until then, the total cost and the figures of the last year."""

    permission_classes = AGGREGATES

    @extend_schema(
        parameters=[serializers.ComparisonQuerySerializer],
        responses={
            (200, "application/json"): serializers.ComparisonDocumentSerializer,
            (200, MEDIA_TYPES[ExportFormat.CSV].split(";")[0]): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request) -> HttpResponseBase:
        """``{"outcomes": [...]}``, unrounded, scenario by scenario in the order asked; ``?format=csv``: the
        same as one CSV file."""
        query = serializers.ComparisonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        codes = [code.strip() for code in query.validated_data["scenarios"].split(",") if code.strip()]
        stored = {scenario.code: scenario for scenario in scenarios_listed().filter(code__in=codes)}
        unknown = [code for code in codes if code not in stored]
        if unknown:
            raise ValidationError(
                {
                    "scenarios": [
                        gettext("There is no scenario with the code %(code)r.") % {"code": unknown[0]}
                    ]
                }
            )
        scenarios = [scenario_parameters(scenario=stored[code]) for code in dict.fromkeys(codes)]
        try:
            _projections, outcomes = scenarios_compare(
                scenarios=scenarios, location=query.validated_data.get("location")
            )
        except ValueError as problem:
            raise ValidationError({"scenarios": [str(problem)]}) from problem
        if query.validated_data.get("format") == "csv":
            return table_download(
                header=OUTCOME_COLUMNS,
                rows=outcome_rows(outcomes=outcomes),
                file_format=ExportFormat.CSV,
                file_name="scenarios-compared.csv",
                sheet="scenarios",
            )
        return Response(outcomes_as_json(outcomes=outcomes))


class WisnView(ServiceAPIView):
    """Compute a WHO WISN workload study (contract ``planning.md`` section 2); stores nothing."""

    permission_classes = AGGREGATES

    @extend_schema(request=OpenApiTypes.OBJECT, responses=serializers.WisnResultSerializer)
    def post(self, request: Request) -> Response:
        """The body is the contract's study document; the answer its result, exactly as ``sswis plan wisn``
        prints it (unrounded). The existing staff are the registry's count of the cadre at the location
        when the study gives none. Bad input: 400 naming the field."""
        try:
            _study, result = wisn_evaluate(data=request.data)
        except PlanInputError as problem:
            raise _input_refused(problem) from problem
        return Response(wisn_result_as_json(result=result))
