"""The imports API: upload (202, background task), history, one import, problem downloads; scope per persona."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from sswis.imports.models import ImportRecord, ImportStatus
from sswis.imports.modes import ImportMode
from sswis.imports.services import import_record_create, import_record_run
from sswis.registry.models import Cadre, Worker
from tests.api.conftest import timestamp
from tests.conftest import Country, Personas

Clients = Callable[[str | None], APIClient]

IMPORTS = "/api/v1/imports/"
CADRES = b"code,name,category\nCCW,Community child care worker,allied\n"
WORKERS = (
    b"worker_id,given_name,family_name,sex\n"
    b"N1,Neema,Juma,female\n"
    b"N2,Omari,Said,F\n"
    b'N3,"=HYPERLINK(""http://x"")",Said,\n'
)
FOCAL_WORKERS = b"worker_id,given_name,family_name\nN1,Neema,Juma\n"
SERVER = "http://testserver"


def upload(client: APIClient, content: bytes = CADRES, name: str = "cadres.csv", **fields: str) -> Any:
    data: dict[str, Any] = {"file": SimpleUploadedFile(name, content), "mode": "all_or_nothing", **fields}
    return client.post(IMPORTS, data, format="multipart")


def record_of(user: Any, content: bytes = CADRES, name: str = "cadres.csv", run: bool = True) -> ImportRecord:
    record = import_record_create(actor=user, file_name=name, chunks=[content], mode=ImportMode.DRY_RUN)
    return import_record_run(record=record) if run else record


def detail_url(record: ImportRecord) -> str:
    return f"{IMPORTS}{record.uuid}/"


def problems_url(record: ImportRecord, file_format: str = "csv") -> str:
    return f"{IMPORTS}{record.uuid}/problems/?format={file_format}"


# Uploading -------------------------------------------------------------------------------------------


def test_an_upload_is_accepted_with_202_and_imported_by_the_background_task(
    client_for: Clients, personas: Personas, country: Country, data_dir: Path
) -> None:
    response = upload(client_for("national"))

    record = ImportRecord.objects.get()
    assert response.status_code == 202, response.content
    assert response["Location"] == f"{SERVER}{detail_url(record)}"
    assert response.json() == {
        "uuid": str(record.uuid),
        "url": f"{SERVER}{detail_url(record)}",
        "file_name": "cadres.csv",
        "sha256": hashlib.sha256(CADRES).hexdigest(),
        "size": len(CADRES),
        "mode": "all_or_nothing",
        "encoding": "",
        "status": "finished",
        "user": "national",
        "created_at": timestamp(record.created_at),
        "started_at": timestamp(record.started_at),  # type: ignore[arg-type]
        "finished_at": timestamp(record.finished_at),  # type: ignore[arg-type]
        "rows_read": 1,
        "imported": True,
        "errors": 0,
        "warnings": 0,
        "summary": "Imported: 1 created, 0 updated, 0 unchanged.",
        "failure": "",
        "counts": {"cadres.csv": {"read": 1, "created": 1, "updated": 0, "unchanged": 0, "rejected": 0}},
        "totals": {"read": 1, "created": 1, "updated": 0, "unchanged": 0, "rejected": 0},
        "problems_downloads": {
            "csv": f"{SERVER}{problems_url(record, 'csv')}",
            "xlsx": f"{SERVER}{problems_url(record, 'xlsx')}",
        },
    }
    assert (data_dir / record.stored_path).read_bytes() == CADRES
    assert Cadre.objects.get(code="CCW").history.get().history_user == personas.national


def test_an_upload_on_the_database_backend_stays_queued_for_the_worker(
    client_for: Clients, personas: Personas, country: Country, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    response = upload(client_for("national"), mode="dry_run", encoding="cp1252")

    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["mode"], body["encoding"]) == ("queued", "dry_run", "cp1252")
    assert (body["started_at"], body["counts"], body["totals"]["read"]) == (None, {}, 0)
    assert body["problems_downloads"] is None
    assert not Cadre.objects.filter(code="CCW").exists()


def test_skipping_invalid_rows_gives_counts_and_every_problem_and_the_downloads(
    client_for: Clients, personas: Personas, country: Country
) -> None:
    client = client_for("national")

    created = upload(client, WORKERS, "workers.csv", mode="skip_invalid").json()
    detail = client.get(created["url"]).json()

    record = ImportRecord.objects.get()
    assert detail["summary"] == (
        "Imported the valid rows: 2 created, 0 updated, 0 unchanged; 1 row was rejected (1 error, 2 warnings)."
    )
    assert detail["counts"] == {
        "workers.csv": {"read": 3, "created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    }
    assert detail["progress"] is None
    assert [(p["severity"], p["file"], p["row"], p["column"], p["value"]) for p in detail["problems"]] == [
        ("warning", "workers.csv", 1, "worker_id", "N1"),
        ("error", "workers.csv", 2, "sex", "F"),
        ("warning", "workers.csv", 3, "worker_id", "N3"),
    ]
    assert detail["problems"][1]["message"].startswith("Sex 'F' is not one of the allowed values")
    assert sorted(Worker.objects.values_list("worker_id", flat=True)) == ["N1", "N3"]

    download = client.get(problems_url(record, "csv"))
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == f'attachment; filename="import-{record.uuid}-problems.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert [row[:4] for row in rows] == [
        ["file", "row", "column", "value"],
        ["workers.csv", "1", "worker_id", "N1"],
        ["workers.csv", "2", "sex", "F"],
        ["workers.csv", "3", "worker_id", "N3"],
    ]
    workbook = client.get(problems_url(record, "xlsx"))
    assert workbook["Content-Disposition"] == f'attachment; filename="import-{record.uuid}-problems.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))["problems"]
    assert [cell.value for cell in sheet[3]][:4] == ["workers.csv", 2, "sex", "F"]


def test_formula_values_in_problems_are_written_as_text(
    client_for: Clients, personas: Personas, country: Country
) -> None:
    client = client_for("national")
    upload(client, b"worker_id,given_name,family_name,email\nN1,Neema,Juma,=1+1\n", "workers.csv")

    download = client.get(problems_url(ImportRecord.objects.get()))

    assert "workers.csv,1,email,'=1+1," in b"".join(download.streaming_content).decode("utf-8-sig")


def test_the_problems_download_of_the_api_keeps_its_codes_in_every_language(
    client_for: Clients, personas: Personas, country: Country
) -> None:
    """Programs read the header and severities: they do not change with ``Accept-Language``."""
    client = client_for("national")
    upload(client, b"worker_id,given_name,family_name,email\nN1,Neema,Juma,=1+1\n", "workers.csv")
    record = ImportRecord.objects.get()

    lines = {
        language: b"".join(client.get(problems_url(record), HTTP_ACCEPT_LANGUAGE=language).streaming_content)
        .decode("utf-8-sig")
        .splitlines()
        for language in ("en", "fr", "ar")
    }

    assert lines["fr"][0] == lines["ar"][0] == "file,row,column,value,message,severity"
    assert lines["fr"][1].endswith(",error") and lines["ar"][1].endswith(",error")


def test_a_file_over_the_limit_is_refused_while_it_arrives_with_413_and_nothing_kept(
    client_for: Clients, personas: Personas, country: Country, settings: Any, data_dir: Path
) -> None:
    settings.SSWIS_IMPORT_MAX_BYTES = 2**20

    response = upload(client_for("national"), CADRES * (2**20 // len(CADRES) + 1))

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The file is larger than the 1 MB an import accepts; split it or ask for a higher limit."
    }
    assert ImportRecord.objects.count() == 0
    assert not (data_dir / "imports").exists()


def test_a_file_over_the_limit_is_refused_on_a_browser_session_after_its_csrf_check(
    personas: Personas, country: Country, settings: Any, data_dir: Path
) -> None:
    """The session authentication's CSRF check reads the body: the size limit must already be in place."""
    settings.SSWIS_IMPORT_MAX_BYTES = 2**20
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(personas.national)
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    too_large = {"file": SimpleUploadedFile("cadres.csv", CADRES * 20000), "mode": "all_or_nothing"}

    without_token = client.post(IMPORTS, too_large, format="multipart")
    too_large["file"].seek(0)
    with_token = client.post(IMPORTS, too_large, format="multipart", headers={"X-CSRFToken": token})

    assert without_token.status_code == 403
    assert without_token.json()["detail"].startswith("CSRF Failed")
    assert with_token.status_code == 413
    assert ImportRecord.objects.count() == 0
    assert not (data_dir / "imports").exists()


@pytest.mark.parametrize(
    ("fields", "name", "expected"),
    [
        (
            {"mode": "everything"},
            "cadres.csv",
            {"mode": ['"everything" is not a valid choice.']},
        ),
        (
            {"encoding": "klingon"},
            "cadres.csv",
            {
                "encoding": [
                    "'klingon' is not a character set the import knows; give e.g. utf-8, utf-16, cp1252 or "
                    "latin-1, or leave the encoding out to have it detected."
                ]
            },
        ),
        (
            {},
            "notes.txt",
            {
                "file": [
                    "notes.txt is not a mapping template: give an .xlsx workbook, a template CSV file (e.g. "
                    "workers.csv) or a .zip of CSV files."
                ]
            },
        ),
    ],
)
def test_bad_uploads_are_refused_with_400_naming_the_field_and_keep_nothing(
    client_for: Clients,
    personas: Personas,
    country: Country,
    data_dir: Path,
    fields: dict[str, str],
    name: str,
    expected: dict[str, list[str]],
) -> None:
    response = upload(client_for("national"), CADRES, name, **fields)

    assert response.status_code == 400
    assert response.json() == expected
    assert ImportRecord.objects.count() == 0
    assert not any((data_dir / "imports").glob("*/*"))


def test_an_upload_without_a_file_or_mode_is_refused(client_for: Clients, personas: Personas) -> None:
    response = client_for("national").post(IMPORTS, {}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {"file": ["No file was submitted."], "mode": ["This field is required."]}


def test_a_focal_point_imports_their_organisations_rows_only(
    client_for: Clients, personas: Personas, country: Country
) -> None:
    client = client_for("focal_point")

    # A new worker comes with their assignment: alone, they would be nobody's in the organisation.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as folder:
        folder.writestr("workers.csv", FOCAL_WORKERS)
        folder.writestr(
            "assignments.csv",
            b"worker_id,organization_code,location_code,cadre_code,start_date,paid\nN1,NGO1,D21,CPV,2024-01-01,no\n",
        )
    accepted = upload(client, archive.getvalue(), "template.zip")
    refused = upload(client, CADRES)

    assert (accepted.status_code, accepted.json()["imported"]) == (202, True)
    assert refused.status_code == 202
    assert refused.json()["summary"] == "Nothing was imported: 1 error."
    detail = client.get(refused.json()["url"]).json()
    assert detail["problems"][0]["message"].startswith("You may not import cadres.csv")


# Who may call it, and which records they see ----------------------------------------------------------


@pytest.mark.parametrize("name", ["analyst", "administrator", "outsider"])
def test_users_who_may_not_import_are_refused_everywhere_with_403(
    client_for: Clients, personas: Personas, country: Country, name: str
) -> None:
    record = record_of(personas.national)
    client = client_for(name)

    for url in (IMPORTS, detail_url(record), problems_url(record)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response["Content-Type"] == "application/json"
    assert upload(client).status_code == 403
    assert ImportRecord.objects.count() == 1


def test_anonymous_requests_get_401(client_for: Clients, personas: Personas, country: Country) -> None:
    record = record_of(personas.national)
    client = client_for(None)

    for url in (IMPORTS, detail_url(record), problems_url(record, "xlsx")):
        assert client.get(url).status_code == 401, url
    assert upload(client).status_code == 401
    assert ImportRecord.objects.count() == 1


def test_national_data_managers_list_every_record_newest_first_the_others_their_own(
    client_for: Clients, personas: Personas, country: Country
) -> None:
    national = record_of(personas.national)
    focal = record_of(personas.focal_point, FOCAL_WORKERS, "workers.csv")
    north = record_of(personas.subnational, FOCAL_WORKERS, "workers.csv")

    def listed(name: str) -> list[str]:
        response = client_for(name).get(IMPORTS)
        assert response.status_code == 200
        assert response.json()["count"] == len(response.json()["results"])
        return [row["uuid"] for row in response.json()["results"]]

    assert listed("national") == [str(north.uuid), str(focal.uuid), str(national.uuid)]
    assert listed("focal_point") == [str(focal.uuid)]
    assert listed("subnational") == [str(north.uuid)]
    row = client_for("national").get(IMPORTS).json()["results"][1]
    assert (row["user"], row["file_name"], row["mode"], row["status"]) == (
        "hope",
        "workers.csv",
        "dry_run",
        "finished",
    )
    assert "problems" not in row and "progress" not in row


def test_the_list_is_paginated(client_for: Clients, personas: Personas, country: Country) -> None:
    for _ in range(3):
        record_of(personas.national)

    response = client_for("national").get(f"{IMPORTS}?page_size=2&page=2")

    assert (response.json()["count"], len(response.json()["results"])) == (3, 1)
    assert response.json()["next"] is None


def test_another_users_record_is_not_found_out_of_scope(
    client_for: Clients, personas: Personas, country: Country
) -> None:
    national = record_of(personas.national)
    focal = record_of(personas.focal_point, FOCAL_WORKERS, "workers.csv")

    for name, record, expected in (
        ("focal_point", national, 404),
        ("subnational", focal, 404),
        ("focal_point", focal, 200),
        ("national", focal, 200),
    ):
        client = client_for(name)
        assert client.get(detail_url(record)).status_code == expected, (name, record)
        assert client.get(problems_url(record, "xlsx")).status_code == expected, (name, record)
    assert client_for("national").get(f"{IMPORTS}00000000-0000-0000-0000-000000000000/").status_code == 404


# One import while it runs, and when it failed ---------------------------------------------------------


def test_a_running_import_shows_how_far_it_is_and_has_no_problems_yet(
    client_for: Clients, personas: Personas, country: Country, data_dir: Path
) -> None:
    record = record_of(personas.national, run=False)
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING)
    (data_dir / "imports" / str(record.uuid) / "progress.json").write_text(
        '{"file": "workers.csv", "file_rows": 1000, "file_rows_estimate": 4000, "rows": 1200, '
        '"files_done": 1, "files_total": 2}'
    )
    client = client_for("national")

    detail = client.get(detail_url(record)).json()
    problems = client.get(problems_url(record))

    assert detail["status"] == "running"
    assert detail["progress"] == {
        "file": "workers.csv",
        "file_rows": 1000,
        "file_rows_estimate": 4000,
        "rows": 1200,
        "files_done": 1,
        "files_total": 2,
        "fraction": 0.625,
    }
    assert (detail["problems"], detail["problems_downloads"]) == (None, None)
    assert problems.status_code == 409
    assert problems.json() == {
        "detail": "The status of this import is Running: its problems are known once it has finished."
    }


def test_a_failed_import_says_why_and_has_no_problems_download(
    client_for: Clients, personas: Personas, country: Country
) -> None:
    record = record_of(personas.national, run=False)
    ImportRecord.objects.filter(pk=record.pk).update(
        status=ImportStatus.FAILED, failure="The import was refused."
    )
    client = client_for("national")

    detail = client.get(detail_url(record)).json()
    problems = client.get(problems_url(record))

    assert (detail["status"], detail["failure"], detail["problems"]) == (
        "failed",
        "The import was refused.",
        None,
    )
    assert problems.status_code == 404
    assert problems.json() == {"detail": "This import could not run, so it has no problems report."}


def test_an_unknown_problems_format_is_refused_in_json(
    client_for: Clients, personas: Personas, country: Country
) -> None:
    record = record_of(personas.national)

    response = client_for("national").get(problems_url(record, "pdf"))

    assert response.status_code == 400
    assert response.json() == {"format": ['"pdf" is not a valid choice.']}


@pytest.mark.parametrize("rows", [1, 3])
def test_a_focal_points_list_takes_as_many_queries_for_three_records_as_for_one(
    personas: Personas, country: Country, django_assert_num_queries: Any, rows: int
) -> None:
    for _ in range(rows):
        record_of(personas.focal_point, FOCAL_WORKERS, "workers.csv")
    user = type(personas.focal_point).objects.get(pk=personas.focal_point.pk)
    client = APIClient()
    client.force_authenticate(user=user)

    with django_assert_num_queries(4):  # scope, the check for imports whose worker died, count, page
        response = client.get(IMPORTS)

    assert len(response.json()["results"]) == rows


def test_an_import_whose_worker_died_is_interrupted_for_api_clients_too(
    client_for: Clients, personas: Personas, country: Country
) -> None:
    record = record_of(personas.national, run=False)
    started = timezone.now() - datetime.timedelta(hours=1)  # no heartbeat since: its worker is gone
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING, started_at=started)
    client = client_for("national")

    detail = client.get(detail_url(record)).json()
    problems = client.get(problems_url(record))

    assert detail["status"] == "interrupted"
    assert (problems.status_code, problems.json()) == (
        404,
        {"detail": "This import was interrupted before it finished, so it has no problems report."},
    )
