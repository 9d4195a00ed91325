"""Benchmark: 50 concurrent users on the production stack (gunicorn, the background worker, PostgreSQL)
against the goals of no error and a p95 under 500 ms, and the stack's memory against 450 MB.

Usage (run by hand, never in CI; PostgreSQL only)::

    python bench/load.py --database postgres://postgres@127.0.0.1:5432/test_bench_fhir_history
    python bench/load.py [--workers 20000]     # a throwaway database on SSWIS_DATABASE_URL's server

``--database`` takes a kept benchmark database (``bench/fhir_history.py --keep``: 1,000,000 workers);
it is migrated, never emptied. Without it a throwaway database ``<name>_bench_load`` is made on the
server of ``SSWIS_DATABASE_URL`` with ``bench/fhir_search.py``'s ``build`` (N workers) and dropped at
the end (unless ``--keep``).

What it does:

1. Prepares, with the production settings (``sswis.settings.production``: ``DEBUG`` off, a random
   ``SSWIS_SECRET_KEY``, ``SSWIS_ALLOWED_HOSTS=127.0.0.1``, WhiteNoise's manifest, so the static files
   are collected into a temporary ``SSWIS_DATA_DIR``): the migrations, the national data manager
   ``bench-national`` (made if missing) with a session (its cookie) and an API token, and names and
   name fragments drawn from the database.
2. Starts ``gunicorn --config python:sswis.gunicorn_config --workers 2 --bind 127.0.0.1:PORT sswis.wsgi``
   and ``sswis db_worker --skip-checks`` (as ``compose.yaml`` does, with 2 web workers instead of 4 on this
   2-core machine): the master preloads the application (every view, the chart libraries), forks the
   one chart renderer (and its keeper), which draws every worker's charts, and forks the workers. ``--no-preload`` runs them as before this config
   existed (plain ``gunicorn``, ``db_worker`` with its system checks), for comparison. It waits until the
   login page answers, and warms up: every route a few times, one at a time.
3. Runs ``locust --headless -u 50 -r 10 --run-time 60s`` with ``bench/load_users.py`` (the national
   dashboard, the worker list's pages and filters, worker search by name fragment, FHIR search
   ``name:contains`` with ``_count=20`` and a token, the public register), 127.0.0.1 only.
4. While it runs, samples every half second the resident memory (RSS) and the proportional set size
   (PSS: shared pages divided among the processes sharing them) of the gunicorn master and workers,
   the background worker, and the PostgreSQL cluster (the postmaster, its auxiliary processes, parallel
   query workers and the backends connected to this database: other databases' backends belong to other
   work), and splits PSS into the shared memory segment (PostgreSQL's shared buffers), private pages, and
   the share of other shared pages (libraries; a gunicorn worker's pages still shared with the master).

It prints per route the requests, the failures, the median and the p95; the overall p95 against 500 ms;
the errors; the peak of each part's memory by kind and of the whole against 450 MB, and each process's
peak PSS by what it is (master, worker, backend, parallel worker...). The goal is read on PSS:
RSS counts PostgreSQL's shared buffers (and the pages gunicorn's workers share with the master after
``--preload``) once in every process that touched them, so their sum overstates what the stack holds.
The load average is printed before and after (on a shared machine every figure slows down together).

The public register's rate limit (30 searches a minute per address) is raised for the run: every
simulated member of the public comes from 127.0.0.1, where in life they come from many addresses.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import os
import random
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import psutil

from cluster import DEFAULT_PORT, cluster_copy, cluster_processes
from fhir_search import SEED, build
from throwaway import throwaway_database

GOAL_P95_MS = 500
GOAL_MEMORY_MB = 450
BENCH = Path(__file__).resolve().parent
MB = 1024 * 1024


def prepare(*, url: str, workers: int, fresh: bool) -> dict[str, str]:
    """Migrate (and build if ``fresh``), collect the static files, make the personas; the locust users'
    environment (session cookie, token, names)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from knox.models import AuthToken

    from sswis.access.models import Role
    from sswis.access.services import user_scope_grant
    from sswis.geo.models import Location
    from sswis.registry.models import Cadre, Worker
    from sswis.regulation.models import Registration

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.0f} s")
    if fresh:
        started = time.perf_counter()
        with transaction.atomic():
            made = build(workers, random.Random(SEED))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"built {made['workers']:,} workers in {time.perf_counter() - started:.0f} s")
    call_command("collectstatic", interactive=False, verbosity=0)
    user = get_user_model().objects.filter(username="bench-national").first()
    if user is None:
        user = get_user_model().objects.create_user(
            username="bench-national", password=secrets.token_urlsafe()
        )
        user_scope_grant(actor=None, user=user, role=Role.NATIONAL_DATA_MANAGER)
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Expires by itself: a kept database (the lead's) keeps no live token of this run.
    _, token = AuthToken.objects.create(user=user, expiry=timedelta(hours=1))
    rng = random.Random(SEED)
    # Names of the people on a register (the public register shows only them) and fragments of names:
    # the first three letters of family names (a prefix for the worker search, a substring for FHIR).
    registered = list(
        Registration.objects.order_by("pk").values_list("worker__family_name", flat=True)[:5000]
    )
    family = sorted(set(Worker.objects.order_by("pk").values_list("family_name", flat=True)[:20000]))
    fragments = sorted({name[:3].lower() for name in family if len(name) >= 3})
    locations = list(Location.objects.filter(level="district").values_list("code", flat=True))
    cadres = list(Cadre.objects.values_list("code", flat=True))
    connection.close()
    return {
        "SSWIS_LOAD_SESSION": session,
        "SSWIS_LOAD_TOKEN": token,
        "SSWIS_LOAD_FRAGMENTS": ",".join(rng.sample(fragments, min(40, len(fragments)))),
        "SSWIS_LOAD_PUBLIC_NAMES": ",".join(
            rng.sample(sorted(set(registered)), min(40, len(set(registered))))
        ),
        "SSWIS_LOAD_LOCATIONS": ",".join(locations[:20]),
        "SSWIS_LOAD_CADRES": ",".join(cadres),
    }


def postgres_processes(database: str, postmaster: psutil.Process | None) -> list[psutil.Process]:
    """The server's postmaster, its auxiliary processes, and the backends connected to ``database`` (other
    databases' backends are other work on a shared server; other servers' processes are not counted)."""
    if postmaster is None:
        return []
    try:
        children = postmaster.children()
    except psutil.NoSuchProcess:
        return []
    found = [postmaster]
    for process in children:
        try:
            command = " ".join(process.cmdline())
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        backend = "127.0.0.1(" in command or "[local]" in command or "::1(" in command
        if backend and f" {database} " not in f"{command} ":
            continue
        found.append(process)
    return found


def server_postmaster(url: str) -> psutil.Process | None:
    """The postmaster of the PostgreSQL server of ``url`` (from its data directory's ``postmaster.pid``),
    or ``None`` when it is not readable here."""
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SHOW data_directory").fetchone()
    if row is None:
        return None
    try:
        pid = int((Path(row[0]) / "postmaster.pid").read_text(encoding="utf-8").split()[0])
        return psutil.Process(pid)
    except (OSError, IndexError, ValueError, TypeError, psutil.NoSuchProcess):
        return None


def tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


# Kinds of memory each sample adds up, per part (MB): RSS and PSS; and PSS split into the shared memory
# segment (PostgreSQL's shared buffers and other shared structures: the mapping of /dev/zero, SysV or
# /dev/shm), the process's private pages (its heap: Python objects, a backend's sort and hash memory, the
# chart engine) and the rest (pages shared with other processes: libraries, a gunicorn worker's pages
# still shared with the master).
KINDS = ("rss", "pss", "pss_shared_memory", "private", "pss_other_shared")
SHARED_MEMORY = ("/dev/zero", "/SYSV", "/dev/shm/")


def process_memory(process: psutil.Process) -> dict[str, float]:
    """One process's memory in MB by kind (``KINDS``), from its mappings (``/proc/PID/smaps``)."""
    totals = dict.fromkeys(KINDS, 0.0)
    for mapping in process.memory_maps(grouped=True):
        private = (mapping.private_clean + mapping.private_dirty) / MB
        totals["rss"] += mapping.rss / MB
        totals["pss"] += mapping.pss / MB
        totals["private"] += private
        if mapping.path.startswith(SHARED_MEMORY):
            totals["pss_shared_memory"] += mapping.pss / MB - private
    totals["pss_other_shared"] = totals["pss"] - totals["private"] - totals["pss_shared_memory"]
    return totals


class MemorySampler(threading.Thread):
    """Samples the parts' memory every ``period`` seconds (``KINDS``), keeping each part's peak of each
    kind, the peak of the sums (taken at the same instant), the most processes a part had, and each
    process's peak PSS under a label (``label`` names a part's processes: master, worker, backend...)."""

    def __init__(
        self,
        parts: dict[str, Callable[[], list[psutil.Process]]],
        label: Callable[[str, psutil.Process], str],
        period: float = 0.5,
    ) -> None:
        super().__init__(daemon=True)
        self.parts, self.label, self.period = parts, label, period
        self.stopped = threading.Event()
        self.peak: dict[tuple[str, str], float] = {}
        self.processes: dict[str, int] = {}
        self.each: dict[tuple[str, str, int], float] = {}
        self.samples = 0

    def sample(self) -> None:
        totals = dict.fromkeys(KINDS, 0.0)
        for part, processes in self.parts.items():
            sums = dict.fromkeys(KINDS, 0.0)
            counted = 0
            for process in processes():
                try:
                    memory = process_memory(process)
                    name = self.label(part, process)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                counted += 1
                key = (part, name, process.pid)
                self.each[key] = max(self.each.get(key, 0.0), memory["pss"])
                for kind in KINDS:
                    sums[kind] += memory[kind]
            self.processes[part] = max(self.processes.get(part, 0), counted)
            for kind, value in sums.items():
                self.peak[(part, kind)] = max(self.peak.get((part, kind), 0.0), value)
                totals[kind] += value
        for kind, value in totals.items():
            self.peak[("whole stack", kind)] = max(self.peak.get(("whole stack", kind), 0.0), value)
        self.samples += 1

    def run(self) -> None:
        while not self.stopped.is_set():
            self.sample()
            self.stopped.wait(self.period)


def cpu_seconds(parts: dict[str, Callable[[], list[psutil.Process]]]) -> dict[str, float]:
    """Each part's CPU time so far (user and system, seconds): its live processes, and the children its
    first process (gunicorn's master, the postmaster) has reaped: a worker replaced after ``max_requests``,
    a backend whose connection ended. On a shared PostgreSQL server the postmaster's reaped children
    include other databases' backends; the private server (``--cluster``) has no other work."""
    totals = {}
    for part, processes in parts.items():
        total = 0.0
        for index, process in enumerate(processes()):
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                times = process.cpu_times()
                total += times.user + times.system
                if index == 0:  # the part's first process (gunicorn's master, the postmaster) reaped the rest
                    total += times.children_user + times.children_system
        totals[part] = total
    return totals


def process_label(part: str, process: psutil.Process) -> str:
    """What a process of a part is: gunicorn's master, a worker, the chart renderer or its keeper
    (``sswis.presentation.chart_renderer``: the keeper is the master's child that has a child);
    PostgreSQL's postmaster, an auxiliary process (checkpointer, background writer...), a parallel query
    worker or a backend (a connection)."""
    if part.startswith("web"):
        depth, parent = 0, process.parent()
        while parent is not None and "gunicorn" in " ".join(parent.cmdline()):
            depth, parent = depth + 1, parent.parent()
        if depth == 0:
            return "master"
        if depth == 2:
            return "chart renderer"
        return "chart keeper" if process.children() else "worker"
    if part.startswith("PostgreSQL"):
        command = " ".join(process.cmdline())
        if not command.startswith("postgres:"):
            return "postmaster"
        if "parallel worker" in command:
            return "parallel worker"
        if "127.0.0.1(" in command or "[local]" in command or "::1(" in command:
            return "backend"
        return command.split(":")[-1].strip() or "auxiliary"
    return "process"


def memory_report(sampler: MemorySampler, idle: dict[tuple[str, str], float]) -> None:
    """Print each part's peak memory by kind (idle before the load in brackets), each kind of process's
    peak PSS, and the whole stack against the goal."""
    print(f"  memory, peak of {sampler.samples} samples (idle before the load in brackets), MB:")
    headings = ("RSS", "PSS", "PSS shm", "private", "PSS shared")
    print(f"  {'part':40s} " + " ".join(f"{heading:>14s}" for heading in headings))
    for part in [*sampler.parts, "whole stack"]:
        cells = " ".join(
            f"{sampler.peak[(part, kind)]:6.0f} {'(' + format(idle.get((part, kind), 0), '.0f') + ')':>7s}"
            for kind in KINDS
        )
        print(f"  {part:40s} {cells}")
    print("  (PSS shm: the shared memory segment, PostgreSQL's shared buffers; private: pages no other")
    print("  process maps; PSS shared: this part's share of the other shared pages, libraries, and the pages")
    print("  gunicorn's workers still share with the master)")
    print("  peak PSS of each process (MB):")
    for part in sampler.parts:
        by_label: dict[str, list[float]] = {}
        for (owner, name, _pid), value in sampler.each.items():
            if owner == part:
                by_label.setdefault(name, []).append(value)
        described = ", ".join(
            f"{name} {' + '.join(f'{value:.0f}' for value in sorted(values, reverse=True)[:6])}"
            + (f" (+{len(values) - 6} more)" if len(values) > 6 else "")
            for name, values in sorted(by_label.items())
        )
        print(f"    {part} (at most {sampler.processes.get(part, 0)} processes): {described}")
    whole = sampler.peak[("whole stack", "pss")]
    print(
        f"  goal: the whole stack under {GOAL_MEMORY_MB} MB (read on PSS): "
        f"{'met' if whole < GOAL_MEMORY_MB else 'NOT met'} ({whole:.0f} MB, {whole / GOAL_MEMORY_MB:.2f}x the goal;"
        f" RSS summed {sampler.peak[('whole stack', 'rss')]:.0f} MB counts shared pages once per process)"
    )


def wait_until_up(base: str, web: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if web.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit code {web.returncode}): is the port free?")
        try:
            with urllib.request.urlopen(f"{base}/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def warm_up(host: str, environment: dict[str, str], rounds: int = 4) -> dict[str, float]:
    """Every route of ``bench/load_users.py`` ``rounds`` times, one at a time (both workers get some); the
    best time of each, in seconds: a request alone, without the load's queue."""
    session = {"Cookie": f"sessionid={environment['SSWIS_LOAD_SESSION']}"}
    token = {"Authorization": f"Token {environment['SSWIS_LOAD_TOKEN']}"}
    fragment = environment["SSWIS_LOAD_FRAGMENTS"].split(",")[0]
    public_name = environment["SSWIS_LOAD_PUBLIC_NAMES"].split(",")[0]
    routes = [
        ("/", session),
        ("/workers/", session),
        (f"/workers/?q={fragment}", session),
        (f"/fhir/Practitioner?name:contains={fragment}&_count=20", token),
        (f"/register/?q={public_name}", {}),
    ]
    best: dict[str, float] = {}
    for _ in range(rounds):
        for path, headers in routes:
            request = urllib.request.Request(
                f"{host}{path}", headers={"X-Forwarded-Proto": "https", **headers}
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=120) as response:
                assert response.status == 200, (path, response.status)
                response.read()
            best[path] = min(best.get(path, float("inf")), time.perf_counter() - started)
    return best


def sessions_closed(url: str, database: str, seconds: float = 30) -> None:
    """Wait until the stopped processes' PostgreSQL backends are gone (so the throwaway database drops)."""
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            row = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database]
            ).fetchone()
            if row is None or row[0] == 0:
                return
            time.sleep(0.5)


def report(prefix: Path) -> bool:
    """Print locust's figures per route and overall; whether both goals (no error, p95) are met."""
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    print(f"  {'route':48s} {'requests':>8s} {'failures':>8s} {'median':>8s} {'p95':>8s} {'max':>8s}")
    for row in rows:
        label = "all routes" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"  {label:48s} {int(row['Request Count']):8,d} {int(row['Failure Count']):8,d} "
            f"{float(row['Median Response Time']):5.0f} ms {float(row['95%']):5.0f} ms {float(row['Max Response Time']):6.0f} ms"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    p95, failures = float(total["95%"]), int(total["Failure Count"])
    slowest = max((row for row in rows if row["Name"] != "Aggregated"), key=lambda row: float(row["95%"]))
    print(f"  throughput: {float(total['Requests/s']):.1f} requests/s")
    print(
        f"  goal: p95 under {GOAL_P95_MS} ms: {'met' if p95 < GOAL_P95_MS else 'NOT met'} "
        f"(p95 {p95:.0f} ms, {p95 / GOAL_P95_MS:.2f}x the goal; slowest route {slowest['Name']}, "
        f"p95 {slowest['95%']} ms)"
    )
    with open(f"{prefix}_failures.csv", newline="") as handle:
        errors = list(csv.DictReader(handle))
    print(f"  goal: no error: {'met' if failures == 0 else 'NOT met'} ({failures} failed requests)")
    for error in errors:
        print(f"    {error['Occurrences']} x {error['Method']} {error['Name']}: {error['Error'][:200]}")
    return failures == 0 and p95 < GOAL_P95_MS


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", metavar="URL", default="", help="A kept PostgreSQL database to load.")
    parser.add_argument("--workers", type=int, default=20_000, help="Workers of the throwaway database.")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--run-time", default="60s")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    parser.add_argument(
        "--cluster",
        metavar="DIR",
        default="",
        help="Serve --database from a private PostgreSQL server in DIR with compose.yaml's settings "
        "(bench/cluster.py; the database is copied into it the first time), and count that whole server "
        "as the stack's PostgreSQL.",
    )
    parser.add_argument("--cluster-port", type=int, default=DEFAULT_PORT)
    parser.add_argument(
        "--no-preload",
        action="store_true",
        help="Run gunicorn without sswis.gunicorn_config and db_worker with its system checks, as before "
        "(for comparison).",
    )
    arguments = parser.parse_args()
    cluster = Path(arguments.cluster).resolve() if arguments.cluster else None
    if cluster is not None and not arguments.database:
        parser.error("--cluster serves a kept database: give --database too")
    if arguments.database:
        url, remove = arguments.database, lambda: None
        if cluster is not None:
            started = time.perf_counter()
            url = cluster_copy(url, cluster, port=arguments.cluster_port)
            print(
                f"private PostgreSQL server {cluster} ready in {time.perf_counter() - started:.0f} s: {url}"
            )
    else:
        base = os.environ.get("SSWIS_DATABASE_URL", "")
        if not base.startswith(("postgres://", "postgresql://")):
            parser.error("the load test runs on PostgreSQL: give --database or a postgres SSWIS_DATABASE_URL")
        url, remove = throwaway_database(base, name=f"{urlsplit(base).path.strip('/') or 'sswis'}_bench_load")
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("the load test runs on PostgreSQL")
    database = urlsplit(url).path.strip("/")
    data = Path(tempfile.mkdtemp(prefix="sswis-load-"))
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sswis.settings.production",
        "SSWIS_SECRET_KEY": secrets.token_urlsafe(50),
        "SSWIS_ALLOWED_HOSTS": "127.0.0.1",
        "SSWIS_DATABASE_URL": url,
        "SSWIS_SECURE_SSL_REDIRECT": "0",
        "SSWIS_DATA_DIR": str(data),
        "SSWIS_LOG_LEVEL": "WARNING",
        "SSWIS_PUBLIC_REGISTER_RATE": "100000/m",
    }
    os.environ.update(environment)
    sys.path.insert(0, str(BENCH.parent / "src"))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        environment.update(prepare(url=url, workers=arguments.workers, fresh=not arguments.database))
        binaries = Path(sys.executable).parent
        host = f"http://127.0.0.1:{arguments.port}"
        web = subprocess.Popen(
            [str(binaries / "gunicorn"), *([] if arguments.no_preload else ["--config", "python:sswis.gunicorn_config"]),
             "--workers", "2", "--bind", f"127.0.0.1:{arguments.port}", "--log-level", "warning", "sswis.wsgi"],
            env=environment, start_new_session=True,
        )  # fmt: skip
        processes.append(web)
        background = subprocess.Popen(
            [str(binaries / "sswis"), "db_worker", *([] if arguments.no_preload else ["--skip-checks"])],
            env=environment,
            start_new_session=True,
        )
        processes.append(background)
        wait_until_up(host, web)
        started = time.perf_counter()
        alone = warm_up(host, environment)
        print(f"warmed up in {time.perf_counter() - started:.0f} s; one request alone, best of 4:")
        for path, seconds in alone.items():
            print(f"  {path[:70]:70s} {seconds * 1000:7.0f} ms")
        postgres_part: dict[str, Callable[[], list[psutil.Process]]] = (
            {
                "PostgreSQL (private server, compose.yaml's settings)": functools.partial(
                    cluster_processes, cluster
                )
            }
            if cluster is not None
            else {
                "PostgreSQL (cluster, this database)": functools.partial(
                    postgres_processes, database, server_postmaster(url)
                )
            }
        )
        sampler = MemorySampler(
            {
                "web (gunicorn master + 2 workers)": lambda: tree(web.pid),
                "background worker (db_worker)": lambda: tree(background.pid),
                **postgres_part,
            },
            process_label,
        )
        sampler.sample()
        idle = dict(sampler.peak)
        print(
            f"load average before: {' '.join(f'{value:.2f}' for value in os.getloadavg())} ({os.cpu_count()} cores)"
        )
        cpu_before = cpu_seconds(sampler.parts)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        sampler.start()
        prefix = data / "locust"
        started = time.perf_counter()
        subprocess.run(
            [str(binaries / "locust"), "-f", str(BENCH / "load_users.py"), "--headless", "-u", str(arguments.users),
             "-r", str(arguments.spawn_rate), "--run-time", arguments.run_time, "--host", host,
             "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            env=environment, check=True,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_after = cpu_seconds(sampler.parts)
        sampler.stopped.set()
        sampler.join()
        load = os.getloadavg()
        print(f"\n{arguments.users} users ({arguments.spawn_rate}/s), {elapsed:.0f} s, database {database}")
        print(f"load average after: {' '.join(f'{value:.2f}' for value in load)} ({os.cpu_count()} cores)")
        met = report(prefix)
        locust_cpu = (children_after.ru_utime + children_after.ru_stime) - (
            children_before.ru_utime + children_before.ru_stime
        )
        print(f"  CPU used during the run, of {elapsed * (os.cpu_count() or 1):.0f} core-seconds:")
        for part, seconds in cpu_after.items():
            print(f"    {part:60s} {seconds - cpu_before.get(part, 0.0):6.1f} s")
        print(f"    {'locust (the load generator, not the stack)':60s} {locust_cpu:6.1f} s")
        memory_report(sampler, idle)
        if not met:
            print("  the load goals are NOT all met")
    finally:
        # Each started in its own process group: the group goes, gunicorn's workers with their master.
        for process in reversed(processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(data, ignore_errors=True)
        if arguments.keep or arguments.database:
            print(f"kept {url}")
        else:
            sessions_closed(url, database)
            remove()


if __name__ == "__main__":
    main()
