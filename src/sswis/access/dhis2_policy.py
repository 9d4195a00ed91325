"""Who may use the DHIS2 link (``sswis.dhis2``): national data managers only.

=========================== ========================================================= =====================
role                        sees                                                      does
=========================== ========================================================= =====================
national data manager       the mapping, the export, the push history and conflicts   imports the mapping,
                                                                                      exports, pushes
everyone else               nothing                                                   nothing
=========================== ========================================================= =====================

The export is for the ministry's own DHIS2: it holds every figure, with no small cell withheld (a split by
sex or education may describe one or two workers). The push history keeps each value DHIS2 rejected, so it
shows such figures too. The system administrator and the analyst see aggregates with the small cells
withheld (``contracts/indicators.md``), so neither may read the history: only the role that sees every
figure may. From the command line it is the server's operator's (the system).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from sswis.access.policy import Scope, scope_of


def may_use_dhis2(*, user: Any) -> bool:
    return scope_of(user).is_national


def require_dhis2(*, user: Any) -> Scope:
    """The mapping, the export, the pushes and their history: a national data manager."""
    scope = scope_of(user)
    if not scope.is_national:
        raise PermissionDenied(
            gettext(
                "Only a national data manager may use the DHIS2 link: its figures include the small cells "
                "withheld from other readers."
            )
        )
    return scope
