"""The DHIS2 page and API: national data managers only (officer, analyst, administrator, outsider
refused); the export downloaded, the mapping imported from the page, a push run as a background job (the
immediate backend in tests) against the fake DHIS2, the history with its conflicts, and the query counts
of the history's lists with 1 and 3 pushes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sswis.dhis2.fake import FakeDhis2
from sswis.dhis2.formats import adx_validate
from sswis.dhis2.models import DataElementMapping, Dhis2Mapping, Dhis2Push, Dhis2PushConflict
from tests.conftest import Country, Personas
from tests.dhis2.conftest import MAPPING_CSV

TOKEN = "d2pat_test_token"


@pytest.fixture
def dhis2(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDhis2]:
    with FakeDhis2(mode="warning", reject=[0]) as fake:
        monkeypatch.setenv("SSWIS_DHIS2_URL", fake.url)
        monkeypatch.setenv("SSWIS_DHIS2_TOKEN", TOKEN)
        yield fake


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def pushes(count: int) -> list[Dhis2Push]:
    made = []
    for number in range(count):
        push = Dhis2Push.objects.create(
            origin="command", url="https://dhis2.example", year=2020 + number, format="json", status="warning"
        )
        Dhis2PushConflict.objects.create(
            push=push, object="X", value="Period is locked", index=0, sent_value=str(number)
        )
        made.append(push)
    return made


def test_refused_personas(mapped: Country, personas: Personas) -> None:
    for user in (
        personas.subnational,
        personas.analyst,
        personas.administrator,
        personas.outsider,
        personas.focal_point,
    ):
        assert web(user).get(reverse("web:dhis2")).status_code == 403
        assert web(user).get(reverse("web:dhis2_export"), {"year": 2024}).status_code == 403
        assert api(user).get("/api/v1/dhis2/pushes/").status_code == 403
        assert api(user).post("/api/v1/dhis2/pushes/", {"year": 2024}, format="json").status_code == 403
        assert api(user).get("/api/v1/dhis2/export/", {"year": 2024}).status_code == 403
    assert Dhis2Push.objects.count() == 0
    assert Client().get(reverse("web:dhis2")).status_code == 302


def test_page_push_runs_in_the_background_and_shows_its_conflicts(
    mapped: Country, personas: Personas, dhis2: FakeDhis2
) -> None:
    client = web(personas.national)
    response = client.post(reverse("web:dhis2_push_run"), {"year": "2024", "format": "adx", "dry_run": "on"})
    push = Dhis2Push.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dhis2_push", kwargs={"push_uuid": push.uuid})
    assert (push.user, push.origin, push.status, push.dry_run, push.format, push.values_sent) == (
        personas.national,
        "page",
        "warning",
        True,
        "adx",
        35,
    )
    assert dhis2.requests[0].query["dryRun"] == ["true"]
    page = client.get(response["Location"]).content.decode()
    assert "Organisation unit not in hierarchy of current user" in page
    assert "workforce.count numerator" in page
    assert "OUkd0000001" in page
    listing = client.get(reverse("web:dhis2")).content.decode()
    assert "Warning (some values rejected)" in listing


def test_page_push_without_server_says_so(
    mapped: Country, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSWIS_DHIS2_URL", raising=False)
    response = web(personas.national).post(reverse("web:dhis2_push_run"), {"year": "2024", "format": "json"})
    assert response.status_code == 400
    assert "No DHIS2 server is set: set SSWIS_DHIS2_URL on the server." in response.content.decode()
    assert Dhis2Push.objects.count() == 0


def test_page_export_download(mapped: Country, personas: Personas) -> None:
    client = web(personas.national)
    response = client.get(reverse("web:dhis2_export"), {"year": "2024", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sswis-dhis2-2024.json"'
    assert response["X-SSWIS-Not-Sent"] == "locations=1; indicators=10; groups=2; unknown=0"
    assert len(json.loads(response.content)["dataValues"]) == 35
    response = client.get(reverse("web:dhis2_export"), {"year": "2024", "format": "adx"})
    assert response["Content-Type"] == "application/adx+xml"
    adx_validate(response.content)
    response = client.get(reverse("web:dhis2_export"), {"year": "1800"})
    assert response.status_code == 400


def test_page_mapping_import(world: Country, personas: Personas) -> None:
    client = web(personas.national)
    bad = MAPPING_CSV.replace("sex,female", "sex,woman")
    response = client.post(
        reverse("web:dhis2_mapping"), {"file": SimpleUploadedFile("bad.csv", bad.encode())}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "line 5: Unknown group &#x27;woman&#x27; of sex" in page[page.find("error-summary") :], page[
        page.find("<main") :
    ][:1500]
    assert Dhis2Mapping.objects.count() == 0
    response = client.post(
        reverse("web:dhis2_mapping"), {"file": SimpleUploadedFile("good.csv", MAPPING_CSV.encode())}
    )
    assert response.status_code == 302
    assert DataElementMapping.objects.count() == 7
    assert Dhis2Mapping.objects.get().imported_by == personas.national
    assert client.get(reverse("web:dhis2_mapping")).content.decode().startswith("record,indicator,part")
    assert (
        client.get(reverse("web:dhis2_mapping_example")).content.decode().startswith("record,indicator,part")
    )


def test_api_push_history_and_export(mapped: Country, personas: Personas, dhis2: FakeDhis2) -> None:
    client = api(personas.national)
    response = client.post("/api/v1/dhis2/pushes/", {"year": 2024, "format": "json"}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["user"], body["origin"], body["import_count"]) == (
        "warning",
        "national",
        "api",
        {"imported": 34, "updated": 0, "ignored": 1, "deleted": 0},
    )
    assert body["conflicts"] == [
        {
            "object": "ImspTQPwCqd",
            "value": "Organisation unit not in hierarchy of current user",
            "error_code": "E7617",
            "property": "orgUnit",
            "index": 0,
            "data_element": "DEcount0001",
            "org_unit": "OUkd0000001",
            "category_option_combo": "",
            "attribute_option_combo": "",
            "sent_value": "5",
            "location": "KD",
            "figure": "workforce.count numerator",
        }
    ]
    listing = client.get("/api/v1/dhis2/pushes/").json()
    assert [p["id"] for p in listing["results"]] == [body["id"]]
    assert client.get(f"/api/v1/dhis2/pushes/{body['id']}/").json()["conflicts"][0]["index"] == 0
    assert client.post("/api/v1/dhis2/pushes/", {"year": "twenty"}, format="json").status_code == 400
    export = client.get("/api/v1/dhis2/export/", {"year": 2024, "format": "adx"})
    assert export.status_code == 200
    adx_validate(export.content)
    assert client.get("/api/v1/dhis2/export/", {"year": 2024}).json()["period"] == "2024"
    assert client.get("/api/v1/dhis2/export/").status_code == 400


def test_api_export_without_mapping(world: Country, personas: Personas) -> None:
    for format in ("json", "adx"):
        response = api(personas.national).get("/api/v1/dhis2/export/", {"year": 2024, "format": format})
        assert (response.status_code, response["Content-Type"]) == (409, "application/json")
        assert "No DHIS2 mapping is imported" in response.json()["detail"]


@pytest.mark.parametrize("count", [1, 3])
def test_history_list_queries(
    country: Country, personas: Personas, django_assert_num_queries: Any, count: int
) -> None:
    pushes(count)
    client = web(personas.national)
    client.get(reverse("web:dhis2"))  # the session and the language are settled
    with django_assert_num_queries(WEB_QUERIES):
        assert client.get(reverse("web:dhis2")).status_code == 200
    rest = api(personas.national)
    with django_assert_num_queries(API_QUERIES):
        assert len(rest.get("/api/v1/dhis2/pushes/").json()["results"]) == count


WEB_QUERIES = 8  # session, user, scope, the mapping, its two counts, the pushes and their count
API_QUERIES = 3  # the scope, the pushes and their count (the user is forced)
