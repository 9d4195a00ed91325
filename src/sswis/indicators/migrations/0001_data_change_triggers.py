"""The indicators' data stamp on PostgreSQL: a counter that every write to their tables moves.

``sswis.indicators.cache.data_stamp`` used to add up the row count, the ids and the versions of every table
the indicators read: exact, but a full read of the workers and the assignments (0.15 s at 1,000,000
workers) on every view of the dashboard. On PostgreSQL a statement-level trigger on each of those tables
now writes, for every statement that inserts, updates, deletes or truncates rows, a number never drawn
before (a sequence's ``nextval``) into one row of ``indicators_data_change``; the stamp reads that small
table (``cache.data_stamp``, whose docstring says why it can never be stale).

The row written is the first one no other transaction holds (``FOR UPDATE SKIP LOCKED``), a new row when
all are held: concurrent writers never wait for each other, so no import is slowed or deadlocked by it, and
the table holds about as many rows as there were writers at the same moment.

SQLite keeps the sums (a country that runs on SQLite is small enough, and SQLite has no statement-level
triggers: a trigger for each row would double the cost of an import).
"""

from django.db import migrations

# The tables the indicators read when this migration was written (``cache.input_models``); a table added to
# that list later needs its trigger in a migration of its own (tests/indicators/test_data_stamp.py checks).
MODELS = (
    ("geo", "Location"),
    ("geo", "PopulationEstimate"),
    ("registry", "Organisation"),
    ("registry", "Cadre"),
    ("registry", "Post"),
    ("registry", "Worker"),
    ("registry", "Assignment"),
    ("regulation", "Registration"),
    ("regulation", "RegistrationStatusChange"),
    ("regulation", "Licence"),
    ("training", "Programme"),
    ("training", "Completion"),
    ("support", "SupervisionRules"),
    ("support", "SupervisionRelationship"),
    ("support", "SupervisionSession"),
    ("support", "Caseload"),
    ("support", "CaseloadNorm"),
)

CREATE = """
CREATE SEQUENCE IF NOT EXISTS indicators_data_change_number;
CREATE TABLE IF NOT EXISTS indicators_data_change (
    slot serial PRIMARY KEY,
    number bigint NOT NULL
);
CREATE OR REPLACE FUNCTION indicators_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    chosen integer;
BEGIN
    SELECT slot INTO chosen FROM indicators_data_change ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF chosen IS NULL THEN
        INSERT INTO indicators_data_change (number) VALUES (nextval('indicators_data_change_number'));
    ELSE
        UPDATE indicators_data_change SET number = nextval('indicators_data_change_number')
        WHERE slot = chosen;
    END IF;
    RETURN NULL;
END
$$;
"""
TRIGGER = (
    "DROP TRIGGER IF EXISTS indicators_data_changed ON {table}; "
    "CREATE TRIGGER indicators_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION indicators_data_changed()"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    for app_label, name in MODELS:
        table = schema_editor.quote_name(apps.get_model(app_label, name)._meta.db_table)
        schema_editor.execute(TRIGGER.format(table=table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, name in MODELS:
        table = schema_editor.quote_name(apps.get_model(app_label, name)._meta.db_table)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS indicators_data_changed ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS indicators_data_changed()")
    schema_editor.execute("DROP TABLE IF EXISTS indicators_data_change")
    schema_editor.execute("DROP SEQUENCE IF EXISTS indicators_data_change_number")


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0003_version"),
        ("registry", "0009_worker_merge"),
        ("regulation", "0006_registration_updated_at_index"),
        ("training", "0003_certified_indexes"),
        ("support", "0002_associations"),
    ]
    operations = [migrations.RunPython(create, drop)]
