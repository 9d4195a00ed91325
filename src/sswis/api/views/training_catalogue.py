"""The training's catalogue through the API (``/api/v1/training/``): institutions (with their
accreditation, programmes and figures), each institution's accreditation periods (added, ended),
programmes (filtered), each programme's intakes, and each institution's instructors (added, changed,
ended).

The catalogue describes no person: every role but a worker's own login reads it
(``training_policy.require_catalogue_read``). A national data manager changes all of it, an institution's
focal point their institution's (``require_institution_change``, checked before the body is read: 403),
with the services the pages use (``sswis.training.services``). Instructors are persons: listed and shown
to those who may change their institution only, an instructor of another institution is not found (404),
as on the pages. Bad input is a 400 naming the field, writing nothing.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import training_policy
from sswis.api import training_serializers as ts
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import CATALOGUE, TRAINING_MANAGERS
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.training import services
from sswis.training.models import Accreditation, Instructor, Intake, Programme, TrainingInstitution
from sswis.training.selectors import institution_figures, institutions_listed, programmes_filtered


def _institutions() -> Any:
    return institutions_listed(queryset=TrainingInstitution.objects.all(), day=timezone.localdate())


def _institution(code: str) -> TrainingInstitution:
    return get_object_or_404(TrainingInstitution, code=code)


def _institution_detail(code: str) -> TrainingInstitution:
    institution: TrainingInstitution = get_object_or_404(
        _institutions().prefetch_related("accreditations", "programmes"), code=code
    )
    institution.figures = institution_figures(institution=institution)  # type: ignore[attr-defined]
    return institution


class InstitutionListView(ServiceErrorsMixin, generics.ListAPIView[TrainingInstitution]):
    """Every training institution, with whether it is accredited today and how many programmes it has; a
    new one (POST, a national data manager)."""

    permission_classes = CATALOGUE
    pagination_class = ApiPagination
    serializer_class = ts.InstitutionSerializer

    def get_queryset(self) -> Any:
        return _institutions()

    @extend_schema(request=ts.InstitutionInputSerializer, responses={201: ts.InstitutionDetailSerializer})
    def post(self, request: Request) -> Response:
        """Add an institution; 400 naming the field (e.g. a code already used)."""
        training_policy.require_institution_change(user=request.user, institution_id=None)
        given = ts.InstitutionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        institution = services.institution_create(actor=request.user, **given.validated_data)
        return Response(
            ts.InstitutionDetailSerializer(_institution_detail(institution.code)).data,
            status=status.HTTP_201_CREATED,
        )


class InstitutionDetailView(ServiceAPIView):
    """One institution: its accreditation periods, programmes and figures by year (intake and completions
    of each programme, students enrolled, instructors and students per instructor:
    ``training.selectors.institution_figures``)."""

    permission_classes = CATALOGUE

    @extend_schema(responses=ts.InstitutionDetailSerializer)
    def get(self, request: Request, code: str) -> Response:
        return Response(ts.InstitutionDetailSerializer(_institution_detail(code)).data)

    @extend_schema(
        request=ts.InstitutionInputSerializer(partial=True), responses=ts.InstitutionDetailSerializer
    )
    def patch(self, request: Request, code: str) -> Response:
        """Change the fields given (a national data manager, or the institution's focal point)."""
        institution = _institution(code)
        training_policy.require_institution_change(user=request.user, institution_id=institution.pk)
        given = ts.InstitutionInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        services.institution_change(actor=request.user, institution=institution, changes=given.validated_data)
        return Response(ts.InstitutionDetailSerializer(_institution_detail(institution.code)).data)


# --- accreditation periods ----------------------------------------------------------------------------


class AccreditationListView(ServiceErrorsMixin, generics.ListAPIView[Accreditation]):
    """The institution's accreditation periods, oldest first (every role but a worker's own login); a new
    one (POST: a national data manager, or the institution's focal point). A period that shares a day with
    another of the institution's is refused (400, naming the period it overlaps)."""

    permission_classes = CATALOGUE
    pagination_class = ApiPagination
    serializer_class = ts.AccreditationRowSerializer
    queryset = Accreditation.objects.none()  # the schema's model; the rows: get_queryset

    def get_queryset(self) -> Any:
        institution = _institution(self.kwargs["code"])
        return (
            Accreditation.objects.filter(institution=institution)
            .select_related("institution")
            .order_by("valid_from", "pk")
        )

    @extend_schema(request=ts.AccreditationInputSerializer, responses={201: ts.AccreditationRowSerializer})
    def post(self, request: Request, code: str) -> Response:
        """Add an accreditation period (``valid_until`` null or left out: no end yet)."""
        institution = _institution(code)
        training_policy.require_institution_change(user=request.user, institution_id=institution.pk)
        given = ts.AccreditationInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        accreditation = services.accreditation_add(
            actor=request.user, institution=institution, **given.validated_data
        )
        return Response(ts.AccreditationRowSerializer(accreditation).data, status=status.HTTP_201_CREATED)


class AccreditationEndView(ServiceAPIView):
    """Set the last day of an accreditation period (end it, or end it earlier or later): a national data
    manager, or the institution's focal point (another institution's: 403)."""

    permission_classes = TRAINING_MANAGERS

    @extend_schema(request=ts.AccreditationEndInputSerializer, responses=ts.AccreditationRowSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """400 naming ``valid_until`` before the period's first day, or when the longer period would share a
        day with the institution's next one."""
        accreditation = get_object_or_404(Accreditation.objects.select_related("institution"), pk=pk)
        training_policy.require_institution_change(
            user=request.user, institution_id=accreditation.institution_id
        )
        given = ts.AccreditationEndInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.accreditation_end(actor=request.user, accreditation=accreditation, **given.validated_data)
        return Response(ts.AccreditationRowSerializer(accreditation).data)


# --- instructors (persons) -----------------------------------------------------------------------------


def _instructor(request: Request, pk: int) -> Instructor:
    """An instructor the user may see (those of the institutions they may change; others: 404)."""
    visible = training_policy.instructors_visible(
        user=request.user,
        queryset=Instructor.objects.select_related("institution").prefetch_related("programmes"),
    )
    instructor: Instructor = get_object_or_404(visible, pk=pk)
    return instructor


class InstructorListView(ServiceErrorsMixin, generics.ListAPIView[Instructor]):
    """The institution's instructors (persons): to its focal point and national data managers only; a new
    one (POST, the same users)."""

    permission_classes = CATALOGUE
    pagination_class = ApiPagination
    serializer_class = ts.InstructorSerializer
    queryset = Instructor.objects.none()  # the schema's model; the rows: get_queryset

    def get_queryset(self) -> Any:
        institution = _institution(self.kwargs["code"])
        training_policy.require_instructors_read(user=self.request.user, institution_id=institution.pk)
        return (
            training_policy.instructors_visible(
                user=self.request.user, queryset=Instructor.objects.filter(institution=institution)
            )
            .prefetch_related("programmes")
            .order_by("name", "pk")
        )

    @extend_schema(request=ts.InstructorInputSerializer, responses={201: ts.InstructorDetailSerializer})
    def post(self, request: Request, code: str) -> Response:
        """Add an instructor teaching ``programmes`` (codes of the institution's own programmes)."""
        institution = _institution(code)
        training_policy.require_institution_change(user=request.user, institution_id=institution.pk)
        given = ts.InstructorInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        instructor = services.instructor_add(
            actor=request.user, institution=institution, **given.validated_data
        )
        return Response(
            ts.InstructorDetailSerializer(_instructor(request, instructor.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class InstructorDetailView(ServiceAPIView):
    """One instructor: read and changed by a national data manager or their institution's focal point
    (an instructor of another institution: 404)."""

    permission_classes = TRAINING_MANAGERS

    @extend_schema(responses=ts.InstructorDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ts.InstructorDetailSerializer(_instructor(request, pk)).data)

    @extend_schema(
        request=ts.InstructorInputSerializer(partial=True), responses=ts.InstructorDetailSerializer
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change the fields given; ``programmes``, when given, replaces the programmes they teach."""
        instructor = _instructor(request, pk)
        given = ts.InstructorInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        changes = dict(given.validated_data)
        taught = changes.pop("programmes", None)
        services.instructor_change(
            actor=request.user, instructor=instructor, changes=changes, programmes=taught
        )
        return Response(ts.InstructorDetailSerializer(_instructor(request, pk)).data)


class InstructorEndView(ServiceAPIView):
    """Record an instructor's last day of teaching (400 naming ``active_until`` before their first)."""

    permission_classes = TRAINING_MANAGERS

    @extend_schema(request=ts.InstructorEndInputSerializer, responses=ts.InstructorDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        instructor = _instructor(request, pk)
        given = ts.InstructorEndInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.instructor_end(actor=request.user, instructor=instructor, **given.validated_data)
        return Response(ts.InstructorDetailSerializer(_instructor(request, pk)).data)


# --- programmes and intakes ----------------------------------------------------------------------------


def _programme(code: str) -> Programme:
    return get_object_or_404(Programme.objects.select_related("institution"), code=code)


def _programme_read(code: str) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("institution").prefetch_related("cadres"), code=code
    )


class ProgrammeListView(ServiceErrorsMixin, generics.ListAPIView[Programme]):
    """Programmes (``?kind=``, ``?institution=CODE``, ``?certifying=true|false``: whether they certify to
    work with child victims today); a new one (POST: of an institution the user changes; of none, a
    national data manager)."""

    permission_classes = CATALOGUE
    pagination_class = ApiPagination
    serializer_class = ts.ProgrammeSerializer

    def get_queryset(self) -> Any:
        query = ts.ProgrammeQuerySerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        given = query.validated_data
        return programmes_filtered(
            queryset=Programme.objects.prefetch_related("cadres"),
            kind=given.get("kind", ""),
            institution_code=given.get("institution", ""),
            certifying=given.get("certifying"),
            certifying_on=timezone.localdate(),
        )

    @extend_schema(parameters=[ts.ProgrammeQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ts.ProgrammeInputSerializer, responses={201: ts.ProgrammeSerializer})
    def post(self, request: Request) -> Response:
        """Add a programme; 400 naming the field, 403 for an institution the user does not change."""
        training_policy.require_training_manager(user=request.user)
        given = ts.ProgrammeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        programme = services.programme_create(actor=request.user, **given.validated_data)
        return Response(
            ts.ProgrammeSerializer(_programme_read(programme.code)).data, status=status.HTTP_201_CREATED
        )


class ProgrammeDetailView(ServiceAPIView):
    """One programme, by code."""

    permission_classes = CATALOGUE

    @extend_schema(responses=ts.ProgrammeSerializer)
    def get(self, request: Request, code: str) -> Response:
        return Response(ts.ProgrammeSerializer(_programme_read(code)).data)

    @extend_schema(request=ts.ProgrammeInputSerializer(partial=True), responses=ts.ProgrammeSerializer)
    def patch(self, request: Request, code: str) -> Response:
        """Change the fields given; changing ``government_recognised_from`` or ``certifies_child_victims``
        is allowed and kept in the audit trail as a change of certification."""
        programme = _programme(code)
        training_policy.require_institution_change(user=request.user, institution_id=programme.institution_id)
        given = ts.ProgrammeInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        changes = dict(given.validated_data)
        cadres = changes.pop("cadres", None)
        services.programme_change(actor=request.user, programme=programme, changes=changes, cadres=cadres)
        return Response(ts.ProgrammeSerializer(_programme_read(programme.code)).data)


class IntakeListView(ServiceErrorsMixin, generics.ListAPIView[Intake]):
    """The programme's intakes by year (newest first); a year's intake set (PUT or POST: added, or
    changed when the year has one)."""

    permission_classes = CATALOGUE
    pagination_class = ApiPagination
    serializer_class = ts.IntakeSerializer
    queryset = Intake.objects.none()  # the schema's model; the rows: get_queryset

    def get_queryset(self) -> Any:
        return Intake.objects.filter(programme=_programme(self.kwargs["code"])).order_by("-year")

    def _set(self, request: Request, code: str) -> Response:
        programme = _programme(code)
        training_policy.require_institution_change(user=request.user, institution_id=programme.institution_id)
        given = ts.IntakeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        intake = services.intake_set(actor=request.user, programme=programme, **given.validated_data)
        return Response(ts.IntakeSerializer(intake).data)

    @extend_schema(request=ts.IntakeInputSerializer, responses={200: ts.IntakeSerializer})
    def put(self, request: Request, code: str) -> Response:
        """Set the intake of ``year`` to ``enrolled`` students."""
        return self._set(request, code)

    @extend_schema(
        operation_id="training_programmes_intakes_set",
        request=ts.IntakeInputSerializer,
        responses={200: ts.IntakeSerializer},
    )
    def post(self, request: Request, code: str) -> Response:
        """The same as PUT."""
        return self._set(request, code)
