"""Input validation and output shape of the API resources.

Serializers here only validate and render: every write goes through a service function in the views
(``serializer.save()`` is never called). Related rows are referenced by business code; every resource
exposes its ``uuid`` and ``updated_at`` (FHIR mCSD sync).
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sswis.geo.models import Location, PopulationEstimate
from sswis.imports.http import PROBLEMS_FORMATS
from sswis.imports.models import ImportRecord, ImportStatus
from sswis.imports.modes import ImportMode
from sswis.imports.readers import TemplateReadError, encoding_given
from sswis.imports.services import UPLOAD_SUFFIXES
from sswis.indicators.definitions import DIMENSIONS, FIRST_YEAR, INDICATORS, LAST_YEAR, years_parsed
from sswis.registry.dates import PlausibleDateValidator
from sswis.registry.models import Assignment, Cadre, ExitReason, Organisation, Post, Worker
from sswis.registry.services import WORKER_FIELDS, AssignmentTerms
from sswis.surveys.models import SurveyRound
from sswis.surveys.selectors import FEW_RESPONDENTS, MINIMUM_RESPONDENTS, SMALL_GROUP_WITHIN
from sswis.text import PrintableTextValidator

from .fields import CodeRelatedField, VisibleWorkerField, depth_field, subtree_location_field

# --- reference lists -----------------------------------------------------------------------------


class LocationSerializer(serializers.ModelSerializer[Location]):
    """A node of the location tree; ``parent`` is the parent's code (``null`` for the country root)."""

    parent = CodeRelatedField(  # type: ignore[assignment]  # a field, not Field.parent
        queryset=Location.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Location
        fields = [
            "uuid",
            "code",
            "name",
            "parent",
            "level",
            "depth",
            "setting",
            "dhis2_uid",
            "boundary",
            "updated_at",
        ]
        read_only_fields = ["uuid", "depth", "updated_at"]


class PopulationEstimateSerializer(serializers.ModelSerializer[PopulationEstimate]):
    """Child population (aged 0-17) of a location in a year. POST records or replaces that year's figure."""

    location = CodeRelatedField(queryset=Location.objects.all())

    class Meta:
        model = PopulationEstimate
        fields = ["uuid", "location", "year", "children", "total", "updated_at"]
        read_only_fields = ["uuid", "updated_at"]
        # POST is "record or replace": an existing (location, year) is not a conflict.
        validators: list[Any] = []


class PopulationEstimateUpdateSerializer(PopulationEstimateSerializer):
    """Changing an estimate: location and year identify it and cannot change."""

    location = CodeRelatedField(read_only=True)

    class Meta(PopulationEstimateSerializer.Meta):
        read_only_fields = ["uuid", "location", "year", "updated_at"]


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    """An employer or host of workers; governmental exactly when ``type`` is ``government``."""

    location = CodeRelatedField(queryset=Location.objects.all())
    parent = CodeRelatedField(  # type: ignore[assignment]  # a field, not Field.parent
        queryset=Organisation.objects.all(), allow_null=True, required=False
    )
    # The jurisdiction it administers (the FHIR directory's Location.managingOrganization); one at most.
    manages_location = CodeRelatedField(queryset=Location.objects.all(), allow_null=True, required=False)
    is_government = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "uuid",
            "code",
            "name",
            "type",
            "sector",
            "location",
            "parent",
            "manages_location",
            "is_government",
            "updated_at",
        ]
        read_only_fields = ["uuid", "updated_at"]


class CadreSerializer(serializers.ModelSerializer[Cadre]):
    """A job title as the country names it, with its category and optional ISCO-08 unit group."""

    class Meta:
        model = Cadre
        fields = ["uuid", "code", "name", "category", "isco08", "updated_at"]
        read_only_fields = ["uuid", "updated_at"]


# --- establishment and people --------------------------------------------------------------------


class PostSerializer(serializers.ModelSerializer[Post]):
    """A post of the establishment; ``is_filled`` is computed for the ``date`` query parameter (default today)."""

    organisation = CodeRelatedField(queryset=Organisation.objects.all())
    location = CodeRelatedField(queryset=Location.objects.all())
    cadre = CodeRelatedField(queryset=Cadre.objects.all())
    is_filled = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy("An assignment filling this post is active on the reference date."),
    )

    class Meta:
        model = Post
        fields = [
            "uuid",
            "code",
            "organisation",
            "location",
            "cadre",
            "grade",
            "funded",
            "established_on",
            "abolished_on",
            "is_filled",
            "updated_at",
        ]
        read_only_fields = ["uuid", "updated_at"]


class WorkerSerializer(serializers.ModelSerializer[Worker]):
    """A person of the workforce (personal data)."""

    class Meta:
        model = Worker
        # The writable fields are exactly what the registry services accept.
        fields = ["uuid", *WORKER_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["uuid", "created_at", "updated_at"]


class AssignmentTermsSerializer(serializers.Serializer[AssignmentTerms]):
    """The terms of a new assignment: where, with whom, in which cadre, from when, on which terms."""

    organisation = CodeRelatedField(queryset=Organisation.objects.all())
    location = CodeRelatedField(queryset=Location.objects.all())
    cadre = CodeRelatedField(queryset=Cadre.objects.all())
    post = CodeRelatedField(queryset=Post.objects.all(), allow_null=True, required=False, default=None)
    start_date = serializers.DateField(validators=[PlausibleDateValidator(label=_("start date"))])
    paid = serializers.BooleanField()
    fte = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        min_value=Decimal("0.001"),
        max_value=Decimal("1"),
        default=Decimal("1"),
        help_text=gettext_lazy("Full-time equivalent, above 0 and at most 1."),
    )
    child_protection = serializers.BooleanField(
        default=True,
        help_text=gettext_lazy("Has responsibility for child protection or child welfare services."),
    )


def assignment_terms(data: dict[str, Any]) -> AssignmentTerms:
    """The ``AssignmentTerms`` of validated ``AssignmentTermsSerializer`` data (extra keys are ignored)."""
    return AssignmentTerms(
        organisation=data["organisation"],
        location=data["location"],
        cadre=data["cadre"],
        start_date=data["start_date"],
        paid=data["paid"],
        post=data.get("post"),
        fte=data.get("fte", Decimal("1")),
        child_protection=data.get("child_protection", True),
    )


class WorkerCreateSerializer(WorkerSerializer):
    """Registering a worker; users other than the national data manager must give ``first_assignment``."""

    first_assignment = AssignmentTermsSerializer(
        write_only=True,
        required=False,
        help_text=gettext_lazy(
            "The worker's first assignment; required unless you are a national data manager."
        ),
    )

    class Meta(WorkerSerializer.Meta):
        fields = [*WorkerSerializer.Meta.fields, "first_assignment"]


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    """A worker's role in an organisation, at a location, in a cadre, over a period.

    Creating one starts it (no end date yet); end it with the ``end`` action.
    """

    worker = VisibleWorkerField(queryset=Worker.objects.all())
    organisation = CodeRelatedField(queryset=Organisation.objects.all())
    location = CodeRelatedField(queryset=Location.objects.all())
    cadre = CodeRelatedField(queryset=Cadre.objects.all())
    post = CodeRelatedField(queryset=Post.objects.all(), allow_null=True, required=False, default=None)
    fte = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        min_value=Decimal("0.001"),
        max_value=Decimal("1"),
        default=Decimal("1"),
    )
    # Empty while the assignment has not ended (the model's blank choice, which the schema must allow).
    exit_reason = serializers.ChoiceField(
        choices=ExitReason.choices,
        allow_blank=True,
        read_only=True,
        help_text=gettext_lazy("Why the assignment ended; empty while it has not."),
    )

    class Meta:
        model = Assignment
        fields = [
            "uuid",
            "worker",
            "organisation",
            "location",
            "cadre",
            "post",
            "start_date",
            "end_date",
            "paid",
            "fte",
            "child_protection",
            "exit_reason",
            "updated_at",
        ]
        read_only_fields = ["uuid", "end_date", "exit_reason", "updated_at"]
        # The identity (worker, organisation, location, cadre, start date) is checked by the service.
        validators: list[Any] = []


ASSIGNMENT_IDENTITY = ("worker", "organisation", "location", "cadre", "start_date")


class AssignmentUpdateSerializer(serializers.ModelSerializer[Assignment]):
    """Correcting the terms of an assignment. Where, with whom, in which cadre and since when cannot
    change: transfer instead (``transfer`` action), so that history is kept."""

    post = CodeRelatedField(queryset=Post.objects.all(), allow_null=True, required=False)
    fte = serializers.DecimalField(
        max_digits=4, decimal_places=3, min_value=Decimal("0.001"), max_value=Decimal("1")
    )

    class Meta:
        model = Assignment
        fields = ["paid", "fte", "child_protection", "post", "end_date", "exit_reason"]
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Refuse, rather than silently ignore, an attempt to change what identifies the assignment."""
        identity = [name for name in ASSIGNMENT_IDENTITY if name in getattr(self, "initial_data", {})]
        if identity:
            raise serializers.ValidationError(
                {
                    name: "This identifies the assignment and cannot be corrected; transfer the worker instead."
                    for name in identity
                }
            )
        return attrs


class AssignmentEndSerializer(serializers.Serializer[Assignment]):
    """Ending an open assignment: the last day in the role (inclusive) and why it ended."""

    end_date = serializers.DateField(
        help_text=gettext_lazy("The last day in the role."),
        validators=[PlausibleDateValidator(label=_("end date"))],
    )
    exit_reason = serializers.ChoiceField(choices=ExitReason.choices)


class AssignmentTransferSerializer(AssignmentTermsSerializer):
    """A transfer: the old assignment ends on ``last_day`` (reason ``transferred``) and a new one starts
    with the given terms; ``start_date`` must be after ``last_day``."""

    last_day = serializers.DateField(
        help_text=gettext_lazy("The last day of the current assignment."),
        validators=[PlausibleDateValidator(label=_("last day"))],
    )


# --- indicators ----------------------------------------------------------------------------------


class IndicatorQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """Query parameters of the indicators endpoint: ``year`` or ``years`` (exactly one of them)."""

    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        help_text=gettext_lazy("The reference year."),
    )
    years = serializers.CharField(
        required=False,
        help_text=format_lazy(
            gettext_lazy(
                "Several years instead of `year`, each computed as if asked alone: a range `2019-2025` or a "
                "list `2019,2022,2025` ({first} to {last})."
            ),
            first=FIRST_YEAR,
            last=LAST_YEAR,
        ),
    )
    by = serializers.ListField(
        child=serializers.ChoiceField(choices=list(DIMENSIONS)),
        required=False,
        default=list,
        help_text=gettext_lazy("Disaggregation dimension; repeat it for combinations."),
    )
    location = subtree_location_field()
    depth = depth_field()

    def validate_years(self, value: str) -> tuple[int, ...]:
        try:
            return years_parsed(text=value)
        except ValueError as problem:
            raise serializers.ValidationError(str(problem)) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("year" in attrs) == ("years" in attrs):
            message = _("Give either year (e.g. 2024) or years (e.g. 2019-2025), not both.")
            if "year" not in attrs:
                message = _("Give year (e.g. 2024) or years (e.g. 2019-2025).")
            raise serializers.ValidationError({"year": [message]})
        return attrs


class IndicatorRowSerializer(serializers.Serializer[Any]):
    """One row of the indicators contract: one indicator x location x group."""

    indicator = serializers.ChoiceField(choices=list(INDICATORS))
    location = serializers.CharField(help_text=gettext_lazy("Location code."))
    group = serializers.DictField(
        child=serializers.CharField(),
        help_text=gettext_lazy("{} for the whole, else one key per `by` dimension."),
    )
    numerator = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Null when withheld."))
    denominator = serializers.FloatField(
        allow_null=True,
        help_text=gettext_lazy(
            "Null for a count, and for a share when withheld; a whole number but for support.turnover_rate "
            "(an average headcount, which may end in .5)."
        ),
    )
    value = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("Full precision; null when undefined or withheld.")
    )
    withheld = serializers.BooleanField(
        help_text=gettext_lazy(
            "A small cell withheld from this reader (fewer people than the threshold, or its complement)."
        )
    )


class IndicatorYearRowSerializer(IndicatorRowSerializer):
    """One row of a several-years document: a one-year row with its year."""

    year = serializers.IntegerField()


class IndicatorDocumentSerializer(serializers.Serializer[Any]):
    """The indicators contract's JSON document of one year."""

    year = serializers.IntegerField()
    rows = IndicatorRowSerializer(many=True)


class IndicatorYearsDocumentSerializer(serializers.Serializer[Any]):
    """The indicators contract's JSON document of several years (`years=`)."""

    years = serializers.ListField(child=serializers.IntegerField())
    rows = IndicatorYearRowSerializer(many=True)


class IndicatorDefinitionSerializer(serializers.Serializer[Any]):
    """How an indicator is defined: what it counts, what it divides by, which dimensions split it."""

    id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    numerator = serializers.CharField()
    denominator = serializers.CharField()
    unit = serializers.CharField()
    dimensions = serializers.ListField(child=serializers.CharField())
    reference_period = serializers.CharField()
    null_when = serializers.CharField(help_text=gettext_lazy("When `value` is null (empty: never)."))
    attribute = serializers.CharField(
        help_text=gettext_lazy(
            "For the share of workers with a personal attribute (licensed, certified, supervised): the "
            "attribute the numerator counts (for licensed and certified also the dimension whose first group "
            "it is); empty for the others."
        )
    )


class DimensionGroupSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    description = serializers.CharField()


class DimensionSerializer(serializers.Serializer[Any]):
    """A disaggregation dimension (`by`); ``groups`` is empty for cadre (one group per cadre code)."""

    id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    source = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.source
        help_text=gettext_lazy("The record the group is read from.")
    )
    groups = DimensionGroupSerializer(many=True)
    personal = serializers.BooleanField(
        help_text=gettext_lazy(
            "A personal attribute of the worker: small cells of a split by it are withheld from "
            "aggregate-only readers."
        )
    )


class IndicatorDefinitionsSerializer(serializers.Serializer[Any]):
    """Every indicator definition and every dimension, in the contract's order."""

    indicators = IndicatorDefinitionSerializer(many=True)
    dimensions = DimensionSerializer(many=True)


# --- imports -------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.BINARY)
class UploadedFileField(serializers.FileField):
    """A file sent as multipart form data (documented as binary: it is only ever received, never shown)."""


class ImportUploadSerializer(serializers.Serializer[Any]):
    """A mapping template to import (multipart form data) and how to import it."""

    file = UploadedFileField(
        help_text=format_lazy(
            gettext_lazy(
                "The template: one of {suffixes} (a workbook, one template CSV file such as workers.csv, or a "
                "zip of CSV files). Refused while it arrives when over the import limit."
            ),
            suffixes=", ".join(UPLOAD_SUFFIXES),
        )
    )
    mode = serializers.ChoiceField(
        choices=ImportMode.choices,
        help_text=gettext_lazy(
            "all_or_nothing: with any error nothing is imported; skip_invalid: the valid rows are "
            "imported and the invalid ones rejected; dry_run and dry_run_skip_invalid: the same, written to "
            "nothing."
        ),
    )
    encoding = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        default="",
        help_text=gettext_lazy("Character set of CSV files, e.g. utf-8, utf-16, cp1252 (default: detected)."),
        validators=[PrintableTextValidator(label=_("encoding"))],
    )

    def validate_encoding(self, value: str) -> str:
        """Refuse an unknown character set before anything is stored."""
        name = value.strip()
        if name:
            try:
                encoding_given(name=name)
            except TemplateReadError as problem:
                raise serializers.ValidationError(problem.message) from None
        return name


class ImportFileCountsSerializer(serializers.Serializer[Any]):
    """Rows of one template file: ``read`` = ``created + updated + unchanged + rejected``."""

    read = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()


class ImportProgressSerializer(serializers.Serializer[Any]):
    """How far a running import has read (as last written by the background job, every half second)."""

    file = serializers.CharField(help_text=gettext_lazy("The template file being read."))
    file_rows = serializers.IntegerField(help_text=gettext_lazy("Rows of that file read so far."))
    file_rows_estimate = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy("About how many rows that file has; null when it cannot be told."),
    )
    rows = serializers.IntegerField(help_text=gettext_lazy("Rows read so far in all files."))
    files_done = serializers.IntegerField()
    files_total = serializers.IntegerField()
    fraction = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("The share done, 0 to 1, if it can be told.")
    )


class ImportProblemSerializer(serializers.Serializer[Any]):
    """One problem: ``row`` 1 is the first data row, 0 the header or the file as a whole; ``file`` empty
    for the source as a whole; ``column`` empty when no single column is at fault."""

    file = serializers.CharField()
    row = serializers.IntegerField()
    column = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning"])


class ImportProblemsLinksSerializer(serializers.Serializer[Any]):
    csv = serializers.URLField()
    xlsx = serializers.URLField()


def _absolute(serializer: serializers.Serializer[Any], path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class ImportRecordSerializer(serializers.ModelSerializer[ImportRecord]):
    """One import of the import history (command line, page or API), without its problems.

    ``status``: ``queued`` -> ``running`` -> ``finished`` (the import ran; ``imported`` says whether
    anything was written, ``summary`` what happened) or ``failed`` (it could not run: ``failure``).
    ``counts`` are per template file, ``totals`` their sum; both are empty until it has finished.
    """

    url = serializers.SerializerMethodField(help_text=gettext_lazy("This record in the API."))
    user = serializers.CharField(source="user.username", read_only=True, allow_null=True)
    counts = serializers.DictField(child=ImportFileCountsSerializer(), read_only=True)
    totals = ImportFileCountsSerializer(read_only=True)
    problems_downloads = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The problems as CSV and XLSX files, once the import has finished (else null)."
        )
    )

    class Meta:
        model = ImportRecord
        fields = [
            "uuid",
            "url",
            "file_name",
            "sha256",
            "size",
            "mode",
            "encoding",
            "status",
            "user",
            "created_at",
            "started_at",
            "finished_at",
            "rows_read",
            "imported",
            "errors",
            "warnings",
            "summary",
            "failure",
            "counts",
            "totals",
            "problems_downloads",
        ]
        read_only_fields = fields

    def get_url(self, record: ImportRecord) -> str:
        return _absolute(self, reverse("api:import-detail", kwargs={"uuid": record.uuid}))

    @extend_schema_field(ImportProblemsLinksSerializer(allow_null=True))
    def get_problems_downloads(self, record: ImportRecord) -> dict[str, str] | None:
        if record.status != ImportStatus.FINISHED:
            return None
        path = reverse("api:import-problems", kwargs={"uuid": record.uuid})
        return {name: _absolute(self, f"{path}?format={name}") for name in PROBLEMS_FORMATS}


class ImportRecordDetailSerializer(ImportRecordSerializer):
    """One import with ``progress`` while it runs (else null) and every ``problem`` once it has finished
    (else null), sorted by file then row. The context gives them (``progress``, ``report``)."""

    progress = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()

    class Meta(ImportRecordSerializer.Meta):
        fields = [*ImportRecordSerializer.Meta.fields, "progress", "problems"]
        read_only_fields = fields

    @extend_schema_field(ImportProgressSerializer(allow_null=True))
    def get_progress(self, record: ImportRecord) -> dict[str, Any] | None:
        progress = self.context.get("progress")
        if progress is None:
            return None
        return {**asdict(progress), "fraction": progress.fraction}

    @extend_schema_field(ImportProblemSerializer(many=True, allow_null=True))
    def get_problems(self, record: ImportRecord) -> list[dict[str, Any]] | None:
        report = self.context.get("report")
        if report is None:
            return None
        return [asdict(problem) for problem in report.problems]


class ImportProblemsQuerySerializer(serializers.Serializer[Any]):
    """Query parameters of the problems download."""

    format = serializers.ChoiceField(
        choices=list(PROBLEMS_FORMATS),
        default="csv",
        help_text=gettext_lazy(
            "csv: UTF-8 with byte order mark; xlsx: an Excel workbook with a problems sheet."
        ),
    )


# --- surveys -------------------------------------------------------------------------------------


class SurveyRoundSerializer(serializers.ModelSerializer[SurveyRound]):
    """One round of the workers' perceptions survey."""

    class Meta:
        model = SurveyRound
        fields = ["uuid", "code", "name", "starts_on", "ends_on", "updated_at"]
        read_only_fields = fields


class PerceptionQuerySerializer(serializers.Serializer[Any]):
    """Query parameters of the perceptions endpoint."""

    round = CodeRelatedField(
        queryset=SurveyRound.objects.all(), help_text=gettext_lazy("Code of the survey round.")
    )
    location = CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        help_text=gettext_lazy(
            "Code of a location: it and everything under it (default: the whole country)."
        ),
    )


class PerceptionAnswerSerializer(serializers.Serializer[Any]):
    answer = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    count = serializers.IntegerField(help_text=gettext_lazy("Workers who gave this answer."))
    share = serializers.FloatField(
        help_text=gettext_lazy("Of the workers who answered the question, 0 to 1 (4 decimals).")
    )


class PerceptionQuestionSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    answered = serializers.IntegerField(help_text=gettext_lazy("Workers who answered this question."))
    answers = PerceptionAnswerSerializer(many=True)


class WellbeingScaleSerializer(serializers.Serializer[Any]):
    """One wellbeing scale (an example scale, not a validated instrument): a worker's score is the sum of
    their answers' scores (never 0 ... very often 4) over the scale's items."""

    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    maximum = serializers.IntegerField(help_text=gettext_lazy("The highest score on the scale."))
    high_from = serializers.IntegerField(
        help_text=gettext_lazy("The score from which a level counts as high.")
    )
    scored = serializers.IntegerField(help_text=gettext_lazy("Workers who answered every item of the scale."))
    mean = serializers.FloatField(allow_null=True, help_text=gettext_lazy("Their mean score (null: none)."))
    high = serializers.IntegerField(help_text=gettext_lazy("Workers whose score is high_from or more."))
    share_high = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("high / scored, 0 to 1 (4 decimals; null: none scored).")
    )


class PerceptionSummarySerializer(serializers.Serializer[Any]):
    """Counts and shares per answer of every perception question, for a round and a location subtree.

    Aggregates only, never a person's answers. With fewer than ``minimum_respondents`` respondents, or
    when a place within the area has 1 to ``minimum_respondents - 1`` respondents of its own (its answers
    could be recovered by subtracting the other places' figures), the answers are withheld (``withheld``
    true, ``questions`` empty; ``withheld_reason`` and ``withheld_explanation`` say why). A
    multiple-choice question's shares may add up to more than 1.
    """

    survey_round = serializers.CharField(help_text=gettext_lazy("Code of the survey round."))
    location = serializers.CharField(help_text=gettext_lazy("Code of the location (its subtree is counted)."))
    respondents = serializers.IntegerField()
    withheld = serializers.BooleanField()
    withheld_reason = serializers.ChoiceField(
        choices=["", FEW_RESPONDENTS, SMALL_GROUP_WITHIN],
        help_text=gettext_lazy("Why the answers are withheld ('' if not)."),
    )
    withheld_explanation = serializers.CharField(
        help_text=gettext_lazy("The reason in one sentence ('' if not withheld).")
    )
    minimum_respondents = serializers.IntegerField(default=MINIMUM_RESPONDENTS)
    questions = PerceptionQuestionSerializer(many=True)
    wellbeing = WellbeingScaleSerializer(
        many=True, help_text=gettext_lazy("The wellbeing scales (empty when withheld, as questions).")
    )


# --- authentication ------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer[Any]):
    """Credentials exchanged for an API token."""

    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)


class TokenSerializer(serializers.Serializer[Any]):
    """A new API token, shown this once: send it as ``Authorization: Token <token>``."""

    token = serializers.CharField(read_only=True)
    expiry = serializers.DateTimeField(
        read_only=True, help_text=gettext_lazy("When the token stops working.")
    )


class TokensRevokedSerializer(serializers.Serializer[Any]):
    """How many API tokens were revoked."""

    revoked = serializers.IntegerField(read_only=True)
