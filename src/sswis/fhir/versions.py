"""Versions of directory resources: the last-updated instant, the version id, and vread's as-of rebuild.

A resource's last-updated instant is the newest ``updated_at`` of its primary row and of its dependents
(``sswis.fhir.kinds``); its ``meta.versionId`` is that instant in whole microseconds since 1970, as a
string. The same rule is used by rendering (from rows already loaded), by the ``_lastUpdated`` search
parameter (:func:`last_updated_expression`, in SQL) and by the ITI-91 history, so the three agree.

An older version (vread) is rebuilt from the audit history (django-simple-history): each historical
record carries the ``updated_at`` its row had in that version, so the version at instant ``T`` is made of
each row's latest record saved at or before ``T``; a row whose latest record by then is its deletion
(``history_type "-"``, dated by ``history_date``) is absent from it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import DateTimeField, Expression, F, Max, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

from sswis.fhir.kinds import ResourceKind

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def version_id(instant: datetime.datetime) -> str:
    """The version id of the version last updated at ``instant``: microseconds since 1970, as text."""
    delta = instant - EPOCH
    return str((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)


def instant_of_version(value: str) -> datetime.datetime | None:
    """The instant a version id stands for; ``None`` when ``value`` is not a version id sswis gives."""
    if not value.isascii() or not value.isdigit() or len(value) > 20:
        return None
    try:
        return EPOCH + datetime.timedelta(microseconds=int(value))
    except OverflowError:
        return None


def instant_text(instant: datetime.datetime) -> str:
    """A FHIR ``instant`` in UTC with its microseconds kept (``2026-01-02T03:04:05.123456Z``)."""
    return instant.astimezone(datetime.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def last_updated(*instants: datetime.datetime | None) -> datetime.datetime:
    """The newest of a primary row's ``updated_at`` and its dependents' (``None`` ignored)."""
    return max(instant for instant in instants if instant is not None)


def last_updated_expression(kind: ResourceKind) -> Expression | F:
    """SQL for the last-updated instant of each primary row of ``kind`` (annotate a queryset of
    ``kind.model`` with it). Without dependents it is the row's own indexed ``updated_at``; with them, the
    greatest of it and each dependent's newest ``updated_at`` (a dependent-less row: its own)."""
    own = F("updated_at")
    if not kind.dependents:
        return own
    parts: list[Any] = [own]
    for dependent in kind.dependents:
        newest = (
            dependent.model._default_manager.filter(**{dependent.link: OuterRef("pk")})
            .order_by()
            .values(dependent.link)
            .annotate(newest=Max("updated_at"))
            .values("newest")
        )
        # GREATEST is NULL on SQLite as soon as one argument is: a row without dependents keeps its own.
        parts.append(Coalesce(Subquery(newest, output_field=DateTimeField()), own))
    return Greatest(*parts, output_field=DateTimeField())


@dataclass(frozen=True)
class RowsAsOf:
    """The rows of one resource as they stood at an instant, rebuilt from their historical records:
    ``primary`` is a model instance (``None``: deleted or not yet created), ``dependents`` the
    instances of each dependent (in ``kind.dependents`` order), ``deleted`` whether the primary row's
    latest record by then is its deletion."""

    primary: Model | None
    dependents: tuple[list[Model], ...]
    deleted: bool
    exists_at: bool  # some record of the resource's rows carries exactly that updated_at


def _effective(records: Iterable[Any], instant: datetime.datetime) -> dict[Any, Any]:
    """For each original row id, its latest historical record in effect at ``instant``: saves by their
    ``updated_at`` (the instant the version carries), deletions by their ``history_date``."""
    latest: dict[Any, Any] = {}
    for record in records:
        when = record.history_date if record.history_type == "-" else record.updated_at
        if when is None or when > instant:
            continue
        key = (when, record.history_id)
        current = latest.get(record.id)
        if current is None or key > current[0]:
            latest[record.id] = (key, record)
    return {row_id: record for row_id, (_, record) in latest.items()}


def rows_as_of(*, kind: ResourceKind, uuid: Any, instant: datetime.datetime) -> RowsAsOf | None:
    """The rows of the resource ``kind``/``uuid`` at ``instant`` from the audit history; ``None`` when
    the audit history has no record of such a resource at all. Queries: one for the primary row's
    records, one per dependent."""
    history = kind.model.history  # type: ignore[attr-defined]  # django-simple-history's manager
    primary_records = list(history.filter(uuid=uuid).order_by("history_date", "history_id"))
    if not primary_records:
        return None
    row_id = primary_records[0].id
    # A version is a save (its updated_at) or the deletion (its history_date: the DELETE of ITI-91).
    exists_at = any(
        record.updated_at == instant or (record.history_type == "-" and record.history_date == instant)
        for record in primary_records
    )
    effective = _effective(primary_records, instant).get(row_id)
    dependents: list[list[Model]] = []
    for dependent in kind.dependents:
        dependent_history = dependent.model.history  # type: ignore[attr-defined]
        # Every record of each row that ever pointed at the resource: a row that later points elsewhere
        # (an organisation that stops managing a location) leaves the resource from that record on.
        linked = dependent_history.filter(**{dependent.link: row_id}).values("id")
        records = [
            record
            for record in dependent_history.filter(id__in=linked).order_by("history_date", "history_id")
        ]
        exists_at = exists_at or any(
            record.updated_at == instant and record.history_type != "-" for record in records
        )
        dependents.append(
            [
                record.instance
                for record in _effective(records, instant).values()
                if record.history_type != "-" and getattr(record, dependent.link) == row_id
            ]
        )
    deleted = effective is not None and effective.history_type == "-"
    primary = None if effective is None or deleted else effective.instance
    return RowsAsOf(primary=primary, dependents=tuple(dependents), deleted=deleted, exists_at=exists_at)
