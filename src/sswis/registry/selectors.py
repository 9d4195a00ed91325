"""Reads of the registry for lists and detail pages. Always pass through ``sswis.access`` first."""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, Func, OuterRef, Q, QuerySet, Subquery

from sswis.access import policy
from sswis.geo.models import Location
from sswis.indicators.counted import counted_condition
from sswis.registry.models import Assignment, Cadre, Post, Worker

LIST_ORDER = ("family_name", "given_name", "worker_id")  # the worker list's order (worker ID: unique)


@dataclass(frozen=True)
class WorkerFilters:
    """The filters of the worker list, shared by the page, the export and the API."""

    search: str = ""
    location: Location | None = None
    cadre_codes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    organisation_codes: tuple[str, ...] = ()
    employer: str = ""  # "government" | "non_government" | ""
    paid: bool | None = None
    active_year: int | None = None
    counted_year: int | None = None  # counted in the child protection workforce that year (indicators)
    extra: dict[str, Any] = field(default_factory=dict)


def worker_name_prefixes(*, term: str) -> list[tuple[str, str]]:
    """THE rule of a search by name, as the ways a worker may match ``term`` (stripped): pairs of what the
    given name and what the family name begin with (``""``: either), case-insensitive. ``term`` is the
    beginning of the given name, or of the family name, or, in two or more words, the first word begins
    the given name and the rest the family name."""
    term = term.strip()
    prefixes = [(term, ""), ("", term)]
    parts = term.split()
    if len(parts) >= 2:
        prefixes.append((parts[0], " ".join(parts[1:])))
    return prefixes


def worker_name_conditions(*, term: str, via: str = "") -> list[Q]:
    """The conditions of a search by name, one per way of :func:`worker_name_prefixes` (a worker matches
    when any holds). ``via`` is the path to the worker from the model filtered (``"worker__"`` for a model
    with a ``worker`` foreign key).

    On PostgreSQL each is served by the expression index ``UPPER(given_name)`` or ``UPPER(family_name)``
    with ``text_pattern_ops`` (registry migrations 0002 and 0011); SQLite's ``LIKE`` reads the table.
    """
    conditions = []
    for given, family in worker_name_prefixes(term=term):
        condition = Q()
        if given:
            condition &= Q(**{f"{via}given_name__istartswith": given})
        if family:
            condition &= Q(**{f"{via}family_name__istartswith": family})
        conditions.append(condition)
    return conditions


def worker_list(*, user: Any, filters: WorkerFilters) -> QuerySet[Worker]:
    """Workers visible to ``user`` that match ``filters``.

    Assignment filters (location subtree, cadre, category, organisation, employer, paid, active in a
    year) must all hold for one and the same assignment, and only assignments the user may see count.
    With ``counted_year`` that assignment is the worker's reference assignment of that year
    (``sswis.indicators.counted``): a national data manager then gets exactly the workers that
    ``workforce.count`` counts at the location (and, with ``cadre``, ``category``, ``employer`` or ``paid``,
    in that group of the indicators' split); other users those of them whose reference assignment they
    may see.
    Search matches worker ID exactly (case-insensitive) or names as :func:`worker_name_conditions` do; the
    worker ID of a record merged into another finds the survivor (a chain of two merges too). Merged
    records themselves are never listed (``policy.workers_visible``). A search reads the merged records
    of its term at once (one query) and returns the workers as a queryset, like the rest; so do the place
    and cadre filters (:func:`_matching_assignments`).
    """
    return _workers_matching(
        user=user, filters=filters, matching=_matching_assignments(user=user, filters=filters)
    )


def _workers_matching(
    *, user: Any, filters: WorkerFilters, matching: QuerySet[Assignment] | None
) -> QuerySet[Worker]:
    """:func:`worker_list` with its matching assignments already chosen (``None``: no assignment filter)."""
    workers = policy.workers_visible(user=user)
    if filters.search:
        workers = workers.filter(
            functools.reduce(operator.or_, worker_search_alternatives(term=filters.search))
        )
    if matching is not None:
        workers = workers.filter(Exists(matching.filter(worker_id=OuterRef("pk"))))
    return workers.order_by(*LIST_ORDER)


def _matching_assignments(*, user: Any, filters: WorkerFilters) -> QuerySet[Assignment] | None:
    """The assignments visible to ``user`` that satisfy every assignment filter of ``filters``; ``None``
    without any assignment filter.

    The place's subtree and the cadres (by code and category) are read first, as lists of primary keys
    (a query each): PostgreSQL then knows how many assignments match and reads them from the indexes
    ``assignment_location_listed`` and ``assignment_cadre_listed`` (registry migration 0010).
    """
    assignment_filter = Q()
    if filters.location is not None:
        places = Location.objects.filter(path__startswith=filters.location.path).values_list("pk", flat=True)
        assignment_filter &= Q(location_id__in=list(places))
    if filters.cadre_codes or filters.categories:
        cadres = Cadre.objects.all()
        if filters.cadre_codes:
            cadres = cadres.filter(code__in=filters.cadre_codes)
        if filters.categories:
            cadres = cadres.filter(category__in=filters.categories)
        assignment_filter &= Q(cadre_id__in=list(cadres.values_list("pk", flat=True)))
    if filters.organisation_codes:
        assignment_filter &= Q(organisation__code__in=filters.organisation_codes)
    if filters.employer == "government":
        assignment_filter &= Q(organisation__type="government")
    elif filters.employer == "non_government":
        assignment_filter &= ~Q(organisation__type="government")
    if filters.paid is not None:
        assignment_filter &= Q(paid=filters.paid)
    if filters.active_year is not None:
        assignment_filter &= Q(start_date__lte=datetime.date(filters.active_year, 12, 31)) & (
            Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(filters.active_year, 1, 1))
        )
    if filters.counted_year is not None:
        assignment_filter &= counted_condition(year=filters.counted_year)
    if not assignment_filter:
        return None
    return policy.assignments_visible(user=user).filter(assignment_filter)


class _AmongSubquery(Func):
    """``expression = ANY(ARRAY(subquery))`` (PostgreSQL): true when the first expression is among the
    values of the subquery. Unlike ``IN (subquery)``, which PostgreSQL may turn into a join and plan as
    one, the subquery is run once first and its values are then looked up, by an index if there is one."""

    arg_joiner = " = ANY(ARRAY"
    template = "%(expressions)s)"
    output_field = BooleanField()


@dataclass(frozen=True)
class CountedWorkers:
    """The worker list's matches (:func:`worker_list_counted`).

    ``workers`` are exactly :func:`worker_list`'s rows in its order; ``count`` is their number if at most
    ``counted_up_to``, else ``counted_up_to + 1`` (``sswis.web.paging.CappedPaginator``'s count), or
    ``None`` when it was not counted here (the paginator then counts ``workers``).
    """

    workers: QuerySet[Worker]
    count: int | None


def worker_list_counted(*, user: Any, filters: WorkerFilters, counted_up_to: int) -> CountedWorkers:
    """:func:`worker_list`'s workers (same rows, same order), counted up to ``counted_up_to + 1`` and
    planned for how many they are, when an assignment filter is given without a search.

    Counted from the matching assignments alone: the distinct workers of the assignments that match
    (and that ``user`` may see) less the records merged into another, looked up among the few merged
    records (one query, reading ``assignment_location_listed`` or ``assignment_cadre_listed``, never the
    workers' rows). A worker with several matching assignments counts once.

    With at most ``counted_up_to`` matches, on PostgreSQL, the workers are those whose primary key is
    among the matches' (``= ANY(ARRAY(...))``), so that PostgreSQL sorts the few matches by name from
    the index ``worker_live_listed`` (a district of 10,000 workers: 20-50 ms for any of its pages)
    instead of walking every worker in name order until the page is full (25,000 workers for page 5 of
    that district). With more, it keeps :func:`worker_list`'s plan: the matches are then frequent
    enough for the walk to fill a page soon. A search, or no assignment filter: ``count`` is ``None``.
    """
    matching = _matching_assignments(user=user, filters=filters)
    workers = _workers_matching(user=user, filters=filters, matching=matching)
    if matching is None or filters.search:
        return CountedWorkers(workers=workers, count=None)
    merged = Worker.objects.filter(pk=OuterRef("worker_id"), merged_into__isnull=False)
    live = matching.exclude(Exists(merged)).order_by().values("worker_id").distinct()
    count = int(live[: counted_up_to + 1].count())
    # Without a match (a category with no cadre, say), the subquery would be no SQL at all: keep the list.
    if 0 < count <= counted_up_to and connections[workers.db].vendor == "postgresql":
        among = _AmongSubquery(F("pk"), Subquery(live))
        workers = policy.workers_visible(user=user).filter(among).order_by(*LIST_ORDER)
    return CountedWorkers(workers=workers, count=count)


def worker_search_alternatives(*, term: str) -> list[Q]:
    """THE ways a worker matches a search ``term`` (stripped), one condition each: the worker ID exactly
    (case-insensitive); the records that a merged record of that worker ID was merged into (a chain of two
    merges too); each name condition of :func:`worker_name_conditions`. A worker matches when any holds.

    The merged records of the term are read here, at once (one query), into a list of ids: a subquery among
    the alternatives would keep PostgreSQL from combining the index of each (a read of every worker).
    """
    term = term.strip()
    survivors = [
        pk
        for pair in Worker.objects.filter(merged_into__isnull=False, worker_id__iexact=term).values_list(
            "merged_into_id", "merged_into__merged_into_id"
        )
        for pk in pair
        if pk is not None
    ]
    alternatives = [Q(worker_id__iexact=term)]
    if survivors:
        alternatives.append(Q(pk__in=survivors))
    return alternatives + worker_name_conditions(term=term)


def worker_search_keys(*, listed: QuerySet[Worker], term: str) -> QuerySet[Any]:
    """The workers of ``listed`` (:func:`worker_list` without a search) that match the search ``term``, as
    keys: ``(pk, family_name, given_name, worker_id)`` tuples, the workers and the order of
    :func:`worker_list` with that search, for counting them and choosing a page's workers without reading
    their rows (``sswis.web.paging.CappedPaginator``'s ``keys``; the page's rows are then read by primary
    key from ``listed``).

    A ``UNION`` of one query per alternative of :func:`worker_search_alternatives`, each with the list's
    other conditions: on PostgreSQL each name prefix is an index-only scan of a covering name index
    (registry migration 0011), so the matches' names come from the index, not from one read of the table
    per match, as the alternatives joined by ``OR`` need (at 1,000,000 workers, the first page of
    ``?q=kat``'s 6,142 matches: 5,200 table pages and 60 ms, against 60 index pages and 4 ms). The keys
    are unique (the primary key is among them), so the ``UNION``'s removal of duplicates removes only a
    worker matched twice.
    """
    others = listed.order_by()
    parts = [
        others.filter(alternative).values_list("pk", *LIST_ORDER)
        for alternative in worker_search_alternatives(term=term)
    ]
    return parts[0].union(*parts[1:]).order_by(*LIST_ORDER)


def worker_detail(*, user: Any, worker_id: str) -> Worker:
    """The worker with this registry ID if visible to ``user``; raises ``Worker.DoesNotExist`` otherwise."""
    return policy.workers_visible(user=user).get(worker_id=worker_id)


def worker_assignments(*, user: Any, worker: Worker) -> QuerySet[Assignment]:
    """The worker's assignments that ``user`` may see, newest first, with related rows joined."""
    return (
        policy.assignments_visible(user=user)
        .filter(worker=worker)
        .select_related("organisation", "location", "cadre", "post")
        .order_by("-start_date", "-id")
    )


def post_exists_on(day: datetime.date) -> Q:
    """Condition on posts that exist on ``day``: established on or before it (or always) and not yet
    abolished (abolished on ``day`` means it no longer exists that day)."""
    return (Q(established_on__isnull=True) | Q(established_on__lte=day)) & (
        Q(abolished_on__isnull=True) | Q(abolished_on__gt=day)
    )


def post_list(
    *, user: Any, on: datetime.date, location: Location | None = None, organisation_code: str = ""
) -> QuerySet[Post]:
    """Posts visible to ``user``, annotated with ``is_filled`` (an assignment active on ``on``) and
    ``exists_on_date``. A post is vacant on ``on`` when it exists that day and is not filled."""
    active = Assignment.objects.filter(post_id=OuterRef("pk"), start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    posts = policy.posts_visible(user=user).select_related("organisation", "location", "cadre")
    if location is not None:
        posts = posts.filter(location__path__startswith=location.path)
    if organisation_code:
        posts = posts.filter(organisation__code=organisation_code)
    exists = ExpressionWrapper(post_exists_on(on), output_field=BooleanField())
    return posts.annotate(is_filled=Exists(active), exists_on_date=exists).order_by("code")


def organisation_staff(*, user: Any, organisation: Any, on: datetime.date) -> QuerySet[Assignment]:
    """The assignments of ``organisation`` active on ``on`` that ``user`` may see (none for roles without
    person records), with worker, cadre and location joined, by the worker's family and given names."""
    return (
        policy.assignments_visible(user=user)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on), organisation=organisation, start_date__lte=on)
        .select_related("worker", "cadre", "location", "post")
        .order_by("worker__family_name", "worker__given_name", "worker__worker_id", "pk")
    )
