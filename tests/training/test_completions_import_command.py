"""``sswis training_completions_import``: the report as text or JSON, a dry run, exit status 1 on errors, and
the refusals of an unknown programme or user and of a user who may not import."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sswis.training.models import Completion, UnmatchedCompletion
from tests.factories import UserFactory
from tests.training.test_completion_lists import Write, lists, write  # noqa: F401 (the fixtures)

ROWS = [["W1", "CP-ON", "2024-03-02", "M-1", ""], ["nobody", "CP-ON", "2024-03-02", "", "No Body"]]


def test_the_command_prints_the_counts_and_the_unmatched_rows(lists: dict[str, Any], write: Write) -> None:  # noqa: F811
    out = io.StringIO()
    call_command("training_completions_import", str(write(ROWS)), "--user", "national", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        "file      read  created  updated  unchanged  rejected",
        "list.csv     2        2        0          0         0",
        "total        2        2        0          0         0",
    ]
    assert lines[-1] == "Imported: 2 created, 0 updated, 0 unchanged (1 warning)."
    assert "WARNING: list.csv, row 2, column person_identifier [nobody]: No worker has" in out.getvalue()
    assert (Completion.objects.count(), UnmatchedCompletion.objects.count()) == (1, 1)


def test_a_dry_run_as_json_writes_nothing(lists: dict[str, Any], write: Write) -> None:  # noqa: F811
    out = io.StringIO()
    call_command(
        "training_completions_import",
        str(write(ROWS)),
        "--user",
        "national",
        "--dry-run",
        "--format",
        "json",
        stdout=out,
    )

    document = json.loads(out.getvalue())
    assert (document["dry_run"], document["imported"], document["files"]["list.csv"]["created"]) == (
        True,
        False,
        2,
    )
    assert [problem["row"] for problem in document["problems"]] == [2]
    assert not Completion.objects.exists() and not UnmatchedCompletion.objects.exists()


def test_errors_end_with_status_1_and_write_nothing(lists: dict[str, Any], write: Write) -> None:  # noqa: F811
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 error \(1 warning\)\.") as failed:
        call_command(
            "training_completions_import",
            str(write([*ROWS, ["W1", "NO-SUCH", "2024-03-02", "", ""]])),
            "--user",
            "national",
            stdout=out,
        )

    assert failed.value.returncode == 1
    assert "ERROR: list.csv, row 3, column course [NO-SUCH]: Course 'NO-SUCH' is neither" in out.getvalue()
    assert not Completion.objects.exists() and not UnmatchedCompletion.objects.exists()


def test_a_list_of_one_programme(lists: dict[str, Any], write: Write, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "cp.csv"
    path.write_text("person_identifier,completion_date\nW1,2024-03-02\n", encoding="utf-8")
    out = io.StringIO()

    call_command(
        "training_completions_import", str(path), "--programme", "CP-ON", "--user", "isw", stdout=out
    )

    assert Completion.objects.get().programme == lists["online"]


def test_the_command_refuses_an_unknown_programme_or_user_and_a_user_who_may_not(
    lists: dict[str, Any],  # noqa: F811
    write: Write,  # noqa: F811
) -> None:
    path = str(write(ROWS))
    with pytest.raises(CommandError, match=r"There is no programme with the code 'NO-SUCH'\."):
        call_command("training_completions_import", path, "--programme", "NO-SUCH", "--user", "national")
    with pytest.raises(CommandError, match=r"There is no user named 'nobody'\."):
        call_command("training_completions_import", path, "--user", "nobody")
    with pytest.raises(CommandError, match=r"Say who is importing"):
        call_command("training_completions_import", path)
    UserFactory(username="someone")
    with pytest.raises(
        CommandError, match=r"someone may not import: Only an institution's focal point or a national"
    ):
        call_command("training_completions_import", path, "--user", "someone")
    with pytest.raises(CommandError, match=r"other may not import: Only the institution's focal point"):
        call_command("training_completions_import", path, "--programme", "CP-ON", "--user", "other")
    assert not Completion.objects.exists()
