"""Administration of users and their roles; the mixin that opens reference lists to the right roles."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from simple_history.admin import SimpleHistoryAdmin

from sswis.access.models import Role, UserScope
from sswis.access.policy import scope_of
from sswis.access.selectors import api_token_id
from sswis.access.services import api_token_revoke


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
    raw_id_fields = ("worker",)  # a national registry's workers do not fit a drop-down list
    verbose_name = "role and scope"


user_model = get_user_model()
admin.site.unregister(user_model)


@admin.register(user_model)
class SswisUserAdmin(UserAdmin):
    """Users with their sswis role: managed by system administrators (superusers) only."""

    inlines = (UserScopeInline,)
    list_display = ("username", "first_name", "last_name", "email", "is_active", "role")
    list_select_related = ("scope",)

    @admin.display(description=_("role"))
    def role(self, user: Any) -> str:
        scope = getattr(user, "scope", None)
        return scope.get_role_display() if scope else str(_("— (no access)"))


# knox's own admin shows each token's digest and lets an administrator make a token for someone else
# and read it; ours shows neither.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin[AuthToken]):
    """Users' API tokens without their secret (the id is the start of the digest): system administrators
    may see and revoke them, never make or read one. A user makes their own with the API or
    ``sswis api_token create``."""

    list_display = ["token_id", "user", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["token_id", "user", "created", "expiry"]
    readonly_fields = ["token_id", "user", "created", "expiry"]
    ordering = ["-created"]

    @admin.display(description=_("token id"))
    def token_id(self, token: AuthToken) -> str:
        return api_token_id(token)

    def _allowed(self, request: HttpRequest) -> bool:
        return request.user.is_staff and scope_of(request.user).role == Role.SYSTEM_ADMINISTRATOR

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def delete_model(self, request: HttpRequest, obj: AuthToken) -> None:
        api_token_revoke(actor=request.user, token=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AuthToken]) -> None:
        for token in queryset.select_related("user"):
            api_token_revoke(actor=request.user, token=token)
