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
    """SQL of the ids of the workers certified on a day, each once (``worker_id``).

    ``day`` is the SQL placeholder of that day (e.g. ``"%(reference_date)s"``). The same SQL for SQLite
    and PostgreSQL.

    The certifying programmes are few (a handful in a country) and their completions a small part of
    all: the programmes are the outer side and each one's completions are read as one range of the
    ``(programme, completed_on, worker)`` index (training migration 0003), from the day it was
    recognised to the day asked, the worker read from the index itself (PostgreSQL: a nested loop over
    an index-only scan, never the completions' table; SQLite: the same through the covering index).
    ``DISTINCT`` keeps a worker with several certifying completions once (PostgreSQL hashes them).
    ``bench/training_certified.py`` measures it at 1,000,000 workers and 2,000,000 completions.
    """
    programme, completion = _table("Programme"), _table("Completion")
    return (
        f"SELECT DISTINCT c.worker_id FROM {programme} p "
        f"JOIN {completion} c ON c.programme_id = p.id "
        f"WHERE p.certifies_child_victims AND p.government_recognised_from IS NOT NULL "
        f"AND c.completed_on >= p.government_recognised_from AND c.completed_on <= {day}"
    )
