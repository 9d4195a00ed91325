"""The demo country's caseloads (``demo/support_caseloads.py``): norms for its case-carrying cadres, twelve
months of caseloads, some over the norm, the same on every start and written once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from sswis.support.caseload_distribution import caseload_distribution
from sswis.support.caseload_selectors import caseloads_flagged
from sswis.support.models import Caseload, CaseloadNorm

pytestmark = pytest.mark.django_db


def test_the_demo_has_twelve_months_of_caseloads_and_norms(tmp_path: Path) -> None:
    call_command("demo", workers=300, template_dir=tmp_path / "template", stdout=io.StringIO())
    assert sorted(
        CaseloadNorm.objects.filter(kind="all").values_list("cadre__code", "maximum_open_cases")
    ) == [
        ("CCYCW", 35),
        ("CM", 17),
        ("PO", 20),
        ("PSW", 30),
        ("SW", 25),
        ("SWO", 20),
    ]
    months = sorted({month.month for month in Caseload.objects.values_list("month", flat=True)})
    assert months == list(range(1, 13))
    assert {caseload.history.count() for caseload in Caseload.objects.all()[:20]} == {1}
    december = caseload_distribution(month=Caseload.objects.latest("month").month)
    country = [row for row in december.rows if row.location == december.rows[0].location]
    assert country and any(row.over_norm for row in country)
    flagged = caseloads_flagged(Caseload.objects.order_by("-open_cases")[:5])
    assert any(caseload.over_norm for caseload in flagged)  # type: ignore[attr-defined]
    written = Caseload.objects.count()
    call_command("demo", workers=300, template_dir=tmp_path / "template", stdout=io.StringIO())
    assert Caseload.objects.count() == written
    assert {norm.history.count() for norm in CaseloadNorm.objects.all()} == {1}
