"""Benchmark: ``sswis indicators`` against one hand-written SQL query computing ``workforce.count``.

Usage (run by hand)::

    python bench/indicators.py [--workers 200000] [--year 2025] [--repeat 11] [--keep]
    python bench/indicators.py --reuse URL [--year 2025] [--repeat 11]   # time again on a kept database

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches that
database itself: on PostgreSQL it creates a throwaway database ``<name>_bench_indicators`` on the same
server (``sswis_bench_indicators`` for a database ``sswis``; dropped at the end unless ``--keep``), on
SQLite a temporary file. It migrates it, generates the demo country with ``sswis.demo.generator.country_generate`` (N workers, ~1.2 assignments per worker,
2019-2025, some not child protection, many ended, ~8% posts) and synthetic registrations, status
histories and licences (``bench/regulation_data.py``: ~45% of the workers registered) and loads those
rows with bulk SQL (COPY on PostgreSQL, ``executemany`` on SQLite; no importer, no history rows). Then it
times, over 11 rotated interleaved rounds (``--repeat``):

1. ``sswis indicators --year Y`` for all locations (all five indicators, JSON to a null stream);
2. the same with ``--by cadre``;
3. ``indicators_compute(year=Y, by=("cadre",))`` alone: what the national dashboard asks for;
3b. the same asking for the four indicators other than the licensed share (no registration read): the
   cost of the licensed share is the difference with 3.;
3c. ``sswis indicators --year Y --by licensed``;
4. the limit: ONE hand-written SQL query giving ``workforce.count`` for every location (reference
   assignment picked per worker, counts per location joined to every ancestor by path prefix);
5. for reference, the same hand-written query also giving the two counts of the female share, each
   counted worker's sex read from the workers (a join): it checks, independently of the copy of the
   sex that sswis keeps with every assignment (``Assignment.worker_sex``), that the command's female
   shares are right.

6. for reference, a hand-written query counting the country's licensed workers
   (``regulation_data.licensed_reference_count``): the least a licensed share must read (every licence
   valid on the day and the status history of their registrations).

It prints the best and the median time of each, their ratios to the limit's (goals: 3b. within 1.5x,
and 1. and 2., which compute the licensed share too, within 1.5x of the limit plus the hand-written
licensed count, 4. + 6.; each round starts one target later than the round before, so none always
follows the same other one) and whether the hand-written queries' figures equal the command's (OK /
MISMATCH), the licensed workers of the country included. ``--reuse``
times again on a database kept by ``--keep``, without rebuilding it (e.g. after changing the selectors).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from regulation_data import licensed_reference_count, registrations_load
from throwaway import throwaway_database

TABLES = {
    "registry_worker": "workers.csv",
    "registry_assignment": "assignments.csv",
    "registry_post": "posts.csv",
    "geo_location": "locations.csv",
    "regulation_registration": "registrations",
    "regulation_licence": "licences",
}
NOW = "2025-06-30 12:00:00+00:00"


def database_prepare(url: str) -> tuple[str, Callable[[], None]]:
    """The throwaway database on the configured server, named after the configured one ("sswis" ->
    "sswis_bench_indicators"), so that benchmarks of different databases never share one; or an SQLite file."""
    return throwaway_database(url, name=f"{urlsplit(url).path.strip('/') or 'sswis'}_bench_indicators")


# --- loading --------------------------------------------------------------------------------------


def read(folder: Path, name: str) -> Iterator[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as stream:
        yield from csv.DictReader(stream)


def day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def yes(text: str) -> bool:
    return text == "yes"


def insert(table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    """Bulk insert: COPY on PostgreSQL, one executemany on SQLite. A table whose rows carry a version
    (``sswis.concurrency``) gets version 1, as a new row saved through the models has."""
    from django.db import connection

    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(cursor, table)
        if "version" in {column.name for column in described} and "version" not in columns:
            columns = (*columns, "version")
            rows = ((*row, 1) for row in rows)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", list(rows)
            )


def ids(table: str, key: str = "code") -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key}, id FROM {table}")
        return dict(cursor.fetchall())


def load(folder: Path) -> dict[str, int]:
    """Load the generated template with bulk SQL, resolving codes to ids in Python, and the synthetic
    registrations and licences; return the number of registrations and licences."""
    from django.db import transaction

    from sswis.geo.services import location_paths_rebuild

    def new_uuid() -> str:
        return uuid.uuid4().hex

    with transaction.atomic():
        locations = list(read(folder, "locations.csv"))
        insert(
            "geo_location",
            ("uuid", "code", "name", "path", "depth", "level", "setting", "dhis2_uid", "updated_at"),
            ((new_uuid(), r["code"], r["name"], "", 0, r["type"], r["setting"], "", NOW) for r in locations),
        )
        location = ids("geo_location")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE geo_location SET parent_id = %s WHERE id = %s",
                [(location[r["parent_code"]], location[r["code"]]) for r in locations if r["parent_code"]],
            )
        location_paths_rebuild()
        insert(
            "geo_populationestimate",
            ("uuid", "location_id", "year", "children", "total", "updated_at"),
            (
                (
                    new_uuid(),
                    location[r["location_code"]],
                    int(r["year"]),
                    int(r["children"]),
                    int(r["total"]) if r["total"] else None,
                    NOW,
                )
                for r in read(folder, "population.csv")
            ),
        )
        organisations = list(read(folder, "organizations.csv"))
        insert(
            "registry_organisation",
            ("uuid", "code", "name", "type", "sector", "location_id", "updated_at"),
            (
                (new_uuid(), r["code"], r["name"], r["type"], r["sector"], location[r["location_code"]], NOW)
                for r in organisations
            ),
        )
        organisation = ids("registry_organisation")
        insert(
            "registry_cadre",
            ("uuid", "code", "name", "category", "isco08", "updated_at"),
            (
                (new_uuid(), r["code"], r["name"], r["category"], r["isco08"], NOW)
                for r in read(folder, "cadres.csv")
            ),
        )
        cadre = ids("registry_cadre")
        insert(
            "registry_post",
            (
                "uuid",
                "code",
                "organisation_id",
                "location_id",
                "cadre_id",
                "grade",
                "funded",
                "established_on",
                "abolished_on",
                "updated_at",
            ),
            (
                (
                    new_uuid(),
                    r["code"],
                    organisation[r["organization_code"]],
                    location[r["location_code"]],
                    cadre[r["cadre_code"]],
                    r["grade"],
                    yes(r["funded"]),
                    day(r["established_on"]),
                    day(r["abolished_on"]),
                    NOW,
                )
                for r in read(folder, "posts.csv")
            ),
        )
        post = ids("registry_post")
        insert(
            "registry_worker",
            (
                "uuid",
                "worker_id",
                "given_name",
                "family_name",
                "sex",
                "birth_date",
                "disability",
                "education_level",
                "education_field",
                "national_id",
                "phone",
                "email",
                "primero_user_name",
                "created_at",
                "updated_at",
            ),
            (
                (
                    new_uuid(),
                    r["worker_id"],
                    r["given_name"],
                    r["family_name"],
                    r["sex"],
                    day(r["birth_date"]),
                    r["disability"],
                    r["education_level"],
                    r["education_field"],
                    r["national_id"],
                    r["phone"],
                    r["email"],
                    "",
                    NOW,
                    NOW,
                )
                for r in read(folder, "workers.csv")
            ),
        )
        worker = ids("registry_worker", key="worker_id")
        # The copy of the worker's sex that every assignment keeps (registry migration 0005).
        sex_of = {r["worker_id"]: r["sex"] for r in read(folder, "workers.csv")}
        insert(
            "registry_assignment",
            (
                "uuid",
                "worker_id",
                "organisation_id",
                "location_id",
                "cadre_id",
                "post_id",
                "start_date",
                "end_date",
                "paid",
                "fte",
                "child_protection",
                "exit_reason",
                "worker_sex",
                "updated_at",
            ),
            (
                (
                    new_uuid(),
                    worker[r["worker_id"]],
                    organisation[r["organization_code"]],
                    location[r["location_code"]],
                    cadre[r["cadre_code"]],
                    post[r["post_code"]] if r["post_code"] else None,
                    day(r["start_date"]),
                    day(r["end_date"]),
                    yes(r["paid"]),
                    Decimal(r["fte"] or "1"),
                    yes(r["child_protection"]),
                    r["exit_reason"],
                    sex_of[r["worker_id"]],
                    NOW,
                )
                for r in read(folder, "assignments.csv")
            ),
        )
        loaded = registrations_load(insert=insert, ids=ids, worker_ids=sorted(worker.values()))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return loaded


# --- the limit ------------------------------------------------------------------------------------


def limit_counts(year: int, *, with_sex: bool = False) -> dict[str, Any]:
    """workforce.count of every location in ONE hand-written query (the physical limit).

    Written independently of ``sswis.indicators`` and in each database's fastest form we found:
    PostgreSQL ``DISTINCT ON``; SQLite ``ROW_NUMBER()`` over a plain scan (``NOT INDEXED``). Each
    location's count includes everything below it (join to the locations by path prefix).

    ``with_sex``: also the counts the female share needs (female, and female+male+other), which
    requires each counted worker's sex, i.e. a join with the workers: what any implementation of
    the contract's four indicators must at least do.
    """
    from django.db import connection

    first, last = date(year, 1, 1), date(year, 12, 31)
    order = (
        "a.start_date DESC, CASE WHEN a.end_date IS NULL OR a.end_date >= %(last)s THEN 0 ELSE 1 END, "
        "a.fte DESC, a.id"
    )
    where = (
        "a.child_protection AND a.start_date <= %(last)s AND (a.end_date IS NULL OR a.end_date >= %(first)s)"
    )
    sex = ", w.sex" if with_sex else ""
    join = "JOIN registry_worker w ON w.id = a.worker_id" if with_sex else ""
    if connection.vendor == "postgresql":
        reference = (
            f"SELECT DISTINCT ON (a.worker_id) a.location_id{sex} FROM registry_assignment a {join} "
            f"WHERE {where} ORDER BY a.worker_id, {order}"
        )
    else:
        reference = (
            f"SELECT location_id{', sex' if with_sex else ''} FROM (SELECT a.location_id{sex}, "
            f"ROW_NUMBER() OVER (PARTITION BY a.worker_id ORDER BY {order}) AS rank "
            f"FROM registry_assignment a NOT INDEXED {join} WHERE {where}) ranked WHERE rank = 1"
        )
    sums = (
        ", SUM(CASE WHEN sex = 'female' THEN 1 ELSE 0 END) AS female, "
        "SUM(CASE WHEN sex IN ('female', 'male', 'other') THEN 1 ELSE 0 END) AS known"
        if with_sex
        else ""
    )
    totals = (
        ", COALESCE(SUM(per_location.female), 0), COALESCE(SUM(per_location.known), 0)" if with_sex else ""
    )
    sql = f"""
        WITH per_location AS (
            SELECT location_id, COUNT(*) AS workers{sums} FROM ({reference}) r GROUP BY location_id
        )
        SELECT ancestor.code, COALESCE(SUM(per_location.workers), 0){totals}
        FROM geo_location ancestor
        JOIN geo_location below ON below.path LIKE ancestor.path || '%%'
        LEFT JOIN per_location ON per_location.location_id = below.id
        GROUP BY ancestor.code
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"first": first, "last": last})
        if with_sex:
            return {code: (int(n), int(female), int(known)) for code, n, female, known in cursor.fetchall()}
        return {code: int(workers) for code, workers in cursor.fetchall()}


# --- timing ---------------------------------------------------------------------------------------


class NullStream:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def dashboard_client() -> Any:
    """A test client logged in as a national data manager (created in the benchmark database)."""
    from django.test import Client

    from sswis.access.models import Role
    from sswis.access.services import user_create_with_role

    user = user_create_with_role(
        actor=None,
        username="bench-manager",
        password="bench-manager-password",
        role=Role.NATIONAL_DATA_MANAGER,
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def dashboard_get(client: Any, year: int) -> None:
    """Serve the national dashboard for ``year`` through the whole Django stack (middleware, view,
    template), computing its figures: the computed years kept from the request before are dropped
    first (``sswis.indicators.cache``; ``bench/dashboard.py`` times the page with them)."""
    from django.core.cache import caches

    caches["indicators"].clear()
    response = client.get("/", {"year": year})
    if response.status_code != 200:
        raise SystemExit(f"The dashboard answered {response.status_code}.")


def best_of(runs: int, targets: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Every time of each target over ``runs`` rounds. Rounds interleave the targets, so that a passing
    load on the machine does not favour one of them, and each round starts one target later than the
    one before, so that no target always runs right after the same other one."""
    times: dict[str, list[float]] = {label: [] for label in targets}
    labels = list(targets)
    for round_number in range(runs):
        shift = round_number % len(labels)
        for label in labels[shift:] + labels[:shift]:
            started = time.perf_counter()
            targets[label]()
            times[label].append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=200_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument(
        "--repeat",
        type=int,
        default=11,
        help="Rounds; the best and the median time of each are shown (default 11).",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    parser.add_argument(
        "--reuse",
        metavar="URL",
        default="",
        help="Time again on a database kept by --keep (its URL as printed), as it is: no generation, no "
        "load, no migration; it is kept. --workers is then ignored.",
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

    from sswis.demo.generator import country_generate
    from sswis.geo.models import Location
    from sswis.indicators.selectors import (
        COUNT,
        FEMALE_SHARE,
        PER_100K,
        VACANCY_RATE,
        indicators_compute,
    )

    WITHOUT_LICENSED = (COUNT, PER_100K, FEMALE_SHARE, VACANCY_RATE)

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
            with tempfile.TemporaryDirectory(prefix="sswis-bench-template-") as folder:
                started = time.perf_counter()
                generated = country_generate(folder=Path(folder), workers=arguments.workers, last_year=2025)
                generated_in = time.perf_counter() - started
                started = time.perf_counter()
                loaded = load(Path(folder))
                loaded_in = time.perf_counter() - started
            counts = {**generated.counts, **loaded}
            loading = f"generated in {generated_in:.1f} s, loaded in {loaded_in:.1f} s"
        print(
            f"{connection.vendor}: {counts['workers.csv']:,} workers, {counts['assignments.csv']:,} assignments, "
            f"{counts['posts.csv']:,} posts, {counts['locations.csv']} locations, "
            f"{counts['registrations']:,} registrations, {counts['licences']:,} licences "
            f"({loading}); year {arguments.year}"
        )
        country = Location.objects.get(parent=None)
        year = str(arguments.year)
        null = NullStream()
        dashboard = dashboard_client()
        started = time.perf_counter()
        dashboard_get(dashboard, arguments.year)
        dashboard_cold = time.perf_counter() - started
        targets: dict[str, Callable[[], object]] = {
            "sswis indicators --year Y": lambda: call_command("indicators", "--year", year, stdout=null),
            "sswis indicators --year Y --by cadre": lambda: call_command(
                "indicators", "--year", year, "--by", "cadre", stdout=null
            ),
            "indicators_compute(by=('cadre',)) [dashboard]": lambda: indicators_compute(
                year=arguments.year, by=("cadre",)
            ),
            "  the same, without the licensed share": lambda: indicators_compute(
                year=arguments.year, by=("cadre",), indicators=WITHOUT_LICENSED
            ),
            "sswis indicators --year Y --by licensed": lambda: call_command(
                "indicators", "--year", year, "--by", "licensed", stdout=null
            ),
            "national dashboard page, GET / [web]": lambda: dashboard_get(dashboard, arguments.year),
            "limit: one hand-written SQL query": lambda: limit_counts(arguments.year),
            "reference: hand-written query, count + sexes": lambda: limit_counts(
                arguments.year, with_sex=True
            ),
            "reference: hand-written licensed count": lambda: licensed_reference_count(arguments.year),
        }
        samples = best_of(arguments.repeat, targets)
        timings = {label: min(times) for label, times in samples.items()}
        medians = {label: statistics.median(times) for label, times in samples.items()}
        limit, limit_median = (
            timings["limit: one hand-written SQL query"],
            medians["limit: one hand-written SQL query"],
        )
        print(f"  {'':48s} {'best':>9s}      {'ratio':>5s}   {'median':>9s}      {'ratio':>5s}")
        for label, seconds in timings.items():
            print(
                f"  {label:48s} {seconds * 1000:9.1f} ms   {seconds / limit:5.2f}x   "
                f"{medians[label] * 1000:9.1f} ms   {medians[label] / limit_median:5.2f}x"
            )
        ours = {
            row.location: row.numerator
            for row in indicators_compute(year=arguments.year)
            if row.indicator == "workforce.count" and row.group == {}
        }
        expected = limit_counts(arguments.year)
        verdict = "OK" if ours == expected else "MISMATCH"
        print(
            f"  counts of the limit query vs sswis indicators: {verdict} (country: {expected.get('KD')} workers)"
        )
        shares = {
            row.location: (row.numerator, row.denominator)
            for row in indicators_compute(year=arguments.year)
            if row.indicator == "workforce.female_share"
        }
        with_sex = {
            code: (female, known)
            for code, (_, female, known) in limit_counts(arguments.year, with_sex=True).items()
        }
        print(
            f"  female share parts of the reference query vs sswis indicators: {'OK' if shares == with_sex else 'MISMATCH'}"
        )
        licensed = next(
            row.numerator
            for row in indicators_compute(year=arguments.year, location=country, depth=0)
            if row.indicator == "workforce.licensed_share"
        )
        reference = licensed_reference_count(arguments.year)
        print(
            f"  licensed workers of the reference query vs sswis indicators: "
            f"{'OK' if licensed == reference else 'MISMATCH'} ({reference} of {expected.get('KD')})"
        )
        cost = (
            timings["indicators_compute(by=('cadre',)) [dashboard]"]
            / timings["  the same, without the licensed share"]
        )
        print(f"  the licensed share costs {cost:.2f}x the four other indicators (best times, by cadre)")
        page = timings["national dashboard page, GET / [web]"]
        print(
            f"  goal: national dashboard page under 2 s: {'met' if page < 2 else 'NOT met'} "
            f"({page:.2f} s; first request of the process, charts not yet cached: {dashboard_cold:.2f} s)"
        )
        without = "  the same, without the licensed share"
        ratio = timings[without] / limit
        print(
            f"  goal: by cadre, without the licensed share, within 1.5x of the limit (best times): "
            f"{'met' if ratio <= 1.5 else 'NOT met'} ({ratio:.2f}x; medians: {medians[without] / limit_median:.2f}x)"
        )
        licensed_label = "reference: hand-written licensed count"
        floor, floor_median = limit + timings[licensed_label], limit_median + medians[licensed_label]
        for label in ("sswis indicators --year Y", "sswis indicators --year Y --by cadre"):
            ratio = timings[label] / floor
            print(
                f"  goal: {label.removeprefix('sswis indicators --year Y').strip() or 'no --by'} within 1.5x of "
                f"the limit plus the licensed count (best times): {'met' if ratio <= 1.5 else 'NOT met'} "
                f"({ratio:.2f}x; medians: {medians[label] / floor_median:.2f}x)"
            )
    finally:
        if arguments.keep:
            print(f"kept {url}")
        else:
            remove()


if __name__ == "__main__":
    main()
