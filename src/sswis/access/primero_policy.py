"""Who may use the Primero link (``sswis.primero``) and the case hand-over directory.

=========================== ================================================ ============================
role                        sees                                             does
=========================== ================================================ ============================
national data manager       the sync history; the hand-over directory of     runs a sync (page)
                            every location
system administrator        the sync history (Primero accounts, no worker)   nothing
subnational officer,        the hand-over directory: the workers they see    nothing
organisation focal point    (their area's, their organisation's assignments)
everyone else               nothing                                          nothing
=========================== ================================================ ============================

A sync writes the caseloads of every worker whose Primero user name owns open cases: only a national data
manager (who sees every worker) may run one from a page; from the command line it is the server's
operator's (the system). The history names Primero accounts that matched no worker, never a worker.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext

from sswis.access.policy import Scope, assignments_visible, require_people, scope_of
from sswis.registry.models import Assignment


def may_read_syncs(*, user: Any) -> bool:
    return scope_of(user).manages_reference_lists


def require_sync_read(*, user: Any) -> Scope:
    """The sync history: a national data manager or a system administrator."""
    scope = scope_of(user)
    if not scope.manages_reference_lists:
        raise PermissionDenied(
            gettext("Only a national data manager or a system administrator may see the Primero syncs.")
        )
    return scope


def may_run_sync(*, user: Any) -> bool:
    return scope_of(user).is_national


def require_sync_run(*, user: Any) -> Scope:
    """Running a sync (it writes caseloads across the country): a national data manager."""
    scope = scope_of(user)
    if not scope.is_national:
        raise PermissionDenied(gettext("Only a national data manager may run a sync from Primero."))
    return scope


def require_handover_read(*, user: Any) -> Scope:
    """The case hand-over directory names workers: the roles that see people."""
    return require_people(user=user)


def handover_assignments_visible(*, user: Any, queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """The assignments of ``queryset`` through which the directory may show a worker: those the user sees
    (a worker seen through one assignment does not make their others visible)."""
    return assignments_visible(user=user, queryset=queryset)
