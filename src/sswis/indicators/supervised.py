"""Who is supervised on a day, in the database: ``support.supervised_share`` (contract ``support.md``,
"Supervision") and the supervisees of ``support.sessions_per_supervisee``.

A worker is supervised on a day D when one of their supervision relationships as supervisee is active
on D: ``start_date <= D`` and (no ``end_date`` or ``end_date >= D``). The supervisor need not be counted
in the workforce, nor even have an assignment.

The support's tables are named through the app registry, not imported, as ``sswis.indicators.licensed``
does for the regulation: the support domain reads the indicators (its figures count the workforce as
they do), so the indicators must not import it back.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection


def support_model(name: str) -> Any:
    """The support domain's model ``name`` (``SupervisionRelationship``, ``Caseload``...)."""
    return apps.get_model("support", name)


def support_table(name: str) -> str:
    """The quoted table name of the support domain's model ``name``."""
    return str(connection.ops.quote_name(support_model(name)._meta.db_table))


def relationship_active(alias: str, *, day: str) -> str:
    """SQL: the relationship ``alias`` is active on ``day`` (an SQL placeholder such as
    ``"%(reference_date)s"``)."""
    return f"{alias}.start_date <= {day} AND ({alias}.end_date IS NULL OR {alias}.end_date >= {day})"


def supervised_workers_sql(*, day: str, ordered: bool = True) -> str:
    """SQL of the ids of the workers supervised on a day (``worker_id``), each once; ``ordered``: in
    increasing order (so that the workforce query merges it with its reference rows, which come in worker
    order, as it does the certified workers; leave it out inside a ``UNION``). ``day`` is the SQL
    placeholder of that day. The same SQL for SQLite and PostgreSQL."""
    relationship = support_table("SupervisionRelationship")
    return (
        f"SELECT DISTINCT s.supervisee_id AS worker_id FROM {relationship} s "
        f"WHERE {relationship_active('s', day=day)}" + (" ORDER BY s.supervisee_id" if ordered else "")
    )
