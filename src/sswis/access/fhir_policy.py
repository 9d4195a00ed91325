"""Who may read the FHIR mCSD directory (``sswis.fhir``) and which resources each reader gets.

=========================== ================================================ ===========================
role                        resources                                        birthDate
=========================== ================================================ ===========================
national data manager       every Practitioner, PractitionerRole,            yes
                            Organization and Location
subnational officer         the practitioners and roles of their area (as    yes
                            the API), the organisations they see, the
                            locations of their subtree and its ancestors
organisation focal point    their organisation's practitioners and roles,    no
                            their organisation, the locations of its
                            assignments and posts and their ancestors
everyone else               refused (403; 401 without credentials)           -
=========================== ================================================ ===========================

The directory names people, so aggregate-only readers (analysts, system administrators) and the other
roles (registrars, training institutions, workers' own logins) are refused as a whole. Ancestors of the
visible locations are included so that every ``Location.partOf`` a reader gets resolves.

A focal point gets no ``birthDate``: the directory federates who works where; an organisation's HR
office that consumes it has the birth dates of its own staff in its own files and needs none from the
national directory, while the ministry's and the districts' officers keep the registry's identity
checks (the same person registered twice) that a birth date serves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sswis.access.models import Role
from sswis.access.policy import (
    Scope,
    assignments_visible,
    organisations_visible,
    require_people,
    scope_of,
    workers_visible,
)
from sswis.geo.models import Location
from sswis.registry.models import Assignment, Organisation, Post, Worker

BIRTH_DATE_READERS = frozenset({Role.NATIONAL_DATA_MANAGER, Role.SUBNATIONAL_OFFICER})


def require_directory(*, user: Any) -> Scope:
    """Refuse anyone who may not read the directory (``PermissionDenied``); return the reader's scope."""
    return require_people(user=user)


def birth_date_visible(*, user: Any) -> bool:
    """Whether Practitioner.birthDate is given to this reader: national data managers and subnational
    officers only (see the module's docstring for why focal points get none)."""
    return scope_of(user).role in BIRTH_DATE_READERS


def practitioners_visible(*, user: Any) -> QuerySet[Worker]:
    """Workers as Practitioners: exactly the API's ``workers_visible``."""
    return workers_visible(user=user)


def practitioner_roles_visible(*, user: Any) -> QuerySet[Assignment]:
    """Assignments as PractitionerRoles: exactly the API's ``assignments_visible``."""
    return assignments_visible(user=user)


def organizations_visible(*, user: Any) -> QuerySet[Organisation]:
    """Organisations as Organizations; none for a reader refused the directory."""
    if not scope_of(user).sees_people:
        return Organisation.objects.none()
    return organisations_visible(user=user)


def _ancestor_ids(paths: set[str]) -> set[int]:
    """Primary keys named in materialised paths (``"1/5/23/"`` -> 1, 5, 23): each location and its
    ancestors."""
    return {int(part) for path in paths for part in path.split("/") if part}


def locations_visible(*, user: Any) -> QuerySet[Location]:
    """Locations as Locations: the whole tree for a national data manager; a subnational officer's
    subtree with its ancestors; a focal point's the locations of their organisation's assignments and
    posts with their ancestors; none for anyone else.

    A focal point's set costs one query to read the paths of those locations."""
    scope = scope_of(user)
    if scope.is_national:
        return Location.objects.all()
    if scope.role == Role.SUBNATIONAL_OFFICER and scope.location_path:
        ancestors = _ancestor_ids({scope.location_path})
        return Location.objects.filter(Q(path__startswith=scope.location_path) | Q(pk__in=ancestors))
    if scope.role == Role.ORGANISATION_FOCAL_POINT and scope.organisation_id:
        organisation = scope.organisation_id
        used = Q(pk__in=Assignment.objects.filter(organisation_id=organisation).values("location_id")) | Q(
            pk__in=Post.objects.filter(organisation_id=organisation).values("location_id")
        )
        paths = set(Location.objects.filter(used).values_list("path", flat=True))
        return Location.objects.filter(pk__in=_ancestor_ids(paths))
    return Location.objects.none()
