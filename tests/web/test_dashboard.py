"""The dashboard shows exactly the numbers of ``indicators_compute`` for the chosen year and location."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sswis.indicators.selectors import indicators_compute
from sswis.web.dashboard import Dashboard
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, LocationFactory, PopulationEstimateFactory, WorkerFactory
from tests.web.conftest import YEAR, Workforce, queries_for, text_of

URL = reverse("web:dashboard")


def values(rows: Any, location: str) -> dict[str, Any]:
    return {r.indicator: r.value for r in rows if r.location == location and r.group == {}}


def shown(figures: Any) -> dict[str, Any]:
    return {figure.indicator: figure.value for figure in figures.figures}


def test_dashboard_numbers_equal_indicators_compute(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    response = as_user(personas.national).get(URL, {"year": YEAR, "location": "KD"})
    assert response.status_code == 200
    dashboard: Dashboard = response.context["dashboard"]
    rows = indicators_compute(year=YEAR, location=country.root, depth=1)
    assert shown(dashboard.headline) == values(rows, "KD")
    assert {line.location.code: shown(line) for line in dashboard.children} == {
        "R1": values(rows, "R1"),
        "R2": values(rows, "R2"),
    }
    # And the exact figures of this workforce in 2024 (Brian left in 2023).
    assert shown(dashboard.headline) == {
        "workforce.count": 3,
        "workforce.per_100k_children": None,
        "workforce.female_share": 2 / 3,
        "posts.vacancy_rate": 2 / 3,
    }
    assert shown(dashboard.children[0]) == {
        "workforce.count": 2,
        "workforce.per_100k_children": 2 * 100000 / 30000,
        "workforce.female_share": 0.5,
        "posts.vacancy_rate": 0.5,
    }


def test_dashboard_splits_equal_indicators_compute_by_cadre_and_category(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    dashboard: Dashboard = as_user(personas.national).get(URL, {"year": YEAR}).context["dashboard"]
    by_cadre = indicators_compute(year=YEAR, by=("cadre",), location=country.root, depth=0)
    by_category = indicators_compute(year=YEAR, by=("category",), location=country.root, depth=0)
    names = {"SW": "Social worker", "CPV": "Child protection volunteer"}
    assert dict(dashboard.by_cadre.rows) == {
        names[r.group["cadre"]]: r.numerator for r in by_cadre if r.indicator == "workforce.count" and r.group
    }
    labels = {"professional": "Professional", "volunteer": "Volunteer"}
    assert dict(dashboard.by_category.rows) == {
        labels[r.group["category"]]: r.numerator
        for r in by_category
        if r.indicator == "workforce.count" and r.group
    }
    assert dashboard.by_category.rows == [("Professional", 2), ("Volunteer", 1)]


def test_dashboard_page_shows_figures_reasons_and_child_locations(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    text = text_of(as_user(personas.national).get(URL, {"year": YEAR}))
    assert "Child protection workforce 3 workers counted" in text
    assert "not known Not known because the child population of Kandara in 2024 is not recorded." in text
    assert "66.7% 2 women of 3 workers of known sex" in text
    assert "66.7% 2 of 3 funded posts vacant" in text
    assert "North 2 6.7 50.0% 50.0%" in text
    assert "South 1 not known the child population of South in 2024 is not recorded 100.0% 100.0%" in text


def test_dashboard_drills_down_with_a_breadcrumb(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.national).get(URL, {"year": YEAR, "location": "R1"})
    html = response.content.decode()
    assert response.context["dashboard"].location.code == "R1"
    assert [c.location.code for c in response.context["dashboard"].children] == ["D11", "D12"]
    breadcrumb = html.split('aria-label="Location"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="?year=2024&amp;location=KD">Kandara</a>' in breadcrumb
    assert '<li aria-current="page">North</li>' in breadcrumb
    assert '<a href="?year=2024&amp;location=D11">Alpha</a>' in html


def test_dashboard_without_children_says_so(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    text = text_of(as_user(personas.national).get(URL, {"year": YEAR, "location": "D11"}))
    assert "Alpha has no locations below it." in text
    assert "Child protection workforce 2 workers counted" in text


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("name", ["North", "South"]),
        ("-name", ["South", "North"]),
        ("-workers", ["North", "South"]),
        ("workers", ["South", "North"]),
        ("-vacancy", ["South", "North"]),
        ("per_100k", ["North", "South"]),  # South's is not known: always last
        ("-per_100k", ["North", "South"]),
    ],
)
def test_child_locations_sort_by_each_column(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, sort: str, order: list[str]
) -> None:
    response = as_user(personas.national).get(URL, {"year": YEAR, "sort": sort})
    assert [line.location.name for line in response.context["dashboard"].children] == order
    html = response.content.decode()
    key = sort.lstrip("-")
    expected = "descending" if sort.startswith("-") else "ascending"
    assert re.search(rf'aria-sort="{expected}"[^>]*>\s*<a id="sort-{key}"', html)


def test_sort_link_reverses_the_sorted_column_and_keeps_year_and_location(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    html = (
        as_user(personas.national)
        .get(URL, {"year": YEAR, "location": "KD", "sort": "-workers"})
        .content.decode()
    )
    assert 'href="?year=2024&amp;location=KD&amp;sort=workers"' in html
    assert 'href="?year=2024&amp;location=KD&amp;sort=-vacancy"' in html
    assert 'hx-target="#location-table"' in html


def test_htmx_sort_returns_only_the_table(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.national).get(
        URL, {"year": YEAR, "sort": "-workers"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="location-table"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="location-table"')
    assert "<html" not in html
    assert "<svg" not in html
    assert "HX-Request" in response["Vary"]


def test_charts_are_accessible_inline_svg_with_data_tables(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    html = as_user(personas.national).get(URL, {"year": YEAR, "location": "R1"}).content.decode()
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert len(svgs) == 3
    for svg in svgs:
        assert 'role="img"' in svg
        assert "aria-label=" in svg
    assert "<title id=" in html
    assert 'aria-label="Workers by cadre, North, 2024"' in html
    assert html.count("<summary>Data table</summary>") == 3
    assert "<caption>Workers per 100,000 children, 2024</caption>" in html


def test_per_100k_chart_lists_locations_without_population(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    text = text_of(as_user(personas.national).get(URL, {"year": YEAR}))
    assert "Not shown (child population not known): South." in text


def test_unknown_location_is_404(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    assert as_user(personas.national).get(URL, {"location": "NOPE"}).status_code == 404


def test_invalid_year_falls_back_to_this_year(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    from django.utils import timezone

    response = as_user(personas.national).get(URL, {"year": "abc"})
    assert response.status_code == 200
    assert response.context["dashboard"].year == timezone.localdate().year


def test_subnational_officer_opens_on_their_region(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.subnational).get(URL, {"year": YEAR})
    assert response.context["dashboard"].location.code == "R1"
    # Aggregates of the rest of the country remain available.
    assert as_user(personas.subnational).get(URL, {"location": "R2"}).status_code == 200


@pytest.mark.parametrize("role", ["analyst", "administrator", "focal_point"])
def test_aggregate_only_users_see_figures_but_no_person(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, role: str
) -> None:
    response = as_user(getattr(personas, role)).get(URL, {"year": YEAR})
    text = text_of(response)
    assert "Child protection workforce 3 workers counted" in text
    for name in ("Banda", "Chola", "Daka", "Ngoma", "W-ALICE"):
        assert name not in text


def test_empty_country_shows_a_message(as_user: Callable[[Any], Client], db: Any) -> None:
    from sswis.access.models import Role
    from sswis.access.services import user_scope_grant
    from tests.factories import UserFactory

    user = UserFactory(username="lonely")
    user_scope_grant(actor=None, user=user, role=Role.NATIONAL_DATA_MANAGER)
    response = as_user(user).get(URL)
    assert response.status_code == 200
    assert "There are no locations yet." in text_of(response)


def test_child_location_table_takes_the_same_queries_for_1_and_3_children(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    client = as_user(personas.national)
    parent = LocationFactory(code="R9", name="Ninth", parent=country.root)

    def add_child(n: int) -> None:
        child = LocationFactory(code=f"R9-{n}", name=f"Child {n}", parent=parent)
        PopulationEstimateFactory(location=child, year=YEAR, children=1000 * (n + 1))
        AssignmentFactory(
            worker=WorkerFactory(), organisation=country.ministry, location=child, cadre=country.volunteer
        )

    add_child(1)
    url = f"{URL}?year={YEAR}&location=R9"
    one = queries_for(client, url)
    add_child(2)
    add_child(3)
    three = queries_for(client, url)
    assert len(client.get(url).context["dashboard"].children) == 3
    assert one == three
