"""Small helpers about the database backend, shared by the apps."""

from __future__ import annotations

from django.db import connection


def lookup_batch_size() -> int:
    """How many values one ``IN (...)`` lookup takes: under the backend's limit on query parameters (999
    on SQLite), at most 5,000."""
    limit = connection.features.max_query_params or 10_000
    return max(100, min(limit - 50, 5_000))
