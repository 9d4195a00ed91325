"""Computed years of indicators, kept until the data they were computed from changes.

The dashboard opens on a year and draws the trend over every year with data: at 1,000,000 workers on
PostgreSQL each year is a query of about 0.3 s that no index can shorten (every worker's child
protection assignments of the year are ranked to find their reference assignment), so the page would
take 3 s on every view although the past years almost never change. ``years_cached`` keeps each
computed year and gives it again only while the data it was computed from is exactly the same.

**Never stale.** The key of a year holds the *stamp* of the data (``data_stamp``), which differs after
any committed change of the tables the indicators read (locations, child population, organisations,
cadres, posts, workers, assignments, registrations, their status changes and licences, training
programmes and completions, supervision rules, relationships and sessions, caseloads and caseload norms):

* On PostgreSQL (indicators migration 0001) a statement-level trigger on each of these tables writes, for
  every statement that inserts, updates, deletes or truncates their rows, a number never drawn before (a
  sequence's ``nextval``: never given twice, even by a transaction rolled back) into a row of the small
  table ``indicators_data_change``; the stamp is every row of that table with the database's own id
  (a restored backup is a new database, so its stamps are new too). The table is transactional, so a
  stamp shows exactly the committed changes it was read after: a row's number is only ever replaced
  by a later writer's, which took the row after the earlier one committed, so one stamp means one set of
  committed changes. A transaction's own uncommitted change shows in its own stamp with a number that
  no committed state will ever hold. Any write, by the services, the import's bulk writer, a
  ``QuerySet.update``, a migration or SQL typed by hand, moves it. The stamp is one small query (under
  1 ms at 1,000,000 workers, where the sums below took 0.15 s).
* Elsewhere (SQLite) the stamp is, for every such table, the number of rows, the sum of their ids and
  the sum of their versions. Every write of the registry's rows goes through ``sswis.concurrency.Versioned``
  or the import's bulk writer, both of which add 1 to the row's version; a new row adds its id (ids are
  never reused); a deleted row takes its id and version away. The regulation's, the training's and the
  support's rows have no version: registrations, licences, programmes, completions, supervision rules,
  relationships, sessions, caseloads and caseload norms give their latest ``updated_at`` instead (every
  save sets it, and the bulk lapse of registrations sets it too; a save with ``update_fields`` must name
  it, and so must a bulk update), and status changes are only ever added or deleted (a change of status
  is a new row). One query of plain sums (0.03 s at 200,000 workers); no write pays anything.

Either way the stamp is read before the figures, so figures computed from newer data can only be kept
under an older stamp, which is never asked for again; so any committed change gives a different stamp
and the year is computed again, exactly as if nothing had been kept.

What is kept: the rows of ``indicators_compute`` for one year, split and area (before any small cell is
withheld: that depends on the reader and is applied on every read). Where: Django's cache ``indicators``
(``CACHES`` in the settings: in the production settings files of the data folder, shared by every
process of the server, so a year is computed once per change of the data, not once per process; elsewhere
memory local to each process; a bounded number of entries either way). The command line does not use it: it computes once and exits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.apps import apps
from django.core.cache import caches
from django.db import connection

from sswis.geo.models import Location, PopulationEstimate
from sswis.indicators.rows import IndicatorRow
from sswis.registry.models import Assignment, Cadre, Organisation, Post, Worker

CACHE_ALIAS = "indicators"
INPUT_MODELS = (Location, PopulationEstimate, Organisation, Cadre, Post, Worker, Assignment)
# Named through the app registry: the regulation, the training and the support read the indicators,
# which must not import them back.
REGULATION_MODELS = ("Registration", "RegistrationStatusChange", "Licence")
TRAINING_MODELS = ("Programme", "Completion")
SUPPORT_MODELS = (
    "SupervisionRules",
    "SupervisionRelationship",
    "SupervisionSession",
    "Caseload",
    "CaseloadNorm",
)


def input_models() -> list[Any]:
    """Every model whose rows the indicators read."""
    return [
        *INPUT_MODELS,
        *(apps.get_model("regulation", name) for name in REGULATION_MODELS),
        *(apps.get_model("training", name) for name in TRAINING_MODELS),
        *(apps.get_model("support", name) for name in SUPPORT_MODELS),
    ]


def _changed(model: type[Any]) -> str:
    """What tells a changed row of ``model`` (as text): the sum of the versions, else the latest save,
    else nothing (rows only ever added or deleted)."""
    names = {field.name for field in model._meta.fields}
    if "version" in names:
        return "CAST(COALESCE(SUM(version), 0) AS TEXT)"
    if "updated_at" in names:
        return "CAST(MAX(updated_at) AS TEXT)"
    return "''"


def data_stamp() -> str:
    """A digest that differs after any committed change to the rows the indicators read (one query; the
    module docstring says how on each database)."""
    if connection.vendor == "postgresql":
        return _postgresql_stamp()
    parts = []
    for position, model in enumerate(input_models()):
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"SELECT {position}, COUNT(*), COALESCE(SUM(id), 0), {_changed(model)} FROM {table}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        sums = sorted(cursor.fetchall())
    return hashlib.sha256(repr(sums).encode()).hexdigest()


def _postgresql_stamp() -> str:
    """The database's id and every row of ``indicators_data_change`` (written by the triggers of indicators
    migration 0001), as a digest."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT oid, ARRAY(SELECT ARRAY[slot, number] FROM indicators_data_change ORDER BY slot) "
            "FROM pg_database WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    return hashlib.sha256(repr(("postgresql", *row)).encode()).hexdigest()


def years_cached(
    *,
    years: Sequence[int],
    area: str,
    compute: Callable[[Sequence[int]], dict[int, list[IndicatorRow]]],
) -> list[IndicatorRow]:
    """The rows of each of ``years`` in order: those kept for the current data, and for the others
    ``compute(missing_years)`` (one call, the rows by year), which are then kept.

    ``area`` names everything else the rows depend on (the split, the location, the depth), so that
    two different questions never share a key."""
    store = caches[CACHE_ALIAS]
    stamp = data_stamp()
    # The area as a digest: a key of memcached and the like must stay under 250 characters.
    place = hashlib.sha256(area.encode()).hexdigest()
    keys = {year: f"{stamp}:{place}:{year}" for year in years}
    found: dict[str, list[IndicatorRow]] = store.get_many(list(keys.values()))
    missing = [year for year in years if keys[year] not in found]
    if missing:
        computed = compute(missing)
        store.set_many({keys[year]: computed[year] for year in missing})
        found.update({keys[year]: computed[year] for year in missing})
    return [row for year in years for row in found[keys[year]]]
