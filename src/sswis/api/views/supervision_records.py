"""Supervision relationships and sessions through the API (``/api/v1/support/supervision/``).

Who: the roles that see people (a national data manager, a subnational officer, an organisation focal
point), each the relationships and sessions of the workers they see (``access.support_policy``); a change
needs both workers in the user's scope (the services refuse otherwise, 403). Workers are given by worker
ID among those the user sees (another is answered as unknown, 400). Bad input is a 400 naming the field;
a refusal writes nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api.pagination import ApiPagination
from sswis.api.permissions import PERSON_RECORDS
from sswis.api.supervision_serializers import (
    RelationshipChangeSerializer,
    RelationshipCreateSerializer,
    RelationshipEndSerializer,
    RelationshipQuerySerializer,
    RelationshipSerializer,
    SessionChangeSerializer,
    SessionCreateSerializer,
    SessionQuerySerializer,
    SessionSerializer,
)
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.support.models import RecordSource, SupervisionRelationship, SupervisionSession
from sswis.support.supervision import (
    relationship_change,
    relationship_create,
    relationship_end,
    session_change,
    session_delete,
    session_record,
)
from sswis.support.supervision_selectors import relationships_listed, sessions_listed

# --- relationships -------------------------------------------------------------------------------------


class RelationshipListView(ServiceErrorsMixin, generics.ListAPIView[SupervisionRelationship]):
    """The relationships the user sees, latest start first (``?location=`` one of the two workers works
    there or below, ``?supervisor=``, ``?supervisee=`` by worker ID, ``?active=`` active on that day); a
    new relationship (POST) of two workers the user sees."""

    permission_classes = PERSON_RECORDS
    pagination_class = ApiPagination
    serializer_class = RelationshipSerializer

    def get_queryset(self) -> Any:
        query = RelationshipQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return relationships_listed(
            user=self.request.user, today=timezone.localdate(), **query.validated_data
        )

    @extend_schema(parameters=[RelationshipQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=RelationshipCreateSerializer, responses={201: RelationshipSerializer})
    def post(self, request: Request) -> Response:
        """Record a relationship: 400 naming the field (a worker supervising themselves, an end before the
        start, a start in the future, the same two workers from the same day)."""
        given = RelationshipCreateSerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        relationship = relationship_create(actor=request.user, **given.validated_data)
        return Response(RelationshipSerializer(relationship).data, status=status.HTTP_201_CREATED)


def _relationship(request: Request, relationship_uuid: uuid.UUID) -> SupervisionRelationship:
    return get_object_or_404(
        relationships_listed(user=request.user, today=timezone.localdate()), uuid=relationship_uuid
    )


class RelationshipDetailView(ServiceAPIView):
    """One relationship the user sees; a change (PATCH) of its end, kind, mode or only duty."""

    permission_classes = PERSON_RECORDS

    @extend_schema(responses=RelationshipSerializer)
    def get(self, request: Request, relationship_uuid: uuid.UUID) -> Response:
        return Response(RelationshipSerializer(_relationship(request, relationship_uuid)).data)

    @extend_schema(request=RelationshipChangeSerializer, responses=RelationshipSerializer)
    def patch(self, request: Request, relationship_uuid: uuid.UUID) -> Response:
        relationship = _relationship(request, relationship_uuid)
        given = RelationshipChangeSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        relationship_change(actor=request.user, relationship=relationship, changes=dict(given.validated_data))
        return Response(RelationshipSerializer(_relationship(request, relationship_uuid)).data)


class RelationshipEndView(ServiceAPIView):
    """End a relationship: its last day (not before its start)."""

    permission_classes = PERSON_RECORDS

    @extend_schema(request=RelationshipEndSerializer, responses=RelationshipSerializer)
    def post(self, request: Request, relationship_uuid: uuid.UUID) -> Response:
        relationship = _relationship(request, relationship_uuid)
        given = RelationshipEndSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        relationship_end(
            actor=request.user, relationship=relationship, end_date=given.validated_data["end_date"]
        )
        return Response(RelationshipSerializer(_relationship(request, relationship_uuid)).data)


# --- sessions ------------------------------------------------------------------------------------------


class SessionListView(ServiceErrorsMixin, generics.ListAPIView[SupervisionSession]):
    """The sessions the user sees, latest first (``?location=``, ``?supervisor=``, ``?supervisee=``,
    ``?date_from=``, ``?date_to=``); a new session (POST, recorded as sent through the API)."""

    permission_classes = PERSON_RECORDS
    pagination_class = ApiPagination
    serializer_class = SessionSerializer

    def get_queryset(self) -> Any:
        query = SessionQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return sessions_listed(user=self.request.user, today=timezone.localdate(), **query.validated_data)

    @extend_schema(parameters=[SessionQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=SessionCreateSerializer, responses={201: SessionSerializer})
    def post(self, request: Request) -> Response:
        """Record a session: 400 naming the field (a day in the future, the same two workers the same
        day, a worker with themselves)."""
        given = SessionCreateSerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        session = session_record(actor=request.user, source=RecordSource.API, **given.validated_data)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


def _session(request: Request, session_uuid: uuid.UUID) -> SupervisionSession:
    return get_object_or_404(
        sessions_listed(user=request.user, today=timezone.localdate()), uuid=session_uuid
    )


class SessionDetailView(ServiceAPIView):
    """One session the user sees; a change (PATCH) of its duration, kind or topics; its removal (DELETE:
    recorded in error; the audit trail keeps it)."""

    permission_classes = PERSON_RECORDS

    @extend_schema(responses=SessionSerializer)
    def get(self, request: Request, session_uuid: uuid.UUID) -> Response:
        return Response(SessionSerializer(_session(request, session_uuid)).data)

    @extend_schema(request=SessionChangeSerializer, responses=SessionSerializer)
    def patch(self, request: Request, session_uuid: uuid.UUID) -> Response:
        session = _session(request, session_uuid)
        given = SessionChangeSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        session_change(actor=request.user, session=session, changes=dict(given.validated_data))
        return Response(SessionSerializer(_session(request, session_uuid)).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, session_uuid: uuid.UUID) -> Response:
        session_delete(actor=request.user, session=_session(request, session_uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)
