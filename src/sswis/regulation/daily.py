"""The regulation's daily job: bring statuses dated ahead into force, lapse what was not renewed in time,
and e-mail the licence reminders due.

``regulation_daily_run`` is what ``sswis regulation_daily`` runs; the background worker (``sswis db_worker``)
runs it every night too once ``sswis regulation_daily --schedule`` has queued the first run
(``regulation.tasks``): each run queues the next one for the following night at
``SCHEDULE_HOUR``:00, so the job keeps going as long as a worker runs, and queuing again never queues
twice. Running it twice the same day changes nothing more.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from sswis.regulation.lapses import registrations_lapse_due, registrations_status_refresh
from sswis.regulation.self_service import licence_reminders_send

SCHEDULE_HOUR = 1  # local time: after midnight, so "today" is the day the job is for


@dataclass(frozen=True)
class DailyResult:
    refreshed: int
    lapsed: int
    reminders: int


def regulation_daily_run(*, day: datetime.date) -> DailyResult:
    """Run the daily job for ``day`` (as the system: no user is its author): first the statuses dated ahead
    that come into force (``registrations_status_refresh``), then the lapses, then the reminders.

    The statuses and the lapses are written in one transaction: a run stopped part-way (the process
    killed, the database gone) leaves every registration as it was, and the next run does it all. The
    reminders come after the commit, since an e-mail sent cannot be rolled back."""
    with transaction.atomic():
        refreshed = registrations_status_refresh(actor=None, day=day)
        lapsed = registrations_lapse_due(actor=None, day=day)
    reminders = licence_reminders_send(day=day)
    return DailyResult(refreshed=refreshed, lapsed=lapsed, reminders=reminders)
