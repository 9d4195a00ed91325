"""``GET /api/v1/workers/export/?format=csv|xlsx&<list filters>``: the worker list as a file, in scope."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.exports.models import ExportRecord
from sswis.exports.selectors import WORKER_EXPORT_HEADER
from sswis.registry.models import Worker
from tests.api.conftest import Staffing
from tests.conftest import Country
from tests.factories import (
    AssignmentFactory,
    LocationFactory,
    OrganisationFactory,
    UserFactory,
    WorkerFactory,
)

URL = "/api/v1/workers/export/"


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="workers-')
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def xlsx_rows(response: Any) -> list[list[Any]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook["workers"].iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("national", ["W000001", "W000002"]), ("subnational", ["W000001"]), ("focal_point", ["W000002"])],
)
def test_export_holds_exactly_the_workers_in_scope(
    client_for: Callable[[str | None], APIClient], staffing: Staffing, persona: str, expected: list[str]
) -> None:
    client = client_for(persona)
    rows = csv_rows(client.get(URL, {"format": "csv"}))
    assert rows[0] == list(WORKER_EXPORT_HEADER)
    assert [row[0] for row in rows[1:]] == expected
    sheet = xlsx_rows(client.get(URL, {"format": "xlsx"}))
    assert [row[0] for row in sheet[1:]] == expected


def test_csv_is_the_default_format(client_for: Callable[[str | None], APIClient], staffing: Staffing) -> None:
    rows = csv_rows(client_for("national").get(URL))
    amina = dict(zip(rows[0], rows[1], strict=True))
    assert (amina["Worker ID"], amina["Family name"], amina["Organisation code"], amina["Post code"]) == (
        "W000001",
        "Banda",
        "MSW",
        "P001",
    )


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_roles_without_person_records_are_refused_and_get_no_person(
    client_for: Callable[[str | None], APIClient], staffing: Staffing, persona: str
) -> None:
    response = client_for(persona).get(URL, {"format": "xlsx"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "W000001" not in response.content.decode()
    assert ExportRecord.objects.count() == 0


def test_anonymous_is_refused(client_for: Callable[[str | None], APIClient], staffing: Staffing) -> None:
    assert client_for(None).get(URL, {"format": "csv"}).status_code == 401


def test_export_takes_the_list_filters(
    client_for: Callable[[str | None], APIClient], staffing: Staffing
) -> None:
    rows = csv_rows(client_for("national").get(URL, {"format": "csv", "location": "D21", "paid": "false"}))
    assert [row[0] for row in rows[1:]] == ["W000002"]
    record = ExportRecord.objects.get()
    assert (record.username, record.file_format, record.filters) == (
        "national",
        "csv",
        {"location": "D21", "paid": False},
    )


def test_bad_format_or_filter_is_a_400_naming_the_parameter(
    client_for: Callable[[str | None], APIClient], staffing: Staffing
) -> None:
    client = client_for("national")
    response = client.get(URL, {"format": "pdf"})
    assert (response.status_code, response.json()) == (
        400,
        {"format": ["Unknown export format 'pdf': choose csv or xlsx."]},
    )
    response = client.get(URL, {"format": "csv", "location": "NOWHERE"})
    assert response.status_code == 400
    assert list(response.json()) == ["location"]
    assert ExportRecord.objects.count() == 0


def test_a_name_starting_with_a_formula_is_neutralised_in_both_formats(
    client_for: Callable[[str | None], APIClient], staffing: Staffing, country: Country
) -> None:
    worker = WorkerFactory(worker_id="W000003", given_name="=1+1", family_name="-2+3")
    AssignmentFactory(
        worker=worker, organisation=country.ngo, location=country.district_21, cadre=country.volunteer
    )
    client = client_for("focal_point")
    csv_row = {row[0]: row for row in csv_rows(client.get(URL, {"format": "csv"}))}["W000003"]
    assert csv_row[1:3] == ["'=1+1", "'-2+3"]
    sheet_row = {row[0]: row for row in xlsx_rows(client.get(URL, {"format": "xlsx"}))}["W000003"]
    assert sheet_row[1:3] == ["'=1+1", "'-2+3"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_rows(db: Any, file_format: str) -> None:
    region = LocationFactory(code="R1")
    district = LocationFactory(code="D11", parent=region)
    organisation = OrganisationFactory(location=district)
    user = UserFactory(username="north")
    user_scope_grant(actor=None, user=user, role=Role.SUBNATIONAL_OFFICER, location=region)

    def queries_with(workers: int) -> int:
        for _ in range(workers - Worker.objects.count()):
            AssignmentFactory(organisation=organisation, location=district)
        client = APIClient()
        client.force_authenticate(user=type(user).objects.get(pk=user.pk))  # scope lookup is counted
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"format": file_format, "location": "D11"})
            body = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
        assert len(body) == workers + 1
        return len(captured)

    assert queries_with(1) == queries_with(3)
