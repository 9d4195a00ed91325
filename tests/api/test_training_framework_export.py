"""The competency frameworks' export through the API (``/api/v1/training/competencies/export/``): the same
file as the page's export, in CSV and XLSX, narrowed to the cadres asked; an unknown cadre or format is a
400 naming the parameter; read by every role but a worker's own login."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from tests.conftest import Country, Personas
from tests.factories import UserFactory, WorkerFactory
from tests.training.factories_competencies import (
    AreaFactory,
    CompetencyFactory,
    FrameworkFactory,
    RequirementFactory,
)

URL = "/api/v1/training/competencies/export/"
HEADER = (
    "cadre,area_code,area_name,competency_code,competency_name,levels,level_required,description,survey_topic"
)
PSW_ROW = "PSW,CASE,Case work,CM,Case management,3,1,,case_management"
SW_ROWS = [
    "SW,CASE,Case management,CM,Case management,3,2,,case_management",
    'SW,LAW,Law and procedures,LAW,Child protection law,4,1,"Acts, rules",child_protection_law',
]


@pytest.fixture
def frameworks(country: Country) -> None:
    """SW: area CASE (CM at 2), then LAW (LAW at 1); PSW: area CASE (CM at 1)."""
    case_management = CompetencyFactory(
        code="CM", name="Case management", levels=3, survey_topic="case_management"
    )
    law = CompetencyFactory(
        code="LAW",
        name="Child protection law",
        levels=4,
        description="Acts, rules",
        survey_topic="child_protection_law",
    )
    social_work = FrameworkFactory(cadre=country.social_worker)
    RequirementFactory(
        area=AreaFactory(framework=social_work, code="LAW", name="Law and procedures", position=1),
        competency=law,
        level=1,
    )
    RequirementFactory(
        area=AreaFactory(framework=social_work, code="CASE", name="Case management", position=0),
        competency=case_management,
        level=2,
    )
    para = FrameworkFactory(cadre=country.para_social_worker)
    RequirementFactory(
        area=AreaFactory(framework=para, code="CASE", name="Case work", position=0),
        competency=case_management,
        level=1,
    )


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def _lines(response: Any) -> list[str]:
    assert response.status_code == 200, _body(response)
    return _body(response).decode("utf-8-sig").splitlines()


def _page(user: Any, query: str = "") -> Any:
    client = Client()
    client.force_login(user)
    return client.get(f"/training/competencies/export/{query}")


def test_the_csv_export_is_the_page_s_file(
    frameworks: None, personas: Personas, client_for: Callable[[str | None], APIClient]
) -> None:
    answer = client_for("analyst").get(URL)
    assert answer["Content-Type"].startswith("text/csv")
    assert answer["Content-Disposition"] == 'attachment; filename="competency-frameworks.csv"'
    content = _body(answer)
    assert content.decode("utf-8-sig").splitlines() == [HEADER, PSW_ROW, *SW_ROWS]
    assert content == _body(_page(personas.analyst))
    assert _body(client_for("national").get(f"{URL}?format=csv")) == content


def test_the_xlsx_export_is_the_page_s_workbook(
    frameworks: None, personas: Personas, client_for: Callable[[str | None], APIClient]
) -> None:
    answer = client_for("national").get(f"{URL}?format=xlsx")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="competency-frameworks.xlsx"'

    def sheets(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}

    exported = sheets(_body(answer))
    assert exported == sheets(_body(_page(personas.national, "?format=xlsx")))
    assert list(exported) == ["frameworks"]
    assert exported["frameworks"][1:] == [
        ("PSW", "CASE", "Case work", "CM", "Case management", 3, 1, None, "case_management"),
        ("SW", "CASE", "Case management", "CM", "Case management", 3, 2, None, "case_management"),
        (
            "SW",
            "LAW",
            "Law and procedures",
            "LAW",
            "Child protection law",
            4,
            1,
            "Acts, rules",
            "child_protection_law",
        ),
    ]


def test_the_export_is_narrowed_to_the_cadres_asked(
    frameworks: None, client_for: Callable[[str | None], APIClient]
) -> None:
    analyst = client_for("analyst")
    assert _lines(analyst.get(f"{URL}?cadre=SW")) == [HEADER, *SW_ROWS]
    assert _lines(analyst.get(f"{URL}?cadre=SW&cadre=PSW&format=csv")) == [HEADER, PSW_ROW, *SW_ROWS]
    assert _lines(analyst.get(f"{URL}?cadre=&format=")) == [HEADER, PSW_ROW, *SW_ROWS]  # empty: not given
    # A cadre with no framework is known: its export is the header alone.
    assert _lines(analyst.get(f"{URL}?cadre=CPV")) == [HEADER]


def test_an_unknown_cadre_or_format_is_refused_naming_the_parameter(
    frameworks: None, client_for: Callable[[str | None], APIClient]
) -> None:
    analyst = client_for("analyst")
    unknown = analyst.get(f"{URL}?cadre=SW&cadre=NOPE")
    assert (unknown.status_code, unknown.json()) == (400, {"cadre": ['No cadre with code "NOPE".']})
    pdf = analyst.get(f"{URL}?format=pdf")
    assert (pdf.status_code, pdf.json()) == (
        400,
        {"format": ['Unknown export format "pdf": choose csv or xlsx.']},
    )


def test_the_export_is_refused_to_those_who_read_no_framework(
    frameworks: None, personas: Personas, client_for: Callable[[str | None], APIClient]
) -> None:
    worker_login = UserFactory(username="own-login")
    user_scope_grant(actor=None, user=worker_login, role=Role.WORKER, worker=WorkerFactory())
    own = APIClient()
    own.force_authenticate(user=worker_login)
    assert own.get(URL).status_code == 403
    assert client_for("outsider").get(f"{URL}?format=xlsx").status_code == 403
    assert client_for(None).get(URL).status_code == 401
    for reader in ("administrator", "subnational", "focal_point"):
        assert _lines(client_for(reader).get(URL))[0] == HEADER
