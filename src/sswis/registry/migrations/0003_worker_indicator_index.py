"""Covering indexes for the workforce indicators, on PostgreSQL.

* ``worker_sex_education``: ``sswis.indicators`` joins every counted worker's reference assignment with
  the worker for their sex and education level, walking the assignments in worker order and merging
  them with the workers. With ``(id) INCLUDE (sex, education_level)`` that merge reads this small index
  alone (an index-only scan) instead of the whole worker table through its primary key.
* ``assignment_post_period``: the vacancy rate asks which posts are filled on the reference date; this
  partial index holds only the assignments that fill a post, with their dates, so that question no
  longer reads the whole assignment table (at 1,000,000 workers: about 150 ms down to 46 ms).

SQLite joins by rowid lookups and gains nothing measurable from either.
"""

from django.db import migrations

INDEXES = {
    "worker_sex_education": "ON registry_worker (id) INCLUDE (sex, education_level)",
    "assignment_post_period": (
        "ON registry_assignment (post_id) INCLUDE (start_date, end_date) WHERE post_id IS NOT NULL"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_worker_search_indexes")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
