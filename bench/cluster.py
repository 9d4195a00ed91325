"""A private PostgreSQL server for the load benchmark, run with the settings ``compose.yaml`` gives its own.

``bench/load.py --cluster DIR`` measures the stack as sswis ships it: its PostgreSQL with 64 MB of shared
buffers, no JIT and 30 connections (``compose.yaml``'s ``db`` service, read from that file, so the two
cannot drift), not a shared server sized for other work (whose shared buffers would count in the stack's
memory whatever sswis does). The benchmark database is copied into it once (``pg_dump`` from the shared
server, ``pg_restore`` into the private one); the cluster is kept in ``DIR`` between runs.

Usage (by hand, never in CI)::

    python bench/cluster.py start /var/tmp/sswis-bench-cluster [--port 5433]
    python bench/cluster.py copy postgres://postgres@127.0.0.1:5432/test_bench_fhir_history /var/tmp/sswis-bench-cluster
    python bench/cluster.py stop /var/tmp/sswis-bench-cluster

The server listens on 127.0.0.1 only, with trust authentication for the local user ``postgres``. As root,
the PostgreSQL programs run as the ``postgres`` user (``initdb`` refuses root).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import yaml

BENCH = Path(__file__).resolve().parent
COMPOSE = BENCH.parent / "compose.yaml"
DEFAULT_PORT = 5433


def compose_postgres_settings(compose: Path = COMPOSE) -> list[str]:
    """The ``-c name=value`` settings of ``compose.yaml``'s ``db`` service command, as ``name=value``."""
    command = yaml.safe_load(compose.read_text(encoding="utf-8"))["services"]["db"]["command"]
    settings = [command[index + 1] for index, part in enumerate(command) if part == "-c"]
    if not settings:
        raise SystemExit(f"{compose}: the db service's command sets no PostgreSQL setting (-c)")
    return settings


def _binaries() -> Path:
    """The folder of the server programs (``initdb``, ``pg_ctl``): Debian keeps them off ``PATH``."""
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        raise SystemExit("pg_config was not found: install the PostgreSQL server (apt install postgresql)")
    return Path(
        subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
    )


def _as_postgres(command: list[str]) -> list[str]:
    """``command`` run as the ``postgres`` user when this process is root (the server refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def cluster_url(port: int, database: str = "postgres") -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{database}"


def cluster_start(directory: Path, *, port: int = DEFAULT_PORT) -> str:
    """Start the private server in ``directory`` (made by ``initdb`` when empty) with compose.yaml's
    settings on 127.0.0.1:``port``; return the URL of its ``postgres`` database. Already running: kept."""
    binaries = _binaries()
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    if not (directory / "PG_VERSION").exists():
        subprocess.run(
            _as_postgres([str(binaries / "initdb"), "--pgdata", str(directory), "--username", "postgres",
                          "--auth", "trust", "--encoding", "UTF8", "--locale", "C.UTF-8"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    if cluster_postmaster(directory) is not None:
        return cluster_url(port)
    options = " ".join(
        [f"-p {port}", "-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={directory}"]
        + [f"-c {setting}" for setting in compose_postgres_settings()]
    )
    subprocess.run(
        _as_postgres([str(binaries / "pg_ctl"), "--pgdata", str(directory), "--options", options,
                      "--log", str(directory / "server.log"), "--wait", "start"]),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return cluster_url(port)


def cluster_stop(directory: Path) -> None:
    """Stop the private server (fast shutdown); nothing when it is not running."""
    if cluster_postmaster(directory) is None:
        return
    subprocess.run(
        _as_postgres(
            [str(_binaries() / "pg_ctl"), "--pgdata", str(directory), "--mode", "fast", "--wait", "stop"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def cluster_postmaster(directory: Path) -> psutil.Process | None:
    """The running postmaster of ``directory`` (from ``postmaster.pid``), or ``None``."""
    try:
        pid = int((directory / "postmaster.pid").read_text(encoding="utf-8").split()[0])
        process = psutil.Process(pid)
    except (FileNotFoundError, IndexError, ValueError, psutil.NoSuchProcess):
        return None
    return process if process.name() in ("postgres", "postmaster") else None


def cluster_processes(directory: Path) -> list[psutil.Process]:
    """Every process of the private server: the postmaster, its auxiliary processes and all backends
    (nothing else uses this server, so all of it counts as the stack's)."""
    postmaster = cluster_postmaster(directory)
    if postmaster is None:
        return []
    try:
        return [postmaster, *postmaster.children()]
    except psutil.NoSuchProcess:
        return []


def cluster_copy(source: str, directory: Path, *, port: int = DEFAULT_PORT) -> str:
    """Copy the database of URL ``source`` into the private server under the same name, unless it is there
    already; return its URL on the private server. The copy is made under a temporary name and renamed
    when complete, so an interrupted copy is never taken for the database."""
    import psycopg

    name = urlsplit(source).path.strip("/")
    admin = cluster_start(directory, port=port)
    with psycopg.connect(admin, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return cluster_url(port, name)
        partial = f"{name}_copying"
        connection.execute(f'DROP DATABASE IF EXISTS "{partial}"')
        connection.execute(f'CREATE DATABASE "{partial}"')
    binaries = _binaries()
    dump = subprocess.Popen(
        [str(binaries / "pg_dump"), "--format=custom", "--dbname", source], stdout=subprocess.PIPE
    )
    subprocess.run(
        [str(binaries / "pg_restore"), "--no-owner", "--exit-on-error", "--dbname", cluster_url(port, partial)],
        stdin=dump.stdout, check=True,
    )  # fmt: skip
    if dump.wait() != 0:
        raise SystemExit(f"pg_dump of {source} failed")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{partial}" RENAME TO "{name}"')
    with psycopg.connect(cluster_url(port, name), autocommit=True) as connection:
        connection.execute("ANALYZE")
    return cluster_url(port, name)


def on_cluster(url: str, port: int) -> str:
    """``url`` with its server replaced by the private one on ``port`` (same database name)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"postgres@127.0.0.1:{port}"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["start", "stop", "copy"])
    parser.add_argument("arguments", nargs="+", metavar="[SOURCE_URL] DIR")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    options = parser.parse_args()
    directory = Path(options.arguments[-1]).resolve()
    if options.action == "start":
        print(cluster_start(directory, port=options.port))
    elif options.action == "stop":
        cluster_stop(directory)
    else:
        if len(options.arguments) != 2:
            parser.error("copy takes SOURCE_URL DIR")
        print(cluster_copy(options.arguments[0], directory, port=options.port))


if __name__ == "__main__":
    main()
