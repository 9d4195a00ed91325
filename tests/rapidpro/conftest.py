"""Workers with phones, a supervision relationship and a webhook token, for the RapidPro tests."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sswis.rapidpro.models import WebhookToken
from sswis.rapidpro.tokens import webhook_token_create
from sswis.registry.models import Worker
from sswis.support.supervision import relationship_create
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=400)
SUPERVISEE_URN = "tel:+255712345678"


@dataclass
class Sms:
    supervisee: Worker  # phone "0712 345 678": 255712345678
    supervisor: Worker  # phone "+255 700 000 001"
    token: WebhookToken
    secret: str


@pytest.fixture
def sms(country: Country, personas: Personas) -> Sms:
    supervisee = WorkerFactory(worker_id="SEE", phone="0712 345 678")
    supervisor = WorkerFactory(worker_id="SUP", phone="+255 700 000 001")
    for worker in (supervisee, supervisor):
        AssignmentFactory(
            worker=worker,
            location=country.district_11,
            organisation=country.ministry,
            cadre=country.social_worker,
            start_date=START,
        )
    relationship_create(
        actor=personas.national, supervisor=supervisor, supervisee=supervisee, start_date=START
    )
    token, secret = webhook_token_create(actor=personas.national, name="Check-in flows")
    return Sms(supervisee=supervisee, supervisor=supervisor, token=token, secret=secret)


def rapidpro_body(results: dict[str, Any], urn: str = SUPERVISEE_URN) -> dict[str, Any]:
    """RapidPro's default webhook body: the contact, the flow, the results (value and category)."""
    return {
        "contact": {"uuid": "0b10c5b8-6e5f-4a3c-9d2b-7c1b5f0e2a11", "name": "Amina", "urn": urn},
        "flow": {"uuid": "5f0a2c1e-8d3b-4e6f-a1c2-9b8d7e6f5a43", "name": "Supervision check-in"},
        "results": {
            name: value if isinstance(value, dict) else {"value": value, "category": "All Responses"}
            for name, value in results.items()
        },
    }


def webhook_post(kind: str, body: Any, *, secret: str | None, raw: bytes | None = None) -> Any:
    headers = {"authorization": f"Token {secret}"} if secret is not None else {}
    data = raw if raw is not None else json.dumps(body).encode()
    return Client(headers=headers).post(f"/rapidpro/webhook/{kind}/", data, content_type="application/json")
