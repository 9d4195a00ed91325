"""Merging two worker records of the same person through the API (``/api/v1/workers/merges/``): the merges
(list, detail), a new merge (POST) and undoing one (``POST .../{id}/unmerge/``).

Who: a national data manager, or a subnational officer for records in their area
(``sswis.access.merging_policy``); everyone else 403. A merge outside the reader's scope is a 404; a
refused merge (a conflict, a record already merged...) a 400 naming each problem, writing nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import merging_policy, policy
from sswis.api import merging_serializers as s
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import PolicyPermission
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.registry.merging import worker_merge, worker_unmerge
from sswis.registry.merging_selectors import merge_detail, merge_list
from sswis.registry.models import Worker
from sswis.registry.models_merging import WorkerMerge


class MergeAccess(PolicyPermission):
    def requirement(self, request: Request) -> Callable[..., Any]:
        return merging_policy.require_merge_role


MERGES = [IsAuthenticated, MergeAccess]


def _merge(request: Request, uuid: Any) -> WorkerMerge:
    try:
        return merge_detail(user=request.user, merge_uuid=uuid)
    except WorkerMerge.DoesNotExist:
        raise Http404(gettext("No merge with this ID in your scope.")) from None


def _worker(request: Request, worker_id: str, field: str) -> Worker:
    worker = Worker.objects.filter(worker_id=worker_id.strip()).first()
    # A merged record is found (the service says why it is refused); one out of scope is not.
    if worker is None or (
        worker.merged_into_id is None
        and not policy.workers_visible(user=request.user).filter(pk=worker.pk).exists()
    ):
        raise exceptions.ValidationError({field: [gettext("No worker with this ID in your scope.")]})
    return worker


class WorkerMergeListView(ServiceErrorsMixin, generics.ListAPIView[WorkerMerge]):
    """The merges the user may read, newest first; a new merge (POST): ``merged`` into ``surviving``."""

    permission_classes = MERGES
    pagination_class = ApiPagination
    serializer_class = s.WorkerMergeSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema's model, without a user
            return WorkerMerge.objects.none()
        return merge_list(user=self.request.user)

    @extend_schema(request=s.WorkerMergeInputSerializer, responses={201: s.WorkerMergeSerializer})
    def post(self, request: Request) -> Response:
        given = s.WorkerMergeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        merge = worker_merge(
            actor=request.user,
            surviving=_worker(request, data["surviving"], "surviving"),
            merged=_worker(request, data["merged"], "merged"),
            reason=data["reason"],
        )
        return Response(
            s.WorkerMergeSerializer(_merge(request, merge.uuid)).data, status=status.HTTP_201_CREATED
        )


class WorkerMergeDetailView(ServiceAPIView):
    """One merge: both records, who merged them, why, and exactly which rows moved."""

    permission_classes = MERGES

    @extend_schema(responses=s.WorkerMergeSerializer)
    def get(self, request: Request, uuid: Any) -> Response:
        return Response(s.WorkerMergeSerializer(_merge(request, uuid)).data)


class WorkerUnmergeView(ServiceAPIView):
    """Undo a merge: the rows it moved go back to the merged record (400 when a later merge depends on it,
    when it is already undone, or on a conflict)."""

    permission_classes = MERGES

    @extend_schema(request=s.WorkerUnmergeInputSerializer, responses=s.WorkerMergeSerializer)
    def post(self, request: Request, uuid: Any) -> Response:
        merge = _merge(request, uuid)
        given = s.WorkerUnmergeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        worker_unmerge(actor=request.user, merge=merge, reason=given.validated_data["reason"])
        return Response(s.WorkerMergeSerializer(_merge(request, uuid)).data)
