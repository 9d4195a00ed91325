"""Benchmark: ``template_import`` against a bare ``executemany`` of the same rows into the same tables.

Usage (run by hand)::

    python bench/import.py [--workers 100000] [--keep]

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches
that database itself: on PostgreSQL it creates a throwaway database ``<name>_bench_import`` on the
same server (``sswis_bench_import`` for a database ``sswis``; dropped at the end), on SQLite a
temporary file; it migrates it, generates a template of N workers with
``sswis.demo.generator.country_generate`` (~1.2 assignments per worker), and then

1. times ``template_import`` into the empty registry (validation, upsert, history, path rebuild);
2. reads the rows just written back (the same columns, foreign keys already resolved), empties the
   tables, and times one ``executemany`` per table of those rows into the same tables (same indexes
   and constraints; no history rows, no checks): the limit of this database for these rows through
   the driver; on PostgreSQL also a ``COPY`` of the same rows, for reference (the import itself
   writes with ``COPY`` there, as ``executemany`` costs a round trip per row);

and prints both timings, rows per second, their ratio (goal: the import within 3x of the bare insert),
the time to import the same template a second time (nothing to write) and the peak resident memory
of the process during the first import.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def _bare_insert(
    dumps: list[tuple[str, list[str], list[tuple[Any, ...]]]], *, copy: bool = False
) -> tuple[float, float]:
    """Seconds (wall, CPU of this process) to insert the dumped rows into the emptied tables with
    ``executemany`` (or PostgreSQL ``COPY``)."""
    from django.db import connection, transaction

    _tables_empty()
    quote = connection.ops.quote_name
    started, cpu_started = time.perf_counter(), time.process_time()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, values in dumps:
            names = ", ".join(quote(column) for column in columns)
            if copy:
                with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as stream:
                    for row in values:
                        stream.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", values)
    return time.perf_counter() - started, time.process_time() - cpu_started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=100_000, help="workers in the generated template")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database and template")
    arguments = parser.parse_args()

    server_url = os.environ.get("SSWIS_DATABASE_URL", "")
    bench_url, remove = _database_prepare(server_url)
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
        from sswis.imports.services import template_import

        call_command("migrate", verbosity=0)
        user = user_create_with_role(
            actor=None, username="bench", password="bench-import-password", role=Role.NATIONAL_DATA_MANAGER
        )
        started = time.perf_counter()
        generated = country_generate(folder=template_folder, workers=arguments.workers)
        generate_seconds = time.perf_counter() - started
        template_rows = sum(generated.counts.values())

        started, cpu_started = time.perf_counter(), time.process_time()
        report = template_import(actor=user, source=template_folder)
        import_seconds = time.perf_counter() - started
        import_cpu = time.process_time() - cpu_started
        peak = _peak_rss_mb()
        if not report.imported:
            for problem in report.errors[:20]:
                print(problem, file=sys.stderr)
            raise SystemExit(f"The import failed: {report.summary}")
        started = time.perf_counter()
        again = template_import(actor=user, source=template_folder)
        again_seconds = time.perf_counter() - started

        dumps = _tables_dump()
        bare_rows = sum(len(values) for _, _, values in dumps)
        bare_seconds, bare_cpu = _bare_insert(dumps)
        copy_seconds = _bare_insert(dumps, copy=True)[0] if connection.vendor == "postgresql" else None

        print(f"database          {connection.vendor} ({bench_url.split('@')[-1]})")
        print(
            f"template          {arguments.workers:,} workers, {template_rows:,} rows "
            f"({generated.counts['assignments.csv']:,} assignments), generated in {generate_seconds:.1f} s"
        )
        print(
            f"template_import   {import_seconds:8.2f} s  {template_rows / import_seconds:>10,.0f} rows/s  "
            f"(with validation, upsert, history rows; {import_cpu:.2f} s CPU in this process)"
        )
        print(
            f"bare executemany  {bare_seconds:8.2f} s  {bare_rows / bare_seconds:>10,.0f} rows/s  "
            f"(same rows and tables, resolved keys, no history; {bare_cpu:.2f} s CPU in this process)"
        )
        print(f"ratio             {import_seconds / bare_seconds:8.2f} x  (goal: within 3x)")
        if connection.vendor == "sqlite":
            # SQLite works inside this process: CPU time is the same measure, unaffected by other load.
            print(f"ratio of CPU      {import_cpu / bare_cpu:8.2f} x")
        if copy_seconds is not None:
            print(
                f"bare COPY         {copy_seconds:8.2f} s  {bare_rows / copy_seconds:>10,.0f} rows/s  "
                f"(for reference; import / COPY = {import_seconds / copy_seconds:.2f} x)"
            )
        print(f"re-import         {again_seconds:8.2f} s  (the same template again: {again.summary})")
        print(f"peak RSS          {peak:8.0f} MB  (whole process, after the import)")
        print(f"summary           {report.summary}")
    finally:
        if arguments.keep:
            print(f"kept: database {bench_url}, template {template_folder}")
        else:
            import shutil

            shutil.rmtree(template_folder, ignore_errors=True)
            remove()


if __name__ == "__main__":
    main()
