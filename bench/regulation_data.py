"""Synthetic registrations, status histories and licences for the benchmarks (``bench/indicators.py``),
loaded with bulk SQL like the rest of the benchmark's data (no services, no history rows).

About 45% of the workers hold a registration (5% of those a second one, on another register). Each is
registered on a day from 2012 to mid-2025 and holds a licence for every calendar year from then on
(the first from the registration day), except that about 12% lapse (the licence of the year not renewed;
half of them restored months later, licences resuming from that day), 3% are suspended for three months
(their licence keeps running) and 2% are removed. Every registration has its applied and registered
changes, then its lapses, restorations, suspensions and removals, in date order: on average about 2.4
status changes and 6 licences a registration. Deterministic (seeded).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

NOW = "2025-06-30 12:00:00+00:00"
FIRST_DAY, LAST_DAY = date(2012, 1, 1), date(2025, 6, 30)
LAST_YEAR = 2025


def _histories(worker_ids: list[int], rng: random.Random) -> Iterator[tuple[int, int, list[Any], list[Any]]]:
    """Per registration: (register index, worker id, [(status, since)], [(valid_from, valid_until)])."""
    span = (LAST_DAY - FIRST_DAY).days
    for worker_id in worker_ids:
        if rng.random() >= 0.45:
            continue
        registers = [0, 1] if rng.random() < 0.05 else [0]
        for register in registers:
            registered = FIRST_DAY + timedelta(days=rng.randrange(span))
            changes: list[Any] = [("applied", registered - timedelta(days=30)), ("registered", registered)]
            licences: list[Any] = []
            fate = rng.random()
            day = registered
            active = True
            while active and day.year <= LAST_YEAR:
                end = date(day.year, 12, 31)
                licences.append((day, end))
                following = end + timedelta(days=1)
                if fate < 0.12 and rng.random() < 0.25 and following <= LAST_DAY:  # not renewed: lapses
                    lapsed = following + timedelta(days=30)
                    changes.append(("lapsed", lapsed))
                    if fate < 0.06:
                        restored = lapsed + timedelta(days=rng.randrange(60, 400))
                        if restored <= LAST_DAY:
                            changes.append(("registered", restored))
                            day = restored
                            fate = 1.0  # once
                            continue
                    active = False
                elif 0.12 <= fate < 0.15 and rng.random() < 0.3:  # suspended for three months
                    suspended = day + timedelta(days=rng.randrange(0, 200))
                    if suspended <= LAST_DAY:
                        changes.append(("suspended", suspended))
                        changes.append(("registered", suspended + timedelta(days=90)))
                        fate = 1.0
                elif 0.15 <= fate < 0.17 and rng.random() < 0.3:  # removed
                    removed = day + timedelta(days=rng.randrange(1, 300))
                    if removed <= LAST_DAY:
                        changes.append(("removed", removed))
                        active = False
                day = following
            changes.sort(key=lambda change: change[1])  # stable: on one day, in the order they happened
            yield register, worker_id, changes, licences


def registrations_load(*, insert: Any, ids: Any, worker_ids: list[int], seed: int = 11) -> dict[str, int]:
    """Insert a regulatory body, two registers and the registrations of ``worker_ids`` with their
    status changes and licences; ``insert(table, columns, rows)`` and ``ids(table, key)`` are the
    benchmark's bulk writer and id reader. Returns the number of rows of each table."""
    # The body and its two registers through the models: their defaults are the models' own.
    from sswis.regulation.models import Register, RegulatoryBody

    body = RegulatoryBody.objects.create(code="SSC", name="Social Service Council")
    for code, name in (("SW-REG", "Social workers"), ("PSW-REG", "Para-social workers")):
        Register.objects.create(body=body, code=code, name=name, licence_validity="fixed_date", grace_days=30)
    registers = ids("regulation_register")
    register_ids = [registers["SW-REG"], registers["PSW-REG"]]
    histories = list(_histories(worker_ids, random.Random(seed)))
    insert(
        "regulation_registration",
        (
            "register_id", "worker_id", "number", "applied_on", "registered_on", "status",
            "status_since", "documents_checked", "created_at", "updated_at",
        ),
        (
            (
                register_ids[register], worker_id, f"N{number:07d}", changes[0][1], changes[1][1],
                changes[-1][0], changes[-1][1], True, NOW, NOW,
            )
            for number, (register, worker_id, changes, _) in enumerate(histories)
        ),
    )  # fmt: skip
    registration = ids("regulation_registration", key="number")
    numbered = [(registration[f"N{number:07d}"], history) for number, history in enumerate(histories)]
    insert(
        "regulation_registrationstatuschange",
        ("registration_id", "status", "since", "reason", "created_at"),
        ((pk, status, since, "", NOW) for pk, (_, _, changes, _) in numbered for status, since in changes),
    )
    insert(
        "regulation_licence",
        ("registration_id", "number", "valid_from", "valid_until", "created_at", "updated_at"),
        (
            (pk, "", valid_from, valid_until, NOW, NOW)
            for pk, (_, _, _, licences) in numbered
            for valid_from, valid_until in licences
        ),
    )
    return {
        "registrations": len(histories),
        "status changes": sum(len(changes) for _, _, changes, _ in histories),
        "licences": sum(len(licences) for _, _, _, licences in histories),
    }


def licensed_reference_count(year: int) -> int:
    """The workers counted in ``year`` (a child protection assignment overlapping it) who are licensed on
    31 December, in one hand-written query that shares no SQL with sswis: the status on the day as the
    change no later change (on or before the day) follows, instead of sswis's latest-change subquery."""
    from django.db import connection

    sql = """
        SELECT COUNT(DISTINCT g.worker_id)
        FROM regulation_registration g
        JOIN regulation_licence l ON l.registration_id = g.id
        JOIN regulation_registrationstatuschange c ON c.registration_id = g.id
        WHERE l.valid_from <= %(day)s AND l.valid_until >= %(day)s
          AND c.since <= %(day)s AND c.status = 'registered'
          AND NOT EXISTS (
            SELECT 1 FROM regulation_registrationstatuschange n
            WHERE n.registration_id = c.registration_id AND n.since <= %(day)s
              AND (n.since > c.since OR (n.since = c.since AND n.id > c.id)))
          AND EXISTS (
            SELECT 1 FROM registry_assignment a
            WHERE a.worker_id = g.worker_id AND a.child_protection AND a.start_date <= %(day)s
              AND (a.end_date IS NULL OR a.end_date >= %(first)s))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"day": date(year, 12, 31), "first": date(year, 1, 1)})
        return int(cursor.fetchone()[0])
