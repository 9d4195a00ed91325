"""The web server's settings (``sswis.gunicorn_config``): the master preloads the application and forks
its workers, and one renderer process draws every worker's charts.

The risk is a hang, not an error: a thread running in the master at the fork (the chart engine's, or one
holding the import lock) leaves a child blocked at its first import or chart. So the application is
preloaded for real here, in a child process, and a real gunicorn is started with the config.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest

from sswis import gunicorn_config

ROOT = Path(__file__).resolve().parents[1]


def environment(data: Path) -> dict[str, str]:
    """The embedded set-up (SQLite in ``data``), whatever database the tests run on: the server is a
    separate process, which cannot see the tests' database."""
    values = {key: value for key, value in os.environ.items() if key != "SSWIS_DATABASE_URL"}
    return {**values, "DJANGO_SETTINGS_MODULE": "sswis.settings.base", "SSWIS_DATA_DIR": str(data)}


def test_the_config_preloads_with_a_frozen_heap_and_bounds_each_workers_life() -> None:
    assert gunicorn_config.preload_app is True
    assert gunicorn_config.max_requests > 0
    assert 0 < gunicorn_config.max_requests_jitter < gunicorn_config.max_requests
    assert callable(gunicorn_config.when_ready)
    assert callable(gunicorn_config.post_fork)


def test_the_preloaded_application_runs_no_thread_and_a_forked_child_draws_a_chart(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import os, signal, sys, threading

        from sswis.gunicorn_config import when_ready

        import sswis.wsgi  # what gunicorn's preload_app imports in the master

        when_ready(None)
        assert "sswis.web.views.dashboard" in sys.modules, "the views are not preloaded"
        assert "altair" in sys.modules and "vl_convert" in sys.modules, "the chart libraries are not preloaded"
        # Only the main thread: nothing holds a lock or runs an engine across the fork.
        assert threading.active_count() == 1, threading.enumerate()
        assert len(os.listdir("/proc/self/task")) == 1, os.listdir("/proc/self/task")
        child = os.fork()
        if child == 0:
            signal.alarm(120)  # a hang ends the child with SIGALRM, which the parent reports
            from sswis.presentation.charts import Bar, bar_chart_svg

            svg = bar_chart_svg(title="t", bars=[Bar(label="a", value=2.0, text="2")], axis_title="x")
            os._exit(0 if svg.startswith("<svg") else 3)
        _, status = os.waitpid(child, 0)
        sys.exit(os.waitstatus_to_exitcode(status))
        """
    )
    finished = subprocess.run(
        [sys.executable, "-c", script],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


PREPARE = """
import django

django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

call_command("demo", workers=12, verbosity=0)
settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
client = Client()
client.force_login(get_user_model().objects.get(username="analyst"))
print(client.cookies[settings.SESSION_COOKIE_NAME].value)
"""


def engine_threads(process: psutil.Process) -> list[str]:
    """The names of ``process``'s chart engine threads (V8's and its Rust runtime's)."""
    names = [
        Path(f"/proc/{process.pid}/task/{task}/comm").read_text().strip()
        for task in os.listdir(f"/proc/{process.pid}/task")
    ]
    return [name for name in names if name.startswith(("V8", "tokio"))]


@pytest.mark.skipif(not Path(sys.executable).with_name("gunicorn").exists(), reason="gunicorn not installed")
def test_gunicorn_with_the_config_draws_every_workers_charts_in_one_renderer(tmp_path: Path) -> None:
    # The demo country (a small one) on SQLite in tmp_path, and an analyst's session for its dashboard.
    prepared = subprocess.run(
        [sys.executable, "-c", PREPARE],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert prepared.returncode == 0, prepared.stderr[-3000:]
    session = prepared.stdout.strip().splitlines()[-1]
    port = free_port()
    access_log = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            "python:sswis.gunicorn_config",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(s)s %(U)s",
            "sswis.wsgi",
        ],
        env=environment(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )

    def dashboard(language: str) -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"Cookie": f"sessionid={session}; sswis_language={language}"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
            html = response.read().decode()
        assert html.count("<svg") >= 2, html[:2000]

    try:
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, server.stderr.read().decode()[-3000:] if server.stderr else ""
            assert time.monotonic() < deadline, "gunicorn did not answer"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=30) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        master = psutil.Process(server.pid)
        # Dashboards asked two at a time until each worker has drawn its charts (a worker's first dashboard
        # is drawn, not taken from its cache).
        served: set[str] = set()
        languages = ["en", "fr", "ar", "pt", "sw", "es"]
        while len(served) < 2:
            assert time.monotonic() < deadline, served
            with ThreadPoolExecutor(max_workers=2) as pool:
                list(pool.map(dashboard, languages))
            lines = access_log.read_text().split("\n") if access_log.exists() else []
            served = {line.split()[0] for line in lines if line.endswith(" 200 /")}
        children = master.children()
        workers = [child for child in children if f"<{child.pid}>" in served]
        keepers = [child for child in children if child not in workers]
        assert len(workers) == 2 and len(keepers) == 1, (served, children)
        renderers = keepers[0].children()
        assert len(renderers) == 1
        # The renderer runs the one chart engine; the workers drew their charts without one of their own.
        assert engine_threads(renderers[0]) != []
        for worker in workers:
            assert engine_threads(worker) == []
            assert worker.num_threads() == 1
        # The master runs no thread of its own at any time (no engine, no control socket).
        assert master.num_threads() == 1
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
