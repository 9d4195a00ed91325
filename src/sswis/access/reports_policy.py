"""Who may make and read the country workforce profile (``sswis.reports``).

=========================== ================================================ ============================
role                        sees                                             does
=========================== ================================================ ============================
national data manager       every profile in the history, every figure       makes profiles (any location)
subnational officer         their own profiles and every publication; every  makes profiles (any location)
                            figure of their area, small cells withheld
                            elsewhere
analyst, system             their own profiles and every publication; small  makes profiles (any location)
administrator, focal        cells withheld everywhere
points, registrars
worker (own login),         nothing                                          nothing
outsider
=========================== ================================================ ============================

A profile is aggregates only: the roles that see aggregates make one of any location, with the small cells
withheld where ``policy.sees_every_figure`` is false for them (a subnational officer's profile of a location
outside their area is withheld as the dashboard is). A profile **for publication** has the small cells
withheld everywhere, whoever makes it. So a profile made by someone who sees every figure may hold cells
others may not see: the history shows each user their own profiles and the publications; the national data
manager sees every profile.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sswis.access.policy import Scope, require_aggregates, scope_of, sees_every_figure
from sswis.geo.models import Location


def may_make_profile(*, user: Any) -> bool:
    return scope_of(user).sees_aggregates


def require_profile_make(*, user: Any) -> Scope:
    """Making a profile: any role that sees aggregates; outsiders and workers' own logins refused."""
    return require_aggregates(user=user)


def require_profile_read(*, user: Any) -> Scope:
    """The history: the same roles as making one."""
    return require_aggregates(user=user)


def profile_shows_every_figure(*, user: Any, location: Location, publication: bool) -> bool:
    """Whether a profile of ``location`` made by ``user`` holds the small cells: never for publication;
    otherwise where the user sees every figure (``user`` ``None``: the command line, every figure)."""
    if publication:
        return False
    return user is None or sees_every_figure(user=user, location=location)


def profiles_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The profiles of ``queryset`` ``user`` may read and download: all for a national data manager; their
    own and every publication for the other roles that see aggregates; none for anyone else."""
    scope = scope_of(user)
    if not scope.sees_aggregates:
        return queryset.none()
    if scope.is_national:
        return queryset
    return queryset.filter(Q(user=user) | Q(publication=True))
