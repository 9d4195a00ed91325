"""Pushes against the fake DHIS2 (``sswis.dhis2.fake``) answering every documented shape: success (wrapped),
warning with conflicts (409), error, 401, 500 with HTML, a timeout, an old unwrapped summary; the dry run;
every conflict kept with the value it concerns (the values of ``test_export.EXPECTED``)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from sswis.dhis2.client import Connection, Dhis2Error, connection_from_environment, summary_read
from sswis.dhis2.fake import FakeDhis2
from sswis.dhis2.models import Dhis2Push, PushStatus
from sswis.dhis2.push import dhis2_push_create, dhis2_push_run, push_as_json
from tests.conftest import Country
from tests.dhis2.test_export import EXPECTED

TOKEN = "d2pat_test_token"


def pushed(
    fake: FakeDhis2, *, format: str = "json", dry_run: bool = False, timeout: float | None = None
) -> Dhis2Push:
    push = dhis2_push_create(
        actor=None, url=fake.url, year=2024, format=format, dry_run=dry_run, origin="command"
    )
    return dhis2_push_run(
        push=push, connection=Connection(url=fake.url, authorization=f"ApiToken {TOKEN}"), timeout=timeout
    )


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDhis2]:
    with FakeDhis2(mode="success") as fake:
        monkeypatch.setenv("SSWIS_DHIS2_URL", fake.url + "/")
        monkeypatch.setenv("SSWIS_DHIS2_TOKEN", TOKEN)
        yield fake


def conflicts(push: Dhis2Push) -> list[tuple[object, ...]]:
    return [
        (
            c.index,
            c.error_code,
            c.data_element,
            c.org_unit,
            c.category_option_combo,
            c.sent_value,
            c.location,
            c.figure,
        )
        for c in push.conflicts.all()
    ]


def test_success_json(mapped: Country) -> None:
    with FakeDhis2(mode="success") as fake:
        push = pushed(fake)
        request = fake.requests[0]
    assert (push.status, push.http_status, push.values_sent, push.imported, push.updated) == (
        "success",
        200,
        35,
        35,
        0,
    )
    assert push.message == "Import was successful."
    assert request.path == "/api/dataValueSets"
    assert request.query == {
        "dryRun": ["false"],
        "idScheme": ["UID"],
        "dataElementIdScheme": ["UID"],
        "orgUnitIdScheme": ["UID"],
        "importStrategy": ["CREATE_AND_UPDATE"],
    }
    assert request.headers["Authorization"] == f"ApiToken {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    sent = json.loads(request.body)
    assert [
        (v["orgUnit"], v["dataElement"], v.get("categoryOptionCombo", ""), v["value"])
        for v in sent["dataValues"]
    ] == EXPECTED
    assert push.unmapped["locations"] == ["R2"]


def test_dry_run_asks_dhis2_to_check_only(mapped: Country) -> None:
    with FakeDhis2(mode="success") as fake:
        push = pushed(fake, dry_run=True)
        assert fake.requests[0].query["dryRun"] == ["true"]
    assert (push.dry_run, push.status) == (True, "success")


def test_warning_conflicts_are_kept_with_the_values_they_concern(mapped: Country) -> None:
    with FakeDhis2(mode="warning", reject=[1, 4, 30]) as fake:
        push = pushed(fake)
    assert (push.status, push.http_status, push.imported, push.ignored) == ("warning", 409, 32, 3)
    assert push.rejected_indexes == [1, 4, 30]
    assert conflicts(push) == [
        (
            1,
            "E7610",
            "DEcountSex1",
            "OUkd0000001",
            "COCfemale01",
            "3",
            "KD",
            "workforce.count numerator sex=female",
        ),
        (4, "E7610", "DEfemale001", "OUkd0000001", "", "3", "KD", "workforce.female_share numerator"),
        (
            30,
            "E7617",
            "DEcountSex1",
            "OUd21000001",
            "COCmale0001",
            "1",
            "D21",
            "workforce.count numerator sex=male",
        ),
    ]
    document = push_as_json(push)
    assert document["import_count"] == {"imported": 32, "updated": 0, "ignored": 3, "deleted": 0}
    assert document["conflicts"][2]["data_value"]["orgUnit"] == "OUd21000001"


def test_adx_push_maps_indexes_to_the_same_values(mapped: Country) -> None:
    with FakeDhis2(mode="warning", reject=[1, 4, 30]) as fake:
        push = pushed(fake, format="adx")
        request = fake.requests[0]
    assert request.headers["Content-Type"] == "application/adx+xml"
    root = etree.fromstring(request.body)
    values = [v for v in root.iter("{urn:ihe:qrph:adx:2015}dataValue")]
    assert [
        (values[i].getparent().get("orgUnit"), values[i].get("dataElement"), values[i].get("value"))
        for i in (1, 4, 30)
    ] == [
        ("OUkd0000001", "DEcountSex1", "3"),
        ("OUkd0000001", "DEfemale001", "3"),
        ("OUd21000001", "DEcountSex1", "1"),
    ]
    assert [c[:3] for c in conflicts(push)] == [
        (1, "E7610", "DEcountSex1"),
        (4, "E7610", "DEfemale001"),
        (30, "E7617", "DEcountSex1"),
    ]


def test_error_summary(mapped: Country) -> None:
    with FakeDhis2(mode="error") as fake:
        push = pushed(fake)
    assert (push.status, push.http_status, push.imported, push.ignored) == ("error", 409, 0, 35)
    assert conflicts(push) == [(None, "E7600", "", "", "", "", "", "")]
    assert push.conflicts.get().value == "Data set not found or not accessible"


@pytest.mark.parametrize("mode", ["unauthorised", "wrong_token"])
def test_refused_token(mapped: Country, mode: str) -> None:
    with FakeDhis2(mode="unauthorised" if mode == "unauthorised" else "success", token="another") as fake:
        push = pushed(fake)
    assert (push.status, push.http_status) == ("failed", 401)
    assert "refused the credentials (HTTP 401)" in push.error
    assert "personal access token (SSWIS_DHIS2_TOKEN)" in push.error
    assert push.conflicts.count() == 0


def test_server_error_with_html(mapped: Country) -> None:
    with FakeDhis2(mode="server_error") as fake:
        push = pushed(fake)
    assert (push.status, push.http_status) == ("failed", 500)
    assert (
        "answered HTTP 500 without an import summary (not JSON): <html><body>Internal Server Error"
        in push.error
    )


def test_timeout(mapped: Country) -> None:
    with FakeDhis2(mode="slow", delay=2.0) as fake:
        push = pushed(fake, timeout=0.3)
    assert push.status == "failed"
    assert push.error.endswith("did not answer within 0.3 seconds; nothing is known of the import.")


def test_old_unwrapped_summary(mapped: Country) -> None:
    with FakeDhis2(mode="legacy") as fake:
        push = pushed(fake)
    assert (push.status, push.http_status, push.imported, push.message) == (
        "success",
        200,
        35,
        "Import process completed successfully",
    )
    with FakeDhis2(mode="legacy", reject=[2]) as fake:
        push = pushed(fake)
    assert (push.status, push.imported, push.ignored) == ("warning", 34, 1)
    assert conflicts(push) == [(None, "", "", "", "", "", "", "")]
    assert push.conflicts.get().object == "SSWcount001"


def test_summary_shapes_without_a_summary() -> None:
    with pytest.raises(Dhis2Error, match="without an import summary: Not found"):
        summary_read(status=404, answer=b'{"httpStatus": "Not Found", "message": "Not found"}', server="s")
    with pytest.raises(Dhis2Error, match=r"\(empty\)"):
        summary_read(status=502, answer=b"", server="s")


def test_no_mapping_or_nothing_to_send_fails_the_push(world: Country) -> None:
    with FakeDhis2() as fake:
        push = pushed(fake)
        assert fake.requests == []
    assert push.status == "failed"
    assert "No DHIS2 mapping is imported" in push.error


def test_connection_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SSWIS_DHIS2_URL", "SSWIS_DHIS2_TOKEN", "SSWIS_DHIS2_USERNAME", "SSWIS_DHIS2_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(Dhis2Error, match="set SSWIS_DHIS2_URL"):
        connection_from_environment()
    monkeypatch.setenv("SSWIS_DHIS2_URL", "https://user:secret@dhis2.example/dhis/")
    with pytest.raises(Dhis2Error, match="SSWIS_DHIS2_TOKEN"):
        connection_from_environment()
    monkeypatch.setenv("SSWIS_DHIS2_USERNAME", "admin")
    monkeypatch.setenv("SSWIS_DHIS2_PASSWORD", "district")
    basic = connection_from_environment()
    assert basic == Connection(
        url="https://dhis2.example/dhis",
        authorization="Basic " + base64.b64encode(b"admin:district").decode(),
    )
    monkeypatch.setenv("SSWIS_DHIS2_TOKEN", "d2pat_x")
    assert connection_from_environment().authorization == "ApiToken d2pat_x"
    monkeypatch.setenv("SSWIS_DHIS2_URL", "ftp://dhis2.example")
    with pytest.raises(Dhis2Error, match="must start with https://"):
        connection_from_environment()


def test_command_push(mapped: Country, environment: FakeDhis2) -> None:
    out = StringIO()
    call_command("dhis2", "push", "--year", "2024", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"DHIS2 at {environment.url}, 2024, json (dry run): Success." in text
    assert "Values sent 35: imported 35, updated 0, ignored 0, deleted 0." in text
    assert "Locations not sent: 1: R2" in text
    environment.mode, environment.reject = "warning", [0]
    out = StringIO()
    with pytest.raises(CommandError, match="Warning"):
        call_command("dhis2", "push", "--year", "2024", "--format", "adx", stdout=out)
    assert (
        "Conflict: E7617 ImspTQPwCqd: Organisation unit not in hierarchy of current user [#0: KD workforce.count numerator = 5; DEcount0001/OUkd0000001/-]"
        in out.getvalue()
    )
    out = StringIO()
    environment.mode, environment.reject = "success", []
    call_command("dhis2", "push", "--year", "2024", "--output-format", "json", stdout=out)
    assert json.loads(out.getvalue())["status"] == "success"
    assert list(Dhis2Push.objects.values_list("status", "dry_run", "format", "origin")) == [
        ("success", False, "json", "command"),
        ("warning", False, "adx", "command"),
        ("success", True, "json", "command"),
    ]
    assert Dhis2Push.objects.filter(user__isnull=False).count() == 0
    assert {p.status for p in Dhis2Push.objects.all()} <= set(PushStatus.values)
