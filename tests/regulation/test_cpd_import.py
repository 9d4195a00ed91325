"""CPD bulk import: a provider's attendance list or a MOOC platform's certificates become CPD records through
``cpd_record_add``; every problem at once (file, row, column, value, sentence); all or nothing; a second
run unchanged; the command."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.imports.report import FileCounts
from sswis.regulation.cpd_import import cpd_records_import, workers_matching
from sswis.regulation.models import CpdActivity, CpdProvider, CpdRecord
from sswis.regulation.services import cpd_record_add, regulatory_body_set
from tests.factories import UserFactory, WorkerFactory

D = datetime.date
HEADER = ["person_identifier", "course", "completion_date", "certificate_id"]
Rows = list[list[str]]


@pytest.fixture
def cpd(db: Any) -> dict[str, Any]:
    """Provider P1 (accredited from 2022) with activities ETH-1 (held 2024-03-01), PRA-1 (2024-04-10) and
    OLD-1 (2021-12-01, before the accreditation); provider P2 with OTH-1; workers W1 (national ID
    19880412-0042, amina@example.org), W2 (Baraka@Example.org) and W3, W4 sharing one email."""
    registrar = UserFactory(username="registrar")
    user_scope_grant(actor=None, user=registrar, role=Role.NATIONAL_DATA_MANAGER)
    body = regulatory_body_set(actor=registrar, code="SSC", name="Social Service Council")
    first = CpdProvider.objects.create(body=body, code="P1", name="Institute", accredited_from=D(2022, 1, 1))
    second = CpdProvider.objects.create(body=body, code="P2", name="MOOC", accredited_from=D(2022, 1, 1))

    def activity(provider: CpdProvider, code: str, held_on: datetime.date) -> CpdActivity:
        return CpdActivity.objects.create(
            provider=provider, code=code, title=code, category="ethics", points=Decimal(5), held_on=held_on
        )

    return {
        "registrar": registrar,
        "provider": first,
        "ethics": activity(first, "ETH-1", D(2024, 3, 1)),
        "practice": activity(first, "PRA-1", D(2024, 4, 10)),
        "old": activity(first, "OLD-1", D(2021, 12, 1)),
        "other": activity(second, "OTH-1", D(2024, 3, 1)),
        "amina": WorkerFactory(worker_id="W1", national_id="19880412-0042", email="amina@example.org"),
        "baraka": WorkerFactory(worker_id="W2", email="Baraka@Example.org"),
        "twin_1": WorkerFactory(worker_id="W3", email="shared@example.org"),
        "twin_2": WorkerFactory(worker_id="W4", email="shared@example.org"),
    }


ROWS: Rows = [
    ["W1", "ETH-1", "2024-03-01", "MOOC-1"],  # by worker ID
    ["19880412-0042", "PRA-1", "2024-04-12", ""],  # by national ID
    ["baraka@EXAMPLE.org", "ETH-1", "2024-03-02", "MOOC-2"],  # by email, in any case
]


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    def written(rows: Rows, header: list[str] = HEADER, name: str = "attendance.csv") -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *rows])
        return path

    return written


def records() -> list[tuple[str, str, datetime.date, str]]:
    return list(
        CpdRecord.objects.order_by("worker__worker_id", "activity__code").values_list(
            "worker__worker_id", "activity__code", "completed_on", "certificate_id"
        )
    )


def problems(report: Any) -> list[tuple[str, int, str, str, str]]:
    return [(p.file, p.row, p.column, p.value, p.message) for p in report.problems]


def test_an_attendance_list_becomes_cpd_records_with_their_history(
    cpd: dict[str, Any], write: Callable[..., Path]
) -> None:
    report = cpd_records_import(actor=cpd["registrar"], source=write(ROWS), provider=cpd["provider"])

    assert report.problems == []
    assert report.files == {"attendance.csv": FileCounts(read=3, created=3)}
    assert (report.imported, report.summary) == (True, "Imported: 3 created, 0 updated, 0 unchanged.")
    assert records() == [
        ("W1", "ETH-1", D(2024, 3, 1), "MOOC-1"),
        ("W1", "PRA-1", D(2024, 4, 12), ""),
        ("W2", "ETH-1", D(2024, 3, 2), "MOOC-2"),
    ]
    assert (
        list(CpdRecord.history.values_list("history_type", "history_user"))
        == [("+", cpd["registrar"].pk)] * 3
    )


def test_a_second_run_changes_nothing_and_says_so(cpd: dict[str, Any], write: Callable[..., Path]) -> None:
    cpd_records_import(actor=cpd["registrar"], source=write(ROWS), provider=cpd["provider"])

    report = cpd_records_import(actor=cpd["registrar"], source=write(ROWS), provider=cpd["provider"])

    assert report.problems == []
    assert report.files == {"attendance.csv": FileCounts(read=3, unchanged=3)}
    assert report.summary == "Imported. Nothing changed: all 3 rows were already in the registry."
    assert (CpdRecord.objects.count(), CpdRecord.history.count()) == (3, 3)


def test_a_certificate_is_filled_in_on_an_attendance_recorded_without_one(
    cpd: dict[str, Any], write: Callable[..., Path]
) -> None:
    cpd_record_add(
        actor=cpd["registrar"], worker=cpd["amina"], activity=cpd["ethics"], completed_on=D(2024, 3, 1)
    )

    report = cpd_records_import(actor=cpd["registrar"], source=write(ROWS[:1]), provider=cpd["provider"])

    assert report.files == {"attendance.csv": FileCounts(read=1, updated=1)}
    assert records() == [("W1", "ETH-1", D(2024, 3, 1), "MOOC-1")]
    assert CpdRecord.history.values_list("history_type", "certificate_id").first() == ("~", "MOOC-1")


def test_a_file_without_the_certificate_column_and_other_spellings_of_the_columns(
    cpd: dict[str, Any], tmp_path: Path
) -> None:
    """A MOOC export: semicolons, Windows-1252, column names in words (as the template reads them)."""
    path = tmp_path / "mooc.csv"
    path.write_bytes("Person Identifier;COURSE;Completion date\nW2;PRA-1;2024-05-01\n".encode("cp1252"))

    report = cpd_records_import(actor=cpd["registrar"], source=path, provider=cpd["provider"])

    assert report.problems == []
    assert records() == [("W2", "PRA-1", D(2024, 5, 1), "")]


# Problems -----------------------------------------------------------------------------------------------

ERROR_CASES: list[tuple[str, Rows, tuple[int, str, str, str]]] = [
    (
        "person unknown",
        [["W9", "ETH-1", "2024-03-01", ""]],
        (
            1,
            "person_identifier",
            "W9",
            "No worker has the worker ID, national ID or email 'W9'; check it, or record the person in the "
            "registry first.",
        ),
    ),
    (
        "person ambiguous",
        [["SHARED@example.org", "ETH-1", "2024-03-01", ""]],
        (
            1,
            "person_identifier",
            "SHARED@example.org",
            "'SHARED@example.org' is the worker ID, national ID or email of 2 workers (W3, W4); give the "
            "worker ID.",
        ),
    ),
    (
        "person missing",
        [["", "ETH-1", "2024-03-01", ""]],
        (1, "person_identifier", "", "Person identifier is missing; every CPD record needs one."),
    ),
    (
        "course unknown",
        [["W1", "ETH-9", "2024-03-01", ""]],
        (1, "course", "ETH-9", "Course 'ETH-9' is not an activity of provider P1."),
    ),
    (
        "course of another provider",
        [["W1", "OTH-1", "2024-03-01", ""]],
        (1, "course", "OTH-1", "Course 'OTH-1' is an activity of provider P2, not of P1."),
    ),
    (
        "completion date not a date",
        [["W1", "ETH-1", "01/03/2024", ""]],
        (
            1,
            "completion_date",
            "01/03/2024",
            "Completion date '01/03/2024' is not a date written YYYY-MM-DD, e.g. 2024-03-31.",
        ),
    ),
    (
        "completion date missing",
        [["W1", "ETH-1", "", ""]],
        (1, "completion_date", "", "Completion date is missing; every CPD record needs one."),
    ),
    (
        "certificate too long",
        [["W1", "ETH-1", "2024-03-01", "C" * 101]],
        (1, "certificate_id", "C" * 101, "Certificate ID has 101 characters; at most 100 are allowed."),
    ),
    (
        "completed before the activity was held (the service's rule)",
        [["W1", "ETH-1", "2024-02-28", ""]],
        (1, "completion_date", "2024-02-28", "An activity cannot be completed before it is held."),
    ),
    (
        "provider not accredited when the activity was held (the service's rule)",
        [["W1", "OLD-1", "2021-12-01", ""]],
        (1, "course", "OLD-1", "The provider was not accredited on the day the activity was held."),
    ),
    (
        "the same person and course twice",
        [["W1", "ETH-1", "2024-03-01", ""], ["amina@example.org", "ETH-1", "2024-03-01", ""]],
        (2, "course", "ETH-1", "Worker W1 completed course ETH-1 on row 1 already; a course counts once."),
    ),
    (
        "the same certificate twice",
        [["W1", "ETH-1", "2024-03-01", "MOOC-1"], ["W2", "ETH-1", "2024-03-01", "MOOC-1"]],
        (
            2,
            "certificate_id",
            "MOOC-1",
            "Certificate 'MOOC-1' appears more than once in attendance.csv (first on row 1).",
        ),
    ),
    (
        "a value beyond the header",
        [["W1", "ETH-1", "2024-03-01", "MOOC-1", "extra"]],
        (1, "", "extra", "This row has more values than the header has columns."),
    ),
]


@pytest.mark.parametrize(("case", "rows", "expected"), ERROR_CASES, ids=[case for case, _, _ in ERROR_CASES])
def test_each_error_is_reported_exactly_and_nothing_is_written(
    cpd: dict[str, Any],
    write: Callable[..., Path],
    case: str,
    rows: Rows,
    expected: tuple[int, str, str, str],
) -> None:
    report = cpd_records_import(actor=cpd["registrar"], source=write(rows), provider=cpd["provider"])

    assert problems(report) == [("attendance.csv", *expected)]
    assert report.imported is False
    assert report.files["attendance.csv"].rejected == 1
    assert (CpdRecord.objects.count(), CpdRecord.history.count()) == (0, 0)


def test_rows_that_contradict_the_stored_records_are_errors(
    cpd: dict[str, Any], write: Callable[..., Path]
) -> None:
    cpd_records_import(actor=cpd["registrar"], source=write(ROWS), provider=cpd["provider"])
    rows = [
        ["W1", "ETH-1", "2024-03-05", ""],  # another completion date
        ["W2", "ETH-1", "2024-03-02", "MOOC-9"],  # another certificate
        ["W2", "PRA-1", "2024-04-10", "MOOC-1"],  # W1's certificate
    ]

    report = cpd_records_import(actor=cpd["registrar"], source=write(rows), provider=cpd["provider"])

    assert problems(report) == [
        (
            "attendance.csv",
            1,
            "completion_date",
            "2024-03-05",
            "Worker W1 has course ETH-1 recorded as completed on 2024-03-01, not 2024-03-05; an import does not "
            "change a completion date: correct the row.",
        ),
        (
            "attendance.csv",
            2,
            "certificate_id",
            "MOOC-9",
            "Worker W2 has course ETH-1 recorded with certificate 'MOOC-2', not 'MOOC-9'; an import does not "
            "change a certificate: correct the row.",
        ),
        (
            "attendance.csv",
            3,
            "certificate_id",
            "MOOC-1",
            "Certificate 'MOOC-1' is already recorded for worker W1, course ETH-1.",
        ),
    ]
    assert report.files == {"attendance.csv": FileCounts(read=3, rejected=3)}
    assert CpdRecord.objects.count() == 3


def test_every_problem_is_reported_at_once_and_the_valid_rows_are_not_written(
    cpd: dict[str, Any], write: Callable[..., Path]
) -> None:
    rows = [*ROWS, ["W9", "ETH-9", "2024-13-01", ""], ["W3", "PRA-1", "2024-04-10", ""]]

    report = cpd_records_import(actor=cpd["registrar"], source=write(rows), provider=cpd["provider"])

    assert [(p.row, p.column) for p in report.problems] == [
        (4, "completion_date"),
        (4, "person_identifier"),  # an unmatched person is an error, never dropped
        (4, "course"),
    ]
    assert report.files == {"attendance.csv": FileCounts(read=5, created=4, rejected=1)}
    assert report.summary == "Nothing was imported: 3 errors."
    assert CpdRecord.objects.count() == 0


def test_a_header_problem_rejects_every_row(cpd: dict[str, Any], write: Callable[..., Path]) -> None:
    report = cpd_records_import(
        actor=cpd["registrar"],
        source=write(ROWS, header=["person", "course", "certificate_id", "points"]),
        provider=cpd["provider"],
    )

    columns = "person_identifier, course, completion_date, certificate_id"
    assert problems(report) == [
        (
            "attendance.csv",
            0,
            "person",
            "",
            f"Column 'person' is not a column of attendance.csv; check its spelling. The columns are: {columns}.",
        ),
        (
            "attendance.csv",
            0,
            "points",
            "",
            f"Column 'points' is not a column of attendance.csv; check its spelling. The columns are: {columns}.",
        ),
        (
            "attendance.csv",
            0,
            "person_identifier",
            "",
            "Column 'person_identifier' is required in attendance.csv but the header does not have it.",
        ),
        (
            "attendance.csv",
            0,
            "completion_date",
            "",
            "Column 'completion_date' is required in attendance.csv but the header does not have it.",
        ),
    ]
    assert report.files == {"attendance.csv": FileCounts(read=3, rejected=3)}


def test_a_file_that_is_not_csv_text_is_refused_with_the_templates_message(
    cpd: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "attendance.csv"
    path.write_bytes(b"PK\x03\x04" + bytes(200))

    report = cpd_records_import(actor=cpd["registrar"], source=path, provider=cpd["provider"])

    assert [(p.file, p.row) for p in report.problems] == [("attendance.csv", 0)]
    assert report.problems[0].message.startswith("attendance.csv is not a CSV text file: it is a zip file")
    assert report.imported is False


def test_a_dry_run_counts_and_writes_nothing(cpd: dict[str, Any], write: Callable[..., Path]) -> None:
    report = cpd_records_import(
        actor=cpd["registrar"], source=write(ROWS), provider=cpd["provider"], dry_run=True
    )

    assert (report.problems, report.files, report.imported) == (
        [],
        {"attendance.csv": FileCounts(read=3, created=3)},
        False,
    )
    assert CpdRecord.objects.count() == 0


def test_only_someone_who_may_change_regulation_imports(
    cpd: dict[str, Any], write: Callable[..., Path]
) -> None:
    focal_point = UserFactory(username="hope")
    user_scope_grant(actor=None, user=focal_point, role=Role.ANALYST)

    with pytest.raises(
        PermissionDenied,
        match="Only the body's registrar or a national data manager may change its registers",
    ):
        cpd_records_import(actor=focal_point, source=write(ROWS), provider=cpd["provider"])
    assert CpdRecord.objects.count() == 0


def test_workers_are_matched_by_worker_id_national_id_or_email(cpd: dict[str, Any]) -> None:
    matches = workers_matching(
        identifiers={"W1", "19880412-0042", "AMINA@example.org", "shared@example.org", "W9"}
    )

    amina = cpd["amina"].pk
    assert matches == {
        "W1": {amina: "W1"},
        "19880412-0042": {amina: "W1"},
        "AMINA@example.org": {amina: "W1"},
        "shared@example.org": {cpd["twin_1"].pk: "W3", cpd["twin_2"].pk: "W4"},
    }


# The command --------------------------------------------------------------------------------------------


def test_the_command_prints_the_counts_and_fails_on_errors(
    cpd: dict[str, Any], write: Callable[..., Path]
) -> None:
    out = io.StringIO()
    call_command(
        "regulation_cpd_import", str(write(ROWS)), "--provider", "P1", "--user", "registrar", stdout=out
    )

    assert out.getvalue().splitlines()[-1] == "Imported: 3 created, 0 updated, 0 unchanged."
    assert CpdRecord.objects.count() == 3

    out = io.StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 error\.") as failed:
        call_command(
            "regulation_cpd_import",
            str(write([["W9", "ETH-1", "2024-03-01", ""]], name="more.csv")),
            "--provider",
            "P1",
            "--user",
            "registrar",
            stdout=out,
        )
    assert failed.value.returncode == 1
    assert "ERROR: more.csv, row 1, column person_identifier [W9]: No worker has" in out.getvalue()


def test_the_command_refuses_an_unknown_provider_user_or_a_user_who_may_not(
    cpd: dict[str, Any], write: Callable[..., Path]
) -> None:
    path = str(write(ROWS))
    with pytest.raises(CommandError, match=r"There is no CPD provider with the code 'P9'\."):
        call_command("regulation_cpd_import", path, "--provider", "P9", "--user", "registrar")
    with pytest.raises(CommandError, match=r"There is no user named 'nobody'\."):
        call_command("regulation_cpd_import", path, "--provider", "P1", "--user", "nobody")
    UserFactory(username="someone")
    with pytest.raises(
        CommandError, match=r"someone may not import: Only the body.s registrar or a national data manager"
    ):
        call_command("regulation_cpd_import", path, "--provider", "P1", "--user", "someone")
    assert CpdRecord.objects.count() == 0
