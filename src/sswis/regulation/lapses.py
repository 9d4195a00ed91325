"""The daily job's two writes over every registration, set-based: statuses dated ahead brought into force,
and the lapses of registrations not renewed in time.

A national council keeps hundreds of thousands of registrations, and a fixed renewal date (1 January) makes
a large share of them due on the same day. So neither write loads registrations into Python: each finds
its rows with one query into a temporary table, then writes the status changes, the registrations' status
copies and the audit records of both (``simple_history``'s historical tables, the system as author, the
same rows its ``bulk_*_with_history`` would write) with one ``INSERT ... SELECT`` or ``UPDATE ... FROM``
each, whatever the count. ``bench/regulation.py`` times them against one hand-written ``UPDATE``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.regulation_policy import require_regulation_change
from sswis.regulation.models import Registration, RegistrationStatusChange

TEMPORARY = "regulation_daily_rows"
_PLACEHOLDER = "%(day)s"


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _plus_days(column: str, days: str) -> str:
    """SQL: the date ``column`` plus the integer expression ``days``, as a date (as ISO text on SQLite)."""
    if connection.vendor == "postgresql":
        return f"({column} + ({days}))"
    return f"date({column}, '+' || ({days}) || ' days')"


def _as_text(expression: str) -> str:
    return f"CAST({expression} AS TEXT)" if connection.vendor == "postgresql" else expression


def _columns(model: Any) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


def _history_insert(
    cursor: Any,
    *,
    model: Any,
    rows: str,
    history_type: str,
    now: datetime.datetime,
    parameters: tuple[Any, ...] = (),
) -> None:
    """Write the audit record (``history_type``: ``+`` created, ``~`` changed), the system as its author,
    of every row of ``model`` that ``rows`` selects: SQL after ``FROM <the model's table> t`` (a join to the
    temporary table ``d``, or a condition), with its ``parameters``."""
    columns = _columns(model)
    history = model.history.model
    listed = ", ".join(connection.ops.quote_name(column) for column in columns)
    selected = ", ".join(f"t.{connection.ops.quote_name(column)}" for column in columns)
    cursor.execute(
        f"INSERT INTO {_table(history)} ({listed}, history_date, history_change_reason, history_type, "
        f"history_user_id) SELECT {selected}, %s, NULL, %s, NULL FROM {_table(model)} t {rows}",
        [now, history_type, *parameters],
    )


def _temporary(cursor: Any, select: str, parameters: list[Any]) -> int:
    cursor.execute(f"DROP TABLE IF EXISTS {TEMPORARY}")
    cursor.execute(f"CREATE TEMPORARY TABLE {TEMPORARY} AS {select}", parameters)
    # The planner's row count of the new table, so that the writes joined to it pick their plan from it.
    cursor.execute(f"ANALYZE {TEMPORARY}")
    cursor.execute(f"SELECT COUNT(*) FROM {TEMPORARY}")
    return int(cursor.fetchone()[0])


def _copies_update(cursor: Any, *, now: datetime.datetime) -> None:
    """Set the status copies of the registrations in the temporary table (``registration_id``, ``status``,
    ``since``) and write their audit records."""
    registration = _table(Registration)
    cursor.execute(
        f"UPDATE {registration} SET status = d.status, status_since = d.since, updated_at = %s "
        f"FROM {TEMPORARY} d WHERE d.registration_id = {registration}.id",
        [now],
    )
    _history_insert(
        cursor,
        model=Registration,
        rows=f"JOIN {TEMPORARY} d ON d.registration_id = t.id",
        history_type="~",
        now=now,
    )


@transaction.atomic
def registrations_lapse_due(*, actor: Any, day: datetime.date) -> int:
    """Lapse every registration not renewed in time by ``day`` (the daily job, ``sswis regulation_daily``);
    return how many lapsed.

    A registration is due when it is ``registered`` and its renewal date — the day after the later of its
    last licence's end and the day its current status began, a day on which renewing is on time — plus the
    register's grace period has passed by ``day``; it lapses from the day after that grace (grace 0: the
    day after the renewal date), with the reason "Not renewed by <renewal date>." A registration never
    licensed has no renewal date and does not lapse, nor does one with a status change dated after
    ``day`` (a suspension decided to begin later): it stays under that decision, and its renewal date
    counts from its return to ``registered``. Each lapse is a dated status change; it and the registration's
    new status are audited (``actor`` ``None``: the system; set-based, see the module docstring)."""
    if actor is not None:
        require_regulation_change(user=actor, body_id=None)
    registration, change, licence = (
        _table(Registration),
        _table(RegistrationStatusChange),
        "regulation_licence",
    )
    base = "CASE WHEN MAX(l.valid_until) > r.status_since THEN MAX(l.valid_until) ELSE r.status_since END"
    # Renewal date R = base + 1 day; due when R + grace + 1 <= day, i.e. base + grace + 2 <= day.
    before, _placeholder, after = _("Not renewed by %(day)s.").partition(_PLACEHOLDER)
    now = timezone.now()
    with connection.cursor() as cursor:
        count = _temporary(
            cursor,
            f"SELECT r.id AS registration_id, 'lapsed' AS status, "
            f"{_plus_days(base, 'g.grace_days + 2')} AS since, "
            f"%s || {_as_text(_plus_days(base, '1'))} || %s AS reason "
            f"FROM {registration} r JOIN regulation_register g ON g.id = r.register_id "
            f"JOIN {licence} l ON l.registration_id = r.id "
            f"WHERE r.status = 'registered' AND NOT EXISTS (SELECT 1 FROM {change} c "
            f"WHERE c.registration_id = r.id AND c.since > %s) "
            f"GROUP BY r.id, r.status_since, g.grace_days "
            f"HAVING {_plus_days(base, 'g.grace_days + 2')} <= %s",
            [before, after, day, day],
        )
        if count == 0:
            return 0
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {change}")
        last_id = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO {change} (registration_id, status, since, reason, created_at) "
            f"SELECT registration_id, status, since, reason, %s FROM {TEMPORARY}",
            [now],
        )
        # The changes just written: after the last id before, made ``now`` (the job's own timestamp, so a change
        # another transaction writes meanwhile is not taken), read by the primary key's range.
        _history_insert(
            cursor,
            model=RegistrationStatusChange,
            rows="WHERE t.id > %s AND t.created_at = %s",
            history_type="+",
            now=now,
            parameters=(last_id, now),
        )
        _copies_update(cursor, now=now)
        cursor.execute(f"DROP TABLE {TEMPORARY}")
    return count


@transaction.atomic
def registrations_status_refresh(*, actor: Any, day: datetime.date) -> int:
    """Bring every registration's ``status``/``status_since`` copy to its latest status change on or before
    ``day`` (the daily job, before the lapses): a change dated ahead — a suspension's start or its end —
    comes into force on its day. Return how many copies changed; a second run the same day changes none.

    Only a registration with a change dated after its copy's day and on or before ``day``, or whose copy is
    dated after ``day`` (the job run for a past day), can be stale (no change may be dated before the latest
    one), so only those are read; their new copies and audit records are written set-based (``actor``
    ``None``: the system)."""
    if actor is not None:
        require_regulation_change(user=actor, body_id=None)
    registration, change = _table(Registration), _table(RegistrationStatusChange)
    now = timezone.now()
    with connection.cursor() as cursor:
        # The candidates first (few: changes dated ahead now in force, or copies dated after ``day``), by a
        # join and an index scan; then the latest change of each, looked up per candidate only.
        candidates = f"{TEMPORARY}_candidates"
        cursor.execute(f"DROP TABLE IF EXISTS {candidates}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {candidates} AS SELECT c.registration_id FROM {change} c "
            f"JOIN {registration} r ON r.id = c.registration_id WHERE c.since > r.status_since AND c.since <= %s "
            f"UNION SELECT r.id FROM {registration} r WHERE r.status_since > %s",
            [day, day],
        )
        latest = (
            f"(SELECT c.{{column}} FROM {change} c WHERE c.registration_id = k.registration_id AND c.since <= %s "
            "ORDER BY c.since DESC, c.id DESC LIMIT 1)"
        )
        count = _temporary(
            cursor,
            f"SELECT l.registration_id, l.status, l.since FROM (SELECT k.registration_id, {latest.format(column='status')} AS status, "
            f"{latest.format(column='since')} AS since FROM {candidates} k) l "
            f"JOIN {registration} r ON r.id = l.registration_id "
            "WHERE l.status IS NOT NULL AND (l.status <> r.status OR l.since <> r.status_since)",
            [day, day],
        )
        cursor.execute(f"DROP TABLE {candidates}")
        if count:
            _copies_update(cursor, now=now)
        cursor.execute(f"DROP TABLE {TEMPORARY}")
    return count
