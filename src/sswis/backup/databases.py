"""Copying the database out of and into sswis: SQLite through its online backup API, PostgreSQL through
``pg_dump --format=custom`` and ``pg_restore``.

Both restores are atomic: the backup is first restored into a staging copy (an SQLite file beside the
database; a new PostgreSQL database), brought to this sswis's schema there (``sswis migrate`` run against
the copy in a child process), and only then put in place of the database in one step (SQLite's backup
API copies it in one transaction; PostgreSQL renames the two databases in one transaction). Any failure
before that step leaves the database untouched and the staging copy is removed.

PostgreSQL's connection comes from the configured database settings; the password goes to the tools
through ``PGPASSWORD`` in their environment, never on a command line (where ``ps`` would show it).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from sswis.backup.archive import BackupRefused

SQLITE_MEMBER = "database.sqlite3"
POSTGRESQL_MEMBER = "database.pgdump"
FRAMEWORK_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
"""Tables ``sswis migrate`` fills by itself: rows there do not make a database "hold data"."""


def database_vendor() -> str:
    """``sqlite`` or ``postgresql``: the configured database; another vendor raises ``BackupRefused``."""
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupRefused(
            _("Backups are made of SQLite and PostgreSQL databases only, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def database_member() -> str:
    """The archive member holding the database of the configured vendor."""
    return SQLITE_MEMBER if database_vendor() == "sqlite" else POSTGRESQL_MEMBER


# --- SQLite -----------------------------------------------------------------------------------------


def sqlite_path() -> Path:
    return Path(str(connection.settings_dict["NAME"]))


def sqlite_dump(*, target: Path) -> None:
    """Copy the live SQLite database to the new file ``target`` with the online backup API: a consistent
    snapshot while other processes go on reading and writing. The copy is left in rollback-journal mode,
    a single self-contained file."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy, pages=4096)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def sqlite_migrations(path: Path) -> set[tuple[str, str]]:
    """The migrations recorded as applied in the SQLite file ``path``."""
    with _sqlite_reading(path) as database:
        try:
            rows = database.execute("SELECT app, name FROM django_migrations").fetchall()
        except sqlite3.DatabaseError:
            return set()
    return {(app, name) for app, name in rows}


def sqlite_holds_data(path: Path) -> bool:
    """Whether the SQLite file ``path`` exists and has a row in a table ``sswis migrate`` does not fill."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    with _sqlite_reading(path) as database:
        tables = [
            row[0]
            for row in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return any(
            database.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None
            for table in tables
            if table not in FRAMEWORK_TABLES
        )


def _sqlite_reading(path: Path) -> closing[sqlite3.Connection]:
    """A read-only connection to the SQLite file ``path``, closed at the end of the ``with`` block."""
    return closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def sqlite_swap(*, staged: Path) -> None:
    """Replace the live database's content by the SQLite file ``staged``, in one transaction of the
    destination (SQLite's backup API): a failure leaves the database as it was. Other processes keep
    their connections; they see the restored content from their next transaction."""
    connection.close()
    source = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
    target = sqlite3.connect(sqlite_path(), timeout=30)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


# --- PostgreSQL -------------------------------------------------------------------------------------


def postgresql_tool(name: str) -> str:
    """The path of the PostgreSQL client tool ``name`` (``pg_dump``, ``pg_restore``); a clear refusal
    when it is not installed."""
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(
            _(
                "%(tool)s was not found on PATH. Install the PostgreSQL client tools of the server's "
                "version (on Debian and Ubuntu: apt install postgresql-client) and run this again."
            )
            % {"tool": name}
        )
    return found


def postgresql_environment(*, database: str | None = None) -> dict[str, str]:
    """The environment for the PostgreSQL tools: the configured connection as ``PG*`` variables (the
    password in ``PGPASSWORD``), for ``database`` (default: the configured one)."""
    settings = connection.settings_dict
    environment = dict(os.environ)
    values = {
        "PGHOST": settings.get("HOST") or "",
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": settings.get("USER") or "",
        "PGPASSWORD": settings.get("PASSWORD") or "",
        "PGDATABASE": database or str(settings["NAME"]),
    }
    options: dict[str, Any] = settings.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            values[variable] = str(options[option])
    environment.update({name: value for name, value in values.items() if value})
    return environment


def _run_tool(arguments: list[str], *, environment: dict[str, str], what: str) -> None:
    finished = subprocess.run(arguments, env=environment, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupRefused(
            _("%(what)s failed (%(tool)s exited with %(code)d): %(error)s")
            % {
                "what": what,
                "tool": Path(arguments[0]).name,
                "code": finished.returncode,
                "error": finished.stderr.strip()[-2000:],
            }
        )


def postgresql_dump(*, target: Path) -> None:
    """``pg_dump --format=custom`` of the configured database to ``target`` (a consistent snapshot: one
    repeatable-read transaction). Owners and privileges are left out, so the dump restores under any
    role."""
    tool = postgresql_tool("pg_dump")
    _run_tool(
        [tool, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
        environment=postgresql_environment(),
        what=_("The database dump"),
    )


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def postgresql_holds_data() -> bool:
    """Whether the configured database has a row in a table ``sswis migrate`` does not fill."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            if table in FRAMEWORK_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")  # a name read from the catalogue
            if cursor.fetchone() is not None:
                return True
    return False


def postgresql_staging_create() -> str:
    """Create an empty database to restore into; return its name."""
    name = f"{str(connection.settings_dict['NAME'])[:40]}_restore_{uuid.uuid4().hex[:12]}"
    try:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {_quote(name)}")
    except DatabaseError as problem:
        raise BackupRefused(
            _(
                "The database to restore into could not be created (%(problem)s). The role of "
                "SSWIS_DATABASE_URL needs the CREATEDB privilege to restore (ALTER ROLE ... CREATEDB). "
                "Nothing was changed."
            )
            % {"problem": str(problem).strip()}
        ) from problem
    return name


def postgresql_staging_drop(name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")


def postgresql_restore(*, dump: Path, database: str) -> None:
    """``pg_restore`` of ``dump`` into the new, empty ``database``; stops at the first error."""
    tool = postgresql_tool("pg_restore")
    _run_tool(
        [tool, "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={database}", str(dump)],
        environment=postgresql_environment(database=database),
        what=_("The database restore"),
    )


def postgresql_migrations(database: str) -> set[tuple[str, str]]:
    """The migrations recorded as applied in ``database``."""
    environment = postgresql_environment(database=database)
    import psycopg

    with psycopg.connect(
        dbname=database,
        host=environment.get("PGHOST"),
        port=environment.get("PGPORT"),
        user=environment.get("PGUSER"),
        password=environment.get("PGPASSWORD"),
    ) as database_connection:
        rows = database_connection.execute("SELECT app, name FROM django_migrations").fetchall()
    return {(app, name) for app, name in rows}


def postgresql_swap(*, staged: str) -> None:
    """Put the database ``staged`` in place of the configured one: every other session on either is
    ended, then both are renamed in one transaction and the old one is dropped. A failure before the
    commit leaves the configured database as it was."""
    target = str(connection.settings_dict["NAME"])
    previous = f"{target[:40]}_before_{uuid.uuid4().hex[:12]}"
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname IN (%s, %s) AND pid <> pg_backend_pid()",
            [target, staged],
        )
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target])
        exists = cursor.fetchone() is not None
        cursor.execute("BEGIN")
        try:
            if exists:
                cursor.execute(f"ALTER DATABASE {_quote(target)} RENAME TO {_quote(previous)}")
            cursor.execute(f"ALTER DATABASE {_quote(staged)} RENAME TO {_quote(target)}")
        except Exception:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")
        if exists:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(previous)} WITH (FORCE)")


# --- Both -------------------------------------------------------------------------------------------


def database_url(*, vendor: str, name: str) -> str:
    """An ``SSWIS_DATABASE_URL`` for the configured server but the database (or SQLite file) ``name``."""
    if vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    settings = connection.settings_dict
    user = quote(str(settings.get("USER") or ""), safe="")
    password = quote(str(settings.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = str(settings.get("HOST") or "")
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"


def staged_migrate(*, vendor: str, name: str) -> None:
    """Run ``sswis migrate`` against the staged copy ``name`` in a child process (its own settings: the
    live database is never touched). The URL, password included, goes through the child's environment."""
    environment = {**os.environ, "SSWIS_DATABASE_URL": database_url(vendor=vendor, name=name)}
    finished = subprocess.run(
        [sys.executable, "-m", "sswis", "migrate", "--no-input", "--verbosity", "0"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise BackupRefused(
            _("Bringing the restored database to this version's schema failed: %(error)s")
            % {"error": finished.stderr.strip()[-2000:]}
        )
