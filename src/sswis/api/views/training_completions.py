"""Completions through the API (``/api/v1/training/completions/``): the list (``?programme=CODE``,
``?institution=CODE``, ``?year=``, paginated), a completion recorded (POST), one completion read and
withdrawn (DELETE with ``?reason=``).

A completion names a person: the rows are those of ``training_policy.completions_visible`` (a national
data manager all; officers and organisation focal points those of the workers they see; an institution
focal point their institution's), with the worker's identity only (worker ID and name). Recording and
withdrawing: the programme's institution's focal point or a national data manager.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import training_policy
from sswis.api import training_serializers as ts
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import COMPLETIONS
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.registry.models import Worker
from sswis.training import services
from sswis.training.models import Completion, Programme
from sswis.training.selectors import completions_filtered


def _visible(request: Request) -> Any:
    return training_policy.completions_visible(user=request.user, queryset=Completion.objects.all())


class CompletionListView(ServiceErrorsMixin, generics.ListAPIView[Completion]):
    """The completions the user may see, newest first; a completion recorded (POST)."""

    permission_classes = COMPLETIONS
    pagination_class = ApiPagination
    serializer_class = ts.CompletionSerializer

    def get_queryset(self) -> Any:
        query = ts.CompletionQuerySerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        given = query.validated_data
        return completions_filtered(
            queryset=_visible(self.request),
            programme_code=given.get("programme", ""),
            institution_code=given.get("institution", ""),
            year=given.get("year"),
        )

    @extend_schema(parameters=[ts.CompletionQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ts.CompletionInputSerializer, responses={201: ts.CompletionSerializer})
    def post(self, request: Request) -> Response:
        """Record that the worker ``worker_id`` completed ``programme`` on ``completed_on``: 400 naming the
        field for an unknown worker or programme, a day in the future or before the worker's tenth
        birthday, or a completion already recorded; 403 for a programme of another institution."""
        training_policy.require_training_manager(user=request.user)
        given = ts.CompletionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        worker = (
            training_policy.workers_for_completion(user=request.user, queryset=Worker.objects.all())
            .filter(worker_id=data["worker_id"].strip())
            .first()
        )
        if worker is None:
            raise ValidationError({"worker_id": [gettext("No worker has this worker ID.")]})
        programme = Programme.objects.filter(code=data["programme"].strip()).first()
        if programme is None:
            raise ValidationError({"programme": [gettext("No programme has this code.")]})
        completion = services.completion_record(
            actor=request.user,
            worker=worker,
            programme=programme,
            completed_on=data["completed_on"],
            certificate_number=data["certificate_number"],
        )
        shown = completions_filtered(queryset=Completion.objects.all()).get(pk=completion.pk)
        return Response(ts.CompletionSerializer(shown).data, status=status.HTTP_201_CREATED)


class CompletionDetailView(ServiceAPIView):
    """One completion the user may see (others: 404)."""

    permission_classes = COMPLETIONS

    def _completion(self, request: Request, uuid: str) -> Completion:
        return get_object_or_404(completions_filtered(queryset=_visible(request)), uuid=uuid)

    @extend_schema(responses=ts.CompletionSerializer)
    def get(self, request: Request, uuid: str) -> Response:
        return Response(ts.CompletionSerializer(self._completion(request, uuid)).data)

    @extend_schema(parameters=[ts.CompletionWithdrawQuerySerializer], responses={204: None})
    def delete(self, request: Request, uuid: str) -> Response:
        """Withdraw a completion recorded in error (``?reason=``, kept in the audit trail with who withdrew
        it); 403 for a programme of another institution."""
        completion = self._completion(request, uuid)
        training_policy.require_institution_change(
            user=request.user, institution_id=completion.programme.institution_id
        )
        query = ts.CompletionWithdrawQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        services.completion_withdraw(
            actor=request.user, completion=completion, reason=query.validated_data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
