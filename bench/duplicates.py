"""Benchmark and evaluation of duplicate detection: precision, recall, time and peak memory.

Usage (run by hand)::

    python bench/duplicates.py [--workers 100000] [--share 0.02] [--threshold P] [--keep]

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite); the benchmark works in a throwaway
database on it (``<name>_bench_duplicates``, dropped at the end unless ``--keep``). It builds, with bulk SQL
(COPY on PostgreSQL), a country of 100 districts and N workers whose names are drawn from 400 given and
3,000 family names made of syllables plus real names (with diacritics: Nguyễn, Traoré, Ouédraogo...),
birth dates over 45 years, a national id for 92%, a phone for 85%, an e-mail for half, and one assignment
each (a current one for 85%). Then it plants ``--share`` of N known duplicates: a second record of an
existing worker with one or two realistic errors each:

* a spelling variant of the given name (Mohamed/Mohammed/Muhammad, Fatuma/Fatma...) or a one-letter typo;
* the family name without its diacritics (Nguyễn -> Nguyen);
* given and family names swapped;
* no national id; no phone; a different e-mail or none;
* the birth date's day and month swapped, or one digit mistyped;
* another current location (a transfer recorded as a new person).

It also plants one pair of twins per 1,000 workers (same family name, birth date and location, different given names,
national ids and phones) that must NOT be proposed. It then runs ``sswis duplicates find --train`` as a
child process at the default threshold (or ``--threshold``), and prints the run's time, the child's peak
resident memory, the pairs found, precision and recall against the planted truth, and the ratio to the
goals (precision >= 0.98, recall >= 0.95, 1,000,000 workers under 120 s).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fhir_search import names
from indicators import ids, insert
from throwaway import throwaway_database

NOW = "2025-06-30 12:00:00+00:00"
SEED = 20261207
GOALS = {"precision": 0.98, "recall": 0.95, "seconds for 1,000,000": 120.0}
REAL_GIVEN = (
    "Mohamed",
    "Fatuma",
    "Josephine",
    "Emmanuel",
    "Aisha",
    "Ibrahim",
    "Thérèse",
    "Espérance",
    "José",
)
REAL_FAMILY = ("Nguyễn", "Traoré", "Ouédraogo", "Diallo", "Ng'ang'a", "Müller", "Hoàng", "Sesay", "Kéita")
VARIANTS = {
    "Mohamed": ("Mohammed", "Muhammad", "Mohammad"),
    "Fatuma": ("Fatma", "Fatouma"),
    "Josephine": ("Josefine", "Josephina"),
    "Emmanuel": ("Emanuel", "Immanuel"),
    "Aisha": ("Aicha", "Ayesha"),
    "Ibrahim": ("Ibraheem", "Ebrahim"),
}
ERRORS = ("spelling", "diacritics", "swapped", "national_id", "birth_date", "phone", "location")


def _typo(rng: random.Random, name: str) -> str:
    """One realistic keying error: a letter doubled, dropped, or two neighbours exchanged."""
    if len(name) < 4:
        return name + name[-1]
    position = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return name[:position] + name[position] + name[position:]
    if kind == 1:
        return name[:position] + name[position + 1 :]
    return name[:position] + name[position + 1] + name[position] + name[position + 2 :]


def _birth_error(rng: random.Random, born: date) -> date:
    if born.day <= 12 and born.day != born.month and rng.random() < 0.6:
        return date(born.year, born.day, born.month)
    digit = born.day % 10
    replacement = (digit + rng.choice((1, -1))) % 10
    day = born.day - digit + replacement
    try:
        return (
            born.replace(day=day)
            if 1 <= day <= 28
            else born.replace(day=born.day + 1 if born.day < 28 else 27)
        )
    except ValueError:
        return born.replace(day=1)


def build(count: int, share: float, rng: random.Random) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The country and its workers (module docstring); returns the planted duplicate pairs and twin pairs
    as (primary key, primary key), smaller first."""
    from sswis.geo.models import Location
    from sswis.geo.services import location_paths_rebuild
    from sswis.registry.models import Cadre, Organisation

    country = Location.objects.create(code="KD", name="Kandara", level="country")
    districts: list[int] = []
    for region_number in range(10):
        region = Location.objects.create(
            code=f"R{region_number:02d}", name=f"Region {region_number}", parent=country, level="region"
        )
        for number in range(10):
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
        Organisation.objects.create(code=f"O{d}", name=f"Office {d}", type="government", location_id=d).pk
        for d in districts
    ]
    cadre = Cadre.objects.create(code="C1", name="Social worker", category="professional", isco08="2635").pk
    given = [*names(400, rng, (2, 3)), *REAL_GIVEN]
    family = [*names(3000, rng, (2, 4)), *REAL_FAMILY]
    people: list[dict[str, Any]] = []
    for index in range(count):
        person_given, person_family = rng.choice(given), rng.choice(family)
        people.append(
            {
                "worker_id": f"W{index:08d}",
                "given": person_given,
                "family": person_family,
                "sex": rng.choice(("female", "male")),
                "born": date(1960, 1, 1) + timedelta(days=rng.randrange(45 * 365)),
                "national_id": f"{rng.randrange(10**11, 10**12)}" if rng.random() < 0.92 else "",
                "phone": f"07{rng.randrange(10**8):08d}" if rng.random() < 0.85 else "",
                "email": f"{person_given.lower()}.{index}@example.org" if rng.random() < 0.5 else "",
                "place": rng.randrange(len(districts)),
                "current": rng.random() < 0.85,
            }
        )
    planted: list[tuple[int, int]] = []  # (index of the original, index of the copy)
    for original_index in rng.sample(range(count), int(count * share)):
        original = people[original_index]
        copy = dict(original, worker_id=f"D{len(people):08d}", email="")
        for error in rng.sample(ERRORS, rng.choice((1, 2))):
            if error == "spelling":
                if rng.random() < 0.5:
                    original["given"] = copy["given"] = rng.choice(list(VARIANTS))
                    copy["given"] = rng.choice(VARIANTS[original["given"]])
                else:
                    copy["given"] = _typo(rng, original["given"])
            elif error == "diacritics":
                original["family"] = rng.choice(REAL_FAMILY)
                copy["family"] = original["family"].replace("ễ", "e").replace("é", "e").replace("à", "a")
                copy["family"] = copy["family"].replace("ü", "u").replace("'", "")
            elif error == "swapped":
                copy["given"], copy["family"] = original["family"], original["given"]
            elif error == "national_id":
                copy["national_id"] = ""
            elif error == "birth_date":
                copy["born"] = _birth_error(rng, original["born"])
            elif error == "phone":
                copy["phone"] = ""
            else:
                copy["place"] = (original["place"] + 1 + rng.randrange(len(districts) - 1)) % len(districts)
                copy["current"] = True
        planted.append((original_index, len(people)))
        people.append(copy)
    twins: list[tuple[int, int]] = []
    for twin_index in rng.sample(range(count), max(20, count // 1000)):
        first = people[twin_index]
        other = rng.choice([name for name in given if name != first["given"]])
        twin = dict(
            first,
            worker_id=f"T{len(people):08d}",
            given=other,
            national_id=f"{rng.randrange(10**11, 10**12)}" if first["national_id"] else "",
            phone=f"07{rng.randrange(10**8):08d}" if first["phone"] else "",
            email="",
        )
        twins.append((twin_index, len(people)))
        people.append(twin)
    insert(
        "registry_worker",
        ("uuid", "worker_id", "given_name", "family_name", "sex", "birth_date", "disability", "education_level",
         "education_field", "national_id", "phone", "email", "primero_user_name", "created_at", "updated_at"),
        ((uuid.uuid4().hex, p["worker_id"], p["given"], p["family"], p["sex"], p["born"], "no", "bachelor", "",
          p["national_id"], p["phone"], p["email"], "", NOW, NOW) for p in people),
    )  # fmt: skip
    key_of = ids("registry_worker", key="worker_id")

    def assignments() -> Iterator[tuple[Any, ...]]:
        for person in people:
            start = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
            end = None if person["current"] else start + timedelta(days=rng.randrange(30, 300))
            yield (uuid.uuid4().hex, key_of[person["worker_id"]], organisations[person["place"]],
                   districts[person["place"]], cadre, None, start, end, True, 1, True, "", person["sex"], NOW)  # fmt: skip

    insert(
        "registry_assignment",
        ("uuid", "worker_id", "organisation_id", "location_id", "cadre_id", "post_id", "start_date", "end_date",
         "paid", "fte", "child_protection", "exit_reason", "worker_sex", "updated_at"),
        assignments(),
    )  # fmt: skip

    def keyed(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
        result = set()
        for left, right in pairs:
            a, b = key_of[people[left]["worker_id"]], key_of[people[right]["worker_id"]]
            result.add((min(a, b), max(a, b)))
        return result

    return keyed(planted), keyed(twins)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument(
        "--share", type=float, default=0.02, help="Share of planted duplicates (default 0.02)."
    )
    parser.add_argument("--threshold", default="", help="Match probability (default: the command's).")
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    parser.add_argument("--weights", action="store_true", help="Print the trained model's match weights.")
    arguments = parser.parse_args()
    source = os.environ.get("SSWIS_DATABASE_URL", "")
    url, remove = throwaway_database(
        source, name=f"{urlsplit(source).path.strip('/') or 'sswis'}_bench_duplicates"
    )
    os.environ["SSWIS_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.base")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    from sswis.duplicates.models import CandidatePair, DuplicateRun

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        with transaction.atomic():
            truth, twins = build(arguments.workers, arguments.share, random.Random(SEED))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        total = arguments.workers + len(truth) + len(twins)
        print(
            f"{connection.vendor}: {total:,} workers with {len(truth):,} planted duplicates and "
            f"{len(twins)} pairs of twins (built in {time.perf_counter() - started:.0f} s)"
        )
        connections.close_all()
        command = [sys.executable, "-m", "sswis", "duplicates", "find", "--train", "--format", "text"]
        if arguments.threshold:
            command += ["--threshold", arguments.threshold]
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=os.environ)
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        run = DuplicateRun.objects.order_by("-id").first()
        assert run is not None
        found = set(CandidatePair.objects.filter(run=run).values_list("worker_a_id", "worker_b_id"))
        right = len(found & truth)
        precision = right / len(found) if found else 0.0
        recall = right / len(truth) if truth else 0.0
        print(f"threshold {run.threshold}; model trained in {run.model.seconds if run.model else 0:.1f} s")
        print(
            f"time: {seconds:.1f} s for {total:,} workers (training included); peak memory {peak_mb:,.0f} MB"
        )
        print(f"pairs proposed: {len(found):,}; planted found: {right:,} of {len(truth):,}; "
              f"twins proposed: {len(found & twins)} of {len(twins)}")  # fmt: skip
        print(
            f"precision {precision:.4f} (goal {GOALS['precision']}, ratio {precision / GOALS['precision']:.3f})"
        )
        print(f"recall    {recall:.4f} (goal {GOALS['recall']}, ratio {recall / GOALS['recall']:.3f})")
        if total >= 1_000_000:
            print(f"time ratio to the goal: {seconds / GOALS['seconds for 1,000,000']:.2f} (lower is better)")
        if run.model is not None and arguments.weights:
            from sswis.duplicates.selectors import model_weights

            for comparison in model_weights(model=run.model):
                print(
                    f"  {comparison['comparison']}: "
                    + "; ".join(
                        f"{level['level']} {level['match_weight']:+.1f}" for level in comparison["levels"]
                    )
                )
        for pair in (
            CandidatePair.objects.filter(run=run).select_related("worker_a", "worker_b").order_by("id")
        ):
            if (pair.worker_a_id, pair.worker_b_id) not in truth:
                print(
                    f"  wrongly proposed ({pair.probability:.3f}): {pair.worker_a} | {pair.worker_b}: "
                    + ", ".join(f"{k} {v['level']} {v['match_weight']:+.1f}" for k, v in pair.reasons.items())
                )
                break
        missed = sorted(truth - found)[:5]
        if missed:
            from sswis.registry.models import Worker

            by_key = Worker.objects.in_bulk([key for pair in missed for key in pair])
            for left, right_key in missed:
                a, b = by_key[left], by_key[right_key]
                print(f"  missed: {a.given_name} {a.family_name} {a.birth_date} {a.national_id or '-'} | "
                      f"{b.given_name} {b.family_name} {b.birth_date} {b.national_id or '-'}")  # fmt: skip
    finally:
        if not arguments.keep:
            remove()
        else:
            print(f"kept: {url}")


if __name__ == "__main__":
    main()
