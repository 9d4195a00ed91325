"""Benchmark: the competency gaps of every district x cadre (``training.gaps.competency_gaps``) against the
2 s goal and against ONE hand-written SQL query doing the same work.

Usage (run by hand)::

    python bench/training_gaps.py [--workers 1000000] [--completions-per-worker 2] [--year 2025] [--repeat 5] [--keep]
    python bench/training_gaps.py --reuse URL [--year 2025] [--repeat 5]   # time again on a kept database

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches that
database itself: on PostgreSQL it creates a throwaway database ``<name>_bench_training_gaps`` on the same
server (dropped at the end unless ``--keep``), on SQLite a temporary file. It migrates it and builds with
bulk SQL (COPY on PostgreSQL, ``executemany`` on SQLite; no services, no history rows):

* a country of 10 regions and 100 districts, one organisation per district, 8 cadres;
* N workers (default 1,000,000) with about 1.2 assignments each (2015-2025; 8% not child protection, 20%
  ended, some transferred: a second assignment at another district), spread over the districts and
  cadres;
* 40 competencies (3 levels each), a framework per cadre with 3 areas and 12 requirements at level 1 or
  2; 60 programmes each building 1 to 4 competencies at level 1 to 3;
* ``--completions-per-worker`` x N completions (default 2,000,000) of programmes on days from 2015 to
  2026 (some after the reference date), and N/10 assessments.

Then it times, over ``--repeat`` interleaved rounds after a warm-up: ``competency_gaps(year=Y,
level="district")`` (every district x cadre x required competency, what the ministry's table asks); the
same for every location; and the limit, ONE hand-written SQL query giving the districts' counted workers
and those having each required competency (reference assignment picked per worker with ``DISTINCT ON``
on PostgreSQL, ``ROW_NUMBER()`` elsewhere; levels held as the highest of completions and assessments on or
before the reference date). It prints the best and the median of each, their ratio to the 2 s goal and to
the limit, and whether the hand-written query's figures equal ``competency_gaps``'s (OK / MISMATCH). For scale, it
also times a plain ``COUNT(*)`` of the completions and prints the machine's load average: on a machine
shared with other work every figure slows down together, and the ratios stay meaningful.
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
GOAL_SECONDS = 2.0
SEED = 20251231
REGIONS, DISTRICTS_PER_REGION, CADRES = 10, 10, 8
COMPETENCIES, PROGRAMMES = 40, 60


def database_prepare(url: str) -> tuple[str, Callable[[], None]]:
    return throwaway_database(url, name=f"{urlsplit(url).path.strip('/') or 'sswis'}_bench_training_gaps")


# --- building ---------------------------------------------------------------------------------------


def reference_rows_build() -> dict[str, list[int]]:
    """The country, its districts, one organisation per district and the cadres, through the models (a
    few hundred rows); returns the district, organisation and cadre ids."""
    from sswis.geo.models import Location
    from sswis.geo.services import location_paths_rebuild
    from sswis.registry.models import Cadre, Organisation

    country = Location.objects.create(code="KD", name="Kandara", level="country")
    districts: list[int] = []
    organisations: list[int] = []
    for region_number in range(REGIONS):
        region = Location.objects.create(
            code=f"R{region_number:02d}", name=f"Region {region_number}", parent=country, level="region"
        )
        for number in range(DISTRICTS_PER_REGION):
            district = Location.objects.create(
                code=f"D{region_number:02d}{number:02d}",
                name=f"District {region_number}-{number}",
                parent=region,
                level="district",
            )
            districts.append(district.pk)
    location_paths_rebuild()
    for district_id in districts:
        organisations.append(
            Organisation.objects.create(
                code=f"O{district_id}",
                name=f"Office {district_id}",
                type="government",
                location_id=district_id,
            ).pk
        )
    cadres = [
        Cadre.objects.create(code=f"C{number}", name=f"Cadre {number}", category="professional").pk
        for number in range(CADRES)
    ]
    return {"districts": districts, "organisations": organisations, "cadres": cadres}


def workers_load(count: int, reference: dict[str, list[int]], rng: random.Random) -> int:
    """``count`` workers and their assignments (module docstring), by COPY; returns the assignments."""
    insert(
        "registry_worker",
        (
            "uuid", "worker_id", "given_name", "family_name", "sex", "birth_date", "disability", "education_level",
            "education_field", "national_id", "phone", "email", "primero_user_name", "created_at", "updated_at",
        ),
        (
            (uuid.uuid4().hex, f"W{index:08d}", f"Given{index}", f"Family{index}", ("female", "male")[index % 2],
             date(1970 + index % 30, 1 + index % 12, 1 + index % 28), "no", "bachelor", "", "", "", "", "", NOW, NOW)
            for index in range(count)
        ),
    )  # fmt: skip
    worker_ids = sorted(ids("registry_worker", key="worker_id").values())
    districts, organisations, cadres = reference["districts"], reference["organisations"], reference["cadres"]
    made = 0

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal made
        for worker_id in worker_ids:
            place = rng.randrange(len(districts))
            cadre = cadres[rng.randrange(len(cadres))]
            start = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
            ended = rng.random() < 0.2
            end = start + timedelta(days=rng.randrange(30, 2000)) if ended else None
            sex = ("female", "male")[worker_id % 2]
            child_protection = rng.random() >= 0.08
            yield (uuid.uuid4().hex, worker_id, organisations[place], districts[place], cadre, None, start, end, True,
                   1, child_protection, "", sex, NOW)  # fmt: skip
            made += 1
            if rng.random() < 0.2:  # transferred: a later assignment at another district
                other = rng.randrange(len(districts))
                later = (end or start) + timedelta(days=rng.randrange(1, 400))
                yield (uuid.uuid4().hex, worker_id, organisations[other], districts[other], cadre, None, later, None,
                       True, 1, True, "", sex, NOW)  # fmt: skip
                made += 1

    insert(
        "registry_assignment",
        ("uuid", "worker_id", "organisation_id", "location_id", "cadre_id", "post_id", "start_date", "end_date",
         "paid", "fte", "child_protection", "exit_reason", "worker_sex", "updated_at"),
        rows(),
    )  # fmt: skip
    return made


def competencies_load(
    reference: dict[str, list[int]], per_worker: float, rng: random.Random
) -> dict[str, int]:
    """Competencies, frameworks, programmes, completions and assessments (module docstring)."""
    insert(
        "training_competency",
        ("code", "name", "description", "levels", "survey_topic"),
        ((f"K{number:02d}", f"Competency {number}", "", 3, "") for number in range(COMPETENCIES)),
    )
    competency = sorted(ids("training_competency").values())
    insert(
        "training_competencyframework",
        ("cadre_id", "name", "created_at", "updated_at"),
        ((cadre, f"Framework {cadre}", NOW, NOW) for cadre in reference["cadres"]),
    )
    frameworks = ids("training_competencyframework", key="cadre_id")
    insert(
        "training_competencyarea",
        ("framework_id", "code", "name", "position"),
        (
            (frameworks[cadre], f"A{area}", f"Area {area}", area)
            for cadre in reference["cadres"]
            for area in range(3)
        ),
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT framework_id, position, id FROM training_competencyarea")
        areas = {(framework, position): pk for framework, position, pk in cursor.fetchall()}
    requirements = []
    for cadre in reference["cadres"]:
        for position, picked in enumerate(rng.sample(competency, 12)):
            requirements.append(
                (areas[(frameworks[cadre], position % 3)], picked, 1 + position % 2, position)
            )
    insert("training_requiredcompetency", ("area_id", "competency_id", "level", "position"), requirements)
    from sswis.training.models import Programme

    # Through the models (60 rows): their defaults are the models' own.
    Programme.objects.bulk_create(
        Programme(code=f"P{number:02d}", name=f"Programme {number}", kind="in_service")
        for number in range(PROGRAMMES)
    )
    programmes = sorted(ids("training_programme").values())
    built = [
        (programme, picked, rng.randint(1, 3))
        for programme in programmes
        for picked in rng.sample(competency, rng.randint(1, 4))
    ]
    insert("training_programmecompetency", ("programme_id", "competency_id", "level"), built)
    worker_ids = sorted(ids("registry_worker", key="worker_id").values())
    total = int(len(worker_ids) * per_worker)
    first = date(2015, 1, 1)

    def completions() -> Iterator[tuple[Any, ...]]:
        for index in range(total):
            worker_id = worker_ids[index % len(worker_ids)]
            # Distinct per worker: the k-th completion of a worker falls in its own year.
            day = first + timedelta(days=365 * (index // len(worker_ids) * 3 % 12) + rng.randrange(360))
            yield (
                uuid.uuid4().hex,
                worker_id,
                programmes[rng.randrange(len(programmes))],
                day,
                "",
                "template",
                NOW,
                NOW,
            )

    insert(
        "training_completion",
        (
            "uuid",
            "worker_id",
            "programme_id",
            "completed_on",
            "certificate_number",
            "source",
            "created_at",
            "updated_at",
        ),
        completions(),
    )
    assessments = len(worker_ids) // 10
    insert(
        "training_competencyassessment",
        ("worker_id", "competency_id", "level", "assessed_on", "assessor", "created_at"),
        (
            (
                rng.choice(worker_ids),
                rng.choice(competency),
                rng.randint(1, 3),
                first + timedelta(days=rng.randrange(4000)),
                "",
                NOW,
            )
            for _ in range(assessments)
        ),
    )
    return {
        "requirements": len(requirements),
        "programme competencies": len(built),
        "completions": total,
        "assessments": assessments,
    }


# --- the limit ------------------------------------------------------------------------------------


def limit_counts(year: int) -> dict[tuple[str, int, int], int]:
    """ONE hand-written query: per district, cadre and required competency (0: the counted workers), the
    counted workers of the cadre at the district and those having the competency at the level required.
    Written independently of ``sswis.training.gaps`` (module docstring)."""
    from django.db import connection

    first, last = date(year, 1, 1), date(year, 12, 31)
    order = "a.start_date DESC, CASE WHEN a.end_date IS NULL OR a.end_date >= %(last)s THEN 0 ELSE 1 END, a.fte DESC, a.id"
    where = (
        "a.child_protection AND a.start_date <= %(last)s AND (a.end_date IS NULL OR a.end_date >= %(first)s)"
    )
    if connection.vendor == "postgresql":
        reference = (
            "SELECT DISTINCT ON (a.worker_id) a.worker_id, a.location_id, a.cadre_id FROM registry_assignment a "
            f"WHERE {where} ORDER BY a.worker_id, {order}"
        )
    else:
        reference = (
            "SELECT worker_id, location_id, cadre_id FROM (SELECT a.worker_id, a.location_id, a.cadre_id, "
            f"ROW_NUMBER() OVER (PARTITION BY a.worker_id ORDER BY {order}) AS rank "
            f"FROM registry_assignment a NOT INDEXED WHERE {where}) ranked WHERE rank = 1"
        )
    sql = f"""
        WITH counted AS ({reference}),
        needed AS (
            SELECT f.cadre_id, q.competency_id, q.level FROM training_requiredcompetency q
            JOIN training_competencyarea ar ON ar.id = q.area_id
            JOIN training_competencyframework f ON f.id = ar.framework_id
        ),
        held AS (
            SELECT worker_id, competency_id, MAX(level) AS level FROM (
                SELECT c.worker_id, b.competency_id, b.level FROM training_completion c
                JOIN training_programmecompetency b ON b.programme_id = c.programme_id WHERE c.completed_on <= %(last)s
                UNION ALL
                SELECT s.worker_id, s.competency_id, s.level FROM training_competencyassessment s
                WHERE s.assessed_on <= %(last)s
            ) sources GROUP BY worker_id, competency_id
        )
        SELECT l.code, counted.cadre_id, 0, COUNT(*) FROM counted JOIN geo_location l ON l.id = counted.location_id
        GROUP BY l.code, counted.cadre_id
        UNION ALL
        SELECT l.code, counted.cadre_id, needed.competency_id, COUNT(*) FROM counted
        JOIN geo_location l ON l.id = counted.location_id
        JOIN needed ON needed.cadre_id = counted.cadre_id
        JOIN held ON held.worker_id = counted.worker_id AND held.competency_id = needed.competency_id
            AND held.level >= needed.level
        GROUP BY l.code, counted.cadre_id, needed.competency_id
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET work_mem = '96MB'")  # as the gaps' own query gets (SORT_MEMORY)
        cursor.execute(sql, {"first": first, "last": last})
        return {(code, cadre, competency): int(count) for code, cadre, competency, count in cursor.fetchall()}


def completions_counted() -> int:
    """A plain count of the completions: how fast this machine reads a table now (a loaded machine reads
    it several times slower than an idle one, and every figure above slows down with it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM training_completion")
        return int(cursor.fetchone()[0])


def floor_reference(year: int) -> int:
    """The first half of the floor: the indicators' reference pick alone, counted per location and cadre (what
    ``sswis indicators --by cadre`` runs; the gaps cannot count the workers faster than this)."""
    from sswis.indicators.computation import aggregate_rows, reference_assignments_sql, reference_parameters
    from sswis.indicators.definitions import reference_period

    reference = reference_assignments_sql(columns=["a.location_id", "a.cadre_id"])
    sql = (
        f"SELECT r.location_id, r.cadre_id, COUNT(*) FROM ({reference}) r GROUP BY r.location_id, r.cadre_id"
    )
    return len(aggregate_rows(sql=sql, parameters=reference_parameters(reference_period(year=year))))


def floor_completions(year: int) -> int:
    """The second half of the floor: the completions up to the reference date folded into one row per worker
    (the least any query must do to know what each worker completed by then)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT worker_id, MAX(programme_id) FROM training_completion "
            "WHERE completed_on <= %s GROUP BY worker_id) w",
            [date(year, 12, 31)],
        )
        return int(cursor.fetchone()[0])


def ours_as_limit(rows: list[Any]) -> dict[tuple[str, int, int], int]:
    """``competency_gaps``'s rows in the limit's terms (cadre and competency ids, 0 for the counted)."""
    from sswis.registry.models import Cadre
    from sswis.training.models_competencies import Competency

    cadre = dict(Cadre.objects.values_list("code", "pk"))
    competency = dict(Competency.objects.values_list("code", "pk"))
    figures: dict[tuple[str, int, int], int] = {}
    for row in rows:
        figures[(row.location, cadre[row.cadre], 0)] = row.counted
        if row.having:
            figures[(row.location, cadre[row.cadre], competency[row.competency])] = row.having
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--completions-per-worker", type=float, default=2.0)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=5, help="Rounds; best and median shown (default 5).")
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
    from django.core.management import call_command
    from django.db import connection, transaction

    from sswis.training.gaps import competency_gaps

    try:
        if not arguments.reuse:
            call_command("migrate", verbosity=0)
            rng = random.Random(SEED)
            started = time.perf_counter()
            with transaction.atomic():
                reference = reference_rows_build()
                assignments = workers_load(arguments.workers, reference, rng)
                counts = competencies_load(reference, arguments.completions_per_worker, rng)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            print(
                f"{connection.vendor}: {arguments.workers:,} workers, {assignments:,} assignments, "
                f"{counts['completions']:,} completions, {counts['assessments']:,} assessments, "
                f"{counts['requirements']} requirements of {CADRES} frameworks, {counts['programme competencies']} "
                f"programme competencies, {REGIONS * DISTRICTS_PER_REGION} districts "
                f"(built in {time.perf_counter() - started:.0f} s); year {arguments.year}"
            )
        year = arguments.year
        targets: dict[str, Callable[[], object]] = {
            "competency_gaps(level='district')": lambda: competency_gaps(year=year, level="district"),
            "competency_gaps() every location": lambda: competency_gaps(year=year),
            "limit: one hand-written SQL query": lambda: limit_counts(year),
            "floor 1: reference pick per location": lambda: floor_reference(year),
            "floor 2: completions folded per worker": lambda: floor_completions(year),
            "reference: COUNT(*) of the completions": completions_counted,
        }
        for target in targets.values():  # warm-up
            target()
        samples = best_of(arguments.repeat, targets)
        best = {label: min(times) for label, times in samples.items()}
        median = {label: statistics.median(times) for label, times in samples.items()}
        limit = best["limit: one hand-written SQL query"]
        print(f"  load average of the machine: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        print(f"  {'':40s} {'best':>9s}  {'/limit':>6s}  {'/2 s':>6s}   {'median':>9s}")
        for label in targets:
            print(
                f"  {label:40s} {best[label] * 1000:7.0f} ms  {best[label] / limit:5.2f}x  "
                f"{best[label] / GOAL_SECONDS:5.2f}x   {median[label] * 1000:7.0f} ms"
            )
        floor = best["floor 1: reference pick per location"] + best["floor 2: completions folded per worker"]
        district = best["competency_gaps(level='district')"]
        print(
            f"  floor (1 + 2, the two reads any answer needs): {floor * 1000:.0f} ms; "
            f"competency_gaps(level='district') is {district / floor:.2f}x the floor"
        )
        ours = ours_as_limit(competency_gaps(year=year, level="district"))
        expected = limit_counts(year)
        print(f"  figures of the limit query vs competency_gaps: {'OK' if ours == expected else 'MISMATCH'}")
        chosen = best["competency_gaps(level='district')"]
        print(
            f"  goal: every district x cadre under {GOAL_SECONDS:.0f} s: {'met' if chosen < GOAL_SECONDS else 'NOT met'} "
            f"({chosen:.2f} s, {chosen / GOAL_SECONDS:.2f}x the goal, {chosen / limit:.2f}x the limit)"
        )
    finally:
        if arguments.keep:
            print(f"kept {url}")
        else:
            remove()


if __name__ == "__main__":
    main()
