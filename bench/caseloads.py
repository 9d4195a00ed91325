"""Benchmark: the caseload distribution of one month per district and cadre
(``support.caseload_distribution.caseload_distribution``) against ONE hand-written SQL query doing the same
work. Goal: within 2x of it.

Usage (run by hand)::

    python bench/caseloads.py [--workers 1000000] [--month 2025-12] [--repeat 5] [--keep]
    python bench/caseloads.py --reuse URL [--month 2025-12] [--repeat 5]   # time again on a kept database

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches that
database itself: on PostgreSQL it creates a throwaway database ``<name>_bench_caseloads`` on the same
server (dropped at the end unless ``--keep``), on SQLite a temporary file. It migrates it and builds with
bulk SQL (COPY on PostgreSQL, ``executemany`` on SQLite; no services, no history rows):

* the country, workers and assignments of ``bench/training_gaps.py`` (10 regions, 100 districts, one
  organisation per district, 8 cadres; N workers, default 1,000,000, with about 1.2 assignments each,
  2015-2025, 8% not child protection, 20% ended, some transferred to another district);
* a caseload of kind ``all`` for every worker and every month of 2025 (12 N rows, 12,000,000 by default),
  written month after month as a monthly entry or sync writes them, 0 to 60 open cases (the cadre shifts
  the spread);
* a norm of kind ``all`` for every cadre (14 to 28 open cases).

Then it times, over ``--repeat`` interleaved rounds after a warm-up: ``caseload_distribution(month=M,
level="district")`` (every district x cadre: workers with a caseload, mean, median, quartiles, maximum,
over the norm), the same for every location (the regions and the country too), and the limit, ONE
hand-written SQL query giving the same figures per district and cadre (reference assignment picked per
worker with ``DISTINCT ON``, the month's caseloads joined, then ``percentile_disc``/``percentile_cont`` and
``COUNT(*) FILTER`` against the norm on PostgreSQL; ranks from window functions on SQLite). It prints the
best and the median of each, the ratio to the limit, and whether the limit's figures equal
``caseload_distribution``'s (OK / MISMATCH). For scale it also times a plain ``COUNT(*)`` of the month's
caseloads and prints the machine's load average: on a machine shared with other work every figure slows
down together, and the ratios stay meaningful.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from indicators import best_of, ids, insert
from throwaway import throwaway_database
from training_gaps import DISTRICTS_PER_REGION, REGIONS, reference_rows_build, workers_load

NOW = "2025-06-30 12:00:00+00:00"
GOAL_RATIO = 2.0
SEED = 20251231
YEAR = 2025


def database_prepare(url: str) -> tuple[str, Callable[[], None]]:
    return throwaway_database(url, name=f"{urlsplit(url).path.strip('/') or 'sswis'}_bench_caseloads")


def caseloads_load(reference: dict[str, list[int]], rng: random.Random) -> int:
    """A caseload of every worker for every month of ``YEAR``, month after month; and the norms."""
    insert(
        "support_caseloadnorm",
        ("cadre_id", "kind", "maximum_open_cases", "source", "updated_at"),
        ((cadre, "all", 14 + 2 * number, "Bench", NOW) for number, cadre in enumerate(reference["cadres"])),
    )
    worker_ids = sorted(ids("registry_worker", key="worker_id").values())
    shift = {worker: worker % 8 for worker in worker_ids}  # a spread per worker, as cadres differ
    made = 0
    for month_number in range(1, 13):
        month = date(YEAR, month_number, 1)

        def rows(month: date = month) -> Iterator[tuple[Any, ...]]:
            for worker in worker_ids:
                yield (
                    uuid.uuid4().hex,
                    worker,
                    month,
                    "all",
                    rng.randrange(0, 45) + shift[worker] * 2,
                    "primero",
                    NOW,
                    NOW,
                )

        insert(
            "support_caseload",
            ("uuid", "worker_id", "month", "kind", "open_cases", "source", "created_at", "updated_at"),
            rows(),
        )
        made += len(worker_ids)
    return made


# --- the limit ------------------------------------------------------------------------------------


def limit_figures(month: date) -> dict[tuple[str, int], tuple[Any, ...]]:
    """ONE hand-written query: per district (the reference location: the bench places every assignment at
    a district) and cadre, the workers with a caseload of ``month``, their mean, median, quartiles
    (nearest rank), maximum, the cadre's norm and the workers over it. Written independently of
    ``sswis.support.caseload_distribution``."""
    from django.db import connection

    first, last = date(month.year, 1, 1), date(month.year, 12, 31)
    order = "a.start_date DESC, CASE WHEN a.end_date IS NULL OR a.end_date >= %(last)s THEN 0 ELSE 1 END, a.fte DESC, a.id"
    where = (
        "a.child_protection AND a.start_date <= %(last)s AND (a.end_date IS NULL OR a.end_date >= %(first)s)"
    )
    if connection.vendor == "postgresql":
        sql = f"""
            WITH placed AS (
                SELECT DISTINCT ON (a.worker_id) a.worker_id, a.location_id, a.cadre_id
                FROM registry_assignment a WHERE {where} ORDER BY a.worker_id, {order}
            )
            SELECT l.code, p.cadre_id, COUNT(*), AVG(c.open_cases),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY c.open_cases),
                percentile_disc(0.25) WITHIN GROUP (ORDER BY c.open_cases),
                percentile_disc(0.75) WITHIN GROUP (ORDER BY c.open_cases),
                MAX(c.open_cases), MAX(n.maximum_open_cases),
                COUNT(*) FILTER (WHERE c.open_cases > n.maximum_open_cases)
            FROM support_caseload c JOIN placed p ON p.worker_id = c.worker_id
            JOIN geo_location l ON l.id = p.location_id
            LEFT JOIN support_caseloadnorm n ON n.cadre_id = p.cadre_id AND n.kind = c.kind
            WHERE c.month = %(month)s AND c.kind = 'all'
            GROUP BY l.code, p.cadre_id
        """
    else:
        sql = f"""
            WITH placed AS (
                SELECT worker_id, location_id, cadre_id FROM (SELECT a.worker_id, a.location_id, a.cadre_id,
                ROW_NUMBER() OVER (PARTITION BY a.worker_id ORDER BY {order}) AS rank
                FROM registry_assignment a WHERE {where}) ranked WHERE rank = 1
            ),
            ranked AS (
                SELECT p.location_id, p.cadre_id, c.open_cases, n.maximum_open_cases AS norm,
                    ROW_NUMBER() OVER (PARTITION BY p.location_id, p.cadre_id ORDER BY c.open_cases) AS r,
                    COUNT(*) OVER (PARTITION BY p.location_id, p.cadre_id) AS n
                FROM support_caseload c JOIN placed p ON p.worker_id = c.worker_id
                LEFT JOIN support_caseloadnorm n ON n.cadre_id = p.cadre_id AND n.kind = c.kind
                WHERE c.month = %(month)s AND c.kind = 'all'
            )
            SELECT l.code, k.cadre_id, COUNT(*), AVG(k.open_cases),
                AVG(CASE WHEN k.r IN ((k.n + 1) / 2, (k.n + 2) / 2) THEN k.open_cases END),
                MAX(CASE WHEN k.r = (k.n + 3) / 4 THEN k.open_cases END),
                MAX(CASE WHEN k.r = (3 * k.n + 3) / 4 THEN k.open_cases END),
                MAX(k.open_cases), MAX(k.norm), SUM(CASE WHEN k.open_cases > k.norm THEN 1 ELSE 0 END)
            FROM ranked k JOIN geo_location l ON l.id = k.location_id
            GROUP BY l.code, k.cadre_id
        """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET work_mem = '96MB'")  # as the distribution's own query gets (SORT_MEMORY)
        cursor.execute(sql, {"first": first, "last": last, "month": month})
        return {
            (code, cadre): (
                int(n),
                round(float(mean), 6),
                float(median),
                int(q1),
                int(q3),
                int(top),
                norm,
                int(over),
            )
            for code, cadre, n, mean, median, q1, q3, top, norm, over in cursor.fetchall()
        }


def ours_as_limit(rows: list[Any]) -> dict[tuple[str, int], tuple[Any, ...]]:
    """``caseload_distribution``'s rows in the limit's terms."""
    from sswis.registry.models import Cadre

    cadre = dict(Cadre.objects.values_list("code", "pk"))
    return {
        (row.location, cadre[row.cadre]): (
            row.workers,
            round(row.mean, 6),
            row.median,
            row.lower_quartile,
            row.upper_quartile,
            row.maximum,
            row.norm,
            row.over_norm,
        )
        for row in rows
    }


def month_counted(month: date) -> int:
    """A plain count of the month's caseloads: how fast this machine reads them now."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM support_caseload WHERE month = %s AND kind = 'all'", [month])
        return int(cursor.fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--month", default=f"{YEAR}-12", help="YYYY-MM (default 2025-12).")
    parser.add_argument("--repeat", type=int, default=5, help="Rounds; best and median shown (default 5).")
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    parser.add_argument("--reuse", metavar="URL", default="", help="Time again on a database kept by --keep.")
    arguments = parser.parse_args()
    if arguments.reuse:
        url, remove = arguments.reuse, lambda: None
        arguments.keep = True
    else:
        url, remove = database_prepare(os.environ.get("SSWIS_DATABASE_URL", ""))
    os.environ["SSWIS_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.base")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from sswis.support.caseload_distribution import caseload_distribution
    from sswis.support.caseloads import month_parse

    month = month_parse(arguments.month)
    try:
        if not arguments.reuse:
            call_command("migrate", verbosity=0)
            rng = random.Random(SEED)
            started = time.perf_counter()
            with transaction.atomic():
                reference = reference_rows_build()
                assignments = workers_load(arguments.workers, reference, rng)
                caseloads = caseloads_load(reference, rng)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            print(
                f"{connection.vendor}: {arguments.workers:,} workers, {assignments:,} assignments, "
                f"{caseloads:,} caseloads (12 months of {YEAR}), {REGIONS * DISTRICTS_PER_REGION} districts, "
                f"8 cadres with a norm (built in {time.perf_counter() - started:.0f} s); month {month:%Y-%m}"
            )
        targets: dict[str, Callable[[], object]] = {
            "caseload_distribution(level='district')": lambda: caseload_distribution(
                month=month, level="district"
            ),
            "caseload_distribution() every location": lambda: caseload_distribution(month=month),
            "limit: one hand-written SQL query": lambda: limit_figures(month),
            "reference: COUNT(*) of the month": lambda: month_counted(month),
        }
        for target in targets.values():  # warm-up
            target()
        samples = best_of(arguments.repeat, targets)
        best = {label: min(times) for label, times in samples.items()}
        median = {label: statistics.median(times) for label, times in samples.items()}
        limit = best["limit: one hand-written SQL query"]
        print(f"  load average of the machine: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        print(f"  {'':42s} {'best':>9s}  {'/limit':>6s}   {'median':>9s}  {'/limit':>6s}")
        limit_median = median["limit: one hand-written SQL query"]
        for label in targets:
            print(
                f"  {label:42s} {best[label] * 1000:7.0f} ms  {best[label] / limit:5.2f}x   "
                f"{median[label] * 1000:7.0f} ms  {median[label] / limit_median:5.2f}x"
            )
        ours = ours_as_limit(caseload_distribution(month=month, level="district").rows)
        expected = limit_figures(month)
        print(
            f"  figures of the limit query vs caseload_distribution: {'OK' if ours == expected else 'MISMATCH'}"
        )
        chosen = best["caseload_distribution(level='district')"] / limit
        print(
            f"  goal: every district x cadre within {GOAL_RATIO:.0f}x the limit: "
            f"{'met' if chosen <= GOAL_RATIO else 'NOT met'} ({chosen:.2f}x)"
        )
    finally:
        if arguments.keep:
            print(f"kept {url}")
        else:
            remove()


if __name__ == "__main__":
    main()
