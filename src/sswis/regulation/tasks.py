"""The regulation's background job: the daily job, run every night by ``sswis db_worker``."""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from django_tasks import default_task_backend, task
from django_tasks_db.models import DBTaskResult

from sswis.regulation.daily import SCHEDULE_HOUR, regulation_daily_run

logger = logging.getLogger(__name__)


def next_run_after(now: datetime.datetime) -> datetime.datetime:
    """The next ``SCHEDULE_HOUR``:00 (local time) strictly after ``now``."""
    local = timezone.localtime(now)
    run = local.replace(hour=SCHEDULE_HOUR, minute=0, second=0, microsecond=0)
    if run <= local:
        run += datetime.timedelta(days=1)
    return run


def regulation_daily_schedule() -> datetime.datetime | None:
    """Queue the next nightly run unless one is queued already; return when it runs (``None`` when the task
    backend cannot defer, as in tests, or one was queued already)."""
    if not default_task_backend.supports_defer:
        return None
    path = regulation_daily_task.module_path
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return None
    run_after = next_run_after(timezone.now())
    regulation_daily_task.using(run_after=run_after).enqueue()
    return run_after


@task()
def regulation_daily_task() -> None:
    """Run the daily job for today, then queue tomorrow night's run."""
    try:
        result = regulation_daily_run(day=timezone.localdate())
        logger.info("regulation daily job: %s lapsed, %s reminders", result.lapsed, result.reminders)
    finally:
        regulation_daily_schedule()
