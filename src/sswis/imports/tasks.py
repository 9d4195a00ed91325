"""Background jobs of the imports: run by ``sswis db_worker`` (the database task backend)."""

from __future__ import annotations

from django_tasks import task

from sswis.imports.models import ImportRecord
from sswis.imports.services import import_record_run


@task()
def import_record_task(record_id: int) -> None:
    """Run the queued import ``record_id`` (see ``services.import_record_run``); a record gone is skipped."""
    record = ImportRecord.objects.filter(pk=record_id).first()
    if record is not None:
        import_record_run(record=record)
