"""A trigram index for ``Practitioner?name:contains=`` on PostgreSQL (``pg_trgm``).

``name:contains`` compiles to ``UPPER((given_name || ' ' || family_name)::text) LIKE UPPER('%x%')``
(``sswis.fhir.search_parameters.NameText`` with ``icontains``); a GIN index with ``gin_trgm_ops`` on exactly
that expression serves it, where a b-tree cannot (a pattern that does not start with its first letters).
SQLite has no such index; its scan is fast enough at national size. Creating the extension needs a
database role allowed to (the owner of the database on PostgreSQL 13 and later: pg_trgm is trusted).
"""

from django.db import migrations

INDEX = "fhir_worker_name_trigram"
EXPRESSION = "(UPPER((\"given_name\" || ' ' || \"family_name\")::text)) gin_trgm_ops"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_worker USING gin ({EXPRESSION})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_organisation_manages_location")]
    operations = [migrations.RunPython(create_index, drop_index)]
