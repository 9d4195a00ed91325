"""The process killed part-way through an import, a merge of two worker records, the regulation's daily
batch (renewals and lapses) and a profile report: the database is exactly as before, counted table by table and by the indicators.

The kill is a SIGKILL (nothing can be cleaned up) at a point the command has reached while writing: the
runner (``tests.faults.runner``) stops it right after a function inside the command's transaction returns,
and the test kills it there; no timing guess.

What may change: the history record of the attempt, which sswis writes on purpose before the work (each
in its own committed transaction) so that the import history and the report history show the run that
died — the import record stays ``running`` until its stale heartbeat marks it ``interrupted``; the
report record stays ``running`` until 30 minutes without progress mark it failed (``profile_reports_interrupted_mark``). Those tables are named, with the one row they may gain.
"""

from __future__ import annotations

from pathlib import Path

from sswis.demo.generator import country_generate
from tests.faults.installation import Installation, run_until_paused


def _assert_unchanged(
    installation: Installation,
    *,
    tables: dict[str, int],
    indicators: str,
    attempt_tables: dict[str, int | None],
) -> None:
    """Every table has as many rows as before but the tables of the attempt's record, which gain exactly
    the rows given (``None``: its audit history, one row per saved step of that one record)."""
    after = installation.tables()
    changed = {name: (tables.get(name), count) for name, count in after.items() if tables.get(name) != count}
    assert set(changed) <= set(attempt_tables), f"tables changed by the killed run: {changed}"
    for name, growth in attempt_tables.items():
        if growth is not None:
            assert after[name] == tables[name] + growth, f"{name}: {tables[name]} -> {after[name]}"
    assert set(after) == set(tables)
    assert installation.indicators() == indicators


def test_import_killed_part_way(installation: Installation, tmp_path: Path) -> None:
    template = tmp_path / "template"
    country_generate(folder=template, workers=120, seed=7, last_year=2025)
    tables, indicators = installation.tables(), installation.indicators()
    finished = run_until_paused(
        installation,
        "import",
        str(template),
        "--user",
        "manager",
        pause="sswis.imports.writing:TableWriter.create",  # rows written, the transaction still open
    )
    assert finished is None, f"the import ended before the point: {finished and finished.stderr[-2000:]}"
    _assert_unchanged(
        installation, tables=tables, indicators=indicators, attempt_tables={"imports_importrecord": 1}
    )


def test_regulation_daily_batch_killed_part_way(installation: Installation) -> None:
    tables, indicators = installation.tables(), installation.indicators()
    finished = run_until_paused(
        installation,
        "regulation_daily",
        "--date",
        "2031-01-01",
        # The lapses written and their audit rows too, the transaction still open.
        pause="sswis.regulation.lapses:_copies_update",
    )
    assert finished is None, f"the batch ended before the point: {finished and finished.stderr[-2000:]}"
    _assert_unchanged(installation, tables=tables, indicators=indicators, attempt_tables={})


def test_merge_killed_part_way(installation: Installation) -> None:
    tables, indicators = installation.tables(), installation.indicators()
    finished = run_until_paused(
        installation,
        "workers",
        "merge",
        "--surviving",
        "KD-0000001",
        "--merged",
        "KD-0000002",
        "--reason",
        "The same person, entered twice",
        "--user",
        "manager",
        # The merge recorded and every row moved to the survivor, the transaction still open.
        pause="sswis.registry.merging:_move",
    )
    assert finished is None, f"the merge ended before the point: {finished and finished.stderr[-2000:]}"
    _assert_unchanged(installation, tables=tables, indicators=indicators, attempt_tables={})


def test_profile_report_killed_part_way(installation: Installation, tmp_path: Path) -> None:
    tables, indicators, files = installation.tables(), installation.indicators(), installation.files()
    output = tmp_path / "profile.html"
    finished = run_until_paused(
        installation,
        "report",
        "profile",
        "--year",
        "2025",
        "--output",
        str(output),
        pause="sswis.reports.services:profile_document",  # the document made, not yet kept
    )
    assert finished is None, f"the report ended before the point: {finished and finished.stderr[-2000:]}"
    _assert_unchanged(
        installation,
        tables=tables,
        indicators=indicators,
        attempt_tables={"reports_profilereport": 1, "reports_historicalprofilereport": None},
    )
    assert not output.exists()
    assert installation.files() == files  # no report file kept
