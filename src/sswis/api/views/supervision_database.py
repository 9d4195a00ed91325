"""The supervisor database, the compliance view and the supervision rules through the API
(``/api/v1/support/supervision/``; ``docs/support.md``, "Supervision").

Who: the supervisor database names people: the roles that see people, the workers they see. The
compliance view: every role but outsiders and workers' own logins; counts for all (small cells withheld for
whoever does not get every figure of the location), the lists for readers of people only. The rules: read
by the same; changed by a national data manager or a system administrator (PATCH; 403 otherwise).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access.policy import default_location_for
from sswis.access.support_policy import require_rules_change
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import AGGREGATES, PERSON_RECORDS
from sswis.api.supervision_serializers import (
    ComplianceQuerySerializer,
    ComplianceSerializer,
    RulesSerializer,
    SupervisorQuerySerializer,
    SupervisorRowSerializer,
)
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.registry.models import Worker
from sswis.support.compliance import Compliance, ComplianceEntry, compliance
from sswis.support.eligibility import Eligibility
from sswis.support.models import SupervisionRules
from sswis.support.supervision import RULES_FIELDS, rules_change, rules_current
from sswis.support.supervision_selectors import SupervisorRow, supervisor_rows, supervisors_queryset


def _person(worker: Worker) -> dict[str, str]:
    return {"worker_id": worker.worker_id, "given_name": worker.given_name, "family_name": worker.family_name}


def _eligibility(eligibility: Eligibility | None) -> dict[str, Any] | None:
    return eligibility.as_json() if eligibility is not None else None


def supervisor_json(row: SupervisorRow) -> dict[str, Any]:
    return {
        "supervisor": _person(row.worker),
        "location": row.location.code if row.location else None,
        "cadre": row.cadre.code if row.cadre else None,
        "supervisees": [_person(worker) for worker in row.supervisees],
        "supervisee_count": row.supervisee_count,
        "norm": row.norm,
        "supervision_only_duty": row.only_duty,
        "over_norm": row.over_norm,
        "eligibility": _eligibility(row.eligibility),
    }


class SupervisorListView(ServiceErrorsMixin, generics.ListAPIView[Worker]):
    """The supervisor database on a day (``?day=``, default today): the supervisors the user sees, by
    name, each with their place (location, cadre), supervisees on the day, norm, over-norm flag and
    eligibility with its reasons. ``?who=`` supervising (default), eligible or all; ``?location=``,
    ``?cadre=``, ``?over_norm=``."""

    permission_classes = PERSON_RECORDS
    pagination_class = ApiPagination
    serializer_class = SupervisorRowSerializer
    queryset = Worker.objects.none()  # the schema's model; the rows come from ``supervisors_queryset``

    def _query(self) -> dict[str, Any]:
        query = SupervisorQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        data["day"] = data.get("day") or timezone.localdate()
        return data

    @extend_schema(parameters=[SupervisorQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self._query()
        rules = rules_current()
        workers = supervisors_queryset(user=request.user, rules=rules, **query)
        page = self.paginate_queryset(workers)
        rows = supervisor_rows(list(page or []), day=query["day"], rules=rules)
        return self.get_paginated_response([supervisor_json(row) for row in rows])


def _entry_json(entry: ComplianceEntry) -> dict[str, Any]:
    return {
        "worker": _person(entry.worker),
        "location": entry.location.code if entry.location else None,
        "cadre": entry.cadre.code if entry.cadre else None,
        "supervisee_count": entry.supervisee_count,
        "norm": entry.norm,
        "last_session": entry.last_session,
        "eligibility": _eligibility(entry.eligibility),
    }


def compliance_json(result: Compliance) -> dict[str, Any]:
    return {
        "location": result.location.code if result.location else None,
        "day": result.day,
        "sessions_from": result.session_from,
        "totals": result.totals,
        "counts": result.counts,
        "withheld": result.withheld,
        "lists": {name: [_entry_json(entry) for entry in entries] for name, entries in result.lists.items()}
        if result.lists is not None
        else None,
        "listed": result.listed or dict.fromkeys(result.counts),
    }


class ComplianceView(ServiceAPIView):
    """The compliance of a location (``?location=``, default the user's area, else the country) on a day
    (``?day=``, default today): workers with no supervisor, supervisors over their norm, supervisees
    without a session in the 91 days up to the day, ineligible supervisors. Counts for every reader
    (``null``: withheld, a small cell), the lists (at most 100 each) for readers of people."""

    permission_classes = AGGREGATES

    @extend_schema(parameters=[ComplianceQuerySerializer], responses=ComplianceSerializer)
    def get(self, request: Request) -> Response:
        query = ComplianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        location = query.validated_data.get("location") or default_location_for(user=request.user)
        day: datetime.date = query.validated_data.get("day") or timezone.localdate()
        return Response(compliance_json(compliance(user=request.user, location=location, day=day)))


def rules_json(rules: SupervisionRules) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: getattr(rules, name) for name in RULES_FIELDS if name != "supervision_course"
    }
    data["supervision_course"] = rules.supervision_course.code if rules.supervision_course else None
    return data


class RulesView(ServiceAPIView):
    """The country's supervision rules: the norms (supervisees per supervisor when supervising is their
    only duty, otherwise) and what a supervisor needs (registered, years of experience, a course; the
    auxiliary mentors' years). A change (PATCH, any of them): a national data manager or a system
    administrator."""

    permission_classes = AGGREGATES

    @extend_schema(responses=RulesSerializer)
    def get(self, request: Request) -> Response:
        return Response(rules_json(rules_current()))

    @extend_schema(request=RulesSerializer(partial=True), responses=RulesSerializer)
    def patch(self, request: Request) -> Response:
        require_rules_change(user=request.user)  # before reading what was sent
        given = RulesSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        return Response(rules_json(rules_change(actor=request.user, changes=dict(given.validated_data))))
