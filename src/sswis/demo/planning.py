"""The demo country's plans: example norms, so that planning shows real figures on first start.

The figures are examples to adjust, not recommended norms; their source says so. Set through
``planning.services.norm_set`` by the demo's national data manager, like a ministry's own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sswis.geo.models import Location
from sswis.planning.services import norm_set
from sswis.registry.models import Cadre, CadreCategory

NATIONAL_SOURCE = "Example national norm (demo): adjust to the country's policy"
REGIONAL_SOURCE = "Example regional plan (demo)"


def demo_norms_set(*, actor: Any) -> int:
    """Set the demo's norms (again: unchanged norms are not written twice); return how many there are."""
    root = Location.objects.filter(parent__isnull=True).first()
    if root is None:
        return 0
    norms = [
        norm_set(
            actor=actor, location=root, target_per_100k=Decimal(30), valid_from=2019, source=NATIONAL_SOURCE
        ),
        norm_set(
            actor=actor,
            location=root,
            category=CadreCategory.PARA_PROFESSIONAL,
            target_per_100k=Decimal(20),
            valid_from=2019,
            source=NATIONAL_SOURCE,
        ),
    ]
    social_worker = Cadre.objects.filter(code="SW").first()
    if social_worker is not None:
        norms.append(
            norm_set(
                actor=actor,
                location=root,
                cadre=social_worker,
                target_per_100k=Decimal(8),
                valid_from=2019,
                source=NATIONAL_SOURCE,
            )
        )
    region = Location.objects.filter(parent=root).order_by("code").first()
    if region is not None:
        norms.append(
            norm_set(
                actor=actor,
                location=region,
                target_per_100k=Decimal(40),
                valid_from=2023,
                source=REGIONAL_SOURCE,
            )
        )
    return len(norms)
