"""The quality-assurance score through the API (``/api/v1/quality/``): the proposals of a year (the
contract's document), a year's scores of record with the composite and its band (and recording one), and
the normative framework's instruments (listed, added, changed, ended).

Who: every role that sees aggregates reads (``quality_policy.require_quality_read``: national figures and
documents, no person); a national data manager writes (``require_quality_change``). Bad input is a 400
naming the field, writing nothing. Files (an instrument's text, a score's evidence file) are sent and
downloaded on the pages; the API shows their names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import quality_policy
from sswis.api import quality_serializers as s
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import PolicyPermission
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.quality import services
from sswis.quality.models import Instrument
from sswis.quality.proposals import proposals_as_json, proposals_compute
from sswis.quality.selectors import instruments_listed, score_as_json, scored_years, year_scores


class QualityAccess(PolicyPermission):
    """Read: every role that sees aggregates; write: a national data manager."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        if request.method in SAFE_METHODS:
            return quality_policy.require_quality_read
        return quality_policy.require_quality_change


class QualityChangeAccess(PolicyPermission):
    """A national data manager, whatever the method (a route that only writes)."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return quality_policy.require_quality_change


QUALITY = [IsAuthenticated, QualityAccess]
QUALITY_CHANGE = [IsAuthenticated, QualityChangeAccess]


def _year(request: Request) -> int:
    query = s.YearQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    year = query.validated_data.get("year")
    if year is None:
        years = scored_years()
        year = years[0] if years else timezone.localdate().year
    return int(year)


class ProposalsView(ServiceAPIView):
    """The proposed scores of criteria 2, 3 and 4 for a year, with their figures (``?year=``)."""

    permission_classes = QUALITY

    @extend_schema(parameters=[s.YearQuerySerializer], responses=s.ProposalsSerializer)
    def get(self, request: Request) -> Response:
        year = _year(request)
        return Response(proposals_as_json(year=year, proposals=proposals_compute(year=year)))


class ScoresView(ServiceAPIView):
    """A year's scores of record, the criteria still missing, the composite and its band (``?year=``);
    recording one criterion's score (POST, a national data manager)."""

    permission_classes = QUALITY

    @extend_schema(parameters=[s.YearQuerySerializer], responses=s.YearScoresSerializer)
    def get(self, request: Request) -> Response:
        return Response(year_scores(year=_year(request)).as_json())

    @extend_schema(request=s.ScoreInputSerializer, responses={201: s.ScoreSerializer})
    def post(self, request: Request) -> Response:
        """Record a score: 400 naming the field for a score outside 1-4, no evidence (a text or a link),
        a score other than the proposal without a reason."""
        given = s.ScoreInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        row = services.score_record(actor=request.user, **given.validated_data)
        return Response(score_as_json(row), status=status.HTTP_201_CREATED)


def _instrument_fields(data: dict[str, Any]) -> tuple[dict[str, Any], list[Any] | None]:
    fields = dict(data)
    cadres = fields.pop("cadres", None)
    return fields, cadres


class InstrumentListView(ServiceErrorsMixin, generics.ListAPIView[Instrument]):
    """Every instrument of the normative framework, by kind then title; a new one (POST, a national data
    manager)."""

    permission_classes = QUALITY
    pagination_class = ApiPagination
    serializer_class = s.InstrumentSerializer

    def get_queryset(self) -> Any:
        return instruments_listed()

    @extend_schema(request=s.InstrumentInputSerializer, responses={201: s.InstrumentSerializer})
    def post(self, request: Request) -> Response:
        given = s.InstrumentInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields, cadres = _instrument_fields(given.validated_data)
        instrument = services.instrument_add(actor=request.user, cadres=cadres or [], **fields)
        return Response(s.InstrumentSerializer(instrument).data, status=status.HTTP_201_CREATED)


class InstrumentDetailView(ServiceAPIView):
    """One instrument; a change (PATCH, a national data manager)."""

    permission_classes = QUALITY

    @extend_schema(responses=s.InstrumentSerializer)
    def get(self, request: Request, uuid: Any) -> Response:
        return Response(s.InstrumentSerializer(get_object_or_404(instruments_listed(), uuid=uuid)).data)

    @extend_schema(request=s.InstrumentInputSerializer(partial=True), responses=s.InstrumentSerializer)
    def patch(self, request: Request, uuid: Any) -> Response:
        instrument = get_object_or_404(Instrument, uuid=uuid)
        given = s.InstrumentInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        fields, cadres = _instrument_fields(given.validated_data)
        services.instrument_update(actor=request.user, instrument=instrument, changes=fields, cadres=cadres)
        return Response(
            s.InstrumentSerializer(get_object_or_404(instruments_listed(), pk=instrument.pk)).data
        )


class InstrumentEndView(ServiceAPIView):
    """End an instrument: its last day in force and its status (repealed by default)."""

    permission_classes = QUALITY_CHANGE

    @extend_schema(request=s.InstrumentEndSerializer, responses=s.InstrumentSerializer)
    def post(self, request: Request, uuid: Any) -> Response:
        instrument = get_object_or_404(Instrument, uuid=uuid)
        given = s.InstrumentEndSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.instrument_end(actor=request.user, instrument=instrument, **given.validated_data)
        return Response(
            s.InstrumentSerializer(get_object_or_404(instruments_listed(), pk=instrument.pk)).data
        )
