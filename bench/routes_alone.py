"""Benchmark: each route of the load test (``bench/load_users.py``) alone, one request at a time.

Usage (run by hand, on a kept database; it only reads, apart from making ``bench-national`` if missing)::

    python bench/routes_alone.py --database postgres://postgres@127.0.0.1:5432/test_bench_fhir_history
    python bench/routes_alone.py --database URL --rounds 7 --only "worker list"   # routes whose name has it

It serves every route through the whole Django stack (middleware, view, template) with Django's test client
as the national data manager ``bench-national`` (the FHIR search with an API token of an hour, the public
register anonymously), each ``--rounds`` times after one warm-up request, and prints per route the best and
median time, the number of SQL queries and the time spent in them, and the ratio of the median to the budget
of one request alone. The budget: 50 users thinking 1 to 3 s ask about 25 requests a second of 2 cores, so
a route alone must take tens of milliseconds for the load's p95 to stay under 500 ms (``docs/load.md``);
``BUDGET_MS`` is that share. The load average is printed before and after: a shared machine is slower.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

BUDGET_MS = 40.0


class QueryTimer:
    """Counts the SQL queries of a request and adds up their time (``connection.execute_wrapper``)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self.slowest: list[tuple[float, str]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            self.count += 1
            self.seconds += took
            self.slowest.append((took, sql))


def routes(*, fragment: str, district: str, cadre: str, public_name: str) -> list[tuple[str, str, str]]:
    """(name, path, who) of every route of the load, with one value of each of its random choices."""
    return [
        ("dashboard /", "/", "session"),
        ("worker list page 1", "/workers/", "session"),
        ("worker list page 5", "/workers/?page=5", "session"),
        ("worker list by district", f"/workers/?location={district}", "session"),
        ("worker list by district page 5", f"/workers/?location={district}&page=5", "session"),
        ("worker list by cadre, paid", f"/workers/?cadre={cadre}&paid=yes", "session"),
        ("worker list by cadre, paid, page 5", f"/workers/?cadre={cadre}&paid=yes&page=5", "session"),
        (
            "worker list by category, district",
            f"/workers/?category=professional&location={district}",
            "session",
        ),
        ("worker search", f"/workers/?q={fragment}", "session"),
        ("FHIR name:contains", f"/fhir/Practitioner?name:contains={fragment}&_count=20", "token"),
        ("public register", f"/register/?q={public_name}", "public"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True, help="The kept database's URL (postgres://...).")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", help="Only the routes whose name contains this text.")
    parser.add_argument("--fragment", default="kat", help="The name fragment searched (default kat).")
    parser.add_argument(
        "--slowest", type=int, default=0, help="Print this many slowest queries of each route."
    )
    arguments = parser.parse_args()
    os.environ["SSWIS_DATABASE_URL"] = arguments.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from knox.models import AuthToken

    from sswis.access.models import Role
    from sswis.access.services import user_scope_grant
    from sswis.geo.models import Location
    from sswis.registry.models import Cadre
    from sswis.regulation.models import Registration

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.SSWIS_PUBLIC_REGISTER_RATE = "100000/m"
    user = get_user_model().objects.filter(username="bench-national").first()
    if user is None:
        user = get_user_model().objects.create_user(username="bench-national", password=None)
        user_scope_grant(actor=None, user=user, role=Role.NATIONAL_DATA_MANAGER)
    session = Client()
    session.force_login(user)
    issued, token = AuthToken.objects.create(user=user, expiry=timedelta(hours=1))
    public = Client()
    district = Location.objects.filter(level="district").order_by("code").values_list("code", flat=True)[0]
    cadre = Cadre.objects.order_by("code").values_list("code", flat=True)[0]
    public_name = Registration.objects.order_by("pk").values_list("worker__family_name", flat=True)[0]
    clients: dict[str, tuple[Client, dict[str, str]]] = {
        "session": (session, {}),
        "token": (public, {"Authorization": f"Token {token}", "Accept": "application/fhir+json"}),
        "public": (public, {}),
    }
    print(f"load average before: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
    print(
        f"  {'route':38s} {'best':>8s} {'median':>8s} {'queries':>7s} {'in SQL':>8s} {'median/budget':>13s}"
    )
    chosen = routes(fragment=arguments.fragment, district=district, cadre=cadre, public_name=public_name)
    for name, path, who in chosen:
        if arguments.only and arguments.only not in name:
            continue
        client, headers = clients[who]
        response = client.get(path, headers=headers)  # warm-up: the view's imports and the kept figures
        if response.status_code != 200:
            raise SystemExit(f"{name}: {path} answered {response.status_code}")
        times: list[float] = []
        timers: list[QueryTimer] = []
        for _ in range(arguments.rounds):
            timer = QueryTimer()
            started = time.perf_counter()
            with connection.execute_wrapper(timer):
                client.get(path, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            timers.append(timer)
        median = statistics.median(times)
        timer = timers[times.index(min(times))]
        print(
            f"  {name:38s} {min(times):6.0f}ms {median:6.0f}ms {timer.count:7d} {timer.seconds * 1000:6.0f}ms "
            f"{median / BUDGET_MS:12.1f}x"
        )
        for took, sql in sorted(timer.slowest, reverse=True)[: arguments.slowest]:
            print(f"      {took * 1000:7.1f} ms  {sql[:300]}")
    print(f"load average after: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
    issued.delete()  # the kept database keeps no live token of this run


if __name__ == "__main__":
    main()
