"""The OpenAPI 3 schema and the documentation pages (served from this host only)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

PATHS = {
    "/api/v1/duplicates/pairs/",
    "/api/v1/duplicates/pairs/{pair_id}/",
    "/api/v1/duplicates/pairs/{pair_id}/confirm/",
    "/api/v1/duplicates/pairs/{pair_id}/reject/",
    "/api/v1/duplicates/runs/",
    "/api/v1/duplicates/runs/{uuid}/",
    "/api/v1/duplicates/model/",
    "/api/v1/dhis2/pushes/",
    "/api/v1/dhis2/pushes/{uuid}/",
    "/api/v1/dhis2/export/",
    "/api/v1/support/primero/syncs/",
    "/api/v1/support/primero/transfer-to/",
    "/api/v1/reports/profiles/",
    "/api/v1/reports/profiles/{report_uuid}/",
    "/api/v1/reports/profiles/{report_uuid}/download/",
    "/api/v1/training/competencies/frameworks/",
    "/api/v1/training/competencies/frameworks/{code}/",
    "/api/v1/training/competencies/frameworks/{code}/{what}/",
    "/api/v1/training/competencies/export/",
    "/api/v1/training/competencies/import/",
    "/api/v1/training/competencies/programmes/",
    "/api/v1/training/competencies/gaps/",
    "/api/v1/training/competencies/missing/",
    "/api/v1/training/competencies/needs/",
    "/api/v1/training/competencies/workers/{worker_id}/",
    "/api/v1/assignments/",
    "/api/v1/assignments/{uuid}/",
    "/api/v1/assignments/{uuid}/end/",
    "/api/v1/assignments/{uuid}/transfer/",
    "/api/v1/auth/token/",
    "/api/v1/auth/token/revoke/",
    "/api/v1/auth/token/revoke-all/",
    "/api/v1/cadres/",
    "/api/v1/cadres/{code}/",
    "/api/v1/imports/",
    "/api/v1/imports/{uuid}/",
    "/api/v1/imports/{uuid}/problems/",
    "/api/v1/imports/submissions/",
    "/api/v1/indicators/",
    "/api/v1/support/retention/",
    "/api/v1/indicators/definitions/",
    "/api/v1/locations/",
    "/api/v1/locations/{code}/",
    "/api/v1/organisations/",
    "/api/v1/organisations/{code}/",
    "/api/v1/perceptions/",
    "/api/v1/population/",
    "/api/v1/population/{uuid}/",
    "/api/v1/posts/",
    "/api/v1/posts/{code}/",
    "/api/v1/public/register/",
    "/api/v1/survey-rounds/",
    "/api/v1/survey-rounds/{code}/",
    "/api/v1/plan/norms/",
    "/api/v1/plan/scenarios/",
    "/api/v1/plan/scenarios/compare/",
    "/api/v1/plan/scenarios/{code}/",
    "/api/v1/plan/scenarios/{code}/projection/",
    "/api/v1/plan/wisn/",
    "/api/v1/plan/studies/",
    "/api/v1/plan/studies/{code}/",
    "/api/v1/plan/studies/{code}/locations/",
    "/api/v1/plan/targets/",
    "/api/v1/plan/targets/{id}/",
    "/api/v1/plan/settings/",
    "/api/v1/plan/costs/",
    "/api/v1/plan/salary-scales/",
    "/api/v1/plan/cadre-costs/",
    "/api/v1/regulation/complaints/",
    "/api/v1/regulation/complaints/{id}/",
    "/api/v1/regulation/complaints/{id}/{step}/",
    "/api/v1/regulation/exams/",
    "/api/v1/regulation/exams/{id}/",
    "/api/v1/regulation/exams/{id}/{step}/",
    "/api/v1/regulation/registers/",
    "/api/v1/regulation/statistics/",
    "/api/v1/regulation/setup/",
    "/api/v1/regulation/cpd-import/",
    "/api/v1/regulation/setup/{what}/",
    "/api/v1/regulation/registrations/",
    "/api/v1/regulation/registrations/{id}/",
    "/api/v1/regulation/registrations/{id}/{step}/",
    "/api/v1/plan/scenarios/{code}/training-graduates/",
    "/api/v1/training/practicum/availability/",
    "/api/v1/training/practicum/offers/",
    "/api/v1/training/practicum/placements/",
    "/api/v1/training/practicum/placements/{id}/",
    "/api/v1/training/practicum/placements/{id}/end/",
    "/api/v1/training/practicum/placements/{id}/evaluation/",
    "/api/v1/training/practicum/placements/{id}/hours/",
    "/api/v1/training/practicum/students/",
    "/api/v1/training/practicum/students/{id}/",
    "/api/v1/template/",
    "/api/v1/training/completions/",
    "/api/v1/training/completions/{uuid}/",
    "/api/v1/training/institutions/",
    "/api/v1/training/institutions/{code}/",
    "/api/v1/training/institutions/{code}/accreditations/",
    "/api/v1/training/accreditations/{id}/end/",
    "/api/v1/training/institutions/{code}/instructors/",
    "/api/v1/training/instructors/{id}/",
    "/api/v1/training/instructors/{id}/end/",
    "/api/v1/training/programmes/",
    "/api/v1/training/programmes/{code}/",
    "/api/v1/training/programmes/{code}/intakes/",
    "/api/v1/training/completions/import/",
    "/api/v1/training/completions/unmatched/",
    "/api/v1/training/completions/unmatched/{id}/match/",
    "/api/v1/training/completions/unmatched/{id}/set-aside/",
    "/api/v1/workers/",
    "/api/v1/workers/export/",
    "/api/v1/workers/merges/",
    "/api/v1/workers/merges/{uuid}/",
    "/api/v1/workers/merges/{uuid}/unmerge/",
    "/api/v1/workers/{worker_id}/",
    "/api/v1/xlsform/",
    # the quality-assurance score (SP 3.a.1)
    "/api/v1/quality/proposals/",
    "/api/v1/quality/scores/",
    "/api/v1/quality/instruments/",
    "/api/v1/quality/instruments/{uuid}/",
    "/api/v1/quality/instruments/{uuid}/end/",
    # professional associations
    "/api/v1/support/associations/",
    "/api/v1/support/associations/figures/",
    "/api/v1/support/associations/workers/{worker_id}/",
    "/api/v1/support/associations/memberships/{uuid}/",
    "/api/v1/support/associations/memberships/{uuid}/end/",
    "/api/v1/support/associations/{code}/",
    "/api/v1/support/associations/{code}/memberships/",
    # support: caseloads
    "/api/v1/support/caseloads/",
    "/api/v1/support/caseloads/{uuid}/",
    "/api/v1/support/caseloads/distribution/",
    "/api/v1/support/caseload-norms/",
    "/api/v1/support/caseload-norms/{id}/",
    # supervision
    "/api/v1/support/supervision/supervisors/",
    "/api/v1/support/supervision/compliance/",
    "/api/v1/support/supervision/rules/",
    "/api/v1/support/supervision/relationships/",
    "/api/v1/support/supervision/relationships/{relationship_uuid}/",
    "/api/v1/support/supervision/relationships/{relationship_uuid}/end/",
    "/api/v1/support/supervision/sessions/",
    "/api/v1/support/supervision/sessions/{session_uuid}/",
}


@pytest.fixture
def schema(db: Any) -> dict[str, Any]:
    response = APIClient().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return dict(response.json())


def test_schema_is_valid_openapi_3_with_every_path(schema: dict[str, Any]) -> None:
    validate_schema(schema)

    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == PATHS


def test_schema_documents_methods_and_filters(schema: dict[str, Any]) -> None:
    workers = schema["paths"]["/api/v1/workers/"]
    parameters = {parameter["name"] for parameter in workers["get"]["parameters"]}

    assert set(schema["paths"]["/api/v1/workers/{worker_id}/"]) == {"get", "put", "patch"}
    assert set(workers) == {"get", "post"}
    assert parameters == {
        "search",
        "location",
        "cadre",
        "category",
        "organisation",
        "employer",
        "paid",
        "active_year",
        "counted_year",
        "page",
        "page_size",
    }
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_schema_documents_the_import_upload_as_multipart_answered_with_202(schema: dict[str, Any]) -> None:
    imports = schema["paths"]["/api/v1/imports/"]
    upload = imports["post"]
    body = upload["requestBody"]["content"]
    fields = schema["components"]["schemas"]["ImportUpload"]
    problems = schema["paths"]["/api/v1/imports/{uuid}/problems/"]["get"]

    assert set(imports) == {"get", "post"}
    assert list(body) == ["multipart/form-data"]
    assert body["multipart/form-data"]["schema"] == {"$ref": "#/components/schemas/ImportUpload"}
    assert (fields["required"], fields["properties"]["file"]["format"]) == (["file", "mode"], "binary")
    assert set(upload["responses"]) == {"202", "400", "401", "403", "413", "415"}
    assert upload["responses"]["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ImportRecord"
    }
    assert set(schema["paths"]["/api/v1/imports/{uuid}/"]) == {"get"}
    assert {parameter["name"] for parameter in problems["parameters"]} == {"uuid", "format"}
    assert set(problems["responses"]["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_schema_documents_the_perceptions_query(schema: dict[str, Any]) -> None:
    perceptions = schema["paths"]["/api/v1/perceptions/"]["get"]

    assert {(p["name"], p.get("required", False)) for p in perceptions["parameters"]} == {
        ("round", True),
        ("location", False),
    }
    assert perceptions["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PerceptionSummary"
    }


def test_no_delete_endpoint_but_for_plans_completions_and_caseloads(schema: dict[str, Any]) -> None:
    # Registry records are never deleted (history is kept by ending them); a stored plan may be removed,
    # and a completion or a supervision session recorded in error withdrawn, their history keeping them.
    deletable = [path for path, operations in schema["paths"].items() if "delete" in operations]
    assert sorted(deletable) == [
        "/api/v1/plan/scenarios/{code}/",
        "/api/v1/plan/studies/{code}/",
        "/api/v1/plan/targets/{id}/",
        "/api/v1/support/caseload-norms/{id}/",
        "/api/v1/support/caseloads/{uuid}/",  # a caseload entered in error; the audit trail keeps it
        "/api/v1/support/supervision/sessions/{session_uuid}/",
        "/api/v1/training/completions/{uuid}/",
    ]


def local_references(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]*)"', html)


@pytest.mark.parametrize("page", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_documentation_pages_use_local_assets_only(db: Any, page: str) -> None:
    response = APIClient().get(page)

    assert response.status_code == 200
    html = response.content.decode()
    references = local_references(html)
    assert references, html
    assert "http://" not in html and "https://" not in html and "//" not in "".join(references)
    assets = [reference for reference in references if not reference.startswith(page)]
    assert all(reference.startswith("/static/") for reference in assets), assets
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/").split("?")[0]) is not None, asset
    assert "connect-src 'self'" in response["Content-Security-Policy"]


def test_swagger_page_has_no_inline_script_and_loads_its_start_script_locally(db: Any) -> None:
    html = APIClient().get("/api/v1/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    start = APIClient().get("/api/v1/docs/?script=")

    assert all("src=" in attributes for attributes in scripts)
    assert '<script src="/api/v1/docs/?script="></script>' in html
    assert start.status_code == 200
    assert start["Content-Type"].startswith("application/javascript")
    assert '"/api/v1/schema/"' in start.content.decode()
