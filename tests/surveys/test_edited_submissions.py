"""An edited submission updates the worker it created: it is known by its stable identity, not by the
instance ID of its latest version (payloads shaped like the KoboToolbox API v2 and ODK Central OData)."""

from __future__ import annotations

from typing import Any

import pytest

from sswis.imports.report import FileCounts
from sswis.registry.models import Worker
from sswis.surveys.models import ImportedSubmission, PerceptionResponse
from sswis.surveys.services import submissions_import
from sswis.surveys.submissions import submissions_from_records
from tests.surveys.test_import_submissions import UUIDS, central_record, kobo_record

EDITED = "5d1f6b0e-8c2a-4f7e-a1b3-0c9d8e7f6a50"


def _import(personas: Any, records: list[dict[str, Any]], source: str) -> Any:
    report = submissions_import(
        actor=personas.national,
        read=lambda: submissions_from_records(records=records, source=source, form="test"),
        round_code="2025",
    )
    assert not report.has_errors, report.problems
    return report


def _kobo_edit(record: dict[str, Any], *, root: bool) -> dict[str, Any]:
    # Kobo: an edit gets a new meta/instanceID and _uuid; meta/deprecatedID names the version replaced and
    # meta/rootUuid (recent KoboToolbox) the first version.
    first = record["_uuid"]
    edited = {**record, "meta/instanceID": f"uuid:{EDITED}", "_uuid": EDITED}
    edited["meta/deprecatedID"] = f"uuid:{first}"
    if root:
        edited["meta/rootUuid"] = f"uuid:{first}"
    edited["worker/given_name"] = "Aminata"
    edited["perceptions/job_satisfaction"] = "very_satisfied"
    return edited


@pytest.mark.django_db
@pytest.mark.parametrize("root", [True, False], ids=["rootUuid", "deprecatedID only"])
def test_an_edited_kobo_submission_updates_the_same_worker(
    personas: Any, survey_round: Any, root: bool
) -> None:
    first = kobo_record(1)
    if root:
        first["meta/rootUuid"] = f"uuid:{UUIDS[0]}"
    _import(personas, [first], "kobo")
    report = _import(personas, [_kobo_edit(first, root=root)], "kobo")
    assert report.files == {
        "workers.csv": FileCounts(read=1, updated=1),
        "assignments.csv": FileCounts(read=1, unchanged=1),
        "perceptions": FileCounts(read=1, updated=1),
    }
    assert list(Worker.objects.values_list("worker_id", "given_name")) == [(f"SUB-{UUIDS[0]}", "Aminata")]
    assert list(PerceptionResponse.objects.values_list("submission_uuid", "job_satisfaction")) == [
        (UUIDS[0], "very_satisfied")
    ]
    assert list(ImportedSubmission.objects.values_list("submission_uuid", "instance_id")) == [
        (UUIDS[0], EDITED)
    ]
    again = _import(personas, [_kobo_edit(first, root=root)], "kobo")
    assert again.files["workers.csv"] == FileCounts(read=1, unchanged=1)


@pytest.mark.django_db
def test_an_edited_central_submission_keeps_its_id(personas: Any, survey_round: Any) -> None:
    # Central: __id is the instance ID of the first version and names the submission for good; the
    # edited version's meta/instanceID is new and meta/deprecatedID names the version replaced.
    first = central_record(1)
    _import(personas, [first], "central")
    edited = {
        **first,
        "worker": {**first["worker"], "family_name": "Okello-Mwangi"},
        "meta": {"instanceID": f"uuid:{EDITED}", "deprecatedID": f"uuid:{UUIDS[0]}"},
        "__system": {**first["__system"], "edits": 1},
    }
    report = _import(personas, [edited], "central")
    assert report.files["workers.csv"] == FileCounts(read=1, updated=1)
    assert list(Worker.objects.values_list("worker_id", "family_name")) == [
        (f"SUB-{UUIDS[0]}", "Okello-Mwangi")
    ]
    assert ImportedSubmission.objects.get().instance_id == EDITED


@pytest.mark.django_db
def test_an_edit_keeps_the_worker_id_given_the_first_time(personas: Any, survey_round: Any) -> None:
    first = kobo_record(2, worker_id="W000777")
    _import(personas, [first], "kobo")
    edited = _kobo_edit(first, root=True)
    del edited["worker/worker_id"]  # the edit left the ID out
    _import(personas, [edited], "kobo")
    assert list(Worker.objects.values_list("worker_id", "given_name")) == [("W000777", "Aminata")]
