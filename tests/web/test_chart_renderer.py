"""One renderer process draws the charts of a whole web server (``sswis.presentation.chart_renderer``).

The renderer is forked, and a process that has run the chart engine cannot fork a working one (its threads
do not survive the fork): every test that starts a renderer does so in a fresh Python process, as the web
server's master does, and reports back on its standard output.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psutil
import pytest

from sswis.presentation import chart_renderer

ROOT = Path(__file__).resolve().parents[2]
BAD = "Social\u0010worker\x00\ud800\t\nend"  # text the engine aborts on unless made safe

# Draws one chart of each kind (with text that must be made safe) and the engine's refusal of a broken one.
DRAW = f"""
from sswis.presentation import chart_renderer, charts
from sswis.presentation.charts import Area, Bar, Point, _bar_chart, _map, _trend_chart

def draw():
    bad = {BAD!r}
    locale = json.dumps(charts.chart_number_locale())
    square = json.dumps({{"type": "Polygon", "coordinates": [[[30, -10], [31, -10], [31, -11], [30, -11], [30, -10]]]}})
    drawn = [
        _bar_chart((Bar(bad, 3.0, "3"), Bar("Volunteer", 1.5, "1.5")), bad, False, locale),
        _bar_chart((Bar("Volunteer", 1.5, "1,5"),), "Travailleurs", True, locale),
        _trend_chart((Point(2024, 0.25, "25%"), Point(2025, None, ""), Point(2026, 0.5, "50%")), bad, True, False, locale),
        _map(((bad, square, 2.0, "2"), ("North", square.replace("30", "32"), None, "")), bad, False, locale),
    ]
    for cache in (_bar_chart, _trend_chart, _map):
        cache.cache_clear()
    try:
        chart_renderer.svg(spec={{"mark": "nonsense", "data": {{"values": [{{"a": 1}}]}}}}, locale="{{}}")
    except ValueError as error:
        drawn.append("refused: " + str(error).splitlines()[0])
    return drawn

def renderer_of(keeper):
    deadline = time.monotonic() + 30
    while not keeper.children():  # the keeper forks its renderer just after it starts
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return keeper.children()[0].pid

def engine_threads():
    names = [Path(f"/proc/self/task/{{task}}/comm").read_text().strip() for task in os.listdir("/proc/self/task")]
    return [name for name in names if name.startswith(("V8", "tokio"))]
"""


def run(body: str) -> dict[str, object]:
    """Run ``body`` in a fresh Python process with Django set up; it prints one JSON object last."""
    script = "import json, os, signal, sys, time\nfrom pathlib import Path\nimport django\ndjango.setup()\n"
    script += textwrap.dedent(DRAW) + textwrap.dedent(body)
    environment = {key: value for key, value in os.environ.items() if key != "SSWIS_DATABASE_URL"}
    environment["DJANGO_SETTINGS_MODULE"] = "sswis.settings.base"
    finished = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=240, cwd=ROOT
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    result: dict[str, object] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


def test_the_renderer_draws_byte_for_byte_what_this_process_draws_and_stop_ends_it() -> None:
    result = run(
        """
        path = chart_renderer.start()
        keeper = chart_renderer._keeper
        directory = os.path.dirname(path)
        mode = os.stat(directory).st_mode & 0o777
        through_renderer = draw()
        threads_then = engine_threads()  # none: the renderer drew, this process started no engine
        renderers = [child.pid for child in __import__("psutil").Process(keeper).children()]
        chart_renderer.stop()
        time.sleep(1.5)
        in_process = draw()  # no renderer configured any more: this process's own engine
        print(json.dumps({
            "mode": mode, "renderer": through_renderer, "in_process": in_process, "threads_then": threads_then,
            "threads_now": engine_threads(), "renderers": renderers, "directory_left": os.path.exists(directory),
            "keeper_ended": os.waitpid(keeper, os.WNOHANG)[0] == keeper,
        }))
        """
    )
    assert result["mode"] == 0o700
    assert result["threads_then"] == []
    assert result["threads_now"] != []
    assert result["renderer"] == result["in_process"]
    drawn = result["renderer"]
    assert isinstance(drawn, list) and len(drawn) == 5
    assert all(svg.startswith("<svg") and "\ufffd" in svg for svg in drawn[:1] + drawn[2:4])
    assert drawn[4].startswith("refused: Vega-Lite to SVG conversion failed")
    assert isinstance(result["renderers"], list) and len(result["renderers"]) == 1
    assert result["directory_left"] is False
    assert result["keeper_ended"] is True
    assert not psutil.pid_exists(result["renderers"][0])


def test_a_killed_renderer_is_replaced_and_both_processes_end_with_their_parent() -> None:
    result = run(
        """
        import psutil

        path = chart_renderer.start()
        keeper = psutil.Process(chart_renderer._keeper)
        first = renderer_of(keeper)
        before = draw()
        os.kill(first, signal.SIGKILL)
        # Sent while no renderer runs: the keeper holds the socket, so it waits for the next renderer.
        after = draw()
        second = renderer_of(keeper)
        print(json.dumps({
            "same": before == after, "first": first, "second": second, "keeper": keeper.pid,
            "threads": engine_threads(), "directory": os.path.dirname(path),
        }))
        # Exits without stop(): the keeper and the renderer see it and end by themselves.
        """
    )
    assert result["same"] is True
    assert result["threads"] == []
    assert result["second"] != result["first"]
    deadline = time.monotonic() + 10
    while psutil.pid_exists(int(str(result["keeper"]))) or psutil.pid_exists(int(str(result["second"]))):
        assert time.monotonic() < deadline, "the keeper or the renderer outlived its parent"
        time.sleep(0.2)
    assert not Path(str(result["directory"])).exists()


def test_without_an_answering_renderer_the_chart_is_drawn_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    spec = {
        "mark": "bar",
        "data": {"values": [{"a": 2}]},
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    expected = chart_renderer.engine_svg(spec=spec, locale="{}")
    # No socket at all.
    monkeypatch.setattr(chart_renderer, "_socket_path", str(tmp_path / "absent" / "renderer.sock"))
    assert chart_renderer.svg(spec=spec, locale="{}") == expected
    # A socket nobody listens on any more (the renderer and its keeper are dead): refused.
    dead = str(tmp_path / "dead.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(dead)
    monkeypatch.setattr(chart_renderer, "_socket_path", dead)
    assert chart_renderer.svg(spec=spec, locale="{}") == expected
    # A renderer that ends during the request: the connection closes without an answer.
    ending = str(tmp_path / "ending.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(ending)
    listener.listen(1)
    listener.settimeout(30)  # a test that fails (nothing connects) does not hang

    def accept_and_close() -> None:
        connection, _address = listener.accept()
        connection.recv(4)
        connection.close()

    closer = threading.Thread(target=accept_and_close, daemon=True)
    closer.start()
    monkeypatch.setattr(chart_renderer, "_socket_path", ending)
    assert chart_renderer.svg(spec=spec, locale="{}") == expected
    closer.join(timeout=10)
    listener.close()
    assert caplog.text.count("The chart renderer did not answer") == 3


def test_an_unconfigured_process_sends_nothing() -> None:
    assert chart_renderer.configured() is False
