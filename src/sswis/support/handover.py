"""The case hand-over directory (issue 13, "Case hand-over directory"): when a child moves, who at the
receiving location can take the case.

A worker is listed for a location on a day when one of their child-protection assignments is active that
day at the location or below it, and they carry a Primero user name (a case can only be transferred in
Primero to a Primero user). Each worker is listed once, with the assignment that started last (its
cadre, organisation and location); ``organisation`` and ``cadre`` narrow the list to assignments there or
in that cadre. Only assignments the user sees count (``access.primero_policy``): a subnational officer
sees the workers of their area, an organisation's focal point their organisation's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Q
from django.utils import timezone

from sswis.access.primero_policy import handover_assignments_visible, require_handover_read
from sswis.geo.models import Location
from sswis.registry.models import Assignment, Cadre, Organisation


@dataclass(frozen=True)
class HandoverWorker:
    """A worker who can take a case: who (Primero user name), in which cadre, organisation and place."""

    worker_uuid: UUID
    worker_id: str
    user_name: str
    given_name: str
    family_name: str
    cadre_code: str
    cadre_name: str
    organisation_code: str
    organisation_name: str
    location_code: str
    location_name: str

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


FIELDS = {
    "worker_uuid": "worker__uuid",
    "worker_id": "worker__worker_id",
    "user_name": "worker__primero_user_name",
    "given_name": "worker__given_name",
    "family_name": "worker__family_name",
    "cadre_code": "cadre__code",
    "cadre_name": "cadre__name",
    "organisation_code": "organisation__code",
    "organisation_name": "organisation__name",
    "location_code": "location__code",
    "location_name": "location__name",
}


def handover_directory(
    *,
    user: Any,
    location: Location,
    day: datetime.date | None = None,
    organisation: Organisation | None = None,
    cadre: Cadre | None = None,
) -> list[HandoverWorker]:
    """The workers who can take a case at ``location`` on ``day`` (default today), sorted by family name,
    given name and worker ID. One query (after the user's scope). ``PermissionDenied`` for a role that
    sees no person."""
    require_handover_read(user=user)
    day = day or timezone.localdate()
    assignments = (
        Assignment.objects.filter(
            location__path__startswith=location.path, child_protection=True, start_date__lte=day
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .exclude(worker__primero_user_name="")
    )
    if organisation is not None:
        assignments = assignments.filter(organisation=organisation)
    if cadre is not None:
        assignments = assignments.filter(cadre=cadre)
    rows = (
        handover_assignments_visible(user=user, queryset=assignments)
        .order_by("worker__family_name", "worker__given_name", "worker__worker_id", "-start_date", "-pk")
        .values_list(*FIELDS.values())
    )
    listed: dict[str, HandoverWorker] = {}
    for row in rows:
        entry = HandoverWorker(**dict(zip(FIELDS, row, strict=True)))
        listed.setdefault(entry.worker_id, entry)  # the first row of a worker: their latest assignment
    return list(listed.values())
