"""Benchmark: the DHIS2 export of every location for a year (``sswis dhis2 export``) next to the
``sswis indicators`` command for the same year. Goal: the export within 1.5x of the indicators command.

Usage (run by hand)::

    python bench/dhis2_export.py [--workers 1000000] [--year 2025] [--repeat 3] [--keep]
    python bench/dhis2_export.py --reuse URL [--year 2025] [--repeat 3]   # time again on a kept database

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches that
database itself: on PostgreSQL it creates a throwaway database ``<name>_bench_dhis2`` on the same server
(dropped at the end unless ``--keep``), on SQLite a temporary file. It migrates it and builds with bulk SQL
the country, workers and assignments of ``bench/training_gaps.py`` (10 regions, 100 districts, 8 cadres,
N workers with about 1.2 assignments each), then imports the demo country's mapping with the ``code`` id
scheme (``sswis.demo.dhis2.demo_mapping_csv``: the count in all, by sex and by cadre category, the female
share's and the vacancy rate's parts, the licensed, certified and supervised workers, the child population;
every location's org unit is its own code).

It times, over ``--repeat`` interleaved rounds after a warm-up:

* ``sswis indicators --year Y`` (every indicator, every location, JSON to a null stream);
* the same command for each split the mapping needs (``--by sex``, ``--by category``), and the sum of the
  three: the indicators command's time for the figures the export sends;
* ``sswis dhis2 export --year Y`` as JSON and as ADX (checked against the ADX schema), to a null stream.

It prints the best and the median of each and the ratio of each export to the indicators command alone
and to the indicators commands giving the same figures; the goal (1.5x) is checked against the former.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from indicators import best_of
from throwaway import throwaway_database
from training_gaps import DISTRICTS_PER_REGION, REGIONS, reference_rows_build, workers_load

GOAL_RATIO = 1.5
SEED = 20251231


class Null(io.StringIO):
    def write(self, text: str) -> int:
        return len(text)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3, help="Rounds; best and median shown (default 3).")
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    parser.add_argument("--reuse", metavar="URL", default="", help="Time again on a database kept by --keep.")
    arguments = parser.parse_args()
    if arguments.reuse:
        url, remove = arguments.reuse, lambda: None
        arguments.keep = True
    else:
        server = os.environ.get("SSWIS_DATABASE_URL", "")
        url, remove = throwaway_database(
            server, name=f"{urlsplit(server).path.strip('/') or 'sswis'}_bench_dhis2"
        )
    os.environ["SSWIS_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.base")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from sswis.demo.dhis2 import SPLIT, demo_mapping_csv
    from sswis.dhis2.export import dhis2_export_build
    from sswis.dhis2.mapping import dhis2_mapping_import

    try:
        if not arguments.reuse:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            with transaction.atomic():
                reference = reference_rows_build()
                assignments = workers_load(arguments.workers, reference, random.Random(SEED))
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            print(
                f"{connection.vendor}: {arguments.workers:,} workers, {assignments:,} assignments, "
                f"{REGIONS * DISTRICTS_PER_REGION} districts (built in {time.perf_counter() - started:.0f} s)"
            )
        dhis2_mapping_import(
            actor=None, content=demo_mapping_csv(scheme="code").encode(), file_name="bench.csv"
        )
        year = str(arguments.year)

        def command(*words: str) -> Callable[[], object]:
            return lambda: call_command(*words, stdout=Null(), stderr=Null())

        targets: dict[str, Callable[[], object]] = {
            "sswis indicators --year Y": command("indicators", "--year", year),
            **{
                f"sswis indicators --year Y --by {d}": command("indicators", "--year", year, "--by", d)
                for d in SPLIT
            },
            "sswis dhis2 export --year Y (json)": command("dhis2", "export", "--year", year),
            "sswis dhis2 export --year Y (adx)": command(
                "dhis2", "export", "--year", year, "--format", "adx"
            ),
        }
        for target in targets.values():  # warm-up
            target()
        export = dhis2_export_build(year=arguments.year)
        print(
            f"  year {year}: {len(export.values):,} values, {len(export.unmapped_locations)} locations unmapped, "
            f"{len(export.no_figure)} figures unknown"
        )
        samples = best_of(arguments.repeat, targets)
        best = {label: min(times) for label, times in samples.items()}
        median = {label: statistics.median(times) for label, times in samples.items()}
        alone = best["sswis indicators --year Y"]
        same = alone + sum(best[f"sswis indicators --year Y --by {d}"] for d in SPLIT)
        print(f"  load average of the machine: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        print(f"  {'':42s} {'best':>9s}  {'median':>9s}")
        for label in targets:
            print(f"  {label:42s} {best[label] * 1000:7.0f} ms  {median[label] * 1000:7.0f} ms")
        print(f"  {'indicators for the same figures (sum)':42s} {same * 1000:7.0f} ms")
        for fmt in ("json", "adx"):
            took = best[f"sswis dhis2 export --year Y ({fmt})"]
            verdict = "met" if took / alone <= GOAL_RATIO else "NOT met"
            print(
                f"  export {fmt}: {took / alone:.2f}x the indicators command (goal {GOAL_RATIO}x: {verdict}), "
                f"{took / same:.2f}x the indicators commands giving the same figures"
            )
    finally:
        if arguments.keep:
            print(f"kept {url}")
        else:
            remove()


if __name__ == "__main__":
    main()
