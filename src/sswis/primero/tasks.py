"""The background job of the Primero sync: run by ``sswis db_worker`` (the database task backend)."""

from __future__ import annotations

from django_tasks import task

from sswis.primero.models import PrimeroSync, SyncStatus
from sswis.primero.sync import primero_sync_run


@task()
def primero_sync_task(sync_id: int) -> None:
    """Run the queued sync ``sync_id`` with the service account of the worker's environment; a sync gone
    or already run is skipped."""
    sync = PrimeroSync.objects.filter(pk=sync_id, status=SyncStatus.QUEUED).first()
    if sync is not None:
        primero_sync_run(sync=sync)
