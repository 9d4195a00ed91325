"""Who may open which page: every page for every persona, in scope and out of scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Country, Personas
from tests.factories import OrganisationFactory
from tests.web.conftest import Workforce, text_of

PAGES = [
    "dashboard",
    "worker_list",
    "worker_register",
    "worker_detail",
    "worker_edit",
    "assignment_start",
    "assignment_end",
    "assignment_transfer",
    "organisation_list",
    "organisation_detail",
    "post_list",
    "perceptions",
]
AGGREGATE_PAGES = {"dashboard", "organisation_list", "organisation_detail", "perceptions"}


def url_of(
    page: str, workforce: Workforce, *, worker: Any = None, assignment: Any = None, org: str = "MSW"
) -> str:
    """The URL of ``page`` about ``worker``/``assignment``/organisation ``org`` (defaults: Alice, MSW)."""
    worker = worker or workforce.alice
    assignment = assignment or workforce.alice_assignment
    if page in ("worker_detail", "worker_edit", "assignment_start"):
        return reverse(f"web:{page}", args=[worker.worker_id])
    if page in ("assignment_end", "assignment_transfer"):
        return reverse(f"web:{page}", args=[assignment.uuid])
    if page == "organisation_detail":
        return reverse("web:organisation_detail", args=[org])
    return reverse(f"web:{page}")


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_login(client: Client, workforce: Workforce, page: str) -> None:
    url = url_of(page, workforce)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:login')}?next={url}"


@pytest.mark.parametrize("page", PAGES)
def test_outsider_is_refused_everywhere_with_a_clear_page(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, page: str
) -> None:
    response = as_user(personas.outsider).get(url_of(page, workforce))
    assert response.status_code == 403
    assert "You may not open this page" in text_of(response)
    assert "Ask your system administrator" in text_of(response)
    assert "Alice" not in text_of(response)


@pytest.mark.parametrize("page", PAGES)
def test_outsider_cannot_post_forms(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, page: str
) -> None:
    response = as_user(personas.outsider).post(url_of(page, workforce), {"end_date": "2025-01-01"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["analyst", "administrator"])
@pytest.mark.parametrize("page", PAGES)
def test_aggregate_roles_see_aggregates_but_no_person(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, role: str, page: str
) -> None:
    response = as_user(getattr(personas, role)).get(url_of(page, workforce))
    expected = 200 if page in AGGREGATE_PAGES else 403
    assert response.status_code == expected
    text = text_of(response)
    for worker in (workforce.alice, workforce.brian, workforce.grace, workforce.peter):
        assert worker.family_name not in text
        assert worker.worker_id not in text


@pytest.mark.parametrize("page", PAGES)
def test_national_data_manager_opens_every_page(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, page: str
) -> None:
    assert as_user(personas.national).get(url_of(page, workforce)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_subnational_officer_in_scope(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, page: str
) -> None:
    OrganisationFactory(code="DSW-D11", location=workforce.alice_assignment.location)
    response = as_user(personas.subnational).get(url_of(page, workforce, org="DSW-D11"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "page", ["worker_detail", "worker_edit", "assignment_start", "assignment_end", "assignment_transfer"]
)
def test_subnational_officer_out_of_scope_gets_404(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, page: str
) -> None:
    url = url_of(page, workforce, worker=workforce.grace, assignment=workforce.grace_assignment)
    assert as_user(personas.subnational).get(url).status_code == 404


def test_subnational_officer_opens_only_organisations_working_in_the_subtree(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    OrganisationFactory(code="FBO1", type="faith_based", location=workforce.grace_assignment.location)
    client = as_user(personas.subnational)
    assert client.get(reverse("web:organisation_detail", args=["FBO1"])).status_code == 404
    # The ministry is based at the root and NGO1 in R2, but both have staff in the officer's region.
    assert client.get(reverse("web:organisation_detail", args=["MSW"])).status_code == 200
    assert client.get(reverse("web:organisation_detail", args=["NGO1"])).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_focal_point_in_scope(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, page: str
) -> None:
    url = url_of(page, workforce, worker=workforce.grace, assignment=workforce.grace_assignment, org="NGO1")
    assert as_user(personas.focal_point).get(url).status_code == 200


@pytest.mark.parametrize(
    "page",
    [
        "worker_detail",
        "worker_edit",
        "assignment_start",
        "assignment_end",
        "assignment_transfer",
        "organisation_detail",
    ],
)
def test_focal_point_out_of_scope_gets_404(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, page: str
) -> None:
    assert as_user(personas.focal_point).get(url_of(page, workforce)).status_code == 404


def test_subnational_officer_may_see_but_not_end_an_assignment_elsewhere(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    """Peter's NGO assignment in D11 is visible to the NGO focal point and changeable by them."""
    client = as_user(personas.focal_point)
    url = reverse("web:assignment_end", args=[workforce.peter_assignment.uuid])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("national", ["Dashboard", "Workers", "Posts", "Organisations", "API", "Reference lists"], []),
        ("subnational", ["Dashboard", "Workers", "Posts", "Organisations", "API"], ["Reference lists"]),
        ("focal_point", ["Dashboard", "Workers", "Posts", "Organisations"], ["Reference lists"]),
        ("analyst", ["Dashboard", "Organisations", "API"], ["Workers", "Posts", "Reference lists"]),
        ("administrator", ["Dashboard", "Organisations", "Reference lists"], ["Workers", "Posts"]),
        ("outsider", [], ["Dashboard", "Workers", "Posts", "Organisations", "Reference lists"]),
    ],
)
def test_menu_offers_what_the_role_allows(
    as_user: Callable[[Any], Client],
    personas: Personas,
    workforce: Workforce,
    role: str,
    shown: list[str],
    hidden: list[str],
) -> None:
    user = getattr(personas, role)
    response = as_user(user).get(reverse("web:organisation_list"))
    html = response.content.decode()
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0] if shown else ""
    for item in shown:
        assert f">{item}</a>" in nav
    for item in hidden:
        assert f">{item}</a>" not in nav
    assert user.username in text_of(response)
    assert "Log out" in text_of(response)
