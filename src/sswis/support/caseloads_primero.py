"""The month's caseloads from Primero's open cases: match each case owner (``owned_by``) to the worker who
carries that Primero user name, and record their count as the worker's ``all`` caseload of the month
(contract ``support.md``, "Primero sync"), in bulk.

The same rules as ``caseloads.caseload_set``, for thousands of workers at once: one caseload per worker,
month and kind, a later sync replacing it; the same figure again (from any source) is unchanged and leaves
no history record; a changed or new figure is written with source ``primero`` and its audit record names
the ``actor`` (``None``: the system, i.e. the command line run by the server's operator). Never creates a
worker. A worker who still carries a Primero user name and whose caseload of the month came from an earlier
Primero sync, but who owns no open case any more, gets 0 (``cleared``): their cases were closed since.

Matching: user names are compared trimmed and without regard to letter case. A name that no worker carries
is *unmatched*; a name that several workers carry is *ambiguous*, recorded for none of them (the registry
must be corrected). All or nothing: any refusal raises before anything is written; ``dry_run`` says what
would happen and writes nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from sswis.access.support_policy import require_workers_change
from sswis.registry.models import Worker
from sswis.support.models import CASELOAD_KIND_ALL, Caseload, RecordSource
from sswis.text import text_shown

MAXIMUM_OPEN_CASES = 100_000
"""The caseload model's upper bound (``Caseload.open_cases``)."""
BATCH_SIZE = 500


class CaseloadChange:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CLEARED = "cleared"


@dataclass(frozen=True)
class PrimeroCaseload:
    """One worker's caseload as the sync sets it (``previous``: the month's figure before, if any)."""

    worker_pk: int
    worker_id: str
    user_name: str
    open_cases: int
    previous: int | None
    change: str


@dataclass(frozen=True)
class UnmatchedOwner:
    user_name: str
    open_cases: int
    workers: int = 0  # >1: the name is ambiguous (that many workers carry it)


@dataclass
class PrimeroCaseloads:
    """What a sync did (or would do, in a dry run) for ``month``."""

    month: datetime.date
    dry_run: bool
    caseloads: list[PrimeroCaseload] = field(default_factory=list)
    unmatched: list[UnmatchedOwner] = field(default_factory=list)
    ambiguous: list[UnmatchedOwner] = field(default_factory=list)

    def count(self, change: str) -> int:
        return sum(1 for caseload in self.caseloads if caseload.change == change)

    @property
    def matched(self) -> int:
        """Workers whose open cases Primero counted (the cleared ones own none)."""
        return sum(1 for caseload in self.caseloads if caseload.change != CaseloadChange.CLEARED)


def _key(user_name: str) -> str:
    return user_name.strip().casefold()


def _workers_by_user_name() -> dict[str, list[tuple[int, str, str]]]:
    """Every worker with a Primero user name: key -> [(worker pk, worker ID, user name)]. One query."""
    named: dict[str, list[tuple[int, str, str]]] = {}
    rows = Worker.objects.exclude(primero_user_name="").values_list("pk", "worker_id", "primero_user_name")
    for pk, worker_id, user_name in rows.iterator(chunk_size=10_000):
        key = _key(user_name)
        if key:
            named.setdefault(key, []).append((pk, worker_id, user_name.strip()))
    return named


def primero_caseloads_record(
    *, actor: Any, month: datetime.date, open_cases_by_user: Mapping[str, int], dry_run: bool = False
) -> PrimeroCaseloads:
    """Record ``open_cases_by_user`` (Primero user name -> open cases) as the ``all`` caseloads of ``month``
    (its first day) of the workers carrying those user names; see the module's docstring. ``actor``: a
    user who sees every worker (a national data manager), or ``None`` for the system. Refused (nothing
    written): a month that has not begun, a count over the caseload's maximum, an actor who may not change
    one of the caseloads."""
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ValidationError({"month": _("This month has not begun.")})
    owners: dict[str, tuple[str, int]] = {}
    for user_name, count in open_cases_by_user.items():
        key = _key(user_name)
        if not key or count <= 0:
            continue
        shown, counted = owners.get(key, (text_shown(user_name.strip()), 0))
        owners[key] = (shown, counted + count)
    named = _workers_by_user_name()
    result = PrimeroCaseloads(month=month, dry_run=dry_run)
    counts: dict[int, tuple[str, str, int]] = {}  # worker pk -> worker ID, user name, open cases
    for key, (user_name, count) in sorted(owners.items()):
        workers = named.get(key, [])
        if not workers:
            result.unmatched.append(UnmatchedOwner(user_name=user_name, open_cases=count))
        elif len(workers) > 1:
            result.ambiguous.append(
                UnmatchedOwner(user_name=user_name, open_cases=count, workers=len(workers))
            )
        else:
            if count > MAXIMUM_OPEN_CASES:
                raise ValidationError(
                    {
                        "open_cases": _(
                            "Primero counts %(count)s open cases for %(user_name)s, more than a caseload "
                            "holds (%(maximum)s): is this a worker's account?"
                        )
                        % {"count": count, "user_name": user_name, "maximum": MAXIMUM_OPEN_CASES}
                    }
                )
            pk, worker_id, _name = workers[0]
            counts[pk] = (worker_id, user_name, count)
    # worker pk -> (worker ID, user name) of the names only one worker carries
    uniquely_named = {workers[0][0]: workers[0][1:] for workers in named.values() if len(workers) == 1}
    with transaction.atomic():
        existing = {
            worker_pk: (pk, open_cases, source)
            for pk, worker_pk, open_cases, source in Caseload.objects.select_for_update()
            .filter(month=month, kind=CASELOAD_KIND_ALL)
            .values_list("pk", "worker_id", "open_cases", "source")
        }
        created: list[Caseload] = []
        changed: dict[int, int] = {}  # caseload pk -> its new open cases
        for worker_pk, (worker_id, user_name, count) in counts.items():
            before = existing.get(worker_pk)
            if before is None:
                change = CaseloadChange.CREATED
                created.append(
                    Caseload(
                        worker_id=worker_pk,
                        month=month,
                        kind=CASELOAD_KIND_ALL,
                        open_cases=count,
                        source=RecordSource.PRIMERO,
                    )
                )
            elif before[1] == count:
                change = CaseloadChange.UNCHANGED
            else:
                change = CaseloadChange.UPDATED
                changed[before[0]] = count
            result.caseloads.append(
                PrimeroCaseload(
                    worker_pk=worker_pk,
                    worker_id=worker_id,
                    user_name=user_name,
                    open_cases=count,
                    previous=None if before is None else before[1],
                    change=change,
                )
            )
        for worker_pk, (pk, open_cases, source) in existing.items():
            if worker_pk in counts or worker_pk not in uniquely_named:
                continue
            if source != RecordSource.PRIMERO or open_cases == 0:
                continue
            worker_id, user_name = uniquely_named[worker_pk]
            changed[pk] = 0
            result.caseloads.append(
                PrimeroCaseload(
                    worker_pk=worker_pk,
                    worker_id=worker_id,
                    user_name=user_name,
                    open_cases=0,
                    previous=open_cases,
                    change=CaseloadChange.CLEARED,
                )
            )
        if actor is not None:  # a user must see every worker whose caseload changes (the system: always)
            require_workers_change(
                user=actor, workers=[Worker(pk=caseload.worker_pk) for caseload in result.caseloads]
            )
        if not dry_run:
            if created:
                bulk_create_with_history(created, Caseload, batch_size=BATCH_SIZE, default_user=actor)
            if changed:
                _caseloads_change(changed, actor=actor)
    result.caseloads.sort(key=lambda caseload: (caseload.user_name.casefold(), caseload.worker_id))
    return result


def _caseloads_change(changed: dict[int, int], *, actor: Any) -> None:
    """Set each caseload ``pk`` of ``changed`` to its open cases (source ``primero``), with its audit record.

    One ``UPDATE`` per distinct figure and batch (caseloads take few distinct values: a few dozen
    statements for thousands of rows), not Django's ``bulk_update``, whose ``CASE WHEN`` per row made 4,500
    changes take half a minute on SQLite. The audit records copy the rows as stored."""
    by_figure: dict[int, list[int]] = defaultdict(list)
    for pk, open_cases in changed.items():
        by_figure[open_cases].append(pk)
    now = timezone.now()
    for open_cases, pks in by_figure.items():
        for start in range(0, len(pks), BATCH_SIZE):
            Caseload.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).update(
                open_cases=open_cases, source=RecordSource.PRIMERO, updated_at=now
            )
    rows = list(Caseload.objects.in_bulk(list(changed)).values())
    Caseload.history.bulk_history_create(
        rows, batch_size=BATCH_SIZE, update=True, default_user=actor, default_date=now
    )
