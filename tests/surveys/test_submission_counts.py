"""The counts of a submissions import add up like a template import's: read = created + updated +
unchanged + rejected in every file, checked before anything is committed (``import_transaction_run``)."""

from __future__ import annotations

from typing import Any

import pytest

from sswis.imports.report import FileCounts
from sswis.surveys.services import submissions_import
from sswis.surveys.submissions import submissions_from_records
from tests.surveys.test_import_submissions import kobo_record


def _import(personas: Any, records: list[dict[str, Any]], **options: Any) -> Any:
    return submissions_import(
        actor=personas.national,
        read=lambda: submissions_from_records(records=records, source="kobo", form="test"),
        **options,
    )


@pytest.mark.django_db
def test_one_bad_perception_answer_is_rejected_and_the_others_say_what_would_happen(
    personas: Any, survey_round: Any
) -> None:
    records = [kobo_record(1, job_satisfaction="ecstatic"), kobo_record(2), kobo_record(3)]
    report = _import(personas, records, round_code="2025")
    assert report.files == {
        "workers.csv": FileCounts(read=3, created=3),
        "assignments.csv": FileCounts(read=3, created=3),
        "perceptions": FileCounts(read=3, created=2, rejected=1),
    }
    assert report.unbalanced_files() == []
    assert (report.imported, len(report.errors)) == (False, 1)


@pytest.mark.django_db
def test_a_perception_of_a_rejected_worker_is_rejected(personas: Any, survey_round: Any) -> None:
    records = [kobo_record(1, sex="femal"), kobo_record(2)]
    report = _import(personas, records, round_code="2025")
    assert report.files == {
        "workers.csv": FileCounts(read=2, created=1, rejected=1),
        "assignments.csv": FileCounts(read=2, created=1, rejected=1),
        "perceptions": FileCounts(read=2, created=1, rejected=1),
    }


@pytest.mark.django_db
def test_perceptions_without_a_round_are_all_rejected(personas: Any) -> None:
    report = _import(personas, [kobo_record(1), kobo_record(2)])
    assert report.files["perceptions"] == FileCounts(read=2, rejected=2)
    assert report.unbalanced_files() == []


@pytest.mark.django_db
def test_a_dry_run_and_a_second_import_balance(personas: Any, survey_round: Any) -> None:
    records = [kobo_record(1), kobo_record(2)]
    dry = _import(personas, records, round_code="2025", dry_run=True)
    assert dry.files["perceptions"] == FileCounts(read=2, created=2)
    assert (dry.imported, dry.has_errors) == (False, False)
    assert _import(personas, records, round_code="2025").imported
    again = _import(personas, records, round_code="2025")
    assert again.files == {
        "workers.csv": FileCounts(read=2, unchanged=2),
        "assignments.csv": FileCounts(read=2, unchanged=2),
        "perceptions": FileCounts(read=2, unchanged=2),
    }
