"""``sswis import-submissions`` against local fake KoboToolbox and ODK Central servers, and export files."""

from __future__ import annotations

import csv
import datetime
import io
import json
import socket
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from sswis.registry.models import Assignment, Worker
from sswis.surveys.models import ImportedSubmission, PerceptionResponse
from tests.surveys.fake_servers import (
    CENTRAL_EMAIL,
    CENTRAL_PASSWORD,
    KOBO_TOKEN,
    central_server,
    kobo_server,
)

UUIDS = (
    "0e5c6a9e-3b0f-4c1e-9d55-6f1f0c1a0001",
    "0e5c6a9e-3b0f-4c1e-9d55-6f1f0c1a0002",
    "0e5c6a9e-3b0f-4c1e-9d55-6f1f0c1a0003",
)


def kobo_record(number: int, **answers: str) -> dict[str, Any]:
    """A submission as KoboToolbox's data endpoint returns it (empty answers are left out)."""
    uuid = UUIDS[number - 1]
    record: dict[str, Any] = {
        "_id": 100 + number,
        "formhub/uuid": "7a8b9c",
        "start": "2025-03-02T09:00:00.000+03:00",
        "end": "2025-03-02T09:20:00.000+03:00",
        "worker/worker_id": "",
        "worker/given_name": ["Amina", "Baraka", "Chausiku"][number - 1],
        "worker/family_name": ["Okello", "Mwita", "Njeri"][number - 1],
        "worker/sex": ["female", "male", "female"][number - 1],
        "worker/birth_date": "1988-04-12",
        "worker/education_level": "diploma",
        "assignment/location_1": "R1",
        "assignment/location_2": "D11",
        "assignment/location_code": "D11",
        "assignment/organization_code": "MSW",
        "assignment/cadre_code": "SW",
        "assignment/start_date": "2020-01-06",
        "assignment/paid": "yes",
        "assignment/fte": "0.5",
        "perceptions/job_satisfaction": "satisfied",
        "perceptions/supervision_frequency": "monthly",
        "perceptions/supervision_kinds": "case_review individual",
        "perceptions/training_received": "none",
        "perceptions/intention_to_leave": "undecided",
        "perceptions/leave_reason": "pay",
        "__version__": "vQ8Ls",
        "meta/instanceID": f"uuid:{uuid}",
        "_xform_id_string": "aXYZ",
        "_uuid": uuid,
        "_attachments": [],
        "_status": "submitted_via_web",
        "_geolocation": [None, None],
        "_submission_time": "2025-03-02T06:21:00",
        "_tags": [],
        "_notes": [],
        "_validation_status": {},
        "_submitted_by": None,
    }
    for key, value in answers.items():
        path = next(path for path in record if path.endswith(f"/{key}") or path == key)
        record[path] = value
    return {path: value for path, value in record.items() if value != ""}


def run(*args: str) -> str:
    stdout = io.StringIO()
    call_command("import-submissions", *args, "--user", "national", stdout=stdout)
    return stdout.getvalue()


def kobo_args(server_url: str, asset: str = "aXYZ", token: str = KOBO_TOKEN) -> list[str]:
    return ["--kobo-url", server_url, "--asset", asset, "--token", token]


@pytest.mark.django_db
def test_kobo_submissions_become_workers_assignments_and_perceptions(
    personas: Any, survey_round: Any
) -> None:
    records = [kobo_record(1), kobo_record(2, worker_id="W000777"), kobo_record(3)]
    with kobo_server(assets={"aXYZ": records}) as server:
        output = run(*kobo_args(server.url), "--round", "2025")
    assert [(method, path.split("?")[1]) for method, path, _ in server.requests] == [
        ("GET", "format=json&start=0&limit=1000"),
        ("GET", "format=json&limit=2&start=2"),
    ]
    assert {auth for *_, auth in server.requests} == {f"Token {KOBO_TOKEN}"}
    assert output.splitlines()[:5] == [
        "file             read  created  updated  unchanged  rejected",
        "workers.csv         3        3        0          0         0",
        "assignments.csv     3        3        0          0         0",
        "perceptions         3        3        0          0         0",
        "total               9        9        0          0         0",
    ]
    assert sorted(Worker.objects.values_list("worker_id", "given_name", "sex")) == [
        ("SUB-" + UUIDS[0], "Amina", "female"),
        ("SUB-" + UUIDS[2], "Chausiku", "female"),
        ("W000777", "Baraka", "male"),
    ]
    assignment = Assignment.objects.get(worker__worker_id="W000777")
    assert (assignment.location.code, assignment.organisation.code, assignment.cadre.code) == (
        "D11",
        "MSW",
        "SW",
    )
    assert (assignment.start_date, assignment.paid, assignment.fte) == (
        datetime.date(2020, 1, 6),
        True,
        Decimal("0.5"),
    )
    response = PerceptionResponse.objects.get(worker__worker_id="W000777")
    assert (response.survey_round, response.location.code, response.submission_uuid) == (
        survey_round,
        "D11",
        UUIDS[1],
    )
    assert (response.supervision_kinds, response.training_received, response.leave_reason) == (
        "individual case_review",
        "none",
        "pay",
    )
    assert response.history.get().history_user == personas.national
    assert Worker.history.filter(history_user=personas.national).count() == 3
    assert sorted(ImportedSubmission.objects.values_list("submission_uuid", "source", "imported_by")) == [
        (uuid, "kobo", personas.national.pk) for uuid in UUIDS
    ]


@pytest.mark.django_db
def test_importing_the_same_submissions_again_changes_nothing(personas: Any, survey_round: Any) -> None:
    with kobo_server(assets={"aXYZ": [kobo_record(1), kobo_record(2)]}) as server:
        run(*kobo_args(server.url), "--round", "2025")
        history = Worker.history.count(), Assignment.history.count(), PerceptionResponse.history.count()
        output = run(*kobo_args(server.url), "--round", "2025")
    assert output.splitlines()[1:4] == [
        "workers.csv         2        0        0          2         0",
        "assignments.csv     2        0        0          2         0",
        "perceptions         2        0        0          2         0",
    ]
    assert output.splitlines()[-1] == "Imported. Nothing changed: all 6 rows were already in the registry."
    assert (Worker.history.count(), Assignment.history.count(), PerceptionResponse.history.count()) == history
    assert ImportedSubmission.objects.count() == 2


@pytest.mark.django_db
def test_problems_name_the_submission_and_nothing_is_written(personas: Any, survey_round: Any) -> None:
    records = [
        kobo_record(1),
        kobo_record(2, sex="femal", given_name=""),
        kobo_record(3, job_satisfaction="happy"),
    ]
    with kobo_server(assets={"aXYZ": records}) as server, pytest.raises(CommandError) as refused:
        run(*kobo_args(server.url), "--round", "2025", "--format", "json")
    assert str(refused.value) == "Nothing was imported: 3 errors."
    assert (
        Worker.objects.count(),
        PerceptionResponse.objects.count(),
        ImportedSubmission.objects.count(),
    ) == (0, 0, 0)


@pytest.mark.django_db
def test_problem_report_rows_and_uuids(personas: Any, survey_round: Any) -> None:
    records = [
        kobo_record(1),
        kobo_record(2, sex="femal", given_name=""),
        kobo_record(3, job_satisfaction="happy"),
    ]
    stdout = io.StringIO()
    with kobo_server(assets={"aXYZ": records}) as server, pytest.raises(CommandError):
        call_command(
            "import-submissions",
            *kobo_args(server.url),
            "--round",
            "2025",
            "--format",
            "json",
            "--user",
            "national",
            stdout=stdout,
        )
    problems = [
        (problem["file"], problem["row"], problem["column"], problem["value"], problem["message"])
        for problem in json.loads(stdout.getvalue())["problems"]
    ]
    assert problems == [
        (
            "workers.csv",
            2,
            "given_name",
            "",
            f"Submission {UUIDS[1]}: Given name is missing; every worker needs one.",
        ),
        (
            "workers.csv",
            2,
            "sex",
            "femal",
            f"Submission {UUIDS[1]}: Sex 'femal' is not one of the allowed values: female, male, other, unknown.",
        ),
        (
            "perceptions",
            3,
            "job_satisfaction",
            "happy",
            f"Submission {UUIDS[2]}: 'happy' is not an answer to job_satisfaction; the answers are: "
            "very_satisfied, satisfied, neither, dissatisfied, very_dissatisfied.",
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asset", "token", "expected"),
    [
        ("aXYZ", "wrong", "refused the API token (HTTP 401)"),
        ("aNOPE", KOBO_TOKEN, "has no form with the asset UID 'aNOPE' (HTTP 404)"),
    ],
)
def test_kobo_refusals_write_nothing(personas: Any, asset: str, token: str, expected: str) -> None:
    with kobo_server(assets={"aXYZ": [kobo_record(1)]}) as server, pytest.raises(CommandError):
        output = io.StringIO()
        try:
            call_command(
                "import-submissions",
                *kobo_args(server.url, asset, token),
                "--user",
                "national",
                stdout=output,
            )
        finally:
            assert expected in output.getvalue()
    assert (Worker.objects.count(), ImportedSubmission.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_malformed_answer_and_refused_connection_write_nothing(personas: Any) -> None:
    with kobo_server(assets={"aXYZ": [kobo_record(1)]}) as server:
        server.broken = "malformed"
        output = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import-submissions", *kobo_args(server.url), "--user", "national", stdout=output)
    assert f"KoboToolbox at {server.url} did not answer with JSON data" in output.getvalue()
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    output = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import-submissions", *kobo_args(f"http://127.0.0.1:{port}"), "--user", "national", stdout=output
        )
    assert f"KoboToolbox at http://127.0.0.1:{port} could not be reached" in output.getvalue()
    assert Worker.objects.count() == 0


def central_record(number: int) -> dict[str, Any]:
    """A submission as ODK Central's OData Submissions table returns it: groups are nested objects."""
    flat = kobo_record(number)
    record: dict[str, Any] = {"__id": f"uuid:{UUIDS[number - 1]}"}
    for path, value in flat.items():
        if path.startswith("_") or "/" not in path or path.startswith("formhub"):
            continue
        group, name = path.split("/")
        record.setdefault(group, {})[name] = float(value) if name == "fte" else value
    record["__system"] = {
        "submissionDate": "2025-03-02T06:21:00.000Z",
        "submitterId": "5",
        "submitterName": "Enumerator",
        "attachmentsPresent": 0,
        "attachmentsExpected": 0,
        "status": None,
        "reviewState": None,
        "deviceId": None,
        "edits": 0,
        "formVersion": "202503010900",
    }
    return record


@pytest.mark.django_db
def test_central_submissions_through_pyodk(
    personas: Any, survey_round: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SSWIS_CENTRAL_USERNAME", CENTRAL_EMAIL)
    monkeypatch.setenv("SSWIS_CENTRAL_PASSWORD", CENTRAL_PASSWORD)
    records = [central_record(1), central_record(2), central_record(3)]
    with central_server(forms={(1, "sswis_worker_mapping"): records}) as server:
        output = run(
            "--central-url", server.url, "--project", "1", "--form", "sswis_worker_mapping", "--round", "2025"
        )
    assert [(method, path.split("?")[0]) for method, path, _ in server.requests] == [
        ("POST", "/v1/sessions"),
        ("GET", "/v1/projects/1/forms/sswis_worker_mapping.svc/Submissions"),
        ("GET", "/v1/projects/1/forms/sswis_worker_mapping.svc/Submissions"),
    ]
    assert output.splitlines()[-1] == "Imported: 9 created, 0 updated, 0 unchanged."
    assert Assignment.objects.get(worker__given_name="Baraka").fte == Decimal("0.5")
    assert sorted(ImportedSubmission.objects.values_list("submission_uuid", "source")) == [
        (uuid, "central") for uuid in UUIDS
    ]
    assert list(tmp_path.iterdir()) == []  # nothing written to the user's home


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form", "password", "expected"),
    [
        ("sswis_worker_mapping", "wrong", "refused the user name or password (HTTP 401)"),
        ("other_form", CENTRAL_PASSWORD, "has no form 'other_form' in project 1 (HTTP 404)"),
    ],
)
def test_central_refusals_write_nothing(
    personas: Any, monkeypatch: Any, form: str, password: str, expected: str
) -> None:
    monkeypatch.setenv("SSWIS_CENTRAL_USERNAME", CENTRAL_EMAIL)
    monkeypatch.setenv("SSWIS_CENTRAL_PASSWORD", password)
    output = io.StringIO()
    with (
        central_server(forms={(1, "sswis_worker_mapping"): [central_record(1)]}) as server,
        pytest.raises(CommandError),
    ):
        call_command(
            "import-submissions",
            "--central-url",
            server.url,
            "--project",
            "1",
            "--form",
            form,
            "--user",
            "national",
            stdout=output,
        )
    assert expected in output.getvalue()
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_kobo_csv_export_then_the_same_submissions_from_the_api_are_unchanged(
    personas: Any, survey_round: Any, tmp_path: Path
) -> None:
    records = [kobo_record(1), kobo_record(2)]
    paths = sorted(
        {path for record in records for path in record if not isinstance(record[path], list | dict)}
    )
    export = tmp_path / "kobo.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")  # KoboToolbox exports CSV with semicolons
        writer.writerow(paths)
        for record in records:
            writer.writerow(["" if record.get(path) is None else record.get(path, "") for path in paths])
    assert (
        run(str(export), "--round", "2025").splitlines()[-1] == "Imported: 6 created, 0 updated, 0 unchanged."
    )
    with kobo_server(assets={"aXYZ": records}) as server:
        again = run(*kobo_args(server.url), "--round", "2025")
    assert again.splitlines()[-1] == "Imported. Nothing changed: all 6 rows were already in the registry."


@pytest.mark.django_db
def test_central_csv_and_xlsx_exports(personas: Any, survey_round: Any, tmp_path: Path) -> None:
    # ODK Central's CSV: groups joined with "-", meta-instanceID and KEY.
    record = kobo_record(1)
    questions = {
        path: value for path, value in record.items() if "/" in path and not path.startswith("formhub")
    }
    header = [
        "SubmissionDate",
        *(path.replace("/", "-") for path in questions),
        "KEY",
        "SubmitterID",
        "ReviewState",
    ]
    export = tmp_path / "central.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(["2025-03-02T06:21:00.000Z", *questions.values(), f"uuid:{UUIDS[0]}", "5", ""])
    output = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 error"):
        call_command("import-submissions", str(export), "--user", "national", stdout=output)
    assert output.getvalue().splitlines()[-3] == (
        f"  ERROR: perceptions, row 1: Submission {UUIDS[0]}: This submission has answers about the worker's "
        "perceptions: say which survey round they belong to (the survey round on the page or in the API, "
        "--round CODE on the command line)."
    )
    assert (
        run(str(export), "--round", "2025").splitlines()[-1] == "Imported: 3 created, 0 updated, 0 unchanged."
    )
    # A Kobo XLSX export of a second submission.
    second = kobo_record(2)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    paths = [
        path for path, value in second.items() if not isinstance(value, list | dict) and value is not None
    ]
    sheet.append(paths)
    sheet.append([second[path] for path in paths])
    workbook.save(tmp_path / "kobo.xlsx")
    assert run(str(tmp_path / "kobo.xlsx"), "--round", "2025").splitlines()[-1] == (
        "Imported: 3 created, 0 updated, 0 unchanged."
    )
    assert ImportedSubmission.objects.filter(source="file").count() == 2


@pytest.mark.django_db
def test_dry_run_writes_nothing(personas: Any, survey_round: Any) -> None:
    with kobo_server(assets={"aXYZ": [kobo_record(1)]}) as server:
        output = run(*kobo_args(server.url), "--round", "2025", "--dry-run")
    assert output.splitlines()[-1] == (
        "Dry run, nothing was written: importing would create 3, update 0 and leave 0 unchanged."
    )
    assert (
        Worker.objects.count(),
        PerceptionResponse.objects.count(),
        ImportedSubmission.objects.count(),
    ) == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["analyst", "subnational", "administrator", "outsider"])
def test_only_a_national_data_manager_imports(personas: Any, persona: str) -> None:
    username = getattr(personas, persona).username
    with (
        kobo_server(assets={"aXYZ": [kobo_record(1)]}) as server,
        pytest.raises(CommandError, match="may not import"),
    ):
        call_command("import-submissions", *kobo_args(server.url), "--user", username)
    assert server.requests == []  # refused before anything was read
    assert Worker.objects.count() == 0
