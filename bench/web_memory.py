"""Benchmark: the web server's memory once every worker has drawn charts (docs/load.md, "Memory").

Usage (by hand; SQLite, nothing else needed; about a minute)::

    python bench/web_memory.py [--port 8790] [--data-dir DIR] [--country-workers 60]

1. Makes the demo country (``sswis demo --workers 60``) in a SQLite database in ``--data-dir`` (a temporary
   directory unless given; kept and reused when given), and a session of its analyst.
2. Starts ``gunicorn --config python:sswis.gunicorn_config --workers 2 --bind 127.0.0.1:PORT sswis.wsgi``
   with ``sswis.settings.base`` on it (whatever ``sswis`` is on ``PYTHONPATH``: set it to an older checkout's
   ``src`` to measure that one), waits for the login page, then 5 s more (engines starting).
3. Asks for the national dashboard in six languages, six requests at a time, until each worker has
   answered one (a worker's first dashboard draws its charts; later ones come from its cache), three
   rounds at least.
4. Prints each process of the server (master, workers, the chart renderer and its keeper, if any): its
   threads, its PSS (shared pages divided among the processes sharing them), private memory and RSS, from
   ``/proc/PID/smaps_rollup``; and the total PSS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

PREPARE = """
import django

django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

if not get_user_model().objects.filter(username="analyst").exists():
    call_command("demo", workers={workers}, verbosity=0)
settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
client = Client()
client.force_login(get_user_model().objects.get(username="analyst"))
print(client.cookies[settings.SESSION_COOKIE_NAME].value)
"""
LANGUAGES = ("en", "fr", "ar", "pt", "sw", "es")


def memory(pid: int) -> dict[str, float]:
    """``/proc/PID/smaps_rollup`` in MB by field (``Pss``, ``Rss``, ``Private_Dirty``...)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        values[key] = int(value.split()[0]) / 1024
    return values


def label(process: psutil.Process, master: int) -> str:
    if process.pid == master:
        return "master"
    if process.ppid() != master:
        return "chart renderer"
    return "chart keeper" if process.children() else "worker"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--country-workers", type=int, default=60)
    arguments = parser.parse_args()
    data = arguments.data_dir or Path(tempfile.mkdtemp(prefix="sswis-web-memory-"))
    data.mkdir(parents=True, exist_ok=True)
    environment = {key: value for key, value in os.environ.items() if key != "SSWIS_DATABASE_URL"}
    environment.update({"DJANGO_SETTINGS_MODULE": "sswis.settings.base", "SSWIS_DATA_DIR": str(data)})
    prepared = subprocess.run(
        [sys.executable, "-c", PREPARE.format(workers=arguments.country_workers)],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    session = prepared.stdout.strip().splitlines()[-1]
    access_log = data / f"access-{arguments.port}.log"
    access_log.unlink(missing_ok=True)
    base = f"http://127.0.0.1:{arguments.port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            "python:sswis.gunicorn_config",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{arguments.port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(s)s %(U)s",
            "sswis.wsgi",
        ],
        env=environment,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def dashboard(language: str) -> int:
        cookie = f"sessionid={session}; sswis_language={language}"
        request = urllib.request.Request(f"{base}/", headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=120) as response:
            return int(response.status)

    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/login/", timeout=30):
                    break
            except OSError:
                time.sleep(0.5)
        time.sleep(5)
        rounds, served = 0, set()
        while rounds < 3 or len(served) < 2:
            with ThreadPoolExecutor(max_workers=len(LANGUAGES)) as pool:
                statuses = list(pool.map(dashboard, LANGUAGES))
            assert statuses == [200] * len(LANGUAGES), statuses
            rounds += 1
            served = {line.split()[0] for line in access_log.read_text().splitlines() if line.endswith(" /")}
        time.sleep(2)
        master = psutil.Process(server.pid)
        total = 0.0
        print(f"{'process':<15} {'pid':>7} {'threads':>7} {'PSS MB':>7} {'private':>7} {'RSS':>7}")
        for process in [master, *master.children(recursive=True)]:
            values = memory(process.pid)
            private = values["Private_Clean"] + values["Private_Dirty"]
            total += values["Pss"]
            print(
                f"{label(process, server.pid):<15} {process.pid:>7} {process.num_threads():>7} "
                f"{values['Pss']:>7.1f} {private:>7.1f} {values['Rss']:>7.1f}"
            )
        print(f"total PSS {total:.1f} MB ({rounds} rounds of {len(LANGUAGES)} dashboards)")
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
