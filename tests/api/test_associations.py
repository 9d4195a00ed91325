"""The professional associations' API: associations (read by every role with aggregates, written by a national
data manager), memberships (the workers one sees; 404 out of sight), the membership figures, bad input named,
and query-count guards of every list."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.support.associations import association_create, membership_create
from sswis.support.models_associations import Association, Membership
from tests.api.conftest import Staffing, codes, results
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date
BASE = "/api/v1/support/associations/"


@pytest.fixture
def national(personas: Personas) -> Association:
    return association_create(
        actor=personas.national, code="NASW", name="National Association of Social Workers", founded=1990
    )


@pytest.fixture
def members(personas: Personas, staffing: Staffing, national: Association) -> dict[str, Membership]:
    """W000001 (D11: the officer's) and W000002 (D21: NGO1's) are members of NASW since 2022."""
    return {
        side: membership_create(
            actor=personas.national,
            worker=getattr(staffing, f"{side}_worker"),
            association=national,
            member_from=D(2022, 1, 1),
            number=f"N-{side}",
        )
        for side in ("north", "south")
    }


def test_a_national_data_manager_adds_and_changes_an_association(
    client_for: Callable[[str | None], APIClient], country: Country
) -> None:
    client = client_for("national")
    response = client.post(
        BASE,
        {
            "code": "RSW",
            "name": "Northern Social Workers",
            "scope": "regional",
            "region": "R1",
            "founded": 2004,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {key: body[key] for key in ("code", "scope", "region", "founded", "website", "members")} == {
        "code": "RSW",
        "scope": "regional",
        "region": "R1",
        "founded": 2004,
        "website": "",
        "members": 0,
    }
    response = client.patch(f"{BASE}RSW/", {"scope": "national"}, format="json")
    assert (response.status_code, response.json()["region"]) == (200, None)
    assert Association.objects.get().history.latest().history_user.username == "national"
    assert codes(client_for("analyst").get(BASE)) == ["RSW"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "X", "name": "X", "scope": "regional"}, "region"),
        ({"code": "X", "name": "X", "region": "NOWHERE"}, "region"),
        ({"code": "X", "name": "X", "scope": "planetary"}, "scope"),
        ({"code": "NASW", "name": "X"}, "code"),
        ({"code": "X\u0000", "name": "X"}, "code"),
        ({"code": "X", "name": "X", "website": "no site"}, "website"),
        ({"code": "X", "name": "X", "founded": 1200}, "founded"),
    ],
)
def test_a_bad_association_is_refused_naming_the_field(
    client_for: Callable[[str | None], APIClient], national: Association, body: dict[str, Any], field: str
) -> None:
    response = client_for("national").post(BASE, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Association.objects.count() == 1


@pytest.mark.parametrize("persona", ["subnational", "focal_point", "analyst", "administrator"])
def test_only_a_national_data_manager_writes_associations(
    client_for: Callable[[str | None], APIClient], national: Association, persona: str
) -> None:
    client = client_for(persona)
    assert client.get(f"{BASE}NASW/").status_code == 200
    assert client.post(BASE, {"code": "X", "name": "X"}, format="json").status_code == 403
    assert client.patch(f"{BASE}NASW/", {"name": "Hijacked"}, format="json").status_code == 403
    assert list(Association.objects.values_list("code", "name")) == [
        ("NASW", "National Association of Social Workers")
    ]


def test_outsiders_and_anonymous_callers_are_refused(
    client_for: Callable[[str | None], APIClient], national: Association
) -> None:
    assert client_for("outsider").get(BASE).status_code == 403
    assert client_for(None).get(BASE).status_code == 401


@pytest.mark.usefixtures("members")
def test_the_members_count_is_withheld_when_small_for_aggregate_readers(
    client_for: Callable[[str | None], APIClient], settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 3
    assert client_for("national").get(f"{BASE}NASW/?day=2024-01-01").json()["members"] == 2
    assert client_for("analyst").get(f"{BASE}NASW/?day=2024-01-01").json()["members"] is None
    assert client_for("analyst").get(f"{BASE}NASW/?day=2021-01-01").json()["members"] == 0
    assert client_for("analyst").get(f"{BASE}NASW/?day=someday").status_code == 400


@pytest.mark.usefixtures("members")
def test_the_members_of_an_association_are_those_the_caller_sees(
    client_for: Callable[[str | None], APIClient],
) -> None:
    url = f"{BASE}NASW/memberships/"
    seen = {
        persona: [row["worker"]["worker_id"] for row in results(client_for(persona).get(url))]
        for persona in ("national", "subnational", "focal_point")
    }
    assert seen == {
        "national": ["W000001", "W000002"],
        "subnational": ["W000001"],
        "focal_point": ["W000002"],
    }
    row = results(client_for("subnational").get(url))[0]
    assert {key: row[key] for key in ("association", "member_from", "member_until", "number", "kind")} == {
        "association": "NASW",
        "member_from": "2022-01-01",
        "member_until": None,
        "number": "N-north",
        "kind": "full",
    }
    assert results(client_for("national").get(f"{url}?day=2021-12-31")) == []
    for persona in ("analyst", "administrator", "outsider"):
        assert client_for(persona).get(url).status_code == 403


def test_an_officer_records_a_member_of_their_area_only(
    client_for: Callable[[str | None], APIClient], staffing: Staffing, national: Association
) -> None:
    client = client_for("subnational")
    url = f"{BASE}NASW/memberships/"
    response = client.post(url, {"worker_id": "W000002", "member_from": "2023-01-01"}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"worker_id": ["No worker you may see has this worker ID."]},
    )
    response = client.post(
        url, {"worker_id": "W000001", "member_from": "2023-01-01", "kind": "associate"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["worker"]["worker_id"], response.json()["kind"]) == ("W000001", "associate")
    response = client.post(url, {"worker_id": "W000001", "member_from": "2024-01-01"}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"member_from": ["It overlaps the membership from 2023-01-01, which has no end."]},
    )
    assert Membership.objects.count() == 1


def test_a_worker_s_memberships_are_recorded_changed_and_ended(
    client_for: Callable[[str | None], APIClient], staffing: Staffing, national: Association
) -> None:
    client = client_for("focal_point")
    url = f"{BASE}workers/W000002/"
    response = client.post(
        url, {"association": "NASW", "member_from": "2021-02-01", "number": "S-9"}, format="json"
    )
    assert response.status_code == 201, response.content
    uuid = response.json()["uuid"]
    assert [row["uuid"] for row in results(client.get(url))] == [uuid]
    response = client.patch(f"{BASE}memberships/{uuid}/", {"kind": "student"}, format="json")
    assert (response.status_code, response.json()["kind"]) == (200, "student")
    response = client.post(f"{BASE}memberships/{uuid}/end/", {"member_until": "2021-01-01"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["member_until"])
    response = client.post(f"{BASE}memberships/{uuid}/end/", {"member_until": "2024-06-30"}, format="json")
    assert (response.status_code, response.json()["member_until"]) == (200, "2024-06-30")
    membership = Membership.objects.get()
    assert [record.history_user.username for record in membership.history.order_by("history_date")] == [
        "hope",
        "hope",
        "hope",
    ]
    response = client.post(url, {"association": "NOPE", "member_from": "2021-02-01"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["association"])


def test_a_worker_or_a_membership_out_of_sight_is_not_found(
    client_for: Callable[[str | None], APIClient], members: dict[str, Membership]
) -> None:
    client = client_for("subnational")
    south = members["south"]
    assert client.get(f"{BASE}workers/W000002/").status_code == 404
    assert (
        client.post(
            f"{BASE}workers/W000002/", {"association": "NASW", "member_from": "2020-01-01"}, format="json"
        ).status_code
        == 404
    )
    assert client.get(f"{BASE}memberships/{south.uuid}/").status_code == 404
    assert (
        client.post(
            f"{BASE}memberships/{south.uuid}/end/", {"member_until": "2024-01-01"}, format="json"
        ).status_code
        == 404
    )
    south.refresh_from_db()
    assert (south.member_until, south.history.count()) == (None, 1)
    assert client_for("analyst").get(f"{BASE}memberships/{south.uuid}/").status_code == 403


@pytest.mark.usefixtures("members")
def test_the_membership_figures(client_for: Callable[[str | None], APIClient], settings: Any) -> None:
    """2024: W000001 (SW, D11) and W000002 (PSW, D21) are counted and members."""
    settings.SSWIS_SMALL_CELL_MIN = 2
    national = results(client_for("national").get(f"{BASE}figures/?year=2024&location=R1"))
    assert [
        (row["location"], row["cadre"], row["counted"], row["members"], row["share"]) for row in national
    ] == [
        ("R1", "SW", 1, 1, 1.0),
        ("D11", "SW", 1, 1, 1.0),
    ]
    analyst = results(client_for("analyst").get(f"{BASE}figures/?year=2024&location=R1&depth=0"))
    assert analyst == [
        {
            "year": 2024,
            "location": "R1",
            "location_name": "North",
            "cadre": "SW",
            "cadre_name": "Social worker",
            "counted": 1,
            "members": None,
            "non_members": None,
            "share": None,
            "withheld": True,
        }
    ]
    response = client_for("analyst").get(f"{BASE}figures/?year=1066")
    assert (response.status_code, list(response.json())) == (400, ["year"])
    assert client_for("outsider").get(f"{BASE}figures/").status_code == 403


def _more(country: Country, personas: Personas, association: Association, count: int) -> None:
    for _ in range(count):
        worker = WorkerFactory(worker_id=f"W-MORE-{Membership.objects.count()}")
        AssignmentFactory(worker=worker, organisation=country.ministry, location=country.district_11)
        membership_create(
            actor=personas.national, worker=worker, association=association, member_from=D(2022, 1, 1)
        )
    number = Association.objects.count()
    association_create(actor=personas.national, code=f"A{number}", name=f"Other {number}")


@pytest.mark.parametrize(
    "url", [BASE, f"{BASE}NASW/memberships/", f"{BASE}workers/W000001/", f"{BASE}figures/?year=2024"]
)
def test_lists_take_the_same_queries_for_one_and_three(
    client_for: Callable[[str | None], APIClient],
    personas: Personas,
    country: Country,
    staffing: Staffing,
    national: Association,
    url: str,
) -> None:
    membership_create(
        actor=personas.national, worker=staffing.north_worker, association=national, member_from=D(2020, 1, 1)
    )
    _more(country, personas, national, 0)
    client = client_for("subnational")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()  # the caller's scope is read once and kept on the user
    one = count()
    _more(country, personas, national, 2)
    other = association_create(actor=personas.national, code="EXTRA", name="Extra")
    membership_create(
        actor=personas.national, worker=staffing.north_worker, association=other, member_from=D(2020, 1, 1)
    )
    assert count() == one
