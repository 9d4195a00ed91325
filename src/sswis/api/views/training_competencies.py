"""Competency frameworks, gaps and training needs in the API (``/api/v1/training/competencies/``).

The frameworks, what programmes build, the gaps and the training needs are read by every role but a
worker's own login (``access.training_policy.require_catalogue_read``; small cells withheld as on the
pages: ``training.gaps``); frameworks are changed (with the page's forms) and imported by a system
administrator or a national data manager; what a programme builds by its institution's focal point or a
national data manager. The workers lacking a competency, and one worker's competencies, are for those who
see those workers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import policy, training_policy
from sswis.api.fields import CodeRelatedField
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import PolicyPermission
from sswis.api.views.base import (
    ServiceAPIView,
    ServiceErrorsMixin,
    SizeLimitedUploadMixin,
    form_cleaned_data,
    form_data,
)
from sswis.geo.models import Location
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR
from sswis.registry.models import Cadre, Worker
from sswis.training import competencies as services
from sswis.training.framework_import import frameworks_import_upload
from sswis.training.gaps import gaps_for_reader, lacking_of, training_needs, workers_missing
from sswis.training.models import Programme
from sswis.training.models_competencies import CompetencyFramework, ProgrammeCompetency
from sswis.training.selectors_competencies import (
    framework_list,
    framework_of_cadre,
    programme_competency_list,
    worker_competencies,
)
from sswis.web.training_competency_forms import (
    FRAMEWORK_CHANGES,
    AssessmentForm,
    FrameworkCreateForm,
    ProgrammeCompetencyForm,
)


class CatalogueAccess(PolicyPermission):
    """Every role but a worker's own login; writes: a system administrator or a national data manager."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return training_policy.require_catalogue_read
        return training_policy.require_framework_change


class FrameworkManagersAccess(PolicyPermission):
    def requirement(self, request: Request) -> Callable[..., Any]:
        return training_policy.require_framework_change


class ProgrammeCompetencyAccess(PolicyPermission):
    def requirement(self, request: Request) -> Callable[..., Any]:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return training_policy.require_catalogue_read
        return training_policy.require_training_manager


class PeopleAccess(PolicyPermission):
    def requirement(self, request: Request) -> Callable[..., Any]:
        return policy.require_people


class CompetencyPeopleAccess(PolicyPermission):
    def requirement(self, request: Request) -> Callable[..., Any]:
        return training_policy.require_competencies_people


CATALOGUE = [IsAuthenticated, CatalogueAccess]
FRAMEWORK_MANAGERS = [IsAuthenticated, FrameworkManagersAccess]


# --- frameworks -----------------------------------------------------------------------------------------


class FrameworkListedSerializer(serializers.Serializer[CompetencyFramework]):
    cadre = serializers.CharField(source="cadre.code")
    name = serializers.CharField()
    areas = serializers.IntegerField(source="area_count")
    requirements = serializers.IntegerField(source="requirement_count")


def _framework_json(framework: CompetencyFramework) -> dict[str, Any]:
    return {
        "cadre": framework.cadre.code,
        "name": framework.name,
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "requirements": [
                    {
                        "competency": requirement.competency.code,
                        "name": requirement.competency.name,
                        "description": requirement.competency.description,
                        "levels": requirement.competency.levels,
                        "survey_topic": requirement.competency.survey_topic,
                        "level_required": requirement.level,
                    }
                    for requirement in area.requirements.all()
                ],
            }
            for area in framework.areas.all()
        ],
    }


class FrameworkCreateSerializer(serializers.Serializer[Any]):
    cadre = serializers.CharField(max_length=64, help_text=gettext_lazy("the cadre's code"))
    name = serializers.CharField(max_length=200)


class FrameworkListView(ServiceErrorsMixin, generics.ListAPIView[CompetencyFramework]):
    """Every cadre's competency framework, by cadre code; a new one (POST: ``cadre``, ``name``) for a
    system administrator or a national data manager."""

    permission_classes = CATALOGUE
    pagination_class = ApiPagination
    serializer_class = FrameworkListedSerializer
    queryset = CompetencyFramework.objects.none()  # the model, for the schema; rows come from get_queryset

    def get_queryset(self) -> Any:
        return framework_list(user=self.request.user)

    @extend_schema(request=FrameworkCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        form = FrameworkCreateForm(form_data(request))
        data = form_cleaned_data(form)
        framework = services.framework_set(actor=request.user, cadre=data["cadre"], name=data["name"])
        return Response(
            _framework_json(framework_of_cadre(user=request.user, cadre_code=framework.cadre.code)),
            status=status.HTTP_201_CREATED,
        )


class FrameworkDetailView(ServiceAPIView):
    """One cadre's framework (``code``: the cadre's code) with its areas in order and what each requires."""

    permission_classes = CATALOGUE

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, code: str) -> Response:
        return Response(_framework_json(framework_of_cadre(user=request.user, cadre_code=code)))


class FrameworkChangeView(ServiceAPIView):
    """One change of a framework (``what``): ``rename`` {name}; ``area_add`` {code, name}; ``area_change``
    {area, code, name}; ``area_move`` {area, step}; ``area_remove`` {area}; ``competency`` {code, name,
    description, levels, survey_topic}; ``requirement`` {area, competency, level}; ``requirement_remove``
    {area, competency}; the fields of the page's forms. Answers the framework as it is after."""

    permission_classes = FRAMEWORK_MANAGERS

    @extend_schema(
        operation_id="training_competencies_framework_change",
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request: Request, code: str, what: str) -> Response:
        change = FRAMEWORK_CHANGES.get(what)
        if change is None:
            raise Http404
        framework = framework_of_cadre(user=request.user, cadre_code=code)
        change.save(request.user, framework, form_cleaned_data(change.form(form_data(request))))
        return Response(_framework_json(framework_of_cadre(user=request.user, cadre_code=code)))


class FrameworkImportSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text=gettext_lazy(
            ".csv or .xlsx: cadre, area_code, area_name, competency_code, competency_name, levels, "
            "level_required, description, survey_topic"
        )
    )
    dry_run = serializers.BooleanField(default=False)


class FrameworkImportView(SizeLimitedUploadMixin, ServiceAPIView):
    """Import competency frameworks from a spreadsheet (multipart: ``file``, ``dry_run``), all or nothing,
    with the template importer's report: 200 when imported (or checked without problems), 400 with the
    report when the file has problems (nothing written)."""

    permission_classes = FRAMEWORK_MANAGERS
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": FrameworkImportSerializer},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 413: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        received, too_large = self.uploaded_data(request)
        if too_large is not None:
            return too_large
        given = FrameworkImportSerializer(data=received)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        report = frameworks_import_upload(
            actor=request.user,
            file_name=upload.name,
            chunks=upload.chunks(),
            dry_run=given.validated_data["dry_run"],
        )
        return self.report_response(report)


# --- programmes -----------------------------------------------------------------------------------------


class ProgrammeCompetencySerializer(serializers.Serializer[Any]):
    programme = serializers.CharField(source="programme.code", max_length=50)
    competency = serializers.CharField(source="competency.code", max_length=50)
    level = serializers.IntegerField(min_value=0, max_value=5, help_text=gettext_lazy("0 removes it"))


class ProgrammeCompetencyListView(ServiceErrorsMixin, generics.ListAPIView[Any]):
    """What every programme builds (programme, competency, level); POST sets it for a programme of the
    user's institution (a national data manager: any), level 0 removes it."""

    permission_classes = [IsAuthenticated, ProgrammeCompetencyAccess]
    pagination_class = ApiPagination
    serializer_class = ProgrammeCompetencySerializer
    queryset = ProgrammeCompetency.objects.none()  # the model, for the schema

    def get_queryset(self) -> Any:
        return programme_competency_list(user=self.request.user)

    @extend_schema(request=ProgrammeCompetencySerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        programmes = training_policy.institutions_changeable(
            user=request.user, queryset=Programme.objects.all(), prefix="institution__"
        )
        data = form_cleaned_data(ProgrammeCompetencyForm(form_data(request), programmes=programmes))
        if data["level"]:
            services.programme_competency_set(
                actor=request.user,
                programme=data["programme"],
                competency=data["competency"],
                level=data["level"],
            )
        else:
            services.programme_competency_remove(
                actor=request.user, programme=data["programme"], competency=data["competency"]
            )
        return Response(
            {
                "programme": data["programme"].code,
                "competency": data["competency"].code,
                "level": data["level"],
            }
        )


# --- gaps, missing workers, needs -----------------------------------------------------------------------


class GapsQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        help_text=gettext_lazy("default: this year"),
    )
    location = CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        help_text=gettext_lazy("a location's code: it and below (default: the user's own, else the country)"),
    )
    cadre = CodeRelatedField(
        queryset=Cadre.objects.all(), required=False, help_text=gettext_lazy("a cadre's code")
    )


class GapsListQuerySerializer(GapsQuerySerializer):
    level = serializers.CharField(
        required=False,
        max_length=50,
        help_text=gettext_lazy("only the locations of this level, e.g. district"),
    )
    depth = serializers.IntegerField(
        required=False, min_value=0, max_value=20, help_text=gettext_lazy("at most this many levels below")
    )


class MissingQuerySerializer(GapsQuerySerializer):
    competency = serializers.CharField(
        required=False, max_length=50, help_text=gettext_lazy("only this competency (its code)")
    )


def _query(request: Request, kind: type[serializers.Serializer[Any]]) -> dict[str, Any]:
    query = kind(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = dict(query.validated_data)
    data["year"] = data.get("year") or timezone.localdate().year
    return data


class GapRowSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    location = serializers.CharField()
    cadre = serializers.CharField()
    area = serializers.CharField()
    competency = serializers.CharField()
    name = serializers.CharField()
    level_required = serializers.IntegerField(source="level")
    counted = serializers.IntegerField(help_text=gettext_lazy("workers counted in the workforce"))
    having = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("null: withheld"))
    lacking = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(allow_null=True)
    withheld = serializers.BooleanField()


class GapsView(ServiceErrorsMixin, generics.ListAPIView[Any]):
    """The competency gaps of a year's counted workforce: per location (``location`` and below), cadre and
    required competency, the workers counted, those who have it at the required level, those who lack it
    and the share; small cells withheld (null) unless the user sees every figure of the location."""

    filter_backends: list[Any] = []
    permission_classes = CATALOGUE
    pagination_class = ApiPagination
    serializer_class = GapRowSerializer

    def get_queryset(self) -> Any:
        data = _query(self.request, GapsListQuerySerializer)
        return gaps_for_reader(
            user=self.request.user,
            year=data["year"],
            location=data.get("location"),
            cadre=data.get("cadre"),
            level=data.get("level") or None,
            depth=data.get("depth"),
        )

    @extend_schema(parameters=[GapsListQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class MissingWorkerSerializer(serializers.Serializer[Any]):
    worker_id = serializers.CharField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    lacking = serializers.ListField(
        child=serializers.DictField(), help_text=gettext_lazy("competency, required, held")
    )


class MissingView(ServiceErrorsMixin, generics.ListAPIView[Any]):
    """The counted workers of a cadre (default: the first with a framework) at a location and below who
    lack a required competency (or ``competency``), among those the user sees; by name."""

    filter_backends: list[Any] = []
    permission_classes = [IsAuthenticated, PeopleAccess]
    pagination_class = ApiPagination
    serializer_class = MissingWorkerSerializer

    def get_queryset(self) -> Any:
        data = _query(self.request, MissingQuerySerializer)
        self.year = data["year"]
        location = data.get("location") or policy.default_location_for(user=self.request.user)
        cadre = (
            data.get("cadre")
            or Cadre.objects.filter(competency_framework__isnull=False).order_by("code").first()
        )
        self.requirements: list[Any] = []
        if location is None or cadre is None:
            return Worker.objects.none()
        workers, self.requirements = workers_missing(
            user=self.request.user,
            year=data["year"],
            location=location,
            cadre=cadre,
            competency=data.get("competency", ""),
        )
        return workers

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        workers = list(page or [])
        lacking = lacking_of(workers=workers, requirements=self.requirements, year=self.year)
        rows = [
            {
                "worker_id": worker.worker_id,
                "given_name": worker.given_name,
                "family_name": worker.family_name,
                "lacking": [
                    {"competency": item.competency, "required": item.required, "held": item.held}
                    for item in lacking.get(worker.pk, [])
                ],
            }
            for worker in workers
        ]
        return self.get_paginated_response(MissingWorkerSerializer(rows, many=True).data)

    @extend_schema(parameters=[MissingQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NeedRowSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    location = serializers.CharField()
    competency = serializers.CharField()
    name = serializers.CharField()
    cadre = serializers.CharField()
    level_required = serializers.IntegerField(source="level")
    counted = serializers.IntegerField()
    lacking = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("null: withheld"))
    survey_topic = serializers.CharField()
    survey_need = serializers.IntegerField(
        source="asked",
        allow_null=True,
        help_text=gettext_lazy("survey respondents asking for it; null: none or withheld"),
    )
    withheld = serializers.BooleanField()


class NeedsView(ServiceErrorsMixin, generics.ListAPIView[Any]):
    """The training needs of a location (default: the user's own, else the country): per cadre and
    competency, the counted workers who lack it, most first, and the perception survey's respondents
    there who asked for its training topic in the year."""

    filter_backends: list[Any] = []
    permission_classes = CATALOGUE
    pagination_class = ApiPagination
    serializer_class = NeedRowSerializer

    def get_queryset(self) -> Any:
        data = _query(self.request, GapsQuerySerializer)
        location = data.get("location") or policy.default_location_for(user=self.request.user)
        return training_needs(
            user=self.request.user, year=data["year"], location=location, cadre=data.get("cadre")
        )

    @extend_schema(parameters=[GapsQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- one worker -----------------------------------------------------------------------------------------


class WorkerDayQuerySerializer(serializers.Serializer[Any]):
    day = serializers.DateField(required=False, help_text=gettext_lazy("default: today"))


class AssessmentSerializer(serializers.Serializer[Any]):
    competency = serializers.CharField(max_length=50)
    level = serializers.IntegerField(min_value=1, max_value=5)
    assessed_on = serializers.DateField()
    assessor = serializers.CharField(max_length=200, required=False)


class WorkerCompetenciesView(ServiceAPIView):
    """A worker's competencies on a day (each at its highest level, and where it comes from) and what the
    frameworks of their cadres require; POST records an assessment (whoever manages the worker)."""

    permission_classes = [IsAuthenticated, CompetencyPeopleAccess]

    def _worker(self, request: Request, worker_id: str) -> Worker:
        visible = training_policy.workers_competencies_visible(
            user=request.user, queryset=Worker.objects.all()
        )
        return get_object_or_404(visible, worker_id=worker_id)

    @extend_schema(parameters=[WorkerDayQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, worker_id: str) -> Response:
        worker = self._worker(request, worker_id)
        query = WorkerDayQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day: datetime.date = query.validated_data.get("day") or timezone.localdate()
        found = worker_competencies(user=request.user, worker=worker, day=day)
        return Response(
            {
                "worker_id": worker.worker_id,
                "day": day.isoformat(),
                "held": [
                    {
                        "competency": held.code,
                        "name": held.name,
                        "level": held.level,
                        "levels": held.levels,
                        "sources": [
                            {"on": on.isoformat(), "what": what, "level": level}
                            for on, what, level in held.sources
                        ],
                    }
                    for held in found.held
                ],
                "required": [
                    {
                        "cadre": item.cadre,
                        "area": item.area,
                        "competency": item.code,
                        "level_required": item.required,
                        "held": item.held,
                        "met": item.met,
                    }
                    for item in found.required
                ],
            }
        )

    @extend_schema(request=AssessmentSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, worker_id: str) -> Response:
        worker = self._worker(request, worker_id)
        training_policy.require_assessment_record(user=request.user, worker=worker)
        data = form_cleaned_data(AssessmentForm(form_data(request)))
        assessment = services.competency_assessment_record(actor=request.user, worker=worker, **data)
        return Response(
            {
                "worker_id": worker.worker_id,
                "competency": assessment.competency.code,
                "level": assessment.level,
                "assessed_on": assessment.assessed_on.isoformat(),
                "assessor": assessment.assessor,
            },
            status=status.HTTP_201_CREATED,
        )
