"""Benchmark: a full ITI-91 walk (``GET /fhir/_history`` from the beginning, following every ``next``
link) against the goal of 20,000 resources a second with memory flat.

Usage (run by hand)::

    python bench/fhir_history.py [--workers 1000000] [--count 1000] [--keep]
    python bench/fhir_history.py --reuse URL [--count 1000]   # walk again on a kept database

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches that
database itself: on PostgreSQL it creates a throwaway database ``<name>_bench_fhir_history`` on the same
server (dropped at the end unless ``--keep``), on SQLite a temporary file. It migrates it (``--reuse``
too: the history's indexes must exist) and builds the registry of ``bench/fhir_search.py`` with bulk SQL:
a country of 10 regions and 100 districts, one organisation per district, 8 cadres, N workers (default
1,000,000) with one assignment each, 30% with a registration, 50% with a training completion. Every row
carries the same ``updated_at``, as after one national import: the hardest case for keyset paging (one
tie group of the whole country).

Then it walks the whole history as a national data manager through the Django test client (the whole
request: authentication, the stamps of every source, the change instants, the visible rows, their
rendering, JSON; after one warm-up request to ``/fhir/metadata``, since a process's first request imports
every view module), ``--count`` entries a page, and prints the resources, the pages, the time, resources per
second and the ratio to the goal, the slowest page, and the peak resident memory (``ru_maxrss``) after the
first pages and at the end: flat memory means the two are close. The server's part alone (the requests,
without the client's parsing of each page's JSON) is printed too; ``bench/fhir_history_floor.py`` gives the
floor (one hand-written query a page) to read both against. It also prints the machine's load
average (on a shared machine every figure slows down together).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from fhir_search import SEED, build
from throwaway import throwaway_database

GOAL_PER_SECOND = 20_000


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (``ru_maxrss`` is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--count", type=int, default=1000, help="Entries a page (_count), 1-1000.")
    parser.add_argument(
        "--pages", type=int, default=0, help="Stop after this many pages (default: the whole walk)."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    parser.add_argument("--reuse", metavar="URL", default="", help="Walk again on a database kept by --keep.")
    arguments = parser.parse_args()
    if arguments.reuse:
        url, remove = arguments.reuse, lambda: None
        arguments.keep = True
    else:
        base = os.environ.get("SSWIS_DATABASE_URL", "")
        url, remove = throwaway_database(
            base, name=f"{urlsplit(base).path.strip('/') or 'sswis'}_bench_fhir_history"
        )
    os.environ["SSWIS_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.base")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from rest_framework.test import APIClient

    from sswis.access.models import Role
    from sswis.access.services import user_scope_grant

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        if not arguments.reuse:
            with transaction.atomic():
                made = build(arguments.workers, random.Random(SEED))
            print(f"built {made['workers']:,} workers", end=", ")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"{connection.vendor}: database ready in {time.perf_counter() - started:.0f} s")
        user = get_user_model().objects.filter(username="bench-national").first()
        if user is None:
            user = get_user_model().objects.create_user(
                username="bench-national", password="bench-national-pw"
            )
            user_scope_grant(actor=None, user=user, role=Role.NATIONAL_DATA_MANAGER)
        client = APIClient()
        client.force_authenticate(user=user)

        # The first request of a process imports every view module of the URL configuration (about 1.7 s):
        # a server's start, not the history's; made before the clock starts.
        assert client.get("/fhir/metadata").status_code == 200
        before = peak_rss_mb()
        resources = pages = 0
        slowest = 0.0
        early = 0.0
        link: str | None = f"/fhir/_history?_count={arguments.count}"
        walk_started = time.perf_counter()
        serving = 0.0  # the server's part: the requests, without the client's parsing of the JSON
        while link is not None:
            page_started = time.perf_counter()
            response = client.get(link)
            served = time.perf_counter() - page_started
            serving += served
            assert response.status_code == 200, response.content[:500]
            bundle = response.json()
            slowest = max(slowest, served)
            resources += len(bundle["entry"])
            pages += 1
            if pages == 10:
                early = peak_rss_mb()
            following = [item["url"] for item in bundle["link"] if item["relation"] == "next"]
            link = following[0].removeprefix("http://testserver") if following else None
            if pages == arguments.pages:
                print(f"stopped after {pages} pages (--pages): a part of the walk", end="; ")
                break
            del bundle, response
        seconds = time.perf_counter() - walk_started
        rate = resources / seconds
        print(
            f"walk: {resources:,} resources in {pages:,} pages of {arguments.count} in {seconds:.1f} s = "
            f"{rate:,.0f} resources/s; goal {GOAL_PER_SECOND:,}/s: ratio {rate / GOAL_PER_SECOND:.2f} "
            f"({'OK' if rate >= GOAL_PER_SECOND else 'BELOW GOAL'}); slowest page {slowest * 1000:.0f} ms"
        )
        served_rate = resources / serving
        print(
            f"the server's part alone (without the client's parsing): {serving:.1f} s = {served_rate:,.0f} "
            f"resources/s; ratio {served_rate / GOAL_PER_SECOND:.2f}. The floor: bench/fhir_history_floor.py"
        )
        print(
            f"peak RSS: {before:.0f} MB before the walk, {early or peak_rss_mb():.0f} MB after 10 pages, "
            f"{peak_rss_mb():.0f} MB at the end"
        )
        print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    finally:
        if not arguments.keep:
            remove()
        else:
            print(f"kept: {url}")


if __name__ == "__main__":
    main()
