"""Benchmark: the certified share (VAC 3.1(d).1) at national scale: ``sswis indicators --year Y --by
certified`` against the same command without ``--by``, and the cost of the certified share against the
least it must read.

Usage (run by hand)::

    python bench/training_certified.py [--workers 1000000] [--completions 2000000] [--year 2025] [--repeat 7] [--keep]
    python bench/training_certified.py --reuse URL [--year 2025] [--repeat 7] [--explain]

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches that
database itself: on PostgreSQL it creates a throwaway database ``<name>_bench_certified`` on the same
server (dropped at the end unless ``--keep``), on SQLite a temporary file. It migrates it and builds:

* the workforce of ``bench/indicators.py`` (imported, not copied): the demo country with N workers over
  2019-2025 (``sswis.demo.generator.country_generate``) and its synthetic registrations and licences,
  loaded with COPY;
* 60 training programmes through the models: 12 certify to work with child victims and were recognised
  by the government on a day from 2010 to 2024, 2 certify but were never recognised, the rest do not
  certify (most of them recognised);
* ``--completions`` completions (default 2,000,000) in ONE ``INSERT ... SELECT`` over
  ``generate_series`` (a recursive series on SQLite): 65% of the workers complete 1 to 4 programmes
  (about 3 on average), each on a day from 2008 to mid-2025, so that many certifying completions come
  before their programme's recognition. No service, no history rows.

It prints how long each step took, then times, over ``--repeat`` rotated interleaved rounds (the best and
the median of each):

1. ``sswis indicators --year Y --by certified`` (all six indicators, JSON to a null stream);
2. ``sswis indicators --year Y`` (all six indicators, the certified share included);
3. ``indicators_compute(year=Y, indicators=["workforce.count"])`` (no completion read) and
4. the same with ``workforce.certified_share``: the certified share's own cost is 4. - 3.;
5. the limit of ``bench/indicators.py``: ONE hand-written query of ``workforce.count`` for every location;
6. the same hand-written query also counting the certified workers of every location
   (``limit_with_certified``): 6. - 5. is the floor of the certified share, the join itself;
7. for reference, the certified workers alone (the certifying completions, each worker once) and the
   country's certified workers counted in a query that shares no SQL with sswis (semi-joins).

Goals: 1. within 1.5x of 2. (the split costs a column of the same query); and, printed beside it, the
certified share's cost (4. - 3.) against its floor (6. - 5.): the same difference of two hand-written
queries. The figures of sswis and of the
hand-written queries are checked against each other for every location (OK / MISMATCH). ``--explain`` prints
PostgreSQL's plan of the workforce query with ``--by certified`` (EXPLAIN ANALYZE, BUFFERS).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from indicators import NullStream, best_of, limit_counts, load
from throwaway import throwaway_database

NOW = "2025-06-30 12:00:00+00:00"
PROGRAMMES = 60
CERTIFYING = 12  # recognised from a day in 2010-2024
UNRECOGNISED = 2  # certifying, never recognised
RATIO_GOAL = 1.5


def database_prepare(url: str) -> tuple[str, Callable[[], None]]:
    """The throwaway database on the configured server ("sswis" -> "sswis_bench_certified"), or an SQLite
    file: ``bench/indicators.py``'s rule under this benchmark's own name."""
    return throwaway_database(url, name=f"{urlsplit(url).path.strip('/') or 'sswis'}_bench_certified")


# --- building ---------------------------------------------------------------------------------------


def programmes_create() -> None:
    """``PROGRAMMES`` programmes through the models (module docstring)."""
    from sswis.training.models import Programme, ProgrammeKind

    kinds = list(ProgrammeKind)
    for number in range(PROGRAMMES):
        certifies = number < CERTIFYING + UNRECOGNISED
        if number < CERTIFYING:
            recognised: date | None = date(2010 + number * 14 // CERTIFYING, 1 + number % 12, 1)
        elif number < CERTIFYING + UNRECOGNISED:
            recognised = None
        else:
            recognised = date(2005 + number % 15, 6, 1) if number % 5 else None
        Programme.objects.create(
            code=f"PRG{number:03d}",
            name=f"Programme {number}",
            kind=kinds[number % len(kinds)],
            government_recognised_from=recognised,
            certifies_child_victims=certifies,
        )


def completions_build(count: int) -> None:
    """``count`` completions in one INSERT ... SELECT (module docstring). Completion ``g`` (0 to
    count - 1) is of the worker ``g % M`` (the first 65% of the workers, ``M`` of them, in id order)
    in round ``g / M``, of programme ``(13 * worker + 7 * round) % 60`` (a different one each round, so
    no worker completes a programme twice on one day) on a day spread by a multiplicative hash of ``g``
    over 2008-01-01 to 2025-07-10."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM registry_worker")
        workers = int(cursor.fetchone()[0])
        completing = max(1, workers * 65 // 100)
        postgresql = connection.vendor == "postgresql"
        series = (
            f"SELECT g FROM generate_series(0, {count - 1}) g"
            if postgresql
            else f"WITH RECURSIVE s(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM s WHERE g + 1 < {count}) SELECT g FROM s"
        )
        new_uuid = "gen_random_uuid()" if postgresql else "lower(hex(randomblob(16)))"
        spread = "(CAST(s.g AS bigint) * 2654435761) % 6400"
        day = (
            f"(DATE '2008-01-01' + CAST({spread} AS integer))"
            if postgresql
            else f"date('2008-01-01', '+' || ({spread}) || ' days')"
        )
        cursor.execute(
            f"""
            INSERT INTO training_completion (uuid, worker_id, programme_id, completed_on, certificate_number,
                source, created_at, updated_at)
            SELECT {new_uuid}, w.id, p.id, {day}, '', 'template', '{NOW}', '{NOW}'
            FROM ({series}) s
            JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS n FROM registry_worker) w
              ON w.n = s.g % {completing}
            JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY code) - 1 AS n FROM training_programme) p
              ON p.n = (13 * w.n + 7 * (s.g / {completing})) % {PROGRAMMES}
            """  # no parameters: % is the modulo
        )  # fmt: skip
        cursor.execute("VACUUM ANALYZE" if postgresql else "ANALYZE")


# --- the floor --------------------------------------------------------------------------------------


def certified_reference_count(year: int) -> int:
    """The workers counted in ``year`` (a child protection assignment overlapping it) who are certified on
    31 December, in one hand-written query that shares no SQL with sswis: each counted worker once (a
    semi-join on the assignments) who has a certifying completion (a semi-join on the completions of the
    certifying programmes)."""
    from django.db import connection

    sql = """
        SELECT COUNT(*) FROM registry_worker w
        WHERE EXISTS (
            SELECT 1 FROM training_completion c JOIN training_programme p ON p.id = c.programme_id
            WHERE c.worker_id = w.id AND p.certifies_child_victims AND c.completed_on <= %(day)s
              AND c.completed_on >= p.government_recognised_from)
          AND EXISTS (
            SELECT 1 FROM registry_assignment a
            WHERE a.worker_id = w.id AND a.child_protection AND a.start_date <= %(day)s
              AND (a.end_date IS NULL OR a.end_date >= %(first)s))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"day": date(year, 12, 31), "first": date(year, 1, 1)})
        return int(cursor.fetchone()[0])


def certified_set_count(year: int) -> int:
    """Only the set of certified workers (every worker, counted or not), hand-written: the cost of
    reading the certifying completions, with nothing joined to the workforce."""
    from django.db import connection

    sql = """
        SELECT COUNT(DISTINCT c.worker_id) FROM training_completion c
        JOIN training_programme p ON p.id = c.programme_id
        WHERE p.certifies_child_victims AND c.completed_on <= %(day)s AND c.completed_on >= p.government_recognised_from
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"day": date(year, 12, 31)})
        return int(cursor.fetchone()[0])


def limit_with_certified(year: int) -> dict[str, tuple[int, int]]:
    """The limit of ``bench/indicators.py`` (ONE hand-written query of ``workforce.count`` for every
    location, in each database's fastest form) that also counts the certified workers: the certifying
    completions grouped by worker, LEFT JOINed to the picked reference rows. Its time minus the limit's is
    the least a certified share computed with the workforce costs (the join itself). Per location code:
    (workers, certified workers)."""
    from django.db import connection

    first, last = date(year, 1, 1), date(year, 12, 31)
    order = (
        "a.start_date DESC, CASE WHEN a.end_date IS NULL OR a.end_date >= %(last)s THEN 0 ELSE 1 END, "
        "a.fte DESC, a.id"
    )
    where = (
        "a.child_protection AND a.start_date <= %(last)s AND (a.end_date IS NULL OR a.end_date >= %(first)s)"
    )
    if connection.vendor == "postgresql":
        reference = (
            f"SELECT DISTINCT ON (a.worker_id) a.location_id, a.worker_id FROM registry_assignment a "
            f"WHERE {where} ORDER BY a.worker_id, {order}"
        )
    else:
        reference = (
            f"SELECT location_id, worker_id FROM (SELECT a.location_id, a.worker_id, ROW_NUMBER() OVER "
            f"(PARTITION BY a.worker_id ORDER BY {order}) AS rank FROM registry_assignment a NOT INDEXED "
            f"WHERE {where}) ranked WHERE rank = 1"
        )
    sql = f"""
        WITH certified AS (
            SELECT c.worker_id FROM training_completion c JOIN training_programme p ON p.id = c.programme_id
            WHERE p.certifies_child_victims AND c.completed_on <= %(last)s
              AND c.completed_on >= p.government_recognised_from
            GROUP BY c.worker_id
        ), per_location AS (
            SELECT r.location_id, COUNT(*) AS workers, COUNT(certified.worker_id) AS certified
            FROM ({reference}) r LEFT JOIN certified ON certified.worker_id = r.worker_id
            GROUP BY r.location_id
        )
        SELECT ancestor.code, COALESCE(SUM(per_location.workers), 0), COALESCE(SUM(per_location.certified), 0)
        FROM geo_location ancestor
        JOIN geo_location below ON below.path LIKE ancestor.path || '%%'
        LEFT JOIN per_location ON per_location.location_id = below.id
        GROUP BY ancestor.code
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"first": first, "last": last})
        return {code: (int(workers), int(certified)) for code, workers, certified in cursor.fetchall()}


def explain(year: int) -> None:
    """PostgreSQL's plan of the workforce query with the split by certified, as it runs."""
    from django.db import connection, transaction

    from sswis.indicators.computation import SORT_MEMORY, reference_parameters, workforce_sql
    from sswis.indicators.definitions import reference_period

    sql = workforce_sql(dimensions=("certified",), attributes=("licensed", "certified"), scope=())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SORT_MEMORY)
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", reference_parameters(reference_period(year=year)))
        print("\n".join(f"    {line}" for (line,) in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--completions", type=int, default=2_000_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=7, help="Rounds (default 7).")
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    parser.add_argument("--explain", action="store_true", help="Print the plan of the workforce query.")
    parser.add_argument(
        "--reuse",
        metavar="URL",
        default="",
        help="Time again on a database kept by --keep (its URL as printed), as it is: no building, no "
        "migration; it is kept. --workers and --completions are then ignored.",
    )
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
    from django.db import connection

    from sswis.demo.generator import country_generate
    from sswis.indicators.cache import data_stamp
    from sswis.indicators.selectors import CERTIFIED_SHARE, COUNT, indicators_compute

    year = arguments.year
    try:
        if arguments.reuse:
            building = "reused"
        else:
            call_command("migrate", verbosity=0)
            with tempfile.TemporaryDirectory(prefix="sswis-bench-certified-") as folder:
                started = time.perf_counter()
                country_generate(folder=Path(folder), workers=arguments.workers, last_year=2025)
                generated = time.perf_counter() - started
                started = time.perf_counter()
                load(Path(folder))
                loaded = time.perf_counter() - started
            started = time.perf_counter()
            programmes_create()
            completions_build(arguments.completions)
            built = time.perf_counter() - started
            building = (
                f"workforce generated in {generated:.1f} s and loaded in {loaded:.1f} s; programmes and "
                f"completions built in {built:.1f} s"
            )
        with connection.cursor() as cursor:
            counted = {}
            for table in ("registry_worker", "registry_assignment", "training_completion"):
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                counted[table] = int(cursor.fetchone()[0])
        print(
            f"{connection.vendor}: {counted['registry_worker']:,} workers, {counted['registry_assignment']:,} "
            f"assignments, {counted['training_completion']:,} completions ({building}); year {year}"
        )
        if arguments.explain and connection.vendor == "postgresql":
            print("  plan of the workforce query with --by certified:")
            explain(year)
        null = NullStream()
        text = str(year)
        targets: dict[str, Callable[[], object]] = {
            "sswis indicators --year Y --by certified": lambda: call_command(
                "indicators", "--year", text, "--by", "certified", stdout=null
            ),
            "sswis indicators --year Y": lambda: call_command("indicators", "--year", text, stdout=null),
            "indicators_compute(Y), count": lambda: indicators_compute(year=year, indicators=[COUNT]),
            "indicators_compute(Y), count + certified share": lambda: indicators_compute(
                year=year, indicators=[COUNT, CERTIFIED_SHARE]
            ),
            "limit: hand-written workforce.count": lambda: limit_counts(year),
            "limit + certified workers (hand-written)": lambda: limit_with_certified(year),
            "  certified workers alone (hand-written)": lambda: certified_set_count(year),
            "  certified and counted (hand-written)": lambda: certified_reference_count(year),
            "data stamp (dashboard, API)": data_stamp,
        }
        samples = best_of(arguments.repeat, targets)
        best = {label: min(times) for label, times in samples.items()}
        median = {label: statistics.median(times) for label, times in samples.items()}
        print(f"  {'':48s} {'best':>9s}   {'median':>9s}")
        for label in targets:
            print(f"  {label:48s} {best[label] * 1000:9.1f} ms {median[label] * 1000:9.1f} ms")

        split = indicators_compute(year=year, by=("certified",), indicators=[COUNT, CERTIFIED_SHARE])
        ours = {
            r.location: (r.denominator, r.numerator)
            for r in split
            if r.indicator == CERTIFIED_SHARE and not r.group
        }
        by_group = {
            (r.location, r.group["certified"]): r.numerator or 0
            for r in split
            if r.indicator == COUNT and r.group
        }
        hand = limit_with_certified(year)
        root = next(
            code for code, (workers, _) in hand.items() if workers == max(w for w, _ in hand.values())
        )
        workers, certified = hand[root]
        reference = certified_reference_count(year)
        agree = ours == hand and certified == reference
        agree = agree and all(
            by_group.get((code, "certified"), 0) == having
            and by_group.get((code, "certified"), 0) + by_group.get((code, "not_certified"), 0) == total
            for code, (total, having) in ours.items()
        )
        print(
            f"  certified workers of the country: {certified:,} of {workers:,} ({certified / workers:.4f}); "
            f"every location's workers and certified workers, sswis vs the hand-written queries, and the "
            f"split by certified adding up: {'OK' if agree else 'MISMATCH'}"
        )
        by, plain = "sswis indicators --year Y --by certified", "sswis indicators --year Y"
        ratio, ratio_median = best[by] / best[plain], median[by] / median[plain]
        print(
            f"  goal: --by certified within {RATIO_GOAL}x of no --by: {'met' if ratio <= RATIO_GOAL else 'NOT met'} "
            f"({ratio:.2f}x best, {ratio_median:.2f}x median)"
        )
        six, five = "indicators_compute(Y), count + certified share", "indicators_compute(Y), count"
        limit, joined = "limit: hand-written workforce.count", "limit + certified workers (hand-written)"
        cost, cost_median = best[six] - best[five], median[six] - median[five]
        floor, floor_median = best[joined] - best[limit], median[joined] - median[limit]
        alone = best["  certified workers alone (hand-written)"]
        print(
            f"  the certified share costs {cost * 1000:.1f} ms ({cost_median * 1000:.1f} ms median) over the count "
            f"alone ({best[six] / best[five]:.2f}x it); its floor, the hand-written join "
            f"(limit + certified - limit), {floor * 1000:.1f} ms ({floor_median * 1000:.1f} ms median), of which "
            f"reading the certified workers alone {alone * 1000:.1f} ms; the cost is "
            f"{cost / floor if floor > 0 else float('inf'):.2f}x the floor (medians: "
            f"{cost_median / floor_median if floor_median > 0 else float('inf'):.2f}x)"
        )
    finally:
        if arguments.keep:
            print(f"kept {url}")
        else:
            remove()


if __name__ == "__main__":
    main()
