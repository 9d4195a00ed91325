"""ITI-90's Bundle: totals, _count and next links, POST _search, unknown parameters (strict and lenient),
formats, errors, scoping per persona and constant query counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.access.policy import scope_of
from tests.conftest import Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.fhir.conftest import Directory
from tests.fhir.helpers import entries, outcome, ref

Client = Callable[[str | None], APIClient]


@pytest.fixture
def national(directory: Directory, fhir_client: Client) -> APIClient:
    return fhir_client("national")


def _next(response: Any) -> str | None:
    links = {link["relation"]: link["url"] for link in response.json()["link"]}
    if "next" not in links:
        return None
    parts = urlsplit(links["next"])
    return f"{parts.path}?{parts.query}"


def test_pages_follow_next_links(directory: Directory, national: APIClient) -> None:
    first = national.get("/fhir/Practitioner?_count=2&identifier=urn:sswis:identifier:worker-id|")
    assert first.json()["total"] == 3
    assert entries(first) == [ref("Practitioner", directory.amina), ref("Practitioner", directory.joseph)]
    links = {link["relation"]: link["url"] for link in first.json()["link"]}
    assert links["self"] == (
        "http://testserver/fhir/Practitioner?_count=2&identifier=urn%3Asswis%3Aidentifier%3Aworker-id%7C"
    )
    following = _next(first)
    assert following is not None
    second = national.get(following)
    assert second.json()["total"] == 3
    assert entries(second) == [ref("Practitioner", directory.grace)]
    assert _next(second) is None


def test_a_page_is_not_shifted_by_a_new_row(directory: Directory, national: APIClient) -> None:
    """Keyset paging: a worker added between two pages comes at the end, nobody is repeated or skipped."""
    first = national.get("/fhir/Practitioner?_count=2")
    newcomer = WorkerFactory(worker_id="W000004", given_name="Esther", family_name="Mwale")
    second = national.get(_next(first) or "")
    assert entries(second) == [ref("Practitioner", directory.grace), ref("Practitioner", newcomer)]


def test_count_zero_gives_the_total_only(directory: Directory, national: APIClient) -> None:
    response = national.get("/fhir/Practitioner?_count=0")
    assert response.json()["total"] == 3
    assert response.json()["entry"] == []
    assert _next(response) is None


def test_total_none_skips_the_count(directory: Directory, national: APIClient) -> None:
    response = national.get("/fhir/Practitioner?_total=none")
    assert "total" not in response.json()
    assert len(entries(response)) == 3


def test_total_is_counted_up_to_a_cap_unless_accurate(
    directory: Directory, national: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sswis.fhir.search.TOTAL_COUNTED_UP_TO", 2)
    over = national.get("/fhir/Practitioner?_count=1")
    assert "total" not in over.json()  # 3 matches: more than the cap
    assert _next(over) is not None
    assert national.get("/fhir/Practitioner?_count=1&_total=accurate").json()["total"] == 3
    assert national.get("/fhir/Practitioner?_count=1&name=ban").json()["total"] == 2  # at the cap: exact


def test_default_count_is_fifty(directory: Directory, national: APIClient) -> None:
    location = directory.country.district_11
    for number in range(50):
        AssignmentFactory(
            worker=WorkerFactory(worker_id=f"X{number:03d}"),
            organisation=directory.country.ministry,
            location=location,
            cadre=directory.country.social_worker,
        )
    response = national.get("/fhir/Practitioner")
    assert response.json()["total"] == 53  # under the cap: exact
    assert len(entries(response)) == 50
    assert len(entries(national.get(_next(response) or ""))) == 3


def test_post_search_gives_the_same_as_get(directory: Directory, national: APIClient) -> None:
    query = {"name": "ban", "_count": "1", "_revinclude": "PractitionerRole:practitioner"}
    got = national.get("/fhir/Practitioner", query)
    posted = national.post(
        "/fhir/Practitioner/_search", urlencode(query), content_type="application/x-www-form-urlencoded"
    )
    assert posted.status_code == 200
    assert posted.json() == got.json()
    assert entries(posted) == [ref("Practitioner", directory.amina)]
    # The next page of a POST is a GET link.
    assert entries(national.get(_next(posted) or "")) == [ref("Practitioner", directory.grace)]


def test_post_search_takes_form_bodies_only(directory: Directory, national: APIClient) -> None:
    response = national.post("/fhir/Practitioner/_search", {"name": "ban"}, format="json")
    outcome(response, 415, "not-supported")
    outcome(national.get("/fhir/Practitioner/_search"), 405, "not-supported")
    # No body: the parameters of the URL alone.
    bare = national.post(
        "/fhir/Practitioner/_search?family=phi", "", content_type="application/x-www-form-urlencoded"
    )
    assert entries(bare) == [ref("Practitioner", directory.joseph)]


def test_unknown_parameter_refused_unless_lenient(directory: Directory, national: APIClient) -> None:
    assert "_sort" in outcome(national.get("/fhir/Practitioner?_sort=name"), 400, "invalid")
    assert "birthdate" in outcome(national.get("/fhir/Practitioner?birthdate=1990"), 400, "invalid")
    lenient = national.get(
        "/fhir/Practitioner?family=phi&_sort=name&colour=blue", HTTP_PREFER="handling=lenient"
    )
    assert entries(lenient) == [ref("Practitioner", directory.joseph)]
    [warning] = [
        entry["resource"] for entry in lenient.json()["entry"] if entry["search"]["mode"] == "outcome"
    ]
    assert warning["issue"][0]["severity"] == "warning"
    assert warning["issue"][0]["diagnostics"] == "Unknown parameters ignored: _sort, colour."
    # The ignored parameters are not repeated in the links.
    assert lenient.json()["link"][0]["url"] == "http://testserver/fhir/Practitioner?family=phi"
    strict = national.get("/fhir/Practitioner?colour=blue", HTTP_PREFER="handling=strict")
    outcome(strict, 400, "invalid")


@pytest.mark.parametrize(
    "query",
    ["_count=abc", "_count=1001", "_count=-1", "_count=1&_count=2", "_cursor=nonsense", "_total=maybe"],
)
def test_bad_result_parameters(query: str, directory: Directory, national: APIClient) -> None:
    outcome(national.get(f"/fhir/Practitioner?{query}"), 400, "invalid")


def test_formats(directory: Directory, national: APIClient) -> None:
    assert national.get("/fhir/Practitioner?_format=json").status_code == 200
    assert national.get("/fhir/Practitioner", HTTP_ACCEPT="application/json").status_code == 200
    outcome(national.get("/fhir/Practitioner?_format=xml"), 406, "not-supported")


def test_refusals(directory: Directory, fhir_client: Client) -> None:
    anonymous = fhir_client(None).get("/fhir/Practitioner")
    outcome(anonymous, 401, "login")
    assert anonymous["WWW-Authenticate"] == "Token"
    outcome(fhir_client("analyst").get("/fhir/Practitioner"), 403, "forbidden")
    outcome(fhir_client("administrator").get("/fhir/Location"), 403, "forbidden")
    outcome(fhir_client("outsider").get(f"/fhir/Practitioner/{directory.amina.uuid}"), 403, "forbidden")


def test_token_authentication(directory: Directory, personas: Personas) -> None:
    from knox.models import AuthToken

    _, key = AuthToken.objects.create(user=personas.subnational)
    client = APIClient()
    response = client.get("/fhir/Practitioner", HTTP_AUTHORIZATION=f"Token {key}")
    assert entries(response) == [ref("Practitioner", directory.amina), ref("Practitioner", directory.grace)]
    outcome(client.get("/fhir/Practitioner", HTTP_AUTHORIZATION="Token wrong"), 401, "login")


SCOPES = {
    "subnational": {
        "Practitioner": ["amina", "grace"],
        "PractitionerRole": ["amina_role", "grace_role"],
        "Organization": ["ministry", "office"],
        "Location": ["root", "r1", "d11", "d12"],
    },
    "focal_point": {
        "Practitioner": ["joseph"],
        "PractitionerRole": ["joseph_role"],
        "Organization": ["ngo"],
        "Location": ["root", "r2", "d21"],
    },
}


@pytest.mark.parametrize("persona", ["subnational", "focal_point"])
@pytest.mark.parametrize("type_name", ["Practitioner", "PractitionerRole", "Organization", "Location"])
def test_search_is_scoped(persona: str, type_name: str, directory: Directory, fhir_client: Client) -> None:
    objects = _objects(directory)
    response = fhir_client(persona).get(f"/fhir/{type_name}")
    assert entries(response) == [ref(type_name, objects[name]) for name in SCOPES[persona][type_name]]


def test_birth_date_for_national_and_subnational_only(directory: Directory, fhir_client: Client) -> None:
    directory.joseph.birth_date = datetime.date(1985, 7, 9)
    directory.joseph.save(update_fields=["birth_date", "updated_at"])
    [joseph] = [e["resource"] for e in fhir_client("focal_point").get("/fhir/Practitioner").json()["entry"]]
    assert "birthDate" not in joseph
    national = fhir_client("national").get(f"/fhir/Practitioner/{directory.joseph.uuid}").json()
    assert national["birthDate"] == "1985-07-09"
    amina = fhir_client("subnational").get(f"/fhir/Practitioner/{directory.amina.uuid}").json()
    assert amina["birthDate"] == "1990-04-02"


QUERY_COUNT_CASES = [
    ("Practitioner", "_revinclude=PractitionerRole:practitioner", ["amina"], ["amina", "joseph", "grace"]),
    (
        "PractitionerRole",
        "_include=PractitionerRole:practitioner,PractitionerRole:location",
        ["amina_role"],
        ["amina_role", "joseph_role", "grace_role"],
    ),
    ("Organization", "_revinclude=Location:organization", ["office"], ["ministry", "ngo", "office"]),
    ("Location", "_include=Location:organization", ["r1"], ["r1", "d11", "d21"]),
]


@pytest.mark.parametrize(("type_name", "include", "one", "three"), QUERY_COUNT_CASES)
def test_query_count_is_the_same_for_one_and_three_results(
    type_name: str,
    include: str,
    one: list[str],
    three: list[str],
    directory: Directory,
    personas: Personas,
    fhir_client: Client,
) -> None:
    """The rows of one result have every relation the three have (a parent, a registration...), so any
    query made per row would show."""
    objects = _objects(directory)
    client = fhir_client("national")
    scope_of(personas.national)
    counts = []
    for names in (one, three):
        ids = ",".join(str(objects[name].uuid) for name in names)
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"/fhir/{type_name}?_id={ids}&{include}")
        assert len(entries(response)) == len(names)
        assert entries(response, "include")  # the include brought something
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


def _objects(directory: Directory) -> dict[str, Any]:
    country = directory.country
    return {
        "amina": directory.amina,
        "joseph": directory.joseph,
        "grace": directory.grace,
        "amina_role": directory.amina_role,
        "joseph_role": directory.joseph_role,
        "grace_role": directory.grace_role,
        "ministry": country.ministry,
        "ngo": country.ngo,
        "office": directory.north_office,
        "root": country.root,
        "r1": country.region_1,
        "r2": country.region_2,
        "d11": country.district_11,
        "d12": country.district_12,
        "d21": country.district_21,
    }
