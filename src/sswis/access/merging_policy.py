"""Who may merge two worker records of the same person, undo a merge, and read the merges
(``sswis.registry.merging``).

=========================== ============================================= ===================================
role                        reads merges                                  merges and unmerges
=========================== ============================================= ===================================
national data manager       every merge                                   any two live records
subnational officer         those whose surviving or merged record has an two live records both visible to
                            assignment in their area                      them (an assignment in their area);
                                                                          an unmerge when every assignment
                                                                          going back is in their area
everyone else               nothing (403)                                 nothing (403)
=========================== ============================================= ===================================

An organisation's focal point sees only their organisation's side of a person, so may not decide that two
records are one person; analysts and the other aggregate-only roles never see a person.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext

from sswis.access.models import Role
from sswis.access.policy import Scope, assignments_visible, scope_of, workers_visible
from sswis.registry.models import Worker
from sswis.registry.models_merging import WorkerMerge

MERGE_ROLES = frozenset({Role.NATIONAL_DATA_MANAGER, Role.SUBNATIONAL_OFFICER})


def require_merge_role(*, user: Any) -> Scope:
    """Refuse (``PermissionDenied``) anyone but a national data manager or a subnational officer."""
    scope = scope_of(user)
    if scope.role not in MERGE_ROLES:
        raise PermissionDenied(
            gettext("Only a national data manager or a subnational officer may merge worker records.")
        )
    return scope


def may_merge(*, user: Any) -> bool:
    """Whether the user's role may merge records at all (to show the "merge with..." form)."""
    return scope_of(user).role in MERGE_ROLES


def merges_visible(*, user: Any, queryset: QuerySet[WorkerMerge] | None = None) -> QuerySet[WorkerMerge]:
    """Merges the user may read: national all; an officer those whose surviving or merged record has an
    assignment in their area (now or, once undone, again); nobody else any."""
    scope = scope_of(user)
    base = WorkerMerge.objects.all() if queryset is None else queryset
    if scope.role not in MERGE_ROLES:
        return base.none()
    if scope.is_national:
        return base
    seen = assignments_visible(user=user)
    return base.filter(
        Exists(seen.filter(worker_id=OuterRef("surviving_id")))
        | Exists(seen.filter(worker_id=OuterRef("merged_id")))
    )


def require_merge(*, user: Any, surviving: Worker, merged: Worker) -> None:
    """Refuse a merge unless the user may merge and both records are live workers they see."""
    require_merge_role(user=user)
    seen = set(
        workers_visible(user=user).filter(pk__in=[surviving.pk, merged.pk]).values_list("pk", flat=True)
    )
    if surviving.pk not in seen or merged.pk not in seen:
        raise PermissionDenied(gettext("Both records must be live workers within your scope."))


def require_unmerge(*, user: Any, merge: WorkerMerge) -> None:
    """Refuse undoing ``merge`` unless the user may merge, reads it, and (an officer) sees every assignment
    that would go back to the merged record: otherwise the officer would hand a record out of their area."""
    scope = require_merge_role(user=user)
    if not merges_visible(user=user).filter(pk=merge.pk).exists():
        raise PermissionDenied(gettext("This merge is outside your scope."))
    if scope.is_national:
        return
    moved = merge.moved.get("registry.assignment.worker", [])
    if assignments_visible(user=user).filter(pk__in=moved).count() != len(moved):
        raise PermissionDenied(
            gettext(
                "Some of the assignments this merge moved are outside your area: ask a national data manager."
            )
        )
