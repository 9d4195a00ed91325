"""Setting up a body on the page and through the API: the body, a register and its rules, a CPD provider and
an activity, each through one service; refusals (a period ending before it begins, an activity outside the
provider's accreditation, points changed after attendance) write nothing; a registrar sets up their own
body only and adds no body."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.regulation.models import CpdActivity, CpdProvider, Register, RegulatoryBody
from sswis.regulation.services import cpd_record_add
from sswis.regulation.setup import cpd_activity_set, cpd_provider_set
from tests.factories import CadreFactory, UserFactory, WorkerFactory

D = datetime.date


def _user(role: Role, name: str, **scope: Any) -> Any:
    user = UserFactory(username=name)
    user_scope_grant(actor=None, user=user, role=role, **scope)
    return user


@pytest.fixture
def manager(db: Any) -> Any:
    CadreFactory(code="SW")
    CadreFactory(code="PSW")
    return _user(Role.NATIONAL_DATA_MANAGER, "manager")


def test_a_body_its_register_provider_and_activity_set_up_on_the_page(manager: Any) -> None:
    client = Client()
    client.force_login(manager)
    assert client.get("/registers/setup/").status_code == 200
    response = client.post(
        "/registers/setup/body/",
        {"body-code": "SSC", "body-name": "Council", "body-currency": "zar", "body-appeal_days": "30"},
    )
    assert response.status_code == 302
    body = RegulatoryBody.objects.get(code="SSC")
    assert body.currency == "ZAR"
    response = client.post(
        "/registers/setup/register/",
        {
            "register-body": body.pk, "register-code": "SW-REG", "register-name": "Social workers",
            "register-cadres": ["SW"], "register-licence_validity": "fixed_date", "register-licence_months": "12",
            "register-renewal_month": "1", "register-renewal_day": "1", "register-cpd_points_per_cycle": "20",
            "register-cpd_required_categories": "ethics, practice", "register-renewal_fee": "50",
            "register-late_fine": "25", "register-grace_days": "30", "register-restoration_fee": "80",
            "register-cpd_exempt_from_age": "65", "register-exam_required": "on", "register-exam_attempts_limit": "3",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    register = Register.objects.get(code="SW-REG")
    assert (register.cpd_required_categories, register.grace_days, register.exam_attempts_limit) == (
        ["ethics", "practice"], 30, 3,
    )  # fmt: skip
    assert list(register.cadres.values_list("code", flat=True)) == ["SW"]
    edit = client.get("/registers/setup/?register=SW-REG").content.decode()
    assert 'value="ethics, practice"' in edit
    bad = client.post(
        "/registers/setup/provider/",
        {"provider-body": body.pk, "provider-code": "P1", "provider-name": "Institute",
         "provider-accredited_from": "2024-01-01", "provider-accredited_until": "2023-01-01"},
    )  # fmt: skip
    assert bad.status_code == 400 and not CpdProvider.objects.exists()
    assert "cannot end before it begins" in bad.content.decode()


def test_the_api_sets_up_and_lists(manager: Any) -> None:
    api = APIClient()
    api.force_authenticate(manager)
    assert (
        api.post(
            "/api/v1/regulation/setup/body/",
            {"code": "SSC", "name": "Council", "currency": "USD", "appeal_days": 30},
            format="json",
        ).status_code
        == 200
    )
    body = RegulatoryBody.objects.get()
    saved = api.post(
        "/api/v1/regulation/setup/provider/",
        {"body": body.pk, "code": "P1", "name": "Institute", "accredited_from": "2024-01-01"},
        format="json",
    )
    assert saved.status_code == 200
    provider = CpdProvider.objects.get()
    outside = api.post(
        "/api/v1/regulation/setup/activity/",
        {"provider": provider.pk, "code": "E1", "title": "Ethics", "category": "ethics", "points": "5", "held_on": "2023-06-01"},
        format="json",
    )  # fmt: skip
    assert outside.status_code == 400 and "held_on" in outside.json() and not CpdActivity.objects.exists()
    assert api.post(
        "/api/v1/regulation/setup/activity/",
        {"provider": provider.pk, "code": "E1", "title": "Ethics", "category": "ethics", "points": "5", "held_on": "2024-06-01"},
        format="json",
    ).status_code == 200  # fmt: skip
    listed = api.get("/api/v1/regulation/setup/").json()
    assert [a["code"] for a in listed["activities"]] == ["E1"] and listed["bodies"][0]["code"] == "SSC"
    assert api.post("/api/v1/regulation/setup/nothing/", {}, format="json").status_code == 404


def test_a_registrar_sets_up_their_body_only(manager: Any) -> None:
    ours = RegulatoryBody.objects.create(code="SSC", name="Council")
    theirs = RegulatoryBody.objects.create(code="NC", name="Nurses")
    registrar = _user(Role.REGISTRAR, "registrar", regulatory_body=ours)
    api = APIClient()
    api.force_authenticate(registrar)
    assert (
        api.post(
            "/api/v1/regulation/setup/body/",
            {"code": "X", "name": "X", "currency": "USD", "appeal_days": 30},
            format="json",
        ).status_code
        == 403
    )
    refused = api.post(
        "/api/v1/regulation/setup/provider/",
        {"body": theirs.pk, "code": "P9", "name": "Other", "accredited_from": "2024-01-01"},
        format="json",
    )
    assert refused.status_code == 400 and "body" in refused.json()  # not a body they may choose
    assert [b["code"] for b in api.get("/api/v1/regulation/setup/").json()["bodies"]] == ["SSC"]
    analyst = _user(Role.ANALYST, "analyst")
    client = Client()
    client.force_login(analyst)
    assert client.get("/registers/setup/").status_code == 403


def test_points_do_not_change_once_attendance_is_recorded(manager: Any) -> None:
    body = RegulatoryBody.objects.create(code="SSC", name="Council")
    provider = cpd_provider_set(
        actor=manager, body=body, code="P1", name="Institute", accredited_from=D(2024, 1, 1)
    )
    activity = cpd_activity_set(
        actor=manager,
        provider=provider,
        code="E1",
        title="Ethics",
        category="ethics",
        points=Decimal(5),
        held_on=D(2024, 3, 1),
    )
    cpd_record_add(actor=manager, worker=WorkerFactory(), activity=activity, completed_on=D(2024, 3, 1))
    with pytest.raises(ValidationError, match="can no longer change"):
        cpd_activity_set(
            actor=manager,
            provider=provider,
            code="E1",
            title="Ethics",
            category="ethics",
            points=Decimal(8),
            held_on=D(2024, 3, 1),
        )
    renamed = cpd_activity_set(
        actor=manager, provider=provider, code="E1", title="Ethics in practice", category="ethics", points=Decimal(5),
        held_on=D(2024, 3, 1),
    )  # fmt: skip
    assert renamed.title == "Ethics in practice" and renamed.history.latest().history_user == manager
