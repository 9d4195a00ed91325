"""The serializers of the training's API (``/api/v1/training/``): institutions, programmes, intakes,
instructors and completions as the API shows them, what a write accepts, and the lists' query parameters.

Rows are named by their business codes (an institution's, a programme's, a cadre's, a location's, an
organisation's; a worker by worker ID). A completion shows the worker's identity only: worker ID and name.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.api.fields import CodeRelatedField
from sswis.geo.models import Location
from sswis.registry.dates import EARLIEST_YEAR, LATEST_YEAR, PlausibleDateValidator
from sswis.registry.models import Cadre, EducationLevel, Organisation
from sswis.text import PrintableTextValidator
from sswis.training.models import (
    Completion,
    InstitutionKind,
    Instructor,
    Intake,
    Programme,
    ProgrammeKind,
    TrainingInstitution,
)
from sswis.training.services import WITHDRAWAL_REASON_LENGTH


def _text(label: Any, max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, validators=[PrintableTextValidator(label=label)], **kwargs
    )


def _day(label: Any, **kwargs: Any) -> serializers.DateField:
    return serializers.DateField(validators=[PlausibleDateValidator(label=label)], **kwargs)


# --- what the API shows -------------------------------------------------------------------------------


class AccreditationSerializer(serializers.Serializer[Any]):
    accredited_by = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True, help_text=gettext_lazy("null: no end yet"))


class AccreditationRowSerializer(AccreditationSerializer):
    """An accreditation period with its id (``accreditations/{id}/end/``) and its institution."""

    id = serializers.IntegerField()
    institution = serializers.CharField(source="institution.code")


class InstitutionSerializer(serializers.ModelSerializer[TrainingInstitution]):
    kind = serializers.ChoiceField(choices=InstitutionKind.choices)
    location: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    organisation: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    accredited_today = serializers.BooleanField(
        help_text=gettext_lazy("Whether an accreditation period covers today.")
    )
    programme_count = serializers.IntegerField()

    class Meta:
        model = TrainingInstitution
        fields = [
            "uuid",
            "code",
            "name",
            "kind",
            "location",
            "organisation",
            "accredited_today",
            "programme_count",
            "updated_at",
        ]


class ProgrammeYearSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    intake = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("null: not recorded"))
    completions = serializers.IntegerField()


class InstitutionYearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    students_enrolled = serializers.IntegerField(
        help_text=gettext_lazy("The intakes of the institution's programmes running in the year.")
    )
    instructors = serializers.DecimalField(
        max_digits=10,
        decimal_places=1,
        help_text=gettext_lazy("Instructors teaching in the year: full time 1, part time 0.5."),
    )
    students_per_instructor = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=gettext_lazy("Students enrolled / instructors; null when no instructor taught."),
    )
    programmes = ProgrammeYearSerializer(many=True)


class InstitutionDetailSerializer(InstitutionSerializer):
    accreditations = AccreditationSerializer(many=True)
    programmes: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    figures = InstitutionYearSerializer(many=True, help_text=gettext_lazy("One entry a year, newest first."))

    class Meta(InstitutionSerializer.Meta):
        fields = [*InstitutionSerializer.Meta.fields, "accreditations", "programmes", "figures"]


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices)
    awards_education = serializers.CharField(
        help_text=gettext_lazy("An education level of the registry, or empty: none")
    )
    cadres: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Programme
        fields = [
            "uuid",
            "code",
            "name",
            "institution",
            "kind",
            "duration_months",
            "awards_education",
            "cadres",
            "government_recognised_from",
            "certifies_child_victims",
            "practicum_hours",
            "supervisor_experience_years",
            "updated_at",
        ]


class IntakeSerializer(serializers.ModelSerializer[Intake]):
    class Meta:
        model = Intake
        fields = ["year", "enrolled", "updated_at"]


class InstructorSerializer(serializers.ModelSerializer[Instructor]):
    qualification = serializers.CharField(help_text=gettext_lazy("An education level of the registry"))
    programmes: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Instructor
        fields = [
            "id",
            "name",
            "qualification",
            "field",
            "full_time",
            "programmes",
            "active_from",
            "active_until",
        ]


class InstructorDetailSerializer(InstructorSerializer):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta(InstructorSerializer.Meta):
        fields = ["id", "institution", *InstructorSerializer.Meta.fields[1:]]


class CompletionSerializer(serializers.ModelSerializer[Completion]):
    worker_id = serializers.CharField(source="worker.worker_id")
    given_name = serializers.CharField(source="worker.given_name")
    family_name = serializers.CharField(source="worker.family_name")
    programme = serializers.CharField(source="programme.code")
    institution = serializers.CharField(
        source="programme.institution.code",
        allow_null=True,
        help_text=gettext_lazy("null: a national programme"),
    )

    class Meta:
        model = Completion
        fields = [
            "uuid",
            "worker_id",
            "given_name",
            "family_name",
            "programme",
            "institution",
            "completed_on",
            "certificate_number",
            "source",
        ]


# --- what a write accepts -----------------------------------------------------------------------------


class InstitutionInputSerializer(serializers.Serializer[Any]):
    code = _text(gettext_lazy("Code"), 50)
    name = _text(gettext_lazy("Name"), 200)
    kind = serializers.ChoiceField(choices=InstitutionKind.choices)
    location = CodeRelatedField(
        queryset=Location.objects.all(), allow_null=True, required=False, default=None
    )
    organisation = CodeRelatedField(
        queryset=Organisation.objects.all(), allow_null=True, required=False, default=None
    )


class ProgrammeInputSerializer(serializers.Serializer[Any]):
    code = _text(gettext_lazy("Code"), 50)
    name = _text(gettext_lazy("Name"), 200)
    institution = CodeRelatedField(
        queryset=TrainingInstitution.objects.all(),
        allow_null=True,
        required=False,
        default=None,
        help_text=gettext_lazy("The institution's code; null: a national programme (national data managers)"),
    )
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices)
    duration_months = serializers.IntegerField(
        min_value=1, max_value=120, allow_null=True, required=False, default=None
    )
    awards_education = serializers.ChoiceField(
        choices=[("", gettext_lazy("None")), *EducationLevel.choices], required=False, default=""
    )
    cadres = CodeRelatedField(queryset=Cadre.objects.all(), many=True, required=False, default=list)
    government_recognised_from = _day(
        gettext_lazy("Recognised by the government from"), allow_null=True, required=False, default=None
    )
    certifies_child_victims = serializers.BooleanField(required=False, default=False)
    practicum_hours = serializers.IntegerField(min_value=0, max_value=10000, required=False, default=0)
    supervisor_experience_years = serializers.IntegerField(
        min_value=0, max_value=50, required=False, default=0
    )


class AccreditationInputSerializer(serializers.Serializer[Any]):
    accredited_by = _text(gettext_lazy("Accredited by"), 200, help_text=gettext_lazy("the accrediting body"))
    valid_from = _day(gettext_lazy("Valid from"))
    valid_until = _day(
        gettext_lazy("Valid until"),
        allow_null=True,
        required=False,
        default=None,
        help_text=gettext_lazy("the last day; null: no end yet"),
    )


class AccreditationEndInputSerializer(serializers.Serializer[Any]):
    valid_until = _day(gettext_lazy("Last day of the accreditation"))


class InstructorInputSerializer(serializers.Serializer[Any]):
    name = _text(gettext_lazy("Name"), 200)
    qualification = serializers.ChoiceField(
        choices=EducationLevel.choices, required=False, default=EducationLevel.UNKNOWN
    )
    field = _text(gettext_lazy("Field"), 200, required=False, allow_blank=True, default="")
    full_time = serializers.BooleanField(required=False, default=True)
    programmes = CodeRelatedField(
        queryset=Programme.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text=gettext_lazy("codes of the institution's programmes they teach"),
    )
    active_from = _day(gettext_lazy("Teaching from"), allow_null=True, required=False, default=None)
    active_until = _day(gettext_lazy("Teaching until"), allow_null=True, required=False, default=None)


class InstructorEndInputSerializer(serializers.Serializer[Any]):
    active_until = _day(gettext_lazy("Last day of teaching"))


class IntakeInputSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)
    enrolled = serializers.IntegerField(min_value=0, max_value=1_000_000)


class CompletionInputSerializer(serializers.Serializer[Any]):
    worker_id = _text(gettext_lazy("Worker ID"), 64)
    programme = _text(gettext_lazy("Programme"), 50, help_text=gettext_lazy("the programme's code"))
    completed_on = _day(gettext_lazy("Completed on"))
    certificate_number = _text(
        gettext_lazy("Certificate number"), 100, required=False, allow_blank=True, default=""
    )


# --- the lists' query parameters ----------------------------------------------------------------------


class ProgrammeQuerySerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices, required=False)
    institution = serializers.CharField(
        max_length=50, required=False, help_text=gettext_lazy("an institution's code")
    )
    certifying = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy(
            "true: those that certify to work with child victims today; false: the others"
        ),
    )


class CompletionQuerySerializer(serializers.Serializer[Any]):
    programme = serializers.CharField(
        max_length=50, required=False, help_text=gettext_lazy("a programme's code")
    )
    institution = serializers.CharField(
        max_length=50, required=False, help_text=gettext_lazy("an institution's code")
    )
    year = serializers.IntegerField(
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        required=False,
        help_text=gettext_lazy("year completed"),
    )


class CompletionWithdrawQuerySerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=WITHDRAWAL_REASON_LENGTH,
        help_text=gettext_lazy("Why the completion is withdrawn (kept in the audit trail)."),
    )
