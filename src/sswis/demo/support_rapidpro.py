"""The demo's SMS through RapidPro: a webhook token (its secret is not kept: a national data manager makes
their own on ``/support/sms/``) and a few calls of the webhook, answered as they would be for a real flow,
that write nothing (a phone no worker has, a number of cases in words, a day in the future), so that the
page shows the calls' statuses on first start without touching the supervision and caseload figures."""

from __future__ import annotations

import json
from typing import Any

from sswis.rapidpro.models import WebhookToken
from sswis.rapidpro.phones import phone_urn
from sswis.rapidpro.tokens import webhook_token_create
from sswis.rapidpro.webhook import webhook_answer
from sswis.registry.models import Worker

DEMO_TOKEN = "Demo check-in flows"


def _body(urn: str, results: dict[str, str]) -> bytes:
    return json.dumps(
        {
            "contact": {"uuid": "00000000-0000-4000-8000-000000000001", "name": "Demo", "urn": urn},
            "flow": {"uuid": "00000000-0000-4000-8000-000000000002", "name": "Supervision check-in"},
            "results": {
                name: {"value": value, "category": "All Responses"} for name, value in results.items()
            },
        }
    ).encode()


def demo_rapidpro_set(*, actor: Any) -> int:
    """Make the demo's webhook token and send it three calls; return the number of calls (0 when the demo
    ran before: its token exists, and running the demo again changes nothing)."""
    if WebhookToken.objects.filter(name=DEMO_TOKEN).exists():
        return 0
    _token, secret = webhook_token_create(actor=actor, name=DEMO_TOKEN)
    header = f"Token {secret}"
    phone = Worker.objects.exclude(phone="").order_by("worker_id").values_list("phone", flat=True).first()
    urn = (phone_urn(phone) if phone else None) or "tel:+15550100"
    calls = [
        ("caseload", _body("tel:+15550100", {"open_cases": "12"})),
        ("caseload", _body(urn, {"open_cases": "twelve"})),
        ("session", _body(urn, {"date": "2999-01-01", "duration": "60", "kind": "supportive"})),
    ]
    for kind, body in calls:
        webhook_answer(header=header, kind=kind, body=body)
    return len(calls)
