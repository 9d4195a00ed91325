"""The database going away under a running server (``sswis runserver`` in a child process, one thread, so
its connection is kept between requests as a production worker keeps it): a clear 503 page ("The database
is not reachable", no traceback; JSON under ``/api/``), and once the database is back the next request
works.

PostgreSQL: the database stops accepting connections and its sessions are ended
(``ALTER DATABASE ... ALLOW_CONNECTIONS false``, ``pg_terminate_backend``), then comes back; and a session
ended between two requests (a server restart) is not even noticed (``CONN_HEALTH_CHECKS``). SQLite: the
database file is moved away, then back.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sswis.demo.personas import demo_password
from tests.faults.installation import POSTGRESQL, REPOSITORY, Installation, postgresql_connect

SEARCH = "/register/?q=Mutasa"
API_SEARCH = "/api/v1/public/register/?q=Mutasa"


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        return self.send(urllib.request.Request(self.base + path))

    def send(self, request: urllib.request.Request) -> tuple[int, str, dict[str, str]]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def log_in(self, username: str) -> None:
        _status, page, _headers = self.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token[1],
                "username": username,
                "password": demo_password(username=username),
            }
        ).encode()
        status, page, _headers = self.send(urllib.request.Request(self.base + "/login/", data=data))
        assert status == 200 and "sessionid" in {cookie.name for cookie in self.cookies}, page[:500]


@contextmanager
def server(installation: Installation) -> Iterator[Browser]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        installation.command("runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"),
        env={**installation.environment(), "DJANGO_SETTINGS_MODULE": "tests.faults.server_settings"},
        cwd=REPOSITORY,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    browser = Browser(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                browser.get("/login/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"the server did not start: {process.stderr and process.stderr.read()}"
                    ) from None
                time.sleep(0.2)
        yield browser
    finally:
        process.kill()
        process.communicate()


def _assert_unreachable_page(status: int, page: str, headers: dict[str, str]) -> None:
    assert status == 503
    assert "The database is not reachable" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert headers.get("Retry-After")


def _database_away(installation: Installation) -> None:
    if POSTGRESQL:
        with postgresql_connect() as server_connection:
            server_connection.execute(f'ALTER DATABASE "{installation.database}" ALLOW_CONNECTIONS false')
            server_connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (installation.database,),
            )
        return
    aside = installation.data_dir / "moved-away"
    aside.mkdir()
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{installation.sqlite_file}{suffix}")
        if path.exists():
            os.replace(path, aside / path.name)


def _database_back(installation: Installation) -> None:
    if POSTGRESQL:
        with postgresql_connect() as server_connection:
            server_connection.execute(f'ALTER DATABASE "{installation.database}" ALLOW_CONNECTIONS true')
        return
    aside = installation.data_dir / "moved-away"
    for suffix in ("", "-wal", "-shm"):  # SQLite made an empty database where the file was
        Path(f"{installation.sqlite_file}{suffix}").unlink(missing_ok=True)
    for path in aside.iterdir():
        os.replace(path, installation.data_dir / path.name)


def test_database_gone_gives_a_clear_page_and_the_next_request_works(installation: Installation) -> None:
    with server(installation) as browser:
        browser.log_in("manager")
        assert browser.get("/")[0] == 200
        assert browser.get(SEARCH)[0] == 200
        _database_away(installation)
        try:
            _assert_unreachable_page(*browser.get(SEARCH))  # in a view
            _assert_unreachable_page(*browser.get("/"))  # before any view: loading the session
            status, body, headers = browser.get(API_SEARCH)
            assert status == 503 and headers["Content-Type"] == "application/json"
            assert "not reachable" in body
        finally:
            _database_back(installation)
        status, page, _headers = browser.get("/")
        assert status == 200, page[:2000]
        assert browser.get(SEARCH)[0] == 200


def test_the_page_is_translated(installation: Installation) -> None:
    with server(installation) as browser:
        _database_away(installation)
        try:
            request = urllib.request.Request(browser.base + SEARCH, headers={"Accept-Language": "fr"})
            status, page, _headers = browser.send(request)
        finally:
            _database_back(installation)
    assert status == 503 and '<html lang="fr"' in page


@pytest.mark.skipif(not POSTGRESQL, reason="a kept connection ended by the server: PostgreSQL only")
def test_a_session_ended_between_requests_is_not_noticed(installation: Installation) -> None:
    with server(installation) as browser:
        assert browser.get(SEARCH)[0] == 200
        with postgresql_connect() as server_connection:
            ended = server_connection.execute(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s",
                (installation.database,),
            ).fetchone()
        assert ended is not None and ended[0] >= 1  # the server's kept connection was there, and is gone
        assert browser.get(SEARCH)[0] == 200
