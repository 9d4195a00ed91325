"""The demo's quality-assurance score (``demo.quality``): the framework inventory and the four scores of the
year before the demo's last, criteria 2-4 accepting the proposals; a second run writes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sswis.demo.quality import INSTRUMENTS, demo_quality_set
from sswis.quality.models import CriterionScore, Instrument
from sswis.quality.proposals import proposals_compute
from sswis.quality.selectors import year_scores
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_framework_and_the_scores_of_an_earlier_year(
    country: Country, personas: Personas
) -> None:
    AssignmentFactory(
        organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    assert demo_quality_set(actor=personas.national, last_year=2025) == len(INSTRUMENTS) == 5
    statuses = dict(Instrument.objects.values_list("title", "status"))
    assert statuses["Children's Act"] == "in_force"
    assert statuses["Social Work Professions Bill"] == "draft"
    bill = Instrument.objects.get(title="Social Work Professions Bill")
    assert (bill.whole_workforce, [cadre.code for cadre in bill.cadres.all()]) == (False, ["SW"])
    scores = year_scores(year=2024)
    proposed = {name: proposal.proposed for name, proposal in proposals_compute(year=2024).items()}
    assert {name: row.score for name, row in scores.scores.items()} == {"framework": 3, **proposed}
    assert scores.composite == 3 + sum(proposed.values())
    assert all(row.accepted for name, row in scores.scores.items() if name != "framework")
    assert {row.recorded_by for row in CriterionScore.objects.all()} == {personas.national}
    assert not CriterionScore.objects.filter(year=2025).exists()
    assert demo_quality_set(actor=personas.national, last_year=2025) == 0  # run again: nothing new
    assert (Instrument.objects.count(), CriterionScore.objects.count()) == (5, 4)


def test_the_quality_pages_show_something_on_first_start(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("demo", workers=300, template_dir=tmp_path / "template", stdout=out)
    assert "       5 instruments of the normative framework" in out.getvalue()
    scores = year_scores(year=2024)
    assert scores.missing == [] and scores.composite is not None
    client = Client()
    client.force_login(get_user_model().objects.get(username="analyst"))
    page = client.get(reverse("web:quality"))
    assert (page.status_code, page.context["year"], page.context["recorded"].composite) == (
        200,
        2024,
        scores.composite,
    )
    framework = client.get(reverse("web:quality_framework")).content.decode()
    assert "Social Work Professions Bill" in framework
