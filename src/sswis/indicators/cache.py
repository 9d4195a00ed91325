"""Computed years of indicators, kept until the data they were computed from changes.

The dashboard opens on a year and draws the trend over every year with data: at 1,000,000 workers on
PostgreSQL each year is a query of about 0.3 s that no index can shorten (every worker's child
protection assignments of the year are ranked to find their reference assignment), so the page would
take 3 s on every view although the past years almost never change. ``years_cached`` keeps each
computed year and gives it again only while the data it was computed from is exactly the same.

**Never stale.** The key of a year holds the *stamp* of the data (``data_stamp``): for every table the
indicators read (locations, child population, organisations, cadres, posts, workers, assignments,
registrations, their status changes and licences, training programmes and completions, supervision
rules, relationships and sessions, caseloads and caseload norms) the number of
rows, the sum of their ids and the sum of their versions. Every write of the registry's rows goes through ``sswis.concurrency.Versioned`` or
the import's bulk writer, both of which add 1 to the row's version; a new row adds its id (ids are never
reused); a deleted row takes its id and version away. The regulation's, the training's and the
support's rows have no version: registrations, licences, programmes, completions, supervision rules,
relationships, sessions, caseloads and caseload norms give their latest ``updated_at`` instead (every
save sets it, and the bulk lapse of registrations sets it too; a save with
``update_fields`` must name it, and so must a bulk update), and status changes are only ever added or deleted (a change of status
is a new row). So any committed change gives a different stamp and the year is computed again,
exactly as if nothing had been kept. The stamp is read before the figures, so figures computed from newer data can only be kept
under an older stamp, which is never asked for again. The stamp is one query of plain sums (0.15 s at
1,000,000 workers, 0.03 s at 200,000); no write pays anything.

What is kept: the rows of ``indicators_compute`` for one year, split and area (before any small cell is
withheld: that depends on the reader and is applied on every read). Where: Django's cache ``indicators``
(``CACHES`` in the settings; by default memory local to each server process, a bounded number of
entries). The command line does not use it: it computes once and exits.
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
    """A digest of the row count, id sum and version sum (or latest save) of every table the indicators
    read (one query): it differs after any committed change to their rows (module docstring)."""
    parts = []
    for position, model in enumerate(input_models()):
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"SELECT {position}, COUNT(*), COALESCE(SUM(id), 0), {_changed(model)} FROM {table}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        sums = sorted(cursor.fetchall())
    return hashlib.sha256(repr(sums).encode()).hexdigest()


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
