"""Benchmark: the national workforce profile as a PDF (``sswis report profile``) against the time of computing
its figures alone. Goals: the whole PDF in under 60 s at 1,000,000 workers on PostgreSQL, and no more than 3x
the figures' time.

Usage (run by hand)::

    python bench/profile.py [--workers 1000000] [--year 2025] [--repeat 3] [--keep]
    python bench/profile.py --reuse URL [--year 2025] [--repeat 3]   # time again on a kept database

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches that
database itself: on PostgreSQL it creates a throwaway database ``<name>_bench_profile`` on the same server
(dropped at the end unless ``--keep``), on SQLite a temporary file. It migrates it and builds with bulk SQL
(COPY on PostgreSQL; no services, no history rows):

* the country, workers and assignments of ``bench/training_gaps.py`` (10 regions, 100 districts, one
  organisation per district, 8 cadres; N workers, default 1,000,000, about 1.2 assignments each,
  2015-2025, 8% not child protection, 20% ended, some transferred);
* a boundary (a square) for every region, so that the national map is drawn;
* the child population of every district for the year and the year before (the trend);
* 2 funded posts per district and cadre (1,600 posts, vacant);
* a December caseload of kind ``all`` for every worker (N rows) and a norm per cadre.

Then it times, over ``--repeat`` rounds after a warm-up (each round with the chart caches emptied, so every
chart and the map are drawn again):

1. **figures alone**: every selector the profile calls, with the same arguments, for publication (the
   indicators of the year by location, of the trend years, of each of the seven splits with the small-cell
   rule applied; the caseload distribution with its rule; the retention figures and the turnover's six years;
   the quality-assurance score and its proposals; the framework inventory);
2. **the whole PDF**: ``profile_report_create`` + ``profile_report_run`` as the command line does
   (fingerprint, the same figures, the charts and the map drawn by vl-convert, the HTML, WeasyPrint, the
   file kept in the history).

It prints the best and the median of each, the ratio of 2. to 1. (goal <= 3) and 2. against 60 s, the PDF's
size and pages, and the machine's load average (the machine may be shared: every figure slows down
together, the ratio stays meaningful).
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
GOAL_RATIO = 3.0
GOAL_SECONDS = 60.0
SEED = 20251231
YEAR = 2025


def database_prepare(url: str) -> tuple[str, Callable[[], None]]:
    return throwaway_database(url, name=f"{urlsplit(url).path.strip('/') or 'sswis'}_bench_profile")


def extras_load(reference: dict[str, list[int]], rng: random.Random, year: int) -> None:
    """Boundaries of the regions, the child population, funded posts, December caseloads and norms."""
    from sswis.geo.models import Location

    for number, region in enumerate(Location.objects.filter(level="region").order_by("code")):
        x, y = (number % 5) * 1.0, (number // 5) * 1.0
        region.boundary = {
            "type": "Polygon",
            "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]],
        }
        region.save(update_fields=["boundary"])
    insert(
        "geo_populationestimate",
        ("uuid", "location_id", "year", "children", "total", "updated_at", "version"),
        (
            (uuid.uuid4().hex, district, population_year, 80_000 + rng.randrange(40_000), None, NOW, 1)
            for district in reference["districts"]
            for population_year in (year - 1, year)
        ),
    )
    insert(
        "registry_post",
        ("uuid", "code", "organisation_id", "location_id", "cadre_id", "grade", "funded", "established_on",
         "abolished_on", "updated_at", "version"),
        (
            (uuid.uuid4().hex, f"P{district}-{cadre}-{copy}", organisation, district, cadre, "", True,
             date(2015, 1, 1), None, NOW, 1)
            for district, organisation in zip(reference["districts"], reference["organisations"], strict=True)
            for cadre in reference["cadres"]
            for copy in range(2)
        ),
    )  # fmt: skip
    insert(
        "support_caseloadnorm",
        ("cadre_id", "kind", "maximum_open_cases", "source", "updated_at"),
        ((cadre, "all", 14 + 2 * number, "Bench", NOW) for number, cadre in enumerate(reference["cadres"])),
    )
    worker_ids = sorted(ids("registry_worker", key="worker_id").values())

    def caseloads() -> Iterator[tuple[Any, ...]]:
        for worker in worker_ids:
            yield (
                uuid.uuid4().hex,
                worker,
                date(year, 12, 1),
                "all",
                rng.randrange(0, 50),
                "primero",
                NOW,
                NOW,
            )

    insert(
        "support_caseload",
        ("uuid", "worker_id", "month", "kind", "open_cases", "source", "created_at", "updated_at"),
        caseloads(),
    )


def figures_alone(year: int) -> None:
    """Every selector the national profile for publication calls (``sswis.reports.profile`` and
    ``profile_sections``), without drawing or writing anything."""
    from sswis.geo.models import Location
    from sswis.geo.selectors import population_years
    from sswis.indicators.disclosure import small_cell_minimum
    from sswis.indicators.turnover import TURNOVER_RATE
    from sswis.presentation.dashboard_trend import TREND_INDICATORS
    from sswis.quality.proposals import proposals_compute
    from sswis.quality.selectors import instruments_listed, year_scores
    from sswis.reports.profile import HEADLINE_INDICATORS, SPLIT_DIMENSIONS
    from sswis.reports.profile_sections import scenario_chosen
    from sswis.reports.reader import Reader
    from sswis.support.caseload_distribution import caseload_distribution, distribution_small_cells_withheld
    from sswis.support.retention import retention_compute, retention_small_cells_withheld

    reader = Reader(user=None, publication=True)
    root = Location.objects.get(parent__isnull=True)
    reader.rows(years=[year], by=(), location=root, depth=1, indicators=HEADLINE_INDICATORS)
    years = sorted({*(y for y in population_years() if y <= year), year})
    reader.rows(years=years, by=(), location=root, depth=0, indicators=TREND_INDICATORS)
    for dimension in SPLIT_DIMENSIONS:
        reader.rows(
            years=[year], by=(dimension,), location=root, depth=0, indicators=("workforce.per_100k_children",)
        )
    whole = caseload_distribution(month=date(year, 12, 1))
    parents = dict(Location.objects.values_list("code", "parent__code"))
    distribution_small_cells_withheld(
        rows=whole.rows, minimum=small_cell_minimum(), shown_in_full=set(), parents=parents
    )
    retention_small_cells_withheld(retention_compute(year=year, location=root), minimum=small_cell_minimum())
    reader.rows(
        years=list(range(year - 5, year + 1)), by=(), location=root, depth=0, indicators=(TURNOVER_RATE,)
    )
    scenario_chosen(location=root, year=year)
    year_scores(year=year)
    proposals_compute(year=year)
    list(instruments_listed())


def whole_pdf(year: int, sizes: list[tuple[int, int]]) -> None:
    """The national profile for publication as a PDF, as ``sswis report profile --publication`` makes it,
    with every chart drawn again."""
    from sswis.geo.models import Location
    from sswis.presentation import charts
    from sswis.reports.models import ReportOrigin, ReportStatus
    from sswis.reports.services import profile_report_create, profile_report_run

    for cached in (charts._bar_chart, charts._trend_chart, charts._map):
        cached.cache_clear()
    report = profile_report_create(
        actor=None,
        location=Location.objects.get(parent__isnull=True),
        year=year,
        language="en",
        format="pdf",
        publication=True,
        origin=ReportOrigin.COMMAND,
    )
    report = profile_report_run(report=report)
    if report.status != ReportStatus.FINISHED:
        raise SystemExit(f"The profile failed: {report.error}")
    sizes.append((report.size, report.pages))


def _printed(label: str, target: Callable[[], object]) -> Callable[[], object]:
    """``target``, printing its time each run (a run at 1,000,000 workers takes minutes)."""

    def run() -> object:
        started = time.perf_counter()
        result = target()
        print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
        return result

    return run


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=YEAR)
    parser.add_argument("--repeat", type=int, default=3, help="Rounds; best and median shown (default 3).")
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    parser.add_argument(
        "--no-warm-up",
        dest="warm_up",
        action="store_false",
        help="Time from the first run (the chart engine is still started first): for a slow machine.",
    )
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
    import tempfile

    os.environ.setdefault("SSWIS_DATA_DIR", tempfile.mkdtemp(prefix="bench-profile-"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from sswis.presentation.charts import charts_warm_up

    year = arguments.year
    try:
        if not arguments.reuse:
            call_command("migrate", verbosity=0)
            rng = random.Random(SEED)
            started = time.perf_counter()
            with transaction.atomic():
                reference = reference_rows_build()
                assignments = workers_load(arguments.workers, reference, rng)
                extras_load(reference, rng, year)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            print(
                f"{connection.vendor}: {arguments.workers:,} workers, {assignments:,} assignments, "
                f"{REGIONS * DISTRICTS_PER_REGION} districts, December caseloads of every worker "
                f"(built in {time.perf_counter() - started:.0f} s); year {year}; database {url}"
            )
        charts_warm_up()
        sizes: list[tuple[int, int]] = []
        targets: dict[str, Callable[[], object]] = {
            "figures alone": lambda: figures_alone(year),
            "whole PDF": lambda: whole_pdf(year, sizes),
        }
        for label, target in targets.items() if arguments.warm_up else ():
            started = time.perf_counter()
            target()
            print(f"warm-up {label}: {time.perf_counter() - started:.1f} s", flush=True)
        timed = {label: _printed(label, target) for label, target in targets.items()}
        samples = best_of(arguments.repeat, timed)
        best = {label: min(times) for label, times in samples.items()}
        median = {label: statistics.median(times) for label, times in samples.items()}
        for label in targets:
            print(f"{label:>14}: best {best[label]:7.2f} s   median {median[label]:7.2f} s")
        ratio = best["whole PDF"] / best["figures alone"]
        size, pages = sizes[-1]
        print(f"PDF: {size:,} bytes, {pages} pages")
        print(
            f"ratio whole PDF / figures alone: {ratio:.2f}x (goal <= {GOAL_RATIO:.0f}x: "
            f"{'met' if ratio <= GOAL_RATIO else 'NOT met'}); whole PDF {best['whole PDF']:.1f} s "
            f"(goal < {GOAL_SECONDS:.0f} s: {'met' if best['whole PDF'] < GOAL_SECONDS else 'NOT met'}, "
            f"{best['whole PDF'] / GOAL_SECONDS:.2f} of it)"
        )
        print(f"load average: {', '.join(f'{value:.2f}' for value in os.getloadavg())}")
    finally:
        if not arguments.keep:
            remove()
        else:
            print(f"kept: {url}")


if __name__ == "__main__":
    main()
