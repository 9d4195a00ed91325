"""``TableWriter`` keeps copied columns (``registry.models.COPIED_COLUMNS``) as ``save()`` does."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from sswis.imports.writing import TableWriter
from sswis.registry.models import Assignment, Worker
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def assignment_row(country: Country, worker_pk: int, start: datetime.date) -> dict[str, Any]:
    return {
        "worker_id": worker_pk,
        "organisation_id": country.ministry.pk,
        "location_id": country.district_11.pk,
        "cadre_id": country.social_worker.pk,
        "post_id": None,
        "start_date": start,
        "end_date": None,
        "paid": True,
        "fte": Decimal("1"),
        "child_protection": True,
        "exit_reason": "",
    }


def test_new_rows_get_the_copy_of_their_source(personas: Personas, country: Country) -> None:
    female, other = WorkerFactory(sex="female"), WorkerFactory(sex="other")
    writer = TableWriter(model=Assignment, actor=personas.national, now=timezone.now())

    pks = writer.create(
        rows=[
            assignment_row(country, female.pk, datetime.date(2024, 1, 1)),
            assignment_row(country, other.pk, datetime.date(2024, 1, 1)),
            assignment_row(country, female.pk, datetime.date(2020, 1, 1)),
        ]
    )

    stored = dict(Assignment.objects.filter(pk__in=pks).values_list("pk", "worker_sex"))
    assert [stored[pk] for pk in pks] == ["female", "other", "female"]
    assert Assignment.history.filter(id__in=pks).count() == 3  # type: ignore[attr-defined]


def test_a_row_whose_source_does_not_exist_is_refused_before_anything_is_written(
    personas: Personas, country: Country
) -> None:
    worker = WorkerFactory()
    writer = TableWriter(model=Assignment, actor=personas.national, now=timezone.now())

    with pytest.raises(ValueError, match="No Worker with the primary key"):
        writer.create(
            rows=[
                assignment_row(country, worker.pk, datetime.date(2024, 1, 1)),
                assignment_row(country, worker.pk + 1000, datetime.date(2024, 1, 1)),
            ]
        )
    assert Assignment.objects.count() == 0


def test_a_changed_source_reaches_the_copies_without_changing_the_copying_rows(
    personas: Personas, country: Country
) -> None:
    changed, unchanged = WorkerFactory(sex="male"), WorkerFactory(sex="male")
    first = AssignmentFactory(worker=changed, start_date=datetime.date(2020, 1, 1))
    AssignmentFactory(worker=changed, start_date=datetime.date(2023, 1, 1))
    AssignmentFactory(worker=unchanged)
    history = Assignment.history.count()  # type: ignore[attr-defined]
    writer = TableWriter(model=Worker, actor=personas.national, now=timezone.now())

    writer.update(changes={changed.pk: {"sex": "female"}, unchanged.pk: {"family_name": "Mushi"}})

    copies = dict(Assignment.objects.values_list("worker_id", "worker_sex").order_by("worker_id"))
    assert copies == {changed.pk: "female", unchanged.pk: "male"}
    assert Assignment.history.count() == history  # type: ignore[attr-defined]
    assert Assignment.objects.get(pk=first.pk).updated_at == first.updated_at
