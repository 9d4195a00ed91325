"""Reminders as RapidPro broadcasts, against a fake RapidPro serving its documented broadcasts API: who is
due (no session this quarter; no caseload for last month), who cannot be reached (no phone), batches of at
most 100 URNs, what RapidPro's refusals (400, 401) leave in the history, and the command."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sswis.rapidpro.models import Reminder
from sswis.rapidpro.reminders import Due, last_month_of, quarter_of, reminders_due, reminders_send
from sswis.support.caseloads import caseload_set
from sswis.support.supervision import relationship_create, session_record
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.rapidpro.conftest import START, TODAY
from tests.rapidpro.fake_rapidpro import KEY, fake_rapidpro

QUARTER_START, QUARTER = quarter_of(TODAY)
LAST_MONTH = last_month_of(TODAY)


def test_quarters_and_last_months() -> None:
    D = datetime.date
    assert quarter_of(D(2025, 6, 30)) == (D(2025, 4, 1), "2025-Q2")
    assert quarter_of(D(2025, 1, 1)) == (D(2025, 1, 1), "2025-Q1")
    assert quarter_of(D(2025, 12, 31)) == (D(2025, 10, 1), "2025-Q4")
    assert last_month_of(D(2025, 1, 15)) == D(2024, 12, 1)


@pytest.fixture
def team(country: Country, personas: Personas) -> dict[str, Any]:
    """``SUP`` supervises ``A`` (phone, no session this quarter), ``B`` (a session on the quarter's first day
    and last month's caseload) and ``C`` (no phone); ``FREE`` is supervised by nobody; ``ALLIED`` has no
    child-protection assignment; ``GONE`` left before last month ended."""
    workers = {}
    for worker_id, phone in (
        ("SUP", "+255 700 000 001"),
        ("A", "0712 345 678"),
        ("B", "0712 345 679"),
        ("C", ""),
    ):
        workers[worker_id] = WorkerFactory(worker_id=worker_id, phone=phone)
        AssignmentFactory(worker=workers[worker_id], location=country.district_11, start_date=START)
    workers["FREE"] = WorkerFactory(worker_id="FREE", phone="0712 000 000")
    AssignmentFactory(worker=workers["FREE"], location=country.district_11, start_date=START)
    workers["ALLIED"] = WorkerFactory(worker_id="ALLIED", phone="0712 000 001")
    AssignmentFactory(worker=workers["ALLIED"], start_date=START, child_protection=False)
    workers["GONE"] = WorkerFactory(worker_id="GONE", phone="0712 000 002")
    AssignmentFactory(
        worker=workers["GONE"], start_date=START, end_date=LAST_MONTH - datetime.timedelta(days=1)
    )
    for supervisee in ("A", "B", "C"):
        relationship_create(
            actor=personas.national,
            supervisor=workers["SUP"],
            supervisee=workers[supervisee],
            start_date=START,
        )
    session_record(
        actor=personas.national, supervisor=workers["SUP"], supervisee=workers["B"], date=QUARTER_START
    )
    # A session in the quarter before does not count for this one.
    session_record(
        actor=personas.national,
        supervisor=workers["SUP"],
        supervisee=workers["A"],
        date=QUARTER_START - datetime.timedelta(days=1),
    )
    caseload_set(actor=personas.national, worker=workers["B"], month=LAST_MONTH, open_cases=9)
    return workers


def test_supervisees_without_a_session_this_quarter_are_due(team: dict[str, Any]) -> None:
    due = reminders_due(kind="sessions", day=TODAY)
    assert (due.kind, due.period) == ("sessions", QUARTER)
    assert due.reachable == [("A", "tel:+255712345678")]
    assert due.not_reachable == ["C"]
    assert QUARTER in due.text and len(due.text) <= 640


def test_workers_without_last_month_s_caseload_are_due(team: dict[str, Any]) -> None:
    due = reminders_due(kind="caseloads", day=TODAY)
    assert due.period == LAST_MONTH.strftime("%Y-%m")
    assert due.reachable == [
        ("A", "tel:+255712345678"),
        ("FREE", "tel:+255712000000"),
        ("SUP", "tel:+255700000001"),
    ]
    assert due.not_reachable == ["C"]


def test_a_reminder_is_one_broadcast_and_kept_in_the_history(team: dict[str, Any]) -> None:
    due = reminders_due(kind="sessions", day=TODAY)
    with fake_rapidpro() as rapidpro:
        reminder = reminders_send(due=due, server=rapidpro.url + "/", token=KEY)
    assert [(broadcast["urns"], broadcast["text"]) for broadcast in rapidpro.broadcasts] == [
        (["tel:+255712345678"], due.text)
    ]
    assert rapidpro.requests == [("/api/v2/broadcasts.json", f"Token {KEY}")]
    stored = Reminder.objects.get()
    assert stored == reminder
    assert (stored.kind, stored.period, stored.status, stored.due, stored.reached, stored.not_reachable) == (
        "sessions",
        QUARTER,
        "sent",
        2,
        1,
        1,
    )
    assert stored.broadcasts == [1000]
    assert stored.server == rapidpro.url.removeprefix("http://")


def _many(count: int) -> Due:
    due = Due(kind="caseloads", period="2025-05", text="Send your open cases.")
    due.reachable = [(f"W{n:04d}", f"tel:+2557{n:08d}") for n in range(count)]
    due.not_reachable = ["NOPHONE"]
    return due


def test_urns_go_in_broadcasts_of_at_most_100(db: Any) -> None:
    with fake_rapidpro() as rapidpro:
        reminder = reminders_send(due=_many(205), server=rapidpro.url, token=KEY)
    assert [len(broadcast["urns"]) for broadcast in rapidpro.broadcasts] == [100, 100, 5]
    assert (reminder.status, reminder.reached, reminder.due, reminder.broadcasts) == (
        "sent",
        205,
        206,
        [1000, 1001, 1002],
    )


def test_a_refused_broadcast_stops_the_run_and_says_why(db: Any) -> None:
    with fake_rapidpro(refuse_from=1) as rapidpro:
        partly = reminders_send(due=_many(205), server=rapidpro.url, token=KEY)
    assert (partly.status, partly.reached, partly.broadcasts) == ("partly_sent", 100, [1000])
    assert partly.problem == (
        "RapidPro refused the broadcast (HTTP 400): non_field_errors: Must provide either urns, contacts or groups."
    )
    with fake_rapidpro(refuse_from=0) as rapidpro:
        failed = reminders_send(due=_many(3), server=rapidpro.url, token=KEY)
    assert (failed.status, failed.reached, failed.broadcasts) == ("failed", 0, [])


def test_a_wrong_token_is_a_401_and_nothing_is_sent(db: Any) -> None:
    with fake_rapidpro() as rapidpro:
        reminder = reminders_send(due=_many(3), server=rapidpro.url, token="wrong")
    assert rapidpro.broadcasts == []
    assert reminder.status == "failed"
    assert reminder.problem.startswith("RapidPro refused the token (HTTP 401): check SSWIS_RAPIDPRO_TOKEN.")
    assert "Invalid token" in reminder.problem


def test_nobody_due_sends_nothing(db: Any) -> None:
    with fake_rapidpro() as rapidpro:
        reminder = reminders_send(due=_many(0), server=rapidpro.url, token=KEY)
    assert (rapidpro.requests, reminder.status, reminder.not_reachable) == ([], "nobody", 1)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("rapidpro", "remind", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_who_would_get_it_and_sends_nothing(team: dict[str, Any], monkeypatch: Any) -> None:
    monkeypatch.delenv("SSWIS_RAPIDPRO_TOKEN", raising=False)
    with fake_rapidpro() as rapidpro:
        text = _run("--url", rapidpro.url, "--kind", "sessions", "--dry-run")
        data = json.loads(_run("--url", rapidpro.url, "--dry-run", "--format", "json"))
    assert rapidpro.requests == [] and not Reminder.objects.exists()
    assert (
        f"No supervision session this quarter ({QUARTER}): 2 due, 1 with a phone number, 1 not reachable."
        in text
    )
    assert "  A  tel:+255712345678" in text
    assert "  Not reachable (no phone number): C" in text
    assert [(report["kind"], report["due"], report["not_reachable"]) for report in data["reminders"]] == [
        ("sessions", 2, ["C"]),
        ("caseloads", 4, ["C"]),
    ]
    assert data["reminders"][0]["recipients"] == [{"worker_id": "A", "urn": "tel:+255712345678"}]


def test_the_command_sends_with_the_token_from_the_environment(
    team: dict[str, Any], monkeypatch: Any
) -> None:
    monkeypatch.delenv("SSWIS_RAPIDPRO_TOKEN", raising=False)
    with pytest.raises(CommandError, match="SSWIS_RAPIDPRO_TOKEN"):
        _run("--url", "http://127.0.0.1:9")
    with pytest.raises(CommandError, match="not the address of a RapidPro server"):
        _run("--url", "ftp://rapidpro.example.org", "--dry-run")
    monkeypatch.setenv("SSWIS_RAPIDPRO_TOKEN", KEY)
    with fake_rapidpro() as rapidpro:
        data = json.loads(_run("--url", rapidpro.url, "--format", "json"))
    assert [(report["kind"], report["status"], report["reached"]) for report in data["reminders"]] == [
        ("sessions", "sent", 1),
        ("caseloads", "sent", 3),
    ]
    assert list(Reminder.objects.order_by("id").values_list("kind", "status")) == [
        ("sessions", "sent"),
        ("caseloads", "sent"),
    ]
    monkeypatch.setenv("SSWIS_RAPIDPRO_TOKEN", "wrong")
    with fake_rapidpro() as rapidpro, pytest.raises(CommandError, match="RapidPro refused a broadcast"):
        _run("--url", rapidpro.url, "--kind", "caseloads")
    assert Reminder.objects.order_by("-id").first().status == "failed"  # type: ignore[union-attr]
