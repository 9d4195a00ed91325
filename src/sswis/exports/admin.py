"""The export records, read-only, for system administrators and national data managers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sswis.access.policy import scope_of
from sswis.exports.models import ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin[ExportRecord]):
    """Who exported which list, when, with which filters. Nobody may add, change or delete a record."""

    list_display = ["created_at", "username", "subject", "file_format", "row_count", "filters"]
    list_filter = ["subject", "file_format"]
    search_fields = ["username"]
    date_hierarchy = "created_at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_staff and scope_of(request.user).manages_reference_lists

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
