"""``sswis workers merge / unmerge / merges``: as a named user, refusals exit non-zero writing nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sswis.registry.models import Assignment
from sswis.registry.models_merging import WorkerMerge
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def _run(*arguments: str) -> str:
    out = io.StringIO()
    call_command("workers", *arguments, stdout=out)
    return out.getvalue()


def test_merge_list_and_unmerge(country: Country, personas: Personas) -> None:
    for worker_id, location in (("W-A", country.district_11), ("W-B", country.district_12)):
        AssignmentFactory(
            worker=WorkerFactory(worker_id=worker_id), location=location, organisation=country.ministry
        )
    said = _run(
        "merge", "--surviving", "W-A", "--merged", "W-B", "--reason", "Same person", "--user", "north"
    )
    merge = WorkerMerge.objects.get()
    assert said.strip() == f"Merged W-B into W-A: 1 rows moved. Merge {merge.uuid}."
    listed = json.loads(_run("merges", "--format", "json", "--user", "national"))
    assert [(m["surviving"], m["merged"], m["merged_by"]) for m in listed["merges"]] == [
        ("W-A", "W-B", "north")
    ]
    assert str(merge.uuid) in _run("merges", "--user", "north")
    _run("unmerge", "--merge", str(merge.uuid), "--reason", "Twins", "--user", "national")
    assert Assignment.objects.filter(worker__worker_id="W-B").count() == 1
    with pytest.raises(CommandError, match="already undone"):
        _run("unmerge", "--merge", str(merge.uuid), "--reason", "Twins", "--user", "national")


def test_refusals(country: Country, personas: Personas) -> None:
    AssignmentFactory(
        worker=WorkerFactory(worker_id="W-A"), location=country.district_11, organisation=country.ministry
    )
    AssignmentFactory(
        worker=WorkerFactory(worker_id="W-S"), location=country.district_21, organisation=country.ngo
    )
    with pytest.raises(CommandError, match="--merged: no worker 'W-S' in your scope"):
        _run("merge", "--surviving", "W-A", "--merged", "W-S", "--reason", "x", "--user", "north")
    with pytest.raises(CommandError, match="Only a national data manager or a subnational officer"):
        _run("merges", "--user", "analyst")
    with pytest.raises(CommandError, match="Give the reason"):
        _run("merge", "--surviving", "W-A", "--merged", "W-S", "--reason", " ", "--user", "national")
    with pytest.raises(CommandError, match="--merge: no merge"):
        _run("unmerge", "--merge", "not-a-uuid", "--reason", "x", "--user", "national")
    assert WorkerMerge.objects.count() == 0
