"""The professional associations' pages: the list, one association, adding and changing one (a national data
manager), the members of one and a worker's memberships (those the reader sees), recording and ending a
membership, the membership figures; refusals and query-count guards of every list."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sswis.support.associations import association_create, membership_create
from sswis.support.models_associations import Association, Membership
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.web.conftest import Workforce, queries_for, text_of

D = datetime.date


@pytest.fixture
def national(personas: Personas) -> Association:
    return association_create(
        actor=personas.national,
        code="NASW",
        name="National Association of Social Workers",
        founded=1990,
        website="https://nasw.example.org",
    )


@pytest.fixture
def members(personas: Personas, workforce: Workforce, national: Association) -> dict[str, Membership]:
    """Alice (D11, the officer's) and Grace (D21, NGO1's) are members of NASW since 2021."""
    return {
        name: membership_create(
            actor=personas.national,
            worker=getattr(workforce, name),
            association=national,
            member_from=D(2021, 1, 1),
            number=f"N-{name}",
        )
        for name in ("alice", "grace")
    }


def test_a_national_data_manager_adds_and_changes_an_association(
    personas: Personas, country: Country, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(personas.national)
    assert client.get(reverse("web:association_new")).status_code == 200
    response = client.post(
        reverse("web:association_new"),
        {
            "code": "RSW",
            "name": "Northern Social Workers",
            "scope": "regional",
            "region": "R1",
            "founded": "2004",
        },
    )
    assert response.status_code == 302
    association = Association.objects.get(code="RSW")
    assert response["Location"] == reverse("web:association_detail", kwargs={"code": "RSW"})
    assert (association.region, association.founded, association.website) == (country.region_1, 2004, "")
    page = text_of(client.get(response["Location"]))
    assert "Northern Social Workers (RSW)" in page and "North (R1)" in page
    response = client.post(
        reverse("web:association_edit", kwargs={"code": "RSW"}),
        {"code": "RSW", "name": "Northern Social Workers", "scope": "national", "region": "R1"},
    )
    assert response.status_code == 400
    assert "A national association covers the whole country: leave the region empty." in text_of(response)
    response = client.post(
        reverse("web:association_edit", kwargs={"code": "RSW"}),
        {"code": "RSW", "name": "Social Workers", "scope": "national", "website": "rsw.example.org"},
    )
    association.refresh_from_db()
    assert (response.status_code, association.name, association.region, association.website) == (
        302,
        "Social Workers",
        None,
        "https://rsw.example.org",
    )


def test_a_regional_association_without_its_region_is_refused(
    personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    response = as_user(personas.national).post(
        reverse("web:association_new"), {"code": "X", "name": "X", "scope": "regional"}
    )
    assert response.status_code == 400
    assert "A regional association needs the region it covers." in text_of(response)
    assert not Association.objects.exists()


@pytest.mark.parametrize("name", ["subnational", "focal_point", "analyst", "administrator", "outsider"])
def test_only_a_national_data_manager_opens_the_association_forms(
    personas: Personas, national: Association, as_user: Callable[[Any], Client], name: str
) -> None:
    client = as_user(getattr(personas, name))
    assert client.get(reverse("web:association_new")).status_code == 403
    response = client.post(
        reverse("web:association_edit", kwargs={"code": "NASW"}),
        {"code": "NASW", "name": "Hijacked", "scope": "national"},
    )
    assert response.status_code == 403
    national.refresh_from_db()
    assert national.name == "National Association of Social Workers"


@pytest.mark.usefixtures("members")
def test_the_list_and_an_association_show_no_person_to_an_analyst(
    personas: Personas, as_user: Callable[[Any], Client], settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 3
    client = as_user(personas.analyst)
    page = text_of(client.get(reverse("web:association_list")))
    assert "National Association of Social Workers NASW National — 1990" in page
    assert "Add an association" not in page
    detail = client.get(reverse("web:association_detail", kwargs={"code": "NASW"}), {"day": "2024-12-31"})
    text = text_of(detail)
    # Two members, fewer than the smallest number shown (3) to an analyst: withheld; no name anywhere.
    assert "Members on" in text and "…" in text
    assert "Alice" not in text and "Grace" not in text and "Members" in text
    assert reverse("web:association_memberships", kwargs={"code": "NASW"}) not in detail.content.decode()
    national_page = text_of(
        as_user(personas.national).get(
            reverse("web:association_detail", kwargs={"code": "NASW"}), {"day": "2024-12-31"}
        )
    )
    assert "Members on 2024-12-31 2" in national_page


def test_the_members_of_an_association_are_those_the_reader_sees(
    personas: Personas, members: dict[str, Membership], as_user: Callable[[Any], Client]
) -> None:
    url = reverse("web:association_memberships", kwargs={"code": "NASW"})
    seen = {}
    for name in ("national", "subnational", "focal_point"):
        text = text_of(as_user(getattr(personas, name)).get(url))
        seen[name] = [who for who in ("Alice Banda", "Grace Daka") if who in text]
    assert seen == {
        "national": ["Alice Banda", "Grace Daka"],
        "subnational": ["Alice Banda"],
        "focal_point": ["Grace Daka"],
    }
    for name in ("analyst", "administrator", "outsider"):
        assert as_user(getattr(personas, name)).get(url).status_code == 403


def test_an_officer_records_a_member_of_their_area_and_not_another(
    personas: Personas, workforce: Workforce, national: Association, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(personas.subnational)
    url = reverse("web:association_membership_new", kwargs={"code": "NASW"})
    form = {"worker_id": "W-GRACE", "member_from": "2022-01-01", "kind": "full"}
    response = client.post(url, form)
    assert response.status_code == 400
    assert "No worker you may see has this worker ID." in text_of(response)
    response = client.post(url, form | {"worker_id": "W-ALICE", "number": "N-7"})
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert (membership.worker, membership.number, membership.history.latest().history_user) == (
        workforce.alice,
        "N-7",
        personas.subnational,
    )
    # The same worker again from a day of that membership: refused on the form, nothing written.
    response = client.post(url, form | {"worker_id": "W-ALICE", "member_from": "2023-01-01"})
    assert response.status_code == 400
    assert "It overlaps the membership from 2022-01-01, which has no end." in text_of(response)
    assert Membership.objects.count() == 1


def test_a_worker_s_memberships_are_recorded_and_ended_from_their_page(
    personas: Personas, workforce: Workforce, national: Association, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(personas.focal_point)
    worker_page = reverse("web:association_worker", kwargs={"worker_id": "W-GRACE"})
    detail = client.get(reverse("web:worker_detail", args=["W-GRACE"])).content.decode()
    assert f'href="{worker_page}"' in detail
    response = client.post(
        worker_page, {"association": "NASW", "member_from": "2020-05-01", "kind": "student", "number": ""}
    )
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert (membership.worker, membership.kind) == (workforce.grace, "student")
    text = text_of(client.get(worker_page))
    assert "National Association of Social Workers" in text and "Student member" in text
    end = reverse("web:association_membership_end", kwargs={"membership_uuid": membership.uuid})
    response = client.post(end, {"member_until": "2020-04-30"})
    assert response.status_code == 400
    assert "The membership cannot end before it begins." in text_of(response)
    response = client.post(end, {"member_until": "2024-06-30"})
    assert (response.status_code, response["Location"]) == (302, worker_page)
    membership.refresh_from_db()
    assert membership.member_until == D(2024, 6, 30)


def test_a_worker_out_of_sight_and_their_memberships_are_not_found(
    personas: Personas, members: dict[str, Membership], as_user: Callable[[Any], Client]
) -> None:
    client = as_user(personas.subnational)  # region R1: Alice, not Grace
    assert client.get(reverse("web:association_worker", kwargs={"worker_id": "W-GRACE"})).status_code == 404
    end = reverse("web:association_membership_end", kwargs={"membership_uuid": members["grace"].uuid})
    assert client.post(end, {"member_until": "2024-06-30"}).status_code == 404
    members["grace"].refresh_from_db()
    assert members["grace"].member_until is None
    assert (
        as_user(personas.analyst)
        .get(reverse("web:association_worker", kwargs={"worker_id": "W-ALICE"}))
        .status_code
        == 403
    )


@pytest.mark.usefixtures("members")
def test_the_membership_figures_table(
    personas: Personas, as_user: Callable[[Any], Client], settings: Any
) -> None:
    """2024: Alice (SW, D11) and Grace (CPV, D21) are members; Peter (SW, D11) is not; Brian left in 2023."""
    settings.SSWIS_SMALL_CELL_MIN = 2
    url = reverse("web:association_figures")
    national = text_of(as_user(personas.national).get(url, {"year": "2024", "location": "R1"}))
    assert "North R1 Social worker SW 2 1 1 50.0%" in national
    assert "Alpha D11 Social worker SW 2 1 1 50.0%" in national
    analyst = text_of(as_user(personas.analyst).get(url, {"year": "2024", "location": "R1"}))
    assert "Alpha D11 Social worker SW 2 … … …" in analyst
    assert as_user(personas.analyst).get(url, {"location": "NOWHERE"}).status_code == 404
    assert as_user(personas.outsider).get(url).status_code == 403


def _more(country: Country, personas: Personas, association: Association, count: int) -> None:
    for _ in range(count):
        worker = WorkerFactory(worker_id=f"W-MORE-{Membership.objects.count()}")
        AssignmentFactory(worker=worker, organisation=country.ministry, location=country.district_11)
        membership_create(
            actor=personas.national, worker=worker, association=association, member_from=D(2022, 1, 1)
        )
    association_create(
        actor=personas.national,
        code=f"A{Association.objects.count()}",
        name=f"Other {Association.objects.count()}",
    )


@pytest.mark.parametrize(
    ("route", "kwargs"),
    [
        ("association_list", {}),
        ("association_memberships", {"code": "NASW"}),
        ("association_worker", {"worker_id": "W-ALICE"}),
        ("association_figures", {}),
        ("association_detail", {"code": "NASW"}),
    ],
)
def test_lists_take_the_same_queries_for_one_and_three(
    personas: Personas,
    country: Country,
    workforce: Workforce,
    national: Association,
    as_user: Callable[[Any], Client],
    route: str,
    kwargs: dict[str, str],
) -> None:
    membership_create(
        actor=personas.national, worker=workforce.alice, association=national, member_from=D(2020, 1, 1)
    )
    _more(country, personas, national, 1)
    client = as_user(personas.subnational)
    url = reverse(f"web:{route}", kwargs=kwargs)
    one = queries_for(client, url)
    _more(country, personas, national, 2)
    other = association_create(actor=personas.national, code="EXTRA", name="Extra")
    membership_create(
        actor=personas.national, worker=workforce.alice, association=other, member_from=D(2020, 1, 1)
    )
    assert queries_for(client, url) == one
