"""Professional associations through the API (``/api/v1/support/associations/``): the associations (added and
changed by a national data manager), the members of one and a worker's memberships (recorded, changed and
ended by whoever may change the worker), and the membership figures of the counted workforce.

Who: the associations and the figures are read by every role but a worker's own login
(``support_policy.require_support_read``; small counts withheld as on the pages:
``support.association_selectors``); memberships (persons) by the roles that see people, each those of the
workers they see (``memberships_visible``): a worker or a membership out of sight is not found (404). Bad
input is a 400 naming the field, writing nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import policy, support_policy
from sswis.api import association_serializers as s
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import PolicyPermission
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.registry.models import Worker
from sswis.support import associations as services
from sswis.support.association_selectors import (
    association_members_count,
    associations_listed,
    membership_figures_for_reader,
    memberships_of_association,
    memberships_of_worker,
)
from sswis.support.models_associations import Association, Membership


class AssociationsAccess(PolicyPermission):
    """Read: every role but a worker's own login; write: a national data manager."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        if request.method in SAFE_METHODS:
            return support_policy.require_support_read
        return support_policy.require_association_change


class MembershipsAccess(PolicyPermission):
    """The roles that see people (which rows: ``support_policy.memberships_visible``)."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return policy.require_people


ASSOCIATIONS = [IsAuthenticated, AssociationsAccess]
MEMBERSHIPS = [IsAuthenticated, MembershipsAccess]


def _query(request: Request, kind: type[serializers.Serializer[Any]]) -> dict[str, Any]:
    query = kind(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _detail(request: Request, association: Association) -> dict[str, Any]:
    day = _query(request, s.AssociationQuerySerializer).get("day") or timezone.localdate()
    association.day = day  # type: ignore[attr-defined]
    association.members = association_members_count(  # type: ignore[attr-defined]
        user=request.user, association=association, day=day
    )
    return dict(s.AssociationDetailSerializer(association).data)


# --- associations -----------------------------------------------------------------------------------------


class AssociationListView(ServiceErrorsMixin, generics.ListAPIView[Association]):
    """Every professional association, by name; a new one (POST, a national data manager)."""

    permission_classes = ASSOCIATIONS
    pagination_class = ApiPagination
    serializer_class = s.AssociationSerializer

    def get_queryset(self) -> Any:
        return associations_listed()

    @extend_schema(request=s.AssociationInputSerializer, responses={201: s.AssociationDetailSerializer})
    def post(self, request: Request) -> Response:
        """Add an association: 400 naming the field (a code or a name already used, a regional association
        without its region)."""
        given = s.AssociationInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        association = services.association_create(actor=request.user, **given.validated_data)
        return Response(_detail(request, association), status=status.HTTP_201_CREATED)


class AssociationDetailView(ServiceAPIView):
    """One association with its number of members on a day (``?day=``, default today; null when withheld);
    a change (PATCH, a national data manager)."""

    permission_classes = ASSOCIATIONS

    @extend_schema(parameters=[s.AssociationQuerySerializer], responses=s.AssociationDetailSerializer)
    def get(self, request: Request, code: str) -> Response:
        return Response(_detail(request, get_object_or_404(associations_listed(), code=code)))

    @extend_schema(
        parameters=[s.AssociationQuerySerializer],
        request=s.AssociationInputSerializer(partial=True),
        responses=s.AssociationDetailSerializer,
    )
    def patch(self, request: Request, code: str) -> Response:
        """Change the fields given."""
        association = get_object_or_404(Association, code=code)
        given = s.AssociationInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        services.association_change(actor=request.user, association=association, changes=given.validated_data)
        return Response(_detail(request, get_object_or_404(associations_listed(), pk=association.pk)))


# --- memberships ------------------------------------------------------------------------------------------


def _membership_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.MEMBERSHIP_FIELDS if name in data}


def _visible_worker(request: Request, worker_id: str) -> Worker:
    return get_object_or_404(policy.workers_visible(user=request.user), worker_id=worker_id)


def _membership_json(membership: Membership) -> dict[str, Any]:
    row = Membership.objects.select_related("worker", "association").get(pk=membership.pk)
    return dict(s.MembershipSerializer(row).data)


class AssociationMembershipListView(ServiceErrorsMixin, generics.ListAPIView[Membership]):
    """The memberships of an association that the user may see (``?day=``: only those holding that day), by
    the worker's name; a new one (POST) of a worker the user sees."""

    permission_classes = MEMBERSHIPS
    pagination_class = ApiPagination
    serializer_class = s.MembershipSerializer
    queryset = Membership.objects.none()  # the schema's model; the rows: get_queryset

    def get_queryset(self) -> Any:
        association = get_object_or_404(Association, code=self.kwargs["code"])
        day = _query(self.request, s.MembersQuerySerializer).get("day")
        return memberships_of_association(user=self.request.user, association=association, day=day)

    @extend_schema(parameters=[s.MembersQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=s.WorkerMembershipInputSerializer, responses={201: s.MembershipSerializer})
    def post(self, request: Request, code: str) -> Response:
        """Record a membership: 400 naming the field (a worker the user does not see, an overlap with
        another membership of the worker in the association, a number another member has)."""
        association = get_object_or_404(Association, code=code)
        given = s.WorkerMembershipInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        worker = policy.workers_visible(user=request.user).filter(worker_id=data["worker_id"].strip()).first()
        if worker is None:
            raise ValidationError({"worker_id": gettext("No worker you may see has this worker ID.")})
        membership = services.membership_create(
            actor=request.user, worker=worker, association=association, **_membership_fields(data)
        )
        return Response(_membership_json(membership), status=status.HTTP_201_CREATED)


class WorkerMembershipListView(ServiceErrorsMixin, generics.ListAPIView[Membership]):
    """A worker's memberships (those the user may see), newest first; a new one (POST) of an association.
    A worker out of sight is not found (404)."""

    permission_classes = MEMBERSHIPS
    pagination_class = ApiPagination
    serializer_class = s.MembershipSerializer
    queryset = Membership.objects.none()  # the schema's model; the rows: get_queryset

    def get_queryset(self) -> Any:
        worker = _visible_worker(self.request, self.kwargs["worker_id"])
        return memberships_of_worker(user=self.request.user, worker=worker).select_related("worker")

    @extend_schema(request=s.AssociationMembershipInputSerializer, responses={201: s.MembershipSerializer})
    def post(self, request: Request, worker_id: str) -> Response:
        """Record a membership of the worker: 400 naming the field."""
        worker = _visible_worker(request, worker_id)
        given = s.AssociationMembershipInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        membership = services.membership_create(
            actor=request.user, worker=worker, association=data["association"], **_membership_fields(data)
        )
        return Response(_membership_json(membership), status=status.HTTP_201_CREATED)


def _visible_membership(request: Request, uuid: Any) -> Membership:
    rows = support_policy.memberships_visible(
        user=request.user, queryset=Membership.objects.select_related("worker", "association")
    )
    membership: Membership = get_object_or_404(rows, uuid=uuid)
    return membership


class MembershipDetailView(ServiceAPIView):
    """One membership of a worker the user sees; a change of its dates, number or kind (PATCH)."""

    permission_classes = MEMBERSHIPS

    @extend_schema(responses=s.MembershipSerializer)
    def get(self, request: Request, uuid: Any) -> Response:
        return Response(s.MembershipSerializer(_visible_membership(request, uuid)).data)

    @extend_schema(request=s.MembershipInputSerializer(partial=True), responses=s.MembershipSerializer)
    def patch(self, request: Request, uuid: Any) -> Response:
        """Change the fields given: 400 naming the field (e.g. an overlap)."""
        membership = _visible_membership(request, uuid)
        given = s.MembershipInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        services.membership_change(
            actor=request.user, membership=membership, changes=_membership_fields(given.validated_data)
        )
        return Response(_membership_json(membership))


class MembershipEndView(ServiceAPIView):
    """End a membership of a worker the user sees: its last day."""

    permission_classes = MEMBERSHIPS

    @extend_schema(request=s.MembershipEndSerializer, responses=s.MembershipSerializer)
    def post(self, request: Request, uuid: Any) -> Response:
        membership = _visible_membership(request, uuid)
        given = s.MembershipEndSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.membership_end(
            actor=request.user, membership=membership, member_until=given.validated_data["member_until"]
        )
        return Response(_membership_json(membership))


# --- figures ----------------------------------------------------------------------------------------------


class MembershipFiguresView(ServiceErrorsMixin, generics.ListAPIView[Any]):
    """Membership of a year's counted workforce: per location (``location`` and below), and cadre, the
    workers counted, those who are members of an association (``association``: of that one) on 31 December,
    those who are not, and the share; small cells withheld (null) unless the user sees every figure of the
    location."""

    filter_backends: list[Any] = []
    permission_classes = ASSOCIATIONS
    pagination_class = ApiPagination
    serializer_class = s.FigureRowSerializer

    def get_queryset(self) -> Any:
        data = _query(self.request, s.FiguresQuerySerializer)
        return membership_figures_for_reader(
            user=self.request.user,
            year=data.get("year") or timezone.localdate().year,
            location=data.get("location"),
            association=data.get("association"),
            cadre=data.get("cadre"),
            depth=data.get("depth"),
        )

    @extend_schema(parameters=[s.FiguresQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
