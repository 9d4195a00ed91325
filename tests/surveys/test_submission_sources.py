"""Reading submissions safely: credentials stay on the server given, export files pass the import's checks."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from sswis.imports.models import ImportRecord
from sswis.surveys.models import ImportedSubmission
from sswis.surveys.submissions import SubmissionFetchError, file_submissions_read, kobo_submissions_fetch
from tests.surveys.fake_servers import KOBO_TOKEN, kobo_server, redirecting_server
from tests.surveys.test_import_submissions import UUIDS, kobo_args, kobo_record, run


def test_a_redirect_to_another_server_does_not_carry_the_token() -> None:
    with (
        kobo_server(assets={"aXYZ": [kobo_record(1)]}) as other,
        redirecting_server(to=other.url) as moved,
        pytest.raises(SubmissionFetchError) as refused,
    ):
        kobo_submissions_fetch(server_url=moved.url, asset_uid="aXYZ", token=KOBO_TOKEN)
    assert other.requests == []  # never reached, so never given the token
    assert [auth for *_, auth in moved.requests] == [f"Token {KOBO_TOKEN}"]
    assert refused.value.message == (
        f"KoboToolbox at {moved.url} redirected the request to another server ({other.url}/api/v2/assets/"
        "aXYZ/data/?format=json&start=0&limit=1000); it was not followed, so that the credential is not "
        "sent there. Give the server's own address."
    )


def test_a_redirect_to_another_port_of_the_same_host_is_another_server() -> None:
    with (
        kobo_server(assets={"aXYZ": []}) as other,
        redirecting_server(to=other.url.replace("127.0.0.1", "localhost")) as moved,
        pytest.raises(SubmissionFetchError, match="redirected the request to another server"),
    ):
        kobo_submissions_fetch(server_url=moved.url, asset_uid="aXYZ", token=KOBO_TOKEN)
    assert other.requests == []


def test_a_redirect_on_the_same_server_keeps_the_token() -> None:
    with kobo_server(assets={"aXYZ": [kobo_record(1)]}) as server:
        batch = kobo_submissions_fetch(server_url=f"{server.url}/moved", asset_uid="aXYZ", token=KOBO_TOKEN)
    assert [submission.answers["given_name"] for submission in batch.submissions] == ["Amina"]
    assert [(path.split("?")[0], auth) for _, path, auth in server.requests] == [
        ("/moved/api/v2/assets/aXYZ/data/", f"Token {KOBO_TOKEN}"),
        ("/api/v2/assets/aXYZ/data/", f"Token {KOBO_TOKEN}"),
    ]


# Export files pass the same checks as a template file ------------------------------------------------------

EXPORT_PATHS = [
    "formhub/uuid",
    "worker/given_name",
    "worker/family_name",
    "worker/sex",
    "worker/birth_date",
    "assignment/location_code",
    "assignment/organization_code",
    "assignment/cadre_code",
    "assignment/start_date",
    "assignment/paid",
    "meta/instanceID",
    "_uuid",
]


def _export_rows() -> list[list[str]]:
    record = kobo_record(1, given_name="Amélie")
    return [EXPORT_PATHS, [str(record[path]) for path in EXPORT_PATHS]]


def _export_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "sswis_worker_mapping"
    for row in _export_rows():
        sheet.append(row)
    workbook.save(path)
    return path


def _read_error(path: Path) -> str:
    with pytest.raises(SubmissionFetchError) as refused:
        file_submissions_read(path=path)
    return refused.value.message


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1252", ","), ("utf-8", ";")],
)
def test_csv_exports_in_every_character_set_and_delimiter_the_import_reads(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(_export_rows())
    batch = file_submissions_read(path=path)
    assert [(s.position, s.uuid, s.answers["given_name"]) for s in batch.submissions] == [
        (1, UUIDS[0], "Amélie")
    ]


def test_a_workbook_export_is_read_from_its_first_sheet(tmp_path: Path) -> None:
    batch = file_submissions_read(path=_export_workbook(tmp_path / "export.xlsx"))
    assert [(s.uuid, s.answers["given_name"], s.answers["location_code"]) for s in batch.submissions] == [
        (UUIDS[0], "Amélie", "D11")
    ]


def test_a_macro_enabled_or_old_workbook_is_refused(tmp_path: Path) -> None:
    macro = _export_workbook(tmp_path / "export.xlsx").rename(tmp_path / "export.xlsm")
    assert _read_error(macro) == (
        "export.xlsm is a macro-enabled workbook; such files are not accepted. In Excel choose File > Save "
        'As > "Excel Workbook (.xlsx)" and import that file.'
    )
    assert "export.xls" in _read_error(_export_workbook(tmp_path / "a.xlsx").rename(tmp_path / "export.xls"))


def test_a_workbook_declaring_a_doctype_is_refused(tmp_path: Path) -> None:
    path = _export_workbook(tmp_path / "export.xlsx")
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        "<worksheet", '<!DOCTYPE worksheet [<!ENTITY lol "lol">]><worksheet', 1
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert _read_error(path) == (
        "export.xlsx is refused for safety: its part xl/worksheets/sheet1.xml declares a document type or "
        "entities (DOCTYPE, ENTITY), which Excel never writes. Open it in Excel, save it again as an Excel "
        "Workbook (.xlsx) and import that file."
    )


def test_exports_over_the_size_limit_are_refused_before_they_are_read(tmp_path: Path, settings: Any) -> None:
    settings.SSWIS_IMPORT_MAX_BYTES = 2**20
    for suffix in (".csv", ".json"):
        path = tmp_path / f"big{suffix}"
        path.write_bytes(b"[" + b" " * 2**20 + b"]")
        assert _read_error(path) == (
            f"big{suffix} is larger than the 1 MB an import accepts; split it or ask for a higher limit."
        )


def test_a_renamed_binary_file_is_not_read_as_csv(tmp_path: Path) -> None:
    path = _export_workbook(tmp_path / "export.xlsx").rename(tmp_path / "export.csv")
    assert _read_error(path).startswith("export.csv is not")


# Credentials are never shown or stored; every import is in the history ------------------------------------


@pytest.mark.django_db
def test_credentials_in_the_address_are_neither_shown_nor_stored(personas: Any, survey_round: Any) -> None:
    records = [kobo_record(1)]
    with kobo_server(assets={"aXYZ": records}) as server:
        address = server.url.replace("http://", "http://someone:hunter2@")
        output = run(*kobo_args(address), "--round", "2025")
    assert "hunter2" not in output
    assert ImportedSubmission.objects.get().form == f"{server.url} asset aXYZ"
    record = ImportRecord.objects.get()
    assert (record.user, record.file_name, record.stored_path, record.imported, record.mode) == (
        personas.national,
        f"{server.url} asset aXYZ",
        "",
        True,
        "all_or_nothing",
    )
    assert record.counts["workers.csv"] == {
        "read": 1,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert (len(record.sha256), record.size > 0) == (64, True)


@pytest.mark.django_db
def test_a_refused_token_is_never_echoed(personas: Any) -> None:
    output = io.StringIO()
    with kobo_server(assets={"aXYZ": []}) as server, pytest.raises(CommandError):
        call_command(
            "import-submissions",
            *kobo_args(server.url.replace("http://", "http://someone:hunter2@"), token="wrong-secret"),
            "--user",
            "national",
            stdout=output,
        )
    assert "wrong-secret" not in output.getvalue() and "hunter2" not in output.getvalue()
    assert f"KoboToolbox at {server.url} refused the API token (HTTP 401)" in output.getvalue()
    assert ImportRecord.objects.count() == 0  # nothing was received


@pytest.mark.django_db
def test_an_export_file_import_is_in_the_history_with_its_sha256(
    personas: Any, survey_round: Any, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(_export_rows())
    run(str(path), "--round", "2025", "--dry-run")
    record = ImportRecord.objects.get()
    assert (record.file_name, record.sha256, record.size, record.mode, record.imported) == (
        "export.csv",
        hashlib.sha256(path.read_bytes()).hexdigest(),
        path.stat().st_size,
        "dry_run",
        False,
    )
