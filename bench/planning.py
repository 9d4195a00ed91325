"""Benchmark: planning's norms and gaps and its supply projection against ``sswis indicators``.

Usage (run by hand)::

    python bench/planning.py [--workers 1000000] [--year 2025] [--repeat 5] [--keep]
    python bench/planning.py --reuse URL [--year 2025] [--repeat 5]   # time again on a kept database

The data are those of ``bench/indicators.py`` (its loader imported, not copied): a throwaway database on
the server of ``SSWIS_DATABASE_URL`` (SQLite when unset; on PostgreSQL ``<name>_bench_planning``, so
that it never shares a database with another benchmark running at the same time), migrated, the demo
country generated with N workers over 2019-2025 and loaded with bulk SQL. Planning's inputs are then
written through its services, as a planner would: a national data manager sets, at the root of the
tree, valid from 2019, a norm for the whole workforce, one for every cadre and one for the category
``para_professional`` (so every location x cadre has a norm in force), and two scenarios are stored
with ``scenario_save`` (every cadre, 10 years from the year Y): ``bench`` with a given attrition rate
and ``bench-estimated`` with every cadre's rate ``"estimated"`` from the registry.

It times, over interleaved rounds (``--repeat``; each round starts one target later than the one
before, so none always follows the same other one):

1. the reference: ``sswis indicators --year Y`` for all locations (JSON to a null stream), the same
   target as ``bench/indicators.py``'s first, and ``indicators_compute(year=Y, by=("cadre",))``, which
   norms and gaps compute first;
2. ``norm_gaps(year=Y)``: required staff and gaps for every location and group with a norm;
3. ``scenario_project`` of the stored scenario ``bench`` (parameters read from its row) for the root
   and every location down to the districts, every cadre, 10 years; and, for information, the same
   with ``bench-estimated`` (attrition estimated: 3 more grouped queries over the registry).

It prints the best and the median time of each, the ratios of 2. and 3. to ``sswis indicators --year Y``
(goal: within 2x, best and median), the number of rows each gives, and the peak resident memory of the
process (which includes generating and loading the data unless ``--reuse``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from indicators import TABLES, NullStream, best_of, load
from throwaway import throwaway_database

RATIO_GOAL = 2.0
REFERENCE = "sswis indicators --year Y"
BY_CADRE = "indicators_compute(by=('cadre',))"
NORMS = "norm_gaps(year=Y)"
PROJECTION = "scenario_project, districts x cadres, 10 y"
ESTIMATED = "  the same, attrition estimated [info]"
CATEGORY = "para_professional"


def database_prepare(url: str) -> tuple[str, Callable[[], None]]:
    """The throwaway database on the configured server ("sswis" -> "sswis_bench_planning"), or an
    SQLite file: ``bench/indicators.py``'s rule under this benchmark's own name."""
    return throwaway_database(url, name=f"{urlsplit(url).path.strip('/') or 'sswis'}_bench_planning")


def scenario_document(*, code: str, year: int, cadres: list[str], attrition: float | str) -> dict:
    """The contract's scenario document: every cadre with the same parameters, 10 years from ``year``."""
    plan = {
        "attrition_rate": attrition,
        "retirement_age": 60,
        "graduates": 100,
        "absorption_rate": 0.8,
        "recruitment": 20,
        "target_per_100k": 20,
        "salary": 3000,
        "on_cost_rate": 0.2,
        "salary_growth": 0.03,
        "training_cost_per_entrant": 500,
    }
    return {
        "code": code,
        "name": f"Bench ({code})",
        "base_year": year,
        "horizon": 10,
        "child_population_growth": 0.02,
        "cadres": {cadre: dict(plan) for cadre in cadres},
    }


def peak_memory_mb() -> float:
    """The peak resident set size of this process (``ru_maxrss``: kB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument(
        "--repeat", type=int, default=5, help="Rounds; the best and the median time of each are shown."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    parser.add_argument(
        "--reuse",
        metavar="URL",
        default="",
        help="Time again on a database kept by --keep (its URL as printed): no generation, no load, no "
        "migration; the norms and scenarios are set again (the same values); it is kept.",
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

    from sswis.access.models import Role
    from sswis.access.services import user_create_with_role
    from sswis.demo.generator import country_generate
    from sswis.geo.models import Location
    from sswis.indicators.selectors import indicators_compute
    from sswis.planning.models import Scenario
    from sswis.planning.norms import norm_gaps
    from sswis.planning.projection import scenario_project
    from sswis.planning.selectors import scenario_parameters
    from sswis.planning.services import norm_set, scenario_save
    from sswis.registry.models import Cadre

    try:
        if arguments.reuse:
            with connection.cursor() as cursor:
                counts = {}
                for table, name in TABLES.items():
                    cursor.execute(f"SELECT COUNT(*) FROM {table}")
                    counts[name] = cursor.fetchone()[0]
            loading = "reused"
        else:
            call_command("migrate", verbosity=0)
            with tempfile.TemporaryDirectory(prefix="sswis-bench-planning-") as folder:
                started = time.perf_counter()
                generated = country_generate(folder=Path(folder), workers=arguments.workers, last_year=2025)
                generated_in = time.perf_counter() - started
                started = time.perf_counter()
                load(Path(folder))
                loaded_in = time.perf_counter() - started
            counts = generated.counts
            loading = f"generated in {generated_in:.1f} s, loaded in {loaded_in:.1f} s"

        # Planning's inputs, through its services.
        planner = user_create_with_role(
            actor=None,
            username="bench-planner",
            password="bench-planner-password",
            role=Role.NATIONAL_DATA_MANAGER,
        )
        root = Location.objects.filter(parent__isnull=True).order_by("code").first()
        if root is None:
            raise SystemExit("The database has no locations.")
        cadres = list(Cadre.objects.order_by("code"))
        norm = {"actor": planner, "location": root, "valid_from": 2019, "source": "bench"}
        norm_set(**norm, target_per_100k=Decimal("60"))
        norm_set(**norm, target_per_100k=Decimal("30"), category=CATEGORY)
        for cadre in cadres:
            norm_set(**norm, target_per_100k=Decimal("20"), cadre=cadre)
        codes = [cadre.code for cadre in cadres]
        for code, attrition in (("bench", 0.05), ("bench-estimated", "estimated")):
            scenario_save(
                actor=None,
                data=scenario_document(code=code, year=arguments.year, cadres=codes, attrition=attrition),
            )
        scenario = Scenario.objects.get(code="bench")
        estimated = Scenario.objects.get(code="bench-estimated")
        district = Location.objects.filter(level="district").order_by("code").first()
        if district is None:
            raise SystemExit("The database has no districts (Location.level 'district').")
        depth = district.depth - root.depth
        locations = Location.objects.count()
        selected = Location.objects.filter(depth__lte=root.depth + depth).count()
        print(
            f"{connection.vendor}: {counts['workers.csv']:,} workers, {counts['assignments.csv']:,} "
            f"assignments, {counts['locations.csv']} locations ({loading}); year {arguments.year}; "
            f"{len(cadres)} cadres; norms at {root.code} for the workforce, {CATEGORY} and every cadre; "
            f"districts {depth} levels below {root.code} ({selected} locations projected)"
        )

        null = NullStream()
        year = arguments.year
        results: dict[str, int] = {}

        def counted(label: str, compute: Callable[[], list]) -> Callable[[], None]:
            def run() -> None:
                results[label] = len(compute())

            return run

        def projected(stored: Scenario) -> list:
            """The rows of a stored scenario's projection, root to districts (parameters read from
            its row, as ``sswis plan project`` does)."""
            parameters = scenario_parameters(scenario=stored)
            return scenario_project(scenario=parameters, location=None, depth=depth).rows

        targets: dict[str, Callable[[], object]] = {
            REFERENCE: lambda: call_command("indicators", "--year", str(year), stdout=null),
            BY_CADRE: counted(BY_CADRE, lambda: indicators_compute(year=year, by=("cadre",))),
            NORMS: counted(NORMS, lambda: norm_gaps(year=year)),
            PROJECTION: counted(PROJECTION, lambda: projected(scenario)),
            ESTIMATED: counted(ESTIMATED, lambda: projected(estimated)),
        }
        samples = best_of(arguments.repeat, targets)
        best = {label: min(times) for label, times in samples.items()}
        median = {label: statistics.median(times) for label, times in samples.items()}
        reference, reference_median = best[REFERENCE], median[REFERENCE]
        print(
            f"  {'':44s} {'best':>9s}      {'ratio':>5s}   {'median':>9s}      {'ratio':>5s}   {'rows':>6s}"
        )
        for label in targets:
            rows = f"{results[label]:6d}" if label in results else ""
            print(
                f"  {label:44s} {best[label] * 1000:9.1f} ms   {best[label] / reference:5.2f}x   "
                f"{median[label] * 1000:9.1f} ms   {median[label] / reference_median:5.2f}x   {rows}"
            )
        expected = {
            NORMS: locations * (2 + len(cadres)),
            PROJECTION: selected * (scenario_parameters(scenario=scenario).horizon + 1) * len(cadres),
        }
        for label in (NORMS, PROJECTION):
            ratio, ratio_median = best[label] / reference, median[label] / reference_median
            verdict = "OK" if ratio <= RATIO_GOAL and ratio_median <= RATIO_GOAL else "over"
            print(
                f"  goal: {label} within {RATIO_GOAL:.0f}x of {REFERENCE}: {verdict} "
                f"(best {ratio:.2f}x, median {ratio_median:.2f}x); {results[label]} rows "
                f"({'as expected' if results[label] == expected[label] else f'expected {expected[label]}'})"
            )
        rates = scenario_project(
            scenario=scenario_parameters(scenario=estimated), location=root, depth=0
        ).attrition_rates
        print(
            "  estimated attrition rates: "
            + ", ".join(f"{code} {rate:.3f}" for code, rate in sorted(rates.items()))
        )
        print(f"  peak resident memory of the process: {peak_memory_mb():.0f} MB")
    finally:
        if arguments.keep:
            print(f"kept {url}")
        else:
            remove()


if __name__ == "__main__":
    main()
