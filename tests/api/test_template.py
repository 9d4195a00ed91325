"""``GET /api/v1/template/?format=xlsx|csv``: the blank mapping template, for users who may import."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from rest_framework.test import APIClient

from tests.conftest import Country

URL = "/api/v1/template/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Clients = Callable[[str | None], APIClient]


def content_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_anonymous_requests_are_refused_with_401(client_for: Clients, country: Country) -> None:
    response = client_for(None).get(URL + "?format=csv")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
@pytest.mark.parametrize("query", ["", "?format=xlsx", "?format=csv"])
def test_only_users_who_may_import_get_it(client_for: Clients, persona: str, query: str) -> None:
    response = client_for(persona).get(URL + query)

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only a national data manager, a subnational officer, an organisation focal point or a "
        "training institution's focal point may import a mapping template."
    }


@pytest.mark.parametrize("persona", ["subnational", "focal_point"])
def test_officers_and_focal_points_who_import_their_part_get_it_too(
    client_for: Clients, country: Country, persona: str
) -> None:
    response = client_for(persona).get(URL + "?format=csv")

    assert response.status_code == 200


@pytest.mark.parametrize("query", ["", "?format=xlsx"])
def test_the_workbook_is_the_default(client_for: Clients, country: Country, query: str) -> None:
    response = client_for("national").get(URL + query)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="sswis-mapping-template.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(content_of(response)))
    assert [cell.value for cell in workbook["lists"][1]] == [
        "locations",
        "organizations",
        "cadres",
        "registers",
        "programmes",
    ]
    assert [cell.value for cell in workbook["lists"]["B"]][:3] == ["organizations", "MSW", "NGO1"]


def test_the_csv_files_come_as_a_zip(client_for: Clients, country: Country) -> None:
    response = client_for("national").get(URL + "?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="sswis-mapping-template.zip"'
    assert zipfile.ZipFile(io.BytesIO(content_of(response))).namelist() == [
        "locations.csv",
        "population.csv",
        "organizations.csv",
        "cadres.csv",
        "posts.csv",
        "workers.csv",
        "assignments.csv",
        "registers.csv",
        "registrations.csv",
        "licences.csv",
        "programmes.csv",
        "completions.csv",
        "supervision.csv",
        "supervision_sessions.csv",
        "caseloads.csv",
        "instructions.csv",
    ]


def test_an_unknown_format_is_a_400_in_json(client_for: Clients, country: Country) -> None:
    response = client_for("national").get(URL + "?format=ods")

    assert response.status_code == 400
    assert response.json() == {"format": ['"ods" is not a valid choice.']}


def test_the_schema_documents_both_files(client_for: Clients) -> None:
    schema = APIClient().get("/api/v1/schema/?format=json").json()

    operation = schema["paths"][URL]["get"]
    assert set(operation["responses"]["200"]["content"]) == {XLSX, "application/zip"}
    assert [parameter["name"] for parameter in operation["parameters"]] == ["format"]
    assert operation["parameters"][0]["schema"]["enum"] == ["xlsx", "csv"]
