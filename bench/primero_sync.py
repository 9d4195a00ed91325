"""Benchmark: a caseload sync from Primero of 100,000 open cases (``sswis.primero.sync``) against the 60 s
goal (issue 13, "Speed").

Usage (run by hand)::

    python bench/primero_sync.py [--cases 100000] [--workers 5000] [--keep]

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches that
database itself: on PostgreSQL it creates a throwaway database ``bench_primero_sync`` on the same server
(dropped at the end unless ``--keep``), on SQLite a temporary file. It migrates it and adds, with bulk
inserts, N workers (default 5,000) each carrying a Primero user name, with an assignment.

A fake Primero (``sswis.primero.fake``) serves the open cases: ``--cases`` (default 100,000) cases, owned
by the workers (a seeded random spread, about 20 each) and 2% by 50 accounts no worker carries; its 100
pages of 1,000 are made before the clock starts and then served as recorded. Timed, each the whole sync
through HTTP (token, every page, counting, matching, writing the caseloads with their audit records, the
history record):

1. the first sync of the month: every matched worker's caseload created;
2. a second sync after a third of the cases changed owner: caseloads changed (and some unchanged);
3. the same again: every caseload unchanged (nothing written);

and, for scale, reading the pages alone (the floor: HTTP and JSON). It prints each time, its ratio to the
goal and the machine's load average (on a machine shared with other work every figure slows down together).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

from throwaway import throwaway_database

GOAL_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=5_000)
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    arguments = parser.parse_args()
    url, remove = throwaway_database(os.environ.get("SSWIS_DATABASE_URL", ""), name="bench_primero_sync")
    os.environ["SSWIS_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.base")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sswis.geo.models import Location
    from sswis.primero.client import PrimeroClient, open_cases_read
    from sswis.primero.fake import FakePrimero
    from sswis.primero.sync import Credentials, primero_sync_create, primero_sync_run
    from sswis.registry.models import Assignment, Cadre, Organisation, Worker
    from sswis.support.models import Caseload

    try:
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        root = Location.objects.create(code="KD", name="Kandara", level="country")
        organisation = Organisation.objects.create(
            code="MSW", name="Ministry", type="government", location=root
        )
        cadre = Cadre.objects.create(code="SW", name="Social worker", category="professional")
        Worker.objects.bulk_create(
            [
                Worker(
                    worker_id=f"W{n:07d}",
                    given_name="Given",
                    family_name=f"F{n}",
                    primero_user_name=f"user.{n}",
                )
                for n in range(arguments.workers)
            ],
            batch_size=1000,
        )
        Assignment.objects.bulk_create(
            [
                Assignment(
                    worker_id=pk,
                    organisation=organisation,
                    location=root,
                    cadre=cadre,
                    start_date=datetime.date(2020, 1, 1),
                    paid=True,
                )
                for pk in Worker.objects.values_list("pk", flat=True)
            ],
            batch_size=1000,
        )
        print(
            f"database {connection.vendor}: {arguments.workers:,} workers ready in {time.monotonic() - started:.1f} s"
        )
        picker = random.Random(13)
        matched = [f"user.{picker.randrange(arguments.workers)}" for _ in range(int(arguments.cases * 0.98))]
        owners: list[str | None] = matched + [
            f"gone.{picker.randrange(50)}" for _ in range(arguments.cases - len(matched))
        ]
        picker.shuffle(owners)
        moved = list(owners)
        for index in picker.sample(range(len(moved)), len(moved) // 3):
            moved[index] = f"user.{picker.randrange(arguments.workers)}"
        account = Credentials(user_name="sync", password="sync-password")
        rounds = [
            ("first sync (caseloads created)", owners),
            ("after a third of the cases moved", moved),
            ("the same again (unchanged)", moved),
        ]
        figures = []
        for label, cases in rounds:
            with FakePrimero(owners=cases, user_name=account.user_name, password=account.password) as fake:
                pages = -(-len(cases) // 1000)
                for page in range(1, pages + 1):
                    fake.page(per=1000, page=page)  # recorded before the clock starts
                began = time.perf_counter()
                client = PrimeroClient(
                    server=fake.url, user_name=account.user_name, password=account.password
                )
                client.authenticate()
                read = open_cases_read(client)
                floor = time.perf_counter() - began
                began = time.perf_counter()
                sync = primero_sync_create(actor=None, url=fake.url, origin="command")
                sync, _result = primero_sync_run(sync=sync, credentials=account)
                seconds = time.perf_counter() - began
            if sync.status != "finished":
                raise SystemExit(f"The sync failed: {sync.error}")
            figures.append(seconds)
            print(
                f"{label}: {seconds:.2f} s for {sync.open_cases:,} cases on {sync.pages} pages "
                f"(matched {sync.matched:,}, created {sync.created:,}, changed {sync.updated:,}, "
                f"unchanged {sync.unchanged:,}, unmatched {len(sync.unmatched)} user names); "
                f"ratio to the {GOAL_SECONDS:.0f} s goal {seconds / GOAL_SECONDS:.3f}; "
                f"reading the pages alone {floor:.2f} s ({read.total:,} cases)"
            )
        print(
            f"caseloads in the database: {Caseload.objects.count():,}; history records: {Caseload.history.count():,}"
        )
        print(
            f"worst sync {max(figures):.2f} s, ratio to the goal {max(figures) / GOAL_SECONDS:.3f}; load average {os.getloadavg()}"
        )
    finally:
        if arguments.keep:
            print(f"kept: SSWIS_DATABASE_URL={url}")
        else:
            remove()


if __name__ == "__main__":
    main()
