"""Background jobs of the surveys: run by ``sswis db_worker`` (the database task backend)."""

from __future__ import annotations

from django_tasks import task

from sswis.imports.models import ImportRecord
from sswis.imports.services import import_record_run
from sswis.surveys.queued import submissions_record_importer


@task()
def submissions_record_task(record_id: int, round_code: str) -> None:
    """Run the queued import of field submissions ``record_id`` (``surveys.queued``); a record gone is
    skipped."""
    record = ImportRecord.objects.filter(pk=record_id).first()
    if record is not None:
        import_record_run(record=record, importer=submissions_record_importer(round_code=round_code))
