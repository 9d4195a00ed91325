"""The background job of a DHIS2 push: run by ``sswis db_worker`` (the database task backend)."""

from __future__ import annotations

from django_tasks import task

from sswis.dhis2.models import Dhis2Push, PushStatus
from sswis.dhis2.push import dhis2_push_run


@task()
def dhis2_push_task(push_id: int) -> None:
    """Run the queued push ``push_id`` with the server and token of the worker's environment; a push gone
    or already run is skipped."""
    push = Dhis2Push.objects.filter(pk=push_id, status=PushStatus.QUEUED).first()
    if push is not None:
        dhis2_push_run(push=push)
