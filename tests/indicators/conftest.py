"""Helpers for the indicator tests: build assignments on the shared ``country`` and read result rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sswis.indicators.selectors import IndicatorRow
from sswis.registry.models import Assignment, Worker
from tests.conftest import Country
from tests.factories import AssignmentFactory, WorkerFactory

YEAR = 2024


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def assign(
    country: Country,
    *,
    worker: Worker | None = None,
    location: Any = None,
    cadre: Any = None,
    organisation: Any = None,
    start: str = "2024-01-01",
    end: str | None = None,
    fte: str = "1",
    **fields: Any,
) -> Assignment:
    """An assignment on the ``country`` fixture; defaults: a new worker, D11, social worker, ministry."""
    return AssignmentFactory(
        worker=worker if worker is not None else WorkerFactory(),
        organisation=organisation or country.ministry,
        location=location or country.district_11,
        cadre=cadre or country.social_worker,
        start_date=day(start),
        end_date=day(end) if end else None,
        fte=Decimal(fte),
        **fields,
    )


def row(rows: Iterable[IndicatorRow], indicator: str, location: str, **group: str) -> IndicatorRow:
    """The one row of ``indicator`` at ``location`` for exactly ``group`` (fails if none or several)."""
    found = [r for r in rows if r.indicator == indicator and r.location == location and r.group == group]
    assert len(found) == 1, f"{len(found)} rows for {indicator} {location} {group}"
    return found[0]


def counts(rows: Iterable[IndicatorRow], indicator: str = "workforce.count") -> dict[str, int]:
    """The undisaggregated numerator of ``indicator`` by location code."""
    return {r.location: r.numerator for r in rows if r.indicator == indicator and r.group == {}}


def groups(rows: Iterable[IndicatorRow], indicator: str, location: str) -> dict[tuple[str, ...], int]:
    """Numerators of the disaggregated rows of ``indicator`` at ``location``, keyed by group values."""
    return {
        tuple(r.group.values()): r.numerator
        for r in rows
        if r.indicator == indicator and r.location == location and r.group
    }
