"""Benchmark: regulation at national scale: the public register's search by name against the same search
as one hand-written SQL query on the same indexes, and ``sswis regulation_daily`` against one hand-written
UPDATE marking the same lapses.

Usage (run by hand)::

    python bench/regulation.py [--registrations 1000000] [--searches 200] [--repeat 3] [--keep]
    python bench/regulation.py --reuse URL [--searches 200] [--repeat 3]   # time again on a kept database

The database server comes from ``SSWIS_DATABASE_URL`` (unset: SQLite). The benchmark never touches that
database itself: on PostgreSQL it creates a throwaway database ``<name>_bench_regulation`` on the same
server (dropped at the end unless ``--keep``), on SQLite a temporary file. It migrates it and builds with
bulk SQL (no services, no history rows):

* N workers (COPY on PostgreSQL, ``executemany`` on SQLite) with names as a country has them: 30% of the
  family names from the demo's 50 common ones, the most common of them ("Banda") about 1 in 15 people,
  the rest from 30,000 rarer ones; given names likewise (the demo's 89 for 35% of people, 5,000 rarer
  ones); every personal field filled;
* one registration per worker on one of two registers (60/40), with its status history, built by
  ``INSERT ... SELECT`` from the workers: 2% applied, 1% refused (no number), 5% suspended, 10% lapsed,
  3% removed, the rest registered; 1% of them with a change dated after the day searched (the status
  on the day then comes from the history); licences of 2024 and 2025 (lapsed ones: 2023 only).

Then it times ``--searches`` searches by name (default 200) of people drawn at random, as the public
types them: the full name "Given Family" (35%), the family name (30%), its first 3 to 5 letters (15%),
the given name (10%), "Given F" (10%); each one through ``public_register_search`` (what the page and the
API call) and through ONE hand-written SQL query giving the same 20 entries (same conditions, same order,
the same indexes), the two interleaved and alternated, ``--repeat`` rounds after a warm-up round. It
prints p50, p95 and the maximum of each, the ratio of the p95s, whether every search gave the same entries
both ways, and the goals: p95 of the search under 50 ms, within 3x of the hand-written query. A search by
registration number is timed too, for information.
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

from indicators import insert
from throwaway import throwaway_database

DAY = date(2025, 6, 30)
NOW = "2025-06-30 12:00:00+00:00"
P95_GOAL_MS = 50.0
RATIO_GOAL = 3.0
SEED = 20250630


def database_prepare(url: str) -> tuple[str, Callable[[], None]]:
    """The throwaway database on the configured server ("sswis" -> "sswis_bench_regulation"), or an
    SQLite file: ``bench/indicators.py``'s rule under this benchmark's own name."""
    return throwaway_database(url, name=f"{urlsplit(url).path.strip('/') or 'sswis'}_bench_regulation")


# --- names ----------------------------------------------------------------------------------------

SYLLABLES = (
    "ba", "be", "bi", "bo", "bu", "cha", "chi", "da", "di", "du", "fa", "ga", "go", "ha", "ji", "ka", "ke",
    "ki", "ko", "ku", "kwa", "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "mu", "mba", "mbe", "na",
    "ne", "ni", "no", "nu", "nda", "ndu", "nga", "ngo", "nya", "nyo", "pa", "pe", "ra", "ri", "ro", "sa",
    "se", "si", "so", "ta", "te", "ti", "to", "tu", "wa", "we", "ya", "yo", "za", "zi", "zo", "zu",
)  # fmt: skip


def _synthetic(rng: random.Random, count: int, syllables: tuple[int, int]) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        parts = rng.randint(*syllables)
        names.add("".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize())
    return sorted(names)


def _zipf(count: int, exponent: float) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


class NamePool:
    """Names drawn as a country's are distributed: a few very common ones and a long tail (module
    docstring)."""

    def __init__(self, rng: random.Random) -> None:
        from sswis.demo import generator

        common_family = list(generator._FAMILY_NAMES)
        common_given = list(generator._FEMALE_GIVEN_NAMES + generator._MALE_GIVEN_NAMES)
        rare_family = _synthetic(rng, 30_000, (2, 4))
        rare_given = _synthetic(rng, 5_000, (2, 3))
        rng.shuffle(rare_family)  # their frequency must not follow the alphabet
        rng.shuffle(rare_given)
        self.family = common_family + rare_family
        self.given = common_given + rare_given
        self.family_weights = self._weights(len(common_family), 0.30, len(rare_family), 1.0)
        self.given_weights = self._weights(len(common_given), 0.35, len(rare_given), 0.8)
        self.rng = rng

    @staticmethod
    def _weights(common: int, common_share: float, rare: int, rare_exponent: float) -> list[float]:
        first = _zipf(common, 1.0)
        second = _zipf(rare, rare_exponent)
        return [w * common_share / sum(first) for w in first] + [
            w * (1 - common_share) / sum(second) for w in second
        ]

    def draw(self, count: int) -> Iterator[tuple[str, str]]:
        given = self.rng.choices(self.given, self.given_weights, k=count)
        family = self.rng.choices(self.family, self.family_weights, k=count)
        yield from zip(given, family, strict=True)


# --- building ---------------------------------------------------------------------------------------


def workers_load(count: int, rng: random.Random) -> None:
    """``count`` workers with every personal field filled, by COPY (executemany on SQLite)."""
    names = NamePool(rng)
    columns = (
        "uuid", "worker_id", "given_name", "family_name", "sex", "birth_date", "disability",
        "education_level", "education_field", "national_id", "phone", "email", "primero_user_name",
        "created_at", "updated_at",
    )  # fmt: skip

    def rows() -> Iterator[tuple[Any, ...]]:
        for index, (given, family) in enumerate(names.draw(count), start=1):
            yield (
                uuid.uuid4().hex, f"W{index:08d}", given, family, ("female", "male")[index % 2],
                date(1960 + index % 40, 1 + index % 12, 1 + index % 28), "none", "bachelor", "social work",
                f"NID{index:09d}", f"+2609{index:08d}", f"w{index}@example.org", "", NOW, NOW,
            )  # fmt: skip

    insert("registry_worker", columns, rows())


def _days(vendor: str, start: str, offset: str) -> str:
    """The SQL of the day ``offset`` (an integer expression) days after ``start``."""
    if vendor == "postgresql":
        return f"(DATE '{start}' + CAST({offset} AS integer))"
    return f"date('{start}', '+' || ({offset}) || ' days')"


def registrations_build() -> None:
    """Two registers, one registration per worker with its status history and licences (module
    docstring), by INSERT ... SELECT from the workers."""
    from django.db import connection

    vendor = connection.vendor
    bucket = "(w.id % 100)"
    status = (
        f"CASE WHEN {bucket} < 2 THEN 'applied' WHEN {bucket} < 3 THEN 'refused' "
        f"WHEN {bucket} < 8 THEN 'suspended' WHEN {bucket} < 18 THEN 'lapsed' "
        f"WHEN {bucket} < 21 THEN 'removed' ELSE 'registered' END"
    )
    applied = _days(vendor, "2015-01-01", "w.id % 3000")
    registered = _days(vendor, "2015-01-31", "w.id % 3000")
    # The last change: a suspension, lapse or removal in 2024, or (1 in 100 of them) after the day searched.
    later = _days(vendor, "2024-01-01", "w.id % 360")
    future = _days(vendor, "2025-07-01", "w.id % 100")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO regulation_regulatorybody (code, name, currency, appeal_days, created_at, updated_at) "
            "VALUES ('SSC', 'Social Service Council', 'USD', 30, %s, %s)",
            [NOW, NOW],
        )
        cursor.execute("SELECT id FROM regulation_regulatorybody WHERE code = 'SSC'")
        body = cursor.fetchone()[0]
        for code, name in (("SW-REG", "Social workers"), ("PSW-REG", "Para-social workers")):
            cursor.execute(
                "INSERT INTO regulation_register (body_id, code, name, minimum_education, exam_required, "
                "licence_validity, licence_months, renewal_month, renewal_day, cpd_points_per_cycle, "
                "cpd_required_categories, renewal_fee, late_fine, grace_days, restoration_fee, created_at, "
                "updated_at) VALUES (%s, %s, %s, '', false, 'fixed_date', 12, 1, 1, 0, '[]', 0, 0, 0, 0, %s, %s)",
                [body, code, name, NOW, NOW],
            )
        cursor.execute("SELECT code, id FROM regulation_register")
        registers = dict(cursor.fetchall())
        numbered = f"{bucket} >= 3"
        cursor.execute(
            f"""
            INSERT INTO regulation_registration (register_id, worker_id, number, applied_on, registered_on,
                status, status_since, documents_checked, created_at, updated_at)
            SELECT CASE WHEN w.id % 5 < 3 THEN {registers["SW-REG"]} ELSE {registers["PSW-REG"]} END, w.id,
                CASE WHEN {numbered} THEN (CASE WHEN w.id % 5 < 3 THEN 'SW-' ELSE 'PSW-' END) || w.id ELSE '' END,
                {applied}, CASE WHEN {numbered} THEN {registered} END, {status},
                CASE WHEN {bucket} < 3 THEN {applied}
                     WHEN {bucket} < 21 THEN (CASE WHEN w.id % 1000 < 10 THEN {future} ELSE {later} END)
                     ELSE {registered} END,
                {"true" if vendor == "postgresql" else "1"}, '{NOW}', '{NOW}'
            FROM registry_worker w
            """  # no parameters: % is the modulo
        )
        # The history: applied, then registered (or refused), then the last change when there is one.
        cursor.execute(
            "INSERT INTO regulation_registrationstatuschange (registration_id, status, since, reason, "
            "created_at) SELECT id, 'applied', applied_on, '', %s FROM regulation_registration",
            [NOW],
        )
        cursor.execute(
            "INSERT INTO regulation_registrationstatuschange (registration_id, status, since, reason, "
            "created_at) SELECT id, CASE WHEN status = 'refused' THEN 'refused' ELSE 'registered' END, "
            "COALESCE(registered_on, status_since), '', %s FROM regulation_registration "
            "WHERE status <> 'applied'",
            [NOW],
        )
        cursor.execute(
            "INSERT INTO regulation_registrationstatuschange (registration_id, status, since, reason, "
            "created_at) SELECT id, status, status_since, '', %s FROM regulation_registration "
            "WHERE status IN ('suspended', 'lapsed', 'removed')",
            [NOW],
        )
        # Licences: 2024 and 2025 for registered and suspended ones, 2023 for lapsed ones.
        for year, statuses in (
            (2023, "'lapsed'"),
            (2024, "'registered', 'suspended'"),
            (2025, "'registered', 'suspended'"),
        ):
            cursor.execute(
                "INSERT INTO regulation_licence (registration_id, number, valid_from, valid_until, created_at, "
                f"updated_at) SELECT id, '', %s, %s, %s, %s FROM regulation_registration WHERE status IN ({statuses})",
                [date(year, 1, 1), date(year, 12, 31), NOW, NOW],
            )
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")


# --- the searches -----------------------------------------------------------------------------------


def queries_drawn(count: int, rng: random.Random) -> list[str]:
    """``count`` searches by name of people drawn at random, typed as the public types them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM registry_worker")
        last = cursor.fetchone()[0]
        ids = rng.sample(range(1, last + 1), count)
        listed = ", ".join(map(str, ids))
        cursor.execute(f"SELECT id, given_name, family_name FROM registry_worker WHERE id IN ({listed})")
        people = {pk: (given, family) for pk, given, family in cursor.fetchall()}
    queries = []
    for pk in ids:
        given, family = people[pk]
        kind = rng.random()
        if kind < 0.35:
            queries.append(f"{given} {family}")
        elif kind < 0.65:
            queries.append(family)
        elif kind < 0.80:
            queries.append(family[: rng.randint(3, 5)])
        elif kind < 0.90:
            queries.append(given)
        else:
            queries.append(f"{given} {family[0]}")
    return queries


def _prefix(text: str) -> str:
    """A LIKE pattern for the beginning ``text`` (upper case; ``\\``, ``%`` and ``_`` escaped)."""
    return text.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def hand_written(query: str, day: date) -> list[tuple[Any, ...]]:
    """The public register's search by name as ONE hand-written SQL query on the same indexes (the name
    keys of regulation migration 0003): each way of matching reads its index range in order, 20 rows at
    most; people matched by family name first, then those matched by given name only; the same
    conditions, the same 20 rows, the same order as ``public_register_search``."""
    from django.db import connection

    collation = '"C"' if connection.vendor == "postgresql" else "BINARY"
    family_key = f"(UPPER(w.family_name) COLLATE {collation})"
    given_key = f"(UPPER(w.given_name) COLLATE {collation})"
    term = query.strip()
    parts = term.split()
    parameters: dict[str, Any] = {"day": day, "term": _prefix(term)}
    escape = "ESCAPE '\\'"
    by_family = [f"{family_key} LIKE %(term)s {escape}"]
    if len(parts) >= 2:
        parameters |= {"first": _prefix(parts[0]), "rest": _prefix(" ".join(parts[1:]))}
        by_family.append(f"{given_key} LIKE %(first)s {escape} AND {family_key} LIKE %(rest)s {escape}")
    by_given = f"{given_key} LIKE %(term)s {escape} AND NOT ({' OR '.join(f'({c})' for c in by_family)})"
    history = (
        "(SELECT c.{column} FROM regulation_registrationstatuschange c WHERE c.registration_id = r.id "
        "AND c.since <= %(day)s ORDER BY c.since DESC, c.id DESC LIMIT 1)"
    )
    status = f"CASE WHEN r.status_since <= %(day)s THEN r.status ELSE {history.format(column='status')} END"
    since = (
        f"CASE WHEN r.status_since <= %(day)s THEN r.status_since ELSE {history.format(column='since')} END"
    )

    def branch(group: int, condition: str, order: str) -> str:
        return f"""SELECT * FROM (
            SELECT {group} AS grp, r.id, w.given_name, w.family_name, g.name, r.number, {status} AS status_on,
                {since} AS since_on,
                (SELECT l.valid_until FROM regulation_licence l WHERE l.registration_id = r.id
                 AND l.valid_from <= %(day)s ORDER BY l.valid_from DESC LIMIT 1) AS valid_until,
                {family_key} AS family_key, {given_key} AS given_key, r.worker_id
            FROM regulation_registration r
            JOIN registry_worker w ON w.id = r.worker_id
            JOIN regulation_register g ON g.id = r.register_id
            WHERE r.registered_on <= %(day)s AND {condition}
              AND {status} IN ('registered', 'suspended', 'lapsed', 'removed')
            ORDER BY {order}, r.worker_id, r.id LIMIT 20) b{group}"""

    branches = [branch(0, condition, f"{family_key}, {given_key}") for condition in by_family]
    branches.append(branch(len(branches), by_given, f"{given_key}, {family_key}"))
    last = len(branches) - 1
    sql = f"""
        SELECT grp, id, given_name, family_name, name, number, status_on, since_on, valid_until
        FROM ({" UNION ALL ".join(branches)}) found
        ORDER BY grp = {last}, CASE WHEN grp = {last} THEN given_key ELSE family_key END,
            CASE WHEN grp = {last} THEN family_key ELSE given_key END, worker_id, id
        LIMIT 20
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    unique, seen = [], set()
    for row in rows:  # a registration both ways of matching by family name (rare): once
        if row[1] not in seen:
            seen.add(row[1])
            unique.append(row[1:])
    return unique


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def searches_time(queries: list[str], repeat: int) -> tuple[dict[str, list[float]], int]:
    """Every time (seconds) of each query both ways over ``repeat`` rounds after a warm-up round, the two
    alternating which goes first; and how many queries gave different entries."""
    from sswis.regulation.public import public_register_search

    times: dict[str, list[float]] = {"search": [], "hand": []}
    mismatches = 0
    for round_number in range(repeat + 1):
        for index, query in enumerate(queries):
            runs: list[tuple[str, Callable[[], Any]]] = [
                ("search", lambda q=query: public_register_search(query=q, day=DAY)),
                ("hand", lambda q=query: hand_written(q, DAY)),
            ]
            if (index + round_number) % 2:
                runs.reverse()
            results = {}
            for label, run in runs:
                started = time.perf_counter()
                results[label] = run()
                elapsed = time.perf_counter() - started
                if round_number:  # the first round warms the caches up
                    times[label].append(elapsed)
            if round_number == 0:
                ours = [(e.name, e.register, e.number, e.status, e.valid_until) for e in results["search"]]
                theirs = [
                    (f"{g} {f}", reg, num, st, until) for _, g, f, reg, num, st, _s, until in results["hand"]
                ]
                mismatches += ours != theirs
    return times, mismatches


# --- sswis regulation_daily ---------------------------------------------------------------------------


DAILY_DAY = date(2025, 10, 9)  # after every change the data dates ahead (1 July to 8 October 2025)
DAILY_GOAL = 3.0


def regulation_daily_time(repeat: int) -> None:
    """Time ``sswis regulation_daily``'s work (``regulation_daily_run``: statuses dated ahead, lapses,
    reminders) on ``DAILY_DAY`` against ONE hand-written UPDATE marking the same lapses, each in a
    transaction rolled back, alternated, ``repeat`` rounds after a warm-up. To have lapses to mark, the
    2025 licences of 5% of the workers' registrations (those registered) are removed first: their last
    licence ended on 31 December 2024, so they lapse from 2 January 2025 (grace 0)."""
    from django.db import connection, transaction

    from sswis.regulation.daily import regulation_daily_run

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM regulation_licence WHERE valid_from = %s AND registration_id IN (SELECT r.id FROM "
            "regulation_registration r WHERE r.status = 'registered' AND r.worker_id %% 100 BETWEEN 21 AND 25)",
            [date(2025, 1, 1)],
        )
        cursor.execute("ANALYZE" if connection.vendor != "postgresql" else "ANALYZE regulation_licence")
    base = "CASE WHEN MAX(l.valid_until) > r.status_since THEN MAX(l.valid_until) ELSE r.status_since END"
    plus = (
        (lambda days: f"({base} + {days})")
        if connection.vendor == "postgresql"
        else (lambda days: f"date({base}, '+{days} days')")
    )
    hand = (
        "UPDATE regulation_registration SET status = 'lapsed', status_since = due.since, updated_at = %(now)s "
        f"FROM (SELECT r.id, {plus(2)} AS since FROM regulation_registration r "
        "JOIN regulation_licence l ON l.registration_id = r.id WHERE r.status = 'registered' AND NOT EXISTS "
        "(SELECT 1 FROM regulation_registrationstatuschange c WHERE c.registration_id = r.id AND c.since > %(day)s) "
        f"GROUP BY r.id, r.status_since HAVING {plus(2)} <= %(day)s) due "
        "WHERE due.id = regulation_registration.id"
    )

    def ours() -> int:
        return regulation_daily_run(day=DAILY_DAY).lapsed

    def limit() -> int:
        with connection.cursor() as cursor:
            cursor.execute(hand, {"day": DAILY_DAY, "now": NOW})
            return int(cursor.rowcount)

    times: dict[str, list[float]] = {"ours": [], "hand": []}
    counts: dict[str, set[int]] = {"ours": set(), "hand": set()}
    for round_number in range(repeat + 1):
        for label, run in (
            (("ours", ours), ("hand", limit)) if round_number % 2 == 0 else (("hand", limit), ("ours", ours))
        ):
            with transaction.atomic():
                started = time.perf_counter()
                counts[label].add(run())
                elapsed = time.perf_counter() - started
                transaction.set_rollback(True)
            if round_number:  # the first round warms up
                times[label].append(elapsed)
    best_ours, best_hand = min(times["ours"]), min(times["hand"])
    print(
        f"  sswis regulation_daily on {DAILY_DAY.isoformat()}: lapses {sorted(counts['ours'])} (hand-written: {sorted(counts['hand'])})"
    )
    print(
        f"  {'regulation_daily_run(day)':44s} best {best_ours * 1000:9.1f} ms   median {statistics.median(times['ours']) * 1000:9.1f} ms"
    )
    print(
        f"  {'limit: one hand-written UPDATE':44s} best {best_hand * 1000:9.1f} ms   median {statistics.median(times['hand']) * 1000:9.1f} ms"
    )
    ratio = best_ours / best_hand
    print(
        f"  goal: within {DAILY_GOAL:.0f}x of the hand-written UPDATE: {'met' if ratio <= DAILY_GOAL else 'NOT met'} ({ratio:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=200, help="Searches by name (default 200).")
    parser.add_argument("--repeat", type=int, default=3, help="Timed rounds over the searches (default 3).")
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    parser.add_argument(
        "--reuse",
        metavar="URL",
        default="",
        help="Time again on a database kept by --keep (its URL as printed), as it is: no building, no "
        "migration; it is kept. --registrations is then ignored.",
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
    from django.db import connection, transaction

    from sswis.regulation.public import public_register_search

    rng = random.Random(SEED)
    try:
        if arguments.reuse:
            building = "reused"
        else:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            with transaction.atomic():
                workers_load(arguments.registrations, rng)
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            registrations_build()
            building = f"workers loaded in {loaded:.1f} s, registrations built in {time.perf_counter() - started:.1f} s"
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM regulation_registration")
            registrations = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM regulation_licence")
            licences = cursor.fetchone()[0]
        print(
            f"{connection.vendor}: {registrations:,} registrations, {licences:,} licences ({building}); "
            f"searched on {DAY.isoformat()}"
        )
        queries = queries_drawn(arguments.searches, random.Random(SEED + 1))
        times, mismatches = searches_time(queries, arguments.repeat)
        search_p95 = percentile(times["search"], 0.95)
        hand_p95 = percentile(times["hand"], 0.95)
        print(f"  {len(queries)} searches by name x {arguments.repeat} rounds")
        print(f"  {'':44s} {'p50':>9s}      {'p95':>9s}      {'max':>9s}      {'p95 ratio':>9s}")
        for label, name in (
            ("search", "public_register_search(query=name)"),
            ("hand", "limit: one hand-written SQL query"),
        ):
            samples = times[label]
            print(
                f"  {name:44s} {statistics.median(samples) * 1000:9.1f} ms   {percentile(samples, 0.95) * 1000:9.1f} ms   "
                f"{max(samples) * 1000:9.1f} ms   {percentile(samples, 0.95) / hand_p95:9.2f}x"
            )
        slowest = sorted(zip(times["search"], queries * arguments.repeat, strict=True), reverse=True)[:5]
        print(
            "  slowest searches: "
            + ", ".join(f"{query!r} {seconds * 1000:.1f} ms" for seconds, query in slowest)
        )
        print(
            f"  entries of the search vs the hand-written query: {'OK' if not mismatches else f'MISMATCH in {mismatches}'}"
        )
        numbers = [
            f"SW-{pk}" for pk in rng.sample(range(1, registrations + 1), 50) if pk % 5 < 3 and pk % 100 >= 3
        ]
        number_times = []
        for number in numbers:
            started = time.perf_counter()
            public_register_search(query=number.lower(), day=DAY)
            number_times.append(time.perf_counter() - started)
        if number_times:
            print(
                f"  search by registration number [info]: p50 {statistics.median(number_times) * 1000:.1f} ms, "
                f"p95 {percentile(number_times, 0.95) * 1000:.1f} ms ({len(number_times)} numbers)"
            )
        ratio = search_p95 / hand_p95
        print(
            f"  goal: p95 of the search by name under {P95_GOAL_MS:.0f} ms: "
            f"{'met' if search_p95 * 1000 < P95_GOAL_MS else 'NOT met'} ({search_p95 * 1000:.1f} ms); "
            f"within {RATIO_GOAL:.0f}x of the hand-written query: {'met' if ratio <= RATIO_GOAL else 'NOT met'} ({ratio:.2f}x)"
        )
        regulation_daily_time(arguments.repeat)
    finally:
        if arguments.keep:
            print(f"kept {url}")
        else:
            remove()


if __name__ == "__main__":
    main()
