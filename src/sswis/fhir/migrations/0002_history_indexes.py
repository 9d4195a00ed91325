"""Indexes of ITI-91's history (``sswis.fhir.history``): each source of stamps read in its keyset order.

The history reads each source as ``WHERE (time, key) > (t, k) ORDER BY time, key LIMIT n``. An import
stamps every row it writes with one instant, so up to a whole country's rows share one ``updated_at``:
only an index on (time, key) reads such a page as one index range whatever the ties, where the
``updated_at`` index alone would sort the whole tie group for every page. The deletion records are a
sliver of each audit history: partial indexes on ``history_type = '-'`` keep them apart from the
creations and changes. Plain SQL, valid on PostgreSQL and SQLite alike.
"""

from django.db import migrations

LIVE = [
    ("geo_location", "id", "updated_at", ""),
    ("registry_organisation", "id", "updated_at", ""),
    ("registry_organisation", "manages_location_id", "updated_at", "manages_location_id IS NOT NULL"),
    ("registry_worker", "id", "updated_at", ""),
    ("registry_assignment", "id", "updated_at", ""),
    ("registry_assignment", "worker_id", "updated_at", ""),
    ("registry_assignment", "organisation_id", "updated_at", ""),
    ("registry_post", "organisation_id", "updated_at", ""),
    ("regulation_registration", "worker_id", "updated_at", ""),
    ("training_completion", "worker_id", "updated_at", ""),
]
DELETIONS = [
    ("geo_historicallocation", "id"),
    ("registry_historicalorganisation", "id"),
    ("registry_historicalorganisation", "manages_location_id"),
    ("registry_historicalworker", "id"),
    ("registry_historicalassignment", "id"),
    ("registry_historicalassignment", "worker_id"),
    ("registry_historicalassignment", "organisation_id"),
    ("registry_historicalpost", "organisation_id"),
    ("regulation_historicalregistration", "worker_id"),
    ("training_historicalcompletion", "worker_id"),
]


def _name(table: str, key: str, suffix: str) -> str:
    return f"fhir_{table.split('_', 1)[1]}_{key.removesuffix('_id') or 'id'}_{suffix}"[:63]


def _operations() -> list[migrations.RunSQL]:
    operations = []
    for table, key, time, condition in LIVE:
        name = _name(table, key, "stamp")
        where = f" WHERE {condition}" if condition else ""
        operations.append(
            migrations.RunSQL(
                f'CREATE INDEX "{name}" ON "{table}" ("{time}", "{key}"){where}', f'DROP INDEX "{name}"'
            )
        )
    for table, key in DELETIONS:
        name = _name(table, key, "deleted")
        operations.append(
            migrations.RunSQL(
                f'CREATE INDEX "{name}" ON "{table}" ("history_date", "{key}") WHERE "history_type" = \'-\'',
                f'DROP INDEX "{name}"',
            )
        )
    return operations


class Migration(migrations.Migration):
    dependencies = [
        ("fhir", "0001_name_trigram_index"),
        ("geo", "0003_version"),
        ("registry", "0008_organisation_manages_location"),
        ("regulation", "0006_registration_updated_at_index"),
        ("training", "0003_certified_indexes"),
    ]
    operations = _operations()
