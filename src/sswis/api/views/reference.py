"""Reference lists: locations, child population, organisations and cadres.

Read by every user with a role (analysts and system administrators included), written only by
national data managers and system administrators, always through the ``geo``/``registry`` services.
Organisations are listed as ``policy.organisations_visible`` allows (a subnational officer sees those
based in their subtree, a focal point their own).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.serializers import BaseSerializer

from sswis.access import policy
from sswis.api import filters, serializers
from sswis.api.permissions import REFERENCE_LISTS
from sswis.api.views.base import ServiceViewSet
from sswis.geo.models import Location, PopulationEstimate
from sswis.geo.services import location_create, location_update, population_estimate_set
from sswis.registry.models import Cadre, Organisation
from sswis.registry.services import cadre_create, cadre_update, organisation_create, organisation_update

CODE_IN_URL = r"[^/]+"


class LocationViewSet(ServiceViewSet[Location]):
    """The location tree (country > region > district > ...), by code."""

    permission_classes = REFERENCE_LISTS
    serializer_class = serializers.LocationSerializer
    detail_serializer_class = serializers.LocationSerializer
    filterset_class = filters.LocationFilter
    lookup_field = "code"
    lookup_value_regex = CODE_IN_URL

    def get_queryset(self) -> QuerySet[Location]:
        return policy.locations_in_scope(user=self.request.user).select_related("parent")

    def perform_create(self, serializer: BaseSerializer[Location]) -> None:
        data: dict[str, Any] = dict(serializer.validated_data)
        location = location_create(
            actor=self.request.user,
            code=data["code"],
            name=data["name"],
            parent=data.get("parent"),
            level=data.get("level", ""),
            setting=data.get("setting", ""),
            dhis2_uid=data.get("dhis2_uid", ""),
            boundary=data.get("boundary"),
        )
        serializer.instance = location

    def perform_update(self, serializer: BaseSerializer[Location]) -> None:
        assert serializer.instance is not None
        serializer.instance = location_update(
            actor=self.request.user,
            location=serializer.instance,
            version=self.expected_version,
            **serializer.validated_data,
        )


class PopulationEstimateViewSet(ServiceViewSet[PopulationEstimate]):
    """Child population (aged 0-17) by location and year. POST records or replaces a year's figure."""

    permission_classes = REFERENCE_LISTS
    filterset_class = filters.PopulationEstimateFilter
    lookup_field = "uuid"
    detail_serializer_class = serializers.PopulationEstimateSerializer

    def get_queryset(self) -> QuerySet[PopulationEstimate]:
        return PopulationEstimate.objects.select_related("location").order_by("location__path", "year")

    def get_serializer_class(self) -> type[BaseSerializer[PopulationEstimate]]:
        if self.action in ("update", "partial_update"):
            return serializers.PopulationEstimateUpdateSerializer
        return serializers.PopulationEstimateSerializer

    def perform_create(self, serializer: BaseSerializer[PopulationEstimate]) -> None:
        data = serializer.validated_data
        serializer.instance = population_estimate_set(
            actor=self.request.user,
            location=data["location"],
            year=data["year"],
            children=data["children"],
            total=data.get("total"),
        )

    def perform_update(self, serializer: BaseSerializer[PopulationEstimate]) -> None:
        estimate = serializer.instance
        assert estimate is not None
        data = serializer.validated_data
        serializer.instance = population_estimate_set(
            actor=self.request.user,
            location=estimate.location,
            year=estimate.year,
            children=data.get("children", estimate.children),
            total=data.get("total", estimate.total),
            version=self.expected_version,
        )


class OrganisationViewSet(ServiceViewSet[Organisation]):
    """Organisations (employers and hosts of workers), by code."""

    permission_classes = REFERENCE_LISTS
    serializer_class = serializers.OrganisationSerializer
    detail_serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    lookup_field = "code"
    lookup_value_regex = CODE_IN_URL

    def get_queryset(self) -> QuerySet[Organisation]:
        return policy.organisations_visible(user=self.request.user).select_related("location", "parent")

    def perform_create(self, serializer: BaseSerializer[Organisation]) -> None:
        serializer.instance = organisation_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[Organisation]) -> None:
        assert serializer.instance is not None
        serializer.instance = organisation_update(
            actor=self.request.user,
            organisation=serializer.instance,
            version=self.expected_version,
            **serializer.validated_data,
        )


class CadreViewSet(ServiceViewSet[Cadre]):
    """Cadres: the country's job titles with their category, by code."""

    permission_classes = REFERENCE_LISTS
    serializer_class = serializers.CadreSerializer
    detail_serializer_class = serializers.CadreSerializer
    filterset_class = filters.CadreFilter
    lookup_field = "code"
    lookup_value_regex = CODE_IN_URL

    def get_queryset(self) -> QuerySet[Cadre]:
        return Cadre.objects.order_by("name", "code")

    def perform_create(self, serializer: BaseSerializer[Cadre]) -> None:
        serializer.instance = cadre_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[Cadre]) -> None:
        assert serializer.instance is not None
        serializer.instance = cadre_update(
            actor=self.request.user,
            cadre=serializer.instance,
            version=self.expected_version,
            **serializer.validated_data,
        )
