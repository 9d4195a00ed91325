"""Completions lists of institutions and online-course platforms through the API: the import (multipart, the
report as JSON), the completions kept because their person matched no worker (paginated, scoped), and matching
one to a worker or setting it aside (``training.completion_lists``). For national data managers and the
institutions' focal points (their own institution's programmes and kept rows: ``access.training_policy``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import training_policy
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import TRAINING_MANAGERS
from sswis.api.views.base import (
    ServiceAPIView,
    ServiceErrorsMixin,
    SizeLimitedUploadMixin,
    form_cleaned_data,
    form_data,
)
from sswis.training.completion_list_forms import UnmatchedMatchForm, UnmatchedSetAsideForm
from sswis.training.completion_lists import (
    UNMATCHED_STATUSES,
    completion_list_import_upload,
    unmatched_completion_list,
    unmatched_completion_match,
    unmatched_completion_set_aside,
    unmatched_completions_visible,
    unmatched_status,
)
from sswis.training.models import Programme, UnmatchedCompletion


class CompletionListImportSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text=gettext_lazy(
            "CSV: person_identifier (worker ID, national ID or e-mail), course (a programme's code or name), "
            "completion_date, certificate_id, and optionally name"
        )
    )
    programme = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=gettext_lazy(
            "the code of the programme the whole list is of (its rows may then leave the course empty)"
        ),
    )
    dry_run = serializers.BooleanField(default=False)


class CompletionListImportView(SizeLimitedUploadMixin, ServiceAPIView):
    """Import a completions list (multipart: ``file``, ``programme``, ``dry_run``), all or nothing, with the
    template importer's report (the rows whose person matched no worker are its warnings): 200 when imported
    (or, for a dry run, without errors), 400 with the report when the file has problems (nothing written)."""

    permission_classes = TRAINING_MANAGERS
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="training_completions_import",
        request={"multipart/form-data": CompletionListImportSerializer},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 413: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        received, too_large = self.uploaded_data(request)
        if too_large is not None:
            return too_large
        given = CompletionListImportSerializer(data=received)
        given.is_valid(raise_exception=True)
        programme = None
        if code := given.validated_data.get("programme", ""):
            programmes = training_policy.institutions_changeable(
                user=request.user, queryset=Programme.objects.all(), prefix="institution__"
            )
            programme = programmes.filter(code=code).first()
            if programme is None:
                raise ValidationError({"programme": [gettext("No programme you may change has this code.")]})
        upload = given.validated_data["file"]
        report = completion_list_import_upload(
            actor=request.user,
            file_name=upload.name,
            chunks=upload.chunks(),
            programme=programme,
            dry_run=given.validated_data["dry_run"],
        )
        return self.report_response(report)


class UnmatchedCompletionSerializer(serializers.Serializer[UnmatchedCompletion]):
    """A kept completion: the person as the list named them, the programme, the day, where it came from, and
    what became of it."""

    id = serializers.IntegerField()
    programme = serializers.CharField(source="programme.code")
    institution = serializers.CharField(source="programme.institution.code", allow_null=True, default=None)
    person_identifier = serializers.CharField()
    person_name = serializers.CharField()
    completed_on = serializers.DateField()
    certificate_number = serializers.CharField()
    file_name = serializers.CharField()
    row_number = serializers.IntegerField(allow_null=True)
    # Plain text, not an enum: the API's other fields named "status" are enums of their own.
    status = serializers.SerializerMethodField(help_text=", ".join(UNMATCHED_STATUSES))
    worker_id = serializers.SerializerMethodField(help_text=gettext_lazy("the worker it was matched to"))
    set_aside_reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_status(self, unmatched: UnmatchedCompletion) -> str:
        return unmatched_status(unmatched)

    def get_worker_id(self, unmatched: UnmatchedCompletion) -> str | None:
        return unmatched.matched.worker.worker_id if unmatched.matched is not None else None


class UnmatchedCompletionListView(ServiceErrorsMixin, generics.ListAPIView[UnmatchedCompletion]):
    """The kept completions the user may see (a national data manager all, an institution's focal point
    those of their institution's programmes), newest first; ``?status=pending|matched|set_aside``."""

    permission_classes = TRAINING_MANAGERS
    pagination_class = ApiPagination
    serializer_class = UnmatchedCompletionSerializer

    def get_queryset(self) -> QuerySet[UnmatchedCompletion]:
        wanted = self.request.query_params.get("status", "")
        if wanted and wanted not in UNMATCHED_STATUSES:
            raise ValidationError(
                {
                    "status": [
                        gettext("Choose one of: %(values)s.") % {"values": ", ".join(UNMATCHED_STATUSES)}
                    ]
                }
            )
        return unmatched_completion_list(user=self.request.user, status=wanted)

    @extend_schema(
        operation_id="training_unmatched_completions",
        parameters=[OpenApiParameter("status", str, enum=list(UNMATCHED_STATUSES))],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def _kept(request: Request, pk: int) -> UnmatchedCompletion:
    return get_object_or_404(unmatched_completions_visible(user=request.user), pk=pk)


def _kept_json(unmatched: UnmatchedCompletion) -> dict[str, Any]:
    refreshed = UnmatchedCompletion.objects.select_related("programme__institution", "matched__worker").get(
        pk=unmatched.pk
    )
    return dict(UnmatchedCompletionSerializer(refreshed).data)


class UnmatchedMatchRequestSerializer(serializers.Serializer[Any]):
    worker_id = serializers.CharField(
        max_length=64, help_text=gettext_lazy("the worker's ID in the registry")
    )


class UnmatchedCompletionMatchView(ServiceAPIView):
    """Match a kept completion to the worker of ``worker_id``: it becomes that worker's completion. 404 for a
    row the user may not see; 400 naming the field for an unknown worker, or a row already matched or set
    aside (nothing written); the answer is the row after."""

    permission_classes = TRAINING_MANAGERS

    @extend_schema(
        operation_id="training_unmatched_completion_match",
        request=UnmatchedMatchRequestSerializer,
        responses={200: UnmatchedCompletionSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        unmatched = _kept(request, pk)
        data = form_cleaned_data(UnmatchedMatchForm(form_data(request)))
        unmatched_completion_match(actor=request.user, unmatched=unmatched, worker=data["worker_id"])
        return Response(_kept_json(unmatched))


class UnmatchedSetAsideRequestSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500, help_text=gettext_lazy("why it is set aside"))


class UnmatchedCompletionSetAsideView(ServiceAPIView):
    """Set a kept completion aside with a ``reason``. 404 for a row the user may not see; 400 naming the field
    for an empty reason, or a row already matched or set aside (nothing written); the answer is the row
    after."""

    permission_classes = TRAINING_MANAGERS

    @extend_schema(
        operation_id="training_unmatched_completion_set_aside",
        request=UnmatchedSetAsideRequestSerializer,
        responses={200: UnmatchedCompletionSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        unmatched = _kept(request, pk)
        data = form_cleaned_data(UnmatchedSetAsideForm(form_data(request)))
        unmatched_completion_set_aside(actor=request.user, unmatched=unmatched, reason=data["reason"])
        return Response(_kept_json(unmatched))
