"""The demo country's professional associations: a national one and a regional one (Amaru Region, R01), with
memberships of some of the workers they recruit from, shown by the membership figures; a second run writes
nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from sswis.demo.support_associations import demo_associations_set
from sswis.registry.models import Assignment
from sswis.support.association_selectors import membership_figures
from sswis.support.models_associations import Association, Membership

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_national_and_a_regional_association_with_members(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("demo", workers=300, template_dir=tmp_path / "template", stdout=out)
    associations = {a.code: a for a in Association.objects.select_related("region")}
    assert {code: (a.scope, a.region.code if a.region else None) for code, a in associations.items()} == {
        "KASSP": ("national", None),
        "APSWN": ("regional", "R01"),
    }
    counts = dict(Membership.objects.values_list("association__code").annotate(n=Count("pk")))
    assert counts["KASSP"] > 0 and counts["APSWN"] > 0
    assert f"{sum(counts.values()):6d} memberships of professional associations" in out.getvalue()
    # One membership per worker and association: no overlap by construction.
    assert not Membership.objects.values("worker", "association").annotate(n=Count("pk")).filter(n__gt=1)
    # The regional network's members all work (or worked) in Amaru Region.
    regional = Membership.objects.filter(association__code="APSWN").values("worker_id")
    assert all(
        Assignment.objects.filter(
            worker_id=row["worker_id"], location__path__startswith=associations["APSWN"].region.path
        ).exists()
        for row in regional
    )
    assert {record.history_user.username for record in Membership.history.all()} == {"manager"}
    rows = membership_figures(year=2025, depth=0)
    assert rows and any(row.members for row in rows)
    manager = Membership.history.first().history_user
    assert demo_associations_set(actor=manager) == 0
