"""Indexes for the worker search on PostgreSQL.

``istartswith`` and ``iexact`` compile to ``UPPER(column::text) LIKE UPPER('x%')`` on PostgreSQL, which a
plain b-tree index cannot serve; expression indexes with ``text_pattern_ops`` can (prefix LIKE and
equality). SQLite's LIKE is already case-insensitive and its search is fast enough at national size.
"""

from django.db import migrations

INDEXES = {
    "worker_upper_family_name": "UPPER(family_name::text) text_pattern_ops",
    "worker_upper_given_name": "UPPER(given_name::text) text_pattern_ops",
    "worker_upper_worker_id": "UPPER(worker_id::text) text_pattern_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_worker ({expression})")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
