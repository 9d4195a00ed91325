"""The background job of duplicate detection: run by ``sswis db_worker`` (the database task backend)."""

from __future__ import annotations

from django_tasks import task

from sswis.duplicates.models import DuplicateRun, RunStatus
from sswis.duplicates.services import duplicate_run_execute


@task()
def duplicate_run_task(run_id: int) -> None:
    """Make the queued run ``run_id``; a run gone or already made is skipped."""
    run = DuplicateRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).select_related("user").first()
    if run is not None:
        duplicate_run_execute(run=run)
