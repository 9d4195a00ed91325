"""The demo country's professional associations: a national association of social service professionals and
a regional network of para-social workers and community child and youth care workers in Amaru Region
(``R01``), with memberships of about half of the workers each recruits from (some ended), so that the
associations' pages and the membership figures have something to show on first start.

The associations are added through the support's services by the demo's national data manager; the
memberships are written in bulk with their audit history (as the regulation's registrations are), from a
fixed seed and without overlaps (one membership per worker and association), so every demo start gives the
same memberships.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from sswis.geo.models import Location
from sswis.registry.models import Assignment
from sswis.support.associations import association_create
from sswis.support.models_associations import Association, Membership, MembershipKind

# code -> name, region code (None: national), year founded, website, cadres it recruits from, share joining
ASSOCIATIONS: dict[str, tuple[str, str | None, int, str, tuple[str, ...], float]] = {
    "KASSP": (
        "Kandara Association of Social Service Professionals",
        None,
        1998,
        "https://kassp.example.org",
        ("SWO", "SW", "PO", "CM"),
        0.55,
    ),
    "APSWN": (
        "Amaru Para-Social Workers Network",
        "R01",
        2012,
        "",
        ("PSW", "CCYCW"),
        0.4,
    ),
}
ENDED_SHARE = 0.15
"""The share of memberships that have ended (the member left the association)."""


def _association(*, actor: Any, code: str) -> Association | None:
    name, region_code, founded, website, _cadres, _share = ASSOCIATIONS[code]
    existing = Association.objects.filter(code=code).first()
    if existing is not None:
        return existing
    region = None
    if region_code is not None:
        region = Location.objects.filter(code=region_code).first()
        if region is None:
            return None  # not the demo's location tree
    return association_create(
        actor=actor,
        code=code,
        name=name,
        scope="regional" if region is not None else "national",
        region=region,
        founded=founded,
        website=website,
    )


def _memberships(
    *,
    association: Association,
    cadres: tuple[str, ...],
    share: float,
    rng: random.Random,
    today: datetime.date,
) -> list[Membership]:
    """One membership for about ``share`` of the workers with a child protection assignment of ``cadres``
    (in the association's region, for a regional one), from some day after they started (and not before
    the association was founded), a few of them ended."""
    assignments = Assignment.objects.filter(cadre__code__in=cadres, child_protection=True)
    if association.region is not None:
        assignments = assignments.filter(location__path__startswith=association.region.path)
    first_days = (
        assignments.values("worker_id")
        .annotate(first=Min("start_date"))
        .order_by("worker_id")
        .values_list("worker_id", "first")
    )
    founded = datetime.date(association.founded or 1900, 1, 1)
    rows: list[Membership] = []
    for worker_id, first in first_days:
        if rng.random() >= share:
            continue
        start = max(first + datetime.timedelta(days=rng.randint(0, 720)), founded)
        if start > today:
            continue
        end = None
        if rng.random() < ENDED_SHARE:
            end = start + datetime.timedelta(days=rng.randint(365, 1460))
            if end >= today:
                end = None
        rows.append(
            Membership(
                worker_id=worker_id,
                association=association,
                member_from=start,
                member_until=end,
                number=f"{association.code}-{len(rows) + 1:05d}",
                kind=rng.choices(
                    (MembershipKind.FULL, MembershipKind.ASSOCIATE, MembershipKind.STUDENT), (80, 15, 5)
                )[0],
            )
        )
    return rows


@transaction.atomic
def demo_associations_set(*, actor: Any, seed: int = 2024) -> int:
    """Add the demo's professional associations and their memberships after the template is imported;
    return the number of memberships written.

    Run again on the same database it changes nothing: an association that already has memberships keeps
    them."""
    today = timezone.localdate()
    written = 0
    for code, (_name, _region, _founded, _website, cadres, share) in ASSOCIATIONS.items():
        rng = random.Random(f"{seed}-association-{code}")
        association = _association(actor=actor, code=code)
        if association is None or association.memberships.exists():
            continue
        rows = _memberships(association=association, cadres=cadres, share=share, rng=rng, today=today)
        bulk_create_with_history(rows, Membership, default_user=actor, batch_size=1000)
        written += len(rows)
    return written
