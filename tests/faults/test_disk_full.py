"""A full disk during an import: reported as such ("The disk is full"), and nothing of the import written.

On SQLite the database is capped a few pages above its size (``PRAGMA max_page_count``, set by
``tests.faults.runner`` on every connection): writing more fails with SQLITE_FULL ("database or disk is
full"), exactly as SQLite fails when the disk itself is full. PostgreSQL's disk cannot be filled on a
shared test server without root; its error (SQLSTATE 53100, ``disk_full``) is recognised the same way
(the unit test below).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg.errors
import pytest
from django.db import OperationalError

from sswis.demo.generator import country_generate
from sswis.imports.report import database_disk_full, database_refusal
from tests.faults.installation import POSTGRESQL, REPOSITORY, Installation


@pytest.mark.skipif(POSTGRESQL, reason="the database is filled through SQLite's max_page_count (SQLite only)")
def test_import_on_a_full_disk_is_reported_and_writes_nothing(
    installation: Installation, tmp_path: Path
) -> None:
    template = tmp_path / "template"
    country_generate(folder=template, workers=120, seed=7, last_year=2025)
    tables, indicators = installation.tables(), installation.indicators()
    finished = subprocess.run(
        [sys.executable, "-m", "tests.faults.runner", "import", str(template), "--user", "manager"],
        env={**installation.environment(), "SSWIS_FAULT_SQLITE_SPARE_PAGES": "8"},
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 1, finished.stderr[-3000:]
    assert "The disk is full" in finished.stdout and "nothing was imported" in finished.stdout
    assert "Traceback" not in finished.stderr
    after = installation.tables()
    changed = {name for name in after if after[name] != tables.get(name)}
    assert changed == {"imports_importrecord"}  # the import history says it failed, and why
    assert after["imports_importrecord"] == tables["imports_importrecord"] + 1
    assert installation.indicators() == indicators


def test_postgresql_disk_full_is_recognised() -> None:
    error = OperationalError("could not extend file: No space left on device")
    error.__cause__ = psycopg.errors.DiskFull("could not extend file")
    assert database_disk_full(error)
    assert "The disk is full" in database_refusal(error).message
    assert not database_disk_full(OperationalError("server closed the connection unexpectedly"))
