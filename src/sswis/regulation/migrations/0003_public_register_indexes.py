"""The indexes of the public register's search (``sswis.regulation.public``), on PostgreSQL.

* ``registration_upper_number``: ``number__iexact`` compiles to ``UPPER(number::text) = UPPER('x')``,
  which the unique ``(register, number)`` index cannot serve (another expression, and the register is not
  known): without it, every search reads the whole table.
* ``worker_public_family_key``, ``worker_public_given_key``: the search compares and orders names as keys,
  ``UPPER(name) COLLATE "C"``; a prefix of a key is a range of these indexes, read in the order the
  register lists people (by family then given name, or by given then family name), so that a search reads
  about 20 workers however many share a common name. (The registry's ``text_pattern_ops`` indexes find the
  same workers but not in a usable order: with tens of thousands of namesakes, sorting them all took
  seconds.) They are on the registry's table but belong to the public register, hence here.

SQLite reads the tables (fast enough at its size).
"""

from django.db import migrations

INDEXES = {
    "registration_upper_number": "ON regulation_registration (UPPER(number::text))",
    "worker_public_family_key": (
        'ON registry_worker ((UPPER(family_name::text) COLLATE "C"), (UPPER(given_name::text) COLLATE "C"), id)'
    ),
    "worker_public_given_key": (
        'ON registry_worker ((UPPER(given_name::text) COLLATE "C"), (UPPER(family_name::text) COLLATE "C"), id)'
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
    dependencies = [("regulation", "0003_cpdrecord_certificate_id"), ("registry", "0007_version")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
