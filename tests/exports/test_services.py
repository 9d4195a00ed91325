"""The worker export: exactly the workers in scope and matching the filters, the current assignment of
each, neutralised formulas, a record of who exported what, and a query count that does not grow."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sswis.exports.models import ExportFormat, ExportRecord
from sswis.exports.selectors import WORKER_EXPORT_HEADER
from sswis.exports.services import worker_export
from sswis.registry.selectors import WorkerFilters
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.web.conftest import Workforce

TODAY = datetime.date(2025, 3, 1)


def exported(user: Any, filters: WorkerFilters | None = None) -> list[list[Any]]:
    export = worker_export(
        actor=user, filters=filters or WorkerFilters(), file_format=ExportFormat.CSV, on=TODAY
    )
    return [list(row) for row in export.rows]


def ids(rows: list[list[Any]]) -> list[str]:
    return [row[0] for row in rows]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("national", ["W-ALICE", "W-BRIAN", "W-GRACE", "W-PETER"]),
        ("subnational", ["W-ALICE", "W-BRIAN", "W-PETER"]),
        ("focal_point", ["W-GRACE", "W-PETER"]),
    ],
)
def test_export_holds_exactly_the_workers_in_scope(
    personas: Personas, workforce: Workforce, role: str, expected: list[str]
) -> None:
    assert ids(exported(getattr(personas, role))) == expected


@pytest.mark.parametrize("role", ["analyst", "administrator", "outsider"])
def test_export_is_refused_to_roles_without_person_records(
    personas: Personas, workforce: Workforce, role: str
) -> None:
    with pytest.raises(PermissionDenied):
        worker_export(actor=getattr(personas, role), filters=WorkerFilters(), file_format=ExportFormat.CSV)
    assert ExportRecord.objects.count() == 0


def test_export_applies_the_filters_of_the_list(
    personas: Personas, workforce: Workforce, country: Country
) -> None:
    assert ids(exported(personas.national, WorkerFilters(location=country.district_11))) == [
        "W-ALICE",
        "W-PETER",
    ]
    assert ids(exported(personas.national, WorkerFilters(search="gra"))) == ["W-GRACE"]
    assert ids(exported(personas.national, WorkerFilters(paid=False))) == ["W-GRACE"]


def test_export_columns_give_the_worker_and_the_current_assignment(
    personas: Personas, workforce: Workforce
) -> None:
    rows = {row[0]: dict(zip(WORKER_EXPORT_HEADER, row, strict=True)) for row in exported(personas.national)}
    alice = workforce.alice
    assert rows["W-ALICE"] == {
        "Worker ID": "W-ALICE",
        "Given name": "Alice",
        "Family name": "Banda",
        "Sex": "Female",
        "Birth date": alice.birth_date,
        "Disability": alice.get_disability_display(),
        "Education level": alice.get_education_level_display(),
        "Education field": alice.education_field,
        "National ID": alice.national_id,
        "Phone": alice.phone,
        "Email": alice.email,
        "Current assignments": 1,
        "Organisation code": "MSW",
        "Organisation": "Ministry of Social Welfare",
        "Employer": "Government",
        "Location code": "D11",
        "Location": "Alpha",
        "Cadre code": "SW",
        "Cadre": "Social worker",
        "Cadre category": "Professional",
        "Post code": "P-D11-SW",
        "Start date": datetime.date(2020, 1, 1),
        "Paid": True,
        "FTE": Decimal("1.00"),
        "Child protection": True,
    }
    # Brian's only assignment ended in 2023: no current assignment, empty assignment columns.
    brian = rows["W-BRIAN"]
    assert brian["Current assignments"] == 0
    assert [brian[name] for name in WORKER_EXPORT_HEADER[12:]] == [None] * 13
    assert (rows["W-GRACE"]["Employer"], rows["W-GRACE"]["Paid"]) == ("Non-government", False)


def test_reference_assignment_is_the_latest_started_visible_one(
    personas: Personas, workforce: Workforce, country: Country
) -> None:
    # Peter also works for the ministry at D21 since 2022: the national manager sees that one first;
    # the NGO focal point does not see it, and gets the NGO assignment.
    AssignmentFactory(
        worker=workforce.peter,
        organisation=country.ministry,
        location=country.district_21,
        cadre=country.para_social_worker,
        start_date=datetime.date(2022, 1, 1),
    )
    national = {row[0]: row for row in exported(personas.national)}["W-PETER"]
    focal = {row[0]: row for row in exported(personas.focal_point)}["W-PETER"]
    assert (national[11], national[12], national[15]) == (2, "MSW", "D21")
    assert (focal[11], focal[12], focal[15]) == (1, "NGO1", "D11")


def test_export_is_recorded_with_who_what_and_how_many(
    personas: Personas, workforce: Workforce, country: Country
) -> None:
    export = worker_export(
        actor=personas.subnational,
        filters=WorkerFilters(search="a", location=country.region_1, cadre_codes=("SW",), paid=True),
        file_format=ExportFormat.XLSX,
        on=TODAY,
    )
    record = ExportRecord.objects.get()
    assert (record.user, record.username, record.subject, record.file_format, record.row_count) == (
        personas.subnational,
        "north",
        "workers",
        "xlsx",
        1,
    )
    # The search text (often a name) is not kept, only that there was one.
    assert record.filters == {"search_used": True, "location": "R1", "cadre": ["SW"], "paid": True}
    assert (export.row_count, export.file_name) == (1, "workers-2025-03-01.xlsx")


def test_export_takes_the_same_queries_for_1_and_3_workers(personas: Personas, country: Country) -> None:
    def add_worker() -> None:
        worker = WorkerFactory()
        for cadre in (country.social_worker, country.para_social_worker):
            AssignmentFactory(
                worker=worker, organisation=country.ministry, location=country.district_11, cadre=cadre
            )

    def queries_of_export() -> tuple[int, int]:
        user = type(personas.subnational).objects.get(pk=personas.subnational.pk)  # scope not cached
        with CaptureQueriesContext(connection) as captured:
            rows = exported(user)
        return len(captured), len(rows)

    add_worker()
    one = queries_of_export()
    add_worker()
    add_worker()
    three = queries_of_export()
    assert (one[1], three[1]) == (1, 3)
    assert one[0] == three[0]


def test_a_blank_search_is_not_recorded_as_used(personas: Personas, workforce: Workforce) -> None:
    worker_export(
        actor=personas.national, filters=WorkerFilters(search="   "), file_format=ExportFormat.CSV, on=TODAY
    )

    assert ExportRecord.objects.get().filters == {}


def test_migration_blanks_the_search_terms_of_existing_records(personas: Personas) -> None:
    def record(filters: dict[str, Any]) -> ExportRecord:
        return ExportRecord.objects.create(
            user=personas.national,
            username="national",
            subject="workers",
            file_format="csv",
            filters=filters,
            row_count=1,
        )

    searched = record({"search": "Alice Banda", "location": "D11", "paid": True})
    blank = record({"search": "", "cadre": ["SW"]})
    untouched = record({"location": "R1"})
    migration = importlib.import_module("sswis.exports.migrations.0002_forget_search_terms")

    migration.search_terms_forget(django_apps, None)

    assert [ExportRecord.objects.get(pk=r.pk).filters for r in (searched, blank, untouched)] == [
        {"location": "D11", "paid": True, "search_used": True},
        {"cadre": ["SW"]},
        {"location": "R1"},
    ]
