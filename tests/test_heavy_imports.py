"""Heavy libraries are loaded by the code that uses them, not by every process (docs/load.md, "Memory").

A process that has set Django up and loaded every URL module (so every view: what a web worker holds
before its first request, and what the background worker holds) must not have imported Splink, DuckDB,
pyarrow or openpyxl (about 65 MB together); the background worker must not have the chart libraries
either. Checked in a fresh interpreter: the test process itself has imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("splink", "duckdb", "pyarrow", "openpyxl", "weasyprint", "altair", "vl_convert")


def modules_loaded(code: str, tmp_path: Path) -> set[str]:
    script = (
        textwrap.dedent(
            """
        import json, sys
        import django

        django.setup()
        """
        )
        + textwrap.dedent(code)
        + f"\nprint(json.dumps(sorted({{name.split('.')[0] for name in sys.modules}} & set({list(HEAVY)!r}))))\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "SSWIS_DATABASE_URL"}
    environment.update({"DJANGO_SETTINGS_MODULE": "sswis.settings.base", "SSWIS_DATA_DIR": str(tmp_path)})
    finished = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return set(json.loads(finished.stdout.strip().splitlines()[-1]))


def test_every_view_loads_without_any_heavy_library(tmp_path: Path) -> None:
    loaded = modules_loaded(
        """
        from django.urls import get_resolver

        get_resolver().url_patterns
        """,
        tmp_path,
    )
    # The chart libraries too: the web server's master loads them on purpose (sswis.gunicorn_config).
    assert loaded == set()


def test_the_background_worker_starts_without_any_heavy_library(tmp_path: Path) -> None:
    # What `sswis db_worker --skip-checks` imports before its first task: the settings, the apps, the
    # worker's command.
    loaded = modules_loaded(
        """
        from django.core.management import load_command_class

        load_command_class("django_tasks_db", "db_worker")
        """,
        tmp_path,
    )
    assert loaded == set()


def test_the_chart_libraries_load_only_when_asked(tmp_path: Path) -> None:
    loaded = modules_loaded(
        """
        from sswis.presentation.charts import chart_libraries_import

        chart_libraries_import()
        """,
        tmp_path,
    )
    assert loaded == {"altair", "vl_convert"}
