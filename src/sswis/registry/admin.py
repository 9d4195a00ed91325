"""Reference lists maintained in the admin. Workers, assignments and posts are not here on purpose:
person records go through the pages and the API, where ``sswis.access`` scopes every row."""

from __future__ import annotations

from django.contrib import admin

from sswis.access.admin import ReferenceListAdmin
from sswis.registry.models import Cadre, Organisation


@admin.register(Organisation)
class OrganisationAdmin(ReferenceListAdmin):
    list_display = ("code", "name", "type", "sector", "location", "parent")
    list_filter = ("type", "sector")
    search_fields = ("code", "name")
    autocomplete_fields = ("location", "parent", "manages_location")
    list_select_related = ("location", "parent")
    readonly_fields = ("uuid", "updated_at")


@admin.register(Cadre)
class CadreAdmin(ReferenceListAdmin):
    list_display = ("code", "name", "category", "isco08")
    list_filter = ("category",)
    search_fields = ("code", "name")
    readonly_fields = ("uuid", "updated_at")
