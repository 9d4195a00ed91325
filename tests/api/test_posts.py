"""``/api/v1/posts/``: the establishment, for person roles in their scope (analysts and administrators: 403)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from sswis.registry.models import Post
from tests.api.conftest import Staffing, codes, timestamp
from tests.conftest import Country, Personas
from tests.factories import PostFactory

URL = "/api/v1/posts/"
Client = Callable[[str | None], APIClient]


def test_national_reads_a_post_with_every_field(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").get(f"{URL}P001/")

    post = staffing.north_post
    assert response.status_code == 200
    assert response.json() == {
        "uuid": str(post.uuid),
        "code": "P001",
        "organisation": "MSW",
        "location": "D11",
        "cadre": "SW",
        "grade": "G7",
        "funded": True,
        "established_on": "2019-01-01",
        "abolished_on": None,
        "is_filled": True,
        "updated_at": timestamp(Post.objects.get(pk=post.pk).updated_at),
    }


def test_is_filled_is_computed_for_the_date_parameter(client_for: Client, staffing: Staffing) -> None:
    client = client_for("national")

    assert client.get(f"{URL}P001/?date=2020-02-29").json()["is_filled"] is False
    assert client.get(f"{URL}P001/?date=2020-03-01").json()["is_filled"] is True
    assert client.get(f"{URL}P002/").json()["is_filled"] is False


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("national", ["P001", "P002"]), ("subnational", ["P001"]), ("focal_point", ["P002"])],
)
def test_person_roles_list_the_posts_in_their_scope(
    client_for: Client, staffing: Staffing, persona: str, expected: list[str]
) -> None:
    assert codes(client_for(persona).get(URL)) == expected


def test_out_of_scope_post_is_not_found(client_for: Client, staffing: Staffing) -> None:
    assert client_for("subnational").get(f"{URL}P002/").status_code == 404
    assert client_for("focal_point").get(f"{URL}P001/").status_code == 404
    assert client_for("focal_point").get(f"{URL}P002/").status_code == 200


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_roles_without_person_records_are_refused(
    client_for: Client, staffing: Staffing, persona: str
) -> None:
    client = client_for(persona)

    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}P001/").status_code == 403


def test_anonymous_is_refused(client_for: Client, staffing: Staffing) -> None:
    assert client_for(None).get(URL).status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("organisation=NGO1", ["P002", "P003"]),
        ("organisation=MSW", ["P001"]),
        ("location=R1", ["P001"]),
        ("cadre=SW", ["P001"]),
        ("funded=false", ["P003"]),
        ("is_filled=true", ["P001"]),
        ("is_filled=false", ["P002", "P003"]),
        ("vacant_on=2024-12-31", ["P002", "P003"]),
        ("vacant_on=2024-12-31&funded=true", ["P002"]),
        ("vacant_on=2019-06-01", ["P001", "P002", "P003"]),
        ("vacant_on=2018-06-01", ["P002", "P003"]),  # P001 was established in 2019
        ("vacant_on=2024-12-31&date=2024-12-31", ["P002", "P003"]),
    ],
)
def test_filters(
    client_for: Client, staffing: Staffing, country: Country, query: str, expected: list[str]
) -> None:
    PostFactory(
        code="P003",
        organisation=country.ngo,
        location=country.district_21,
        cadre=country.volunteer,
        funded=False,
    )

    assert codes(client_for("national").get(f"{URL}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date=2024-13-01", "date"),
        ("vacant_on=soon", "vacant_on"),
        ("date=2024-01-01&vacant_on=2024-12-31", "date"),
    ],
)
def test_bad_dates_are_bad_requests(client_for: Client, staffing: Staffing, query: str, field: str) -> None:
    response = client_for("national").get(f"{URL}?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [field]


NEW_POST = {"code": "P010", "organisation": "MSW", "location": "D12", "cadre": "SW", "grade": "G5"}


@pytest.mark.parametrize("persona", ["national", "subnational"])
def test_create_in_scope(client_for: Client, staffing: Staffing, personas: Personas, persona: str) -> None:
    response = client_for(persona).post(URL, NEW_POST, format="json")

    assert response.status_code == 201, response.content
    post = Post.objects.get(code="P010")
    assert response.json() == {
        "uuid": str(post.uuid),
        "code": "P010",
        "organisation": "MSW",
        "location": "D12",
        "cadre": "SW",
        "grade": "G5",
        "funded": True,
        "established_on": None,
        "abolished_on": None,
        "is_filled": False,
        "updated_at": timestamp(post.updated_at),
    }
    assert post.history.get().history_user == getattr(personas, persona)


def test_focal_point_creates_posts_of_their_organisation_only(client_for: Client, staffing: Staffing) -> None:
    client = client_for("focal_point")

    own = client.post(URL, {**NEW_POST, "organisation": "NGO1", "location": "D21"}, format="json")
    other = client.post(URL, {**NEW_POST, "code": "P011"}, format="json")

    assert (own.status_code, other.status_code) == (201, 403)
    assert sorted(Post.objects.values_list("code", flat=True)) == ["P001", "P002", "P010"]


def test_create_outside_scope_is_forbidden_and_writes_nothing(client_for: Client, staffing: Staffing) -> None:
    response = client_for("subnational").post(URL, {**NEW_POST, "location": "D21"}, format="json")

    assert response.status_code == 403
    assert Post.objects.filter(code="P010").exists() is False


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_roles_without_person_records_may_not_create(
    client_for: Client, staffing: Staffing, persona: str
) -> None:
    assert client_for(persona).post(URL, NEW_POST, format="json").status_code == 403
    assert Post.objects.count() == 2


def test_validation_errors_name_field_and_value(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").post(
        URL,
        {**NEW_POST, "cadre": "XX", "established_on": "2024-01-01", "abolished_on": "2023-01-01"},
        format="json",
    )
    abolished_first = client_for("national").post(
        URL, {**NEW_POST, "established_on": "2024-01-01", "abolished_on": "2023-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"cadre": ['No cadre with code "XX".']}
    assert (abolished_first.status_code, list(abolished_first.json())) == (400, ["non_field_errors"])
    assert Post.objects.count() == 2


def test_patch_in_scope_is_audited(client_for: Client, staffing: Staffing, personas: Personas) -> None:
    response = client_for("subnational").patch(f"{URL}P001/", {"grade": "G8", "funded": False}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["grade"], response.json()["funded"], response.json()["is_filled"]) == (
        "G8",
        False,
        True,
    )
    latest = Post.objects.get(code="P001").history.latest()
    assert (latest.grade, latest.history_user) == ("G8", personas.subnational)


def test_moving_a_post_out_of_scope_is_forbidden(client_for: Client, staffing: Staffing) -> None:
    response = client_for("subnational").patch(f"{URL}P001/", {"location": "D21"}, format="json")

    assert response.status_code == 403
    assert Post.objects.get(code="P001").location.code == "D11"


def test_patch_out_of_scope_is_not_found(client_for: Client, staffing: Staffing) -> None:
    assert client_for("focal_point").patch(f"{URL}P001/", {"grade": "X"}, format="json").status_code == 404
    assert Post.objects.get(code="P001").grade == "G7"


def test_put(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").put(
        f"{URL}P002/",
        {
            "code": "P002",
            "organisation": "NGO1",
            "location": "D21",
            "cadre": "PSW",
            "established_on": "2022-01-01",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert Post.objects.get(code="P002").established_on == datetime.date(2022, 1, 1)
