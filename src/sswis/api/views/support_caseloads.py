"""Caseloads through the API (``/api/v1/support/``): the caseloads (list with ``?worker=&month=&kind=
&location=``, each flagged against its cadre's norm; set with POST; one read and removed with DELETE), the
caseload norms (list; set with POST and removed with DELETE by a national data manager or a system
administrator) and the distribution per location and cadre for a month and kind.

Caseloads are personal data: national data managers, subnational officers and organisation focal points,
for the workers they see (``access.support_policy``). The norms and the distribution are read by every role
but outsiders and workers' own logins; the distribution withholds small cells
(``support.caseload_distribution``). Bad input is a 400 naming the field; a refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import policy, support_policy
from sswis.api import caseload_serializers as cs
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import PolicyPermission
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.support.caseload_distribution import distribution_for_reader
from sswis.support.caseload_selectors import caseloads_flagged, caseloads_listed, norms_listed
from sswis.support.caseloads import caseload_norm_remove, caseload_norm_set, caseload_remove, caseload_set
from sswis.support.models import CASELOAD_KIND_ALL, Caseload, CaseloadNorm, RecordSource


class CaseloadsAccess(PolicyPermission):
    """Caseloads (persons' figures): national, subnational and organisation focal point roles; which rows:
    ``support_policy.caseloads_visible``; which changes: the services."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return policy.require_people


class SupportFiguresAccess(PolicyPermission):
    """The caseload norms and the distribution: read by every role but outsiders and workers' own logins;
    the norms written by a national data manager or a system administrator."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        if request.method in SAFE_METHODS:
            return support_policy.require_support_read
        return support_policy.require_rules_change


CASELOADS = [IsAuthenticated, CaseloadsAccess]
SUPPORT_FIGURES = [IsAuthenticated, SupportFiguresAccess]


class CaseloadListView(ServiceErrorsMixin, generics.ListAPIView[Caseload]):
    """The caseloads the user may see, latest month first, each with its norm and over-norm flag; a
    caseload set (POST: the worker's record of that month and kind is replaced when there is one)."""

    permission_classes = CASELOADS
    pagination_class = ApiPagination
    serializer_class = cs.CaseloadSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema's generation: no user
            return Caseload.objects.none()
        query = cs.CaseloadQuerySerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        given = query.validated_data
        return caseloads_listed(
            user=self.request.user,
            worker_id=given.get("worker", ""),
            month=given.get("month"),
            kind=given.get("kind", ""),
            location=given.get("location"),
        )

    def paginate_queryset(self, queryset: Any) -> list[Caseload] | None:  # type: ignore[override]
        page = super().paginate_queryset(queryset)
        return None if page is None else caseloads_flagged(page)

    @extend_schema(parameters=[cs.CaseloadQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=cs.CaseloadWriteSerializer, responses={200: cs.CaseloadSerializer, 201: cs.CaseloadSerializer}
    )
    def post(self, request: Request) -> Response:
        """Set a worker's open cases of a kind at the end of a month: 201 when recorded for the first time,
        200 when a recorded figure was replaced (or given again); 400 naming the field for an unknown worker,
        a month that has not begun or a bad number."""
        given = cs.CaseloadWriteSerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        data = given.validated_data
        worker = data["worker_id"]
        existed = Caseload.objects.filter(
            worker=worker, month=data["month"], kind=data["kind"].strip() or CASELOAD_KIND_ALL
        ).exists()
        caseload, _changed = caseload_set(
            actor=request.user,
            worker=worker,
            month=data["month"],
            open_cases=data["open_cases"],
            kind=data["kind"],
            source=RecordSource.API,
        )
        shown = caseloads_flagged([caseloads_listed(user=request.user).get(pk=caseload.pk)])[0]
        return Response(
            cs.CaseloadSerializer(shown).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


class CaseloadDetailView(ServiceAPIView):
    """One caseload the user may see (others: 404); removed (DELETE) when entered in error."""

    permission_classes = CASELOADS

    def _caseload(self, request: Request, uuid: str) -> Caseload:
        return get_object_or_404(caseloads_listed(user=request.user), uuid=uuid)

    @extend_schema(responses=cs.CaseloadSerializer)
    def get(self, request: Request, uuid: str) -> Response:
        return Response(cs.CaseloadSerializer(caseloads_flagged([self._caseload(request, uuid)])[0]).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, uuid: str) -> Response:
        """Remove the caseload (its audit record keeps it); 403 for a worker the user may not change."""
        caseload_remove(actor=request.user, caseload=self._caseload(request, uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseloadNormListView(ServiceErrorsMixin, generics.ListAPIView[CaseloadNorm]):
    """Every caseload norm, by cadre code and kind; a norm set (POST: the norm of that cadre and kind is
    replaced when there is one)."""

    permission_classes = SUPPORT_FIGURES
    pagination_class = ApiPagination
    serializer_class = cs.CaseloadNormSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema's generation: no user
            return CaseloadNorm.objects.none()
        return norms_listed(user=self.request.user)

    @extend_schema(request=cs.CaseloadNormWriteSerializer, responses={201: cs.CaseloadNormSerializer})
    def post(self, request: Request) -> Response:
        given = cs.CaseloadNormWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        norm = caseload_norm_set(actor=request.user, **given.validated_data)
        return Response(
            cs.CaseloadNormSerializer(norms_listed(user=request.user).get(pk=norm.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class CaseloadNormDetailView(ServiceAPIView):
    """One caseload norm; removed (DELETE) by a national data manager or a system administrator."""

    permission_classes = SUPPORT_FIGURES

    @extend_schema(responses=cs.CaseloadNormSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            cs.CaseloadNormSerializer(get_object_or_404(norms_listed(user=request.user), pk=pk)).data
        )

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        caseload_norm_remove(
            actor=request.user, norm=get_object_or_404(norms_listed(user=request.user), pk=pk)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseloadDistributionView(ServiceAPIView):
    """The distribution of a month's caseloads of a kind per location and cadre (``docs/support.md``,
    "Caseloads"): workers with a caseload, mean, median, quartiles (nearest rank), maximum, and those over
    the cadre's norm. Small cells withheld for readers who may not see every figure."""

    permission_classes = SUPPORT_FIGURES

    @extend_schema(parameters=[cs.DistributionQuerySerializer], responses=cs.DistributionSerializer)
    def get(self, request: Request) -> Response:
        query = cs.DistributionQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        given = query.validated_data
        distribution = distribution_for_reader(
            user=request.user,
            month=given["month"],
            kind=given["kind"].strip() or "all",
            location=given.get("location"),
            level=given.get("level"),
            depth=given.get("depth"),
            cadre=given.get("cadre"),
        )
        return Response(
            {
                "month": f"{distribution.month:%Y-%m}",
                "kind": distribution.kind,
                "unplaced": distribution.unplaced,
                "rows": [row.as_json() for row in distribution.rows],
            }
        )
