"""The demo country's one merged pair: a worker recorded a second time (by a district office, under another
worker ID, for an earlier volunteer role) and merged into the first record, so that the merge history,
a merge's page and the "also recorded as" note have something to show on first start.

Everything goes through the services (``worker_register``, ``assignment_end``, ``worker_merge``) as the
demo's national data manager, so the audit trail is the one a ministry would see. Idempotent: nothing is
done when a merge exists already.
"""

from __future__ import annotations

import datetime
from typing import Any

from sswis.registry.merging import worker_merge
from sswis.registry.models import Assignment, Worker
from sswis.registry.models_merging import WorkerMerge
from sswis.registry.services import AssignmentTerms, assignment_end, worker_register

SUFFIX = "-B"
REASON = (
    "Registered twice (a district office's form, then the mapping): same names, birth date and national ID."
)


def demo_merge_set(*, actor: Any) -> int:
    """Record one demo worker a second time and merge the second record into the first; return the
    number of merges made (0 when there is one already, or no worker to copy)."""
    if WorkerMerge.objects.exists():
        return 0
    first = (
        Assignment.objects.filter(worker__merged_into__isnull=True, worker__birth_date__isnull=False)
        .select_related("worker", "organisation", "location", "cadre")
        .order_by("worker__worker_id", "start_date")
        .first()
    )
    if first is None:
        return 0
    person: Worker = first.worker
    earliest = (
        person.assignments.order_by("start_date").values_list("start_date", flat=True).first()
        or first.start_date
    )
    started = earliest - datetime.timedelta(days=365)
    assert person.birth_date is not None
    fifteenth = person.birth_date.replace(
        year=person.birth_date.year + 15, day=min(person.birth_date.day, 28)
    )
    started = max(started, fifteenth)
    if started >= earliest:
        return 0  # no earlier role possible: leave the demo without a merge rather than invent one
    duplicate = worker_register(
        actor=actor,
        first_assignment=AssignmentTerms(
            organisation=first.organisation,
            location=first.location,
            cadre=first.cadre,
            start_date=started,
            paid=False,
        ),
        worker_id=f"{person.worker_id}{SUFFIX}",
        given_name=person.given_name,
        family_name=person.family_name,
        sex=person.sex,
        birth_date=person.birth_date,
        national_id=person.national_id,
    )
    earlier = duplicate.assignments.get()
    assignment_end(
        actor=actor,
        assignment=earlier,
        end_date=earliest - datetime.timedelta(days=1),
        exit_reason="other",
    )
    worker_merge(actor=actor, surviving=person, merged=duplicate, reason=REASON)
    return 1
