"""Who may see and change the support of the workforce (``sswis.support``).

=========================== ============================================== ==================================
role                        sees                                           changes
=========================== ============================================== ==================================
national data manager       every supervision relationship, session and    all of them; the supervision
                            caseload                                       rules and the caseload norms
subnational officer         those of the workers they see (a relationship  those of the workers they see
organisation focal point    when its supervisor or its supervisee is one)  (a relationship or a session:
                                                                           both workers)
worker (own login)          their own (as supervisor or supervisee)        none
analyst, registrar,         the rules, the norms and aggregate figures     none (a system administrator:
institution focal point,    only                                           the rules and the norms)
system administrator
outsider                    nothing                                        nothing
=========================== ============================================== ==================================

Professional associations describe no person: every role but a worker's own login reads them, a national data
manager adds and changes them. Memberships of associations are read and changed as caseloads are.

Supervision relationships and sessions, and caseloads, are personal data. The rules and the caseload norms
describe no person. This module names the support's fields but imports none of its models: the support
domain imports this app, not the other way round.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from sswis.access.policy import Scope, require_people, scope_of, workers_visible
from sswis.registry.models import Worker


def require_support_read(*, user: Any) -> Scope:
    """Refuse outsiders and workers' own logins (who see their own records on their own page)."""
    scope = scope_of(user)
    if not scope.sees_aggregates:
        raise PermissionDenied(gettext("Your role gives no access to supervision and caseloads."))
    return scope


def may_change_rules(*, user: Any) -> bool:
    """The supervision rules and the caseload norms: a national data manager or a system administrator."""
    return scope_of(user).manages_reference_lists


def require_rules_change(*, user: Any) -> None:
    if not may_change_rules(user=user):
        raise PermissionDenied(
            gettext("Only a national data manager may change the supervision rules and the caseload norms.")
        )


def _own_worker(scope: Scope, prefix: str) -> Q:
    return Q(**{prefix: scope.worker_id})


def relationships_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The supervision relationships or sessions of ``queryset`` that ``user`` may see: all for a national
    data manager; those whose supervisor or supervisee they see for an officer or a focal point; a worker's
    own login their own; nobody else any."""
    scope = scope_of(user)
    if scope.is_worker_login and scope.worker_id:
        return queryset.filter(_own_worker(scope, "supervisor_id") | _own_worker(scope, "supervisee_id"))
    if not scope.sees_people:
        return queryset.none()
    if scope.is_national:
        return queryset
    visible = workers_visible(user=user).values("pk")
    return queryset.filter(Q(supervisor_id__in=visible) | Q(supervisee_id__in=visible))


def caseloads_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The caseloads of ``queryset`` that ``user`` may see: those of the workers they see; a worker's own
    login their own."""
    scope = scope_of(user)
    if scope.is_worker_login and scope.worker_id:
        return queryset.filter(worker_id=scope.worker_id)
    if not scope.sees_people:
        return queryset.none()
    if scope.is_national:
        return queryset
    return queryset.filter(worker_id__in=workers_visible(user=user).values("pk"))


def require_workers_change(*, user: Any, workers: list[Worker]) -> None:
    """Refuse a change to a supervision or caseload record of ``workers`` unless the user sees every one of
    them (an officer cannot link a worker of their area to one they cannot see: ask a national data
    manager)."""
    scope = require_people(user=user)
    if scope.is_national:
        return
    ids = {worker.pk for worker in workers}
    seen = set(workers_visible(user=user).filter(pk__in=ids).values_list("pk", flat=True))
    if seen != ids:
        raise PermissionDenied(gettext("This worker is outside your scope."))


# --- professional associations ------------------------------------------------------------------------
# The associations themselves describe no person: every role with aggregates reads them, a national data
# manager keeps the list. Memberships are personal data: read as the caseloads are (the workers one sees),
# changed by whoever may change the worker's support records (``require_workers_change``).


def may_change_associations(*, user: Any) -> bool:
    """The list of professional associations: a national data manager only."""
    return scope_of(user).is_national


def require_association_change(*, user: Any) -> None:
    if not may_change_associations(user=user):
        raise PermissionDenied(
            gettext("Only a national data manager may add or change professional associations.")
        )


def memberships_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The association memberships of ``queryset`` that ``user`` may see: all for a national data manager;
    those of the workers they see for an officer or a focal point; a worker's own login their own; nobody
    else any (an analyst gets the membership figures, never a person's membership)."""
    return caseloads_visible(user=user, queryset=queryset)
