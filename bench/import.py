"""Benchmark: ``template_import`` at national size against the limit of the database for the same rows.

Usage (run by hand)::

    python bench/import.py [--workers 1000000] [--no-reimport] [--keep]

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches
that database itself: on PostgreSQL it creates a throwaway database ``<name>_bench_import`` on the
same server (``sswis_bench_import`` for a database ``sswis``; dropped at the end), on SQLite a
temporary file; it migrates it, generates a template of N workers with
``sswis.demo.generator.country_generate`` (about 1.2 assignments per worker: 1,000,000 workers give
about 1.2 million assignments), and then

1. times ``template_import`` into the empty registry (reading, validation, upsert, history rows, path
   rebuild) in a **child process**, so that its peak resident memory (``ru_maxrss``) is the import's
   alone, not the generator's or the benchmark's;
2. times the limit:

   * on PostgreSQL, ``COPY`` of the same rows (every file of the template as it is) into UNLOGGED
     staging tables (one text column per template column, no index, no constraint), streamed from the
     files in one transaction: the least any importer must do to get these rows into the database;
   * on SQLite (no ``COPY``), one ``executemany`` per table of the rows just imported (read back with
     their foreign keys resolved) into the emptied tables, with the same indexes and constraints and no
     history rows: the limit of this database for these rows through the driver;

3. on PostgreSQL, times the floors that explain the gap: ``COPY`` of the rows exactly as the import
   stored them (keys resolved, every column) into the real registry tables of a second throwaway
   database (``<name>_bench_floor``, a copy of the migrated one: same indexes, constraints and deferred
   foreign-key checks, paid at commit), then of their history rows into the history tables. Their sum is
   the least any import that keeps the audit trail must write; no validation, no lookup, no parsing;

and prints the timings, rows per second, their ratio to the goal (the import within 3x of the limit),
the floors and their ratios to the limit, the import's ratio to the floor (goal: within 1.5x),
the peak resident memory of the import process (goal: under 1.5 GB) and, unless ``--no-reimport``, the
time to import the same template a second time (nothing to write).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from throwaway import throwaway_database

# Main tables in loading order (parents first), as written by the import.
TABLES = (
    "geo_location",
    "geo_populationestimate",
    "registry_organisation",
    "registry_cadre",
    "registry_post",
    "registry_worker",
    "registry_assignment",
)


def _database_prepare(url: str) -> tuple[str, Any]:
    """The throwaway database, named after the configured one ("sswis" -> "sswis_bench_import"), which
    is never touched."""
    return throwaway_database(url, name=f"{urlsplit(url).path.strip('/') or 'sswis'}_bench_import")


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _tables_dump() -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """Every main table's rows as stored (all columns, foreign keys resolved), parents first."""
    from django.db import connection

    quote = connection.ops.quote_name
    dumps = []
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY id")
            columns = [column[0] for column in cursor.description]
            dumps.append((table, columns, cursor.fetchall()))
    return dumps


def _tables_empty() -> None:
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in reversed(TABLES):
            if table == "geo_location":
                cursor.execute(f"UPDATE {quote(table)} SET parent_id = NULL")
            cursor.execute(f"DELETE FROM {quote(table)}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM" if connection.vendor == "sqlite" else "VACUUM ANALYZE")


def _bare_insert(dumps: list[tuple[str, list[str], list[tuple[Any, ...]]]]) -> tuple[float, float]:
    """Seconds (wall, CPU of this process) to insert the dumped rows into the emptied tables with
    ``executemany``."""
    from django.db import connection, transaction

    _tables_empty()
    quote = connection.ops.quote_name
    started, cpu_started = time.perf_counter(), time.process_time()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, values in dumps:
            names = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", values)
    return time.perf_counter() - started, time.process_time() - cpu_started


def _history_tables() -> list[str]:
    """The history table of each main table (same order)."""
    from django.apps import apps

    by_table = {model._meta.db_table: model for model in apps.get_models()}
    return [by_table[table].history.model._meta.db_table for table in TABLES]


def _copy_into_real_tables(*, floor_url: str, folder: Path) -> tuple[float, float, float, float, int, int]:
    """Seconds to ``COPY`` the stored rows of the main tables, then of their history tables, into the
    same (empty) tables of the database at ``floor_url``, each in its own transaction, commit included;
    with the seconds of each commit (the deferred foreign-key checks run there); and the rows of each.

    The rows are first copied out of the benchmark database (the import's result) into files in
    ``folder``, in the tables' own column order, which the floor database shares (it is a copy of the
    migrated benchmark database).
    """
    import psycopg
    from django.db import connection

    quote = connection.ops.quote_name
    groups = (list(TABLES), _history_tables())
    with connection.cursor() as cursor:
        for table in (table for group in groups for table in group):
            with (
                (folder / f"{table}.copy").open("wb") as target,
                cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT") as stream,
            ):
                for block in stream:
                    target.write(block)
    figures: list[tuple[float, float, int]] = []
    with psycopg.connect(floor_url) as floor, floor.cursor() as cursor:
        for group in groups:
            rows = 0
            started = time.perf_counter()
            for table in group:
                with (
                    (folder / f"{table}.copy").open("rb") as source,
                    cursor.copy(f"COPY {quote(table)} FROM STDIN") as stream,
                ):
                    while block := source.read(1 << 20):
                        stream.write(block)
                rows += cursor.rowcount
            committing = time.perf_counter()
            floor.commit()  # the deferred foreign-key checks run here
            figures.append((time.perf_counter() - started, time.perf_counter() - committing, rows))
    (tables_seconds, tables_commit, tables_rows), (history_seconds, history_commit, history_rows) = figures
    return tables_seconds, tables_commit, history_seconds, history_commit, tables_rows, history_rows


RATIO_GOAL = 3.0
FLOOR_RATIO_GOAL = 1.5
PEAK_RSS_GOAL_MB = 1536.0


def _import_in_child(*, bench_url: str, template_folder: Path, username: str) -> dict[str, Any]:
    """Run ``template_import`` in a fresh process (see ``_child_main``) and return its figures."""
    environment = dict(os.environ, SSWIS_DATABASE_URL=bench_url, DJANGO_SETTINGS_MODULE="sswis.settings.base")
    completed = subprocess.run(
        [sys.executable, __file__, "--child-import", str(template_folder), "--child-user", username],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"The import process failed with exit code {completed.returncode}.")
    figures: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    if not figures["imported"]:
        sys.stderr.write("\n".join(figures["errors"]) + "\n")
        raise SystemExit(f"The import failed: {figures['summary']}")
    return figures


def _child_main(template_folder: Path, username: str) -> None:
    """The import process: import the template as ``username`` and print its figures as one JSON line."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from sswis.imports.services import template_import

    user = get_user_model().objects.get(username=username)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = template_import(actor=user, source=template_folder)
    figures = {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu_started,
        "peak_rss_mb": _peak_rss_mb(),
        "imported": report.imported,
        "summary": report.summary,
        "errors": [str(problem) for problem in report.errors[:20]],
    }
    print(json.dumps(figures))


def _copy_into_staging(template_folder: Path) -> tuple[float, int]:
    """Seconds to ``COPY`` every template file into a new UNLOGGED staging table (text columns named
    after the file's header, no index, no constraint), in one transaction; and the rows copied.

    The staging tables are dropped afterwards. PostgreSQL only.
    """
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    files = sorted(template_folder.glob("*.csv"))
    rows = 0
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for path in files:
            with path.open(encoding="utf-8", newline="") as text:
                header = next(csv.reader(text))
            table = quote(f"bench_stage_{path.stem}")
            columns = ", ".join(f"{quote(name)} text" for name in header)
            cursor.execute(f"CREATE UNLOGGED TABLE {table} ({columns})")
            with (
                path.open("rb") as source,
                cursor.cursor.copy(f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)") as stream,
            ):
                while block := source.read(1 << 20):
                    stream.write(block)
            rows += cursor.cursor.rowcount
    seconds = time.perf_counter() - started
    with transaction.atomic(), connection.cursor() as cursor:
        for path in files:
            cursor.execute(f"DROP TABLE {quote(f'bench_stage_{path.stem}')}")
    return seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=100_000, help="workers in the generated template")
    parser.add_argument(
        "--no-reimport", action="store_true", help="skip importing the template a second time"
    )
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database and template")
    parser.add_argument("--child-import", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-user", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child_import is not None:
        _child_main(arguments.child_import, arguments.child_user)
        return

    server_url = os.environ.get("SSWIS_DATABASE_URL", "")
    bench_url, remove = _database_prepare(server_url)
    bench_name = urlsplit(bench_url).path.strip("/")
    remove_floor = None
    os.environ["SSWIS_DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "sswis.settings.base"
    template_folder = Path(tempfile.mkdtemp(prefix="sswis-bench-template-"))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from sswis.access.models import Role
        from sswis.access.services import user_create_with_role
        from sswis.demo.generator import country_generate

        call_command("migrate", verbosity=0)
        user_create_with_role(
            actor=None, username="bench", password="bench-import-password", role=Role.NATIONAL_DATA_MANAGER
        )
        started = time.perf_counter()
        generated = country_generate(folder=template_folder, workers=arguments.workers)
        generate_seconds = time.perf_counter() - started
        template_rows = sum(generated.counts.values())
        connection.close()  # the import process has the database to itself
        floor_url = ""
        if server_url.startswith(("postgres://", "postgresql://")):
            # The floor database: the migrated benchmark database (with its user), before the import.
            floor_url, remove_floor = throwaway_database(
                server_url, name=f"{bench_name.removesuffix('_import')}_floor", template=bench_name
            )

        imported = _import_in_child(bench_url=bench_url, template_folder=template_folder, username="bench")
        import_seconds = imported["seconds"]
        again = None
        if not arguments.no_reimport:
            again = _import_in_child(bench_url=bench_url, template_folder=template_folder, username="bench")

        limit_cpu = None
        floors = None
        if connection.vendor == "postgresql":
            limit_seconds, limit_rows = _copy_into_staging(template_folder)
            floors = _copy_into_real_tables(floor_url=floor_url, folder=template_folder)
            limit_name = "COPY to staging"
            limit_note = "same template rows, UNLOGGED text tables, no index, no constraint"
        else:
            dumps = _tables_dump()
            limit_rows = sum(len(values) for _, _, values in dumps)
            limit_seconds, limit_cpu = _bare_insert(dumps)
            limit_name = "bare executemany"
            limit_note = "same rows and tables, resolved keys, no history"
        ratio = import_seconds / limit_seconds
        peak = imported["peak_rss_mb"]

        print(f"database          {connection.vendor} ({bench_url.split('@')[-1]})")
        print(
            f"template          {arguments.workers:,} workers, {template_rows:,} rows "
            f"({generated.counts['assignments.csv']:,} assignments), generated in {generate_seconds:.1f} s"
        )
        print(
            f"template_import   {import_seconds:8.2f} s  {template_rows / import_seconds:>10,.0f} rows/s  "
            f"(validation, upsert, history rows; {imported['cpu_seconds']:.2f} s CPU in the import process)"
        )
        print(
            f"{limit_name:<17} {limit_seconds:8.2f} s  {limit_rows / limit_seconds:>10,.0f} rows/s  ({limit_note})"
        )
        verdict = "met" if ratio <= RATIO_GOAL else "NOT met"
        print(f"ratio             {ratio:8.2f} x  (goal: within {RATIO_GOAL:.0f}x of the limit: {verdict})")
        if floors is not None:
            tables_seconds, tables_commit, history_seconds, history_commit, tables_rows, history_rows = floors
            floor_seconds = tables_seconds + history_seconds
            print(
                f"COPY to tables    {tables_seconds:8.2f} s  {tables_rows / tables_seconds:>10,.0f} rows/s  "
                f"= {tables_seconds / limit_seconds:.1f}x the limit  (the rows as imported, keys resolved, "
                f"into the real tables: indexes, constraints, FK checks at commit: {tables_commit:.2f} s)"
            )
            print(
                f"COPY to history   {history_seconds:8.2f} s  {history_rows / history_seconds:>10,.0f} rows/s  "
                f"= {history_seconds / limit_seconds:.1f}x the limit  (their history rows into the history tables; "
                f"FK checks of history_user at commit: {history_commit:.2f} s)"
            )
            print(
                f"floor             {floor_seconds:8.2f} s  = {floor_seconds / limit_seconds:.1f}x the limit  "
                f"(tables + history: the least an import keeping the audit trail writes)"
            )
            floor_ratio = import_seconds / floor_seconds
            verdict = "met" if floor_ratio <= FLOOR_RATIO_GOAL else "NOT met"
            print(
                f"ratio to floor    {floor_ratio:8.2f} x  "
                f"(goal: within {FLOOR_RATIO_GOAL}x of the floor: {verdict})"
            )
        if limit_cpu is not None:
            # SQLite works inside the process: CPU time is the same measure, less affected by other load.
            print(f"ratio of CPU      {imported['cpu_seconds'] / limit_cpu:8.2f} x")
        verdict = "met" if peak < PEAK_RSS_GOAL_MB else "NOT met"
        print(
            f"peak RSS          {peak:8.0f} MB  "
            f"(the import process alone; goal: under {PEAK_RSS_GOAL_MB:.0f} MB: {verdict})"
        )
        if again is not None:
            print(
                f"re-import         {again['seconds']:8.2f} s  (the same template again: {again['summary']})"
            )
        print(f"summary           {imported['summary']}")
    finally:
        if arguments.keep:
            print(f"kept: database {bench_url}, template {template_folder}")
        else:
            import shutil

            shutil.rmtree(template_folder, ignore_errors=True)
            remove()
        if remove_floor is not None:
            remove_floor()


if __name__ == "__main__":
    main()
