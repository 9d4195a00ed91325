"""The mapping template page and its downloads: for users who may import, linked from the navigation."""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Country, Personas
from tests.web.conftest import persona, text_of
from tests.web.test_csp import assert_csp_safe

PAGE = "/imports/template/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_page_is_where_the_url_says() -> None:
    assert reverse("web:mapping_template") == PAGE


@pytest.mark.parametrize("query", ["", "?format=xlsx", "?format=csv"])
def test_anonymous_visitor_is_sent_to_login(client: Client, country: Country, query: str) -> None:
    response = client.get(PAGE + query)

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{reverse('web:login')}?next={PAGE}{query.replace('?', '%3F').replace('=', '%3D')}"
    )


@pytest.mark.parametrize("name", ["subnational", "focal_point"])
@pytest.mark.parametrize("query", ["", "?format=xlsx", "?format=csv"])
def test_officers_and_focal_points_who_import_their_part_get_it_too(
    as_user: Callable[[Any], Client], personas: Personas, name: str, query: str
) -> None:
    response = as_user(persona(personas, name)).get(PAGE + query)

    assert response.status_code == 200


@pytest.mark.parametrize("name", ["analyst", "administrator", "outsider"])
@pytest.mark.parametrize("query", ["", "?format=xlsx", "?format=csv"])
def test_only_users_who_may_import_get_the_page_or_the_files(
    as_user: Callable[[Any], Client], personas: Personas, name: str, query: str
) -> None:
    client = as_user(persona(personas, name))

    response = client.get(PAGE + query)

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["analyst", "administrator"])
def test_the_navigation_has_no_link_for_users_who_may_not_import(
    as_user: Callable[[Any], Client], personas: Personas, name: str
) -> None:
    response = as_user(persona(personas, name)).get(reverse("web:organisation_list"))

    assert response.status_code == 200
    assert "Mapping template" not in response.content.decode()


def test_the_national_data_manager_finds_it_in_the_navigation_with_two_buttons(
    as_user: Callable[[Any], Client], personas: Personas
) -> None:
    response = as_user(personas.national).get(PAGE)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<li><a href="/imports/template/" aria-current="page">Mapping template</a></li>' in page
    assert (
        '<a class="button" href="/imports/template/?format=xlsx" download>Download: Excel workbook (.xlsx)</a>'
        in page
    )
    assert (
        '<a class="button button--secondary" href="/imports/template/?format=csv" download>'
        "Download: CSV files (.zip)</a>" in page
    )
    assert "they are reference data, the same for every user" in text_of(response)
    assert_csp_safe(page)


def test_the_workbook_downloads_with_the_registry_codes(
    as_user: Callable[[Any], Client], personas: Personas
) -> None:
    response = as_user(personas.national).get(PAGE + "?format=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="sswis-mapping-template.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[-1] == "lists"
    assert [cell.value for cell in workbook["lists"]["C"]] == ["cadres", "CPV", "PSW", "SW", None, None, None]


def test_the_csv_files_download_as_a_zip(as_user: Callable[[Any], Client], personas: Personas) -> None:
    response = as_user(personas.national).get(PAGE + "?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="sswis-mapping-template.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist()[0] == "locations.csv"


def test_an_unknown_format_gets_the_page_with_the_problem(
    as_user: Callable[[Any], Client], personas: Personas
) -> None:
    response = as_user(personas.national).get(PAGE + "?format=ods")

    assert response.status_code == 400
    assert "Unknown template format 'ods': choose one of xlsx, csv." in html.unescape(text_of(response))
