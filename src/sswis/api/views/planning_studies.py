"""Stored planning inputs through the API: WHO WISN studies (stored by code, every step computed, applied
to many locations from a CSV table), the norms themselves (set and removed), and the urban/rural gaps.
Any role reads and runs them (aggregates); a national data manager, or a subnational officer for their
area, changes them (``access.policy``, in the services). Bad input is a 400 naming the field."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import policy
from sswis.api import planning_serializers
from sswis.api.permissions import AGGREGATES
from sswis.api.views.base import ServiceAPIView
from sswis.planning.inputs import PlanInputError
from sswis.planning.models import Norm, WisnStudyRecord
from sswis.planning.selectors import wisn_evaluate, wisn_studies_listed
from sswis.planning.services import norm_delete, norm_set, wisn_study_delete, wisn_study_save
from sswis.planning.settings_gaps import setting_disparity, setting_gaps, setting_gaps_as_json
from sswis.planning.wisn import wisn_result_as_json
from sswis.planning.wisn_locations import wisn_locations_as_json, wisn_locations_evaluate, workloads_parse

STUDY_NOT_FOUND = OpenApiResponse(description=gettext_lazy("There is no study with this code."))
MAXIMUM_TABLE_BYTES = 2_000_000


def _refused(problem: PlanInputError) -> ValidationError:
    return ValidationError({problem.field: [problem.message]})


def _study_listed(record: WisnStudyRecord) -> dict[str, Any]:
    return {
        "code": record.code,
        "name": record.name,
        "cadre": record.cadre.code,
        "location": record.location.code,
        "year": record.year,
        "study": record.document,
        "updated_at": record.updated_at,
    }


def _study_document(record: WisnStudyRecord) -> dict[str, Any]:
    """The study with its result (computed: the registry's count of the cadre when it gives no staff)."""
    try:
        _study, result = wisn_evaluate(data=record.document)
        computed: dict[str, Any] | None = wisn_result_as_json(result=result)
    except PlanInputError:  # a cadre or location removed since it was stored
        computed = None
    return {**_study_listed(record), "result": computed}


def _record(code: str) -> WisnStudyRecord:
    record = wisn_studies_listed().filter(code=code).first()
    if record is None:
        raise NotFound(gettext("There is no study with the code %(code)r.") % {"code": code})
    return record


def _saved(request: Request, code: str | None) -> WisnStudyRecord:
    data = request.data if isinstance(request.data, dict) else {}
    given = data.get("code", code)
    name = data.get("name")
    if code is not None and given != code:
        raise ValidationError({"code": [gettext("The code is the URL's: %(code)s.") % {"code": code}]})
    try:
        return wisn_study_save(
            actor=request.user,
            code=given if isinstance(given, str) else "",
            name=name if isinstance(name, str) else "",
            data=data.get("study"),
        )
    except PlanInputError as problem:
        raise _refused(problem) from problem


class WisnStudyListView(ServiceAPIView):
    """Stored WISN studies."""

    permission_classes = AGGREGATES

    @extend_schema(responses=planning_serializers.WisnStudyListedSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Every stored study (not paginated); a study's result is on its own address."""
        return Response([_study_listed(record) for record in wisn_studies_listed()])

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: planning_serializers.WisnStudySerializer})
    def post(self, request: Request) -> Response:
        """Store a study: ``{"code", "name", "study": <the contract's study document>}`` (a study with the
        same code is changed)."""
        return Response(_study_document(_saved(request, None)), status=status.HTTP_201_CREATED)


class WisnStudyDetailView(ServiceAPIView):
    """One stored study, by code."""

    permission_classes = AGGREGATES

    @extend_schema(responses={200: planning_serializers.WisnStudySerializer, 404: STUDY_NOT_FOUND})
    def get(self, request: Request, code: str) -> Response:
        """The study and its result (every figure unrounded)."""
        return Response(_study_document(_record(code)))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: planning_serializers.WisnStudySerializer, 404: STUDY_NOT_FOUND},
    )
    def put(self, request: Request, code: str) -> Response:
        """Replace the study's name and document (its code is the URL's)."""
        _record(code)
        return Response(_study_document(_saved(request, code)))

    @extend_schema(responses={204: None, 404: STUDY_NOT_FOUND})
    def delete(self, request: Request, code: str) -> Response:
        """Remove the study (its history keeps it)."""
        wisn_study_delete(actor=request.user, record=_record(code))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WorkloadsUploadSerializer(serializers.Serializer[Any]):
    table = serializers.FileField(
        help_text=planning_serializers.WORKLOADS_HELP,
    )


class WisnStudyLocationsView(ServiceAPIView):
    """A stored study applied to many locations, each with its own workload, ranked by pressure."""

    permission_classes = AGGREGATES
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": WorkloadsUploadSerializer},
        responses={200: planning_serializers.RankedLocationsSerializer, 404: STUDY_NOT_FOUND},
    )
    def post(self, request: Request, code: str) -> Response:
        """``table``: a CSV file (location, existing_staff, one column of annual workload per activity).
        Answers ``{"locations": [...]}`` highest workload pressure first; stores nothing."""
        record = _record(code)
        upload = WorkloadsUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        table = upload.validated_data["table"]
        try:
            study, _result = wisn_evaluate(data=record.document)
            if table.size > MAXIMUM_TABLE_BYTES:
                raise PlanInputError("table", gettext("the table is larger than 2 MB."))
            try:
                text = table.read().decode("utf-8")
            except UnicodeDecodeError:
                raise PlanInputError("table", gettext("the table is not UTF-8 text.")) from None
            results = wisn_locations_evaluate(study=study, workloads=workloads_parse(study=study, text=text))
        except PlanInputError as problem:
            raise _refused(problem) from problem
        return Response(wisn_locations_as_json(results=results))


class NormListView(ServiceAPIView):
    """The norms (target ratios) themselves: read by any role, set by planners."""

    permission_classes = AGGREGATES

    @extend_schema(responses=planning_serializers.NormSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Every norm, by location path, group and year."""
        norms = Norm.objects.select_related("location", "cadre").order_by(
            "location__path", "group", "valid_from"
        )
        return Response(planning_serializers.NormSerializer(norms, many=True).data)

    @extend_schema(
        request=planning_serializers.NormInputSerializer, responses={201: planning_serializers.NormSerializer}
    )
    def post(self, request: Request) -> Response:
        """Set a norm: the one of that location, group and year is changed, else one is added."""
        policy.require_plan_role(user=request.user)
        given = planning_serializers.NormInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        norm = norm_set(
            actor=request.user,
            location=data["location"],
            target_per_100k=data["target_per_100k"],
            valid_from=data["valid_from"],
            source=data["source"],
            cadre=data.get("cadre"),
            category=data.get("category", ""),
        )
        return Response(planning_serializers.NormSerializer(norm).data, status=status.HTTP_201_CREATED)


class NormDetailView(ServiceAPIView):
    """One norm, by id: removed by a planner of its location (its history keeps it)."""

    permission_classes = AGGREGATES

    @extend_schema(
        responses={
            204: None,
            404: OpenApiResponse(description=gettext_lazy("There is no norm with this id.")),
        }
    )
    def delete(self, request: Request, pk: int) -> Response:
        """Remove the norm."""
        norm = Norm.objects.select_related("location").filter(pk=pk).first()
        if norm is None:
            raise NotFound(gettext("There is no norm with this id."))
        norm_delete(actor=request.user, norm=norm)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SettingGapsView(ServiceAPIView):
    """The workforce, children and gaps by urban/rural setting, and the disparity."""

    permission_classes = AGGREGATES

    @extend_schema(
        parameters=[planning_serializers.NormGapQuerySerializer],
        responses=planning_serializers.SettingGapsSerializer,
    )
    def get(self, request: Request) -> Response:
        """``{"year": Y, "rows": [...], "disparity": [...]}`` exactly as ``sswis plan settings`` prints it."""
        query = planning_serializers.NormGapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            rows = setting_gaps(
                year=params["year"], location=params.get("location"), depth=params.get("depth")
            )
        except ValueError as problem:
            raise ValidationError({"non_field_errors": [str(problem)]}) from problem
        return Response(
            setting_gaps_as_json(year=params["year"], rows=rows, disparities=setting_disparity(rows=rows))
        )
