"""What the national data manager's SMS page reads: the webhook tokens, the webhook's recent calls (counted
by status) and the reminders' history. Every function checks the reader (``access.rapidpro_policy``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from sswis.access.rapidpro_policy import require_sms_manage
from sswis.rapidpro.models import CallStatus, Reminder, WebhookCall, WebhookToken

RECENT_DAYS = 30
RECENT_CALLS = 20
REMINDERS_SHOWN = 50


def webhook_tokens_listed(*, user: Any) -> QuerySet[WebhookToken]:
    require_sms_manage(user=user)
    return WebhookToken.objects.select_related("created_by", "user").order_by(
        "revoked_at", "-created_at", "-id"
    )


def webhook_calls_counted(*, user: Any, days: int = RECENT_DAYS) -> list[dict[str, Any]]:
    """The calls of the last ``days`` days by status (every status, 0 included), in the statuses' order;
    each row ``{"status", "label", "session", "caseload", "total"}``."""
    require_sms_manage(user=user)
    since = timezone.now() - datetime.timedelta(days=days)
    counts: dict[tuple[str, str], int] = {
        (row["status"], row["kind"]): row["n"]
        for row in WebhookCall.objects.filter(created_at__gte=since)
        .values("status", "kind")
        .annotate(n=Count("id"))
        .order_by()
    }
    rows = []
    for status in CallStatus:
        session, caseload = (
            counts.get((status.value, "session"), 0),
            counts.get((status.value, "caseload"), 0),
        )
        rows.append(
            {
                "status": status.value,
                "label": status.label,
                "session": session,
                "caseload": caseload,
                "total": session + caseload,
            }
        )
    return rows


def webhook_calls_recent(*, user: Any, limit: int = RECENT_CALLS) -> list[WebhookCall]:
    require_sms_manage(user=user)
    return list(WebhookCall.objects.select_related("token", "worker").order_by("-created_at", "-id")[:limit])


def reminders_listed(*, user: Any, limit: int = REMINDERS_SHOWN) -> list[Reminder]:
    require_sms_manage(user=user)
    return list(Reminder.objects.order_by("-sent_at", "-id")[:limit])
