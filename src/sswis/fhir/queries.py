"""A query helper of the directory's bulk reads (history pages, rendering)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import connection
from django.db.models import QuerySet


def filter_among(queryset: QuerySet[Any], field: str, ids: Collection[int]) -> QuerySet[Any]:
    """``queryset`` restricted to rows whose integer ``field`` (a column of its own table, such as ``id`` or
    ``worker_id``) is one of ``ids``: the same rows as ``filter(<field>__in=ids)``.

    On PostgreSQL the ids travel as one array parameter (``= ANY(%s)``): Django prepares each value of an
    ``__in`` list one at a time, which cost about 8 ms per 1,000 ids and filter, a tenth of a history
    page. Elsewhere (SQLite) it is ``__in``."""
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{field}__in": ids})
    meta = queryset.model._meta
    column = meta.get_field(field.removesuffix("_id") if field.endswith("_id") else field).column
    table = connection.ops.quote_name(meta.db_table)
    return queryset.extra(
        where=[f"{table}.{connection.ops.quote_name(column)} = ANY(%s)"], params=[list(ids)]
    )
