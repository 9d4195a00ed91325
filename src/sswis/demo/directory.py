"""The demo's FHIR directory: each district's social welfare office manages its district, so the
directory's jurisdictions (``/fhir/Location``) carry their managing Organization on first start."""

from __future__ import annotations

from typing import Any

from sswis.geo.models import Location
from sswis.registry.models import Organisation
from sswis.registry.services import organisation_update

DISTRICT_OFFICE_PREFIX = "DSWO-"


def demo_directory_set(*, actor: Any) -> int:
    """Pair every district social welfare office (``DSWO-<district code>``) with its district through the
    registry's service (audited); return how many changed (0 on a second run)."""
    districts = {location.code: location for location in Location.objects.filter(level="district")}
    changed = 0
    offices = Organisation.objects.filter(
        code__startswith=DISTRICT_OFFICE_PREFIX, manages_location__isnull=True
    )
    for office in offices.order_by("code"):
        district = districts.get(office.code.removeprefix(DISTRICT_OFFICE_PREFIX))
        if district is None or Organisation.objects.filter(manages_location=district).exists():
            continue
        organisation_update(actor=actor, organisation=office, manages_location=district)
        changed += 1
    return changed
