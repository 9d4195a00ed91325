"""What an import by an organisation focal point or a subnational officer may touch, and what its messages
tell them; and that a row rejected in this import takes the rows that refer to it along (skip invalid)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sswis.access import policy
from sswis.geo.models import Location
from sswis.imports.modes import ImportMode
from sswis.imports.services import template_import
from sswis.registry.models import Assignment, Organisation, Post, Worker
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, PostFactory, WorkerFactory
from tests.imports.conftest import Files, database_snapshot

Template = Callable[..., Path]

ASSIGNMENT_HEADER = ["worker_id", "organization_code", "location_code", "cadre_code", "start_date", "paid"]
POST_HEADER = ["code", "organization_code", "location_code", "cadre_code"]
WORKER_HEADER = ["worker_id", "given_name", "family_name"]
NGO = "organisation NGO1"
NORTH = "R1 (North) and below"


def not_yours(worker_id: str, where: str) -> str:
    return (
        f"Worker '{worker_id}' is neither in workers.csv nor one of the workers of {where}: you may add "
        f"assignments for the workers of {where} and for the new workers of workers.csv. To move a worker of "
        f"another organisation or area to {where}, ask a national data manager."
    )


def not_in_scope(worker_id: str, where: str) -> str:
    return (
        f"Worker '{worker_id}' is not one of the workers of {where}: you may change the workers who have an "
        f"assignment in {where}, and register a new worker only together with an assignment there in "
        "assignments.csv that is imported too."
    )


def rows(report: object) -> list[tuple[str, int, str, str, str]]:
    return [(p.file, p.row, p.column, p.value, p.message) for p in report.problems]  # type: ignore[attr-defined]


@pytest.fixture
def ministry_worker(country: Country) -> Worker:
    """A worker of the ministry in D11 (North): the NGO's focal point may not see them."""
    worker = WorkerFactory(worker_id="V1", given_name="Secret")
    AssignmentFactory(worker=worker, organisation=country.ministry, location=country.district_11)
    return worker


# Assignments of workers of someone else (M1) -------------------------------------------------------------


@pytest.mark.parametrize("mode", [ImportMode.ALL_OR_NOTHING, ImportMode.SKIP_INVALID])
def test_a_focal_point_may_not_attach_a_worker_of_another_organisation(
    personas: Personas, country: Country, template: Template, ministry_worker: Worker, mode: ImportMode
) -> None:
    files = {"assignments": [ASSIGNMENT_HEADER, ["V1", "NGO1", "D21", "CPV", "2024-01-01", "no"]]}
    before = database_snapshot()

    report = template_import(actor=personas.focal_point, source=template(files), mode=mode)

    assert rows(report) == [("assignments.csv", 1, "worker_id", "V1", not_yours("V1", NGO))]
    assert (report.imported, report.files["assignments.csv"].rejected) == (mode.skip_invalid, 1)
    assert database_snapshot() == before
    assert not policy.workers_visible(user=personas.focal_point).filter(pk=ministry_worker.pk).exists()


def test_an_officer_may_not_attach_a_worker_of_another_area(
    personas: Personas, country: Country, template: Template
) -> None:
    AssignmentFactory(
        worker=WorkerFactory(worker_id="S1"), organisation=country.ngo, location=country.district_21
    )
    files = {"assignments": [ASSIGNMENT_HEADER, ["S1", "MSW", "D11", "SW", "2024-01-01", "yes"]]}

    report = template_import(actor=personas.subnational, source=template(files))

    assert rows(report) == [("assignments.csv", 1, "worker_id", "S1", not_yours("S1", NORTH))]
    assert Assignment.objects.filter(location=country.district_11).count() == 0


def test_an_unknown_worker_and_a_worker_of_someone_else_get_the_same_words(
    personas: Personas, country: Country, template: Template, ministry_worker: Worker
) -> None:
    files = {
        "assignments": [
            ASSIGNMENT_HEADER,
            ["V1", "NGO1", "D21", "CPV", "2024-01-01", "no"],
            ["NOBODY", "NGO1", "D21", "CPV", "2024-01-01", "no"],
        ]
    }

    report = template_import(actor=personas.focal_point, source=template(files), mode=ImportMode.DRY_RUN)

    assert rows(report) == [
        ("assignments.csv", 1, "worker_id", "V1", not_yours("V1", NGO)),
        ("assignments.csv", 2, "worker_id", "NOBODY", not_yours("NOBODY", NGO)),
    ]
    assert "Secret" not in str(rows(report))


def test_the_focal_points_own_and_new_workers_get_assignments(
    personas: Personas, country: Country, template: Template
) -> None:
    AssignmentFactory(
        worker=WorkerFactory(worker_id="OWN"), organisation=country.ngo, location=country.district_21
    )
    files = {
        "workers": [WORKER_HEADER, ["NEW", "Neema", "Juma"]],
        "assignments": [
            ASSIGNMENT_HEADER,
            ["OWN", "NGO1", "D21", "CPV", "2024-01-01", "no"],
            ["NEW", "NGO1", "D21", "CPV", "2024-01-01", "no"],
        ],
    }

    report = template_import(actor=personas.focal_point, source=template(files))

    assert (rows(report), report.imported) == ([], True)
    assert report.files["assignments.csv"].created == 2


def test_a_national_data_manager_moves_a_worker_to_another_organisation(
    personas: Personas, country: Country, template: Template, ministry_worker: Worker
) -> None:
    files = {"assignments": [ASSIGNMENT_HEADER, ["V1", "NGO1", "D21", "CPV", "2024-01-01", "no"]]}

    report = template_import(actor=personas.national, source=template(files))

    assert (rows(report), report.imported) == ([], True)
    assert policy.workers_visible(user=personas.focal_point).filter(pk=ministry_worker.pk).exists()


# Posts of someone else (M2) -------------------------------------------------------------------------------


def test_a_focal_point_may_not_take_over_a_post_of_another_organisation(
    personas: Personas, country: Country, template: Template
) -> None:
    PostFactory(
        code="P-MSW", organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    files = {"posts": [POST_HEADER, ["P-MSW", "NGO1", "D21", "CPV"]]}

    report = template_import(actor=personas.focal_point, source=template(files), mode=ImportMode.SKIP_INVALID)

    assert rows(report) == [
        (
            "posts.csv",
            1,
            "code",
            "P-MSW",
            "Post 'P-MSW' is not one of the posts of organisation NGO1, so you may not change it; give a new post "
            "another code.",
        )
    ]
    assert Post.objects.filter(
        code="P-MSW", organisation=country.ministry, location=country.district_11
    ).exists()


def test_an_officer_may_not_move_a_post_of_another_area_into_theirs(
    personas: Personas, country: Country, template: Template
) -> None:
    PostFactory(
        code="P-SOUTH", organisation=country.ngo, location=country.district_21, cadre=country.volunteer
    )
    PostFactory(
        code="P-NORTH", organisation=country.ngo, location=country.district_11, cadre=country.volunteer
    )
    files = {"posts": [POST_HEADER, ["P-SOUTH", "NGO1", "D11", "CPV"], ["P-NORTH", "NGO1", "D12", "CPV"]]}

    report = template_import(actor=personas.subnational, source=template(files), mode=ImportMode.SKIP_INVALID)

    assert [(p.row, p.column, p.value) for p in report.problems] == [(1, "code", "P-SOUTH")]
    assert dict(Post.objects.values_list("code", "location__code")) == {"P-SOUTH": "D21", "P-NORTH": "D12"}
    assert report.files["posts.csv"].updated == 1


def test_a_post_of_someone_else_is_not_described_to_a_restricted_importer(
    personas: Personas, country: Country, template: Template
) -> None:
    PostFactory(
        code="P-MSW", organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    PostFactory(code="P-NGO", organisation=country.ngo, location=country.district_21, cadre=country.volunteer)
    files = {
        "workers": [WORKER_HEADER, ["N1", "Neema", "Juma"]],
        "assignments": [
            [*ASSIGNMENT_HEADER, "post_code"],
            ["N1", "NGO1", "D21", "CPV", "2024-01-01", "no", "P-MSW"],
            ["N1", "NGO1", "D21", "PSW", "2024-01-01", "no", "P-NGO"],
        ],
    }

    focal = template_import(actor=personas.focal_point, source=template(files), mode=ImportMode.DRY_RUN)
    national = template_import(actor=personas.national, source=template(files), mode=ImportMode.DRY_RUN)

    own_post = (
        "Post 'P-NGO' is in organisation NGO1 at location D21 in cadre CPV, but this assignment is in NGO1 at "
        "D21 in cadre PSW; they must be the same."
    )
    assert [p.message for p in focal.problems] == [
        "Post 'P-MSW' is not one of the posts of organisation NGO1; an assignment there may fill only a post of "
        "organisation NGO1.",
        own_post,
    ]
    assert [p.message for p in national.problems] == [
        "Post 'P-MSW' is in organisation MSW at location D11 in cadre SW, but this assignment is in NGO1 at D21 "
        "in cadre CPV; they must be the same.",
        own_post,
    ]


# New workers left out of sight (S2) and what the messages reveal (S14) ---------------------------------------


def test_a_new_worker_whose_assignment_is_rejected_is_rejected_too_and_can_be_imported_again(
    personas: Personas, country: Country, template: Template
) -> None:
    files = {
        "workers": [WORKER_HEADER, ["N9", "Neema", "Juma"]],
        "assignments": [ASSIGNMENT_HEADER, ["N9", "MSW", "D21", "CPV", "2024-01-01", "no"]],
    }
    outside = "Organisation 'MSW' is not yours: you may import only the assignments of organisation NGO1."

    for folder in ("first", "again"):
        report = template_import(
            actor=personas.focal_point, source=template(files, folder=folder), mode=ImportMode.SKIP_INVALID
        )

        assert rows(report) == [
            ("workers.csv", 1, "worker_id", "N9", not_in_scope("N9", NGO)),
            ("assignments.csv", 1, "organization_code", "MSW", outside),
        ]
        counts = report.files["workers.csv"]
        assert (counts.read, counts.created, counts.rejected) == (1, 0, 1)
        assert report.unbalanced_files() == []
        assert (Worker.objects.count(), Worker.history.count()) == (0, 0)  # type: ignore[attr-defined]


def test_in_all_or_nothing_mode_the_worker_of_a_rejected_assignment_is_not_reported_again(
    personas: Personas, country: Country, template: Template
) -> None:
    files = {
        "workers": [WORKER_HEADER, ["N9", "Neema", "Juma"]],
        "assignments": [ASSIGNMENT_HEADER, ["N9", "MSW", "D21", "CPV", "2024-01-01", "no"]],
    }

    report = template_import(actor=personas.focal_point, source=template(files))

    assert [(p.file, p.column) for p in report.problems] == [("assignments.csv", "organization_code")]
    assert report.imported is False
    assert Worker.objects.count() == 0


def test_a_worker_of_someone_else_and_a_new_worker_without_assignment_get_the_same_words(
    personas: Personas, country: Country, template: Template, ministry_worker: Worker
) -> None:
    files = {"workers": [WORKER_HEADER, ["V1", "Any", "Name"], ["N1", "Neema", "Juma"]]}

    report = template_import(actor=personas.focal_point, source=template(files), mode=ImportMode.DRY_RUN)

    assert rows(report) == [
        ("workers.csv", 1, "worker_id", "V1", not_in_scope("V1", NGO)),
        ("workers.csv", 2, "worker_id", "N1", not_in_scope("N1", NGO)),
    ]
    counts = report.files["workers.csv"]
    assert (counts.created, counts.updated, counts.rejected) == (0, 0, 2)


def test_a_national_data_manager_may_register_workers_without_assignment(
    personas: Personas, country: Country, template: Template
) -> None:
    files = {"workers": [WORKER_HEADER, ["N1", "Neema", "Juma"]]}

    report = template_import(actor=personas.national, source=template(files))

    assert [(p.severity, p.value) for p in report.problems] == [("warning", "N1")]
    assert report.imported is True


# Rejected in this import wins over existing in the registry (S3) --------------------------------------------


def test_assignments_of_a_rejected_worker_are_rejected_though_the_worker_is_in_the_registry(
    personas: Personas, country: Country, template: Template
) -> None:
    AssignmentFactory(
        worker=WorkerFactory(worker_id="W1"), organisation=country.ngo, location=country.district_21
    )
    files = {
        "workers": [[*WORKER_HEADER, "email"], ["W1", "Neema", "Juma", "not an address"]],
        "assignments": [ASSIGNMENT_HEADER, ["W1", "NGO1", "D21", "PSW", "2024-01-01", "no"]],
    }

    report = template_import(actor=personas.focal_point, source=template(files), mode=ImportMode.SKIP_INVALID)

    assert rows(report)[1:] == [
        (
            "assignments.csv",
            1,
            "worker_id",
            "W1",
            "Worker ID 'W1' is on a row of workers.csv that was rejected, so this row is rejected too.",
        )
    ]
    assert (report.files["assignments.csv"].rejected, Assignment.objects.count()) == (1, 1)


def test_children_of_a_rejected_location_and_posts_of_a_rejected_organisation_are_rejected(
    personas: Personas, country: Country, template: Template
) -> None:
    files: Files = {
        "locations": [
            ["code", "name", "parent_code", "setting"],
            ["D11", "Alpha", "R1", "suburban"],
            ["W111", "Ward", "D11", ""],
        ],
        "organizations": [["code", "name", "type", "location_code"], ["NGO1", "Hope", "charity", "R2"]],
        "posts": [POST_HEADER, ["P1", "NGO1", "D21", "CPV"]],
    }

    report = template_import(actor=personas.national, source=template(files), mode=ImportMode.SKIP_INVALID)

    assert [(p.file, p.row, p.column) for p in report.problems] == [
        ("locations.csv", 1, "setting"),
        ("locations.csv", 2, "parent_code"),
        ("organizations.csv", 1, "type"),
        ("posts.csv", 1, "organization_code"),
    ]
    assert (Location.objects.filter(code="W111").exists(), Post.objects.exists()) == (False, False)
    assert Organisation.objects.get(code="NGO1").type == "ngo"


def test_a_rejected_duplicate_does_not_reject_what_refers_to_its_first_row(
    personas: Personas, country: Country, template: Template
) -> None:
    files = {
        "workers": [WORKER_HEADER, ["N1", "Neema", "Juma"], ["N1", "Neema", "Juma"]],
        "assignments": [ASSIGNMENT_HEADER, ["N1", "NGO1", "D21", "CPV", "2024-01-01", "no"]],
    }

    report = template_import(actor=personas.focal_point, source=template(files), mode=ImportMode.SKIP_INVALID)

    assert [(p.file, p.row) for p in report.problems] == [("workers.csv", 2)]
    assert report.files["assignments.csv"].created == 1
