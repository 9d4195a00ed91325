"""Benchmark: the national dashboard page (headline, child locations, split, 7-year trend, map, charts).

Usage (run by hand)::

    python bench/dashboard.py [--workers 1000000] [--repeat 5] [--keep]
    python bench/dashboard.py --reuse URL [--repeat 5]   # time again on a database kept by --keep

The data are those of ``bench/indicators.py`` (imported, not copied): a throwaway database on the
server of ``SSWIS_DATABASE_URL`` (SQLite when unset), migrated, the demo country generated with N
workers over 2019-2025 and loaded with bulk SQL; the generated boundaries of the regions and districts
are set through ``location_boundaries_set`` so the map is drawn. It then serves ``GET /`` as a national
data manager through the whole Django stack (middleware, view, template): once cold (the first request
of the process: the chart engine starts, nothing is kept), then ``--repeat`` warm requests (the years
computed before are kept while the data do not change: ``sswis.indicators.cache``; only the data stamp
is read), and as many requests each right after a change made through ``worker_update`` (every year is
computed again). It prints the best and median times and their ratio to the goal (1 s at 1,000,000
workers on PostgreSQL), and the floor of a page computed afresh: the hand-written one-query count of
``bench/indicators.py`` for each year the page shows (the year and the trend). The warm page is also
timed in Arabic (``Accept-Language: ar``, right to left), in the same rounds: goal within 1.1x of English.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from indicators import TABLES, best_of, dashboard_client, database_prepare, limit_counts, load

GOAL_SECONDS = 1.0
LANGUAGE_RATIO_GOAL = 1.1


def page_get(client: Any, language: str = "en") -> None:
    """The national dashboard as it opens (its default year) in ``language``, refused unless it answers
    200 in that language."""
    response = client.get("/", headers={"accept-language": language})
    if f'<html lang="{language}"'.encode() not in response.content:
        raise SystemExit(f"The dashboard did not answer in {language}.")
    if response.status_code != 200:
        raise SystemExit(f"The dashboard answered {response.status_code}.")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="Warm requests timed (default 5).")
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
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from sswis.demo.generator import BOUNDARIES_FILE, country_generate
    from sswis.geo.selectors import population_years
    from sswis.geo.services import location_boundaries_set
    from sswis.indicators.cache import data_stamp
    from sswis.registry.models import Sex, Worker
    from sswis.registry.services import worker_update

    try:
        if arguments.reuse:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {next(iter(TABLES))}")
                workers = cursor.fetchone()[0]
            get_user_model().objects.filter(username="bench-manager").delete()
            loading = "reused"
        else:
            call_command("migrate", verbosity=0)
            with tempfile.TemporaryDirectory(prefix="sswis-bench-dashboard-") as folder:
                started = time.perf_counter()
                generated = country_generate(folder=Path(folder), workers=arguments.workers, last_year=2025)
                load(Path(folder))
                boundaries = json.loads((Path(folder) / BOUNDARIES_FILE).read_text(encoding="utf-8"))
            workers = generated.counts["workers.csv"]
            loading = f"generated and loaded in {time.perf_counter() - started:.1f} s"
        client = dashboard_client()
        manager = get_user_model().objects.get(username="bench-manager")
        if not arguments.reuse:
            location_boundaries_set(actor=manager, collection=boundaries)
        years = sorted(population_years())
        print(
            f"{connection.vendor}: {workers:,} workers ({loading}); the page opens on {years[-1]}, "
            f"trend over {len(years)} years ({years[0]}-{years[-1]})"
        )
        started = time.perf_counter()
        response = client.get("/")
        cold = time.perf_counter() - started
        if response.status_code != 200 or b"<svg" not in response.content:
            raise SystemExit(f"The dashboard answered {response.status_code} without charts.")
        worker = Worker.objects.order_by("pk").first()
        assert worker is not None

        def after_a_change() -> None:
            # A real write through the service: the data stamp changes, every year is computed again.
            sex = Sex.MALE if worker.sex == Sex.FEMALE else Sex.FEMALE
            worker_update(actor=manager, worker=worker, sex=sex)
            page_get(client)

        times = best_of(
            arguments.repeat,
            {
                "page": lambda: page_get(client),
                "arabic": lambda: page_get(client, "ar"),
                "changed": after_a_change,
                "stamp": data_stamp,
                "floor": lambda: [limit_counts(year) for year in [years[-1], *years]],
            },
        )
        best, median = min(times["page"]), statistics.median(times["page"])
        print(f"  national dashboard GET /, cold (first request of the process): {cold * 1000:8.1f} ms")
        print(
            f"  national dashboard GET /, warm: best {best * 1000:8.1f} ms, median {median * 1000:8.1f} ms "
            f"over {len(times['page'])} requests (years kept: only the data stamp is read, "
            f"{statistics.median(times['stamp']) * 1000:.1f} ms)"
        )
        arabic = statistics.median(times["arabic"])
        print(
            f"  in Arabic (right to left), warm: median {arabic * 1000:8.1f} ms = {arabic / median:.2f}x English "
            f"(goal: within {LANGUAGE_RATIO_GOAL}x: {'met' if arabic <= LANGUAGE_RATIO_GOAL * median else 'NOT met'})"
        )
        changed = statistics.median(times["changed"])
        floor = statistics.median(times["floor"])
        print(
            f"  national dashboard GET / right after a change (every year computed again): median "
            f"{changed * 1000:8.1f} ms; floor {floor * 1000:.1f} ms = the hand-written one-query count "
            f"of {len(years) + 1} years (the year shown and the trend): {changed / floor:.2f}x the floor"
        )
        print(
            f"  goal: under {GOAL_SECONDS:.0f} s: {'met' if median < GOAL_SECONDS else 'NOT met'} "
            f"(median {median / GOAL_SECONDS:.2f}x of the goal, best {best / GOAL_SECONDS:.2f}x); "
            f"right after a change {changed / GOAL_SECONDS:.2f}x, out of reach while the floor alone is "
            f"{floor / GOAL_SECONDS:.2f}x"
        )
    finally:
        if arguments.keep:
            print(f"kept {url}")
        else:
            remove()


if __name__ == "__main__":
    main()
