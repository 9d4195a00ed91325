"""The benchmarks' throwaway database: on the configured server, never the configured database itself."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def throwaway_database(url: str, *, name: str, template: str | None = None) -> tuple[str, Callable[[], None]]:
    """Create an empty database for a benchmark; return its URL and a function that removes it.

    ``url`` is the configured database (``SSWIS_DATABASE_URL``; empty for the embedded SQLite). On
    PostgreSQL a database ``name`` is (re)created on the same server, through the ``postgres`` database,
    as a copy of the database ``template`` if given (which must have no open connection); on SQLite a
    file in a new temporary folder (``name`` prefixes the folder; ``template`` is not supported).
    """
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            copied = f' TEMPLATE "{template}"' if template else ""
            admin.execute(f'CREATE DATABASE "{name}"{copied}')

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')

        return urlunsplit(parts._replace(path=f"/{name}")), drop
    if template:
        raise NotImplementedError("A template database is for PostgreSQL only.")
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    path = folder / "bench.sqlite3"

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        folder.rmdir()

    return f"sqlite:///{path}", remove
