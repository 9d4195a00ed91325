from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sswis.access.admin import ReferenceListAdmin
from sswis.geo.models import Location, PopulationEstimate
from sswis.geo.services import location_paths_rebuild


@admin.register(Location)
class LocationAdmin(ReferenceListAdmin):
    list_display = ("code", "name", "level", "parent", "setting")
    list_filter = ("level", "setting")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    readonly_fields = ("uuid", "path", "depth", "updated_at")

    def save_model(self, request: HttpRequest, obj: Location, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The materialised path is derived from the parent links; a new or moved node re-paths its subtree.
        location_paths_rebuild()


@admin.register(PopulationEstimate)
class PopulationEstimateAdmin(ReferenceListAdmin):
    list_display = ("location", "year", "children", "total")
    list_filter = ("year",)
    search_fields = ("location__code", "location__name")
    autocomplete_fields = ("location",)
    list_select_related = ("location",)
