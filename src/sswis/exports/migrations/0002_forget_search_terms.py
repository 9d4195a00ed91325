"""Export records no longer keep the search text (often a person's name): blank it in the existing ones.

A record that had a search gets ``"search_used": true`` in place of ``"search"``; its other filters stay.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def search_terms_forget(apps: Any, schema_editor: Any) -> None:
    ExportRecord = apps.get_model("exports", "ExportRecord")
    for record in ExportRecord.objects.filter(filters__has_key="search").iterator():
        filters = dict(record.filters)
        searched = str(filters.pop("search") or "").strip()
        if searched:
            filters["search_used"] = True
        record.filters = filters
        record.save(update_fields=["filters"])


class Migration(migrations.Migration):
    dependencies = [("exports", "0001_initial")]

    operations = [migrations.RunPython(search_terms_forget, migrations.RunPython.noop)]
