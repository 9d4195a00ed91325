"""Administration of users and their roles; the mixin that opens reference lists to the right roles."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from sswis.access.models import UserScope
from sswis.access.policy import scope_of


class ReferenceListAdmin(SimpleHistoryAdmin):
    """Admin for a reference list (locations, organisations, cadres, population): system administrators
    and national data managers only, whatever Django model permissions say. Changes are audited with the
    acting user by django-simple-history."""

    def _allowed(self, request: HttpRequest) -> bool:
        return request.user.is_staff and scope_of(request.user).manages_reference_lists

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


class UserScopeInline(admin.StackedInline):
    model = UserScope
    can_delete = True
    autocomplete_fields = ("location", "organisation")
    verbose_name = "role and scope"


user_model = get_user_model()
admin.site.unregister(user_model)


@admin.register(user_model)
class SswisUserAdmin(UserAdmin):
    """Users with their sswis role: managed by system administrators (superusers) only."""

    inlines = (UserScopeInline,)
    list_display = ("username", "first_name", "last_name", "email", "is_active", "role")
    list_select_related = ("scope",)

    @admin.display(description="role")
    def role(self, user: Any) -> str:
        scope = getattr(user, "scope", None)
        return scope.get_role_display() if scope else "— (no access)"
