"""The dashboard shows the support figures (contract ``support.md``) of the chosen location and of the
locations below it: exactly the indicator rows, formatted, with the small cells withheld for an analyst.
The world is ``tests/indicators/support_world.py`` (its tables give every figure used here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Country, Personas
from tests.factories import PopulationEstimateFactory
from tests.indicators.support_world import SupportWorld, support_world_build
from tests.web.conftest import YEAR, text_of

URL = reverse("web:dashboard")


@pytest.fixture
def world(country: Country) -> SupportWorld:
    PopulationEstimateFactory(location=country.root, year=YEAR, children=100_000)
    return support_world_build(country)


def support_text(response: Any) -> str:
    """The visible text of the page's support section."""
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="support-title"')
    section = html[start : html.index("</section>", start)]
    return text_of(type("Page", (), {"content": f"<h2 {section}".encode()})())


def test_the_support_figures_of_the_country_and_its_regions(
    as_user: Callable[[Any], Client], personas: Personas, world: SupportWorld
) -> None:
    text = support_text(as_user(personas.national).get(URL, {"year": YEAR}))

    assert "Support of the workforce" in text
    assert "44.4% 4 of 9 workers supervised on 31 December" in text
    assert "40.0% 2 of 5 supervisors over their norm" in text
    assert "1.5 6 sessions in the year, 4 supervisees" in text
    assert "10.0 60 open cases, 6 workers with a December caseload" in text
    assert "60.0% 3 of 5 caseloads over their cadre's norm" in text
    # The regions' line, then the country's.
    assert "North 42.9% 0.0% 1.3 9.8 50.0%" in text
    assert "South 50.0% 100.0% 2.0 11.0 100.0%" in text
    assert "All of Kandara 44.4% 40.0% 1.5 10.0 60.0%" in text


def test_a_figure_not_known_says_why(
    as_user: Callable[[Any], Client], personas: Personas, world: SupportWorld
) -> None:
    text = support_text(as_user(personas.national).get(URL, {"year": YEAR, "location": "D12"}))

    assert "not known Not known because no counted worker is supervised on 31 December." in text
    assert "0.0% 0 of 3 workers supervised on 31 December" in text


def test_an_analyst_sees_the_small_cells_withheld(
    as_user: Callable[[Any], Client], personas: Personas, world: SupportWorld, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 2
    text = support_text(as_user(personas.analyst).get(URL, {"year": YEAR, "location": "R1"}))

    # R1: 3 of 7 supervised, 0 of 2 supervisors over, 3 supervisees, 5 caseloads, 2 of 4 over: shown.
    assert "42.9% 3 of 7 workers supervised on 31 December" in text
    assert "0.0% 0 of 2 supervisors over their norm" in text
    # D11: 1 worker not supervised, 1 supervisor, 1 caseload within the norm: withheld; the means shown.
    assert "Alpha withheld" in text
    assert "Alpha withheld it would describe fewer than 2 workers" in text
    national = support_text(as_user(personas.national).get(URL, {"year": YEAR, "location": "R1"}))
    assert "withheld" not in national
    assert "Alpha 75.0% 0.0% 1.3 12.7 66.7%" in national


def test_an_outsider_is_refused(
    as_user: Callable[[Any], Client], personas: Personas, world: SupportWorld
) -> None:
    assert as_user(personas.outsider).get(URL, {"year": YEAR}).status_code == 403
