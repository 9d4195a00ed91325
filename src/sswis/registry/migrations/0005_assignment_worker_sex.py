"""``Assignment.worker_sex``: a copy of the worker's sex kept with each assignment (``COPIED_COLUMNS``).

The indicators count the workforce by sex from the reference assignments alone; reading the sex from
the worker joined every counted worker, about a third of the indicators' time on PostgreSQL
(``bench/indicators.py``). Existing assignments are filled from their workers in one statement.
"""

from django.db import migrations, models

FILL = (
    "UPDATE registry_assignment SET worker_sex = "
    "(SELECT w.sex FROM registry_worker w WHERE w.id = registry_assignment.worker_id)"
)


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_history_indexes_for_audit_reads")]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="worker_sex",
            field=models.CharField(
                choices=[("female", "Female"), ("male", "Male"), ("other", "Other"), ("unknown", "Unknown")],
                default="unknown",
                editable=False,
                max_length=10,
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=False),
    ]
