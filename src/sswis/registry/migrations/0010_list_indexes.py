"""Indexes for the worker list filtered by a place or a cadre, at 1,000,000 workers (docs/load.md).

* ``assignment_location_listed`` (location, cadre, paid, worker) and ``assignment_cadre_listed`` (cadre,
  paid, worker): which workers have an assignment at a set of places (in a cadre, paid or not), and how
  many, read from the index alone instead of one table row per assignment (a district of 10,000 workers:
  7,500 table pages). They replace the location's and the cadre's foreign-key indexes, which they begin
  with, so an imported row writes no more indexes than before.
* ``worker_live_listed`` (id, family name, given name, worker ID, sex; live workers only): the few
  matches of a narrow filter sorted by name from this index alone (``registry.selectors``).

The two foreign-key indexes are dropped by name, so that SQLite does not rebuild the table.
"""

import django.db.models.deletion
from django.db import migrations, models

FOREIGN_KEY_INDEXES = {
    "registry_assignment_location_id_d51ea611": "location_id",
    "registry_assignment_cadre_id_f0044f6b": "cadre_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0003_version"),
        ("registry", "0009_worker_merge"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="assignment",
                    name="cadre",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="registry.cadre",
                    ),
                ),
                migrations.AlterField(
                    model_name="assignment",
                    name="location",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="geo.location",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {name}",
                    f"CREATE INDEX {name} ON registry_assignment ({column})",
                )
                for name, column in FOREIGN_KEY_INDEXES.items()
            ],
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["location", "cadre", "paid", "worker"], name="assignment_location_listed"),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["cadre", "paid", "worker"], name="assignment_cadre_listed"),
        ),
        migrations.AddIndex(
            model_name="worker",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["id", "family_name", "given_name", "worker_id", "sex"],
                name="worker_live_listed",
            ),
        ),
    ]
