"""Retention and attrition in the API (``/api/v1/support/retention/``): the figures of the retention page
(``sswis.support.retention``) for a year and a location, as one document.

Every role but outsiders and workers' own logins (``access.support_policy.require_support_read``); small
cells withheld (null, ``withheld: true``) for readers who may not see every figure of the location."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import policy, support_policy
from sswis.api.permissions import PolicyPermission
from sswis.api.retention_serializers import RetentionQuerySerializer, RetentionSerializer
from sswis.api.views.base import ServiceAPIView
from sswis.support.retention import Retention, TurnoverLine, last_whole_year, retention_for_reader
from sswis.support.retention_queries import RETENTION_YEARS


class SupportReadAccess(PolicyPermission):
    """Every role but outsiders and workers' own logins."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return support_policy.require_support_read


def _named(item: Any) -> dict[str, Any]:
    """A line of figures as a dict, its ``label`` as ``name``."""
    fields = asdict(item)
    fields["name"] = fields.pop("label")
    return fields


def _line(line: TurnoverLine) -> dict[str, Any]:
    return {**_named(line), "average": line.average}


def retention_document(result: Retention) -> dict[str, Any]:
    """The API's document of ``result`` (``RetentionSerializer``)."""
    assert result.vacancy is not None
    return {
        "year": result.year,
        "location": result.location.code,
        "small_cell_minimum": result.minimum if result.minimum > 1 else None,
        "trend": [
            {"year": year, "rate": rate, "separated": separated, "average": average}
            for year, rate, separated, average in result.trend
        ],
        "turnover": _line(result.whole),
        "by_location": [_line(line) for line in result.by_location],
        "by_cadre": [_line(line) for line in result.by_cadre],
        "by_organisation": [_line(line) for line in result.by_organisation],
        "by_exit_reason": [_line(line) for line in result.by_exit_reason],
        "tenure": [_named(band) for band in result.tenure],
        "cohorts": [
            {
                "year": cohort.year,
                "size": cohort.size,
                "retention": [
                    {
                        "after_years": after,
                        "still_active": cohort.still_active[after],
                        "share": cohort.share[after],
                    }
                    for after in RETENTION_YEARS
                ],
                "withheld": cohort.withheld,
            }
            for cohort in result.cohorts
        ],
        "vacancy": {
            "whole": _named(result.vacancy.whole),
            "by_location": [_named(line) for line in result.vacancy.by_location],
            "by_cadre": [_named(line) for line in result.vacancy.by_cadre],
            "unknown": result.vacancy.unknown,
        },
        "attrition": [
            {
                "cadre": estimate.cadre,
                "rate": estimate.rate,
                "years": [asdict(year) for year in estimate.years],
            }
            for estimate in result.attrition
        ],
    }


class RetentionView(ServiceAPIView):
    """Turnover (the contract's ``support.turnover_rate``) by year, location, cadre, employer and exit
    reason; tenure bands; retention by entry cohort; how long posts stay vacant; planning's estimated
    attrition."""

    permission_classes = [IsAuthenticated, SupportReadAccess]

    @extend_schema(parameters=[RetentionQuerySerializer], responses=RetentionSerializer)
    def get(self, request: Request) -> Response:
        """The figures of ``year`` (default: the last whole year) at ``location`` and below (default: the
        user's own location, else the country)."""
        query = RetentionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        location = query.validated_data.get("location") or policy.default_location_for(user=request.user)
        if location is None:
            raise Http404(_("No location is recorded yet."))
        result = retention_for_reader(
            user=request.user, year=query.validated_data.get("year") or last_whole_year(), location=location
        )
        return Response(retention_document(result))
