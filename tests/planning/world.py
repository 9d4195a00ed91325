"""A small planned country for the planning tests: its norms and workers give figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.planning.services import norm_set
from sswis.registry.models import CadreCategory
from tests.factories import (
    AssignmentFactory,
    CadreFactory,
    LocationFactory,
    OrganisationFactory,
    PopulationEstimateFactory,
    UserFactory,
)

# The gaps of district D1 in 2025 in this country, worked out by hand: its 5 workers (3 social workers)
# against region R's whole-workforce norm (50 per 100,000 of 60,000 children: 30) and the country's
# social-worker norm (10: 6). The command line and the API answer exactly this document.
D1_GAPS_2025 = {
    "year": 2025,
    "rows": [
        {
            "location": "D1",
            "group": {},
            "target_per_100k": 50.0,
            "norm_location": "R",
            "source": "Regional plan",
            "children": 60000,
            "counted": 5,
            "required": 30.0,
            "gap": -25.0,
        },
        {
            "location": "D1",
            "group": {"cadre": "SW"},
            "target_per_100k": 10.0,
            "norm_location": "K",
            "source": "SW norm",
            "children": 60000,
            "counted": 3,
            "required": 6.0,
            "gap": -3.0,
        },
    ],
}


def norms_world() -> dict[str, Any]:
    """Country K (200,000 children) > region R (100,000) > districts D1 (60,000) and D2 (unknown)."""
    country = LocationFactory(code="K")
    region = LocationFactory(code="R", parent=country)
    d1, d2 = LocationFactory(code="D1", parent=region), LocationFactory(code="D2", parent=region)
    for location, children in ((country, 200_000), (region, 100_000), (d1, 60_000)):
        for year in (2025, 2026):
            PopulationEstimateFactory(location=location, year=year, children=children)
    sw = CadreFactory(code="SW", category=CadreCategory.PROFESSIONAL)
    psw = CadreFactory(code="PSW", category=CadreCategory.PARA_PROFESSIONAL)
    at_d1, at_d2 = OrganisationFactory(location=d1), OrganisationFactory(location=d2)
    for _ in range(3):
        AssignmentFactory(organisation=at_d1, cadre=sw)
    for _ in range(2):
        AssignmentFactory(organisation=at_d1, cadre=psw)
    AssignmentFactory(organisation=at_d2, cadre=sw)
    manager = UserFactory(username="manager")
    user_scope_grant(actor=None, user=manager, role=Role.NATIONAL_DATA_MANAGER)
    norm_set(
        actor=manager, location=country, target_per_100k=Decimal(30), valid_from=2020, source="Policy 2020"
    )
    norm_set(
        actor=manager, location=country, target_per_100k=Decimal(35), valid_from=2026, source="Policy 2026"
    )
    norm_set(
        actor=manager, location=region, target_per_100k=Decimal(50), valid_from=2024, source="Regional plan"
    )
    norm_set(
        actor=manager,
        location=country,
        cadre=sw,
        target_per_100k=Decimal(10),
        valid_from=2025,
        source="SW norm",
    )
    norm_set(
        actor=manager,
        location=d1,
        category=CadreCategory.PARA_PROFESSIONAL,
        target_per_100k=Decimal(20),
        valid_from=2026,
        source="District plan",
    )
    return {"country": country, "region": region, "d1": d1, "d2": d2, "sw": sw, "manager": manager}
