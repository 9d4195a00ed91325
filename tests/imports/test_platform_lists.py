"""The shared reader of institutions' and platforms' lists (``imports.platform_lists``) and the shape of their
commands (``imports.list_command``), through a small importer of their own: its rows set the matched worker's
education field to the course. The completions and CPD importers built on it are tested in
``tests/training/test_completion_lists.py`` and ``tests/regulation/test_cpd_import.py``."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from sswis.imports.list_command import ListImportCommand
from sswis.imports.platform_lists import PERSON, ListRun, upload_kept, workers_matching
from sswis.imports.report import FileCounts, ImportReport, Problem
from sswis.imports.schema import Column, Kind
from sswis.registry.models import Worker
from tests.factories import UserFactory, WorkerFactory

COLUMNS = (
    Column("person_identifier", Kind.CODE, "the person", "W1", required=True, max_length=64),
    Column("course", Kind.CODE, "the course", "C1", required=True, max_length=20, label="Course"),
    Column("completion_date", Kind.DATE, "the day", "2024-03-02", required=True, label="Completion date"),
    Column("certificate_id", Kind.CODE, "the certificate", "M-1", max_length=20, label="Certificate ID"),
)
HEADER = "person_identifier,course,completion_date,certificate_id"
Write = Callable[..., Path]


@dataclass(kw_only=True)
class Toy(ListRun[str]):
    columns = COLUMNS
    entity = "toy record"
    table = "toys"

    course_optional: bool = False
    first_step_only: bool = True
    unknown: list[str] = field(default_factory=list)

    def needs(self, column: Column) -> bool:
        return column.required and not (self.course_optional and column.name == "course")

    def person_ambiguous(self, identifier: str, step: str, workers: dict[int, str]) -> str:
        return f"'{identifier}' names {', '.join(sorted(workers.values()))} (first by {step})."

    def person_unknown(self, row: Any, identifier: str) -> None:
        self.unknown.append(identifier)

    def resolve(self) -> None:
        matches = workers_matching(identifiers=self.values_of(PERSON), first_step_only=self.first_step_only)
        for row in self.rows:
            self.match_person(row, matches)
            row.course = row.values.get("course")

    def write(self) -> None:
        for row in self.rows:
            if not row.ok:
                self.counts.rejected += 1
            elif row.worker is None:
                self.counts.unchanged += 1
            else:
                Worker.objects.filter(pk=row.worker).update(education_field=row.course or "")
                self.counts.created += 1


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """``write(text, name="toys.csv")``: a file holding ``text`` (UTF-8); returns its path."""

    def write_text(text: str, name: str = "toys.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8"))
        return path

    return write_text


def fields() -> dict[str, str]:
    return dict(Worker.objects.values_list("worker_id", "education_field"))


def found(report: ImportReport) -> list[tuple[int, str, str, str]]:
    return [(p.row, p.column, p.value, p.message) for p in report.problems]


# Reading -----------------------------------------------------------------------------------------------


def test_columns_are_matched_without_case_spaces_or_underscores_and_the_rows_written(
    db: Any, write: Write
) -> None:
    WorkerFactory(worker_id="W1", education_field="")
    run = Toy(actor=None, file="toys.csv")

    report = run.import_file(
        write("Person Identifier;COURSE;completion date;Certificate_ID\nW1;C1;2024-03-02;\n"), encoding=None
    )

    assert report.problems == []
    assert [row.values for row in run.rows] == [
        {
            "person_identifier": "W1",
            "course": "C1",
            "completion_date": datetime.date(2024, 3, 2),
            "certificate_id": "",
        }
    ]
    assert report.files == {"toys.csv": FileCounts(read=1, created=1)}
    assert report.imported is True
    assert fields() == {"W1": "C1"}


def test_a_dry_run_reports_the_same_and_writes_nothing(db: Any, write: Write) -> None:
    WorkerFactory(worker_id="W1", education_field="")

    report = Toy(actor=None, file="toys.csv", dry_run=True).import_file(
        write(f"{HEADER}\nW1,C1,2024-03-02,\n"), encoding=None
    )

    assert report.problems == []
    assert report.files == {"toys.csv": FileCounts(read=1, created=1)}
    assert report.imported is False
    assert fields() == {"W1": ""}


def test_an_unknown_repeated_or_missing_column_makes_every_row_unusable(db: Any, write: Write) -> None:
    WorkerFactory(worker_id="W1", education_field="")

    report = Toy(actor=None, file="toys.csv").import_file(
        write("person_identifier,course,Course,grade\nW1,C1,C1,A\n"), encoding=None
    )

    columns = "person_identifier, course, completion_date, certificate_id"
    assert found(report) == [
        (0, "Course", "", "Column 'Course' appears more than once in the header."),
        (
            0,
            "grade",
            "",
            f"Column 'grade' is not a column of toys.csv; check its spelling. The columns are: {columns}.",
        ),
        (
            0,
            "completion_date",
            "",
            "Column 'completion_date' is required in toys.csv but the header does not have it.",
        ),
    ]
    assert report.files == {"toys.csv": FileCounts(read=1, rejected=1)}
    assert report.imported is False
    assert fields() == {"W1": ""}


def test_every_cell_problem_is_reported_with_its_row_column_and_value(db: Any, write: Write) -> None:
    WorkerFactory(worker_id="W1", education_field="")
    rows = [
        ",C1,2024-03-02,",  # no person
        "W1,C\x07,2024-03-02,",  # a control character
        "W1,C1,2024-02-30,",  # no such day
        "W1,C1,2024-03-02,,surplus",  # a value beyond the header
        "W1,C1,2024-03-02,M-1",  # fine, but the import has errors: not written
    ]

    report = Toy(actor=None, file="toys.csv").import_file(
        write("\n".join([HEADER, *rows]) + "\n"), encoding=None
    )

    assert found(report) == [
        (1, "person_identifier", "", "Person identifier is missing; every toy record needs one."),
        (
            2,
            "course",
            "C[U+0007]",
            "Course contains a character that is not allowed: U+0007 (character 2). Remove it, or type the "
            "text again instead of pasting it.",
        ),
        (
            3,
            "completion_date",
            "2024-02-30",
            "Completion date '2024-02-30' is not a date written YYYY-MM-DD, e.g. 2024-03-31.",
        ),
        (4, "", "surplus", "This row has more values than the header has columns."),
    ]
    assert report.files == {"toys.csv": FileCounts(read=5, created=1, rejected=4)}
    assert report.imported is False
    assert fields() == {"W1": ""}


def test_a_column_the_importer_does_not_need_may_be_left_out_or_empty(db: Any, write: Write) -> None:
    WorkerFactory(worker_id="W1", education_field="before")
    left_out = Toy(actor=None, file="toys.csv", course_optional=True)
    empty = Toy(actor=None, file="empty.csv", course_optional=True, dry_run=True)

    reports = [
        left_out.import_file(write("person_identifier,completion_date\nW1,2024-03-02\n"), encoding=None),
        empty.import_file(write(f"{HEADER}\nW1,,2024-03-02,\n", "empty.csv"), encoding=None),
    ]

    assert [report.problems for report in reports] == [[], []]
    assert left_out.rows[0].values == {
        "person_identifier": "W1",
        "completion_date": datetime.date(2024, 3, 2),
    }
    assert empty.rows[0].values["course"] == ""
    assert fields() == {"W1": ""}


def test_an_empty_a_missing_or_a_too_large_file_is_a_problem_and_nothing_is_read(
    db: Any, write: Write, settings: Any, tmp_path: Path
) -> None:
    empty = Toy(actor=None, file="toys.csv").import_file(write(""), encoding=None)
    missing = Toy(actor=None, file="none.csv").import_file(tmp_path / "none.csv", encoding=None)
    settings.SSWIS_IMPORT_MAX_BYTES = 2 * 2**20
    large = Toy(actor=None, file="big.csv").import_file(
        write("x" * (2 * 2**20 + 1), "big.csv"), encoding=None
    )

    assert empty.problems == [
        Problem("toys.csv", 0, "", "", "toys.csv is empty: it needs a header row with the column names.")
    ]
    assert missing.problems == [
        Problem(
            "", 0, "", str(tmp_path / "none.csv"), f"There is no file or folder at {tmp_path / 'none.csv'}."
        )
    ]
    assert large.problems == [
        Problem(
            "big.csv",
            0,
            "",
            "",
            "big.csv is larger than the 2 MB an import accepts; split it or ask for a higher limit.",
        )
    ]
    assert (missing.files, large.files) == ({"none.csv": FileCounts()}, {"big.csv": FileCounts()})
    assert (empty.imported, missing.imported, large.imported) == (False, False, False)


def test_a_file_that_cannot_be_read_to_the_end_rejects_every_row_read(db: Any, write: Write) -> None:
    WorkerFactory(worker_id="W1", education_field="")
    path = write(f"{HEADER}\nW1,C1,2024-03-02,\n")
    path.write_bytes(path.read_bytes() + b"W1,C\xff,2024-03-02,\n")

    report = Toy(actor=None, file="toys.csv").import_file(path, encoding="utf-8")

    assert [(p.file, p.row) for p in report.problems] == [("toys.csv", 2)]
    assert report.files == {"toys.csv": FileCounts(read=1, rejected=1)}
    assert report.imported is False
    assert fields() == {"W1": ""}


# Persons -----------------------------------------------------------------------------------------------


@pytest.fixture
def persons(db: Any) -> dict[str, int]:
    """A1 (national ID N-1, amina@example.org); B2, whose national ID is A1; C3 and D4, who share an e-mail
    (but for capitals)."""
    workers = [
        WorkerFactory(worker_id="A1", national_id="N-1", email="amina@example.org"),
        WorkerFactory(worker_id="B2", national_id="A1", email=""),
        WorkerFactory(worker_id="C3", national_id="", email="shared@example.org"),
        WorkerFactory(worker_id="D4", national_id="", email="Shared@Example.org"),
    ]
    return {worker.worker_id: worker.pk for worker in workers}


def test_workers_are_matched_at_the_first_step_that_names_one_or_at_every_step(
    persons: dict[str, int],
) -> None:
    identifiers = {"A1", "N-1", "AMINA@example.ORG", "shared@example.org", "nobody"}
    a1, b2, c3, d4 = (persons[name] for name in ("A1", "B2", "C3", "D4"))

    first = workers_matching(identifiers=identifiers, first_step_only=True)
    every = workers_matching(identifiers=identifiers, first_step_only=False)

    assert first == {
        "A1": ("worker_id", {a1: "A1"}),
        "N-1": ("national_id", {a1: "A1"}),
        "AMINA@example.ORG": ("email", {a1: "A1"}),
        "shared@example.org": ("email", {c3: "C3", d4: "D4"}),
    }
    assert every == {
        "A1": ("worker_id", {a1: "A1", b2: "B2"}),  # A1's worker ID, B2's national ID
        "N-1": ("national_id", {a1: "A1"}),
        "AMINA@example.ORG": ("email", {a1: "A1"}),
        "shared@example.org": ("email", {c3: "C3", d4: "D4"}),
    }


def test_a_person_naming_several_workers_is_an_error_and_one_naming_none_is_the_importers(
    persons: dict[str, int], write: Write
) -> None:
    rows = ["A1,C1,2024-03-02,", "shared@example.org,C2,2024-03-02,", "nobody,C3,2024-03-02,"]
    run = Toy(actor=None, file="toys.csv", first_step_only=False)

    report = run.import_file(write("\n".join([HEADER, *rows]) + "\n"), encoding=None)

    assert found(report) == [
        (1, "person_identifier", "A1", "'A1' names A1, B2 (first by worker_id)."),
        (2, "person_identifier", "shared@example.org", "'shared@example.org' names C3, D4 (first by email)."),
    ]
    assert run.unknown == ["nobody"]
    assert [(row.worker, row.ok) for row in run.rows] == [(None, False), (None, False), (None, True)]
    assert report.files == {"toys.csv": FileCounts(read=3, unchanged=1, rejected=2)}


def test_a_person_is_matched_to_the_one_worker_named(persons: dict[str, int], write: Write) -> None:
    run = Toy(actor=None, file="toys.csv")

    report = run.import_file(write(f"{HEADER}\nA1,C1,2024-03-02,\nN-1,C2,2024-03-03,\n"), encoding=None)

    assert report.problems == []
    assert [row.worker for row in run.rows] == [persons["A1"], persons["A1"]]
    assert run.worker_ids == {persons["A1"]: "A1"}


# Uploads and commands ----------------------------------------------------------------------------------


def test_an_upload_is_kept_under_its_own_base_name_and_removed_after() -> None:
    with upload_kept(
        file_name="C:\\Users\\amina\\March list.csv", chunks=[b"a,", b"b\n"], default="toys.csv"
    ) as kept:
        assert (kept.name, kept.read_bytes(), kept.parent.name.startswith("sswis-toys-")) == (
            "March list.csv",
            b"a,b\n",
            True,
        )
    with upload_kept(file_name="", chunks=[], default="toys.csv") as unnamed:
        assert unnamed.name == "toys.csv"
    assert (kept.exists(), unnamed.exists()) == (False, False)


class ToyCommand(ListImportCommand):
    help = "Import toys."

    def list_import(self, *, user: Any, options: dict[str, Any]) -> ImportReport:
        if user.username == "outsider":
            raise PermissionDenied("Only toy keepers may import toys.")
        run = Toy(actor=user, file=options["path"].name, dry_run=options["dry_run"])
        return run.import_file(options["path"], encoding=options["encoding"])


def test_the_command_prints_the_report_and_fails_on_errors(persons: dict[str, int], write: Write) -> None:
    UserFactory(username="keeper")
    good, bad = write(f"{HEADER}\nA1,C1,2024-03-02,\n"), write(f"{HEADER}\n,C1,2024-03-02,\n", "bad.csv")
    text, document = io.StringIO(), io.StringIO()

    call_command(ToyCommand(), str(good), "--user", "keeper", "--dry-run", stdout=text)
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 error\.") as failed:
        call_command(ToyCommand(), str(bad), "--user", "keeper", "--format", "json", stdout=document)

    assert text.getvalue().splitlines()[1:] == [
        "toys.csv     1        1        0          0         0",
        "total        1        1        0          0         0",
        "",
        "Dry run, nothing was written: importing would create 1, update 0 and leave 0 unchanged.",
    ]
    printed = json.loads(document.getvalue())
    assert (printed["files"], printed["problems"]) == (
        {"bad.csv": {"read": 1, "created": 0, "updated": 0, "unchanged": 0, "rejected": 1}},
        [
            {
                "file": "bad.csv",
                "row": 1,
                "column": "person_identifier",
                "value": "",
                "message": "Person identifier is missing; every toy record needs one.",
                "severity": "error",
            }
        ],
    )
    assert failed.value.returncode == 1
    assert fields()["A1"] == ""


def test_the_command_refuses_an_unknown_or_refused_user(db: Any, write: Write, monkeypatch: Any) -> None:
    UserFactory(username="outsider")
    monkeypatch.delenv("SSWIS_USER", raising=False)
    path = str(write(f"{HEADER}\n"))

    with pytest.raises(CommandError, match="Say who is importing"):
        call_command(ToyCommand(), path)
    with pytest.raises(CommandError, match="There is no user named 'nobody'"):
        call_command(ToyCommand(), path, "--user", "nobody")
    monkeypatch.setenv("SSWIS_USER", "outsider")
    with pytest.raises(CommandError, match=r"outsider may not import: Only toy keepers may import toys\."):
        call_command(ToyCommand(), path)
