"""Background jobs of the imports: run by ``sswis db_worker`` (the database task backend)."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django_tasks import task

from sswis.imports.models import ImportRecord
from sswis.imports.services import import_record_run, import_records_interrupted_mark

logger = logging.getLogger(__name__)


@task()
def import_record_task(record_id: int) -> None:
    """Run the queued import ``record_id`` (see ``services.import_record_run``); a record gone is skipped.

    First marks the imports an earlier worker left running when it died (``interrupted``), so a restarted
    worker clears them before it takes new work.
    """
    try:
        import_records_interrupted_mark()
    except DatabaseError:  # a busy database must not keep this import from running
        logger.exception("Interrupted imports could not be checked")
    record = ImportRecord.objects.filter(pk=record_id).first()
    if record is not None:
        import_record_run(record=record)
