"""Completions lists of institutions and online-course platforms: persons matched by worker ID, national ID or
e-mail, in that order; ambiguous persons and unknown courses are errors; rows matching no worker kept (never
dropped) and listed; all or nothing; a dry run; importing twice; who may import."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.imports.report import WARNING, FileCounts, Problem
from sswis.training.completion_lists import completion_list_import, workers_matching
from sswis.training.models import Completion, UnmatchedCompletion
from tests.factories import UserFactory, WorkerFactory
from tests.training.factories_imports import (
    ProgrammeFactory,
    TrainingInstitutionFactory,
    institution_focal_point,
)

D = datetime.date
HEADER = ["person_identifier", "course", "completion_date", "certificate_id", "name"]
Rows = list[list[str]]
Write = Callable[..., Path]


@pytest.fixture
def lists(db: Any) -> dict[str, Any]:
    """Institution ISW with programmes CP-ON ("Child protection online") and BSW; institution OTHER with
    OTH-1 (also named "Bachelor of Social Work") ; workers W1 (national ID NID-1, amina@example.org), W2
    (national ID NID-2), W3 (Chausiku@Example.org), W4 and W5 sharing national ID NID-TWIN, W6 and W7 sharing
    shared@example.org, W8 whose national ID is W1; a national data manager and each institution's focal point."""
    isw = TrainingInstitutionFactory(code="ISW", name="Institute of Social Work")
    other = TrainingInstitutionFactory(code="OTHER", name="Other College")
    national = UserFactory(username="national")
    user_scope_grant(actor=None, user=national, role=Role.NATIONAL_DATA_MANAGER)
    return {
        "national": national,
        "isw": isw,
        "online": ProgrammeFactory(code="CP-ON", name="Child protection online", institution=isw),
        "degree": ProgrammeFactory(code="BSW", name="Bachelor of Social Work", institution=isw),
        "other": ProgrammeFactory(code="OTH-1", name="Other course", institution=other),
        "isw_focal": institution_focal_point(institution=isw, username="isw"),
        "other_focal": institution_focal_point(institution=other, username="other"),
        "amina": WorkerFactory(worker_id="W1", national_id="NID-1", email="amina@example.org"),
        "baraka": WorkerFactory(worker_id="W2", national_id="NID-2", email=""),
        "chausiku": WorkerFactory(worker_id="W3", national_id="", email="Chausiku@Example.org"),
        "twins": [WorkerFactory(worker_id=f"W{n}", national_id="NID-TWIN", email="") for n in (4, 5)],
        "sharers": [
            WorkerFactory(worker_id=f"W{n}", national_id="", email="shared@example.org") for n in (6, 7)
        ],
        "shadow": WorkerFactory(worker_id="W8", national_id="W1", email=""),
    }


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """``write(rows, name="list.csv", header=HEADER)``: a CSV list; returns its path."""

    def write_list(rows: Rows, name: str = "list.csv", header: list[str] = HEADER) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *rows])
        return path

    return write_list


def completions() -> list[tuple[str, str, datetime.date, str, str]]:
    return list(
        Completion.objects.order_by("worker__worker_id", "programme__code").values_list(
            "worker__worker_id", "programme__code", "completed_on", "certificate_number", "source"
        )
    )


def errors(report: Any) -> list[tuple[int, str, str, str]]:
    return [(p.row, p.column, p.value, p.message) for p in report.errors]


def test_persons_are_matched_by_worker_id_national_id_or_email_in_that_order(
    lists: dict[str, Any], write: Write
) -> None:
    rows = [
        ["W1", "CP-ON", "2024-03-02", "MOOC-1", ""],  # worker ID (W8's national ID too: the worker ID wins)
        ["NID-2", "CP-ON", "2024-03-02", "", ""],  # national ID
        [
            "chausiku@EXAMPLE.org",
            "child PROTECTION online",
            "2024-03-03",
            "MOOC-3",
            "",
        ],  # e-mail, course by name
    ]

    report = completion_list_import(actor=lists["national"], file=write(rows))

    assert report.problems == []
    assert report.files == {"list.csv": FileCounts(read=3, created=3)}
    assert report.summary == "Imported: 3 created, 0 updated, 0 unchanged."
    assert completions() == [
        ("W1", "CP-ON", D(2024, 3, 2), "MOOC-1", "platform"),
        ("W2", "CP-ON", D(2024, 3, 2), "", "platform"),
        ("W3", "CP-ON", D(2024, 3, 3), "MOOC-3", "platform"),
    ]
    assert list(Completion.history.values_list("history_user", flat=True)) == [lists["national"].pk] * 3


def test_the_steps_of_matching(lists: dict[str, Any]) -> None:
    found = workers_matching(identifiers={"W1", "NID-1", "AMINA@example.org", "NID-TWIN", "nobody"})

    amina = lists["amina"].pk
    twins = {worker.pk: worker.worker_id for worker in lists["twins"]}
    assert found == {
        "W1": ("worker_id", {amina: "W1"}),
        "NID-1": ("national_id", {amina: "W1"}),
        "AMINA@example.org": ("email", {amina: "W1"}),
        "NID-TWIN": ("national_id", twins),
    }


def test_an_identifier_naming_two_workers_at_one_step_is_an_error_naming_them(
    lists: dict[str, Any], write: Write
) -> None:
    rows = [
        ["NID-TWIN", "CP-ON", "2024-03-02", "", ""],
        ["Shared@example.org", "CP-ON", "2024-03-02", "", ""],
        ["W1", "CP-ON", "2024-03-02", "", ""],
    ]

    report = completion_list_import(actor=lists["national"], file=write(rows))

    assert errors(report) == [
        (
            1,
            "person_identifier",
            "NID-TWIN",
            "'NID-TWIN' is the national ID of 2 workers (W4, W5); give the worker ID.",
        ),
        (
            2,
            "person_identifier",
            "Shared@example.org",
            "'Shared@example.org' is the e-mail of 2 workers (W6, W7); give the worker ID.",
        ),
    ]
    assert report.files == {"list.csv": FileCounts(read=3, created=1, rejected=2)}
    assert report.imported is False and not Completion.objects.exists()


def test_a_person_matching_no_worker_is_kept_listed_and_counted(lists: dict[str, Any], write: Write) -> None:
    rows = [
        ["W1", "BSW", "2019-11-30", "ISW-1", "Amina Okello"],
        ["neema@example.org", "CP-ON", "2024-03-02", "MOOC-9", "Neema Juma"],
    ]

    report = completion_list_import(actor=lists["isw_focal"], file=write(rows, name="mooc-march.csv"))

    assert report.problems == [
        Problem(
            "mooc-march.csv",
            2,
            "person_identifier",
            "neema@example.org",
            "No worker has the worker ID, national ID or e-mail 'neema@example.org': the completion of programme "
            "CP-ON on 2024-03-02 is kept among the unmatched completions, to match to a worker or to set aside.",
            WARNING,
        )
    ]
    assert report.files == {"mooc-march.csv": FileCounts(read=2, created=2)}
    assert report.imported is True
    kept = UnmatchedCompletion.objects.get()
    assert (
        kept.programme,
        kept.person_identifier,
        kept.person_name,
        kept.completed_on,
        kept.certificate_number,
        kept.file_name,
        kept.row_number,
        kept.matched,
        kept.set_aside_reason,
    ) == (
        lists["online"],
        "neema@example.org",
        "Neema Juma",
        D(2024, 3, 2),
        "MOOC-9",
        "mooc-march.csv",
        2,
        None,
        "",
    )
    assert kept.history.get().history_user == lists["isw_focal"]  # type: ignore[attr-defined]


def test_importing_the_same_list_twice_creates_nothing_the_second_time(
    lists: dict[str, Any], write: Write
) -> None:
    rows = [["W1", "CP-ON", "2024-03-02", "MOOC-1", ""], ["nobody", "CP-ON", "2024-03-02", "", ""]]
    completion_list_import(actor=lists["national"], file=write(rows))

    again = completion_list_import(actor=lists["national"], file=write(rows))

    assert again.files == {"list.csv": FileCounts(read=2, unchanged=2)}
    assert [problem.severity for problem in again.problems] == [WARNING]  # still unmatched: listed again
    assert (Completion.objects.count(), UnmatchedCompletion.objects.count()) == (1, 1)
    assert (Completion.history.count(), UnmatchedCompletion.history.count()) == (1, 1)


def test_a_certificate_is_filled_in_but_never_rewritten(lists: dict[str, Any], write: Write) -> None:
    completion_list_import(actor=lists["national"], file=write([["W1", "CP-ON", "2024-03-02", "", ""]]))

    filled = completion_list_import(
        actor=lists["national"], file=write([["W1", "CP-ON", "2024-03-02", "M-1", ""]])
    )
    rewritten = completion_list_import(
        actor=lists["national"], file=write([["W1", "CP-ON", "2024-03-02", "M-2", ""]])
    )

    assert filled.files == {"list.csv": FileCounts(read=1, updated=1)}
    assert errors(rewritten) == [
        (
            1,
            "certificate_id",
            "M-2",
            "Worker W1 has programme CP-ON of 2024-03-02 recorded with certificate 'M-1', not 'M-2'; an import does "
            "not change a certificate: correct the row.",
        )
    ]
    assert completions() == [("W1", "CP-ON", D(2024, 3, 2), "M-1", "platform")]


def test_a_kept_row_whose_person_became_a_worker_becomes_their_completion(
    lists: dict[str, Any], write: Write
) -> None:
    rows = [["neema@example.org", "CP-ON", "2024-03-02", "", ""]]
    completion_list_import(actor=lists["national"], file=write(rows))
    neema = WorkerFactory(worker_id="W9", email="Neema@example.org")

    report = completion_list_import(actor=lists["national"], file=write(rows))

    assert (report.problems, report.files) == ([], {"list.csv": FileCounts(read=1, created=1)})
    assert UnmatchedCompletion.objects.get().matched == Completion.objects.get(worker=neema)


def test_every_problem_is_reported_at_once_and_nothing_is_written(
    lists: dict[str, Any], write: Write
) -> None:
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    today = timezone.localdate().isoformat()
    rows = [
        ["W1", "NO-SUCH", "2024-03-02", "", ""],
        ["W1", "CP-ON", "02/03/2024", "", ""],
        ["W1", "CP-ON", tomorrow, "", ""],
        ["", "CP-ON", "2024-03-02", "", ""],
        ["W1", "CP-ON", "2024-03-05", "", "Amina\x07"],
        ["W1", "CP-ON", "2024-03-02", "", ""],
        ["NID-1", "CP-ON", "2024-03-02", "", ""],  # W1 again, by national ID
        ["nobody", "CP-ON", "2024-03-02", "", ""],  # kept... but nothing is written: there are errors
    ]

    report = completion_list_import(actor=lists["national"], file=write(rows))

    assert errors(report) == [
        (1, "course", "NO-SUCH", "Course 'NO-SUCH' is neither the code nor the name of a programme."),
        (
            2,
            "completion_date",
            "02/03/2024",
            "Completion date '02/03/2024' is not a date written YYYY-MM-DD, e.g. 2024-03-31.",
        ),
        (
            3,
            "completion_date",
            tomorrow,
            f"Completion date {tomorrow} is in the future (the import ran on {today}).",
        ),
        (4, "person_identifier", "", "Person identifier is missing; every completion needs one."),
        (
            5,
            "name",
            "Amina[U+0007]",
            "Name contains a character that is not allowed: U+0007 (character 6). Remove it, or type the text "
            "again instead of pasting it.",
        ),
        (
            7,
            "person_identifier",
            "NID-1",
            "W1 completed programme CP-ON on 2024-03-02 on row 6 already; a completion counts once.",
        ),
    ]
    assert report.files == {"list.csv": FileCounts(read=8, created=2, rejected=6)}
    assert report.summary == "Nothing was imported: 6 errors (1 warning)."
    assert not Completion.objects.exists() and not UnmatchedCompletion.objects.exists()


def test_an_unknown_column_and_a_missing_one_are_errors_of_the_header(
    lists: dict[str, Any], write: Write
) -> None:
    path = write([["W1", "2024-03-02"]], header=["person id", "completion_date"])

    report = completion_list_import(actor=lists["national"], file=path)

    assert [(p.row, p.column) for p in report.errors] == [
        (0, "person id"),
        (0, "person_identifier"),
        (0, "course"),
    ]
    assert report.errors[0].message == (
        "Column 'person id' is not a column of list.csv; check its spelling. The columns are: person_identifier, "
        "course, completion_date, certificate_id, name."
    )
    assert report.files == {"list.csv": FileCounts(read=1, rejected=1)}


def test_header_names_are_read_without_case_and_the_name_column_is_optional(
    lists: dict[str, Any], write: Write
) -> None:
    path = write(
        [["W1", "CP-ON", "2024-03-02", "M-1"]],
        header=["Person_Identifier", "COURSE", "Completion Date", "certificate_ID"],
    )

    report = completion_list_import(actor=lists["national"], file=path)

    assert (report.problems, completions()) == ([], [("W1", "CP-ON", D(2024, 3, 2), "M-1", "platform")])


def test_a_list_of_one_programme_needs_no_course_and_refuses_another(
    lists: dict[str, Any], write: Write
) -> None:
    path = write(
        [["W1", "2024-03-02", ""], ["W2", "2024-03-02", ""]],
        header=["person_identifier", "completion_date", "course"],
    )
    path.write_text(path.read_text().replace("W2,2024-03-02,", "W2,2024-03-02,BSW"))

    report = completion_list_import(actor=lists["national"], file=path, programme=lists["online"])

    assert errors(report) == [
        (2, "course", "BSW", "Course 'BSW' is programme BSW, but this list is of programme CP-ON.")
    ]


def test_a_course_named_by_two_programmes_must_be_given_by_its_code(
    lists: dict[str, Any], write: Write
) -> None:
    ProgrammeFactory(code="BSW-2", name="bachelor of social work", institution=lists["isw"])

    report = completion_list_import(
        actor=lists["national"], file=write([["W1", "Bachelor of Social Work", "2024-03-02", "", ""]])
    )

    assert errors(report) == [
        (
            1,
            "course",
            "Bachelor of Social Work",
            "Course 'Bachelor of Social Work' is the name of 2 programmes (BSW, BSW-2); give the programme's code.",
        )
    ]


def test_a_dry_run_writes_nothing_and_reports_the_same(lists: dict[str, Any], write: Write) -> None:
    rows = [["W1", "CP-ON", "2024-03-02", "", ""], ["nobody", "CP-ON", "2024-03-02", "", ""]]

    checked = completion_list_import(actor=lists["national"], file=write(rows), dry_run=True)

    assert checked.files == {"list.csv": FileCounts(read=2, created=2)}
    assert [problem.severity for problem in checked.problems] == [WARNING]
    assert checked.imported is False
    assert (
        checked.summary
        == "Dry run, nothing was written: importing would create 2, update 0 and leave 0 unchanged (1 warning)."
    )
    assert not Completion.objects.exists() and not UnmatchedCompletion.objects.exists()
    assert Completion.history.count() == UnmatchedCompletion.history.count() == 0


# Who may import ------------------------------------------------------------------------------------------


def test_another_institutions_focal_point_has_its_rows_refused(lists: dict[str, Any], write: Write) -> None:
    rows = [["W1", "CP-ON", "2024-03-02", "", ""], ["W1", "OTH-1", "2024-03-02", "", ""]]

    report = completion_list_import(actor=lists["other_focal"], file=write(rows))

    assert errors(report) == [
        (
            1,
            "course",
            "CP-ON",
            "Course 'CP-ON' is programme CP-ON of another institution: you may import only the completions of your "
            "institution's programmes.",
        )
    ]
    assert not Completion.objects.exists()


def test_a_list_of_another_institutions_programme_is_refused_before_reading(
    lists: dict[str, Any], write: Write
) -> None:
    with pytest.raises(PermissionDenied):
        completion_list_import(actor=lists["other_focal"], file=write([]), programme=lists["online"])


@pytest.mark.parametrize("role", [None, Role.ANALYST, Role.SUBNATIONAL_OFFICER, Role.REGISTRAR])
def test_anyone_but_a_training_manager_is_refused_before_reading(
    lists: dict[str, Any], write: Write, role: Role | None, country: Any
) -> None:
    user = UserFactory(username="someone")
    if role == Role.SUBNATIONAL_OFFICER:
        user_scope_grant(actor=None, user=user, role=role, location=country.region_1)
    elif role == Role.REGISTRAR:
        from tests.factories import RegulatoryBodyFactory

        user_scope_grant(actor=None, user=user, role=role, regulatory_body=RegulatoryBodyFactory())
    elif role is not None:
        user_scope_grant(actor=None, user=user, role=role)

    with pytest.raises(PermissionDenied):
        completion_list_import(actor=user, file=write([["W1", "CP-ON", "2024-03-02", "", ""]]))
    assert not Completion.objects.exists()


def test_an_unreadable_file_is_a_problem_not_a_crash(lists: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"person_identifier,course\x00\n")

    report = completion_list_import(actor=lists["national"], file=path)

    assert [(p.file, p.row) for p in report.errors] == [("list.csv", 0)]
    missing = completion_list_import(actor=lists["national"], file=tmp_path / "none.csv")
    assert [p.message for p in missing.errors] == [f"There is no file or folder at {tmp_path / 'none.csv'}."]
