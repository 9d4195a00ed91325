"""The worker list export from the pages: CSV streamed, XLSX as a file, same search and filters as the
list, only the workers in scope, refused to the roles that see no person, formulas neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sswis.exports.models import ExportRecord
from sswis.exports.selectors import WORKER_EXPORT_HEADER
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.web.conftest import Workforce, text_of

EXPORT = reverse("web:worker_export")


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook["workers"].iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("national", ["W-ALICE", "W-BRIAN", "W-GRACE", "W-PETER"]),
        ("subnational", ["W-ALICE", "W-BRIAN", "W-PETER"]),
        ("focal_point", ["W-GRACE", "W-PETER"]),
    ],
)
def test_csv_and_xlsx_hold_exactly_the_workers_in_scope(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, role: str, expected: list[str]
) -> None:
    client = as_user(getattr(personas, role))
    rows = csv_rows(client.get(EXPORT, {"format": "csv"}))
    assert rows[0] == list(WORKER_EXPORT_HEADER)
    assert [row[0] for row in rows[1:]] == expected
    sheet = xlsx_rows(client.get(EXPORT, {"format": "xlsx"}))
    assert sheet[0] == list(WORKER_EXPORT_HEADER)
    assert [row[0] for row in sheet[1:]] == expected


@pytest.mark.parametrize("role", ["analyst", "administrator", "outsider"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_roles_without_person_records_are_refused_and_get_no_person(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, role: str, file_format: str
) -> None:
    response = as_user(getattr(personas, role)).get(EXPORT, {"format": file_format})
    assert response.status_code == 403
    assert "W-ALICE" not in response.content.decode()
    assert ExportRecord.objects.count() == 0


def test_anonymous_visitor_is_sent_to_the_login_page(
    as_user: Callable[[Any], Client], workforce: Workforce
) -> None:
    response = as_user(None).get(EXPORT, {"format": "csv"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
    assert ExportRecord.objects.count() == 0


def test_export_keeps_the_filters_of_the_list_and_only_that_it_was_searched(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, country: Country
) -> None:
    client = as_user(personas.national)
    query = {"location": "D11", "cadre": "SW", "q": "pet", "format": "csv"}
    rows = csv_rows(client.get(EXPORT, query))
    assert [row[0] for row in rows[1:]] == ["W-PETER"]
    record = ExportRecord.objects.get()
    assert (record.username, record.file_format, record.row_count) == ("national", "csv", 1)
    assert record.filters == {"search_used": True, "location": "D11", "cadre": ["SW"]}


def test_csv_writes_the_values_as_a_spreadsheet_shows_them(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    rows = csv_rows(as_user(personas.national).get(EXPORT, {"q": "W-GRACE"}))
    grace = dict(zip(rows[0], rows[1], strict=True))
    assert grace["Worker ID"] == "W-GRACE"
    assert (grace["Organisation code"], grace["Location code"], grace["Cadre code"]) == ("NGO1", "D21", "CPV")
    assert (grace["Start date"], grace["Paid"], grace["FTE"]) == ("2020-01-01", "no", "1.000")


def test_a_name_starting_with_a_formula_is_neutralised_in_both_formats(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    worker = WorkerFactory(worker_id="W-EVIL", given_name='=HYPERLINK("http://x")', family_name="@SUM(A1)")
    AssignmentFactory(
        worker=worker, organisation=country.ngo, location=country.district_21, cadre=country.volunteer
    )
    client = as_user(personas.focal_point)
    row = csv_rows(client.get(EXPORT, {"format": "csv"}))[1]
    assert row[:3] == ["W-EVIL", '\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    row_in_sheet = xlsx_rows(client.get(EXPORT, {"format": "xlsx"}))[1]
    assert row_in_sheet[:3] == ["W-EVIL", '\'=HYPERLINK("http://x")', "'@SUM(A1)"]


def test_unknown_format_is_a_bad_request(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.national).get(EXPORT, {"format": "pdf"})
    assert response.status_code == 400
    assert response.content.decode() == "Unknown export format: choose csv or xlsx."
    assert ExportRecord.objects.count() == 0


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_takes_the_same_queries_for_1_and_3_workers(
    as_user: Callable[[Any], Client], personas: Personas, country: Country, file_format: str
) -> None:
    client = as_user(personas.subnational)

    def add_worker() -> None:
        worker = WorkerFactory()
        for cadre in (country.social_worker, country.para_social_worker):
            AssignmentFactory(
                worker=worker, organisation=country.ministry, location=country.district_11, cadre=cadre
            )

    def queries_and_rows() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(EXPORT, {"format": file_format})
            rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
        return len(captured), len(rows) - 1

    add_worker()
    one = queries_and_rows()
    add_worker()
    add_worker()
    three = queries_and_rows()
    assert (one[1], three[1]) == (1, 3)
    assert one[0] == three[0]


def test_list_page_offers_downloads_with_the_current_filters(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.national).get(reverse("web:worker_list"), {"q": "Banda", "page": "1"})
    html = response.content.decode()
    assert f'href="{EXPORT}?q=Banda&amp;format=csv"' in html
    assert f'href="{EXPORT}?q=Banda&amp;format=xlsx"' in html
    assert "Download 1 worker with these filters: CSV Excel (XLSX)" in text_of(response)


def test_an_invalid_filter_is_a_bad_request_not_a_larger_file(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.national).get(EXPORT, {"format": "csv", "active_year": "not a year"})

    assert response.status_code == 400
    assert response.content.decode() == "The filters are not valid: active_year: Enter a whole number."
    assert ExportRecord.objects.count() == 0
