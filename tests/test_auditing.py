"""The audit trail's history tables: indexed for how the trail is read, nothing more."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import connection

from sswis.geo.models import Location, PopulationEstimate
from sswis.registry.models import Assignment, Cadre, Organisation, Post, Worker

FHIR_DELETIONS = import_module("sswis.fhir.migrations.0002_history_indexes").DELETIONS


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [Location, PopulationEstimate, Organisation, Cadre, Post, Worker, Assignment]
)
def test_history_tables_are_indexed_by_record_row_date_and_author_only(model: type) -> None:
    history_table = model.history.model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, history_table)
    indexed = {
        tuple(constraint["columns"])
        for constraint in constraints.values()
        if constraint["index"] or constraint["primary_key"]
    }
    # Besides the audit trail's own: the small partial indexes of deletion records that the FHIR history
    # (ITI-91) reads by instant (``sswis/fhir/migrations/0002_history_indexes.py``).
    deletions = {("history_date", key) for table, key in FHIR_DELETIONS if table == history_table}
    assert indexed == {("history_id",), ("id",), ("history_date",), ("history_user_id",)} | deletions
