"""A template row naming a record merged into another is an error naming the survivor (issue 16)."""

from __future__ import annotations

import pytest

from sswis.imports.services import template_import
from sswis.registry.merging import worker_merge
from sswis.registry.models import Assignment
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.imports.conftest import database_snapshot
from tests.imports.test_scope import ASSIGNMENT_HEADER, WORKER_HEADER, Template, rows

pytestmark = pytest.mark.django_db


def test_rows_of_a_merged_record_are_refused(
    personas: Personas, country: Country, template: Template
) -> None:
    first = WorkerFactory(worker_id="W-A")
    AssignmentFactory(worker=first, organisation=country.ministry, location=country.district_11)
    second = WorkerFactory(worker_id="W-B")
    worker_merge(actor=personas.national, surviving=first, merged=second, reason="Same person")
    files = {
        "workers": [WORKER_HEADER, ["W-B", "Ann", "Tembo"]],
        "assignments": [ASSIGNMENT_HEADER, ["W-B", "MSW", "D12", "SW", "2024-01-01", "yes"]],
    }
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template(files))

    said = (
        "Worker 'W-B' was merged into worker 'W-A' (the same person recorded twice): use 'W-A'. A data "
        "manager can undo the merge if they are two people."
    )
    assert rows(report) == [
        ("workers.csv", 1, "worker_id", "W-B", said),
        ("assignments.csv", 1, "worker_id", "W-B", said),
    ]
    assert database_snapshot() == before
    assert Assignment.objects.filter(worker=second).count() == 0
