"""An assignment may not start before its worker is 15: the birth date is the one the import loads with
the worker (same template), else the one stored in the registry; the error names the row and the day
the worker turns 15, and nothing is written."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

from sswis.imports.report import ERROR, Problem
from sswis.imports.services import template_import
from sswis.registry.models import Assignment, Worker
from tests.conftest import Country, Personas
from tests.factories import WorkerFactory
from tests.imports.conftest import Files, database_snapshot

Template = Callable[..., Path]
TOO_YOUNG = (
    "Start date 2020-02-01 is before the worker is 15 years old: worker W001 was born on {birth}, so they "
    "are 15 on {birthday}."
)


def test_a_worker_of_the_same_template_who_is_too_young(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["workers"][1][4] = "2005-02-02"  # 15 on 2020-02-02, the day after the start
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template())

    message = TOO_YOUNG.format(birth="2005-02-02", birthday="2020-02-02")
    assert report.problems == [
        Problem("assignments.csv", 1, "start_date", "2020-02-01", message, severity=ERROR)
    ]
    assert database_snapshot() == before


def test_on_the_15th_birthday_the_assignment_may_start(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["workers"][1][4] = "2005-02-01"

    report = template_import(actor=personas.national, source=template())

    assert (report.imported, report.problems) == (True, [])
    assert Worker.objects.get(worker_id="W001").birth_date == datetime.date(2005, 2, 1)


def test_the_birth_date_the_template_changes_is_the_one_checked(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    WorkerFactory(worker_id="W001", birth_date=datetime.date(2010, 1, 1))  # too young as stored

    report = template_import(actor=personas.national, source=template())

    assert (report.imported, report.problems) == (True, [])  # the template's 1988 birth date wins
    assert Worker.objects.get(worker_id="W001").birth_date == datetime.date(1988, 4, 12)


def test_without_the_birth_date_column_the_stored_one_is_checked(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    WorkerFactory(worker_id="W001", birth_date=datetime.date(2006, 5, 1))
    base_files["workers"] = [row[:4] + row[5:] for row in base_files["workers"]]

    report = template_import(actor=personas.national, source=template())

    message = TOO_YOUNG.format(birth="2006-05-01", birthday="2021-05-01")
    assert report.problems == [
        Problem("assignments.csv", 1, "start_date", "2020-02-01", message, severity=ERROR)
    ]
    assert not Assignment.objects.filter(worker__worker_id="W001").exists()
