"""The dashboard shows exactly the numbers of ``indicators_compute`` for the chosen year and location."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sswis.indicators.definitions import DIMENSIONS
from sswis.indicators.rows import SUPERVISED_SHARE, WORKFORCE_INDICATORS
from sswis.indicators.selectors import indicators_compute
from sswis.indicators.support import SUPPORT_INDICATORS
from sswis.presentation.dashboard import Dashboard
from tests.conftest import Country, Personas
from tests.factories import (
    AssignmentFactory,
    LocationFactory,
    PopulationEstimateFactory,
    WorkerFactory,
    registration_with_history,
)
from tests.training.factories_indicators import CertifyingProgrammeFactory, completed
from tests.web.conftest import YEAR, Workforce, queries_for, text_of

URL = reverse("web:dashboard")


def values(rows: Any, location: str, *, support: bool = False) -> dict[str, Any]:
    """The ``{}`` values of ``location``: of the headline indicators, or (``support``) of the support's."""
    return {
        r.indicator: r.value
        for r in rows
        if r.location == location and r.group == {} and r.indicator.startswith("support.") == support
    }


def shown(figures: Any) -> dict[str, Any]:
    return {figure.indicator: figure.value for figure in figures.figures}


@pytest.fixture
def alice_licensed(workforce: Workforce) -> None:
    """Alice (D11) holds a licence valid on 31 December 2024; nobody else does."""
    registration_with_history(
        worker=workforce.alice,
        changes=[("registered", "2023-01-01")],
        licences=[("2024-01-01", "2024-12-31")],
    )


def test_dashboard_numbers_equal_indicators_compute(
    as_user: Callable[[Any], Client],
    personas: Personas,
    workforce: Workforce,
    country: Country,
    alice_licensed: None,
) -> None:
    response = as_user(personas.national).get(URL, {"year": YEAR, "location": "KD"})
    assert response.status_code == 200
    dashboard: Dashboard = response.context["dashboard"]
    # The dashboard shows the workforce indicators and the support's cards (not the turnover: the retention page).
    rows = indicators_compute(
        year=YEAR,
        location=country.root,
        depth=1,
        indicators=(*WORKFORCE_INDICATORS, SUPERVISED_SHARE, *SUPPORT_INDICATORS),
    )
    assert shown(dashboard.headline) == values(rows, "KD")
    assert {line.location.code: shown(line) for line in dashboard.children} == {
        "R1": values(rows, "R1"),
        "R2": values(rows, "R2"),
    }
    support = response.context["support"]
    assert {line.location.code: shown(line) for line in [support.headline, *support.children]} == {
        code: values(rows, code, support=True) for code in ("KD", "R1", "R2")
    }
    # And the exact figures of this workforce in 2024 (Brian left in 2023).
    assert shown(dashboard.headline) == {
        "workforce.count": 3,
        "workforce.per_100k_children": None,
        "workforce.female_share": 2 / 3,
        "posts.vacancy_rate": 2 / 3,
        "workforce.licensed_share": 1 / 3,
        "workforce.certified_share": 0.0,
    }
    assert dashboard.headline.licensed.detail == "1 of 3 workers licensed on 31 December"
    assert shown(dashboard.children[0]) == {
        "workforce.count": 2,
        "workforce.per_100k_children": 2 * 100000 / 30000,
        "workforce.female_share": 0.5,
        "posts.vacancy_rate": 0.5,
        "workforce.licensed_share": 0.5,
        "workforce.certified_share": 0.0,
    }


@pytest.mark.parametrize("dimension", list(DIMENSIONS))
def test_every_dimension_can_be_chosen_and_equals_indicators_compute(
    as_user: Callable[[Any], Client],
    personas: Personas,
    workforce: Workforce,
    country: Country,
    dimension: str,
) -> None:
    response = as_user(personas.national).get(URL, {"year": YEAR, "by": dimension})
    split = response.context["dashboard"].split
    rows = indicators_compute(year=YEAR, by=(dimension,), location=country.root, depth=0)
    expected = sorted(r.numerator for r in rows if r.indicator == "workforce.count" and r.group)
    assert split.dimension == dimension
    assert sorted(line.workers for line in split.lines) == expected
    assert sum(expected) == 3
    assert f'<option value="{dimension}" selected>' in response.content.decode()


@pytest.mark.parametrize(
    ("dimension", "lines"),
    [
        ("cadre", [("Social worker", 2, None), ("Child protection volunteer", 1, None)]),
        ("category", [("Professional", 2, None), ("Volunteer", 1, None)]),
        ("sex", [("Female", 2, None), ("Male", 1, None)]),
        ("paid", [("Paid", 2, None), ("Unpaid", 1, None)]),
    ],
)
def test_split_lines_name_their_groups_largest_first(
    as_user: Callable[[Any], Client],
    personas: Personas,
    workforce: Workforce,
    dimension: str,
    lines: list[tuple[str, int, float | None]],
) -> None:
    split = as_user(personas.national).get(URL, {"year": YEAR, "by": dimension}).context["dashboard"].split
    assert [(line.label, line.workers, line.per_100k) for line in split.lines] == lines
    assert split.chart.startswith("<svg")


def test_split_in_a_region_has_its_per_100k(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.national).get(URL, {"year": YEAR, "location": "R1", "by": "sex"})
    split = response.context["dashboard"].split
    # North: Alice (female) and Peter (male) in 2024, 30,000 children.
    assert [(line.label, line.workers, line.per_100k) for line in split.lines] == [
        ("Female", 1, 100000 / 30000),
        ("Male", 1, 100000 / 30000),
    ]
    assert "Female 1 3.3" in text_of(response)


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
    # The split, three trend charts and the chart per location (no boundary: no map).
    assert len(svgs) == 5
    for svg in svgs:
        assert 'role="img"' in svg
        assert "aria-label=" in svg
    assert "<title id=" in html
    assert 'aria-label="Workers by cadre, North, 2024"' in html
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


def test_invalid_year_falls_back_to_the_latest_year_with_population(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    for year in ("abc", "1999"):
        response = as_user(personas.national).get(URL, {"year": year})
        assert response.status_code == 200
        assert response.context["dashboard"].year == YEAR


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


def test_opens_on_the_latest_year_with_population_and_says_so(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    PopulationEstimateFactory(location=country.district_11, year=2021, children=9000)
    PopulationEstimateFactory(location=country.district_11, year=2090, children=9000)  # a projection
    response = as_user(personas.national).get(URL)
    assert response.context["dashboard"].year == YEAR
    text = text_of(response)
    assert "2024: the latest year with child population figures." in text
    options = re.findall(r'<option value="(\d+)"( selected)?>', response.content.decode())
    assert options == [("2090", ""), ("2024", " selected"), ("2021", "")]
    other = text_of(as_user(personas.national).get(URL, {"year": 2021}))
    assert "the latest year with child population figures" not in other


def test_without_any_population_it_says_so(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    from django.utils import timezone

    response = as_user(personas.national).get(URL)
    this_year = timezone.localdate().year
    assert response.context["dashboard"].year == this_year
    assert f"{this_year}: no year has child population figures yet" in text_of(response)


@pytest.fixture
def own_worker(workforce: Workforce, country: Country) -> None:
    """A woman placed at the region North itself (its office), not in any of its districts."""
    AssignmentFactory(
        worker=WorkerFactory(sex="female"),
        organisation=country.ministry,
        location=country.region_1,
        cadre=country.social_worker,
        start_date=datetime.date(2022, 3, 1),
    )


def test_workers_at_the_location_itself_have_their_own_row_and_rows_add_up(
    as_user: Callable[[Any], Client], personas: Personas, own_worker: None, alice_licensed: None
) -> None:
    response = as_user(personas.national).get(URL, {"year": YEAR, "location": "R1"})
    dashboard: Dashboard = response.context["dashboard"]
    assert dashboard.own is not None
    assert dashboard.own.label == "at North itself"
    assert shown(dashboard.own) == {
        "workforce.count": 1,
        "workforce.per_100k_children": None,
        "workforce.female_share": 1.0,
        "posts.vacancy_rate": None,
        "workforce.licensed_share": 0.0,  # Alice, the one licensed worker of North, is in D11
        "workforce.certified_share": 0.0,
    }
    assert dashboard.headline.workers.value == 3
    assert [line.workers.value for line in dashboard.children] == [2, 0]
    text = text_of(response)
    assert (
        "at North itself workers and posts placed at this location, not in a location below it 1 not known "
        "all the children of North are counted in the locations below it: its own workers serve all of them "
        "not known no funded post on 31 December 100.0%"
    ) in text
    assert "All of North 3 10.0 50.0% 66.7%" in text


def test_own_row_per_100k_when_the_location_has_its_own_children(
    as_user: Callable[[Any], Client], personas: Personas, own_worker: None, country: Country
) -> None:
    # North records 40,000 children; its districts 30,000: 10,000 live at North itself.
    PopulationEstimateFactory(location=country.region_1, year=YEAR, children=40000)
    dashboard = as_user(personas.national).get(URL, {"year": YEAR, "location": "R1"}).context["dashboard"]
    assert dashboard.own.per_100k.value == 1 * 100000 / 10000
    assert dashboard.own.per_100k.detail == "1 workers, 10,000 children"
    assert dashboard.headline.per_100k.value == 3 * 100000 / 40000


def test_no_own_row_when_every_worker_is_below(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    dashboard = as_user(personas.national).get(URL, {"year": YEAR, "location": "R1"}).context["dashboard"]
    assert dashboard.own is None
    # The country: posts and workers are all in the regions.
    assert as_user(personas.national).get(URL, {"year": YEAR}).context["dashboard"].own is None


def test_trend_over_every_year_with_population_and_the_change(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    PopulationEstimateFactory(location=country.district_11, year=2023, children=10000)
    PopulationEstimateFactory(location=country.district_12, year=2023, children=20000)
    response = as_user(personas.national).get(URL, {"year": YEAR, "location": "R1"})
    trend = response.context["trend"]
    # 2023: Alice, Peter and Brian (left 30 June 2023); 2024: Alice and Peter; 30,000 children.
    assert [
        (
            y.year,
            y.workers,
            y.workers_change,
            y.per_100k_text,
            y.per_100k_change,
            y.vacancy_text,
            y.vacancy_change,
        )
        for y in trend.years
    ] == [
        (2023, 3, "", "10.0", "", "50.0%", ""),
        (2024, 2, "\u22121", "6.7", "\u22123.3", "50.0%", "0.0 points"),
    ]
    assert [title for title, _svg in trend.charts] == [
        "Workers counted",
        "Workers per 100,000 children",
        "Vacancy rate",
    ]
    assert all(svg.startswith("<svg") for _title, svg in trend.charts)
    assert "2024 2 \u22121 6.7 \u22123.3 50.0% 0.0 points" in text_of(response)


def test_map_draws_the_child_locations_with_a_boundary_and_lists_the_others(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    country.district_11.boundary = {
        "type": "Polygon",
        "coordinates": [[[30, -10], [31, -10], [31, -9], [30, -9], [30, -10]]],
    }
    country.district_11.save(update_fields=["boundary"])
    response = as_user(personas.national).get(URL, {"year": YEAR, "location": "R1"})
    html = response.content.decode()
    assert response.context["map"].svg.startswith("<svg")
    assert 'aria-label="Workers per 100,000 children in the locations of North, 2024"' in html
    assert [line.location.code for line in response.context["map"].lines] == ["D11", "D12"]
    text = text_of(response)
    assert "Not on the map (no boundary recorded): Beta." in text
    assert (
        "Workers per 100,000 children, 2024 Location Workers Per 100,000 children Alpha 2 20.0 Beta 0 0.0"
        in text
    )
    # No child has a boundary: no map, and the page says so.
    response = as_user(personas.national).get(URL, {"year": YEAR})
    assert response.context["map"].svg == ""
    assert "No location below has a boundary to draw." in text_of(response)


def test_dashboard_takes_the_same_queries_for_1_and_3_child_locations_with_trend_and_map(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    client = as_user(personas.national)
    parent = LocationFactory(code="R8", name="Eighth", parent=country.root)
    square = {"type": "Polygon", "coordinates": [[[30, -10], [31, -10], [31, -9], [30, -9], [30, -10]]]}

    def add_child(n: int) -> None:
        child = LocationFactory(code=f"R8-{n}", name=f"Child {n}", parent=parent, boundary=square)
        for year in (2023, YEAR):
            PopulationEstimateFactory(location=child, year=year, children=1000 * (n + 1))
        AssignmentFactory(
            worker=WorkerFactory(), organisation=country.ministry, location=child, cadre=country.volunteer
        )

    add_child(1)
    url = f"{URL}?year={YEAR}&location=R8&by=sex"
    one = queries_for(client, url)
    add_child(2)
    add_child(3)
    three = queries_for(client, url)
    assert len(client.get(url).context["map"].lines) == 3
    assert one == three


def test_small_cells_are_withheld_from_an_analyst_with_the_reason_never_as_0(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.analyst).get(URL, {"year": YEAR, "by": "sex"})
    dashboard: Dashboard = response.context["dashboard"]
    # Two women and one man: each under k = 5.
    assert [(line.label, line.workers, line.withheld) for line in dashboard.split.lines] == [
        ("Female", None, True),
        ("Male", None, True),
    ]
    assert dashboard.split.chart == ""
    assert dashboard.headline.female.withheld
    text = text_of(response)
    assert "Female withheld withheld Male withheld withheld" in text
    assert (
        "Withheld: it would describe fewer than 5 workers, or let such a figure be worked out by subtraction."
    ) in text
    assert "Not drawn (withheld): Female, Male." in text
    assert "withheld Withheld because it would describe fewer than 5 workers" in text
    # Cadre is not a personal attribute: never withheld.
    split = as_user(personas.analyst).get(URL, {"year": YEAR, "by": "cadre"}).context["dashboard"].split
    assert [(line.label, line.workers) for line in split.lines] == [
        ("Social worker", 2),
        ("Child protection volunteer", 1),
    ]
    # The national data manager sees every figure.
    national = as_user(personas.national).get(URL, {"year": YEAR, "by": "sex"}).context["dashboard"]
    assert [(line.label, line.workers) for line in national.split.lines] == [("Female", 2), ("Male", 1)]


def test_the_own_row_female_share_is_withheld_when_a_figure_it_comes_from_is(
    as_user: Callable[[Any], Client], personas: Personas, own_worker: None
) -> None:
    dashboard = as_user(personas.analyst).get(URL, {"year": YEAR, "location": "R1"}).context["dashboard"]
    assert dashboard.own.workers.value == 1
    assert dashboard.own.female.withheld
    assert dashboard.own.female.text == "withheld"


def test_the_licensed_share_is_shown_in_full_to_a_data_manager_and_withheld_from_an_analyst(
    as_user: Callable[[Any], Client], personas: Personas, own_worker: None, alice_licensed: None
) -> None:
    query = {"year": str(YEAR), "location": "R1", "by": "licensed"}
    national = as_user(personas.national).get(URL, query)
    dashboard: Dashboard = national.context["dashboard"]
    assert (dashboard.headline.licensed.text, dashboard.headline.licensed.detail) == (
        "33.3%",
        "1 of 3 workers licensed on 31 December",
    )
    assert [(line.label, line.workers) for line in dashboard.split.lines] == [
        ("Not licensed", 2),
        ("Licensed", 1),
    ]
    assert "Licensed share" in text_of(national)
    # 1 licensed and 2 not in North: too few for an analyst, at North, in its districts and in its own row.
    analyst = as_user(personas.analyst).get(URL, query)
    withheld = analyst.context["dashboard"]
    assert withheld.headline.licensed.withheld and withheld.headline.licensed.text == "withheld"
    assert [line.licensed.withheld for line in withheld.children] == [True, False]  # Beta: nobody counted
    assert withheld.children[1].licensed.reason == "no worker is counted"
    assert withheld.own.licensed.withheld
    assert [(line.label, line.withheld) for line in withheld.split.lines] == [
        ("Licensed", True),
        ("Not licensed", True),
    ]


@pytest.fixture
def peter_certified(workforce: Workforce) -> None:
    """Peter (D11) completed a programme recognised as certifying on 1 June 2024; nobody else did."""
    completed(workforce.peter, CertifyingProgrammeFactory.create(code="CERT"), "2024-06-01")


def test_the_certified_share_is_shown_in_full_to_a_data_manager_and_withheld_from_an_analyst(
    as_user: Callable[[Any], Client], personas: Personas, own_worker: None, peter_certified: None
) -> None:
    query = {"year": str(YEAR), "location": "R1", "by": "certified"}
    national = as_user(personas.national).get(URL, query)
    dashboard: Dashboard = national.context["dashboard"]
    assert (dashboard.headline.certified.text, dashboard.headline.certified.detail) == (
        "33.3%",
        "1 of 3 workers certified to work with child victims on 31 December",
    )
    assert dashboard.headline.certified.value == 1 / 3
    assert [line.certified.value for line in dashboard.children] == [0.5, None]  # Alpha: Peter of 2
    assert dashboard.own.certified.value == 0.0
    assert [(line.label, line.workers) for line in dashboard.split.lines] == [
        ("Not certified", 2),
        ("Certified", 1),
    ]
    text = text_of(national)
    assert "Certified share" in text
    assert "Share of the child protection workforce certified to work with child victims" in text
    # 1 certified and 2 not in North: too few for an analyst, at North, in its districts and in its own row.
    analyst = as_user(personas.analyst).get(URL, query)
    withheld = analyst.context["dashboard"]
    assert withheld.headline.certified.withheld and withheld.headline.certified.text == "withheld"
    assert [line.certified.withheld for line in withheld.children] == [True, False]  # Beta: nobody counted
    assert withheld.children[1].certified.reason == "no worker is counted"
    assert withheld.own.certified.withheld
    assert [(line.label, line.withheld) for line in withheld.split.lines] == [
        ("Certified", True),
        ("Not certified", True),
    ]


@pytest.mark.parametrize("column", ["licensed", "certified"])
def test_the_table_sorts_by_the_licensed_and_certified_shares(
    as_user: Callable[[Any], Client], personas: Personas, peter_certified: None, column: str
) -> None:
    response = as_user(personas.national).get(URL, {"year": YEAR, "location": "KD", "sort": f"-{column}"})
    dashboard: Dashboard = response.context["dashboard"]
    assert dashboard.sort == f"-{column}"
    assert [c.aria_sort for c in dashboard.columns if c.key == column] == ["descending"]


def test_an_outsider_is_refused(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    assert as_user(personas.outsider).get(URL, {"year": YEAR}).status_code == 403
