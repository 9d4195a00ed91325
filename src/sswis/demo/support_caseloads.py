"""The demo country's caseloads: norms for its case-carrying cadres (an example national standard, and two
CWLA norms of a kind), and twelve months of caseloads of the last year for the workers of those cadres with a
child protection assignment during the month (about one in ten never reports; some workers carry more than
their norm, so that the distribution and the over-norm flags have something to show).

The norms go through the audited service; the caseloads are written in bulk SQL with their history (one
"created" history row each, attributed to the demo's national data manager; Django's ``bulk_create`` with
history took 5 to 20 s for the 20,000 rows of the default demo, SQL takes well under one), from a fixed
seed: every demo start gives the same caseloads. Run again on the same database, it changes nothing (the
caseloads are written once, when there is none).
"""

from __future__ import annotations

import calendar
import datetime
import random
import uuid
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sswis.registry.models import Assignment, Cadre
from sswis.support.caseloads import caseload_norm_set
from sswis.support.models import CASELOAD_KIND_ALL, Caseload, RecordSource

# cadre code -> the most open cases (kind "all") of the example national standard
NORMS: dict[str, int] = {"SWO": 20, "SW": 25, "PO": 20, "CM": 17, "PSW": 30, "CCYCW": 35}
KIND_NORMS: tuple[tuple[str, str, int, str], ...] = (
    ("CM", "investigations", 12, "CWLA: 12 investigations a month"),
    ("SW", "foster care", 15, "CWLA: 12-15 children in foster care"),
)
EXAMPLE_SOURCE = "Example national standard (demo)"


def _norms_set(*, actor: Any) -> dict[str, int]:
    cadres = {cadre.code: cadre for cadre in Cadre.objects.filter(code__in=NORMS)}
    for code, maximum in NORMS.items():
        if code in cadres:
            caseload_norm_set(
                actor=actor, cadre=cadres[code], maximum_open_cases=maximum, source=EXAMPLE_SOURCE
            )
    for code, kind, maximum, source in KIND_NORMS:
        if code in cadres:
            caseload_norm_set(
                actor=actor, cadre=cadres[code], kind=kind, maximum_open_cases=maximum, source=source
            )
    return {code: NORMS[code] for code in cadres}


def demo_caseloads_set(*, actor: Any, last_year: int = 2025, seed: int = 2024) -> int:
    """Set the demo's caseload norms and twelve months of ``last_year``'s caseloads after its template is
    imported; return the number of caseloads written (0 when they were already there)."""
    norms = _norms_set(actor=actor)
    if Caseload.objects.exists():
        return 0
    rng = random.Random(f"{seed}-caseloads")
    assignments: dict[int, list[tuple[datetime.date, datetime.date | None, str]]] = {}
    for worker_id, start, end, code in (
        Assignment.objects.filter(
            child_protection=True, cadre__code__in=norms, start_date__year__lte=last_year
        )
        .order_by("worker_id", "start_date", "pk")
        .values_list("worker_id", "start_date", "end_date", "cadre__code")
    ):
        assignments.setdefault(worker_id, []).append((start, end, code))
    now = timezone.now()
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    uuid_field = Caseload._meta.get_field("uuid")
    rows: list[tuple[Any, ...]] = []
    for worker_id, held in assignments.items():
        if rng.random() < 0.1:
            continue  # never reports a caseload
        load = rng.uniform(0.45, 1.35)  # this worker's caseload against their cadre's norm
        for month_number in range(1, 13):
            first = datetime.date(last_year, month_number, 1)
            last = first.replace(day=calendar.monthrange(last_year, month_number)[1])
            active = [code for start, end, code in held if start <= last and (end is None or end >= first)]
            if not active:
                continue
            typical = norms[active[-1]] * load
            rows.append(
                (
                    uuid_field.get_db_prep_value(uuid.UUID(int=rng.getrandbits(128), version=4), connection),
                    worker_id,
                    ops.adapt_datefield_value(first),
                    CASELOAD_KIND_ALL,
                    max(0, round(rng.gauss(typical, 2.5))),
                    RecordSource.ENTERED if rng.random() < 0.7 else RecordSource.TEMPLATE,
                    stamp,
                    stamp,
                )
            )
    table, history = (
        connection.ops.quote_name(model._meta.db_table) for model in (Caseload, Caseload.history.model)
    )
    columns = "uuid, worker_id, month, kind, open_cases, source, created_at, updated_at"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)
        cursor.execute(
            f"INSERT INTO {history} (id, {columns}, history_date, history_change_reason, history_type, "
            f"history_user_id) SELECT id, {columns}, %s, NULL, '+', %s FROM {table}",
            [stamp, getattr(actor, "pk", None)],
        )
    return len(rows)
