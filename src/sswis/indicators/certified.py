"""Who is certified on a day, in the database: the indicators' ``certified`` dimension and
``workforce.certified_share`` (contract ``indicators.md``, "Licensed and certified"; VAC 3.1(d).1).

A worker is certified on a day when, on or before it, they completed a training programme that the
government recognised, **on the completion date**, as certifying to work with child victims of
violence: a completion (``training.Completion``) with ``completed_on <= day`` of a programme
(``training.Programme``) with ``certifies_child_victims`` and ``government_recognised_from`` recorded
and on or before ``completed_on``. A completion from before the programme was recognised does not
count, even once it is; the recognition is not withdrawn by a later date (the model has no end of
recognition).

The training's tables are named through the app registry, not imported, as ``sswis.indicators.licensed``
does for the regulation: the training domain may read the indicators (its figures count the workforce as
they do), so the indicators must not import it back.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection


def _table(model: str) -> str:
    found: Any = apps.get_model("training", model)
    return str(connection.ops.quote_name(found._meta.db_table))


def certified_workers_sql(*, day: str) -> str:
    """SQL of the ids of the workers certified on a day (``worker_id``), each once, in increasing order.

    ``day`` is the SQL placeholder of that day (e.g. ``"%(reference_date)s"``). The same SQL for SQLite
    and PostgreSQL.

    How it is read: the certifying programmes are few (a handful in a country) and their completions a
    small part of all, so the programmes are the outer side and each one's completions are one range of
    the ``(programme, completed_on, worker)`` index (training migration 0003), from the day it was
    recognised to the day asked, the worker read from the index itself: an index-only scan on
    PostgreSQL, the covering index on SQLite (once ``ANALYZE`` has run), never the completions' table.

    Why in order: the workforce query LEFT JOINs this set to the reference rows, which the pick of the
    reference assignments already gives in worker order (``DISTINCT ON``); ordered too, the set is
    sorted and made distinct in one pass (a sort of the certifying completions) and merged with them.
    Unordered, PostgreSQL hashed the set and probed it with every counted worker: at 1,000,000 workers
    and 2,000,000 completions (``bench/training_certified.py``) that join cost four times the
    hand-written floor (0.82 s more than the count alone against 0.2 s); merged, it costs what the
    hand-written query does (0.18 s more). The same holds on SQLite, which sorts for ``DISTINCT``
    anyway.
    """
    programme, completion = _table("Programme"), _table("Completion")
    return (
        f"SELECT DISTINCT c.worker_id FROM {programme} p "
        f"JOIN {completion} c ON c.programme_id = p.id "
        f"WHERE p.certifies_child_victims AND p.government_recognised_from IS NOT NULL "
        f"AND c.completed_on >= p.government_recognised_from AND c.completed_on <= {day} "
        "ORDER BY c.worker_id"
    )
