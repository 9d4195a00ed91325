"""The import history: every import recorded with its file, hash, mode, status, counts and report; scope."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import translation

from sswis.access.models import UserScope
from sswis.imports.loading import ImportProgress
from sswis.imports.models import ImportRecord, ImportStatus
from sswis.imports.modes import ImportMode
from sswis.imports.selectors import import_record_list, import_record_progress, import_record_report
from sswis.imports.services import (
    PROGRESS_FILE,
    UploadRefused,
    import_record_create,
    import_record_run,
    import_record_submit,
    template_import,
)
from sswis.registry.models import Worker
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.imports.conftest import Files

Template = Callable[..., Path]

CADRES = b"code,name,category\nCCW,Community child care worker,allied\n"


def submit(
    user: object, content: bytes = CADRES, name: str = "cadres.csv", **options: object
) -> ImportRecord:
    mode = options.pop("mode", ImportMode.ALL_OR_NOTHING)
    return import_record_submit(actor=user, file_name=name, chunks=[content[:10], content[10:]], mode=mode)  # type: ignore[arg-type]


def test_an_upload_is_kept_hashed_and_imported_by_the_background_task(
    personas: Personas, country: Country, data_dir: Path
) -> None:
    record = submit(personas.national)

    assert (record.user, record.file_name, record.size, record.mode) == (
        personas.national,
        "cadres.csv",
        len(CADRES),
        "all_or_nothing",
    )
    assert record.sha256 == hashlib.sha256(CADRES).hexdigest()
    assert (data_dir / record.stored_path).read_bytes() == CADRES
    assert record.stored_path == f"imports/{record.uuid}/cadres.csv"
    assert (record.status, record.imported, record.errors, record.warnings) == ("finished", True, 0, 0)
    assert record.counts == {
        "cadres.csv": {"read": 1, "created": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    }
    assert record.summary == "Imported: 1 created, 0 updated, 0 unchanged."
    assert record.report["summary"] == record.summary
    assert record.rows_read == 1
    assert record.started_at is not None and record.finished_at is not None
    assert record.started_at <= record.finished_at
    assert not (data_dir / "imports" / str(record.uuid) / PROGRESS_FILE).exists()
    assert import_record_report(record=record) is not None


def test_a_file_over_the_limit_is_refused_and_nothing_kept(
    personas: Personas, country: Country, data_dir: Path, settings: object
) -> None:
    settings.SSWIS_IMPORT_MAX_BYTES = 20  # type: ignore[attr-defined]

    with pytest.raises(UploadRefused, match=r"^cadres\.csv is larger than the 0 MB an import accepts"):
        submit(personas.national)

    assert ImportRecord.objects.count() == 0
    assert list((data_dir / "imports").iterdir()) == []


def test_a_file_that_is_no_template_format_is_refused(personas: Personas, country: Country) -> None:
    with pytest.raises(UploadRefused, match=r"^notes\.txt is not a mapping template"):
        submit(personas.national, name="notes.txt")
    # Only the base name is kept: no way out of the import's folder.
    record = submit(personas.national, name="../../etc/cadres.csv")
    assert record.file_name == "cadres.csv"


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_users_who_may_not_import_store_nothing(
    personas: Personas, country: Country, data_dir: Path, persona: str
) -> None:
    with pytest.raises(PermissionDenied):
        submit(getattr(personas, persona))

    assert ImportRecord.objects.count() == 0
    assert not (data_dir / "imports").exists()


def test_an_import_with_errors_is_finished_with_its_report(personas: Personas, country: Country) -> None:
    record = submit(personas.national, b"code,name,category\nCCW,Child care,boss\n")

    assert (record.status, record.imported, record.errors) == ("finished", False, 1)
    report = import_record_report(record=record)
    assert report is not None
    assert [(p.file, p.row, p.column, p.value) for p in report.problems] == [
        ("cadres.csv", 1, "category", "boss")
    ]


def test_a_user_who_lost_the_right_to_import_meanwhile_makes_the_record_fail(
    personas: Personas, country: Country
) -> None:
    record = import_record_create(
        actor=personas.national, file_name="cadres.csv", chunks=[CADRES], mode=ImportMode.ALL_OR_NOTHING
    )
    UserScope.objects.filter(user=personas.national).delete()
    del personas.national._sswis_scope  # the scope cached on the user object

    record = import_record_run(record=record)

    assert record.status == ImportStatus.FAILED
    assert record.failure.startswith("The import was refused: Only a national data manager")
    assert import_record_report(record=record) is None


def test_a_record_runs_once(personas: Personas, country: Country) -> None:
    record = submit(personas.national)
    finished_at = record.finished_at

    again = import_record_run(record=record)

    assert (again.status, again.finished_at) == ("finished", finished_at)


def test_the_progress_of_a_running_import_is_read_from_its_progress_file(
    personas: Personas, country: Country, data_dir: Path
) -> None:
    record = import_record_create(
        actor=personas.national, file_name="cadres.csv", chunks=[CADRES], mode=ImportMode.DRY_RUN
    )
    assert import_record_progress(record=record) is None  # queued
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING)
    record.refresh_from_db()
    assert import_record_progress(record=record) is None  # nothing written yet
    progress = ImportProgress(
        file="workers.csv", file_rows=1000, file_rows_estimate=4000, rows=1200, files_done=1, files_total=2
    )
    (data_dir / "imports" / str(record.uuid) / PROGRESS_FILE).write_text(json.dumps(asdict(progress)))

    assert import_record_progress(record=record) == progress
    assert progress.fraction == 0.625


def test_the_command_line_records_its_imports(
    personas: Personas, country: Country, template: Template, data_dir: Path
) -> None:
    folder = template()
    call_command("import", str(folder), "--user", "national", "--dry-run", stdout=StringIO())
    call_command("import", str(folder / "cadres.csv"), "--user", "national", stdout=StringIO())

    dry, single = ImportRecord.objects.order_by("created_at", "pk")
    files = sorted(path for path in folder.iterdir())
    listing = "".join(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n" for path in files)
    assert (dry.file_name, dry.mode, dry.status, dry.imported) == ("template", "dry_run", "finished", False)
    assert dry.sha256 == hashlib.sha256(listing.encode()).hexdigest()
    assert dry.size == sum(path.stat().st_size for path in files)
    assert sorted(p.name for p in (data_dir / dry.stored_path).iterdir()) == [p.name for p in files]
    assert dry.totals() == {"read": 21, "created": 18, "updated": 0, "unchanged": 3, "rejected": 0}
    assert (single.file_name, single.mode, single.imported) == ("cadres.csv", "all_or_nothing", True)
    assert single.sha256 == hashlib.sha256((folder / "cadres.csv").read_bytes()).hexdigest()


# Who sees which records ---------------------------------------------------------------------------------


def test_national_data_managers_see_every_record_the_others_their_own(
    personas: Personas, country: Country
) -> None:
    national = submit(personas.national)
    focal = submit(personas.focal_point, b"worker_id,given_name,family_name\nN1,Neema,Juma\n", "workers.csv")
    officer = submit(
        personas.subnational, b"worker_id,given_name,family_name\nN2,Neema,Juma\n", "workers.csv"
    )

    assert list(import_record_list(user=personas.national)) == [officer, focal, national]
    assert list(import_record_list(user=personas.focal_point)) == [focal]
    assert list(import_record_list(user=personas.subnational)) == [officer]
    for persona in ("analyst", "administrator", "outsider"):
        assert list(import_record_list(user=getattr(personas, persona))) == []


# What an organisation focal point and a subnational officer may import ----------------------------------


def own_files(files: Files) -> Files:
    """Workers, a post and assignments of NGO1 (the focal point's organisation) in D21 and D11."""
    return {
        "posts": [
            ["code", "organization_code", "location_code", "cadre_code"],
            ["P-NGO", "NGO1", "D21", "CPV"],
        ],
        "workers": [
            ["worker_id", "given_name", "family_name"],
            ["N1", "Neema", "Juma"],
            ["N2", "Omari", "Said"],
        ],
        "assignments": [
            ["worker_id", "organization_code", "location_code", "cadre_code", "start_date", "paid"],
            ["N1", "NGO1", "D21", "CPV", "2024-01-01", "no"],
            ["N2", "NGO1", "D11", "SW", "2024-01-01", "yes"],
        ],
    }


def test_a_focal_point_imports_workers_posts_and_assignments_of_their_organisation(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    report = template_import(actor=personas.focal_point, source=template(own_files(base_files)))

    assert (report.problems, report.imported) == ([], True)
    assert sorted(Worker.objects.values_list("worker_id", flat=True)) == ["N1", "N2"]
    assert Worker.objects.get(worker_id="N1").history.get().history_user == personas.focal_point


def test_rows_of_another_organisation_are_errors_for_a_focal_point(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    files = own_files(base_files)
    files["posts"][1][1] = "MSW"
    files["assignments"][2][1] = "MSW"

    report = template_import(actor=personas.focal_point, source=template(files))

    message = "Organisation 'MSW' is not yours: you may import only the {}s of organisation NGO1."
    assert [(p.file, p.row, p.column, p.value, p.message) for p in report.problems] == [
        ("posts.csv", 1, "organization_code", "MSW", message.format("post")),
        ("assignments.csv", 2, "organization_code", "MSW", message.format("assignment")),
    ]
    assert report.imported is False


def test_reference_files_are_refused_for_a_focal_point_and_their_rows_counted_as_rejected(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    report = template_import(
        actor=personas.focal_point, source=template(), mode=ImportMode.DRY_RUN_SKIP_INVALID
    )

    refused = [p for p in report.problems if p.row == 0]
    assert [(p.file, p.message) for p in refused] == [
        (
            f"{name}.csv",
            f"You may not import {name}.csv: it is a reference list kept by the national data managers. You "
            "may import posts.csv, workers.csv, assignments.csv, supervision.csv, supervision_sessions.csv, "
            "caseloads.csv.",
        )
        for name in ("locations", "population", "organizations", "cadres")
    ]
    assert report.files["locations.csv"].rejected == 4
    assert report.unbalanced_files() == []


def test_updating_a_worker_outside_their_scope_is_an_error_for_a_focal_point(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    AssignmentFactory(
        worker=WorkerFactory(worker_id="N1"), organisation=country.ministry, location=country.district_11
    )
    files = own_files(base_files)
    del files["assignments"][1]  # N1's: only their details are changed

    report = template_import(actor=personas.focal_point, source=template(files))

    assert [(p.file, p.row, p.column, p.value, p.message) for p in report.errors] == [
        (
            "workers.csv",
            1,
            "worker_id",
            "N1",
            "Worker 'N1' is not one of the workers of organisation NGO1: you may change the workers who have "
            "an assignment in organisation NGO1, and register a new worker only together with an assignment "
            "there in assignments.csv that is imported too.",
        )
    ]


def test_a_subnational_officer_imports_rows_of_their_area_only(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    report = template_import(
        actor=personas.subnational, source=template(own_files(base_files)), mode=ImportMode.SKIP_INVALID
    )

    message = "Location 'D21' is outside your area: you may import only the {}s of R1 (North) and below."
    where = "R1 (North) and below"
    assert [(p.file, p.row, p.column, p.value, p.message) for p in report.problems] == [
        ("posts.csv", 1, "location_code", "D21", message.format("post")),
        # N1's only assignment is rejected: registered, N1 would be no one's in the officer's area.
        (
            "workers.csv",
            1,
            "worker_id",
            "N1",
            f"Worker 'N1' is not one of the workers of {where}: you may change the workers who have an "
            f"assignment in {where}, and register a new worker only together with an assignment there in "
            "assignments.csv that is imported too.",
        ),
        ("assignments.csv", 1, "location_code", "D21", message.format("assignment")),
    ]
    assert report.imported is True
    assert list(Worker.objects.values_list("worker_id", flat=True)) == ["N2"]
    assert list(Worker.objects.get(worker_id="N2").assignments.values_list("location__code", flat=True)) == [
        "D11"
    ]


def test_a_queued_import_reports_in_the_language_of_whoever_uploaded_it(
    personas: Personas, country: Country
) -> None:
    def message(*, uploaded_in: str, run_in: str) -> str:
        with translation.override(uploaded_in):
            record = import_record_create(
                actor=personas.national,
                file_name="cadres.csv",
                chunks=[b"code,name,category\nCCW,Community child care worker,boss\n"],
                mode=ImportMode.ALL_OR_NOTHING,
            )
        assert record.language == uploaded_in
        with translation.override(run_in):  # the language of the process that runs it
            record = import_record_run(record=record)
        report = import_record_report(record=record)
        assert report is not None
        [problem] = report.problems
        return problem.message

    french = message(uploaded_in="fr", run_in="fr")
    english = message(uploaded_in="en", run_in="en")
    assert french != english
    assert message(uploaded_in="fr", run_in="en") == french
    assert message(uploaded_in="en", run_in="fr") == english
