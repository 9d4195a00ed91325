"""The webhook RapidPro flows call: a supervision session or a monthly caseload sent by SMS.

A flow's "Call webhook" action POSTs RapidPro's default body (the contact, the flow and the flow's results,
each result ``{"value": ..., "category": ...}``) with the header ``Authorization: Token <secret>``:

    {"contact": {"uuid": "...", "name": "...", "urn": "tel:+255712345678"},
     "flow": {"uuid": "...", "name": "..."},
     "results": {"date": {"value": "2025-06-03", "category": "Has Date"}, "duration": {"value": "60", ...}}}

The sender is the worker whose phone normalises to the URN's (``rapidpro.phones``); exactly one must.

* **session** (``/rapidpro/webhook/session/``): the sender is the **supervisee**. Results ``date``
  (``YYYY-MM-DD``, or a date-time starting with it; not in the future), ``duration`` (minutes, 1 to 1440),
  ``kind`` (administrative, educational or supportive, the category or the value; default supportive) and
  optionally ``supervisor`` (a worker ID, to choose among several). The supervisor is the one of the
  sender's supervision relationships active on the date. Recorded through
  ``support.supervision.session_record`` with source ``sms``.
* **caseload** (``/rapidpro/webhook/caseload/``): the sender's own open cases. Results ``open_cases`` (a
  whole number, 0 or more) and optionally ``month`` (``YYYY-MM``; default last month). Recorded through
  ``support.caseloads.caseload_set`` with source ``sms``.

The answer is JSON with a ``status`` a flow branches on (``@webhook.json.status``) and a ``message`` in the
request's language it may send back. RapidPro's webhook split takes "Success" for 2xx answers only, so
every answer about what the contact sent is **200**: ``recorded``, ``unchanged``, ``duplicate``,
``unknown_phone``, ``ambiguous_phone``, ``no_supervisor``, ``several_supervisors`` (with their worker IDs
in ``supervisors``) and ``invalid`` (with ``field``, the result's name, and ``message``). What a flow's
set-up gets wrong goes to "Failure": **400** ``invalid`` for a body that is not a JSON object or has no
``contact.urn`` phone URN, **401** ``unauthorized`` (no token or an unknown one) or ``revoked``.

Nothing is written unless the status is ``recorded``. Each call with a known token is logged
(``WebhookCall``). The write's audit record is authored by the token's system user and says
``SMS from +<phone> (token <name>)``.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.rapidpro_policy import sms_gateway_acting
from sswis.rapidpro.models import CallStatus, WebhookCall, WebhookKind, WebhookToken
from sswis.rapidpro.phones import URN_SCHEMES, phone_normalised, workers_with_phone
from sswis.rapidpro.tokens import webhook_token_of, webhook_token_used
from sswis.registry.models import Worker
from sswis.support.caseloads import caseload_set, month_parse
from sswis.support.models import RecordSource, SupervisionKind, SupervisionRelationship, SupervisionSession
from sswis.support.supervision import session_record
from sswis.text import text_problem, text_problem_message

REASON_LENGTH = 100  # the audit record's history_change_reason
# The support's field names, as the flows' result names.
RESULT_NAMES = {"duration_minutes": "duration", "date": "date", "kind": "kind", "open_cases": "open_cases"}
_WHOLE_NUMBER = re.compile(r"\+?(\d{1,7})(?:\.0*)?")


@dataclass
class Answer:
    """The webhook's answer (``http_status``, ``body``) and what the call log keeps of it."""

    http_status: int
    body: dict[str, Any]
    phone: str = ""
    worker: Worker | None = None
    field: str = ""

    @property
    def status(self) -> str:
        return str(self.body["status"])


class _Invalid(Exception):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name, self.message = name, message


def _invalid(name: str, message: str, *, http_status: int = 200) -> Answer:
    return Answer(
        http_status, {"status": CallStatus.INVALID.value, "field": name, "message": message}, field=name
    )


def webhook_answer(*, header: str, kind: str, body: bytes) -> Answer:
    """Answer one call of the webhook for ``kind`` (``session`` or ``caseload``): check the token, read the
    body, match the phone, record (see the module). Logs the call when the token is known."""
    token = webhook_token_of(header)
    if token is None:
        message = _("Send a valid webhook token as the header Authorization: Token <token>.")
        return Answer(401, {"status": "unauthorized", "message": message})
    if token.is_revoked:
        answer = Answer(
            401, {"status": CallStatus.REVOKED.value, "message": _("This webhook token is revoked.")}
        )
    else:
        answer = _answer(token, kind, body)
    WebhookCall.objects.create(
        token=token,
        kind=kind,
        status=answer.status,
        phone=answer.phone,
        worker=answer.worker,
        field=answer.field,
    )
    webhook_token_used(token)
    return answer


def _answer(token: WebhookToken, kind: str, body: bytes) -> Answer:
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _invalid(
            "body", _("The body is not JSON: use the flow's default webhook body."), http_status=400
        )
    if not isinstance(payload, dict):
        return _invalid("body", _("The body is not a JSON object."), http_status=400)
    contact = payload.get("contact")
    urn = contact.get("urn") if isinstance(contact, dict) else None
    scheme = urn.partition(":")[0].lower() if isinstance(urn, str) else ""
    if scheme not in URN_SCHEMES:
        message = _("The body has no contact.urn with a phone number (tel: or whatsapp:).")
        return _invalid("contact.urn", message, http_status=400)
    results = payload.get("results", {})
    if not isinstance(results, dict):
        return _invalid("results", _("results is not a JSON object of the flow's results."), http_status=400)
    phone = phone_normalised(urn) or ""  # type: ignore[arg-type]  # a str: its scheme was read above
    workers = workers_with_phone(phone) if phone else []
    if not workers:
        message = _("No worker has this phone number. Ask your data manager to record it.")
        return Answer(200, {"status": CallStatus.UNKNOWN_PHONE.value, "message": message}, phone=phone)
    if len(workers) > 1:
        message = _("Several workers have this phone number. Ask your data manager to correct it.")
        return Answer(200, {"status": CallStatus.AMBIGUOUS_PHONE.value, "message": message}, phone=phone)
    worker = workers[0]
    try:
        if kind == WebhookKind.SESSION:
            answer = _session(token, worker, results, phone)
        else:
            answer = _caseload(token, worker, results, phone)
    except _Invalid as invalid:
        answer = _invalid(invalid.name, invalid.message)
    except ValidationError as error:
        name, messages = next(iter(_fields_of(error).items()))
        answer = _invalid(RESULT_NAMES.get(name, name), " ".join(messages))
    answer.phone, answer.worker = phone, worker
    return answer


def _fields_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"body": error.messages}


# --- the results ----------------------------------------------------------------------------------------


def _result(results: dict[str, Any], name: str) -> tuple[str, str]:
    """A result's value and category as text ("" when absent); refused when either holds a character the
    text rule refuses."""
    item = results.get(name)
    if isinstance(item, dict):
        value, category = item.get("value"), item.get("category")
    else:
        value, category = item, None
    texts = ["" if part is None else str(part).strip() for part in (value, category)]
    for text in texts:
        problem = text_problem(text)
        if problem is not None:
            raise _Invalid(name, text_problem_message(label=name, problem=problem))
    return texts[0], texts[1]


def _whole_number(results: dict[str, Any], name: str, example: str) -> int:
    value = _result(results, name)[0]
    found = _WHOLE_NUMBER.fullmatch(value)
    if found is None:
        if value.startswith("-"):
            raise _Invalid(name, _("%(value)s is negative: send 0 or more.") % {"value": value})
        raise _Invalid(
            name,
            _("%(value)s is not a whole number: send digits only, e.g. %(example)s.")
            % {"value": value or "''", "example": example},
        )
    return int(found.group(1))


def _day(results: dict[str, Any], name: str) -> datetime.date:
    value = _result(results, name)[0]
    try:
        if len(value) < 10 or (len(value) > 10 and value[10] not in "T "):
            raise ValueError
        day = datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise _Invalid(
            name, _("%(value)s is not a date: write YYYY-MM-DD, e.g. 2025-06-03.") % {"value": value or "''"}
        ) from None
    if day > timezone.localdate():
        raise _Invalid(name, _("This day is in the future."))
    return day


def _kind(results: dict[str, Any]) -> str:
    value, category = _result(results, "kind")
    names = {choice.value: choice.value for choice in SupervisionKind}
    names |= {str(choice.label).lower(): choice.value for choice in SupervisionKind}
    for text in (category, value):
        if text.lower() in names:
            return names[text.lower()]
    if not value and not category:
        return SupervisionKind.SUPPORTIVE.value
    raise _Invalid(
        "kind",
        _("%(value)s is not a kind of supervision: send %(choices)s.")
        % {"value": value or category, "choices": ", ".join(SupervisionKind.values)},
    )


def _month(results: dict[str, Any]) -> datetime.date:
    value = _result(results, "month")[0]
    if not value:
        first = timezone.localdate().replace(day=1)
        return (first - datetime.timedelta(days=1)).replace(day=1)
    try:
        return month_parse(value[:7] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else value)
    except ValueError as error:
        raise _Invalid("month", str(error)) from None


# --- the writes -----------------------------------------------------------------------------------------


def _reason(token: WebhookToken, phone: str) -> str:
    return (_("SMS from +%(phone)s (token %(token)s)") % {"phone": phone, "token": token.name})[
        :REASON_LENGTH
    ]


def _mark(instance: models.Model, reason: str) -> None:
    """Give the newest audit record of ``instance`` the reason (who sent it, with which token)."""
    history = instance.history  # type: ignore[attr-defined]
    newest = history.order_by("-history_id").values_list("history_id", flat=True)[:1]
    history.model.objects.filter(history_id__in=list(newest)).update(history_change_reason=reason)


def _supervisors(worker: Worker, day: datetime.date) -> list[Worker]:
    active = SupervisionRelationship.objects.filter(supervisee=worker, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    return list(Worker.objects.filter(pk__in=active.values("supervisor_id")).order_by("worker_id"))


def _session(token: WebhookToken, worker: Worker, results: dict[str, Any], phone: str) -> Answer:
    day = _day(results, "date")
    duration = _whole_number(results, "duration", "60")
    kind = _kind(results)
    supervisors = _supervisors(worker, day)
    named = _result(results, "supervisor")[0]
    if named:
        supervisors = [one for one in supervisors if one.worker_id.lower() == named.lower()]
        if not supervisors:
            raise _Invalid(
                "supervisor",
                _("%(value)s does not supervise you on %(day)s.") % {"value": named, "day": day.isoformat()},
            )
    if not supervisors:
        message = _("You have no supervisor on %(day)s. Ask your data manager to record your supervision.")
        return Answer(
            200, {"status": CallStatus.NO_SUPERVISOR.value, "message": message % {"day": day.isoformat()}}
        )
    if len(supervisors) > 1:
        ids = [one.worker_id for one in supervisors]
        message = _("You have several supervisors on %(day)s: send the worker ID of one (%(ids)s).")
        return Answer(
            200,
            {
                "status": CallStatus.SEVERAL_SUPERVISORS.value,
                "supervisors": ids,
                "message": message % {"day": day.isoformat(), "ids": ", ".join(ids)},
            },
        )
    supervisor = supervisors[0]
    done = {
        "kind": WebhookKind.SESSION.value,
        "date": day.isoformat(),
        "supervisor": supervisor.worker_id,
        "duration": duration,
    }
    duplicate = Answer(
        200,
        {
            "status": CallStatus.DUPLICATE.value,
            **done,
            "message": _("Your session with %(supervisor)s on %(day)s is already recorded.")
            % {"supervisor": supervisor.worker_id, "day": day.isoformat()},
        },
    )
    if SupervisionSession.objects.filter(supervisor=supervisor, supervisee=worker, date=day).exists():
        return duplicate
    try:
        with transaction.atomic(), sms_gateway_acting(user=token.user) as actor:
            session = session_record(
                actor=actor,
                supervisor=supervisor,
                supervisee=worker,
                date=day,
                duration_minutes=duration,
                kind=kind,
                source=RecordSource.SMS,
            )
            _mark(session, _reason(token, phone))
    except IntegrityError:  # the same session sent twice at once: the other call recorded it
        return duplicate
    message = _("Recorded: your supervision session with %(supervisor)s on %(day)s, %(minutes)d minutes.")
    return Answer(
        200,
        {
            "status": CallStatus.RECORDED.value,
            **done,
            "message": message
            % {"supervisor": supervisor.worker_id, "day": day.isoformat(), "minutes": duration},
        },
    )


def _caseload(token: WebhookToken, worker: Worker, results: dict[str, Any], phone: str) -> Answer:
    open_cases = _whole_number(results, "open_cases", "12")
    month = _month(results)
    with transaction.atomic(), sms_gateway_acting(user=token.user) as actor:
        caseload, changed = caseload_set(
            actor=actor, worker=worker, month=month, open_cases=open_cases, source=RecordSource.SMS
        )
        if changed:
            _mark(caseload, _reason(token, phone))
    status = CallStatus.RECORDED if changed else CallStatus.UNCHANGED
    message = _("Recorded: %(count)d open cases at the end of %(month)s.") % {
        "count": open_cases,
        "month": month.strftime("%Y-%m"),
    }
    return Answer(
        200,
        {
            "status": status.value,
            "kind": WebhookKind.CASELOAD.value,
            "month": month.strftime("%Y-%m"),
            "open_cases": open_cases,
            "message": message,
        },
    )
