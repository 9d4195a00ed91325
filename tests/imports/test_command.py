"""``sswis import PATH [--user USERNAME] [--dry-run] [--format text|json]``."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections

from sswis.registry.models import Worker
from tests.conftest import Country, Personas
from tests.imports.conftest import Files, database_snapshot

Template = Callable[..., Path]


def run(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def test_import_prints_counts_and_says_what_happened(
    personas: Personas, country: Country, template: Template
) -> None:
    folder = str(template())

    first = run(folder, "--user", "national")
    second = run(folder, "--user", "national")

    assert first.splitlines()[:10] == [
        "file               read  created  updated  unchanged  rejected",
        "locations.csv         4        2        0          2         0",
        "population.csv        4        4        0          0         0",
        "organizations.csv     2        2        0          0         0",
        "cadres.csv            2        1        0          1         0",
        "posts.csv             2        2        0          0         0",
        "workers.csv           3        3        0          0         0",
        "assignments.csv       4        4        0          0         0",
        "total                21       18        0          3         0",
        "",
    ]
    assert first.splitlines()[-1] == "Imported: 18 created, 0 updated, 3 unchanged."
    assert second.splitlines()[-1] == "Imported. Nothing changed: all 21 rows were already in the registry."


def test_errors_are_listed_and_the_exit_status_is_not_zero(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["assignments"][3][1] = "NGO9"
    base_files["workers"][1][3] = "F"
    out = StringIO()
    before = database_snapshot()

    with pytest.raises(CommandError, match=r"^Nothing was imported: 2 errors\.$") as raised:
        call_command("import", str(template()), "--user", "national", stdout=out)

    assert raised.value.returncode == 1
    assert database_snapshot() == before
    text = out.getvalue()
    assert "Problems (2 errors, 0 warnings):" in text
    assert (
        "  ERROR: workers.csv, row 1, column sex [F]: Sex 'F' is not one of the allowed values: "
        "female, male, other, unknown."
    ) in text
    assert (
        "  ERROR: assignments.csv, row 3, column organization_code [NGO9]: Organisation code 'NGO9' is not in "
        "organizations.csv nor in the registry."
    ) in text
    assert text.splitlines()[-1] == (
        "Nothing was imported: 2 errors. The counts show what the import would do once the errors are fixed."
    )


def test_the_console_command_exits_with_status_1_on_errors_and_0_on_success(
    personas: Personas,
    country: Country,
    template: Template,
    base_files: Files,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # run_from_argv closes the database connections when done: keep the test's transaction open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    good = str(template())
    base_files["workers"][1][4] = "31/12/1990"
    bad = str(template(folder="bad"))

    ManagementUtility(
        ["sswis", "import", good, "--user", "national", "--dry-run"]
    ).execute()  # no SystemExit: 0
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["sswis", "import", bad, "--user", "national"]).execute()

    assert exited.value.code == 1
    assert "CommandError: Nothing was imported: 1 error." in capsys.readouterr().err


def test_dry_run_writes_nothing(personas: Personas, country: Country, template: Template) -> None:
    before = database_snapshot()

    output = run(str(template()), "--user", "national", "--dry-run")

    assert output.splitlines()[-1] == (
        "Dry run, nothing was written: importing would create 18, update 0 and leave 3 unchanged."
    )
    assert database_snapshot() == before


def test_json_format(personas: Personas, country: Country, template: Template, base_files: Files) -> None:
    base_files["workers"].append(["W004", "Dalila", "Juma"] + [""] * 8)

    document = json.loads(run(str(template()), "--user", "national", "--format", "json"))

    assert document["imported"] is True
    assert document["dry_run"] is False
    assert (document["errors"], document["warnings"]) == (0, 1)
    assert document["files"]["workers.csv"] == {
        "read": 4,
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert document["problems"] == [
        {
            "file": "workers.csv",
            "row": 4,
            "column": "worker_id",
            "value": "W004",
            "message": "Worker 'W004' has no assignment, neither in assignments.csv nor in the registry, so they "
            "count in no figure.",
            "severity": "warning",
        }
    ]


def test_the_user_comes_from_the_environment(
    personas: Personas, country: Country, template: Template, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSWIS_USER", "national")

    run(str(template()))

    assert Worker.objects.get(worker_id="W001").history.get().history_user == personas.national


def test_a_user_is_required(personas: Personas, template: Template, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSWIS_USER", raising=False)

    with pytest.raises(CommandError, match="give --user USERNAME or set the environment variable SSWIS_USER"):
        run(str(template()))
    with pytest.raises(CommandError, match="There is no user named 'nobody'"):
        run(str(template()), "--user", "nobody")


@pytest.mark.parametrize("persona", ["analyst", "admin", "outsider"])
def test_users_who_may_not_import_are_refused(
    personas: Personas, country: Country, template: Template, persona: str
) -> None:
    before = database_snapshot()

    with pytest.raises(
        CommandError,
        match=f"{persona} may not import: Only a national data manager, a subnational officer, an organisation",
    ):
        run(str(template()), "--user", persona)

    assert database_snapshot() == before
