"""The database settings sswis derives from ``SSWIS_DATABASE_URL`` (``sswis.settings.base``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from sswis.gunicorn_config import web_database_sessions
from sswis.settings.base import database_from_environment


def test_postgresql_sessions_turn_jit_off_and_keep_the_options_of_the_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSWIS_DATABASE_URL", "postgres://sswis@db:5432/sswis")
    assert database_from_environment()["OPTIONS"] == {"options": "-c jit=off"}
    monkeypatch.setenv(
        "SSWIS_DATABASE_URL", "postgres://sswis@db:5432/sswis?options=-c%20statement_timeout%3D5000"
    )
    config = database_from_environment()
    assert config["OPTIONS"] == {"options": "-c statement_timeout=5000 -c jit=off"}
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (60, True)


def test_sqlite_gets_no_postgresql_option(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("SSWIS_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    assert "options" not in database_from_environment()["OPTIONS"]


@pytest.mark.django_db
def test_the_running_postgresql_session_has_jit_off() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_web_workers_plan_no_parallel_queries_on_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSWIS_DATABASE_URL", "postgres://sswis@db:5432/sswis")
    config = database_from_environment()
    web_database_sessions(config)
    assert config["OPTIONS"] == {"options": "-c jit=off -c max_parallel_workers_per_gather=0"}
    monkeypatch.setenv("SSWIS_DATABASE_URL", "sqlite:///x.sqlite3")
    sqlite = database_from_environment()
    web_database_sessions(sqlite)
    assert "options" not in sqlite["OPTIONS"]


def test_production_processes_share_the_indicators_cache(tmp_path: Path) -> None:
    """Under the production settings one process's computed indicators are read by another (gunicorn's
    workers, a replaced worker, the background worker): the cache lives in files of the data folder."""
    import os
    import subprocess
    import sys

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sswis.settings.production",
        "SSWIS_SECRET_KEY": "k" * 60,
        "SSWIS_ALLOWED_HOSTS": "example.org",
        "SSWIS_DATA_DIR": str(tmp_path),
        "SSWIS_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
    }
    script = (
        "import django, sys; django.setup(); from django.core.cache import caches; "
        "cache = caches['indicators']; "
        "cache.set('year', [1, 2, 3]) if sys.argv[1] == 'write' else print(cache.get('year'))"
    )
    subprocess.run([sys.executable, "-c", script, "write"], env=environment, check=True)
    read = subprocess.run(
        [sys.executable, "-c", script, "read"], env=environment, check=True, capture_output=True, text=True
    )
    assert read.stdout.strip() == "[1, 2, 3]"
    assert any((tmp_path / "cache" / "indicators").iterdir())
