"""The four resource types of the mCSD directory and the registry rows behind each.

A resource is one primary row (a worker, an assignment, an organisation, a location) plus its
*dependents*: rows of other tables whose changes change the resource (a worker's registrations and
training completions are part of the Practitioner; the organisation that manages a location is named by
the Location). The resource's last-updated instant is the newest ``updated_at`` of all of them
(``sswis.fhir.versions``), which both ITI-90's ``_lastUpdated`` and ITI-91's ``_history`` read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from sswis.access import fhir_policy
from sswis.geo.models import Location
from sswis.registry.models import Assignment, Organisation, Worker
from sswis.regulation.models import Registration
from sswis.training.models import Completion


@dataclass(frozen=True)
class Dependent:
    """Rows whose changes change the resource."""

    model: type[Model]
    link: str  # attname on the dependent pointing at the primary row, e.g. "worker_id"


@dataclass(frozen=True)
class ResourceKind:
    name: str  # "Practitioner" | "PractitionerRole" | "Organization" | "Location"
    model: type[Model]  # Worker | Assignment | Organisation | Location
    dependents: tuple[Dependent, ...]
    visible_rows: Callable[..., QuerySet[Any]]

    def visible(self, *, user: Any) -> QuerySet[Any]:
        """The primary rows this reader may get as resources (``sswis.access.fhir_policy``)."""
        return self.visible_rows(user=user)


LOCATION = ResourceKind(
    name="Location",
    model=Location,
    dependents=(Dependent(model=Organisation, link="manages_location_id"),),
    visible_rows=fhir_policy.locations_visible,
)
ORGANIZATION = ResourceKind(
    name="Organization", model=Organisation, dependents=(), visible_rows=fhir_policy.organizations_visible
)
PRACTITIONER = ResourceKind(
    name="Practitioner",
    model=Worker,
    dependents=(
        Dependent(model=Registration, link="worker_id"),
        Dependent(model=Completion, link="worker_id"),
    ),
    visible_rows=fhir_policy.practitioners_visible,
)
PRACTITIONER_ROLE = ResourceKind(
    name="PractitionerRole",
    model=Assignment,
    dependents=(),
    visible_rows=fhir_policy.practitioner_roles_visible,
)

KINDS: dict[str, ResourceKind] = {
    kind.name: kind for kind in (LOCATION, ORGANIZATION, PRACTITIONER, PRACTITIONER_ROLE)
}
"""Every resource type, in the order ITI-91 lists resources changed at the same instant."""
