"""Who is counted in the child protection workforce of a year, as a condition on assignments.

``workforce.count`` (contract ``contracts/indicators.md``) counts each worker once, through their
**reference assignment** of the year, at that assignment's location and every ancestor of it. The worker
list's ``counted_year`` filter (web, API, exports) and an organisation's own figures must give exactly
that count, so they do not restate the rule: they use the indicators' own SQL
(``selectors.reference_assignments_sql``), here turned into a condition that Django querysets can use.

"Active in a year" (the worker list's ``active_year``) is a different, wider question: a worker with
*any* assignment overlapping the year, child protection or not, at every location where they had one.
"Counted in a year" is the indicators' question: a worker with a child protection assignment overlapping
the year, at one place only (the reference assignment's).
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.db.models.expressions import RawSQL

from sswis.indicators.definitions import reference_period
from sswis.indicators.selectors import reference_assignments_sql, reference_parameters

_NAMED = re.compile(r"%\((\w+)\)s")


def _positional(sql: str, parameters: dict[str, Any]) -> tuple[str, list[Any]]:
    """``sql`` with its named placeholders (``%(name)s``) as positional ones (``%s``), and their values
    in order: Django's query compiler joins a raw subquery's parameters positionally."""
    values: list[Any] = []

    def replace(match: re.Match[str]) -> str:
        values.append(parameters[match.group(1)])
        return "%s"

    return _NAMED.sub(replace, sql), values


def reference_assignment_ids(*, year: int) -> RawSQL:
    """A subquery of the ids of every reference assignment of ``year``: one per worker counted in the
    child protection workforce that year (the indicators' SQL itself, not a copy of its rule).

    Raises ``ValueError`` for a year the indicators refuse (``definitions.reference_period``).
    """
    period = reference_period(year=year)
    sql, values = _positional(reference_assignments_sql(columns=["a.id"]), reference_parameters(period))
    return RawSQL(f"SELECT r.id FROM ({sql}) r", values)


def counted_condition(*, year: int, prefix: str = "") -> Q:
    """Q over assignments (fields prefixed by ``prefix``, e.g. ``"assignments__"``) that holds for the
    reference assignments of ``year`` only. A worker is counted at a location L in ``year`` exactly when
    one of their assignments satisfies this and lies in L's subtree (``location__path__startswith``):
    filtering workers so gives ``workforce.count`` of L."""
    return Q(**{f"{prefix}pk__in": reference_assignment_ids(year=year)})
