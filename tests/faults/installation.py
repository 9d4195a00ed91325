"""A whole sswis installation (a database and a data folder) for tests that run sswis in child processes:
backups and restores, a process killed part-way, a full disk, a database going away under the server.

The database is the vendor the test run is on (``SSWIS_DATABASE_URL``: PostgreSQL; else SQLite). One
demo country (``sswis demo``, a few hundred workers) is built once per test process; each test gets a
copy of its own (an SQLite file copy; ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL) in its own folder,
with unique names, so tests run under ``pytest -n``.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg

REPOSITORY = Path(__file__).resolve().parents[2]
DEMO_WORKERS = 150
YEAR = "2025"
POSTGRESQL = os.environ.get("SSWIS_DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
VENDOR = "postgresql" if POSTGRESQL else "sqlite"


def _server() -> dict[str, Any]:
    return dict(dj_database_url.parse(os.environ["SSWIS_DATABASE_URL"]))


def postgresql_connect(database: str = "postgres") -> psycopg.Connection[Any]:
    """An autocommit connection to ``database`` on the test run's PostgreSQL server."""
    server = _server()
    return psycopg.connect(
        dbname=database,
        host=server.get("HOST") or None,
        port=server.get("PORT") or None,
        user=server.get("USER") or None,
        password=server.get("PASSWORD") or None,
        autocommit=True,
    )


@dataclass
class Installation:
    """One sswis installation: its data folder and, on PostgreSQL, its database's name."""

    data_dir: Path
    database: str = ""
    extra_environment: dict[str, str] = field(default_factory=dict)

    @property
    def sqlite_file(self) -> Path:
        return self.data_dir / "sswis.sqlite3"

    @property
    def url(self) -> str:
        if not POSTGRESQL:
            return f"sqlite:///{self.sqlite_file}"
        server = _server()
        user = server.get("USER") or "postgres"
        password = f":{server['PASSWORD']}" if server.get("PASSWORD") else ""
        return (
            f"postgres://{user}{password}@{server.get('HOST')}:{server.get('PORT') or 5432}/{self.database}"
        )

    def environment(self) -> dict[str, str]:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sswis.settings.test",
            "SSWIS_DATA_DIR": str(self.data_dir),
            "SSWIS_DATABASE_URL": self.url,
            "SSWIS_LANGUAGE": "en",
            "PYTHONPATH": os.pathsep.join([str(REPOSITORY), os.environ.get("PYTHONPATH", "")]),
        }
        environment.pop("PYTEST_XDIST_WORKER", None)
        return {**environment, **self.extra_environment}

    def command(self, *arguments: str) -> list[str]:
        return [sys.executable, "-m", "sswis", *arguments]

    def run(
        self, *arguments: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """Run ``sswis ARGUMENTS`` on this installation; with ``check``, fail the test on a non-zero exit."""
        finished = subprocess.run(
            self.command(*arguments),
            env=self.environment(),
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and finished.returncode != 0:
            raise AssertionError(
                f"sswis {' '.join(arguments)} exited with {finished.returncode}:\n{finished.stderr[-4000:]}"
            )
        return finished

    def indicators(self) -> str:
        """The output of ``sswis indicators --year 2025 --format json``: every figure of every location."""
        return self.run("indicators", "--year", YEAR, "--format", "json").stdout

    def tables(self) -> dict[str, int]:
        """The number of rows of every table of the database."""
        if not POSTGRESQL:
            with sqlite3.connect(self.sqlite_file) as database:
                names = [
                    row[0]
                    for row in database.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    )
                ]
                return {
                    name: database.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names
                }
        with postgresql_connect(self.database) as database:
            names = [
                row[0]
                for row in database.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ]
            counts = {}
            for name in names:
                row = database.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()
                assert row is not None
                counts[name] = int(row[0])
            return counts

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> None:
        """Run one statement on the database, committed."""
        if not POSTGRESQL:
            with sqlite3.connect(self.sqlite_file) as database:
                database.execute(sql.replace("%s", "?"), parameters)
            return
        with postgresql_connect(self.database) as database:
            database.execute(sql, parameters)  # type: ignore[arg-type]

    def files(self) -> dict[str, bytes]:
        """Every file of the uploaded and kept files (``media`` and ``imports``) with its content."""
        found: dict[str, bytes] = {}
        for folder in ("media", "imports"):
            root = self.data_dir / folder
            for path in sorted(root.rglob("*")) if root.is_dir() else []:
                if path.is_file():
                    found[path.relative_to(self.data_dir).as_posix()] = path.read_bytes()
        return found


def installation_empty(root: Path) -> Installation:
    """A new installation with no database yet (an empty PostgreSQL database; no SQLite file)."""
    data_dir = root / f"empty-{uuid.uuid4().hex[:8]}"
    data_dir.mkdir(parents=True)
    if not POSTGRESQL:
        return Installation(data_dir=data_dir)
    name = f"test_faults_{uuid.uuid4().hex[:16]}"
    with postgresql_connect() as server:
        server.execute(f'CREATE DATABASE "{name}"')
    return Installation(data_dir=data_dir, database=name)


def installation_copy(base: Installation, root: Path) -> Installation:
    """A copy of ``base`` (database and files) under ``root``."""
    copy = installation_empty(root)
    shutil.rmtree(copy.data_dir)
    shutil.copytree(base.data_dir, copy.data_dir, ignore=shutil.ignore_patterns("static", "demo-template"))
    if POSTGRESQL:
        with postgresql_connect() as server:
            server.execute(f'DROP DATABASE "{copy.database}"')
            server.execute(f'CREATE DATABASE "{copy.database}" TEMPLATE "{base.database}"')
    return copy


def installation_drop(installation: Installation) -> None:
    if POSTGRESQL and installation.database:
        with postgresql_connect() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{installation.database}" WITH (FORCE)')


def demo_installation(root: Path) -> Iterator[Installation]:
    """The demo country (``sswis demo``) in a new installation; dropped at the end."""
    installation = installation_empty(root)
    try:
        installation.run("demo", "--workers", str(DEMO_WORKERS), timeout=600)
        yield installation
    finally:
        installation_drop(installation)


def run_until_paused(
    installation: Installation, *arguments: str, pause: str, after_calls: int = 1, timeout: float = 60
) -> subprocess.CompletedProcess[str] | None:
    """Run ``sswis ARGUMENTS`` through ``tests.faults.runner``, which stops the process right after the
    ``after_calls``-th call of ``pause`` (``module:Qualified.name``) returns, and SIGKILL it there.

    Returns ``None`` once killed; the finished process if it ended without reaching the point (the test
    then fails: the point must be reached for the kill to mean anything)."""
    marker = installation.data_dir / f"paused-{uuid.uuid4().hex[:8]}"
    environment = {
        **installation.environment(),
        "SSWIS_FAULT_PAUSE": pause,
        "SSWIS_FAULT_PAUSE_CALLS": str(after_calls),
        "SSWIS_FAULT_MARKER": str(marker),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.runner", *arguments],
        env=environment,
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + timeout
    try:
        while not marker.exists():
            if process.poll() is not None:
                stdout, stderr = process.communicate()
                return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
            if time.monotonic() > deadline:
                raise AssertionError(f"sswis {' '.join(arguments)} did not reach {pause} in {timeout} s")
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
        assert process.returncode == -signal.SIGKILL
        return None
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
