"""Who manages SMS through RapidPro, and how what arrives by SMS is authored (``sswis.rapidpro``).

========================= ==========================================================================
who                       may
========================= ==========================================================================
national data manager     make and revoke webhook tokens; see the webhook's calls and the reminders
everyone else             nothing of it (403)
a webhook token's system  nothing as itself: no password, no role (an outsider everywhere). Only while
user (``sms-<name>``)     the webhook answers one call with its valid token does it act, for that
                          call's one write (a supervision session or a caseload of the worker whose
                          phone sent it), with the writes' national scope (:func:`sms_gateway_acting`)
========================= ==========================================================================

The policy for people is unchanged: no person's role gains anything, and the system user's scope lives
in memory for one call, never in the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from sswis.access.models import Role, UserScope
from sswis.access.policy import Scope, scope_of


def may_manage_sms(*, user: Any) -> bool:
    return scope_of(user).is_national


def require_sms_manage(*, user: Any) -> None:
    """Refuse everyone but a national data manager: the webhook tokens, calls and reminders."""
    if not may_manage_sms(user=user):
        raise PermissionDenied(gettext("Only a national data manager may manage SMS through RapidPro."))


def is_sms_gateway_user(user: Any) -> bool:
    """A system user made for a webhook token: active, no usable password, no staff or superuser flag, no
    role. A person's account is never one."""
    return bool(
        user is not None
        and user.is_active
        and not user.has_usable_password()
        and not user.is_staff
        and not user.is_superuser
        and not UserScope.objects.filter(user=user).exists()
    )


@contextmanager
def sms_gateway_acting(*, user: Any) -> Iterator[Any]:
    """Let a webhook token's system user write one supervision session or caseload: within the block the
    user has the national scope the support's writes ask for (``support_policy.require_workers_change``);
    after it, none again. Refused (``PermissionDenied``) for any user that is not a gateway user
    (:func:`is_sms_gateway_user`). Only the webhook calls it, after checking the token and matching the
    sender's phone to the worker concerned."""
    if not is_sms_gateway_user(user):
        raise PermissionDenied(gettext("Only a webhook token's system user acts for an SMS."))
    user._sswis_scope = Scope(role=Role.NATIONAL_DATA_MANAGER)
    try:
        yield user
    finally:
        user.__dict__.pop("_sswis_scope", None)
