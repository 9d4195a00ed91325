"""Who is licensed on a day, in the database: the indicators' ``licensed`` dimension and
``workforce.licensed_share`` (contract ``indicators.md``, "Licensed and certified").

The rule is the regulation's (``sswis.regulation.selectors.worker_licensed_on``, row by row in Python);
this is the same rule for every worker at once, and the tests check that both agree. The regulation's
tables are named through the app registry, not imported: the regulation reads the indicators (its
statistics count the workforce as they do), so the indicators must not import it back.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection

# RegistrationStatus.REGISTERED of the regulation (a test checks that they are the same).
REGISTERED = "registered"


def _table(model: str) -> str:
    found: Any = apps.get_model("regulation", model)
    return str(connection.ops.quote_name(found._meta.db_table))


def licensed_workers_sql(*, day: str) -> str:
    """SQL of the ids of the workers licensed on a day, each once.

    ``day`` is the SQL placeholder of that day (e.g. ``"%(reference_date)s"``). A worker is licensed when
    one of their registrations has a licence valid that day (``valid_from <= day <= valid_until``) and
    its status that day is ``registered``: the status of its latest change on or before the day, of two
    on the same day the one recorded last (the highest id), as ``registration_status_on``. A registration
    with no change on or before the day has no status and does not count. The registration's own copy of
    its status is not used: a change dated ahead (a sanction from a later day) is in the history before
    the daily job brings the copy to it, and 31 December of the current year is usually ahead.

    The latest change is found as a ``registered`` change that no other change of the registration on
    or before the day follows (``NOT EXISTS``): PostgreSQL estimates it well and joins it by hashing (a
    "latest change" subquery per licence was estimated at a few hundred rows, planned as a nested loop
    and compiled by the JIT: twice as long at 200,000 workers, ``bench/indicators.py``); SQLite looks it
    up in the changes' registration index. The same SQL for SQLite and PostgreSQL.
    """
    registration, licence, change = (
        _table("Registration"),
        _table("Licence"),
        _table("RegistrationStatusChange"),
    )
    return (
        f"SELECT DISTINCT g.worker_id FROM {registration} g "
        f"JOIN {licence} l ON l.registration_id = g.id "
        f"JOIN {change} c ON c.registration_id = g.id "
        f"WHERE l.valid_from <= {day} AND l.valid_until >= {day} "
        f"AND c.status = '{REGISTERED}' AND c.since <= {day} "
        f"AND NOT EXISTS (SELECT 1 FROM {change} n WHERE n.registration_id = c.registration_id "
        f"AND n.since <= {day} AND (n.since > c.since OR (n.since = c.since AND n.id > c.id)))"
    )
