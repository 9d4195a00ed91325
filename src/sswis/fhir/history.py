"""ITI-91 (Request Care Services Updates): which resources changed since an instant, in order, a page at a time.

A resource *changed* at an instant when one of its *sources* has a row stamped then:

* its primary row's ``updated_at`` (a worker, an assignment, an organisation, a location);
* a dependent row's ``updated_at`` (``ResourceKind.dependents``, the ``COMPUTED_DEPENDENTS`` below, and
  for a scoped reader the ``VISIBILITY_DEPENDENTS``: a national reader's change instants leave them out);
* the audit history's deletion record (``history_type == "-"``, its ``history_date``) of the primary row
  or of a dependent row (a deleted registration changes its worker's Practitioner).

A resource's *change instant* is the newest of all its sources. The history lists each changed resource
once, at its change instant, ordered by (instant, kind order of ``KINDS``, primary key): a resource
changed twice since ``_since`` is listed once, in its current version. Pages are keyset pages: each
source is read by an indexed range from the last position, ``LIMIT`` the page size, so a whole walk reads
each source row a bounded number of times and keeps at most one page in memory.

Each entry is the resource's current version (``PUT``), or ``DELETE`` (type and id only) when the
resource no longer exists or this reader may no longer see it: a subnational officer's copy loses a
worker transferred out of their area. A walk without ``_since`` (a first copy) leaves out the resources
the reader cannot see, since the reader has no copy of them to delete.

Limits, stated in ``docs/fhir.md``:

* a dependent that moves from one resource to another (an organisation that stops managing one location
  and manages another) changes the old resource without stamping it: only the new one is listed;
* ``active`` is computed for today: an assignment that ends by the calendar, without a change of any row,
  is not listed;
* a focal point's Locations follow their organisation's assignments only through the locations' own
  changes;
* a change committed by a transaction that started before a poll can carry an instant older than the
  poll: clients poll with ``_since`` a little before the previous poll (entries are idempotent).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import IntegerField, Max, Model, QuerySet, Value
from django.utils.translation import gettext

from sswis.access.policy import scope_of
from sswis.fhir.kinds import KINDS, Dependent, ResourceKind
from sswis.fhir.queries import filter_among, repeated_instants_parsed_once
from sswis.fhir.render import resource_rows, resources_render
from sswis.registry.models import Assignment, Post

MAX_COUNT = 1000
DEFAULT_COUNT = 100

COMPUTED_DEPENDENTS: dict[str, tuple[Dependent, ...]] = {
    # A worker's assignments decide ``Practitioner.active`` (and which scoped readers see the worker).
    "Practitioner": (Dependent(model=Assignment, link="worker_id"),),
}
"""Rows that change a computed field of a resource without being part of its rendering; listed in the
history like ``ResourceKind.dependents``, for every reader."""

VISIBILITY_DEPENDENTS: dict[str, tuple[Dependent, ...]] = {
    # A subnational officer sees the organisations with a post or an assignment in their area.
    "Organization": (
        Dependent(model=Assignment, link="organisation_id"),
        Dependent(model=Post, link="organisation_id"),
    ),
}
"""Rows that change only whether a scoped reader sees a resource; listed in the history for readers whose
sight they can change, not for a national reader, who sees every resource (at 1,000,000 workers the
organisations' assignments are a million stamps that change nothing for them)."""

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_LAST = 1 << 62  # after any kind order or primary key: "strictly after this instant"


class HistoryParameterError(ValueError):
    """A ``_since``, ``_count`` or cursor the history cannot use; the message names it and says why."""


class Position(NamedTuple):
    """A place in the history's order: (instant as microseconds since 1970 UTC, kind order, primary key);
    a tuple, so that the many made and compared on each page cost little."""

    micros: int
    kind_order: int
    pk: int


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts (strictly after ``after``), and whether the walk began without
    ``_since`` (a first copy, which leaves out resources the reader cannot see)."""

    after: Position | None
    full: bool

    def encode(self) -> str:
        after = self.after
        text = "-" if after is None else f"{after.micros}.{after.kind_order}.{after.pk}"
        raw = f"v1:{int(self.full)}:{text}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> Cursor:
        """Raise ``HistoryParameterError`` for anything this module did not write."""
        problem = HistoryParameterError(
            gettext("The _cursor parameter is not a cursor given by this server: follow the next link as is.")
        )
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
            version, full, text = raw.split(":")
            if version != "v1" or full not in ("0", "1"):
                raise problem
            if text == "-":
                return cls(after=None, full=full == "1")
            micros, kind_order, pk = (int(part) for part in text.split("."))
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise problem from error
        if micros < 0 or not 0 <= kind_order <= len(KINDS) or not 0 <= pk <= _LAST:
            raise problem
        return cls(after=Position(micros, kind_order, pk), full=full == "1")


def micros_of(instant: datetime.datetime) -> int:
    """Microseconds since 1970 UTC of an aware datetime (exact: no float).

    The previous answer is given again for the very same object: a page's instants are mostly one
    object repeated (``repeated_instants_parsed_once``), tens of thousands of times."""
    global _last_micros
    last = _last_micros  # one tuple read once: another thread replaces it whole, never half
    if instant is last[0]:
        return last[1]
    delta = instant - _EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    _last_micros = (instant, micros)
    return micros


# The last instant ``micros_of`` converted, and its answer (datetimes are immutable).
_last_micros: tuple[datetime.datetime | None, int] = (None, 0)


def instant_of(micros: int) -> datetime.datetime:
    return _EPOCH + datetime.timedelta(microseconds=micros)


def since_cursor(since: datetime.datetime | None) -> Cursor:
    """The first page's cursor: strictly after ``since`` (every kind, every key), or from the beginning."""
    if since is None:
        return Cursor(after=None, full=True)
    return Cursor(after=Position(micros_of(since), len(KINDS), _LAST), full=False)


@dataclass(frozen=True)
class Source:
    """One stream of (instant, primary key) stamps of resources of ``kind``."""

    kind: ResourceKind
    kind_order: int
    model: type[Model]
    key: str  # the column holding the resource's primary key
    time: str  # "updated_at", or "history_date" for deletion records
    deletions: bool
    tag: int  # the source's place in the list read together (``_stamps_read``)

    def stamps(self, *, after: Position | None, until: Position | None, limit: int) -> QuerySet[Any]:
        """The first ``limit`` stamps strictly after ``after`` (and not after ``until``, to the instant), in
        order, as (time, key, ``tag``) rows: one index range read (migration ``0002_history_indexes``)."""
        queryset: QuerySet[Any] = self.model._default_manager.all()
        if self.deletions:
            queryset = queryset.filter(history_type="-")
        if self.key != "id":  # a dependent that names no resource (an organisation managing no location)
            queryset = queryset.filter(**{f"{self.key}__isnull": False})
        if after is not None:
            at = instant_of(after.micros)
            if self.kind_order < after.kind_order:  # at the same instant this kind came before
                queryset = queryset.filter(**{f"{self.time}__gt": at})
            elif self.kind_order > after.kind_order:
                queryset = queryset.filter(**{f"{self.time}__gte": at})
            else:
                # A row-value comparison: one range of the (time, key) index (migration 0002 of this app),
                # however many rows share the instant (an import stamps all its rows with one).
                table = connection.ops.quote_name(self.model._meta.db_table)
                time, key = (connection.ops.quote_name(name) for name in (self.time, self.key))
                queryset = queryset.extra(
                    where=[f"({table}.{time}, {table}.{key}) > (%s, %s)"],
                    params=[connection.ops.adapt_datetimefield_value(at), after.pk],
                )
        if until is not None:
            # Stamps past a boundary already known are read again next round: not read now. At the
            # boundary's instant a later kind's stamps all come after it.
            later = self.kind_order > until.kind_order
            queryset = queryset.filter(
                **{f"{self.time}__{'lt' if later else 'lte'}": instant_of(until.micros)}
            )
        stamps = (
            queryset.annotate(tag=Value(self.tag, output_field=IntegerField()))
            .order_by(self.time, self.key)
            .values_list(self.time, self.key, "tag")
        )
        if self.key != "id":
            # One stamp per resource and instant: an organisation's 10,000 assignments imported at one
            # instant are one stamp of the Organization, not ten rounds of 1,000.
            stamps = stamps.distinct()
        return stamps[:limit]


def _stamps_read(
    sources: Sequence[Source], *, after: Position | None, until: Position | None, limit: int
) -> list[list[Position]]:
    """Each source's stamps (``Source.stamps``), in the sources' order.

    Where the database takes ordered, limited parts in a compound query (PostgreSQL), the sources are read
    by one ``UNION ALL`` statement: a page reads 16 sources, and each statement's round trip and compiling
    cost more than most of them return. Elsewhere (SQLite) one statement per source."""
    read: list[list[Position]] = [[] for _ in sources]
    if not sources:
        return read
    parts = [source.stamps(after=after, until=until, limit=limit) for source in sources]
    if connection.features.supports_slicing_ordering_in_compound and len(parts) > 1:
        rows: Iterable[tuple[datetime.datetime, int, int]] = parts[0].union(*parts[1:], all=True)
    else:
        rows = (row for part in parts for row in part)
    for time, key, tag in rows:
        source = sources[tag]
        read[tag].append(Position(micros_of(time), source.kind_order, key))
    # A compound query keeps no order across its parts; each part's rows came in order.
    for stamps in read:
        stamps.sort()
    return read


def _sources(kinds: Sequence[ResourceKind], *, scoped: bool) -> tuple[list[Source], list[Source]]:
    """The live sources (tables) and the deletion sources (audit histories) of ``kinds``, each list tagged
    from 0 in its order."""
    live: list[tuple[ResourceKind, int, type[Model], str]] = []
    for kind in kinds:
        order = list(KINDS).index(kind.name)
        live.append((kind, order, kind.model, "id"))
        for dependent in _dependents(kind, scoped=scoped):
            live.append((kind, order, dependent.model, dependent.link))
    return (
        [
            Source(kind, order, model, key, "updated_at", deletions=False, tag=tag)
            for tag, (kind, order, model, key) in enumerate(live)
        ],
        [
            Source(kind, order, _history_model(model), key, "history_date", deletions=True, tag=tag)
            for tag, (kind, order, model, key) in enumerate(live)
        ],
    )


def _dependents(kind: ResourceKind, *, scoped: bool) -> tuple[Dependent, ...]:
    """The dependents of ``kind`` the history follows: its own, the computed fields', and for a ``scoped``
    reader (one who does not see the whole directory) the rows that decide their sight."""
    dependents = kind.dependents + COMPUTED_DEPENDENTS.get(kind.name, ())
    return dependents + VISIBILITY_DEPENDENTS.get(kind.name, ()) if scoped else dependents


def _history_model(model: type[Model]) -> type[Model]:
    history: type[Model] = model.history.model  # type: ignore[attr-defined]  # django-simple-history
    return history


@dataclass(frozen=True)
class Change:
    """A changed resource: its kind, primary key, UUID and change instant; ``exists`` is False once deleted."""

    kind: ResourceKind
    position: Position
    uuid: str
    exists: bool


def _changes_of(kind: ResourceKind, kind_order: int, pks: set[int], *, scoped: bool) -> dict[int, Change]:
    """The change instant of each resource of ``kind`` in ``pks``: the newest stamp of all its sources.

    At most three queries: the live rows, the primary's deletion records (when some are gone), and the
    dependents' newest stamps.
    """
    newest: dict[int, int] = {}

    def stamp(pk: int, instant: datetime.datetime | None) -> None:
        if instant is not None:
            newest[pk] = max(newest.get(pk, 0), micros_of(instant))

    uuids: dict[int, str] = {}
    live: set[int] = set()
    for pk, uuid, updated_at in filter_among(kind.model._default_manager.all(), "id", pks).values_list(
        "pk", "uuid", "updated_at"
    ):
        live.add(pk)
        uuids[pk] = str(uuid)
        stamp(pk, updated_at)
    gone = pks - live
    if gone:
        records = filter_among(
            _history_model(kind.model)._default_manager.filter(history_type="-"), "id", gone
        )
        for pk, uuid, deleted_at in records.order_by("history_date").values_list(
            "id", "uuid", "history_date"
        ):
            uuids[pk] = str(uuid)
            stamp(pk, deleted_at)
    # Every dependent's newest stamp per resource, live rows and deletion records, in one statement.
    newest_of_dependents: list[QuerySet[Any]] = []
    for dependent in _dependents(kind, scoped=scoped):
        link = dependent.link
        for rows, time in (
            (dependent.model._default_manager.all(), "updated_at"),
            (_history_model(dependent.model)._default_manager.filter(history_type="-"), "history_date"),
        ):
            newest_of_dependents.append(
                filter_among(rows, link, pks)
                .order_by()
                .values_list(link)
                .annotate(newest=Max(time))
                .values_list(link, "newest")
            )
    if newest_of_dependents:
        first, *rest = newest_of_dependents
        for pk, instant in first.union(*rest, all=True) if rest else first:
            stamp(pk, instant)
    return {
        pk: Change(kind, Position(micros, kind_order, pk), uuids[pk], pk in live)
        for pk, micros in newest.items()
        if pk in uuids  # a dependent's stamp for a resource with no row and no deletion record: none
    }


def changes_after(
    *, kinds: Sequence[ResourceKind], cursor: Cursor, count: int, scoped: bool = True
) -> tuple[list[Change], Cursor | None]:
    """Up to ``count`` changed resources after ``cursor``, in order, and the cursor of the next page
    (``None`` when nothing is left).

    Each round reads up to ``count`` stamps from every source (tables, then audit histories); the stamps up
    to the earliest last stamp of a full source (the *boundary*) are complete, so the audit histories are
    read no further than the boundary the tables gave, and the resources stamped up to it are kept where the
    stamp is their change instant (the others are listed later, at their newer instant). A round that
    keeps nothing moves on from the boundary.
    """
    live_sources, deletion_sources = _sources(kinds, scoped=scoped)
    kind_orders = {kind.name: list(KINDS).index(kind.name) for kind in kinds}
    after = cursor.after
    found: list[Change] = []
    while len(found) < count:
        limit = count - len(found)
        stamps: list[Position] = []
        boundary: Position | None = None
        # The tables together, then the audit histories no further than the boundary the tables gave
        # (deletions are few: reading them past it would mostly be read again next round).
        for sources in (live_sources, deletion_sources):
            for rows in _stamps_read(sources, after=after, until=boundary, limit=limit):
                stamps.extend(rows)
                if len(rows) == limit and (boundary is None or rows[-1] < boundary):
                    boundary = rows[-1]
        candidates: dict[int, set[int]] = defaultdict(set)
        for position in stamps:
            if boundary is None or position <= boundary:
                candidates[position.kind_order].add(position.pk)
        wanted = {position for position in stamps if boundary is None or position <= boundary}
        kept: list[Change] = []
        for kind in kinds:
            order = kind_orders[kind.name]
            if candidates.get(order):
                kept.extend(
                    change
                    for change in _changes_of(kind, order, candidates[order], scoped=scoped).values()
                    if change.position in wanted
                )
        kept.sort(key=lambda change: change.position)
        if len(kept) > limit:
            kept = kept[:limit]
            found.extend(kept)
            return found, Cursor(after=kept[-1].position, full=cursor.full)
        found.extend(kept)
        if boundary is None:
            return found, None
        after = boundary
    return found, Cursor(after=after, full=cursor.full)


@dataclass(frozen=True)
class HistoryPage:
    entries: list[dict[str, Any]]
    next_cursor: Cursor | None


def history_page(
    *, kinds: Sequence[ResourceKind], user: Any, cursor: Cursor, count: int, base_url: str
) -> HistoryPage:
    """One page of the history for ``user``: entries in order, each a current version (``PUT``) or a
    ``DELETE`` for a resource deleted or out of the reader's sight; in a first copy (``cursor.full``) the
    resources the reader cannot see are left out. A fixed number of queries for a page whose resources
    change in one round, whatever their number. Built with the cyclic garbage collector paused
    (:func:`collection_paused`; a caller that also writes the page out pauses it around both)."""
    with collection_paused(), repeated_instants_parsed_once():
        return _history_page(kinds=kinds, user=user, cursor=cursor, count=count, base_url=base_url)


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector paused inside (nested uses resume it once, at the outermost end).

    A page makes tens of thousands of small containers that reference counting frees; collections
    triggered while they are alive walk them all (they took about 40% of a page of 1,000), and so does the
    first collection after resuming if they are still alive then, since every one of them counts as a new
    object. So a caller pauses it until the page is written out and dropped; the page's memory is bounded
    by ``count`` either way."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _history_page(
    *, kinds: Sequence[ResourceKind], user: Any, cursor: Cursor, count: int, base_url: str
) -> HistoryPage:
    scoped = not scope_of(user).is_national
    changes, next_cursor = changes_after(kinds=kinds, cursor=cursor, count=count, scoped=scoped)
    by_kind: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_kind[change.kind.name].append(change)
    rendered: dict[tuple[str, int], dict[str, Any]] = {}
    for name, kind_changes in by_kind.items():
        kind = KINDS[name]
        existing = [change.position.pk for change in kind_changes if change.exists]
        if not existing:
            continue
        rows = resource_rows(
            kind=kind, queryset=filter_among(kind.visible(user=user), "id", existing).order_by("pk")
        )
        resources = resources_render(kind=kind, rows=rows, user=user, base_url=base_url)
        for row, current in zip(rows, resources, strict=True):
            rendered[(name, row.pk)] = current
    entries: list[dict[str, Any]] = []
    for change in changes:
        name = change.kind.name
        resource = rendered.get((name, change.position.pk))
        url = f"{name}/{change.uuid}"
        if resource is not None:
            entries.append(
                {
                    "fullUrl": f"{base_url}/{url}",
                    "resource": resource,
                    "request": {"method": "PUT", "url": url},
                    "response": {"status": "200 OK", "lastModified": resource["meta"]["lastUpdated"]},
                }
            )
        elif change.exists and cursor.full:
            continue  # never seen by this reader, who has no copy to delete
        else:
            entries.append(
                {
                    "fullUrl": f"{base_url}/{url}",
                    "request": {"method": "DELETE", "url": url},
                    "response": {"status": "204 No Content"},
                }
            )
    return HistoryPage(entries=entries, next_cursor=next_cursor)


def iterate_history(
    *, kinds: Sequence[ResourceKind], user: Any, since: datetime.datetime | None, count: int, base_url: str
) -> Iterator[HistoryPage]:
    """Every page of the history from ``since`` (or the beginning), one at a time (flat memory)."""
    cursor: Cursor | None = since_cursor(since)
    while cursor is not None:
        page = history_page(kinds=kinds, user=user, cursor=cursor, count=count, base_url=base_url)
        yield page
        cursor = page.next_cursor
