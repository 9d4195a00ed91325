"""ITI-90 Find Matching Care Services: a search's parameters read and checked, then run as one page.

A search reads its parameters (:func:`search_request_parse`), refusing what it does not understand:
an unknown parameter is a 400 unless the client sent ``Prefer: handling=lenient`` (then it is ignored and
named in the Bundle's OperationOutcome); an unknown modifier, a malformed value, a repeated ``_count``
are always 400. :func:`search_run` then selects one page of the reader's visible resources (keyset-paged
by primary key: a ``next`` page never repeats or skips a row, whatever changes in between), its total,
and the resources ``_include`` and ``_revinclude`` bring, each visible to the reader too.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext

from sswis.fhir.http import invalid
from sswis.fhir.kinds import KINDS, ResourceKind
from sswis.fhir.parameters import split_values
from sswis.fhir.search_parameters import (
    INCLUDES,
    LAST_UPDATED,
    PARAMETERS,
    RESULT_PARAMETERS,
    REVINCLUDES,
    Link,
    NameText,
    Parameter,
)
from sswis.fhir.versions import last_updated_expression

DEFAULT_COUNT = 50
MAXIMUM_COUNT = 1000
TOTAL_COUNTED_UP_TO = 10_000
"""Without ``_total=accurate``, a Bundle's total is counted up to this many matches and left out beyond
(FHIR makes it optional): counting hundreds of thousands of matches of ``name:contains`` costs more than
the page itself, while the ``next`` links page through them all the same."""


@dataclass(frozen=True)
class Criterion:
    parameter: Parameter
    modifier: str
    values: tuple[str, ...]  # any may match

    def condition(self) -> Q:
        conditions = [self.parameter.applies(self.modifier, value) for value in self.values]
        if any(not condition for condition in conditions):
            return Q()  # one value matches everything (Django drops an empty Q from an OR)
        combined = conditions[0]
        for condition in conditions[1:]:
            combined |= condition
        return combined


@dataclass
class SearchRequest:
    kind: ResourceKind
    criteria: list[Criterion] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    after: int | None = None  # the last primary key of the previous page
    includes: list[Link] = field(default_factory=list)
    revincludes: list[Link] = field(default_factory=list)
    total: str = "estimate"  # none | estimate (exact up to TOTAL_COUNTED_UP_TO, else left out) | accurate
    ignored: list[str] = field(default_factory=list)  # unknown parameters ignored (lenient handling)
    query: list[tuple[str, str]] = field(default_factory=list)  # what a link repeats (no _cursor)


def cursor_text(after: int) -> str:
    """The opaque ``_cursor`` of the page after primary key ``after``."""
    return base64.urlsafe_b64encode(f"k{after}".encode()).decode().rstrip("=")


def _cursor_read(value: str) -> int:
    try:
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith("k") or not text[1:].isdigit():
        raise invalid(
            gettext("The parameter _cursor is not one the directory gave: %(value)s.") % {"value": value}
        )
    return int(text[1:])


def _single(name: str, values: list[str]) -> str:
    if len(values) != 1:
        raise invalid(gettext("The parameter %(name)s may be given only once.") % {"name": name})
    return values[0]


def _count_read(value: str) -> int:
    if not value.isascii() or not value.isdigit() or int(value) > MAXIMUM_COUNT:
        raise invalid(
            gettext("The parameter _count takes a whole number from 0 to %(maximum)d, not %(value)s.")
            % {"maximum": MAXIMUM_COUNT, "value": value}
        )
    return int(value)


def _links(name: str, raw: list[str], served: dict[str, Link]) -> list[Link]:
    links: list[Link] = []
    for occurrence in raw:
        for value in split_values(name, occurrence):
            link = served.get(value)
            if link is None:
                offered = ", ".join(served) or gettext("none")
                raise invalid(
                    gettext("%(name)s=%(value)s is not served here; the values served are: %(offered)s.")
                    % {"name": name, "value": value, "offered": offered}
                )
            if link not in links:
                links.append(link)
    return links


def search_request_parse(*, type_name: str, params: list[tuple[str, str]], lenient: bool) -> SearchRequest:
    """Read a search of ``type_name`` from its parameters (name, value pairs in order)."""
    kind = KINDS[type_name]
    request = SearchRequest(kind=kind)
    grouped: dict[str, list[str]] = {}
    for name, value in params:
        grouped.setdefault(name, []).append(value)
        if name != "_cursor":
            request.query.append((name, value))
    served = PARAMETERS[type_name]
    for key, raw_values in grouped.items():
        name, _, modifier = key.partition(":")
        if name in RESULT_PARAMETERS and not modifier:
            continue
        parameter = served.get(name)
        if parameter is None:
            if lenient:
                request.ignored.append(key)
                request.query = [pair for pair in request.query if pair[0] != key]
                continue
            raise invalid(
                gettext(
                    "Unknown search parameter %(name)s for %(type)s; the parameters served are: %(served)s."
                )
                % {"name": key, "type": type_name, "served": ", ".join(served)}
            )
        if modifier and modifier not in parameter.modifiers:
            raise invalid(
                gettext("The parameter %(name)s takes no modifier :%(modifier)s.")
                % {"name": name, "modifier": modifier}
            )
        for raw in raw_values:
            request.criteria.append(Criterion(parameter, modifier, tuple(split_values(key, raw))))
    if "_count" in grouped:
        request.count = _count_read(_single("_count", grouped["_count"]))
    if "_cursor" in grouped:
        request.after = _cursor_read(_single("_cursor", grouped["_cursor"]))
    if "_total" in grouped:
        total = _single("_total", grouped["_total"])
        if total not in ("none", "estimate", "accurate"):
            raise invalid(
                gettext("The parameter _total takes none, estimate or accurate, not %(value)s.")
                % {"value": total}
            )
        request.total = total
    request.includes = _links("_include", grouped.get("_include", []), INCLUDES.get(type_name, {}))
    request.revincludes = _links(
        "_revinclude", grouped.get("_revinclude", []), REVINCLUDES.get(type_name, {})
    )
    return request


@dataclass
class SearchPage:
    rows: list[Model]
    total: int | None
    next_after: int | None
    included: list[tuple[ResourceKind, list[Model]]]


def matching(*, request: SearchRequest, user: Any) -> QuerySet[Any]:
    """The reader's visible resources of the request's type that meet every criterion."""
    kind = request.kind
    queryset = kind.visible(user=user)
    names = {criterion.parameter.name for criterion in request.criteria}
    if kind.name == "Practitioner" and "name" in names:
        queryset = queryset.annotate(fhir_name_text=NameText())
    if "_lastUpdated" in names and kind.dependents:
        queryset = queryset.annotate(**{LAST_UPDATED: last_updated_expression(kind)})
    for criterion in request.criteria:
        queryset = queryset.filter(criterion.condition())
    return queryset


def _included(link: Link, *, rows: list[Model], user: Any, reverse: bool) -> list[Model]:
    pks = [row.pk for row in rows]
    if link.value == "Location:organization":
        # Organizations searched: the locations they manage; Locations searched: their managers.
        condition = Q(managing_organisation__in=pks) if reverse else Q(manages_location_id__in=pks)
    elif reverse:
        condition = Q(**{f"{link.column}__in": pks})
    else:
        condition = Q(pk__in={getattr(row, link.column) for row in rows})
    kind = KINDS[link.source if reverse else link.target]
    return list(kind.visible(user=user).filter(condition).order_by("pk"))


def search_run(*, request: SearchRequest, user: Any) -> SearchPage:
    """One page of the search: ``count`` rows after the cursor in primary-key order, the total (exact with
    ``_total=accurate``; none with ``_total=none``; otherwise exact up to ``TOTAL_COUNTED_UP_TO`` and left
    out beyond), the next page's cursor and the included resources (none without rows)."""
    queryset = matching(request=request, user=user)
    total: int | None = None
    if request.total == "accurate":
        total = queryset.count()
    elif request.total == "estimate":
        # COUNT over a LIMIT: stops at the cap instead of visiting every match.
        capped = queryset.order_by()[: TOTAL_COUNTED_UP_TO + 1].count()
        total = capped if capped <= TOTAL_COUNTED_UP_TO else None
    page = queryset.order_by("pk")
    if request.after is not None:
        page = page.filter(pk__gt=request.after)
    rows = list(page[: request.count + 1]) if request.count else []
    next_after = None
    if len(rows) > request.count:
        rows = rows[: request.count]
        next_after = rows[-1].pk
    included: list[tuple[ResourceKind, list[Model]]] = []
    if rows:
        for link in request.includes:
            included.append((KINDS[link.target], _included(link, rows=rows, user=user, reverse=False)))
        for link in request.revincludes:
            included.append((KINDS[link.source], _included(link, rows=rows, user=user, reverse=True)))
    return SearchPage(rows=rows, total=total, next_after=next_after, included=included)
