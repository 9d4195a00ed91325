"""The index of the public register's search by registration number, on PostgreSQL.

``number__iexact`` compiles to ``UPPER(number::text) = UPPER('x')`` on PostgreSQL, which the unique
``(register, number)`` index cannot serve (another expression, and the register is not known): at
1,000,000 registrations that is a read of the whole table for every search. This expression index makes it
one lookup. SQLite compares with ``LIKE`` and reads the table (fast enough at its size).
"""

from django.db import migrations

INDEXES = {"registration_upper_number": "ON regulation_registration (UPPER(number::text))"}


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
    dependencies = [("regulation", "0002_cpd_and_charges")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
