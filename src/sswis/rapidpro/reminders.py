"""Reminders sent as RapidPro broadcasts (``sswis rapidpro remind``).

Who is due on day D (default today):

* **sessions**: every worker who is a supervisee in a supervision relationship active on D and has no
  supervision session as supervisee dated from the first day of D's calendar quarter to D (the period is
  ``YYYY-Qn``).
* **caseloads**: every worker active on the last day of the month before D's (one of their
  child-protection assignments active that day) with no caseload of any kind for that month (the period is
  ``YYYY-MM``).

A worker due whose phone normalises (``rapidpro.phones``) is sent to at ``tel:+<digits>`` (one URN per
number); the others are listed as not reachable. RapidPro takes at most 100 URNs per broadcast
(``POST /api/v2/broadcasts.json``, documented: "array of up to 100 strings"), so the URNs go in batches of
100, each one broadcast; its text is at most 640 characters. A run that sends (not a dry run) is kept as a
``Reminder``; it stops at the first broadcast RapidPro refuses and says so.
"""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from sswis.rapidpro.models import Reminder, ReminderKind, ReminderStatus
from sswis.rapidpro.phones import phone_urn
from sswis.registry.models import Assignment, Worker
from sswis.support.models import Caseload, SupervisionRelationship, SupervisionSession

BATCH = 100  # URNs per broadcast: RapidPro's documented limit
TEXT_LIMIT = 640
TIMEOUT_SECONDS = 30
BROADCASTS_PATH = "/api/v2/broadcasts.json"


class BroadcastError(Exception):
    """RapidPro refused a broadcast or could not be reached; the message says which and why."""


@dataclass
class Due:
    """The workers due for a reminder of ``kind`` for ``period``."""

    kind: str
    period: str
    text: str
    reachable: list[tuple[str, str]] = field(default_factory=list)  # (worker ID, URN)
    not_reachable: list[str] = field(default_factory=list)  # worker IDs

    @property
    def urns(self) -> list[str]:
        return sorted({urn for _worker_id, urn in self.reachable})


def quarter_of(day: datetime.date) -> tuple[datetime.date, str]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    return datetime.date(day.year, first_month, 1), f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def last_month_of(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _active_on(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def _sessions_due(day: datetime.date) -> tuple[list[tuple[str, str]], str]:
    start, period = quarter_of(day)
    supervised = SupervisionRelationship.objects.filter(_active_on(day), supervisee_id=OuterRef("pk"))
    seen = SupervisionSession.objects.filter(supervisee_id=OuterRef("pk"), date__gte=start, date__lte=day)
    workers = Worker.objects.filter(Exists(supervised)).exclude(Exists(seen))
    return list(workers.order_by("worker_id").values_list("worker_id", "phone")), period


def _caseloads_due(day: datetime.date) -> tuple[list[tuple[str, str]], str]:
    month = last_month_of(day)
    month_end = day.replace(day=1) - datetime.timedelta(days=1)
    active = Assignment.objects.filter(_active_on(month_end), child_protection=True, worker_id=OuterRef("pk"))
    reported = Caseload.objects.filter(worker_id=OuterRef("pk"), month=month)
    workers = Worker.objects.filter(Exists(active)).exclude(Exists(reported))
    return list(workers.order_by("worker_id").values_list("worker_id", "phone")), month.strftime("%Y-%m")


def reminder_text(kind: str, period: str) -> str:
    """The reminder's text in the active language (``SSWIS_LANGUAGE`` on the command line)."""
    if kind == ReminderKind.SESSIONS:
        text = _(
            "sswis reminder: no supervision session is recorded for you this quarter (%(period)s). "
            "After your next session, send its date and length through the SMS check-in."
        )
    else:
        text = _(
            "sswis reminder: your number of open cases at the end of %(period)s is not recorded yet. "
            "Send it through the SMS check-in."
        )
    return (text % {"period": period})[:TEXT_LIMIT]


def reminders_due(*, kind: str, day: datetime.date) -> Due:
    """Who is due for a reminder of ``kind`` on ``day`` (see the module), split by whether they have a
    phone number sswis can send to."""
    rows, period = _sessions_due(day) if kind == ReminderKind.SESSIONS else _caseloads_due(day)
    due = Due(kind=kind, period=period, text=reminder_text(kind, period))
    for worker_id, phone in rows:
        urn = phone_urn(phone) if phone else None
        if urn is None:
            due.not_reachable.append(worker_id)
        else:
            due.reachable.append((worker_id, urn))
    return due


# --- the broadcasts -------------------------------------------------------------------------------------


def broadcasts_url(server: str) -> str:
    """``https://rapidpro.example.org`` -> ``https://rapidpro.example.org/api/v2/broadcasts.json``."""
    parts = urllib.parse.urlsplit(server.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BroadcastError(
            _("%(url)s is not the address of a RapidPro server (http:// or https://).") % {"url": server}
        )
    return urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, parts.path.rstrip("/") + BROADCASTS_PATH, "", "")
    )


def _refusal(status: int, data: bytes) -> str:
    try:
        details = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        details = None
    if isinstance(details, dict):
        parts = []
        for key, value in details.items():
            texts = value if isinstance(value, list) else [value]
            parts.append(f"{key}: {' '.join(str(text) for text in texts)}")
        text = "; ".join(parts)
    else:
        text = data.decode("utf-8", errors="replace")[:200]
    if status in (401, 403):
        return _("RapidPro refused the token (HTTP %(status)d): check SSWIS_RAPIDPRO_TOKEN. %(details)s") % {
            "status": status,
            "details": text,
        }
    return _("RapidPro refused the broadcast (HTTP %(status)d): %(details)s") % {
        "status": status,
        "details": text,
    }


def broadcast_send(*, url: str, token: str, urns: list[str], text: str) -> dict[str, Any]:
    """``POST`` one broadcast of ``text`` to ``urns`` (at most 100); RapidPro's broadcast (201) as JSON."""
    if len(urns) > BATCH:
        raise ValueError(f"{len(urns)} URNs: RapidPro takes at most {BATCH} a broadcast.")
    request = urllib.request.Request(
        url,
        data=json.dumps({"urns": urns, "text": text}).encode("utf-8"),
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # http(s) only
            data = response.read()
    except urllib.error.HTTPError as error:
        raise BroadcastError(_refusal(error.code, error.read())) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise BroadcastError(_("RapidPro could not be reached: %(reason)s.") % {"reason": reason}) from None
    try:
        broadcast = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        broadcast = None
    if not isinstance(broadcast, dict) or "id" not in broadcast:
        raise BroadcastError(_("RapidPro did not answer with a broadcast (JSON with an id)."))
    return broadcast


def reminders_send(*, due: Due, server: str, token: str) -> Reminder:
    """Send ``due``'s reminder to its URNs in broadcasts of at most 100 and keep the run as a
    ``Reminder`` (its status: sent, partly sent, failed or nobody to remind)."""
    url = broadcasts_url(server)
    urns = due.urns
    broadcasts: list[Any] = []
    problem = ""
    sent_urns = 0
    for start in range(0, len(urns), BATCH):
        batch = urns[start : start + BATCH]
        try:
            broadcast = broadcast_send(url=url, token=token, urns=batch, text=due.text)
        except BroadcastError as error:
            problem = str(error)
            break
        broadcasts.append(broadcast["id"])
        sent_urns += len(batch)
    if not urns:
        status = ReminderStatus.NOBODY
    elif not problem:
        status = ReminderStatus.SENT
    else:
        status = ReminderStatus.PARTLY_SENT if broadcasts else ReminderStatus.FAILED
    sent = set(urns[:sent_urns])
    parts = urllib.parse.urlsplit(url)
    host = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)  # never credentials
    return Reminder.objects.create(
        kind=due.kind,
        period=due.period,
        server=host[:200],
        status=status,
        due=len(due.reachable) + len(due.not_reachable),
        reached=sum(1 for _worker_id, urn in due.reachable if urn in sent),
        not_reachable=len(due.not_reachable),
        broadcasts=broadcasts,
        problem=problem[:500],
        text=due.text,
    )
