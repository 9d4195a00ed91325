"""The grouped queries of the retention page (``sswis.support.retention``): only aggregated counts come
back to Python, never a worker, an assignment or a post.

* ``turnover_parts`` — the turnover of a year (contract ``support.md``, "Turnover": the indicators' own
  SQL, ``sswis.indicators.turnover``) per reference location, cadre, organisation and exit reason;
* ``tenure_parts`` — the counted workers per reference location and tenure band;
* ``cohort_parts`` — per entry cohort, its size and those still active after 1, 2, 3 and 5 years;
* ``vacancy_parts`` — the days the vacant funded posts have been vacant: count, sum and median.

The same SQL for SQLite and PostgreSQL but for the number of days between two dates (``_days_since``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection

from sswis.geo.models import Location
from sswis.indicators.computation import (
    aggregate_rows,
    reference_assignments_sql,
    reference_parameters,
    table_name,
)
from sswis.indicators.definitions import reference_period
from sswis.indicators.turnover import activity_sql
from sswis.registry.models import Assignment, Post

# The tenure bands: completed years on 31 December of the year, from the start of the worker's first
# child protection assignment. (code, fewest completed years).
TENURE_BANDS = (("under_1", 0), ("1_2", 1), ("2_5", 2), ("5_10", 5), ("10_plus", 10))
# Years after entry at which a cohort's retention is read.
RETENTION_YEARS = (1, 2, 3, 5)
COHORTS = 10  # cohorts shown: the year itself and the nine before it
NOT_RECORDED = "not_recorded"  # a separated worker whose last assignment has no exit reason


def turnover_parts(*, year: int, scope: Sequence[int]) -> list[tuple[int, int, int, str, int, int, int]]:
    """Per reference location id, cadre id, organisation id and exit reason (``""`` for the workers still
    active on 31 December): counted workers, those active on 1 January, those active on 31 December.

    A separated worker's exit reason is that of their child protection assignment that ended last (the
    latest end date on or before 31 December; among equals the latest start, then the highest id),
    ``NOT_RECORDED`` when it has none. With ``scope`` (location ids) only the workers with a candidate
    assignment there are read, as the indicators do; the caller keeps the locations it wants."""
    period = reference_period(year=year)
    assignment = table_name(Assignment)
    activity_columns, joins, first, last = activity_sql()  # as the indicator reads it
    reference = reference_assignments_sql(
        columns=["a.location_id", "a.cadre_id", "a.organisation_id", "a.worker_id", *activity_columns],
        scope=scope,
    )
    reason = (
        f"(SELECT e.exit_reason FROM {assignment} e WHERE e.worker_id = r.worker_id AND e.child_protection "
        "AND e.end_date <= %(reference_date)s ORDER BY e.end_date DESC, e.start_date DESC, e.id DESC LIMIT 1)"
    )
    sql = (
        "SELECT t.location_id, t.cadre_id, t.organisation_id, t.reason, COUNT(*), SUM(t.first_active), "
        "SUM(t.last_active) FROM ("
        "SELECT r.location_id, r.cadre_id, r.organisation_id, "
        f"CASE WHEN {last} THEN '' "
        f"ELSE COALESCE(NULLIF({reason}, ''), '{NOT_RECORDED}') END AS reason, "
        f"CASE WHEN {first} THEN 1 ELSE 0 END AS first_active, "
        f"CASE WHEN {last} THEN 1 ELSE 0 END AS last_active "
        f"FROM ({reference}) r{joins}"
        ") t GROUP BY t.location_id, t.cadre_id, t.organisation_id, t.reason"
    )
    rows = aggregate_rows(sql=sql, parameters=reference_parameters(period, scope=scope))
    return [
        (location, cadre, organisation, reason, int(counted), int(first or 0), int(last or 0))
        for location, cadre, organisation, reason, counted, first, last in rows
    ]


def band_limits(year: int) -> list[datetime.date]:
    """The last start date of each band but the first: a first start on or before 31 December of
    ``year - n`` means ``n`` completed years or more on 31 December of ``year``."""
    return [datetime.date(year - fewest, 12, 31) for _code, fewest in TENURE_BANDS[1:]]


def tenure_parts(*, year: int, scope: Sequence[int]) -> list[tuple[int, int, int]]:
    """Per reference location id and tenure band (its index in ``TENURE_BANDS``): the counted workers.

    Tenure is counted in completed years on 31 December of ``year`` since the start of the worker's first
    child protection assignment (any, anywhere; earlier gaps are not taken off): a start in ``year``
    is 0 years, any day of ``year - 1`` is 1 year, and so on."""
    period = reference_period(year=year)
    assignment = table_name(Assignment)
    reference = reference_assignments_sql(columns=["a.location_id", "a.worker_id"], scope=scope)
    limits = band_limits(year)
    band = (
        "CASE "
        + " ".join(f"WHEN f.first_start > %(limit_{i})s THEN {i}" for i in range(len(limits)))
        + f" ELSE {len(limits)} END"
    )
    if connection.vendor == "postgresql":
        # The first starts of every worker, grouped apart and joined: one pass (a third of the time of
        # looking each worker up at 1,000,000 workers).
        firsts = (
            f"SELECT x.worker_id, MIN(x.start_date) AS first_start FROM {assignment} x "
            "WHERE x.child_protection GROUP BY x.worker_id"
        )
        started = f"SELECT r.location_id, s.first_start FROM ({reference}) r JOIN ({firsts}) s ON s.worker_id = r.worker_id"
    else:
        # The first start is looked up worker by worker in the (worker, start date) index: a join with the
        # first starts of every worker, grouped apart, was not indexed by SQLite (seconds at 6,000 workers).
        first_start = f"(SELECT MIN(x.start_date) FROM {assignment} x WHERE x.worker_id = r.worker_id AND x.child_protection)"
        started = f"SELECT r.location_id, {first_start} AS first_start FROM ({reference}) r"
    sql = f"SELECT f.location_id, {band} AS band, COUNT(*) FROM ({started}) f GROUP BY 1, 2"
    parameters = {
        **reference_parameters(period, scope=scope),
        **{f"limit_{i}": limit for i, limit in enumerate(limits)},
    }
    return [
        (location, band, int(count))
        for location, band, count in aggregate_rows(sql=sql, parameters=parameters)
    ]


def _cohort_days(year: int) -> tuple[str, str, dict[str, Any]]:
    """SQL of an entrant's cohort (``CASE`` over the entry date, ``x.entry_date``) and a table of the
    entry cohorts ``year - COHORTS + 1 .. year`` with the days their retention is read on: (cohort,
    ``day_1``, ``day_2`` ..., one per ``RETENTION_YEARS``), ``n`` years after entry being 31 December of
    ``cohort + n``. Days after 31 December of ``year`` are in the table too; their counts are not read."""
    cases: list[str] = []
    rows: list[str] = []
    parameters: dict[str, Any] = {}
    for index, cohort in enumerate(range(year - COHORTS + 1, year + 1)):
        cases.append(f"WHEN x.entry_date <= %(last_{index})s THEN %(cohort_{index})s")
        days = ", ".join(f"%(day_{index}_{after})s AS day_{after}" for after in RETENTION_YEARS)
        rows.append(f"SELECT %(cohort_{index})s AS cohort, {days}")
        parameters[f"last_{index}"] = datetime.date(cohort, 12, 31)
        parameters[f"cohort_{index}"] = cohort
        for after in RETENTION_YEARS:
            parameters[f"day_{index}_{after}"] = datetime.date(cohort + after, 12, 31)
    return f"CASE {' '.join(cases)} END", " UNION ALL ".join(rows), parameters


def cohort_parts(*, year: int, location: Location) -> list[tuple[int, int, int, int]]:
    """Per entry cohort and years after entry (0: the cohort's size): the workers of the cohort, and those
    of them active on 31 December of the entry year + ``n`` (``n`` in ``RETENTION_YEARS``, only when that
    day is on or before 31 December of ``year``).

    A worker's **entry** is the start of their first child protection assignment (the earliest start;
    among equals the lowest id); they belong to the cohort of its year and to its location and every
    location above it: the cohort of ``location`` is the workers who entered in its subtree. **Still
    active** ``n`` years after entry: active (a child protection assignment active, anywhere) on
    31 December of the entry year + ``n``."""
    assignment = table_name(Assignment)
    cohort_of, days, parameters = _cohort_days(year)
    active = ", ".join(
        f"MAX(CASE WHEN x.start_date <= k.day_{after} AND (x.end_date IS NULL OR x.end_date >= k.day_{after}) "
        f"THEN 1 ELSE 0 END) AS active_{after}"
        for after in RETENTION_YEARS
    )
    # One ordered pass over the child protection assignments gives each its worker's entry (the first's
    # start and location); each then meets its cohort's days by equality, and the worker's rows are
    # folded into one. Looking the entry and each day's activity up entrant by entrant (NOT EXISTS,
    # EXISTS) took 50 s at 1,000,000 workers; joining each entrant's assignments again, 8 s. The places are
    # a list of ids (integers read from the database), not a join or a subquery: the planner cannot size
    # the window's rows and looped over every location for each of them (8 s).
    places = ", ".join(
        str(int(pk))
        for pk in Location.objects.filter(path__startswith=location.path).values_list("pk", flat=True)
    )
    sql = (
        "WITH numbered AS ("
        "SELECT a.worker_id, a.start_date, a.end_date, FIRST_VALUE(a.start_date) OVER entry AS entry_date, "
        "FIRST_VALUE(a.location_id) OVER entry AS entry_location "
        f"FROM {assignment} a WHERE a.child_protection "
        "WINDOW entry AS (PARTITION BY a.worker_id ORDER BY a.start_date, a.id)), "
        "entrants AS ("
        f"SELECT x.worker_id, x.start_date, x.end_date, {cohort_of} AS cohort "
        f"FROM numbered x WHERE x.entry_location IN ({places}) "
        "AND x.entry_date >= %(first_entry)s AND x.entry_date <= %(last_entry)s), "
        f"checked AS (SELECT x.cohort, x.worker_id, {active} "
        f"FROM entrants x JOIN ({days}) k ON k.cohort = x.cohort GROUP BY x.cohort, x.worker_id) "
        "SELECT cohort, COUNT(*), "
        + ", ".join(f"SUM(active_{after})" for after in RETENTION_YEARS)
        + " FROM checked GROUP BY cohort"
    )
    parameters.update(
        {
            "first_entry": datetime.date(year - COHORTS + 1, 1, 1),
            "last_entry": datetime.date(year, 12, 31),
        }
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        found = cursor.fetchall()
    parts: list[tuple[int, int, int, int]] = []
    for cohort, size, *still in found:
        parts.append((int(cohort), 0, int(size), int(size)))
        parts.extend(
            (int(cohort), after, int(size), int(count or 0))
            for after, count in zip(RETENTION_YEARS, still, strict=True)
            if int(cohort) + after <= year
        )
    return parts


def _days_since(day: str, column: str) -> str:
    """SQL of the whole days from ``column`` (a date) to ``day`` (a placeholder)."""
    if connection.vendor == "postgresql":
        return f"(CAST({day} AS DATE) - {column})"
    return f"CAST(julianday({day}) - julianday({column}) AS INTEGER)"


def vacancy_parts(*, year: int, location: Location) -> list[tuple[int, int | None, int, int | None, Any]]:
    """The days vacant of the funded posts vacant on 31 December of ``year`` in ``location``'s subtree:
    rows ``(kind, key, posts, sum of days, median of days)`` where kind 0 is the whole subtree (key
    ``None``), 1 a location directly below ``location`` (key: its id; its whole subtree), 2 a cadre
    (key: its id), and 3 the vacant posts whose days are not known (no assignment ever ended in them and
    no establishment date; key, sum and median ``None``).

    A post exists and is vacant as for ``posts.vacancy_rate`` (funded, established on or before the day or
    undated, not abolished on or before it, no assignment linked to it active that day). Its vacancy
    began the day after the last end of an assignment linked to it that ended before the day, or on its
    establishment date when that is later (or when no assignment ever ended in it); the days vacant
    count that first day and the reference day: vacant since 31 December is 1 day. Median: the middle
    value, or the mean of the two middle values, from the rows' rank within their group (window
    functions, on both databases)."""
    day = reference_period(year=year).reference_date
    post, assignment, place = table_name(Post), table_name(Assignment), table_name(Location)
    since_end = _days_since("%(day)s", "ended.last_end")
    since_established = f"({_days_since('%(day)s', 'p.established_on')} + 1)"
    days = (
        f"CASE WHEN ended.last_end IS NULL THEN {since_established} "
        f"WHEN p.established_on IS NULL THEN {since_end} "
        f"WHEN {since_end} < {since_established} THEN {since_end} ELSE {since_established} END"
    )
    vacant = (
        f"SELECT below.id AS below_id, p.cadre_id, {days} AS days FROM {post} p "
        f"JOIN {place} pl ON pl.id = p.location_id "
        f"LEFT JOIN {place} below ON below.parent_id = %(parent)s AND pl.path LIKE below.path || '%%' "
        f"LEFT JOIN (SELECT a.post_id, MAX(a.end_date) AS last_end FROM {assignment} a "
        "WHERE a.post_id IS NOT NULL AND a.end_date < %(day)s GROUP BY a.post_id) ended ON ended.post_id = p.id "
        "WHERE p.funded AND pl.path LIKE %(path)s "
        "AND (p.established_on IS NULL OR p.established_on <= %(day)s) "
        "AND (p.abolished_on IS NULL OR p.abolished_on > %(day)s) "
        f"AND NOT EXISTS (SELECT 1 FROM {assignment} f WHERE f.post_id = p.id AND f.start_date <= %(day)s "
        "AND (f.end_date IS NULL OR f.end_date >= %(day)s))"
    )
    ranked = (
        "SELECT below_id, cadre_id, days, "
        "ROW_NUMBER() OVER (ORDER BY days) AS all_rank, COUNT(*) OVER () AS all_count, "
        "ROW_NUMBER() OVER (PARTITION BY below_id ORDER BY days) AS below_rank, "
        "COUNT(*) OVER (PARTITION BY below_id) AS below_count, "
        "ROW_NUMBER() OVER (PARTITION BY cadre_id ORDER BY days) AS cadre_rank, "
        "COUNT(*) OVER (PARTITION BY cadre_id) AS cadre_count "
        "FROM vacant WHERE days IS NOT NULL"
    )

    def median(prefix: str) -> str:
        # The middle row (odd count) or the two middle rows (even count) of the group.
        return (
            f"AVG(CASE WHEN 2 * {prefix}_rank IN ({prefix}_count, {prefix}_count + 1, {prefix}_count + 2) "
            "THEN days END)"
        )

    sql = (
        f"WITH vacant AS ({vacant}), ranked AS ({ranked}) "
        f"SELECT 0, NULL, COUNT(*), SUM(days), {median('all')} FROM ranked "
        f"UNION ALL SELECT 1, below_id, COUNT(*), SUM(days), {median('below')} FROM ranked "
        "WHERE below_id IS NOT NULL GROUP BY below_id "
        f"UNION ALL SELECT 2, cadre_id, COUNT(*), SUM(days), {median('cadre')} FROM ranked GROUP BY cadre_id "
        "UNION ALL SELECT 3, NULL, COUNT(*), NULL, NULL FROM vacant WHERE days IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"day": day, "parent": location.pk, "path": f"{location.path}%"})
        return [
            (int(kind), key, int(posts), None if total is None else int(total), middle)
            for kind, key, posts, total, middle in cursor.fetchall()
        ]
