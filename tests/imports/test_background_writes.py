"""``background.BackgroundWrites``: rows written in a second thread are there for every later query, a refused
write is raised where the caller can handle it, and nothing runs after the block."""

from __future__ import annotations

import sys
import threading
import uuid
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sswis.imports.background import SWITCH_INTERVAL, background_writes
from sswis.registry.models import Cadre
from tests.conftest import Country

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="writes run in the background on PostgreSQL only"
)


def insert_cadre(code: str) -> Any:
    """A write job: one cadre row, with plain SQL on the driver's cursor."""
    table = connection.ops.quote_name(Cadre._meta.db_table)
    updated_at = Cadre._meta.get_field("updated_at").get_db_prep_save(timezone.now(), connection)
    key = uuid.uuid4().hex

    def job(cursor: Any) -> None:
        cursor.execute(
            f"INSERT INTO {table} (uuid, code, name, category, isco08, version, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [key, code, f"Cadre {code}", "professional", "", 1, updated_at],
        )

    return job


def test_a_query_after_a_write_sees_its_rows_in_the_order_given(country: Country) -> None:
    codes = [f"BG{number}" for number in range(20)]
    with background_writes() as writes:
        for code in codes:
            writes.submit(insert_cadre(code))
        # No explicit wait: the query itself waits for the writes submitted before it.
        stored = list(
            Cadre.objects.filter(code__startswith="BG").order_by("pk").values_list("code", flat=True)
        )
    assert stored == codes


@postgresql_only
def test_writes_run_in_another_thread_while_the_caller_goes_on(country: Country) -> None:
    threads: list[str] = []

    def job(cursor: Any) -> None:
        threads.append(threading.current_thread().name)
        cursor.execute("SELECT pg_sleep(0.05)")

    with background_writes() as writes:
        writes.submit(job)
        assert writes.pending  # returned before the write ran to its end
        writes.wait()
    assert threads and threads[0].startswith("sswis-import-write")


def test_a_refused_write_is_raised_as_a_database_error_and_the_later_ones_do_not_run(
    country: Country,
) -> None:
    ran: list[str] = []

    def later(cursor: Any) -> None:
        ran.append("later")

    with pytest.raises(DatabaseError), transaction.atomic(), background_writes() as writes:
        writes.submit(insert_cadre("SW"))  # the country has this code: unique constraint
        writes.submit(later)
        writes.wait()
    assert ran == []
    assert Cadre.objects.filter(code="SW").count() == 1  # the transaction goes on after its savepoint


@postgresql_only  # elsewhere a write runs when submitted: its refusal comes first anyway
def test_a_refused_write_wins_over_the_error_that_ends_the_block(country: Country) -> None:
    with pytest.raises(DatabaseError) as raised, transaction.atomic(), background_writes() as writes:
        writes.submit(insert_cadre("SW"))
        raise ValueError("the caller's own error")
    causes = []
    error: BaseException | None = raised.value
    while error is not None:
        causes.append(type(error))
        error = error.__context__
    assert ValueError in causes  # the caller's error is kept in the chain


def test_the_caller_s_error_goes_on_when_every_write_succeeded(country: Country) -> None:
    with pytest.raises(ValueError, match="own"), transaction.atomic(), background_writes() as writes:
        writes.submit(insert_cadre("BGX"))
        raise ValueError("own")
    assert not Cadre.objects.filter(code="BGX").exists()  # rolled back with the savepoint


def test_the_switch_interval_is_shortened_only_while_writing_in_the_background(country: Country) -> None:
    before = sys.getswitchinterval()
    with background_writes():
        during = sys.getswitchinterval()
    assert sys.getswitchinterval() == before
    expected = min(before, SWITCH_INTERVAL) if connection.vendor == "postgresql" else before
    assert during == pytest.approx(expected)
