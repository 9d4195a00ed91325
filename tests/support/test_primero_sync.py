"""The caseload sync from Primero against a fake Primero server (``sswis.primero.fake``) serving the
documented API v2 payloads: tokens, paged open cases, 401, a failing or malformed page.

The fake's cases: ``amina`` owns 3, ``bakari`` 2, ``chausiku`` 1 (a worker who has the same caseload
already), ``ghost`` 4 (no worker), one case no owner; 11 cases in all. Workers: AMINA, BAKARI, CHAUSIKU
carry those user names (AMINA's in capitals in the registry), DAUDI carries ``daudi`` and owns no open
case, EDWARD carries none.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sswis.primero.client import PrimeroClient, open_cases_read
from sswis.primero.fake import FakePrimero
from sswis.primero.models import PrimeroSync, SyncStatus
from sswis.primero.sync import Credentials, primero_sync_create, primero_sync_run
from sswis.support.caseloads import caseload_set
from sswis.support.caseloads_primero import primero_caseloads_record
from sswis.support.models import Caseload, RecordSource
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

OWNERS = ["amina", "bakari", "amina", "ghost", "chausiku", "ghost", None, "bakari", "amina", "ghost", "ghost"]
ACCOUNT = Credentials(user_name="sync", password="sync-password")
MONTH = timezone.localdate().replace(day=1)


@pytest.fixture
def workers(country: Country) -> dict[str, Any]:
    made = {}
    for worker_id, user_name in (
        ("AMINA", "Amina"),
        ("BAKARI", "bakari"),
        ("CHAUSIKU", "chausiku"),
        ("DAUDI", "daudi"),
        ("EDWARD", ""),
    ):
        worker = WorkerFactory(worker_id=worker_id, primero_user_name=user_name)
        AssignmentFactory(worker=worker, location=country.district_11, organisation=country.ministry)
        made[worker_id] = worker
    return made


@pytest.fixture
def primero() -> Iterator[FakePrimero]:
    with FakePrimero(owners=OWNERS, user_name="sync", password="sync-password") as fake:
        yield fake


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSWIS_PRIMERO_USERNAME", "sync")
    monkeypatch.setenv("SSWIS_PRIMERO_PASSWORD", "sync-password")


def caseloads() -> dict[str, tuple[int, str]]:
    return {
        c.worker.worker_id: (c.open_cases, c.source)
        for c in Caseload.objects.filter(month=MONTH).select_related("worker")
    }


def run(url: str, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("primero", "sync", "--url", url, *args, stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()


def test_open_cases_are_read_page_by_page_with_a_token(primero: FakePrimero) -> None:
    client = PrimeroClient(server=primero.url, user_name="sync", password="sync-password")
    assert client.authenticate() == "token"
    cases = open_cases_read(client, per=4)
    assert (cases.total, cases.pages, cases.without_owner) == (11, 3, 1)
    assert dict(cases.by_owner) == {"amina": 3, "bakari": 2, "ghost": 4, "chausiku": 1}
    pages = [request for request in primero.requests if request.startswith("GET")]
    assert pages == [
        f"GET /api/v2/cases?status=open&record_state=true&fields=owned_by&per=4&page={page}"
        for page in (1, 2, 3)
    ]
    assert primero.requests[0] == "POST /api/v2/tokens"


def test_a_server_without_tokens_is_asked_with_basic_authentication() -> None:
    with FakePrimero(owners=OWNERS, tokens=False) as fake:
        client = PrimeroClient(server=fake.url, user_name="sync", password="sync-password")
        assert client.authenticate() == "basic"
        assert open_cases_read(client).total == 11


def test_the_sync_records_matched_counts_and_lists_unmatched_and_unchanged(
    workers: dict[str, Any], primero: FakePrimero, environment: None, personas: Personas
) -> None:
    caseload_set(actor=personas.national, worker=workers["CHAUSIKU"], month=MONTH, open_cases=1)
    caseload_set(actor=personas.national, worker=workers["BAKARI"], month=MONTH, open_cases=9)
    status, out, error = run(primero.url, "--format", "json")
    assert status == 0, error
    report = json.loads(out)
    assert (report["open_cases"], report["pages"], report["matched"]) == (11, 1, 3)
    assert (report["created"], report["updated"], report["unchanged"], report["cleared"]) == (1, 1, 1, 0)
    assert report["unmatched"] == [{"user_name": "ghost", "open_cases": 4}]
    assert [(c["worker_id"], c["open_cases"], c["previous"], c["change"]) for c in report["caseloads"]] == [
        ("AMINA", 3, None, "created"),
        ("BAKARI", 2, 9, "updated"),
        ("CHAUSIKU", 1, 1, "unchanged"),
    ]
    assert caseloads() == {
        "AMINA": (3, RecordSource.PRIMERO),
        "BAKARI": (2, RecordSource.PRIMERO),
        "CHAUSIKU": (1, RecordSource.ENTERED),  # the same figure: left as it was, no history record
    }
    amina = Caseload.objects.get(worker=workers["AMINA"], month=MONTH)
    bakari = Caseload.objects.get(worker=workers["BAKARI"], month=MONTH)
    assert [(h.history_type, h.open_cases, h.history_user) for h in amina.history.all()] == [("+", 3, None)]
    assert [h.open_cases for h in bakari.history.order_by("history_date")] == [9, 2]
    sync = PrimeroSync.objects.get()
    assert (sync.status, sync.user, sync.origin, sync.url, sync.month) == (
        SyncStatus.FINISHED,
        None,
        "command",
        primero.url,
        MONTH,
    )
    assert sync.unmatched == [{"user_name": "ghost", "open_cases": 4}]
    assert not any(c.worker.worker_id in ("DAUDI", "EDWARD") for c in Caseload.objects.all())


def test_the_text_report_names_the_unmatched(
    workers: dict[str, Any], primero: FakePrimero, environment: None
) -> None:
    status, out, _err = run(primero.url)
    assert status == 0
    assert "Matched: 3 workers (caseloads created 3, changed 0); set back to 0: 0." in out
    assert "Unchanged: 0." in out
    assert "Unmatched: 1 user names: ghost (4)" in out


def test_a_second_sync_changes_nothing_and_a_closed_caseload_goes_back_to_zero(
    workers: dict[str, Any], environment: None
) -> None:
    with FakePrimero(owners=OWNERS) as fake:
        assert run(fake.url)[0] == 0
        status, out, _err = run(fake.url, "--format", "json")
    assert status == 0 and json.loads(out)["unchanged"] == 3
    with FakePrimero(owners=[o for o in OWNERS if o != "bakari"]) as fake:
        status, out, _err = run(fake.url, "--format", "json")
    report = json.loads(out)
    assert (report["matched"], report["unchanged"], report["cleared"]) == (2, 2, 1)
    assert caseloads()["BAKARI"] == (0, RecordSource.PRIMERO)


def test_a_dry_run_writes_no_caseload(
    workers: dict[str, Any], primero: FakePrimero, environment: None
) -> None:
    status, out, _err = run(primero.url, "--dry-run", "--format", "json")
    assert status == 0 and json.loads(out)["created"] == 3
    assert caseloads() == {}
    assert PrimeroSync.objects.get().dry_run is True


def test_a_past_month_and_a_month_not_begun(
    workers: dict[str, Any], primero: FakePrimero, environment: None
) -> None:
    assert run(primero.url, "--month", "2024-12")[0] == 0
    assert set(Caseload.objects.values_list("month", flat=True)) == {datetime.date(2024, 12, 1)}
    following = (MONTH + datetime.timedelta(days=32)).replace(day=1)
    status, _out, error = run(primero.url, "--month", f"{following:%Y-%m}")
    assert (status, error) == (1, "This month has not begun.")
    status, _out, error = run(primero.url, "--month", "2024-13")
    assert (status, error) == (1, "--month: 2024-13 is not a month: write YYYY-MM, e.g. 2025-12.")


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ("500", "answered HTTP 500 for page 3 of the open cases."),
        ("missing", "answered HTTP 404 for page 3 of the open cases."),
        ("malformed", "did not answer page 3 of the open cases with JSON"),
        ("shape", "answered page 3 of the open cases without the documented"),
        ("short", "announced 11 open cases but sent 10"),
    ],
)
def test_a_failing_page_writes_nothing(
    workers: dict[str, Any], environment: None, failure: str, message: str
) -> None:
    with FakePrimero(owners=OWNERS, failures={3: failure}) as fake:
        sync = primero_sync_create(actor=None, url=fake.url, origin="command")
        reader = lambda client: open_cases_read(client, per=4)  # noqa: E731 - three pages of 4
        sync, result = primero_sync_run(sync=sync, credentials=ACCOUNT, read=reader)
    assert result is None and sync.status == SyncStatus.FAILED
    assert message in sync.error
    assert caseloads() == {}


def test_refused_credentials_unreachable_server_and_missing_credentials(
    workers: dict[str, Any], primero: FakePrimero, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSWIS_PRIMERO_USERNAME", "sync")
    monkeypatch.delenv("SSWIS_PRIMERO_PASSWORD", raising=False)
    status, _out, error = run(primero.url)
    assert status == 1 and "SSWIS_PRIMERO_PASSWORD" in error and "SSWIS_PRIMERO_USERNAME" not in error
    assert not PrimeroSync.objects.exists()  # nothing attempted
    monkeypatch.setenv("SSWIS_PRIMERO_PASSWORD", "wrong")
    status, _out, error = run(primero.url)
    assert status == 1 and "refused the user name or password (HTTP 401)" in error
    monkeypatch.setenv("SSWIS_PRIMERO_PASSWORD", "sync-password")
    primero.stop()
    status, _out, error = run(primero.url)
    assert status == 1 and "could not be reached" in error
    assert caseloads() == {}
    assert list(PrimeroSync.objects.values_list("status", flat=True)) == [SyncStatus.FAILED] * 2


def test_credentials_in_the_address_are_never_kept(workers: dict[str, Any], primero: FakePrimero) -> None:
    url = primero.url.replace("http://", "http://sync:secret@")
    sync = primero_sync_create(actor=None, url=url + "/", origin="command")
    assert sync.url == primero.url
    status, _out, error = run("ftp://primero.example")
    assert status == 1 and "must start with https://" in error


def test_a_name_two_workers_carry_is_recorded_for_neither(
    workers: dict[str, Any], country: Country, primero: FakePrimero
) -> None:
    WorkerFactory(worker_id="AMINA-2", primero_user_name="amina")
    sync = primero_sync_create(actor=None, url=primero.url, origin="command")
    sync, _result = primero_sync_run(sync=sync, credentials=ACCOUNT)
    assert sync.ambiguous == [{"user_name": "amina", "open_cases": 3, "workers": 2}]
    assert "AMINA" not in caseloads() and sync.matched == 2


def test_only_a_national_data_manager_runs_a_sync(
    workers: dict[str, Any], personas: Personas, primero: FakePrimero
) -> None:
    for refused in (personas.subnational, personas.administrator, personas.analyst, personas.outsider):
        with pytest.raises(PermissionDenied):
            primero_sync_create(actor=refused, url=primero.url, origin="page")
    sync = primero_sync_create(actor=personas.national, url=primero.url, origin="page")
    sync, _result = primero_sync_run(sync=sync, credentials=ACCOUNT)
    amina = Caseload.objects.get(worker=workers["AMINA"], month=MONTH)
    assert amina.history.get().history_user == personas.national


def test_the_command_reads_pages_of_a_thousand_until_the_total(
    workers: dict[str, Any], environment: None
) -> None:
    owners = ["amina"] * 1200 + ["bakari"] * 1000 + ["ghost"] * 145  # 2,345 cases: 3 pages
    with FakePrimero(owners=owners) as fake:
        status, out, error = run(fake.url, "--format", "json")
        pages = [request.rsplit("&", 1)[1] for request in fake.requests if request.startswith("GET")]
    assert status == 0, error
    assert pages == ["page=1", "page=2", "page=3"]
    report = json.loads(out)
    assert (report["open_cases"], report["pages"]) == (2345, 3)
    assert caseloads() == {"AMINA": (1200, RecordSource.PRIMERO), "BAKARI": (1000, RecordSource.PRIMERO)}


def test_the_recording_service_refuses_a_count_over_the_maximum_and_an_actor_out_of_scope(
    workers: dict[str, Any], personas: Personas
) -> None:
    with pytest.raises(ValidationError) as refused:
        primero_caseloads_record(actor=None, month=MONTH, open_cases_by_user={"bakari": 2, "amina": 100_001})
    assert refused.value.message_dict["open_cases"] == [
        "Primero counts 100001 open cases for amina, more than a caseload holds (100000): is this a worker's "
        "account?"
    ]
    with pytest.raises(PermissionDenied):  # AMINA works in D11, outside the NGO focal point's organisation
        primero_caseloads_record(actor=personas.focal_point, month=MONTH, open_cases_by_user={"amina": 1})
    assert caseloads() == {}
    done = primero_caseloads_record(actor=personas.subnational, month=MONTH, open_cases_by_user={"amina": 1})
    assert (done.matched, caseloads()) == (1, {"AMINA": (1, RecordSource.PRIMERO)})
