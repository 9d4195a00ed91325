"""The CPD import on the page and through the API: the same report as the command (the file named as sent),
all or nothing, a dry run, a provider of another body refused."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.regulation.models import CpdProvider, CpdRecord, RegulatoryBody
from tests.factories import UserFactory
from tests.regulation.test_cpd_import import cpd  # noqa: F401 (the fixture)

GOOD = b"person_identifier,course,completion_date,certificate_id\nW1,ETH-1,2024-03-01,MOOC-1\nW2,PRA-1,2024-04-12,\n"
BAD = b"person_identifier,course,completion_date,certificate_id\nW1,ETH-1,2024-03-01,MOOC-1\nNOBODY,PRA-1,2024-04-12,\n"


def test_the_page_imports_and_reports_by_the_file_sent(cpd: dict[str, Any]) -> None:  # noqa: F811
    client = Client()
    client.force_login(cpd["registrar"])
    assert client.get("/registers/cpd-import/").status_code == 200
    refused = client.post(
        "/registers/cpd-import/",
        {"provider": cpd["provider"].pk, "file": SimpleUploadedFile("mooc-march.csv", BAD)},
    )
    page = refused.content.decode()
    assert refused.status_code == 400 and "mooc-march.csv" in page and "NOBODY" in page
    assert not CpdRecord.objects.exists()
    checked = client.post(
        "/registers/cpd-import/",
        {"provider": cpd["provider"].pk, "file": SimpleUploadedFile("a.csv", GOOD), "dry_run": "on"},
    )
    assert checked.status_code == 200 and not CpdRecord.objects.exists()
    done = client.post(
        "/registers/cpd-import/", {"provider": cpd["provider"].pk, "file": SimpleUploadedFile("a.csv", GOOD)}
    )
    assert done.status_code == 200 and CpdRecord.objects.count() == 2


def test_the_api_imports_with_the_report(cpd: dict[str, Any]) -> None:  # noqa: F811
    api = APIClient()
    api.force_authenticate(cpd["registrar"])
    bad = api.post(
        "/api/v1/regulation/cpd-import/",
        {"provider": "P1", "file": SimpleUploadedFile("x.csv", BAD)},
        format="multipart",
    )
    assert bad.status_code == 400 and bad.json()["imported"] is False and bad.json()["errors"] == 1
    assert bad.json()["problems"][0]["file"] == "x.csv" and not CpdRecord.objects.exists()
    good = api.post(
        "/api/v1/regulation/cpd-import/",
        {"provider": "P1", "file": SimpleUploadedFile("x.csv", GOOD)},
        format="multipart",
    )
    assert good.status_code == 200 and good.json()["imported"] is True and CpdRecord.objects.count() == 2
    other = RegulatoryBody.objects.create(code="NC", name="Nurses")
    CpdProvider.objects.create(
        body=other, code="NP", name="Nursing school", accredited_from=cpd["ethics"].held_on
    )
    registrar = UserFactory(username="ours")
    user_scope_grant(actor=None, user=registrar, role=Role.REGISTRAR, regulatory_body=cpd["provider"].body)
    api.force_authenticate(registrar)
    refused = api.post(
        "/api/v1/regulation/cpd-import/",
        {"provider": "NP", "file": SimpleUploadedFile("x.csv", GOOD)},
        format="multipart",
    )
    assert refused.status_code == 400 and "provider" in refused.json()
