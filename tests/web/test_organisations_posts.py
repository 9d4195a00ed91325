"""Organisations (reference list and detail with posts) and the posts page: scope, filters, no N+1."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, OrganisationFactory, PostFactory, WorkerFactory
from tests.web.conftest import Workforce, queries_for, text_of

ORGANISATIONS = reverse("web:organisation_list")
POSTS = reverse("web:post_list")


def codes(response: Any) -> list[str]:
    return [row.code for row in response.context["page_obj"]]


def post_codes(response: Any) -> list[str]:
    return [line.post.code for line in response.context["lines"]]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("national", ["NGO1", "MSW", "DSW"]),
        ("analyst", ["NGO1", "MSW", "DSW"]),
        ("administrator", ["NGO1", "MSW", "DSW"]),
        ("subnational", ["DSW"]),
        ("focal_point", ["NGO1"]),
    ],
)
def test_organisation_list_by_role(
    as_user: Callable[[Any], Client], personas: Personas, country: Country, role: str, expected: list[str]
) -> None:
    OrganisationFactory(code="DSW", name="North social welfare office", location=country.district_12)
    assert codes(as_user(getattr(personas, role)).get(ORGANISATIONS)) == expected


def test_organisation_list_columns_and_links(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    national = text_of(as_user(personas.national).get(ORGANISATIONS))
    assert "Hope for Children NGO1 Non-governmental organisation Social welfare South" in national
    assert "Ministry of Social Welfare MSW Government government Social welfare Kandara" in national
    assert 'href="/organisations/MSW/"' in as_user(personas.national).get(ORGANISATIONS).content.decode()
    # An analyst sees the reference list and each organisation's figures (never its staff).
    assert 'href="/organisations/MSW/"' in as_user(personas.analyst).get(ORGANISATIONS).content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "ngo"}, ["NGO1"]),
        ({"type": "government"}, ["MSW"]),
        ({"employer": "government"}, ["MSW"]),
        ({"employer": "non_government"}, ["FBO", "NGO1"]),
        ({"type": "faith_based", "employer": "non_government"}, ["FBO"]),
    ],
)
def test_organisation_filters(
    as_user: Callable[[Any], Client],
    personas: Personas,
    country: Country,
    params: dict[str, str],
    expected: list[str],
) -> None:
    OrganisationFactory(code="FBO", name="Faith care", type="faith_based", location=country.region_1)
    assert codes(as_user(personas.national).get(ORGANISATIONS, params)) == expected


def test_organisation_list_takes_the_same_queries_for_1_and_3_organisations(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    client = as_user(personas.subnational)
    OrganisationFactory(location=country.district_11)
    one = queries_for(client, ORGANISATIONS)
    OrganisationFactory(location=country.district_12)
    OrganisationFactory(location=country.region_1)
    three = queries_for(client, ORGANISATIONS)
    assert len(client.get(ORGANISATIONS).context["page_obj"]) == 3
    assert one == three


def test_organisation_list_is_paginated(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    for n in range(49):
        OrganisationFactory(name=f"Zed {n:02d}", location=country.root)
    response = as_user(personas.national).get(ORGANISATIONS, {"page": 2})
    assert codes(response) == [response.context["page_obj"][0].code]
    assert "51\u201351 of 51" in text_of(response)


def test_organisation_page_shows_posts_filled_or_vacant(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.national).get(reverse("web:organisation_detail", args=["MSW"]))
    text = text_of(response)
    assert "Ministry of Social Welfare (MSW)" in text
    assert "P-D11-SW Social worker Ministry of Social Welfare Alpha — Funded filled Alice Banda" in text
    assert "P-D12-PSW Para-social worker Ministry of Social Welfare Beta — Funded vacant —" in text
    assert "P-D21-CPV" not in text
    assert 'href="/workers/W-ALICE/"' in response.content.decode()


def test_organisation_page_on_another_date(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.national).get(
        reverse("web:organisation_detail", args=["MSW"]), {"on": "2019-06-30"}
    )
    assert [(line.post.code, line.status) for line in response.context["lines"]] == [
        ("P-D11-SW", "vacant"),
        ("P-D12-PSW", "vacant"),
    ]
    assert "Posts on 2019-06-30 (2)" in text_of(response)


def test_focal_point_sees_their_organisation_page(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.focal_point).get(reverse("web:organisation_detail", args=["NGO1"]))
    assert [(line.post.code, line.status) for line in response.context["lines"]] == [("P-D21-CPV", "vacant")]


# --- posts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("national", ["P-D11-SW", "P-D12-PSW", "P-D21-CPV"]),
        ("subnational", ["P-D11-SW", "P-D12-PSW"]),
        ("focal_point", ["P-D21-CPV"]),
    ],
)
def test_posts_page_by_role(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, role: str, expected: list[str]
) -> None:
    assert post_codes(as_user(getattr(personas, role)).get(POSTS)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"vacant": "on"}, ["P-D12-PSW", "P-D21-CPV"]),
        ({"location": "R1"}, ["P-D11-SW", "P-D12-PSW"]),
        ({"location": "D21"}, ["P-D21-CPV"]),
        ({"organisation": "NGO1"}, ["P-D21-CPV"]),
        ({"cadre": "SW"}, ["P-D11-SW"]),
        ({"cadre": "SW", "vacant": "on"}, []),
        ({"cadre": "SW", "vacant": "on", "on": "2019-12-31"}, ["P-D11-SW"]),
    ],
)
def test_posts_filters(
    as_user: Callable[[Any], Client],
    personas: Personas,
    workforce: Workforce,
    params: dict[str, str],
    expected: list[str],
) -> None:
    assert post_codes(as_user(personas.national).get(POSTS, params)) == expected


def test_posts_page_shows_status_and_holder(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    PostFactory(
        code="P-LATER",
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        established_on=datetime.date(2099, 1, 1),
    )
    PostFactory(
        code="P-GONE",
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        established_on=datetime.date(2000, 1, 1),
        abolished_on=datetime.date(2010, 1, 1),
    )
    response = as_user(personas.subnational).get(POSTS)
    assert [
        (line.post.code, line.status, [h.worker.worker_id for h in line.holders])
        for line in response.context["lines"]
    ] == [
        ("P-D11-SW", "filled", ["W-ALICE"]),
        ("P-D12-PSW", "vacant", []),
        ("P-GONE", "abolished", []),
        ("P-LATER", "not yet established", []),
    ]
    vacant = as_user(personas.subnational).get(POSTS, {"vacant": "on"})
    assert post_codes(vacant) == ["P-D12-PSW"]
    html = response.content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_posts_filter_choices_stay_in_scope(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    html = as_user(personas.subnational).get(POSTS).content.decode()
    assert '<option value="MSW">' in html  # the ministry has posts in the region
    assert '<option value="NGO1">' not in html
    assert '<option value="D21">' not in html


def test_posts_page_takes_the_same_queries_for_1_and_3_posts(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    client = as_user(personas.subnational)

    def add_post() -> None:
        post = PostFactory(
            organisation=country.ministry, location=country.district_11, cadre=country.social_worker
        )
        AssignmentFactory(
            worker=WorkerFactory(),
            post=post,
            organisation=country.ministry,
            location=country.district_11,
            cadre=country.social_worker,
        )

    add_post()
    one = queries_for(client, POSTS)
    add_post()
    add_post()
    three = queries_for(client, POSTS)
    assert len(client.get(POSTS).context["lines"]) == 3
    assert one == three


def test_organisation_page_takes_the_same_queries_for_1_and_3_posts(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    client = as_user(personas.national)
    url = reverse("web:organisation_detail", args=["MSW"])

    def add_post() -> None:
        post = PostFactory(
            organisation=country.ministry, location=country.district_11, cadre=country.social_worker
        )
        AssignmentFactory(
            worker=WorkerFactory(),
            post=post,
            organisation=country.ministry,
            location=country.district_11,
            cadre=country.social_worker,
        )

    add_post()
    one = queries_for(client, url)
    add_post()
    add_post()
    three = queries_for(client, url)
    assert one == three


def test_htmx_filter_returns_only_the_posts_table(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    html = (
        as_user(personas.national)
        .get(POSTS, {"vacant": "on"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="post-results")
        .content.decode()
    )
    assert html.lstrip().startswith('<section id="post-results"')
    assert "P-D11-SW" not in html
