"""What goes wrong around an import and how the history stays true: dead workers, refused uploads,
leftover files, odd character sets on the command line, retention (review of issue 3: M5, M7, S1, S4)."""

from __future__ import annotations

import copy
import datetime
import importlib
import json
import os
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.db.models import QuerySet
from django.utils import timezone

from sswis.access import policy
from sswis.imports.models import ImportRecord, ImportStatus
from sswis.imports.modes import ImportMode
from sswis.imports.safety import OLE_SIGNATURE
from sswis.imports.services import (
    HEARTBEAT_FILE,
    INTERRUPTED_MESSAGE,
    OUTCOME_FILE,
    PROGRESS_FILE,
    _record_finish,
    import_record_create,
    import_record_run,
    import_record_submit,
    import_records_interrupted_mark,
    import_records_prune,
)
from tests.conftest import Country, Personas

Template = Callable[..., Path]

CADRES = b"code,name,category\nCCW,Community child care worker,allied\n"
MACRO = (
    "book.xlsm is a macro-enabled workbook; such files are not accepted. In Excel choose File > Save As > "
    '"Excel Workbook (.xlsx)" and import that file.'
)
LEGACY = (
    "book.xls is an old-format Excel file (.xls, Excel 97-2003) or another Office document. In Excel choose "
    'File > Save As > "Excel Workbook (.xlsx)" and import that file.'
)


def run_import(*arguments: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("import", *arguments, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def folders(data_dir: Path) -> list[Path]:
    return list((data_dir / "imports").iterdir()) if (data_dir / "imports").exists() else []


# Character sets (M5) --------------------------------------------------------------------------------------


def test_utf16_forced_on_an_upload_without_a_byte_order_mark_finishes_with_a_clear_error(
    personas: Personas, country: Country
) -> None:
    record = import_record_submit(
        actor=personas.national,
        file_name="cadres.csv",
        chunks=[CADRES],
        mode=ImportMode.DRY_RUN,
        encoding="utf-16",
    )

    assert (record.status, record.failure, record.errors) == ("finished", "", 1)
    assert record.report["problems"][0]["message"].startswith(
        "cadres.csv could not be read as utf-16: it does not start with the byte order mark"
    )


def test_the_command_line_refuses_a_codec_that_is_not_a_character_set(
    personas: Personas, country: Country, template: Template
) -> None:
    folder = template()

    output, error = run_import(str(folder), "--user", "national", "--encoding", "rot13")

    assert error is not None and error.returncode == 1
    assert "template cannot be read as 'rot13': that is not a character set for text." in output


# The command line (S1) ------------------------------------------------------------------------------------


def test_the_command_line_gives_the_specific_refusal_of_macro_and_old_workbooks(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    (tmp_path / "book.xlsm").write_bytes(b"PK\x03\x04junk")
    (tmp_path / "book.xls").write_bytes(OLE_SIGNATURE + bytes(1000))

    macro_output, macro_error = run_import(str(tmp_path / "book.xlsm"), "--user", "national")
    legacy_output, legacy_error = run_import(str(tmp_path / "book.xls"), "--user", "national")

    assert macro_error is not None and legacy_error is not None
    assert MACRO in macro_output
    assert LEGACY in legacy_output


def test_the_command_line_refuses_a_file_over_the_limit_without_a_traceback_or_a_record(
    personas: Personas, country: Country, tmp_path: Path, data_dir: Path, settings: Any
) -> None:
    settings.SSWIS_IMPORT_MAX_BYTES = 100
    path = tmp_path / "workers.csv"
    path.write_text("worker_id,given_name,family_name\n" + "W1,A,B\n" * 50)

    output, error = run_import(str(path), "--user", "national")

    assert output == ""
    assert error is not None
    assert (
        str(error)
        == "workers.csv is larger than the 0 MB an import accepts; split it or ask for a higher limit."
    )
    assert (ImportRecord.objects.count(), folders(data_dir)) == (0, [])


def test_the_command_line_refuses_a_file_of_another_kind(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("hello")

    _output, error = run_import(str(tmp_path / "notes.txt"), "--user", "national")

    assert str(error) == (
        "notes.txt is not a mapping template: give an .xlsx workbook, a template CSV file (e.g. workers.csv) or "
        "a .zip of CSV files."
    )


# Files kept (S4) ------------------------------------------------------------------------------------------


def test_a_record_the_database_refuses_leaves_no_file_behind(
    personas: Personas, country: Country, data_dir: Path
) -> None:
    policy.scope_of(personas.national)  # the scope is cached on the user: the copy may import
    unsaved = copy.copy(personas.national)
    unsaved.pk = None  # the record cannot refer to it: creating the record fails after the file was written

    with pytest.raises(ValueError, match="unsaved related object"):
        import_record_create(actor=unsaved, file_name="cadres.csv", chunks=[CADRES], mode=ImportMode.DRY_RUN)

    assert (ImportRecord.objects.count(), folders(data_dir)) == (0, [])


def test_a_folder_import_keeps_only_the_csv_files_it_reads_or_names(
    personas: Personas, country: Country, template: Template, data_dir: Path
) -> None:
    folder = template()
    (folder / "photo.jpg").write_bytes(os.urandom(5000))
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    (folder / ".hidden.csv").write_text("a\n")
    (folder / "~$workers.csv").write_text("lock")

    output, _error = run_import(str(folder), "--user", "national", "--dry-run")

    record = ImportRecord.objects.get()
    kept = sorted(path.name for path in (data_dir / record.stored_path).iterdir())
    assert kept == sorted(path.name for path in folder.glob("[!.~]*.csv"))
    assert "photo.jpg" not in kept and "notes.csv" in kept
    assert "'notes.csv' is not a file of the mapping template and was not read." in output
    assert record.size == sum((folder / name).stat().st_size for name in kept)


def test_a_folder_with_a_file_over_the_limit_is_refused_before_anything_is_copied(
    personas: Personas, country: Country, template: Template, data_dir: Path, settings: Any
) -> None:
    folder = template()
    (folder / "workers.csv").write_bytes((folder / "workers.csv").read_bytes() + b"\n" * 3000)
    settings.SSWIS_IMPORT_MAX_BYTES = 2048

    _output, error = run_import(str(folder), "--user", "national")

    assert (
        str(error)
        == "workers.csv is larger than the 0 MB an import accepts; split it or ask for a higher limit."
    )
    assert (ImportRecord.objects.count(), folders(data_dir)) == (0, [])


# The state of a record (M7) -------------------------------------------------------------------------------


def test_an_import_that_cannot_be_queued_is_marked_failed_not_left_queued(
    personas: Personas, country: Country, settings: Any
) -> None:
    # The task is declared (and checked against the backend) when its module is first imported: import it
    # before the backend changes, as the running system has, so that this test passes on its own too.
    importlib.import_module("sswis.imports.tasks")
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["elsewhere"]}
    }

    record = import_record_submit(
        actor=personas.national, file_name="cadres.csv", chunks=[CADRES], mode=ImportMode.DRY_RUN
    )

    assert record.status == "failed"
    assert record.failure.startswith("The import could not be queued (InvalidTaskError: ")
    assert record.failure.endswith(
        "nothing was written. Upload the file again; if it happens again, please report this."
    )


def running(personas: Personas, data_dir: Path, *, started_minutes_ago: int = 30) -> ImportRecord:
    record = import_record_create(
        actor=personas.national, file_name="cadres.csv", chunks=[CADRES], mode=ImportMode.ALL_OR_NOTHING
    )
    started = timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING, started_at=started)
    record.refresh_from_db()
    return record


def age(path: Path, *, minutes: int) -> None:
    path.touch()
    then = time.time() - minutes * 60
    os.utime(path, (then, then))


def test_a_running_import_whose_heartbeat_stopped_is_marked_interrupted(
    personas: Personas, country: Country, data_dir: Path
) -> None:
    dead, alive, silent = (running(personas, data_dir) for _ in range(3))
    for record, minutes in ((dead, 6), (alive, 1)):
        age(data_dir / "imports" / str(record.uuid) / HEARTBEAT_FILE, minutes=minutes)
    (data_dir / "imports" / str(dead.uuid) / PROGRESS_FILE).write_text("{}")
    # silent has no heartbeat file at all (its worker died before the first beat): counted from its start

    assert import_records_interrupted_mark() == 2
    assert import_records_interrupted_mark() == 0

    for record in (dead, alive, silent):
        record.refresh_from_db()
    assert (dead.status, dead.failure) == ("interrupted", INTERRUPTED_MESSAGE)
    assert INTERRUPTED_MESSAGE == "The import stopped before it finished; nothing was written; run it again."
    assert (silent.status, alive.status) == ("interrupted", "running")
    assert dead.is_done and dead.finished_at is not None
    assert sorted(p.name for p in (data_dir / "imports" / str(dead.uuid)).iterdir()) == ["cadres.csv"]


def test_a_recently_started_import_without_a_heartbeat_yet_is_left_running(
    personas: Personas, country: Country, data_dir: Path
) -> None:
    record = running(personas, data_dir, started_minutes_ago=1)

    assert import_records_interrupted_mark() == 0
    record.refresh_from_db()
    assert record.status == "running"


def test_an_outcome_that_could_not_be_saved_is_stored_instead_of_interrupted(
    personas: Personas, country: Country, data_dir: Path
) -> None:
    record = running(personas, data_dir)
    finished = timezone.now() - datetime.timedelta(minutes=20)
    outcome = {"status": "finished", "imported": True, "rows_read": 1, "finished_at": finished.isoformat()}
    (data_dir / "imports" / str(record.uuid) / OUTCOME_FILE).write_text(json.dumps(outcome))

    assert import_records_interrupted_mark() == 1

    record.refresh_from_db()
    assert (record.status, record.imported, record.rows_read, record.finished_at) == (
        "finished",
        True,
        1,
        finished,
    )
    assert not (data_dir / "imports" / str(record.uuid) / OUTCOME_FILE).exists()


def test_an_outcome_saved_late_replaces_an_interrupted_mark(
    personas: Personas, country: Country, data_dir: Path
) -> None:
    """A run marked interrupted by a check that saw it late, whose outcome was then kept in the file."""
    record = running(personas, data_dir)
    ImportRecord.objects.filter(pk=record.pk).update(status="interrupted", failure=INTERRUPTED_MESSAGE)
    outcome = {"status": "finished", "imported": True, "failure": "", "finished_at": None}
    (data_dir / "imports" / str(record.uuid) / OUTCOME_FILE).write_text(json.dumps(outcome))

    assert import_records_interrupted_mark() == 1

    record.refresh_from_db()
    assert (record.status, record.imported, record.failure) == ("finished", True, "")


def test_an_import_whose_start_and_failure_the_database_refused_does_not_stay_queued(
    personas: Personas, country: Country, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker could neither mark the record running nor failed (the database refused every write):
    the failure is kept in the record's folder and stored by the next check."""
    record = import_record_create(
        actor=personas.national, file_name="cadres.csv", chunks=[CADRES], mode=ImportMode.DRY_RUN
    )

    def refuse(self: QuerySet[Any], **values: Any) -> int:
        raise OperationalError("database is locked")

    with monkeypatch.context() as patch:
        patch.setattr(QuerySet, "update", refuse)
        import_record_run(record=record)
    record.refresh_from_db()
    assert record.status == "queued"
    assert (data_dir / "imports" / str(record.uuid) / OUTCOME_FILE).exists()

    assert import_records_interrupted_mark() == 1

    record.refresh_from_db()
    assert record.status == "failed"
    assert record.failure == (
        "The import could not start: the database refused to record it (database is locked). Nothing was "
        "written; run it again."
    )
    assert record.finished_at is not None
    assert not (data_dir / "imports" / str(record.uuid) / OUTCOME_FILE).exists()


def test_an_unreadable_kept_outcome_is_left_for_the_next_check_without_failing_the_page(
    personas: Personas, country: Country, data_dir: Path
) -> None:
    record = running(personas, data_dir)
    (data_dir / "imports" / str(record.uuid) / OUTCOME_FILE).write_text('{"status": "fin')  # half written

    assert import_records_interrupted_mark() == 0
    record.refresh_from_db()
    assert record.status == "running"
    assert (data_dir / "imports" / str(record.uuid) / OUTCOME_FILE).exists()


def test_a_queued_import_is_left_alone_by_the_check(personas: Personas, country: Country) -> None:
    record = import_record_create(
        actor=personas.national, file_name="cadres.csv", chunks=[CADRES], mode=ImportMode.DRY_RUN
    )
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.QUEUED)

    assert import_records_interrupted_mark() == 0
    record.refresh_from_db()
    assert record.status == "queued"


def test_the_stale_age_is_never_below_three_heartbeats(
    personas: Personas, country: Country, data_dir: Path, settings: Any
) -> None:
    settings.SSWIS_IMPORT_STALE_SECONDS = 1
    record = running(personas, data_dir)
    heartbeat = data_dir / "imports" / str(record.uuid) / HEARTBEAT_FILE
    heartbeat.touch()
    then = time.time() - 15  # one and a half heartbeats ago: alive
    os.utime(heartbeat, (then, then))

    assert import_records_interrupted_mark() == 0


def test_a_finished_run_overrides_an_interrupted_mark_and_clears_its_message(
    personas: Personas, country: Country, data_dir: Path
) -> None:
    record = import_record_create(
        actor=personas.national, file_name="cadres.csv", chunks=[CADRES], mode=ImportMode.DRY_RUN
    )
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING)
    record.refresh_from_db()
    record.status, record.failure = ImportStatus.FINISHED, ""
    ImportRecord.objects.filter(pk=record.pk).update(status="interrupted", failure=INTERRUPTED_MESSAGE)

    _record_finish(record, ["status", "failure"])

    record.refresh_from_db()
    assert (record.status, record.failure) == ("finished", "")
    assert not (data_dir / "imports" / str(record.uuid) / OUTCOME_FILE).exists()


def test_a_finished_run_leaves_no_heartbeat_or_progress_file(
    personas: Personas, country: Country, data_dir: Path
) -> None:
    record = import_record_submit(
        actor=personas.national, file_name="cadres.csv", chunks=[CADRES], mode=ImportMode.DRY_RUN
    )

    assert record.status == "finished"
    assert sorted(p.name for p in (data_dir / "imports" / str(record.uuid)).iterdir()) == ["cadres.csv"]


# Retention (S4) -------------------------------------------------------------------------------------------


def test_pruning_deletes_old_files_and_problems_but_keeps_the_facts(
    personas: Personas, country: Country, data_dir: Path
) -> None:
    bad = b"code,name,category\nCCW,,allied\n"
    old = import_record_submit(
        actor=personas.national, file_name="cadres.csv", chunks=[bad], mode=ImportMode.DRY_RUN
    )
    new = import_record_submit(
        actor=personas.national, file_name="cadres.csv", chunks=[bad], mode=ImportMode.DRY_RUN
    )
    ImportRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=100))
    stuck = running(personas, data_dir)
    ImportRecord.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - datetime.timedelta(days=100))
    before = ImportRecord.objects.get(pk=old.pk)
    assert before.report["problems"] and before.errors == 1

    out = StringIO()
    call_command("imports_prune", "--older-than", "90", stdout=out)

    assert out.getvalue() == "Pruned 1 import older than 90 days.\n"
    after = ImportRecord.objects.get(pk=old.pk)
    assert not (data_dir / "imports" / str(old.uuid)).exists()
    assert after.pruned_at is not None
    assert after.report["problems"] == []
    kept = ("user_id", "file_name", "stored_path", "sha256", "size", "mode", "status", "created_at")
    assert [getattr(after, f) for f in kept] == [getattr(before, f) for f in kept]
    assert (after.counts, after.errors, after.warnings, after.summary) == (
        before.counts,
        before.errors,
        before.warnings,
        before.summary,
    )
    assert (data_dir / "imports" / str(new.uuid) / "cadres.csv").exists()
    assert (data_dir / "imports" / str(stuck.uuid) / "cadres.csv").exists()  # not done: not pruned
    assert import_records_prune(older_than=datetime.timedelta(days=90)) == 0  # once is enough


def test_pruning_needs_a_positive_number_of_days(personas: Personas, country: Country) -> None:
    with pytest.raises(CommandError, match=r"--older-than must be 1 or more days\."):
        call_command("imports_prune", "--older-than", "0", stdout=StringIO())


def test_a_history_record_the_database_refuses_does_not_undo_or_crash_the_import(
    personas: Personas, country: Country, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Submission imports keep their record after the commit; a database that never takes it is logged."""
    from django.db import DatabaseError

    from sswis.imports import services
    from sswis.imports.report import ImportReport

    attempts: list[int] = []

    def refuse(**values: Any) -> None:
        attempts.append(1)
        raise DatabaseError("database is locked")

    monkeypatch.setattr(services.ImportRecord.objects, "create", refuse)
    monkeypatch.setattr(services.time, "sleep", lambda seconds: None)

    record = services.import_record_of_report(
        actor=personas.national,
        file_name="https://kobo.example.org asset a1",
        sha256="0" * 64,
        size=0,
        report=ImportReport(mode=ImportMode.ALL_OR_NOTHING),
        started_at=timezone.now(),
    )

    assert (record, len(attempts)) == (None, services.SAVE_ATTEMPTS)
