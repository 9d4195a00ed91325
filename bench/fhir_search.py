"""Benchmark: one page of 100 Practitioners matching ``name:contains`` (ITI-90) against the 300 ms goal.

Usage (run by hand)::

    python bench/fhir_search.py [--workers 1000000] [--repeat 7] [--keep]
    python bench/fhir_search.py --reuse URL [--repeat 7]    # time again on a kept database

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches that
database itself: on PostgreSQL it creates a throwaway database ``<name>_bench_fhir_search`` on the same
server (dropped at the end unless ``--keep``), on SQLite a temporary file. It migrates it (so the trigram
index of ``name:contains`` exists on PostgreSQL) and builds with bulk SQL (COPY on PostgreSQL):

* a country of 10 regions and 100 districts, one organisation per district, 8 cadres;
* N workers (default 1,000,000) whose names are drawn from 400 given and 3,000 family names made of
  syllables (so three letters match anything from a few to many thousands of workers), each with one
  assignment (20% ended); 30% with a registration number, 50% with a training completion.

Then it times, over ``--repeat`` rounds after a warm-up, ``GET /fhir/Practitioner?name:contains=<q>
&_count=100`` through the Django test client as a national data manager (the whole request: authentication,
parsing, the total, the page, its rendering with registrations and completions, JSON), for a rare, a
common and a very common three-letter query; and, for scale, the SQL of ``_total=accurate`` (an exact
``COUNT`` of every match and the page of ids: the default total stops counting at 10,000) and a plain
``COUNT(*)`` of the workers. It prints the best and the median of each, the matches and
the ratio to the 300 ms goal, and the machine's load average (on a shared machine every figure slows down
together).
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
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from indicators import best_of, ids, insert
from throwaway import throwaway_database

NOW = "2025-06-30 12:00:00+00:00"
GOAL_SECONDS = 0.300
SEED = 20261207
REGIONS, DISTRICTS_PER_REGION, CADRES = 10, 10, 8
SYLLABLES = (
    "ba",
    "da",
    "ka",
    "la",
    "ma",
    "na",
    "pa",
    "ta",
    "wa",
    "zi",
    "mbe",
    "ngo",
    "chi",
    "ru",
    "so",
    "ye",
)


def database_prepare(url: str) -> tuple[str, Callable[[], None]]:
    return throwaway_database(url, name=f"{urlsplit(url).path.strip('/') or 'sswis'}_bench_fhir_search")


def names(count: int, rng: random.Random, syllables: tuple[int, int]) -> list[str]:
    made: set[str] = set()
    while len(made) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(*syllables)))
        made.add(word.capitalize())
    return sorted(made)


def build(count: int, rng: random.Random) -> dict[str, int]:
    """The country, the workers and their rows (module docstring); returns what was made."""
    from sswis.geo.models import Location
    from sswis.geo.services import location_paths_rebuild
    from sswis.registry.models import Cadre, Organisation
    from sswis.regulation.models import Register, RegulatoryBody
    from sswis.training.models import Programme

    country = Location.objects.create(code="KD", name="Kandara", level="country")
    districts: list[int] = []
    for region_number in range(REGIONS):
        region = Location.objects.create(
            code=f"R{region_number:02d}", name=f"Region {region_number}", parent=country, level="region"
        )
        for number in range(DISTRICTS_PER_REGION):
            districts.append(
                Location.objects.create(
                    code=f"D{region_number:02d}{number:02d}",
                    name=f"District {region_number}-{number}",
                    parent=region,
                    level="district",
                ).pk
            )
    location_paths_rebuild()
    organisations = [
        Organisation.objects.create(
            code=f"O{district}", name=f"Office {district}", type="government", location_id=district
        ).pk
        for district in districts
    ]
    cadres = [
        Cadre.objects.create(
            code=f"C{number}", name=f"Cadre {number}", category="professional", isco08="2635"
        ).pk
        for number in range(CADRES)
    ]
    body = RegulatoryBody.objects.create(code="SSC", name="Social Service Council")
    register = Register.objects.create(body=body, code="SW-REG", name="Social workers")
    programmes = [
        Programme.objects.create(code=f"P{number}", name=f"Programme {number}", kind="in_service").pk
        for number in range(10)
    ]
    given, family = names(400, rng, (2, 3)), names(3000, rng, (2, 4))
    insert(
        "registry_worker",
        (
            "uuid", "worker_id", "given_name", "family_name", "sex", "birth_date", "disability", "education_level",
            "education_field", "national_id", "phone", "email", "primero_user_name", "created_at", "updated_at",
        ),
        (
            (uuid.uuid4().hex, f"W{index:08d}", rng.choice(given), rng.choice(family), ("female", "male")[index % 2],
             date(1970 + index % 30, 1 + index % 12, 1 + index % 28), "no", "bachelor", "", f"NID{index}", "", "",
             "", NOW, NOW)
            for index in range(count)
        ),
    )  # fmt: skip
    worker_ids = sorted(ids("registry_worker", key="worker_id").values())

    def assignments() -> Iterator[tuple[Any, ...]]:
        for worker_id in worker_ids:
            place = rng.randrange(len(districts))
            start = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
            end = start + timedelta(days=rng.randrange(30, 2000)) if rng.random() < 0.2 else None
            yield (uuid.uuid4().hex, worker_id, organisations[place], districts[place], cadres[worker_id % CADRES],
                   None, start, end, True, 1, True, "", ("female", "male")[worker_id % 2], NOW)  # fmt: skip

    insert(
        "registry_assignment",
        ("uuid", "worker_id", "organisation_id", "location_id", "cadre_id", "post_id", "start_date", "end_date",
         "paid", "fte", "child_protection", "exit_reason", "worker_sex", "updated_at"),
        assignments(),
    )  # fmt: skip
    registered = [worker_id for worker_id in worker_ids if rng.random() < 0.3]
    insert(
        "regulation_registration",
        ("register_id", "worker_id", "number", "applied_on", "registered_on", "status", "status_since",
         "documents_checked", "created_at", "updated_at"),
        ((register.pk, worker_id, f"N{worker_id:08d}", date(2019, 1, 1), date(2019, 2, 1), "registered",
          date(2019, 2, 1), True, NOW, NOW) for worker_id in registered),
    )  # fmt: skip
    trained = [worker_id for worker_id in worker_ids if rng.random() < 0.5]
    insert(
        "training_completion",
        ("uuid", "worker_id", "programme_id", "completed_on", "certificate_number", "source", "created_at",
         "updated_at"),
        ((uuid.uuid4().hex, worker_id, rng.choice(programmes), date(2020, 1, 1) + timedelta(days=rng.randrange(1500)),
          "", "template", NOW, NOW) for worker_id in trained),
    )  # fmt: skip
    return {"workers": len(worker_ids), "registrations": len(registered), "completions": len(trained)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7, help="Rounds; best and median shown (default 7).")
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
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from rest_framework.test import APIClient

    from sswis.access.models import Role
    from sswis.access.services import user_scope_grant
    from sswis.fhir.search import search_request_parse
    from sswis.fhir.search_parameters import NameText

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    try:
        if not arguments.reuse:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            with transaction.atomic():
                made = build(arguments.workers, random.Random(SEED))
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            print(
                f"{connection.vendor}: {made['workers']:,} workers, {made['registrations']:,} registrations, "
                f"{made['completions']:,} completions (built in {time.perf_counter() - started:.0f} s)"
            )
        user = get_user_model().objects.filter(username="bench-national").first()
        if user is None:
            user = get_user_model().objects.create_user(
                username="bench-national", password="bench-national-pw"
            )
            user_scope_grant(actor=None, user=user, role=Role.NATIONAL_DATA_MANAGER)
        client = APIClient()
        client.force_authenticate(user=user)
        # Three-letter queries from the generated syllables: rare to very common.
        queries = {"rare": "yez", "common": "ana", "very common": "mbe"}
        from sswis.registry.models import Worker

        matches = {
            label: Worker.objects.annotate(t=NameText()).filter(t__icontains=text).count()
            for label, text in queries.items()
        }

        def page(text: str) -> Callable[[], object]:
            def run() -> object:
                response = client.get(f"/fhir/Practitioner?name:contains={text}&_count=100")
                assert response.status_code == 200, response.content[:500]
                return response

            return run

        def sql_only(text: str) -> Callable[[], object]:
            from sswis.fhir.search import matching

            request = search_request_parse(
                type_name="Practitioner", params=[("name:contains", text)], lenient=False
            )

            def run() -> object:
                queryset = matching(request=request, user=user)
                return queryset.count(), list(queryset.order_by("pk").values_list("pk", flat=True)[:101])

            return run

        def workers_counted() -> object:
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM registry_worker")
                return cursor.fetchone()

        targets: dict[str, Callable[[], object]] = {}
        for label, text in queries.items():
            targets[f"page of 100, {label} {text!r}"] = page(text)
            targets[f"exact count + ids, {label} {text!r}"] = sql_only(text)
        targets["reference: COUNT(*) of the workers"] = workers_counted
        for target in targets.values():  # warm-up
            target()
        samples = best_of(arguments.repeat, targets)
        best = {label: min(times) for label, times in samples.items()}
        median = {label: statistics.median(times) for label, times in samples.items()}
        print(f"  load average of the machine: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        print(f"  {'':38s} {'matches':>9s} {'best':>9s}  {'/300 ms':>7s}   {'median':>9s}")
        for label in targets:
            text = label.rsplit(" ", 1)[-1].strip("'")
            found = next((matches[name] for name, value in queries.items() if value == text), None)
            shown = f"{found:,}" if found is not None else ""
            print(
                f"  {label:38s} {shown:>9s} {best[label] * 1000:7.1f} ms  {best[label] / GOAL_SECONDS:6.2f}x"
                f"   {median[label] * 1000:7.1f} ms"
            )
        worst = max(best[f"page of 100, {label} {text!r}"] for label, text in queries.items())
        print(
            f"  goal: a page of 100 Practitioners for name:contains under 300 ms: "
            f"{'met' if worst < GOAL_SECONDS else 'NOT met'} (slowest best {worst * 1000:.0f} ms, "
            f"{worst / GOAL_SECONDS:.2f}x the goal)"
        )
    finally:
        if arguments.keep:
            print(f"kept {url}")
        else:
            remove()


if __name__ == "__main__":
    main()
