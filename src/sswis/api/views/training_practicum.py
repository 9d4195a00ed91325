"""The field practicum through the API (``/api/v1/training/practicum/``): students, placements and their
steps (hours, evaluation, an early end), the places organisations offer, and the places available per
district against the students needing one.

Who: students and placements are read by a national data manager, a subnational officer, an organisation
focal point (those placed at the organisations they cover) and an institution focal point (their
institution's), changed by a national data manager or the institution's focal point
(``access.training_policy``); offers and the availability are counts, read by every role with aggregates,
and an organisation's offers are set by a national data manager, its area's officer or its focal point.
Bad input is a 400 naming the field; a refusal writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import training_policy
from sswis.api.fields import CodeRelatedField
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import CATALOGUE, PRACTICUM_OFFERS, PRACTICUM_PEOPLE
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.registry.dates import EARLIEST_YEAR, LATEST_YEAR, PlausibleDateValidator
from sswis.registry.models import Organisation, Sex, Worker
from sswis.text import PrintableTextValidator
from sswis.training.models import Programme
from sswis.training.models_practicum import Evaluation, Placement, PracticumOffer, Student
from sswis.training.practicum import (
    placement_create,
    placement_end,
    placement_evaluate,
    placement_hours_record,
    practicum_offer_set,
    student_change,
    student_create,
)
from sswis.training.practicum_selectors import (
    availability_total,
    offers_listed,
    placements_listed,
    practicum_availability,
    students_changeable,
    students_listed,
)

MAXIMUM_HOURS = 10000


def _text(label: Any, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(validators=[PrintableTextValidator(label=label)], **kwargs)


def _day(label: Any, **kwargs: Any) -> serializers.DateField:
    return serializers.DateField(validators=[PlausibleDateValidator(label=label)], **kwargs)


# --- students ------------------------------------------------------------------------------------------


class StudentSerializer(serializers.ModelSerializer[Student]):
    programme = serializers.CharField(source="programme.code")
    institution = serializers.CharField(source="programme.institution.code", allow_null=True, default=None)
    sex = serializers.CharField(help_text=gettext_lazy("female, male, other or unknown"))
    worker_id = serializers.CharField(source="worker.worker_id", allow_null=True, default=None)

    class Meta:
        model = Student
        fields = [
            "id",
            "programme",
            "institution",
            "student_number",
            "given_name",
            "family_name",
            "sex",
            "intake_year",
            "worker_id",
        ]


class StudentWriteSerializer(serializers.Serializer[Any]):
    """A student's fields; on PATCH any of them. ``worker_id``: the registry's worker, once the student is
    one (empty or null: none)."""

    programme = CodeRelatedField(queryset=Programme.objects.all())
    student_number = _text(gettext_lazy("student number"), max_length=64)
    given_name = _text(gettext_lazy("given name"), max_length=150)
    family_name = _text(gettext_lazy("family name"), max_length=150)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    intake_year = serializers.IntegerField(min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)
    worker_id = CodeRelatedField(
        queryset=Worker.objects.all(), slug_field="worker_id", required=False, allow_null=True
    )


def _student_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = dict(data)
    if "worker_id" in fields:
        fields["worker"] = fields.pop("worker_id")
    return fields


class StudentListView(ServiceErrorsMixin, generics.ListAPIView[Student]):
    """The students the user may see, by name; a new student (POST) of the user's institution."""

    permission_classes = PRACTICUM_PEOPLE
    pagination_class = ApiPagination
    serializer_class = StudentSerializer

    def get_queryset(self) -> Any:
        return students_listed(user=self.request.user)

    @extend_schema(request=StudentWriteSerializer, responses={201: StudentSerializer})
    def post(self, request: Request) -> Response:
        """Record a student: 400 naming the field, 403 for a programme of another institution."""
        given = StudentWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        student = student_create(actor=request.user, **_student_fields(given.validated_data))
        return Response(StudentSerializer(student).data, status=status.HTTP_201_CREATED)


class StudentDetailView(ServiceAPIView):
    """One student the user may see; a change (PATCH) of one of the user's institution."""

    permission_classes = PRACTICUM_PEOPLE

    @extend_schema(responses=StudentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(StudentSerializer(get_object_or_404(students_listed(user=request.user), pk=pk)).data)

    @extend_schema(request=StudentWriteSerializer(partial=True), responses=StudentSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        """Change the fields given (moving a student to another programme needs both institutions)."""
        student = get_object_or_404(students_changeable(user=request.user), pk=pk)
        given = StudentWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        student_change(actor=request.user, student=student, **_student_fields(given.validated_data))
        student.refresh_from_db()
        return Response(StudentSerializer(student).data)


# --- placements ----------------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer[Any]):
    worker_id = serializers.CharField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()


class PlacedStudentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    student_number = serializers.CharField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()


class PlacementSerializer(serializers.ModelSerializer[Placement]):
    student = PlacedStudentSerializer()
    programme = serializers.CharField(source="student.programme.code")
    organisation = serializers.CharField(source="organisation.code")
    supervisor = PersonSerializer()
    evaluation = serializers.CharField(
        help_text=gettext_lazy("not_evaluated, unsatisfactory, satisfactory, good or excellent")
    )

    class Meta:
        model = Placement
        fields = [
            "id",
            "student",
            "programme",
            "organisation",
            "supervisor",
            "starts_on",
            "ends_on",
            "hours_planned",
            "hours_done",
            "evaluation",
            "evaluation_notes",
            "ended_early_on",
            "end_reason",
        ]


class PlacementCreateSerializer(serializers.Serializer[Any]):
    student = serializers.IntegerField(min_value=1, help_text=gettext_lazy("the student's id"))
    organisation = CodeRelatedField(queryset=Organisation.objects.all())
    supervisor = CodeRelatedField(
        queryset=Worker.objects.all(),
        slug_field="worker_id",
        help_text=gettext_lazy(
            "the supervisor's worker ID: registered, with the experience the programme asks"
        ),
    )
    starts_on = _day(gettext_lazy("starts on"))
    ends_on = _day(gettext_lazy("ends on"))
    hours_planned = serializers.IntegerField(min_value=1, max_value=MAXIMUM_HOURS)


class PlacementListView(ServiceErrorsMixin, generics.ListAPIView[Placement]):
    """The placements the user may see, latest first; a new placement (POST) of a student of the user's
    institution, refused (400, on ``supervisor``) naming every eligibility rule the supervisor breaks."""

    permission_classes = PRACTICUM_PEOPLE
    pagination_class = ApiPagination
    serializer_class = PlacementSerializer

    def get_queryset(self) -> Any:
        return placements_listed(user=self.request.user)

    @extend_schema(request=PlacementCreateSerializer, responses={201: PlacementSerializer})
    def post(self, request: Request) -> Response:
        given = PlacementCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        student = students_changeable(user=request.user).filter(pk=data.pop("student")).first()
        if student is None:
            raise serializers.ValidationError(
                {"student": [gettext_lazy("None of your students has this id.")]}
            )
        placement = placement_create(actor=request.user, student=student, **data)
        return Response(
            PlacementSerializer(_placement(request, placement.pk)).data, status=status.HTTP_201_CREATED
        )


def _placement(request: Request, pk: int) -> Placement:
    return get_object_or_404(placements_listed(user=request.user), pk=pk)


class PlacementDetailView(ServiceAPIView):
    """One placement the user may see."""

    permission_classes = PRACTICUM_PEOPLE

    @extend_schema(responses=PlacementSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(PlacementSerializer(_placement(request, pk)).data)


class HoursSerializer(serializers.Serializer[Any]):
    hours_done = serializers.IntegerField(
        min_value=0, max_value=MAXIMUM_HOURS, help_text=gettext_lazy("the total to date")
    )
    recorded_on = _day(gettext_lazy("as of"), required=False, help_text=gettext_lazy("default: today"))


class EvaluationSerializer(serializers.Serializer[Any]):
    evaluation = serializers.ChoiceField(
        choices=[(value, label) for value, label in Evaluation.choices if value != Evaluation.NOT_EVALUATED]
    )
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        validators=[PrintableTextValidator(label=gettext_lazy("notes"), multiline=True)],
    )
    evaluated_on = _day(
        gettext_lazy("evaluated on"), required=False, help_text=gettext_lazy("default: today")
    )


class EndSerializer(serializers.Serializer[Any]):
    ended_early_on = _day(gettext_lazy("last day"))
    end_reason = _text(gettext_lazy("why it ended early"), max_length=500)


class _PlacementStepView(ServiceAPIView):
    permission_classes = PRACTICUM_PEOPLE
    given: type[serializers.Serializer[Any]]

    def run(self, request: Request, placement: Placement, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def step(self, request: Request, pk: int) -> Response:
        placement = _placement(request, pk)
        training_policy.require_institution_change(
            user=request.user, institution_id=placement.student.programme.institution_id
        )
        given = self.given(data=request.data)
        given.is_valid(raise_exception=True)
        self.run(request, placement, dict(given.validated_data))
        return Response(PlacementSerializer(_placement(request, pk)).data)


class PlacementHoursView(_PlacementStepView):
    """Record the hours done so far (the total): not before the placement starts, never negative."""

    given = HoursSerializer

    def run(self, request: Request, placement: Placement, data: dict[str, Any]) -> None:
        placement_hours_record(
            actor=request.user, placement=placement, hours_done=data["hours_done"], on=data.get("recorded_on")
        )

    @extend_schema(request=HoursSerializer, responses=PlacementSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return self.step(request, pk)


class PlacementEvaluationView(_PlacementStepView):
    """Record the placement's evaluation and notes (not before it starts)."""

    given = EvaluationSerializer

    def run(self, request: Request, placement: Placement, data: dict[str, Any]) -> None:
        placement_evaluate(
            actor=request.user,
            placement=placement,
            evaluation=data["evaluation"],
            notes=data.get("notes", ""),
            on=data.get("evaluated_on"),
        )

    @extend_schema(request=EvaluationSerializer, responses=PlacementSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return self.step(request, pk)


class PlacementEndView(_PlacementStepView):
    """End the placement early: its last day (from its first day to before its planned end) and why."""

    given = EndSerializer

    def run(self, request: Request, placement: Placement, data: dict[str, Any]) -> None:
        placement_end(
            actor=request.user, placement=placement, on=data["ended_early_on"], reason=data["end_reason"]
        )

    @extend_schema(request=EndSerializer, responses=PlacementSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return self.step(request, pk)


# --- offers and availability ---------------------------------------------------------------------------


class OfferSerializer(serializers.ModelSerializer[PracticumOffer]):
    organisation = serializers.CharField(source="organisation.code")
    organisation_name = serializers.CharField(source="organisation.name")
    location = serializers.CharField(source="organisation.location.code")

    class Meta:
        model = PracticumOffer
        fields = ["organisation", "organisation_name", "location", "year", "places"]


class OfferWriteSerializer(serializers.Serializer[Any]):
    organisation = CodeRelatedField(queryset=Organisation.objects.select_related("location"))
    year = serializers.IntegerField(min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)
    places = serializers.IntegerField(min_value=0, max_value=MAXIMUM_HOURS)


class OfferQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=EARLIEST_YEAR, max_value=LATEST_YEAR, required=False)


class OfferListView(ServiceErrorsMixin, generics.ListAPIView[PracticumOffer]):
    """The places organisations offer for field practicum (``?year=``), latest year first; setting one
    (POST: the organisation's figure of that year is replaced) for an organisation the user covers."""

    permission_classes = PRACTICUM_OFFERS
    pagination_class = ApiPagination
    serializer_class = OfferSerializer

    def get_queryset(self) -> Any:
        query = OfferQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return offers_listed(year=query.validated_data.get("year"))

    @extend_schema(parameters=[OfferQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=OfferWriteSerializer, responses={201: OfferSerializer})
    def post(self, request: Request) -> Response:
        given = OfferWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        offer = practicum_offer_set(actor=request.user, **given.validated_data)
        return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class AvailabilityQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)


class DistrictRowSerializer(serializers.Serializer[Any]):
    district = serializers.CharField(allow_null=True, help_text=gettext_lazy("null: not in a district"))
    name = serializers.CharField()
    places_offered = serializers.IntegerField()
    placements = serializers.IntegerField()
    places_free = serializers.IntegerField()
    students_needing = serializers.IntegerField()
    balance = serializers.IntegerField()


class AvailabilitySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    rows = DistrictRowSerializer(many=True)
    total = DistrictRowSerializer()


class AvailabilityView(ServiceAPIView):
    """Per district (then "not in a district"), for a year: the places offered by organisations located
    there or below, the placements starting in the year there, the places left, the students needing a
    placement in it (counted in their institution's district) and the balance; and the country's total
    (``district`` ``""``). Counts only (``docs/training.md``, "Field practicum")."""

    permission_classes = CATALOGUE

    @extend_schema(
        parameters=[AvailabilityQuerySerializer],
        responses=AvailabilitySerializer,
    )
    def get(self, request: Request) -> Response:
        query = AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data["year"]
        rows = practicum_availability(year=year)
        return Response(
            {
                "year": year,
                "rows": [row.as_json() for row in rows],
                "total": availability_total(rows).as_json(),
            }
        )
