"""The webhook RapidPro flows call, with RapidPro-shaped bodies: what each case answers (a status a flow
branches on, HTTP 200 unless the flow's set-up is wrong), what it writes (only ``recorded``), who authors the
audit record (the token's system user, with the phone and the token in the reason) and what is logged."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from sswis.access.policy import scope_of
from sswis.access.rapidpro_policy import sms_gateway_acting
from sswis.rapidpro.models import WebhookCall
from sswis.rapidpro.tokens import webhook_token_revoke
from sswis.support.caseloads import caseload_set
from sswis.support.models import Caseload, SupervisionSession
from sswis.support.supervision import relationship_create
from tests.conftest import Personas
from tests.factories import WorkerFactory
from tests.rapidpro.conftest import START, TODAY, Sms, rapidpro_body, webhook_post

DAY = TODAY - datetime.timedelta(days=3)
SESSION = {"date": DAY.isoformat(), "duration": "45", "kind": {"value": "2", "category": "Educational"}}


def _statuses() -> list[tuple[str, str, str]]:
    return list(WebhookCall.objects.order_by("id").values_list("kind", "status", "field"))


def test_a_supervisee_s_session_is_recorded_by_sms_and_audited_as_the_token_s(sms: Sms) -> None:
    response = webhook_post("session", rapidpro_body(SESSION), secret=sms.secret)
    assert response.status_code == 200
    assert response.json() == {
        "status": "recorded",
        "kind": "session",
        "date": DAY.isoformat(),
        "supervisor": "SUP",
        "duration": 45,
        "message": f"Recorded: your supervision session with SUP on {DAY.isoformat()}, 45 minutes.",
    }
    session = SupervisionSession.objects.get()
    assert (session.supervisor, session.supervisee, session.date) == (sms.supervisor, sms.supervisee, DAY)
    assert (session.duration_minutes, session.kind, session.source) == (45, "educational", "sms")
    record = session.history.get()
    assert record.history_user == sms.token.user
    assert record.history_user.get_username() == "sms-check-in-flows"
    assert record.history_change_reason == "SMS from +255712345678 (token Check-in flows)"
    call = WebhookCall.objects.get()
    assert (call.token, call.kind, call.status, call.phone, call.worker) == (
        sms.token,
        "session",
        "recorded",
        "255712345678",
        sms.supervisee,
    )
    sms.token.refresh_from_db()
    assert sms.token.last_used_at is not None
    # The system user acted for that call only: it is an outsider again.
    assert scope_of(sms.token.user).is_outsider


def test_the_same_session_sent_again_is_refused_as_a_duplicate(sms: Sms) -> None:
    assert webhook_post("session", rapidpro_body(SESSION), secret=sms.secret).json()["status"] == "recorded"
    again = webhook_post("session", rapidpro_body({**SESSION, "duration": "90"}), secret=sms.secret)
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert list(SupervisionSession.objects.values_list("duration_minutes", flat=True)) == [45]
    assert _statuses() == [("session", "recorded", ""), ("session", "duplicate", "")]


def test_an_unknown_phone_writes_nothing(sms: Sms) -> None:
    response = webhook_post("session", rapidpro_body(SESSION, urn="tel:+255799999999"), secret=sms.secret)
    assert (response.status_code, response.json()["status"]) == (200, "unknown_phone")
    assert not SupervisionSession.objects.exists()
    assert list(WebhookCall.objects.values_list("status", "phone", "worker")) == [
        ("unknown_phone", "255799999999", None)
    ]


def test_two_workers_with_the_same_phone_written_differently_write_nothing(sms: Sms) -> None:
    WorkerFactory(worker_id="TWIN", phone="+255-712-345-678")
    response = webhook_post("caseload", rapidpro_body({"open_cases": "12"}), secret=sms.secret)
    assert (response.status_code, response.json()["status"]) == (200, "ambiguous_phone")
    assert not Caseload.objects.exists()


def test_a_supervisee_without_a_supervisor_on_that_day_writes_nothing(sms: Sms) -> None:
    before = (START - datetime.timedelta(days=1)).isoformat()
    response = webhook_post("session", rapidpro_body({**SESSION, "date": before}), secret=sms.secret)
    assert (response.status_code, response.json()["status"]) == (200, "no_supervisor")
    assert not SupervisionSession.objects.exists()


def test_several_supervisors_are_named_and_one_may_be_chosen(sms: Sms, personas: Personas) -> None:
    second = WorkerFactory(worker_id="SUP2", phone="")
    relationship_create(
        actor=personas.national, supervisor=second, supervisee=sms.supervisee, start_date=START
    )
    response = webhook_post("session", rapidpro_body(SESSION), secret=sms.secret)
    assert response.json()["status"] == "several_supervisors"
    assert response.json()["supervisors"] == ["SUP", "SUP2"]
    assert not SupervisionSession.objects.exists()
    chosen = webhook_post("session", rapidpro_body({**SESSION, "supervisor": "sup2"}), secret=sms.secret)
    assert (chosen.json()["status"], chosen.json()["supervisor"]) == ("recorded", "SUP2")
    assert SupervisionSession.objects.get().supervisor == second
    wrong = webhook_post(
        "session",
        rapidpro_body({**SESSION, "date": START.isoformat(), "supervisor": "SEE"}),
        secret=sms.secret,
    )
    assert (wrong.json()["status"], wrong.json()["field"]) == ("invalid", "supervisor")


def test_a_caseload_is_recorded_for_last_month_by_default_and_unchanged_when_sent_again(sms: Sms) -> None:
    last_month = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    response = webhook_post("caseload", rapidpro_body({"open_cases": "12"}), secret=sms.secret)
    assert response.json() == {
        "status": "recorded",
        "kind": "caseload",
        "month": last_month.strftime("%Y-%m"),
        "open_cases": 12,
        "message": f"Recorded: 12 open cases at the end of {last_month:%Y-%m}.",
    }
    caseload = Caseload.objects.get()
    assert (caseload.worker, caseload.month, caseload.open_cases, caseload.source) == (
        sms.supervisee,
        last_month,
        12,
        "sms",
    )
    assert caseload.history.get().history_change_reason == "SMS from +255712345678 (token Check-in flows)"
    again = webhook_post("caseload", rapidpro_body({"open_cases": "12"}), secret=sms.secret)
    assert again.json()["status"] == "unchanged"
    earlier = (last_month - datetime.timedelta(days=1)).replace(day=1)
    other = webhook_post(
        "caseload", rapidpro_body({"open_cases": "7", "month": earlier.strftime("%Y-%m")}), secret=sms.secret
    )
    assert other.json()["status"] == "recorded"
    assert sorted(Caseload.objects.values_list("month", "open_cases")) == [(earlier, 7), (last_month, 12)]


def test_a_later_sms_replaces_an_entered_caseload(sms: Sms, personas: Personas) -> None:
    last_month = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    caseload_set(actor=personas.national, worker=sms.supervisee, month=last_month, open_cases=3)
    webhook_post("caseload", rapidpro_body({"open_cases": "4"}), secret=sms.secret)
    assert list(Caseload.objects.values_list("open_cases", "source")) == [(4, "sms")]


FUTURE = (TODAY + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("kind", "results", "field"),
    [
        ("caseload", {"open_cases": "twelve"}, "open_cases"),
        ("caseload", {"open_cases": "-3"}, "open_cases"),
        ("caseload", {"open_cases": "200000"}, "open_cases"),
        ("caseload", {}, "open_cases"),
        ("caseload", {"open_cases": "5", "month": "2025-13"}, "month"),
        ("caseload", {"open_cases": "5", "month": f"{TODAY.year + 1}-01"}, "month"),
        ("caseload", {"open_cases": "1\u00002"}, "open_cases"),
        ("session", {**SESSION, "date": FUTURE}, "date"),
        ("session", {**SESSION, "date": "yesterday"}, "date"),
        ("session", {**SESSION, "duration": "0"}, "duration"),
        ("session", {**SESSION, "duration": "an hour"}, "duration"),
        ("session", {**SESSION, "kind": {"value": "coaching", "category": "Other"}}, "kind"),
        ("session", {**SESSION, "kind": "supportive\u0007"}, "kind"),
    ],
)
def test_a_bad_value_is_named_and_nothing_is_written(
    sms: Sms, kind: str, results: dict[str, Any], field: str
) -> None:
    response = webhook_post(kind, rapidpro_body(results), secret=sms.secret)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["field"]) == ("invalid", field)
    assert body["message"]
    assert not SupervisionSession.objects.exists() and not Caseload.objects.exists()
    assert _statuses() == [(kind, "invalid", field)]


def test_a_control_character_is_named_in_the_message(sms: Sms) -> None:
    body = webhook_post("caseload", rapidpro_body({"open_cases": "1\u00002"}), secret=sms.secret).json()
    assert "U+0000" in body["message"]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b"not json", "body"),
        (b"[1, 2]", "body"),
        (b'{"results": {}}', "contact.urn"),
        (b'{"contact": {"urn": "mailto:amina@example.org"}, "results": {}}', "contact.urn"),
        (b'{"contact": {"urn": "tel:+255712345678"}, "results": [1]}', "results"),
    ],
)
def test_a_body_the_flow_got_wrong_is_a_400(sms: Sms, raw: bytes, field: str) -> None:
    response = webhook_post("caseload", None, secret=sms.secret, raw=raw)
    assert response.status_code == 400
    assert (response.json()["status"], response.json()["field"]) == ("invalid", field)
    assert not Caseload.objects.exists()


def test_a_missing_or_wrong_token_is_refused_and_not_logged(sms: Sms) -> None:
    for secret in (None, "not-the-token", sms.secret + "x"):
        response = webhook_post("caseload", rapidpro_body({"open_cases": "3"}), secret=secret)
        assert (response.status_code, response.json()["status"]) == (401, "unauthorized")
        assert response["WWW-Authenticate"] == "Token"
    basic = Client(headers={"authorization": f"Bearer {sms.secret}"}).post(
        "/rapidpro/webhook/caseload/", rapidpro_body({"open_cases": "3"}), content_type="application/json"
    )
    assert basic.status_code == 401
    assert not Caseload.objects.exists() and not WebhookCall.objects.exists()


def test_a_revoked_token_is_refused_and_its_user_deactivated(sms: Sms, personas: Personas) -> None:
    webhook_token_revoke(actor=personas.national, token=sms.token)
    response = webhook_post("session", rapidpro_body(SESSION), secret=sms.secret)
    assert (response.status_code, response.json()["status"]) == (401, "revoked")
    assert not SupervisionSession.objects.exists()
    assert _statuses() == [("session", "revoked", "")]
    sms.token.user.refresh_from_db()
    assert not sms.token.user.is_active


def test_the_webhook_takes_post_only(sms: Sms) -> None:
    assert Client().get("/rapidpro/webhook/session/").status_code == 405


def test_a_person_never_acts_as_the_gateway(sms: Sms, personas: Personas) -> None:
    """The national scope is lent to a token's system user only, never to a person's account (not even one
    without a role), and the token's user has no role of its own."""
    for person in (personas.national, personas.outsider, personas.analyst):
        with pytest.raises(PermissionDenied), sms_gateway_acting(user=person):
            pass
    user = sms.token.user
    assert not user.has_usable_password() and not user.is_staff and scope_of(user).is_outsider
    with sms_gateway_acting(user=user) as actor:
        assert scope_of(actor).is_national
    assert scope_of(user).is_outsider


def test_the_demo_s_calls_show_the_statuses_and_write_nothing(country: Any, personas: Personas) -> None:
    from sswis.demo.support_rapidpro import demo_rapidpro_set

    WorkerFactory(worker_id="DEMO1", phone="0712 345 678")
    assert demo_rapidpro_set(actor=personas.national) == 3
    assert _statuses() == [
        ("caseload", "unknown_phone", ""),
        ("caseload", "invalid", "open_cases"),
        ("session", "invalid", "date"),
    ]
    assert not Caseload.objects.exists() and not SupervisionSession.objects.exists()
    assert demo_rapidpro_set(actor=personas.national) == 0  # the demo again changes nothing
    assert WebhookCall.objects.count() == 3
