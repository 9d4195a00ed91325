"""Writes that run in a second thread while the import goes on checking rows (``BackgroundWrites``).

A bulk import alternates Python work (reading, checking, building rows) and database work (``COPY``,
history inserts, foreign-key checks), each waiting for the other. On PostgreSQL the server does the
database work in its own process, and the driver releases the interpreter lock while it waits, so
running the two at once hides most of the smaller one. Figures: ``docs/mapping-template.md``, "Speed".
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from typing import Any

from django.db import connection

PENDING_JOBS = 8
"""Jobs that may wait to run; :meth:`BackgroundWrites.submit` waits beyond (each holds up to one chunk of
rows in ``COPY`` format, about 1 MB)."""

WriteJob = Callable[[Any], None]
"""A write given to :class:`BackgroundWrites`: it receives a cursor of the driver (psycopg) and runs on it."""


class BackgroundWrites:
    """Writes that run in a second thread, in the order given, on the connection's own session (so in
    its open transaction), while the caller goes on validating the next rows.

    Guarantees, for the block of :func:`background_writes` that made it:

    * Order: jobs run one at a time, in submission order. Every query the calling thread makes through
      Django's connection first waits for every job submitted before it (an execute wrapper), so it sees
      their rows, exactly as if they had run in place; only the driver's cursor is used by jobs.
    * Errors: the first job that fails stops the others (the transaction is failed anyway); its error is
      raised, as Django's ``DatabaseError`` for a database error, by the next :meth:`wait` or query of
      the calling thread, or at the latest when the block ends. The block never ends with a job running.
    * Elsewhere than PostgreSQL (SQLite works in this process and its connection belongs to one thread)
      jobs run at once, in the calling thread.
    """

    def __init__(self, *, background: bool) -> None:
        self.executor = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="sswis-import-write") if background else None
        )
        self.pending: list[Future[None]] = []
        self.failed = threading.Event()
        self.side: Any = None  # the second session of fetch_unordered, opened when first needed

    def submit(self, job: WriteJob) -> None:
        """Run ``job`` after the jobs submitted before it (at once, here, when not in the background).

        At most :data:`PENDING_JOBS` jobs wait: beyond, this waits for the oldest (bounded memory, and a
        database slower than the checking holds the checking back instead of piling up rows)."""
        if self.executor is None:
            with connection.cursor() as cursor, connection.wrap_database_errors:
                job(cursor.cursor)
            return
        while len(self.pending) >= PENDING_JOBS:
            if self.pending[0].exception() is not None:  # waits for the oldest; its failure is raised
                self.wait()
            self.pending.pop(0)
        raw = connection.connection  # the session of the open transaction, used only by the jobs

        def run() -> None:
            if self.failed.is_set():
                return
            try:
                with raw.cursor() as cursor:
                    job(cursor)
            except BaseException:
                self.failed.set()
                raise

        self.pending.append(self.executor.submit(run))

    def fetch_unordered(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The rows of a statement that reads nothing the writes change and whose effect outlives any
        transaction anyway, such as ``nextval`` of a sequence: run at once, without waiting for the jobs.

        In the background it runs in a second session of its own (autocommit, opened once): on the
        writes' session it would queue behind whatever statement they are running."""
        if self.executor is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        if self.side is None:
            import psycopg  # the background runs on PostgreSQL only

            self.side = psycopg.connect(**connection.get_connection_params(), autocommit=True)
        with self.side.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def checks_run(self) -> None:
        """After the jobs submitted so far, run the checks of deferrable constraints (Django's foreign keys)
        that are waiting for commit, then defer them again (PostgreSQL; nothing elsewhere).

        Why: at commit nothing else can happen meanwhile (27 s of checks at commit for 1,000,000 workers);
        run as a job they overlap with the checking of the next rows. A refused check is raised like any
        refused write. Only for writes that never refer to a row written later (the import writes parents
        first). Django declares every deferrable constraint initially deferred, which this restores.
        """
        if self.executor is None:  # only PostgreSQL writes in the background
            return

        def run_checks(cursor: Any) -> None:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

        self.submit(run_checks)

    def wait(self) -> None:
        """Return when every submitted job has run; raise the error of the first that failed."""
        pending, self.pending = self.pending, []
        error: BaseException | None = None
        for future in pending:
            exception = future.exception()  # waits for the job
            if exception is not None and error is None:
                error = exception
        if error is not None:
            with connection.wrap_database_errors:  # a driver error becomes Django's, as for any query
                raise error

    def _before_query(
        self, execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: Any
    ) -> Any:
        if self.pending:
            self.wait()
        return execute(sql, params, many, context)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)
        if self.side is not None:
            self.side.close()
            self.side = None


SWITCH_INTERVAL = 0.0005
"""Seconds a thread may hold the interpreter lock while another waits for it, during background writes
(Python's default: 0.005). The writing thread needs the lock for a moment after each block the database
takes; with the default it waited up to 5 ms each time behind the checking thread, and the database
sat idle: 24.7 s -> 20.0 s for a template of 200,000 workers (``bench/import.py``)."""

_switch_lock = threading.Lock()
_switch_users = 0  # blocks of background_writes running now, in any thread
_switch_before = 0.0


@contextmanager
def _short_switch_interval() -> Iterator[None]:
    """:data:`SWITCH_INTERVAL` while the block runs (process-wide; restored when the last such block ends)."""
    global _switch_users, _switch_before
    with _switch_lock:
        if _switch_users == 0:
            _switch_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_switch_before, SWITCH_INTERVAL))
        _switch_users += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_before)


@contextmanager
def background_writes() -> Iterator[BackgroundWrites]:
    """A :class:`BackgroundWrites` for the block (in the background on PostgreSQL); see its guarantees.

    When the block ends every job has run: on success their error, if any, is raised; when the block
    raises, a job's database error takes precedence (it is the more serious: a refused write), else the
    block's own exception goes on.
    """
    background = connection.vendor == "postgresql"
    writes = BackgroundWrites(background=background)
    try:
        with (
            _short_switch_interval() if background else nullcontext(),
            connection.execute_wrapper(writes._before_query),
        ):
            try:
                yield writes
            except BaseException:
                writes.wait()
                raise
            writes.wait()
    finally:
        writes.close()
