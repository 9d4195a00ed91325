"""A paginator that stops counting: the pages of a list that may hold a million rows.

Counting every match of a filter costs more than showing a page of them (at 1,000,000 workers, counting
the 125,000 paid workers of a cadre took 1.3 s where their first page took 11 ms). ``CappedPaginator``
counts up to ``COUNTED_UP_TO`` matches, as FHIR search counts its Bundle's total
(``sswis.fhir.search.TOTAL_COUNTED_UP_TO``), and beyond that says "more than 10,000": each page then
reads one row more than it shows to know whether a next page exists, so every page stays reachable by
"Next" however many matches there are.

Given ``keys`` (the matches' keys, the primary key first, in the list's order: a narrower query than the
rows', such as ``registry.selectors.worker_search_keys``), it counts the keys and chooses a page's primary
keys from them, then reads only that page's rows from ``object_list`` by primary key (a deferred join):
``object_list`` must then hold every key's row and may hold more.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNTED_UP_TO = 10_000


class CappedPage(Page):
    """A page of a list counted only up to its paginator's cap: whether a next page exists is known from
    the one row read beyond the page, not from the number of pages."""

    def __init__(self, object_list: Sequence[Any], number: int, paginator: Paginator, *, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self)


class CappedPaginator(Paginator):
    """Django's paginator, but ``count`` is exact only up to ``counted_up_to``.

    Guarantees: with at most ``counted_up_to`` matches it behaves exactly as Django's (same pages, same
    count, same last page). With more, ``capped`` is true, ``count`` is ``counted_up_to + 1`` (one
    query counting over a ``LIMIT``, which stops there), ``num_pages`` is unknown to the page (the
    templates show no last page), any page number from 1 is valid, and each page reads ``per_page + 1``
    rows to know whether it has a next one. A page number past the end gives the last page, as
    ``get_page`` does; only that case counts every match (to know which page is last).

    ``count``, when given, is that capped count already known (counted by a cheaper query than one over
    ``object_list``: ``registry.selectors.worker_list_counted``); it must be exactly what ``count`` would
    be, and is then not counted again.
    """

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        *,
        counted_up_to: int | None = None,
        keys: QuerySet[Any] | None = None,
        count: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.matches = object_list  # typed as the queryset it is (Django types ``object_list`` loosely)
        self.counted_up_to = COUNTED_UP_TO if counted_up_to is None else counted_up_to
        self.keys = keys
        self.known_count = count

    @cached_property
    def count(self) -> int:
        """The number of matches if at most ``counted_up_to``; else ``counted_up_to + 1``."""
        if self.known_count is not None:
            return self.known_count
        return int(self._counted()[: self.counted_up_to + 1].count())

    def _counted(self) -> QuerySet[Any]:
        """What is counted: the keys when given, else the matches (without their order)."""
        return self.matches.order_by() if self.keys is None else self.keys

    def rows(self, bottom: int, top: int) -> list[Any]:
        """The matches from ``bottom`` to ``top`` (excluded), in order: a slice of the list, or, with
        ``keys``, the rows of the keys' slice read by primary key (a row gone since the keys were read
        is left out, as a later read of the list would)."""
        if self.keys is None:
            return list(self.object_list[bottom:top])
        chosen = [key[0] for key in self.keys[bottom:top]]
        found = {row.pk: row for row in self.matches.filter(pk__in=chosen)}
        return [found[pk] for pk in chosen if pk in found]

    @property
    def capped(self) -> bool:
        """Whether there are more matches than were counted."""
        return self.count > self.counted_up_to

    def validate_number(self, number: Any) -> int:
        if not self.capped:
            return int(super().validate_number(number))
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if not self.capped:
            # Django's page (the same slice, orphans included), its rows read by ``rows``.
            bottom = (number - 1) * self.per_page
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return Page(self.rows(bottom, top), number, self)
        bottom = (number - 1) * self.per_page
        rows = self.rows(bottom, bottom + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number: Any) -> Page:
        if not self.capped:
            return super().get_page(number)
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            # Past the end: the last page, found by counting every match (a hand-typed page number only).
            last = max(1, math.ceil(self._counted().count() / self.per_page))
            return self.page(last)
