"""An organisation's page: its own figures for every role, its staff for roles that see people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sswis.indicators.organisation import organisation_figures
from sswis.indicators.selectors import indicators_compute
from sswis.registry.models import Organisation
from tests.conftest import Country, Personas
from tests.factories import PostFactory, WorkerFactory
from tests.indicators.conftest import assign, counts
from tests.web.conftest import queries_for, text_of


def page(code: str) -> str:
    return reverse("web:organisation_detail", args=[code])


@pytest.fixture
def staffed(country: Country) -> None:
    """In 2024, at NGO1: Grace (female, volunteer) and Ruth (female, social worker), counted there; Paul
    works for NGO1 since 2020 but his reference assignment (March 2024) is with the ministry, so he is
    counted there; Ken's NGO1 assignment carries no child protection. MSW counts Paul and Mary (female,
    D21, ended 2024-06-30: still counted in 2024). NGO1 has two funded posts, one filled by Ruth, and an
    unfunded one."""
    ngo, ministry = country.ngo, country.ministry
    grace = WorkerFactory(worker_id="W-GRACE", given_name="Grace", family_name="Daka", sex="female")
    assign(country, worker=grace, organisation=ngo, location=country.district_21, cadre=country.volunteer)
    ruth = WorkerFactory(worker_id="W-RUTH", given_name="Ruth", family_name="Mwale", sex="female")
    filled = PostFactory(code="P-NGO-1", organisation=ngo, location=country.district_21, funded=True)
    PostFactory(code="P-NGO-2", organisation=ngo, location=country.district_21, funded=True)
    PostFactory(code="P-NGO-3", organisation=ngo, location=country.district_21, funded=False)
    assign(country, worker=ruth, organisation=ngo, location=country.district_21, post=filled)
    paul = WorkerFactory(worker_id="W-PAUL", given_name="Paul", family_name="Zulu", sex="male")
    assign(country, worker=paul, organisation=ngo, location=country.district_21, start="2020-01-01")
    assign(country, worker=paul, organisation=ministry, location=country.district_11, start="2024-03-01")
    ken = WorkerFactory(worker_id="W-KEN", given_name="Ken", family_name="Banda", sex="male")
    assign(country, worker=ken, organisation=ngo, location=country.district_21, child_protection=False)
    mary = WorkerFactory(worker_id="W-MARY", given_name="Mary", family_name="Phiri", sex="female")
    assign(
        country,
        worker=mary,
        organisation=ministry,
        location=country.district_21,
        start="2020-01-01",
        end="2024-06-30",
    )


def test_figures_count_the_reference_assignments_of_the_organisation(country: Country, staffed: None) -> None:
    ngo = organisation_figures(organisation=country.ngo, year=2024)
    assert (ngo.counted, ngo.funded_posts, ngo.vacant_posts, ngo.vacancy_rate) == (2, 2, 1, 0.5)
    assert [(c.code, c.count) for c in ngo.by_cadre] == [("CPV", 1), ("SW", 1)]
    assert ngo.by_sex == {"female": 2, "male": 0, "other": 0, "unknown": 0}
    ministry = organisation_figures(organisation=country.ministry, year=2024)
    assert (ministry.counted, ministry.funded_posts, ministry.vacancy_rate) == (2, 0, None)
    assert ministry.by_sex == {"female": 1, "male": 1, "other": 0, "unknown": 0}
    # Over all organisations, the country's workforce.count.
    total = sum(organisation_figures(organisation=o, year=2024).counted for o in Organisation.objects.all())
    assert total == counts(indicators_compute(year=2024))["KD"] == 4
    # In 2023 Paul had only his NGO1 assignment; Grace and Ruth started in 2024.
    assert organisation_figures(organisation=country.ngo, year=2023).counted == 1


def test_national_sees_figures_by_sex_and_the_staff(
    as_user: Callable[[Any], Client], personas: Personas, staffed: None
) -> None:
    response = as_user(personas.national).get(page("NGO1"), {"year": "2024", "on": "2024-12-31"})
    text = text_of(response)
    assert "Workers counted 2 Funded posts 2 Vacant funded posts 1 Vacancy rate 50.0%" in text
    assert (
        "Workers counted by cadre Cadre Workers Child protection volunteer (CPV) 1 Social worker (SW) 1"
        in text
    )
    assert "Workers counted by sex Sex Workers female 2 male 0 other 0 unknown 0" in text
    staff = [a.worker.worker_id for a in response.context["staff_page"]]
    assert staff == ["W-KEN", "W-GRACE", "W-RUTH", "W-PAUL"]
    assert "Staff on 2024-12-31 (4)" in text


def test_focal_point_sees_their_organisations_figures_and_staff(
    as_user: Callable[[Any], Client], personas: Personas, staffed: None
) -> None:
    response = as_user(personas.focal_point).get(page("NGO1"), {"year": "2024", "on": "2024-12-31"})
    assert "Workers counted by sex" in text_of(response)
    assert response.context["staff_page"].paginator.count == 4
    assert as_user(personas.focal_point).get(page("MSW")).status_code == 404


def test_subnational_officer_sees_only_the_staff_in_their_area_and_no_split_by_sex(
    as_user: Callable[[Any], Client], personas: Personas, staffed: None
) -> None:
    response = as_user(personas.subnational).get(page("MSW"), {"year": "2024", "on": "2024-05-01"})
    # Mary (D21) is outside R1; Paul (D11) is inside.
    assert [a.worker.worker_id for a in response.context["staff_page"]] == ["W-PAUL"]
    assert "The split by sex is withheld" in text_of(response)


def test_analyst_sees_figures_without_staff_posts_or_split_by_sex(
    as_user: Callable[[Any], Client], personas: Personas, staffed: None
) -> None:
    response = as_user(personas.analyst).get(page("NGO1"), {"year": "2024"})
    assert response.status_code == 200
    text = text_of(response)
    assert "Workers counted 2 Funded posts 2" in text
    assert "The split by sex is withheld" in text
    assert "Workers counted by sex" not in text
    assert "staff_page" not in response.context
    for name in ("Daka", "Mwale", "Zulu", "W-GRACE", "P-NGO-1"):
        assert name not in text


def test_outsider_and_anonymous_are_refused(
    as_user: Callable[[Any], Client], personas: Personas, staffed: None
) -> None:
    assert as_user(personas.outsider).get(page("NGO1")).status_code == 403
    assert as_user(None).get(page("NGO1")).status_code == 302


def test_a_year_out_of_range_is_shown_as_an_error_and_this_year_used(
    as_user: Callable[[Any], Client], personas: Personas, staffed: None
) -> None:
    response = as_user(personas.national).get(page("NGO1"), {"year": "-8070"})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1900." in text_of(response)


def test_staff_list_takes_the_same_queries_for_1_and_3_and_is_paginated(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    client = as_user(personas.national)
    url = f"{page('NGO1')}?on=2024-06-01&year=2024"
    assign(country, organisation=country.ngo, location=country.district_21)
    one = queries_for(client, url)
    assign(country, organisation=country.ngo, location=country.district_21)
    assign(country, organisation=country.ngo, location=country.district_21)
    three = queries_for(client, url)
    assert client.get(url).context["staff_page"].paginator.count == 3
    assert one == three
    for _ in range(48):
        assign(country, organisation=country.ngo, location=country.district_21)
    second = client.get(url, {"staff_page": "2"})
    assert len(second.context["staff_page"]) == 1
    assert "51\u201351 of 51" in text_of(second)
