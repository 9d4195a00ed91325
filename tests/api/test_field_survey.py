"""Field surveys through the API: ``GET /api/v1/xlsform/`` and ``POST /api/v1/imports/submissions/``,
queued and followed like a template upload. National data managers only."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from sswis.imports.models import ImportRecord, ImportStatus
from sswis.registry.models import Worker
from sswis.surveys.models import PerceptionResponse, SurveyRound
from tests.surveys.fake_servers import KOBO_TOKEN, kobo_server
from tests.surveys.test_import_submissions import kobo_record

Client = Callable[[str | None], APIClient]
URL = "/api/v1/imports/submissions/"


def test_the_questionnaire(client_for: Client) -> None:
    response = client_for("national").get("/api/v1/xlsform/?perceptions=true")
    questions = [
        row[1] for row in load_workbook(io.BytesIO(response.content))["survey"].iter_rows(values_only=True)
    ]

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sswis-worker-mapping-perceptions.xlsx"'
    assert "job_satisfaction" in questions


def test_a_questionnaire_parameter_that_is_not_true_or_false_is_refused(client_for: Client) -> None:
    response = client_for("national").get("/api/v1/xlsform/?perceptions=1")

    assert response.status_code == 400
    assert list(response.json()) == ["perceptions"]


def test_kobo_submissions_are_queued_and_imported(client_for: Client, survey_round: SurveyRound) -> None:
    with kobo_server(assets={"aXYZ": [kobo_record(1), kobo_record(2)]}) as server:
        response = client_for("national").post(
            URL,
            {"source": "kobo", "kobo_url": server.url, "asset": "aXYZ", "token": KOBO_TOKEN, "round": "2025"},
            format="json",
        )
    body = response.json()
    record = ImportRecord.objects.get()

    assert response.status_code == 202
    assert response["Location"] == body["url"] == f"http://testserver/api/v1/imports/{record.uuid}/"
    assert (body["status"], body["file_name"]) == (ImportStatus.FINISHED, f"{server.url} asset aXYZ")
    assert "token" not in body and KOBO_TOKEN not in response.content.decode()
    assert (Worker.objects.count(), PerceptionResponse.objects.count()) == (2, 2)


def test_an_export_file_as_multipart_form_data(client_for: Client) -> None:
    export = SimpleUploadedFile("export.json", json.dumps([kobo_record(1)]).encode())
    response = client_for("national").post(URL, {"source": "file", "file": export, "dry_run": "true"})

    assert response.status_code == 202
    assert (response.json()["mode"], response.json()["imported"]) == ("dry_run", False)
    assert not Worker.objects.exists()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"source": "kobo", "kobo_url": "https://kf.example.org"}, {"asset", "token"}),
        ({"source": "central"}, {"central_url", "project", "form_id", "username", "password"}),
        ({"source": "file"}, {"file"}),
        ({"source": "ftp"}, {"source"}),
        (
            {
                "source": "kobo",
                "kobo_url": "https://kf.example.org",
                "asset": "a",
                "token": "t",
                "round": "1999",
            },
            {"round"},
        ),
    ],
)
def test_what_is_missing_is_named_and_nothing_is_kept(
    client_for: Client, body: dict[str, Any], expected: set[str]
) -> None:
    response = client_for("national").post(URL, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == expected
    assert not ImportRecord.objects.exists()


def test_a_refused_token_is_a_400_with_the_servers_reason(client_for: Client) -> None:
    with kobo_server(assets={"aXYZ": [kobo_record(1)]}) as server:
        response = client_for("national").post(
            URL, {"source": "kobo", "kobo_url": server.url, "asset": "aXYZ", "token": "wrong"}, format="json"
        )

    assert response.status_code == 400
    assert "refused the API token (HTTP 401)" in response.json()["non_field_errors"][0]
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("subnational", 403),
        ("focal_point", 403),
        ("analyst", 403),
        ("administrator", 403),
        ("outsider", 403),
        (None, 401),
    ],
)
def test_only_a_national_data_manager(client_for: Client, persona: str | None, status: int) -> None:
    client = client_for(persona)

    assert client.get("/api/v1/xlsform/").status_code == status
    assert client.post(URL, {"source": "file"}, format="json").status_code == status
