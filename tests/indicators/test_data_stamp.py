"""The indicators' data stamp (``sswis.indicators.cache.data_stamp``): on PostgreSQL, moved by the triggers of
indicators migration 0001 on every write however it is made, never given back after a rollback, and never
making two writers wait for each other; on every database, a page shows a change at once."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from sswis.geo.models import Location, PopulationEstimate
from sswis.indicators.cache import data_stamp, input_models
from sswis.registry.models import Assignment, Cadre, Worker
from sswis.registry.services import assignment_end
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, PopulationEstimateFactory, WorkerFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers are PostgreSQL's (SQLite adds up the rows)"
)


@postgresql_only
def test_every_table_the_indicators_read_has_the_trigger(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table, event_manipulation FROM information_schema.triggers "
            "WHERE trigger_name = 'indicators_data_changed' AND action_orientation = 'STATEMENT'"
        )
        events = cursor.fetchall()
        cursor.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
            "WHERE tgname = 'indicators_data_changed' AND (tgtype & 32) <> 0"  # 32: on TRUNCATE
        )
        on_truncate = {row[0].strip('"') for row in cursor.fetchall()}
    tables = {model._meta.db_table for model in input_models()}
    for event in ("INSERT", "UPDATE", "DELETE"):
        assert {table for table, manipulation in events if manipulation == event} >= tables, event
    assert on_truncate >= tables


def _bulk_update(country: Country) -> None:
    Cadre.objects.filter(pk=country.social_worker.pk).update(category="volunteer")


def _bulk_create(country: Country) -> None:
    PopulationEstimate.objects.bulk_create(
        [PopulationEstimate(location=country.district_11, year=2031, children=5)]
    )


def _raw_delete(country: Country) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_assignment WHERE id = %s", [Assignment.objects.get().pk])


def _update_touching_nothing_that_counts(country: Country) -> None:
    # No version, no id, no count moves: the sums of SQLite could not see it, the trigger does.
    Worker.objects.update(sex=Worker.objects.values_list("sex", flat=True).get())


@postgresql_only
@pytest.mark.parametrize(
    "change", [_bulk_update, _bulk_create, _raw_delete, _update_touching_nothing_that_counts]
)
def test_any_write_moves_the_stamp(country: Country, change: Callable[[Country], None]) -> None:
    AssignmentFactory(
        organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    before = data_stamp()

    change(country)

    assert data_stamp() != before


@postgresql_only
def test_reading_moves_nothing(country: Country) -> None:
    AssignmentFactory(
        organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    before = data_stamp()
    list(Worker.objects.all())
    list(Location.objects.select_for_update())

    assert data_stamp() == before


@postgresql_only
def test_a_stamp_seen_in_a_rolled_back_transaction_never_comes_back(country: Country) -> None:
    before = data_stamp()
    seen = []
    with pytest.raises(RuntimeError), transaction.atomic():
        PopulationEstimateFactory(location=country.district_11, year=2030, children=100)
        seen.append(data_stamp())
        raise RuntimeError("rolled back")
    assert data_stamp() == before  # nothing was committed

    # The same change made again, committed this time: another stamp, so figures computed inside the
    # rolled-back transaction (kept under its stamp) are never given for the data of this one.
    PopulationEstimateFactory(location=country.district_11, year=2030, children=100)
    assert data_stamp() not in (before, seen[0])


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_writers_at_the_same_time_never_wait_for_each_other(country: Country) -> None:
    outcome: list[Any] = []

    def other_writer() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
                PopulationEstimateFactory(location=country.district_12, year=2030, children=7)
            outcome.append("committed")
        except Exception as error:  # pragma: no cover - the failure this test is about
            outcome.append(error)
        finally:
            connections.close_all()

    before = data_stamp()
    with transaction.atomic():
        PopulationEstimateFactory(location=country.district_11, year=2030, children=5)  # holds its row
        writer = threading.Thread(target=other_writer)
        writer.start()
        writer.join(timeout=10)
        during = data_stamp()
    after = data_stamp()

    assert outcome == ["committed"]
    assert before != during == after  # the other writer's row and this one's, read before and after commit
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM indicators_data_change")
        assert cursor.fetchone()[0] >= 2  # the second writer took a row of its own


def _count_on_dashboard(client: Client) -> Any:
    response = client.get(reverse("web:dashboard"), {"year": 2024, "location": "KD"})
    return {figure.indicator: figure.value for figure in response.context["dashboard"].headline.figures}[
        "workforce.count"
    ]


def test_the_dashboard_shows_a_change_at_once(client: Client, personas: Personas, country: Country) -> None:
    PopulationEstimateFactory(location=country.district_11, year=2024, children=10_000)
    kept = [
        AssignmentFactory(
            worker=WorkerFactory(),
            organisation=country.ministry,
            location=country.district_11,
            cadre=country.social_worker,
            start_date=datetime.date(2022, 1, 1),
        )
        for _ in range(3)
    ]
    client.force_login(personas.national)
    assert _count_on_dashboard(client) == 3
    assert _count_on_dashboard(client) == 3  # kept: the second view computes nothing

    assignment_end(
        actor=personas.national,
        assignment=kept[0],
        end_date=datetime.date(2023, 6, 30),
        exit_reason="resigned",
    )
    assert _count_on_dashboard(client) == 2

    if connection.vendor == "postgresql":  # a write no service made: only the triggers see it
        Assignment.objects.filter(pk=kept[1].pk).update(
            end_date=datetime.date(2023, 6, 30), exit_reason="resigned"
        )
        assert _count_on_dashboard(client) == 1
