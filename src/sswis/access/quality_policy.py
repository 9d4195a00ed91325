"""Who may see and change the SP 3.a.1 quality-assurance score (``sswis.quality``).

========================== ===================================================== =========================
role                       sees                                                  changes
========================== ===================================================== =========================
national data manager      the proposals, the scores of record and their          records the scores; adds,
                           evidence, the normative framework inventory            changes and ends the
                                                                                  framework's instruments
every other role but a     the same (national aggregate figures and documents    nothing
worker's own login         about the system, none about a person)
worker (own login),        nothing                                               nothing
outsider
========================== ===================================================== =========================

The score and its evidence describe the country's system, never a person: the proposals' reasons are
country totals (counts of workers, districts, registers), the evidence and the instruments are documents.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from sswis.access.policy import Scope, scope_of


def require_quality_read(*, user: Any) -> Scope:
    """Refuse outsiders and workers' own logins; every role that sees aggregates reads the score."""
    scope = scope_of(user)
    if not scope.sees_aggregates:
        raise PermissionDenied(gettext("Your role gives no access to the quality-assurance score."))
    return scope


def may_change_quality(*, user: Any) -> bool:
    """Recording scores and keeping the framework inventory: a national data manager only."""
    return scope_of(user).is_national


def require_quality_change(*, user: Any) -> None:
    if not may_change_quality(user=user):
        raise PermissionDenied(
            gettext(
                "Only a national data manager may record quality-assurance scores and change the "
                "normative framework inventory."
            )
        )
