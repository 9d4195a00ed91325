"""The field survey page: the questionnaire to download, and submissions imported from an export file,
KoboToolbox or ODK Central, followed on the import's page like an upload. National data managers only."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from sswis.imports.models import ImportRecord, ImportStatus
from sswis.registry.models import Worker
from sswis.surveys.models import ImportedSubmission, PerceptionResponse, SurveyRound
from tests.conftest import Personas
from tests.surveys.fake_servers import (
    CENTRAL_EMAIL,
    CENTRAL_PASSWORD,
    KOBO_TOKEN,
    central_server,
    kobo_server,
)
from tests.surveys.test_import_submissions import central_record, kobo_record

PAGE = "/imports/submissions/"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_offers_both_questionnaires_and_the_sources(personas: Personas) -> None:
    html = signed_in(personas.national).get(PAGE).content.decode()

    assert 'href="/imports/submissions/xlsform/"' in html
    assert 'href="/imports/submissions/xlsform/?perceptions=1"' in html
    assert all(f'value="{source}"' in html for source in ("file", "kobo", "central"))


@pytest.mark.parametrize("persona", ["subnational", "focal_point", "analyst", "administrator", "outsider"])
def test_only_a_national_data_manager_may_use_it(personas: Personas, persona: str) -> None:
    client = signed_in(getattr(personas, persona))

    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}xlsform/").status_code == 403
    assert client.post(PAGE, {"source": "kobo"}).status_code == 403


def test_anonymous_visitors_sign_in_first(db: Any) -> None:
    response = Client().get(PAGE)

    assert (response.status_code, response["Location"]) == (302, f"/login/?next={PAGE}")


@pytest.mark.parametrize(("query", "with_perceptions"), [("", False), ("?perceptions=1", True)])
def test_the_questionnaire_downloads_as_an_xlsform(
    personas: Personas, query: str, with_perceptions: bool
) -> None:
    response = signed_in(personas.national).get(f"{PAGE}xlsform/{query}")
    workbook = load_workbook(io.BytesIO(response.content))
    questions = [row[1] for row in workbook["survey"].iter_rows(values_only=True)]

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert workbook.sheetnames[:3] == ["survey", "choices", "settings"]
    assert ("job_satisfaction" in questions) is with_perceptions
    assert "given_name" in questions


def test_kobo_submissions_are_kept_imported_and_the_token_is_not(
    personas: Personas, survey_round: SurveyRound, data_dir: Path
) -> None:
    records = [kobo_record(1), kobo_record(2), kobo_record(3)]
    with kobo_server(assets={"aXYZ": records}) as server:
        response = signed_in(personas.national).post(
            PAGE,
            {
                "source": "kobo",
                "kobo_url": server.url,
                "asset": "aXYZ",
                "token": KOBO_TOKEN,
                "survey_round": "2025",
            },
        )
    record = ImportRecord.objects.get()
    kept = (data_dir / record.stored_path).read_bytes()

    assert (response.status_code, response["Location"]) == (302, f"/imports/{record.uuid}/")
    assert (record.status, record.imported, record.user) == (ImportStatus.FINISHED, True, personas.national)
    assert record.file_name == f"{server.url} asset aXYZ"
    assert record.summary == "Imported: 9 created, 0 updated, 0 unchanged."
    assert sorted(Worker.objects.values_list("given_name", flat=True)) == ["Amina", "Baraka", "Chausiku"]
    assert (ImportedSubmission.objects.count(), PerceptionResponse.objects.count()) == (3, 3)
    assert json.loads(kept) == {"results": records}
    assert KOBO_TOKEN not in kept.decode() + json.dumps(record.report) + record.file_name
    page = signed_in(personas.national).get(f"/imports/{record.uuid}/").content.decode()
    assert "Imported: 9 created, 0 updated, 0 unchanged." in page


def test_central_submissions_through_the_page(
    personas: Personas, survey_round: SurveyRound, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    forms = {(1, "sswis_worker_mapping"): [central_record(1), central_record(2)]}
    with central_server(forms=forms) as server:
        signed_in(personas.national).post(
            PAGE,
            {
                "source": "central",
                "central_url": server.url,
                "project": "1",
                "form_id": "sswis_worker_mapping",
                "username": CENTRAL_EMAIL,
                "password": CENTRAL_PASSWORD,
                "survey_round": "2025",
                "dry_run": "",
            },
        )
    record = ImportRecord.objects.get()

    assert record.file_name == f"{server.url} project 1 form sswis_worker_mapping"
    assert (record.status, record.imported, Worker.objects.count()) == (ImportStatus.FINISHED, True, 2)
    assert CENTRAL_PASSWORD not in json.dumps(record.report) + record.file_name
    assert list(tmp_path.iterdir()) == []  # nothing written to the user's home


def test_an_export_file_is_checked_in_a_dry_run_and_nothing_is_written(personas: Personas) -> None:
    export = json.dumps({"results": [kobo_record(1), kobo_record(2)]}).encode()
    response = signed_in(personas.national).post(
        PAGE,
        {"source": "file", "file": SimpleUploadedFile("kobo-export.json", export), "dry_run": "on"},
    )
    record = ImportRecord.objects.get()

    assert response.status_code == 302
    assert (record.file_name, record.mode, record.status) == (
        "kobo-export.json",
        "dry_run",
        ImportStatus.FINISHED,
    )
    assert record.imported is False
    assert record.counts["workers.csv"]["created"] == 2
    assert (Worker.objects.count(), ImportedSubmission.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"source": "kobo", "kobo_url": "http://127.0.0.1:9"}, "asset", "Needed for this source."),
        ({"source": "central", "central_url": "http://127.0.0.1:9"}, "project", "Needed for this source."),
        ({"source": "file"}, "file", "Needed for this source."),
        (
            {"source": "file", "file": SimpleUploadedFile("notes.txt", b"x")},
            "file",
            "Choose a .csv, .xlsx or .json export file.",
        ),
        ({"source": "kobo", "kobo_url": "http://x", "asset": "a\u0010", "token": "t"}, "asset", "U+0010"),
    ],
)
def test_what_a_source_needs_is_asked_for_and_nothing_is_kept(
    personas: Personas, form: dict[str, Any], field: str, message: str
) -> None:
    response = signed_in(personas.national).post(PAGE, form)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not ImportRecord.objects.exists()


def test_a_server_that_refuses_is_said_and_nothing_is_kept(personas: Personas) -> None:
    with kobo_server(assets={"aXYZ": [kobo_record(1)]}) as server:
        response = signed_in(personas.national).post(
            PAGE, {"source": "kobo", "kobo_url": server.url, "asset": "aXYZ", "token": "wrong"}
        )

    assert response.status_code == 400
    assert "refused the API token (HTTP 401)" in " ".join(response.context["form"].non_field_errors())
    assert 'value="wrong"' not in response.content.decode()  # a secret is never sent back
    assert not ImportRecord.objects.exists()


def test_an_unknown_survey_round_is_refused(personas: Personas) -> None:
    response = signed_in(personas.national).post(
        PAGE, {"source": "kobo", "kobo_url": "http://x", "asset": "a", "token": "t", "survey_round": "1999"}
    )

    assert response.status_code == 400
    assert "survey_round" in response.context["form"].errors
