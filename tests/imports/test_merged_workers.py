"""A template row naming a record merged into another is an error naming the survivor (issue 16)."""

from __future__ import annotations

import pytest

from sswis.imports.services import template_import
from sswis.registry.merging import worker_merge
from sswis.registry.models import Assignment, Worker
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.imports.conftest import database_snapshot
from tests.imports.test_scope import ASSIGNMENT_HEADER, WORKER_HEADER, Template, rows
from tests.imports.test_support_files import CASELOAD_HEADER, SESSION_HEADER, SUPERVISION_HEADER

pytestmark = pytest.mark.django_db

MERGED_INTO_W_A = (
    "Worker 'W-B' was merged into worker 'W-A' (the same person recorded twice): use 'W-A'. A data "
    "manager can undo the merge if they are two people."
)


def merged_into_first(*, personas: Personas, country: Country) -> tuple[Worker, Worker]:
    """W-A (assigned in district 11) and W-B, merged into W-A."""
    survivor = WorkerFactory(worker_id="W-A")
    AssignmentFactory(worker=survivor, organisation=country.ministry, location=country.district_11)
    merged = WorkerFactory(worker_id="W-B")
    worker_merge(actor=personas.national, surviving=survivor, merged=merged, reason="Same person")
    return survivor, merged


def test_rows_of_a_merged_record_are_refused(
    personas: Personas, country: Country, template: Template
) -> None:
    _, second = merged_into_first(personas=personas, country=country)
    files = {
        "workers": [WORKER_HEADER, ["W-B", "Ann", "Tembo"]],
        "assignments": [ASSIGNMENT_HEADER, ["W-B", "MSW", "D12", "SW", "2024-01-01", "yes"]],
    }
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template(files))

    said = MERGED_INTO_W_A
    assert rows(report) == [
        ("workers.csv", 1, "worker_id", "W-B", said),
        ("assignments.csv", 1, "worker_id", "W-B", said),
    ]
    assert database_snapshot() == before
    assert Assignment.objects.filter(worker=second).count() == 0


def test_every_column_naming_a_merged_record_is_refused(
    personas: Personas, country: Country, template: Template
) -> None:
    merged_into_first(personas=personas, country=country)
    supervisee = WorkerFactory(worker_id="W-C")
    AssignmentFactory(worker=supervisee, organisation=country.ministry, location=country.district_11)
    files = {
        # The merged record as supervisor, then as supervisee: each reported in its own column.
        "supervision": [SUPERVISION_HEADER, ["W-B", "W-C", "2024-01-15", "", "", "", ""]],
        "supervision_sessions": [SESSION_HEADER, ["W-C", "W-B", "2024-03-12", "60", ""]],
        "caseloads": [CASELOAD_HEADER, ["W-B", "2024-10", "12", ""], ["W-A", "2024-10", "9", ""]],
    }
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template(files))

    said = MERGED_INTO_W_A
    assert rows(report) == [
        ("supervision.csv", 1, "supervisor_worker_id", "W-B", said),
        ("supervision_sessions.csv", 1, "supervisee_worker_id", "W-B", said),
        ("caseloads.csv", 1, "worker_id", "W-B", said),
    ]
    assert database_snapshot() == before
