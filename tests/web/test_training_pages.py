"""The training's catalogue and completions pages: who opens what, the forms (saved by one service,
refusals shown with nothing written), the completions narrowed to what each persona may see with the
workers' identity only, the worker's pages' training section, and every list's query count."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.training.models import (
    Accreditation,
    Completion,
    Instructor,
    Intake,
    Programme,
    TrainingInstitution,
)
from sswis.training.services import accreditation_add, completion_record, intake_set
from tests.conftest import Personas
from tests.factories import UserFactory, WorkerFactory
from tests.training.factories import CompletionFactory, InstructorFactory, ProgrammeFactory
from tests.training.fixtures import Training, training  # noqa: F401  (the fixture)
from tests.web.conftest import queries_for, text_of

D = datetime.date


@pytest.fixture
def completions(training: Training, personas: Personas) -> tuple[Completion, Completion]:  # noqa: F811
    north = completion_record(
        actor=personas.national, worker=training.north_worker, programme=training.bsw,
        completed_on=D(2024, 6, 30), certificate_number="CERT-N",
    )  # fmt: skip
    south = completion_record(
        actor=personas.national,
        worker=training.south_worker,
        programme=training.ccw,
        completed_on=D(2024, 7, 1),
    )
    return north, south


def test_the_hub_and_the_navigation(
    training: Training,  # noqa: F811
    personas: Personas,
    as_user: Callable[[Any], Client],
) -> None:
    national = as_user(personas.national).get("/training/")
    assert national.status_code == 200
    assert 'href="/training/completions/"' in national.content.decode()
    analyst = as_user(personas.analyst).get("/training/").content.decode()
    assert 'href="/training/institutions/"' in analyst and 'href="/training/completions/"' not in analyst
    assert (
        'href="/training/"' in as_user(personas.analyst).get("/").content.decode()
    )  # "Training" in the menu
    worker = UserFactory(username="own")
    user_scope_grant(actor=None, user=worker, role=Role.WORKER, worker=training.north_worker)
    assert as_user(worker).get("/training/").status_code == 403
    assert 'href="/training/"' not in as_user(worker).get("/me/").content.decode()


def test_an_institution_s_page_shows_its_accreditation_programmes_figures_and_instructors_to_whom_may(
    training: Training,  # noqa: F811
    personas: Personas,
    completions: tuple[Completion, Completion],
    as_user: Callable[[Any], Client],
) -> None:
    accreditation_add(
        actor=personas.national, institution=training.north, accredited_by="Higher Education Council",
        valid_from=D(2020, 1, 1),
    )  # fmt: skip
    intake_set(actor=personas.national, programme=training.bsw, year=2024, enrolled=30)
    page = text_of(as_user(training.north_focal).get("/training/institutions/UNI-N/"))
    assert "Accredited by Higher Education Council since 2020-01-01" in page
    assert "Diploma in social work BSW" in page
    assert "Ruth Mwale" in page  # the instructor: to the institution's own focal point
    # 2024: 30 students, 1 full-time instructor; one completion.
    assert "2024 30 1.0 30.00" in page and "2024 Diploma in social work BSW 30 1" in page
    for reader in (personas.analyst, training.south_focal, personas.subnational):
        seen = text_of(as_user(reader).get("/training/institutions/UNI-N/"))
        assert "Diploma in social work" in seen and "Ruth Mwale" not in seen
        assert training.north_worker.family_name not in seen
    listing = text_of(as_user(personas.analyst).get("/training/institutions/"))
    assert "University of the North UNI-N University Alpha Accredited 1" in listing
    assert "College of the South COL-S College Gamma Not accredited 1" in listing


def test_institutions_are_added_and_changed_on_their_forms(
    training: Training,  # noqa: F811
    personas: Personas,
    as_user: Callable[[Any], Client],
) -> None:
    national = as_user(personas.national)
    added = national.post(
        "/training/institutions/new/",
        {"code": "ONLINE", "name": "Learning platform", "kind": "online_platform"},
    )
    assert added.status_code == 302 and added["Location"] == "/training/institutions/ONLINE/"
    refused = national.post(
        "/training/institutions/new/", {"code": "BAD", "name": "Bad\x1bname", "kind": "college"}
    )
    assert refused.status_code == 400 and "U+001B" in text_of(refused)
    taken = national.post(
        "/training/institutions/new/", {"code": "UNI-N", "name": "Other", "kind": "college"}
    )
    assert taken.status_code == 400 and "There is a problem" in text_of(taken)
    assert not TrainingInstitution.objects.filter(code="BAD").exists()
    assert TrainingInstitution.objects.filter(name="Other").count() == 0

    focal = as_user(training.north_focal)
    assert focal.get("/training/institutions/new/").status_code == 403
    changed = focal.post(
        "/training/institutions/UNI-N/edit/",
        {"code": "UNI-N", "name": "North University", "kind": "university"},
    )
    assert changed.status_code == 302
    assert TrainingInstitution.objects.get(code="UNI-N").name == "North University"
    assert (
        focal.post(
            "/training/institutions/COL-S/edit/", {"code": "COL-S", "name": "X", "kind": "college"}
        ).status_code
        == 403
    )
    assert TrainingInstitution.objects.get(code="COL-S").name == "College of the South"


def test_accreditations_and_instructors_on_their_forms(
    training: Training,  # noqa: F811
    as_user: Callable[[Any], Client],
) -> None:
    focal = as_user(training.north_focal)
    url = "/training/institutions/UNI-N/accreditations/new/"
    assert focal.post(url, {"accredited_by": "Council", "valid_from": "2020-01-01"}).status_code == 302
    overlapping = focal.post(url, {"accredited_by": "Council", "valid_from": "2021-01-01"})
    assert overlapping.status_code == 400
    assert "It overlaps the accreditation from 2020-01-01, which has no end." in text_of(overlapping)
    accreditation = Accreditation.objects.get()
    ended = focal.post(f"/training/accreditations/{accreditation.pk}/end/", {"valid_until": "2023-12-31"})
    assert ended.status_code == 302
    accreditation.refresh_from_db()
    assert accreditation.valid_until == D(2023, 12, 31)

    added = focal.post(
        "/training/institutions/UNI-N/instructors/new/",
        {
            "name": "Part-timer",
            "qualification": "bachelor",
            "programmes": ["BSW"],
            "active_from": "2024-01-01",
        },
    )
    assert added.status_code == 302
    instructor = Instructor.objects.get(name="Part-timer")
    assert (instructor.full_time, list(instructor.programmes.values_list("code", flat=True))) == (
        False,
        ["BSW"],
    )
    assert focal.get(f"/training/instructors/{instructor.pk}/edit/").status_code == 200
    early = focal.post(f"/training/instructors/{instructor.pk}/end/", {"active_until": "2023-01-01"})
    assert early.status_code == 400 and "cannot stop teaching before starting" in text_of(early)
    assert (
        focal.post(f"/training/instructors/{instructor.pk}/end/", {"active_until": "2024-12-31"}).status_code
        == 302
    )
    other = as_user(training.south_focal)
    assert other.get(f"/training/instructors/{instructor.pk}/edit/").status_code == 404  # a person: not found
    assert other.post(url, {"accredited_by": "X", "valid_from": "2030-01-01"}).status_code == 403


def test_programmes_are_listed_filtered_added_changed_and_their_intakes_set(
    training: Training,  # noqa: F811
    personas: Personas,
    as_user: Callable[[Any], Client],
) -> None:
    analyst = as_user(personas.analyst)
    assert [
        code
        for code in ("BSW", "CCW", "NAT-1")
        if f"<td>{code}</td>" in analyst.get("/training/programmes/").content.decode()
    ] == ["BSW", "CCW", "NAT-1"]
    certifying = analyst.get("/training/programmes/?certifying=yes").content.decode()
    assert "<td>BSW</td>" in certifying and "<td>CCW</td>" not in certifying
    by_institution = analyst.get("/training/programmes/?institution=COL-S&kind=").content.decode()
    assert "<td>CCW</td>" in by_institution and "<td>BSW</td>" not in by_institution
    detail = text_of(analyst.get("/training/programmes/BSW/"))
    assert "certifies today" in detail and "Set the intake" not in detail

    focal = as_user(training.north_focal)
    form = {
        "code": "MSW",
        "name": "Master",
        "kind": "pre_service_degree",
        "practicum_hours": "0",
        "supervisor_experience_years": "0",
    }
    without = focal.post("/training/programmes/new/", form)
    assert without.status_code == 400 and "Institution: This field is required." in text_of(without)
    assert (
        focal.post("/training/programmes/new/", form | {"institution": training.south.pk}).status_code == 400
    )
    assert (
        focal.post("/training/programmes/new/", form | {"institution": training.north.pk}).status_code == 302
    )
    changed = focal.post(
        "/training/programmes/MSW/edit/",
        form | {"institution": training.north.pk, "certifies_child_victims": "on", "cadres": ["SW"]},
    )
    assert changed.status_code == 302
    programme = Programme.objects.get(code="MSW")
    assert programme.certifies_child_victims and list(programme.cadres.values_list("code", flat=True)) == [
        "SW"
    ]
    assert programme.history.latest().history_change_reason == "certification changed"
    assert focal.post("/training/programmes/CCW/edit/", form).status_code == 403

    assert "Set the intake of a year" in text_of(focal.get("/training/programmes/BSW/"))
    assert (
        focal.post("/training/programmes/BSW/intakes/", {"year": "2024", "enrolled": "30"}).status_code == 302
    )
    assert (
        focal.post("/training/programmes/BSW/intakes/", {"year": "2024", "enrolled": "-1"}).status_code == 400
    )
    assert (
        focal.post("/training/programmes/NAT-1/intakes/", {"year": "2024", "enrolled": "5"}).status_code
        == 403
    )
    assert list(Intake.objects.values_list("programme__code", "year", "enrolled")) == [("BSW", 2024, 30)]


@pytest.mark.parametrize(
    ("reader", "shown", "linked"),
    [
        ("national", {"W-NORTH", "W-SOUTH"}, {"W-NORTH", "W-SOUTH"}),
        ("subnational", {"W-NORTH"}, {"W-NORTH"}),
        ("focal_point", {"W-SOUTH"}, {"W-SOUTH"}),
        ("north_focal", {"W-NORTH"}, set()),
    ],
)
def test_completions_are_listed_to_each_persona_as_far_as_they_may_see(
    training: Training,  # noqa: F811
    personas: Personas,
    completions: tuple[Completion, Completion],
    as_user: Callable[[Any], Client],
    reader: str,
    shown: set[str],
    linked: set[str],
) -> None:
    user = training.north_focal if reader == "north_focal" else getattr(personas, reader)
    page = as_user(user).get("/training/completions/").content.decode()
    workers = {"W-NORTH": training.north_worker, "W-SOUTH": training.south_worker}
    assert {worker_id for worker_id, worker in workers.items() if worker.family_name in page} == shown
    assert {worker_id for worker_id in workers if f'href="/workers/{worker_id}/"' in page} == linked
    assert not [
        worker_id for worker_id, worker in workers.items() if worker.national_id in page
    ]  # identity only


@pytest.mark.parametrize("reader", ["analyst", "administrator", "outsider"])
def test_completions_are_refused_to_those_who_see_no_person(
    training: Training,  # noqa: F811
    personas: Personas,
    as_user: Callable[[Any], Client],
    reader: str,
) -> None:
    assert as_user(getattr(personas, reader)).get("/training/completions/").status_code == 403


def test_completions_are_filtered_by_programme_institution_and_year(
    training: Training,  # noqa: F811
    personas: Personas,
    completions: tuple[Completion, Completion],
    as_user: Callable[[Any], Client],
) -> None:
    national = as_user(personas.national)
    assert "Lungu" in national.get("/training/completions/?programme=BSW").content.decode()
    assert "Lungu" not in national.get("/training/completions/?institution=COL-S").content.decode()
    assert "Zulu" not in national.get("/training/completions/?year=2023").content.decode()


def test_a_completion_is_recorded_and_withdrawn_on_the_pages(
    training: Training,  # noqa: F811
    as_user: Callable[[Any], Client],
) -> None:
    focal = as_user(training.north_focal)
    form = {
        "worker_id": "W-SOUTH",
        "programme": "BSW",
        "completed_on": "2024-06-30",
        "certificate_number": "C-7",
    }
    assert focal.post("/training/completions/new/", form).status_code == 302
    duplicate = focal.post("/training/completions/new/", form)
    assert duplicate.status_code == 400
    assert "W-SOUTH's completion of BSW on 2024-06-30 is already recorded." in text_of(duplicate)
    unknown = focal.post("/training/completions/new/", form | {"worker_id": "W-NOBODY"})
    assert unknown.status_code == 400 and "No worker has this worker ID." in text_of(unknown)
    other = focal.post("/training/completions/new/", form | {"programme": "CCW"})
    assert other.status_code == 400  # not a programme offered to this focal point
    assert Completion.objects.count() == 1

    completion = Completion.objects.get()
    url = f"/training/completions/{completion.uuid}/withdraw/"
    assert as_user(training.south_focal).get(url).status_code == 404
    focal = as_user(training.north_focal)
    assert focal.post(url, {"reason": ""}).status_code == 400
    assert Completion.objects.exists()
    assert focal.post(url, {"reason": "Wrong worker"}).status_code == 302
    assert not Completion.objects.exists()


def test_the_worker_s_pages_list_their_completions(
    training: Training,  # noqa: F811
    personas: Personas,
    completions: tuple[Completion, Completion],
    as_user: Callable[[Any], Client],
) -> None:
    page = text_of(as_user(personas.subnational).get("/workers/W-NORTH/"))
    assert (
        "Training" in page and "2024-06-30 Diploma in social work BSW University of the North CERT-N" in page
    )
    worker = UserFactory(username="own")
    user_scope_grant(actor=None, user=worker, role=Role.WORKER, worker=training.north_worker)
    own = text_of(as_user(worker).get("/me/"))
    assert "Diploma in social work" in own and "Child care certificate" not in own


def _completions(count: int) -> None:
    programme = ProgrammeFactory()
    for _ in range(count):
        CompletionFactory(programme=programme, worker=WorkerFactory())


def _institutions(count: int) -> None:
    for _ in range(count):
        programme = ProgrammeFactory()
        InstructorFactory(institution=programme.institution).programmes.add(programme)


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/training/completions/", _completions),
        ("/training/institutions/", _institutions),
        ("/training/programmes/?certifying=no", lambda count: [ProgrammeFactory() for _ in range(count)]),
    ],
)
def test_the_lists_cost_the_same_queries_for_one_row_or_three(
    personas: Personas, as_user: Callable[[Any], Client], url: str, make: Callable[[int], Any]
) -> None:
    client = as_user(personas.national)
    make(1)
    one = queries_for(client, url)
    make(2)
    assert queries_for(client, url) == one
    assert one <= 10


def test_an_institution_s_page_costs_the_same_queries_for_one_programme_or_three(
    personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    programme = ProgrammeFactory()
    institution = programme.institution
    InstructorFactory(institution=institution).programmes.add(programme)
    CompletionFactory(programme=programme)
    client = as_user(personas.national)
    url = f"/training/institutions/{institution.code}/"
    one = queries_for(client, url)
    for _ in range(2):
        more = ProgrammeFactory(institution=institution)
        InstructorFactory(institution=institution).programmes.add(more)
        CompletionFactory(programme=more)
    assert queries_for(client, url) == one
    assert one <= 16
