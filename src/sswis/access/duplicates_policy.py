"""Who may use duplicate detection (``sswis.duplicates``): data managers, within their scope.

=========================== ================================================ ================================
role                        sees                                             does
=========================== ================================================ ================================
national data manager       every candidate pair, the runs, the model        runs detection, trains the model,
                                                                             confirms (merges) and rejects
subnational officer         pairs whose two workers both have an assignment  confirms and rejects those pairs
                            in their part of the location tree; the runs and
                            the model (counts and weights, no person)
everyone else               nothing (an analyst never sees a person)         nothing
=========================== ================================================ ================================

A pair names two people side by side, so it is shown only to someone who may see both records
(``workers_visible``). A run covers the whole country, so only the national data manager starts one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext

from sswis.access.models import Role
from sswis.access.policy import Scope, scope_of, workers_visible

REVIEWERS = frozenset({Role.NATIONAL_DATA_MANAGER, Role.SUBNATIONAL_OFFICER})


def may_review_duplicates(*, user: Any) -> bool:
    return scope_of(user).role in REVIEWERS


def require_duplicates_review(*, user: Any) -> Scope:
    """The queue, the runs and the model: a national data manager or a subnational officer."""
    scope = scope_of(user)
    if scope.role not in REVIEWERS:
        raise PermissionDenied(
            gettext("Only a national data manager or a subnational officer may review duplicate records.")
        )
    return scope


def require_duplicates_run(*, user: Any) -> Scope:
    """Running detection and training the model (the whole country): a national data manager."""
    scope = scope_of(user)
    if not scope.is_national:
        raise PermissionDenied(
            gettext("Only a national data manager may run duplicate detection over the whole country.")
        )
    return scope


def pairs_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The candidate pairs of ``queryset`` whose two workers the user may both see; none for anyone else
    than a reviewer."""
    scope = scope_of(user)
    if scope.role not in REVIEWERS:
        return queryset.none()
    if scope.is_national:
        return queryset
    visible = workers_visible(user=user).values("pk")
    return queryset.filter(worker_a__in=visible, worker_b__in=visible)
