"""The demo country written by the generator imports without a single error (and again unchanged)."""

from __future__ import annotations

from pathlib import Path

from sswis.demo.generator import country_generate
from sswis.imports.report import FileCounts
from sswis.imports.services import template_import
from sswis.registry.models import Assignment, Worker
from tests.factories import UserFactory


def test_generated_country_imports_with_zero_errors(db: None, tmp_path: Path) -> None:
    from sswis.access.models import Role
    from sswis.access.services import user_scope_grant

    manager = UserFactory(username="manager")
    user_scope_grant(actor=None, user=manager, role=Role.NATIONAL_DATA_MANAGER)
    generated = country_generate(folder=tmp_path / "kandara", workers=400)

    report = template_import(actor=manager, source=generated.folder)

    assert report.errors == []
    assert report.imported is True
    assert report.files == {
        name: FileCounts(read=count, created=count) for name, count in generated.counts.items()
    }
    assert Worker.objects.count() == 400
    assert Assignment.objects.count() == generated.counts["assignments.csv"]

    again = template_import(actor=manager, source=generated.folder)

    assert again.errors == []
    assert again.files == {
        name: FileCounts(read=count, unchanged=count) for name, count in generated.counts.items()
    }
    assert [(p.file, p.row, p.message) for p in again.warnings] == [
        (p.file, p.row, p.message) for p in report.warnings
    ]
