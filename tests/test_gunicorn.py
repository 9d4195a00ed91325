"""The web server's settings (``sswis.gunicorn_config``): the master preloads the application and forks
its workers, and every worker still draws charts.

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
from pathlib import Path

import psutil
import pytest

from sswis import gunicorn_config

ROOT = Path(__file__).resolve().parents[1]


def environment(data: Path) -> dict[str, str]:
    """The embedded set-up (SQLite in ``data``), whatever database the tests run on: the server only
    serves the login page here, which reads no table."""
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


@pytest.mark.skipif(not Path(sys.executable).with_name("gunicorn").exists(), reason="gunicorn not installed")
def test_gunicorn_with_the_config_serves_from_workers_that_have_started_their_chart_engine(
    tmp_path: Path,
) -> None:
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            "python:sswis.gunicorn_config",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "sswis.wsgi",
        ],
        env=environment(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        answered = 0
        while answered < 6:
            assert server.poll() is None, server.stderr.read().decode()[-3000:] if server.stderr else ""
            assert time.monotonic() < deadline, "gunicorn did not answer"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=30) as response:
                    assert response.status == 200
                    answered += 1
            except OSError:
                time.sleep(0.5)
        workers = psutil.Process(server.pid).children()
        assert len(workers) == 2
        # Each worker started its chart engine after the fork (its threads exist), so none is hung.
        while not all(worker.num_threads() > 1 for worker in workers):
            assert time.monotonic() < deadline, [worker.num_threads() for worker in workers]
            time.sleep(0.5)
        # The master runs no thread of its own at any time (no engine, no control socket).
        assert psutil.Process(server.pid).num_threads() == 1
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
