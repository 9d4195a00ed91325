"""The competency pages (``/training/competencies/``, ``/training/workers/<id>/competencies/``): framework
changes on the page, the import, the gaps with small cells withheld for the analyst, the missing workers in
the reader's scope, the training needs as CSV, one worker's competencies and an assessment, and the lists'
query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sswis.training.models_competencies import CompetencyArea, CompetencyAssessment, RequiredCompetency
from tests.factories import CadreFactory
from tests.training.competency_world import CompetencyWorld, competency_world_build
from tests.training.factories_competencies import (
    CompetencyFactory,
    FrameworkFactory,
    ProgrammeCompetencyFactory,
)


@pytest.fixture
def world(country: Any) -> CompetencyWorld:
    return competency_world_build(country)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_national_data_manager_changes_a_framework_on_its_page(
    world: CompetencyWorld, personas: Any
) -> None:
    client = client_of(personas.national)
    page = client.get(reverse("web:training_framework", kwargs={"code": "SW"}))
    assert page.status_code == 200 and "Case management" in page.content.decode()
    url = reverse("web:training_framework_change", kwargs={"code": "SW", "what": "area_add"})
    assert client.post(url, {"code": "REF", "name": "Referral"}).status_code == 302
    refused = client.post(url, {"code": "REF", "name": "Again"})
    assert refused.status_code == 400
    assert "This framework already has an area with the code REF." in refused.content.decode()
    url = reverse("web:training_framework_change", kwargs={"code": "SW", "what": "requirement"})
    assert (
        client.post(url, {"area": "REF", "competency": "LAW", "level": "2"}).status_code == 400
    )  # once a framework
    CompetencyFactory(code="REFER", levels=2)
    assert client.post(url, {"area": "REF", "competency": "REFER", "level": "2"}).status_code == 302
    assert RequiredCompetency.objects.filter(area__code="REF", competency__code="REFER", level=2).exists()
    assert list(CompetencyArea.objects.filter(framework=world.framework).values_list("code", flat=True)) == [
        "CASE",
        "LAW",
        "REF",
    ]
    analyst = client_of(personas.analyst)
    assert analyst.get(reverse("web:training_framework", kwargs={"code": "SW"})).status_code == 200
    assert analyst.post(url, {"area": "REF", "competency": "LAW", "level": "1"}).status_code == 403


def test_a_framework_is_created_and_imported_on_the_pages(country: Any, personas: Any) -> None:
    client = client_of(personas.administrator)
    response = client.post(reverse("web:training_frameworks"), {"cadre": "PSW", "name": "PSW competencies"})
    assert response.status_code == 302
    upload = SimpleUploadedFile(
        "frameworks.csv",
        b"cadre,area_code,area_name,competency_code,competency_name,levels,level_required,description,survey_topic\n"
        b"PSW,CASE,Case work,CM,Case management,3,1,,case_management\n",
    )
    response = client.post(reverse("web:training_framework_import"), {"file": upload})
    assert response.status_code == 200 and RequiredCompetency.objects.count() == 1
    bad = SimpleUploadedFile("frameworks.csv", b"cadre\nXX\n")
    response = client.post(reverse("web:training_framework_import"), {"file": bad})
    assert response.status_code == 400
    assert client_of(personas.subnational).get(reverse("web:training_framework_import")).status_code == 403
    export = client.get(reverse("web:training_framework_export"))
    assert b"".join(export.streaming_content).decode("utf-8-sig").splitlines()[1] == (
        "PSW,CASE,Case work,CM,Case management,3,1,,case_management"
    )


def test_the_gaps_page_withholds_small_cells_for_the_analyst(
    world: CompetencyWorld, personas: Any, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 2
    url = reverse("web:training_gaps")
    national = client_of(personas.national).get(url, {"year": 2025, "location": "KD"}).content.decode()
    analyst = client_of(personas.analyst).get(url, {"year": 2025, "location": "KD"}).content.decode()
    assert "60.0%" in national and "60.0%" in analyst  # KD: 3 of 5 have CM
    assert "50.0%" in national and "50.0%" not in analyst  # R1: 2 of 4 (withheld for the analyst)
    assert "withheld" in analyst


def test_the_missing_list_is_the_reader_s_own(world: CompetencyWorld, personas: Any) -> None:
    url = reverse("web:training_missing")
    page = client_of(personas.subnational).get(url, {"year": 2025, "cadre": "SW"}).content.decode()
    # Match the link text: a bare "W6" may turn up inside a random CSRF token.
    assert (">W1<" in page, ">W3<" in page, ">W4<" in page, ">W6<" in page) == (True, True, True, False)
    outside = client_of(personas.subnational).get(url, {"year": 2025, "location": "R2", "cadre": "SW"})
    assert outside.status_code == 403
    assert client_of(personas.analyst).get(url).status_code == 403
    assert client_of(personas.outsider).get(url).status_code == 403
    focal = (
        client_of(personas.focal_point)
        .get(url, {"year": 2025, "location": "KD", "cadre": "SW"})
        .content.decode()
    )
    assert ">W6<" not in focal and ">W1<" not in focal


@pytest.mark.parametrize("extra", [1, 3])
def test_the_lists_cost_the_same_queries_for_one_or_many(
    world: CompetencyWorld, personas: Any, country: Any, django_assert_max_num_queries: Any, extra: int
) -> None:
    for _ in range(extra):
        ProgrammeCompetencyFactory(competency=world.law, level=1)
        FrameworkFactory(cadre=CadreFactory())
    client = client_of(personas.national)
    # The gaps' aggregate runs in its own transaction on PostgreSQL (3 statements more).
    for name, limit in (
        ("web:training_frameworks", 6),
        ("web:training_programme_competencies", 8),
        ("web:training_missing", 14),
        ("web:training_gaps", 13),
        ("web:training_needs", 15),
    ):
        with django_assert_max_num_queries(limit):
            assert client.get(reverse(name), {"year": 2025}).status_code == 200


def test_the_training_needs_download(world: CompetencyWorld, personas: Any) -> None:
    response = client_of(personas.national).get(
        reverse("web:training_needs_csv"), {"year": 2025, "location": "KD"}
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == [
        "year,location,competency,name,cadre,level_required,counted,lacking,survey_topic,survey_need,withheld",
        "2025,KD,LAW,Child protection law,SW,1,5,3,child_protection_law,0,no",
        "2025,KD,CM,Case management,SW,2,5,2,case_management,0,no",
    ]


def test_a_worker_s_competencies_and_an_assessment(world: CompetencyWorld, personas: Any) -> None:
    url = reverse("web:training_worker_competencies", kwargs={"worker_id": "W3"})
    client = client_of(personas.subnational)
    page = client.get(url, {"day": "2025-12-31"}).content.decode()
    assert "Case management basics" in page
    response = client.post(
        url, {"competency": "CM", "level": "2", "assessed_on": "2025-02-01", "assessor": "Sup"}
    )
    assert response.status_code == 302
    assert CompetencyAssessment.objects.filter(worker=world.workers["w3"], level=2).count() == 1
    bad = client.post(
        url,
        {
            "competency": "CM",
            "level": "2",
            "assessed_on": str(datetime.date.today() + datetime.timedelta(days=2)),
        },
    )
    assert bad.status_code == 400
    assert client_of(personas.focal_point).get(url).status_code == 404
    assert client_of(personas.analyst).get(url).status_code == 403
