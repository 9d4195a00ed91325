"""The profile's figures are the indicators' own, worked out by hand for the small country of
``conftest.py``; small cells are withheld for an analyst and for publication; every section is there."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from sswis.indicators.rows import WORKFORCE_INDICATORS
from sswis.indicators.selectors import indicators_compute
from sswis.reports.profile import HEADLINE_INDICATORS, SPLIT_DIMENSIONS, Profile, profile_build
from sswis.reports.reader import Reader
from sswis.reports.rendering import profile_html
from tests.conftest import Country, Personas
from tests.reports.conftest import EARLIER, YEAR, Workforce


def build(user: Any, location: Any, *, publication: bool = False, language: str = "en") -> Profile:
    with translation.override(language):
        return profile_build(reader=Reader(user=user, publication=publication), location=location, year=YEAR)


def headline(profile: Profile) -> dict[str, Any]:
    return {figure.indicator: figure.value for figure in profile.dashboard.headline.figures}


def split(profile: Profile, dimension: str) -> dict[str, int | None]:
    chosen = next(s for s in profile.splits if s.dimension == dimension)
    return {line.label: line.workers for line in chosen.lines}


def test_headline_figures_equal_the_indicators(
    country: Country, workforce: Workforce, personas: Personas
) -> None:
    profile = build(personas.national, country.root)
    assert headline(profile) == {
        "workforce.count": 9,
        "workforce.per_100k_children": 9 / 35000 * 100000,
        "posts.vacancy_rate": 0.5,
        "workforce.female_share": 5 / 9,
        "workforce.licensed_share": 0.0,
        "workforce.certified_share": 0.0,
    }
    rows = indicators_compute(year=YEAR, location=country.root, depth=0, indicators=HEADLINE_INDICATORS)
    assert headline(profile) == {
        row.indicator: row.value for row in rows if row.indicator in WORKFORCE_INDICATORS and not row.group
    }
    assert [figure.text for figure in profile.dashboard.headline.figures] == [
        "9",
        "25.7",
        "50.0%",
        "55.6%",
        "0.0%",
        "0.0%",
    ]


def test_change_since_earlier_years(country: Country, workforce: Workforce, personas: Personas) -> None:
    profile = build(personas.national, country.root)
    assert [(line.year, line.workers, line.per_100k, line.vacancy) for line in profile.trend.years] == [
        (EARLIER, 7, 20.0, 1.0),
        (YEAR, 9, 9 / 35000 * 100000, 0.5),
    ]
    latest = profile.trend.years[-1]
    assert (latest.workers_change, latest.per_100k_change, latest.vacancy_change) == (
        "+2",
        "+5.7",
        "\u221250.0 points",
    )


def test_the_locations_below_and_the_splits(
    country: Country, workforce: Workforce, personas: Personas
) -> None:
    profile = build(personas.national, country.root)
    assert [(line.location.code, line.workers.value, line.per_100k.text) for line in profile.map.lines] == [
        ("R1", 8, "26.7"),
        ("R2", 1, "20.0"),
    ]
    assert [s.dimension for s in profile.splits] == list(SPLIT_DIMENSIONS)
    assert split(profile, "cadre") == {
        "Social worker": 6,
        "Para-social worker": 2,
        "Child protection volunteer": 1,
    }
    assert split(profile, "sex") == {"Female": 5, "Male": 4}
    assert split(profile, "employer") == {"Government": 8, "Non-government": 1}


def test_small_cells_withheld_for_an_analyst(
    country: Country, workforce: Workforce, personas: Personas
) -> None:
    """4 men are below 5; the complementary rule withholds the 5 women too. Counts by cadre are never
    withheld; the female share of 9 workers of known sex is shown."""
    profile = build(personas.analyst, country.root)
    assert not profile.every_figure
    assert split(profile, "sex") == {"Female": None, "Male": None}
    assert split(profile, "cadre") == {
        "Social worker": 6,
        "Para-social worker": 2,
        "Child protection volunteer": 1,
    }
    assert headline(profile)["workforce.female_share"] == 5 / 9
    # R2's one volunteer: her region's female share describes one woman.
    r2 = next(line for line in profile.map.lines if line.location.code == "R2")
    assert (r2.female.value, r2.female.withheld) == (None, True)


def test_publication_withholds_small_cells_even_for_the_national_data_manager(
    country: Country, workforce: Workforce, personas: Personas
) -> None:
    full = build(personas.national, country.root)
    published = build(personas.national, country.root, publication=True)
    assert full.every_figure and not published.every_figure
    assert split(full, "sex") == {"Female": 5, "Male": 4}
    assert split(published, "sex") == {"Female": None, "Male": None}
    text = profile_html(profile=published, language="en", for_pdf=True)
    assert "For publication: every figure that would describe fewer than 5 workers is withheld." in text


def test_an_officer_sees_their_area_in_full_and_the_rest_withheld(
    country: Country, workforce: Workforce, personas: Personas
) -> None:
    """The subnational officer covers R1: R1's split by sex (4 women, 4 men) in full; the country's,
    outside their area, withheld as the dashboard withholds it."""
    assert split(build(personas.subnational, country.region_1), "sex") == {"Female": 4, "Male": 4}
    country_profile = build(personas.subnational, country.root)
    assert not country_profile.every_figure
    assert split(country_profile, "sex") == {"Female": None, "Male": None}


def test_every_section_is_in_the_document(country: Country, workforce: Workforce, personas: Personas) -> None:
    html = profile_html(profile=build(personas.national, country.root), language="en", for_pdf=False)
    sections = re.findall(r'<section id="([a-z]+)"', html)
    assert sections == [
        "headline",
        "map",
        "workforce",
        "support",
        "perceptions",
        "attrition",
        "planning",
        "quality",
        "methods",
    ]
    assert "State of the social service workforce: Kandara, 2024" in html
    assert "Workers per 100,000 children" in html
    # The methods annex comes from the definitions.
    assert "Workers with child protection responsibility per 100,000 children" in html or (
        "per 100,000 children" in html
    )
    assert html.count("<svg") >= 8  # the trend (3), the splits (7 with workers), attrition


def test_arabic_profile_reads_right_to_left_in_arabic(
    country: Country, workforce: Workforce, personas: Personas
) -> None:
    profile = build(personas.national, country.root, language="ar")
    html = profile_html(profile=profile, language="ar", for_pdf=True)
    assert re.search(r'<html lang="ar" dir="rtl">', html)
    assert re.search(r"[\u0600-\u06ff]{3,}", html)  # Arabic words: the translations and the digits
    # The headline workers, in Arabic-Indic digits.
    assert profile.dashboard.headline.workers.text == "\u0669"


@pytest.mark.parametrize("language", ["fr", "sw"])
def test_every_interface_language_is_made_by_the_same_code(
    country: Country, workforce: Workforce, personas: Personas, language: str
) -> None:
    html = profile_html(
        profile=build(personas.national, country.root, language=language), language=language, for_pdf=False
    )
    assert f'<html lang="{language}" dir="ltr">' in html


def test_perceptions_of_the_year_s_round(country: Country, workforce: Workforce, personas: Personas) -> None:
    """Five workers answered in D11 in the 2024 round: 3 satisfied, 2 dissatisfied (60.0%, 40.0%); the
    2023 round is not the profile's."""
    from tests.factories import PerceptionResponseFactory, SurveyRoundFactory

    SurveyRoundFactory(code="2023")
    round_2024 = SurveyRoundFactory(code="2024")
    for answer in ("satisfied", "satisfied", "satisfied", "dissatisfied", "dissatisfied"):
        PerceptionResponseFactory(
            survey_round=round_2024, location=country.district_11, job_satisfaction=answer
        )
    profile = build(personas.analyst, country.root)
    assert profile.perceptions.survey_round == round_2024
    assert profile.perceptions.summary is not None
    assert (profile.perceptions.summary.respondents, profile.perceptions.summary.withheld) == (5, False)
    _label, answers = next(
        q for q in profile.perceptions.questions if q[0] == "Overall, how satisfied are you with your job?"
    )
    assert [(count, share) for _answer, count, share in answers if count != "0"] == [
        ("3", "60.0%"),
        ("2", "40.0%"),
    ]


def _scenario(code: str, location: str, base_year: int) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Scenario {code}",
        "location": location,
        "base_year": base_year,
        "horizon": 2,
        "child_population_growth": 0,
        "currency": "USD",
        "cadres": {"SW": {"attrition_rate": 0.1, "target_per_100k": 30, "salary": 1000}},
    }


def test_planning_gap_and_cost_of_the_chosen_scenario(
    country: Country, workforce: Workforce, personas: Personas
) -> None:
    """The scenario nearest to the location is chosen (R1's for D11, the country's for R2), and its
    outcomes are planning's own (``scenario_outcomes``)."""
    from sswis.planning.comparison import scenario_outcomes
    from sswis.planning.projection import scenario_project
    from sswis.planning.selectors import scenario_parameters
    from sswis.planning.services import scenario_save

    national = scenario_save(actor=None, data=_scenario("national", "KD", YEAR))
    scenario_save(actor=None, data=_scenario("north", "R1", EARLIER))
    assert build(personas.analyst, country.district_11).planning.scenario.code == "north"  # type: ignore[union-attr]
    planning = build(personas.analyst, country.root).planning
    assert planning.scenario == national
    (outcome,) = scenario_outcomes(
        projection=scenario_project(scenario=scenario_parameters(scenario=national), location=country.root)
    )
    (line,) = planning.outcomes
    assert (line.label, line.final_gap, line.total_cost) == (
        "Social worker",
        f"{outcome.final_gap:,.0f}",
        f"{outcome.total_cost:,.0f}",
    )
    # The base year: 6 social workers for 10.5 required (30 per 100,000 of 35,000 children).
    assert planning.projection is not None
    first = planning.projection.rows[0]
    assert (first.year, first.stock, first.required, first.gap) == (YEAR, 6, 10.5, -4.5)
