"""The duplicates API (``/api/v1/duplicates/``): the review queue (open pairs of the latest run in the
user's area, both records side by side), one pair, confirming it (merging, the surviving record chosen)
or rejecting it with a reason, the runs (start one as a background job) and the model's match weights.

Reviewers only (``access.duplicates_policy``): a national data manager everywhere, a subnational officer
for pairs whose two workers are both in their area (another pair is a 404); a run is a national data
manager's. Analysts, who see aggregates only, are refused.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api.duplicate_serializers import (
    CandidatePairSerializer,
    DuplicateRunSerializer,
    DuplicateRunStartSerializer,
    LinkageModelSerializer,
    PairConfirmSerializer,
    PairRejectSerializer,
)
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import DUPLICATES
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.duplicates.models import CandidatePair, DuplicateRun, RunOrigin
from sswis.duplicates.selectors import (
    PAIR_RELATED,
    model_in_force,
    model_weights,
    pair_for_review,
    pairs_for_review,
    runs_list,
)
from sswis.duplicates.services import duplicate_run_create, duplicate_run_queue, pair_confirm, pair_reject


class PairListView(ServiceErrorsMixin, generics.ListAPIView[CandidatePair]):
    """The open pairs of the latest run that the user may review, most probable first."""

    permission_classes = DUPLICATES
    pagination_class = ApiPagination
    serializer_class = CandidatePairSerializer

    def get_queryset(self) -> QuerySet[CandidatePair]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema's introspection: no user
            return CandidatePair.objects.none()
        return pairs_for_review(user=self.request.user)

    @extend_schema(operation_id="duplicates_pairs")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def _pair(request: Request, pair_id: int) -> CandidatePair:
    pair = pair_for_review(user=request.user, pair_id=pair_id)
    if pair is None:
        raise Http404(_("No such pair in your area."))
    return pair


def _reviewed(pair: CandidatePair) -> CandidatePair:
    """The pair as the review left it, read again. Not through the area check: the reviewer just decided
    on it, and a merge moves the merged record's assignments away, so an officer no longer sees it."""
    return CandidatePair.objects.select_related(*PAIR_RELATED).get(pk=pair.pk)


class PairDetailView(ServiceAPIView):
    """One pair (of any run) that the user may review."""

    permission_classes = DUPLICATES

    @extend_schema(operation_id="duplicates_pair", responses={200: CandidatePairSerializer})
    def get(self, request: Request, pair_id: int) -> Response:
        return Response(CandidatePairSerializer(_pair(request, pair_id)).data)


class PairConfirmView(ServiceAPIView):
    """The two records are one person: merge the other into ``surviving`` (one of the pair's worker IDs)."""

    permission_classes = DUPLICATES
    parser_classes = [JSONParser]  # a JSON body (booleans and text as they are typed)

    @extend_schema(
        operation_id="duplicates_pair_confirm",
        request=PairConfirmSerializer,
        responses={200: CandidatePairSerializer},
    )
    def post(self, request: Request, pair_id: int) -> Response:
        pair = _pair(request, pair_id)
        asked = PairConfirmSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        by_id = {pair.worker_a.worker_id: pair.worker_a, pair.worker_b.worker_id: pair.worker_b}
        surviving = by_id.get(asked.validated_data["surviving"])
        if surviving is None:
            raise exceptions.ValidationError(
                {"surviving": [_("The surviving record must be one of the pair's two workers.")]}
            )
        pair = pair_confirm(
            actor=request.user, pair=pair, surviving=surviving, reason=asked.validated_data["reason"]
        )
        return Response(CandidatePairSerializer(_reviewed(pair)).data)


class PairRejectView(ServiceAPIView):
    """Two different people: close the pair with a reason; it is never proposed again."""

    permission_classes = DUPLICATES
    parser_classes = [JSONParser]  # a JSON body (booleans and text as they are typed)

    @extend_schema(
        operation_id="duplicates_pair_reject",
        request=PairRejectSerializer,
        responses={200: CandidatePairSerializer},
    )
    def post(self, request: Request, pair_id: int) -> Response:
        pair = _pair(request, pair_id)
        asked = PairRejectSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        pair = pair_reject(actor=request.user, pair=pair, reason=asked.validated_data["reason"])
        return Response(CandidatePairSerializer(_reviewed(pair)).data)


class RunListView(ServiceErrorsMixin, generics.ListCreateAPIView[DuplicateRun]):
    """GET: every run, newest first. POST ``{"threshold", "train"}`` (a national data manager): start a run
    as a background job (202 with the run; follow it at its ``id``)."""

    permission_classes = DUPLICATES
    parser_classes = [JSONParser]  # a JSON body: ``train`` is a boolean, not the text "0"
    pagination_class = ApiPagination
    serializer_class = DuplicateRunSerializer

    def get_queryset(self) -> QuerySet[DuplicateRun]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema's introspection: no user
            return DuplicateRun.objects.none()
        return runs_list(user=self.request.user)

    @extend_schema(operation_id="duplicates_runs")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="duplicates_run_start",
        request=DuplicateRunStartSerializer,
        responses={202: DuplicateRunSerializer},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        asked = DuplicateRunStartSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        run = duplicate_run_create(
            actor=request.user, threshold=asked.validated_data["threshold"],
            train=asked.validated_data["train"], origin=RunOrigin.API,
        )  # fmt: skip
        run = duplicate_run_queue(run=run)
        return Response(DuplicateRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class RunDetailView(ServiceErrorsMixin, generics.RetrieveAPIView[DuplicateRun]):
    """One run with its progress and counts."""

    permission_classes = DUPLICATES
    serializer_class = DuplicateRunSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[DuplicateRun]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema's introspection: no user
            return DuplicateRun.objects.none()
        return runs_list(user=self.request.user)

    @extend_schema(operation_id="duplicates_run")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ModelView(ServiceAPIView):
    """The model in force with the match weight of each comparison level; 404 before the first training."""

    permission_classes = DUPLICATES

    @extend_schema(
        operation_id="duplicates_model",
        responses={
            200: LinkageModelSerializer,
            404: OpenApiResponse(
                description=gettext_lazy("No model trained yet: `detail` says so."),
                response=OpenApiTypes.OBJECT,
            ),
        },
    )
    def get(self, request: Request) -> Response:
        model = model_in_force(user=request.user)
        if model is None:
            raise Http404(_("No model trained yet: the first run trains one."))
        model.weights = model_weights(model=model)  # type: ignore[attr-defined]
        return Response(LinkageModelSerializer(model).data)
