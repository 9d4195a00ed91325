"""Import modes: all or nothing, skipping invalid rows, dry runs of both; every row read is accounted for."""

from __future__ import annotations

import copy
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sswis.imports.messages import message
from sswis.imports.modes import ImportMode
from sswis.imports.report import FileCounts, ImportReport
from sswis.imports.services import template_import
from sswis.registry.models import Assignment, Post, Worker
from tests.conftest import Country, Personas
from tests.imports.conftest import BASE, Files, database_snapshot, files_write

Template = Callable[..., Path]


def broken(files: Files) -> Files:
    """The base template with errors of five kinds, one of which (worker W002) other rows depend on."""
    files["population"][0].append("comment")  # unknown column: the whole file is refused
    for row in files["population"][1:]:
        row.append("")
    files["posts"][2][1] = "NGO9"  # P2: unknown organisation
    files["workers"][2][3] = "F"  # W002: not a sex; both W002 assignments depend on it
    files["assignments"][1][6] = "2019-01-01"  # W001: ends before it starts
    return files


SKIPPED_COUNTS = {
    "locations.csv": FileCounts(read=4, created=2, unchanged=2),
    "population.csv": FileCounts(read=4, rejected=4),
    "organizations.csv": FileCounts(read=2, created=2),
    "cadres.csv": FileCounts(read=2, created=1, unchanged=1),
    "posts.csv": FileCounts(read=2, created=1, rejected=1),
    "workers.csv": FileCounts(read=3, created=2, rejected=1),
    "assignments.csv": FileCounts(read=4, created=1, rejected=3),
}


def where(report: ImportReport) -> list[tuple[str, int, str, str, str]]:
    return [(p.file, p.row, p.column, p.value, p.severity) for p in report.problems]


def test_skip_invalid_imports_the_valid_rows_and_rejects_the_others_with_their_reasons(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    report = template_import(
        actor=personas.national, source=template(broken(base_files)), mode=ImportMode.SKIP_INVALID
    )

    assert report.files == SKIPPED_COUNTS
    assert where(report) == [
        ("population.csv", 0, "comment", "", "error"),
        ("posts.csv", 2, "organization_code", "NGO9", "error"),
        ("workers.csv", 2, "sex", "F", "error"),
        ("assignments.csv", 1, "end_date", "2019-01-01", "error"),
        ("assignments.csv", 2, "worker_id", "W002", "error"),
        ("assignments.csv", 3, "worker_id", "W002", "error"),
    ]
    assert report.problems[4].message == message(
        "refers_to_rejected_row", key_label="Worker ID", value="W002", target="workers.csv"
    )
    assert report.imported is True
    assert report.summary == (
        "Imported the valid rows: 9 created, 0 updated, 3 unchanged; 9 rows were rejected (6 errors)."
    )
    assert sorted(Worker.objects.values_list("worker_id", flat=True)) == ["W001", "W003"]
    assert list(Post.objects.values_list("code", flat=True)) == ["P1"]
    assert list(Assignment.objects.values_list("worker__worker_id", flat=True)) == ["W003"]
    assert Worker.objects.get(worker_id="W001").history.get().history_user == personas.national


def test_all_or_nothing_writes_nothing_and_reports_the_same_counts(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template(broken(base_files)))

    assert report.files == SKIPPED_COUNTS
    # The rows depending on a rejected row are not reported again: nothing is imported anyway.
    assert len(report.errors) == 4
    assert (report.imported, report.summary) == (False, "Nothing was imported: 4 errors.")
    assert database_snapshot() == before


def test_a_dry_run_of_skipping_invalid_rows_says_what_would_happen_and_writes_nothing(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    before = database_snapshot()

    report = template_import(
        actor=personas.national, source=template(broken(base_files)), mode=ImportMode.DRY_RUN_SKIP_INVALID
    )

    assert report.files == SKIPPED_COUNTS
    assert len(report.errors) == 6
    assert report.imported is False
    assert report.summary == (
        "Dry run, nothing was written: importing the valid rows would create 9, update 0 and leave 3 "
        "unchanged; 9 rows would be rejected (6 errors)."
    )
    assert database_snapshot() == before
    # dry_run=True turns a mode into its dry run.
    again = template_import(
        actor=personas.national, source=template(), mode=ImportMode.SKIP_INVALID, dry_run=True
    )
    assert again.mode == ImportMode.DRY_RUN_SKIP_INVALID


def test_skip_invalid_without_errors_is_a_plain_import(
    personas: Personas, country: Country, template: Template
) -> None:
    report = template_import(actor=personas.national, source=template(), mode=ImportMode.SKIP_INVALID)

    assert (report.problems, report.imported) == ([], True)
    assert report.summary == "Imported: 18 created, 0 updated, 3 unchanged."


def test_a_file_unreadable_halfway_is_undone_and_its_rows_rejected_when_skipping(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    folder = template()
    workers = folder / "workers.csv"
    filler = b"".join(b"X%05d,Given,Family,,,,,,,,\n" % number for number in range(2000))
    # Latin-1 on the last row of a file said to be UTF-8: the reader has read (and the import loaded)
    # many rows before it fails.
    workers.write_bytes(workers.read_bytes() + filler + b"W004,Ren\xe9e,Moyo,,,,,,,,\n")

    report = template_import(
        actor=personas.national, source=folder, mode=ImportMode.SKIP_INVALID, encoding="utf-8"
    )

    read = report.files["workers.csv"].read
    assert read > 1000
    assert report.files["workers.csv"] == FileCounts(read=read, rejected=read)
    assert report.files["assignments.csv"] == FileCounts(read=4, rejected=4)
    assert where(report)[0][:2] == ("workers.csv", read + 1)
    assert report.problems[1].message == message(
        "refers_to_refused_file", key_label="Worker ID", value="W001", target="workers.csv"
    )
    assert (report.imported, Worker.objects.count(), Assignment.objects.count()) == (True, 0, 0)
    assert Post.objects.count() == 2  # the other files are imported


def test_a_source_that_cannot_be_read_imports_nothing_even_when_skipping(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    report = template_import(
        actor=personas.national, source=tmp_path / "nothing", mode=ImportMode.SKIP_INVALID
    )

    assert (report.imported, report.summary) == (False, "Nothing was imported: 1 error.")


def test_modes_come_from_the_two_flags() -> None:
    assert ImportMode.of() == ImportMode.ALL_OR_NOTHING
    assert ImportMode.of(skip_invalid=True) == ImportMode.SKIP_INVALID
    assert ImportMode.of(dry_run=True) == ImportMode.DRY_RUN
    assert ImportMode.of(dry_run=True, skip_invalid=True) == ImportMode.DRY_RUN_SKIP_INVALID
    assert [(mode.dry_run, mode.skip_invalid) for mode in ImportMode] == [
        (False, False),
        (False, True),
        (True, False),
        (True, True),
    ]


# Every row read is counted once, whatever the errors ------------------------------------------------------

# (file, column) -> values that break it in different ways: bad values, unknown references, rule breaks.
BREAKERS: dict[tuple[str, int], list[str]] = {
    ("locations", 0): ["", "KD", "X" * 300],
    ("locations", 2): ["NOWHERE", "W131", ""],
    ("locations", 4): ["city"],
    ("population", 1): ["20x4", ""],
    ("population", 2): ["-1", "many"],
    ("population", 3): ["10"],
    ("organizations", 2): ["club", ""],
    ("organizations", 5): ["NOBODY", "CBO1"],
    ("cadres", 2): ["boss"],
    ("posts", 1): ["NGO9", "CBO1"],
    ("posts", 5): ["maybe"],
    ("posts", 7): ["2019-01-01", "31/12/2030"],
    ("workers", 0): ["", "W001"],
    ("workers", 3): ["F"],
    ("workers", 4): ["1988-13-01"],
    ("workers", 10): ["not an email"],
    ("assignments", 0): ["W999", "W002", ""],
    ("assignments", 1): ["NGO9", "CBO1"],
    ("assignments", 4): ["P9", "P2"],
    ("assignments", 5): ["", "yesterday"],
    ("assignments", 6): ["2000-01-01"],
    ("assignments", 8): ["2", "0"],
    ("assignments", 10): ["bored", "resigned"],
}
HEADER_BREAKERS = ["unknown", "missing"]

change = st.tuples(
    st.sampled_from(sorted(BREAKERS)),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=0, max_value=2),
)


def apply(
    files: Files, changes: list[tuple[tuple[str, int], int, int]], headers: list[tuple[str, str]]
) -> None:
    for (name, column), row, choice in changes:
        rows = files[name]
        values = BREAKERS[(name, column)]
        rows[min(row, len(rows) - 1)][column] = values[choice % len(values)]
    for name, how in headers:
        if how == "unknown":
            files[name][0] = [*files[name][0][:-1], "surprise"]
        else:
            files[name] = [row[1:] for row in files[name]]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=st.lists(change, max_size=6),
    headers=st.lists(st.tuples(st.sampled_from(sorted(BASE)), st.sampled_from(HEADER_BREAKERS)), max_size=1),
    mode=st.sampled_from(list(ImportMode)),
)
def test_every_row_read_is_created_updated_unchanged_or_rejected(
    personas: Personas,
    country: Country,
    changes: list[tuple[tuple[str, int], int, int]],
    headers: list[tuple[str, str]],
    mode: ImportMode,
) -> None:
    files = copy.deepcopy(BASE)
    apply(files, changes, headers)
    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        report = template_import(actor=personas.national, source=files_write(Path(folder), files), mode=mode)
        written = database_snapshot()
        transaction.set_rollback(True)

    assert report.unbalanced_files() == []
    assert {name: counts.read for name, counts in report.files.items()} == {
        f"{name}.csv": len(rows) - 1 for name, rows in files.items()
    }
    if mode.skip_invalid:
        # Every rejected row has a reason: an error on the row, or one on the whole file.
        rows_with_errors: dict[str, set[int]] = defaultdict(set)
        for problem in report.errors:
            rows_with_errors[problem.file].add(problem.row)
        for name, counts in report.files.items():
            if 0 not in rows_with_errors[name]:
                assert counts.rejected == len(rows_with_errors[name]), name
    if mode.dry_run or (report.has_errors and not mode.skip_invalid):
        assert report.imported is False
    else:
        assert report.imported is True
        total = report.totals()
        assert written["Worker"] == report.files.get("workers.csv", FileCounts()).created
        assert total.created + total.updated + total.unchanged + total.rejected == total.read
