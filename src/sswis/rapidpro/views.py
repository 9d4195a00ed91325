"""The webhook's two addresses (``POST`` only, no session, no CSRF token: RapidPro authenticates with the
webhook token). What they answer: ``sswis.rapidpro.webhook``."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sswis.rapidpro.models import WebhookKind
from sswis.rapidpro.webhook import webhook_answer


def _respond(request: HttpRequest, kind: str) -> JsonResponse:
    answer = webhook_answer(header=request.headers.get("Authorization", ""), kind=kind, body=request.body)
    response = JsonResponse(answer.body, status=answer.http_status, json_dumps_params={"ensure_ascii": False})
    if answer.http_status == 401:
        response["WWW-Authenticate"] = "Token"
    return response


@csrf_exempt
@require_POST
def webhook_session_view(request: HttpRequest) -> JsonResponse:
    """A supervisee reports a supervision session by SMS."""
    return _respond(request, WebhookKind.SESSION)


@csrf_exempt
@require_POST
def webhook_caseload_view(request: HttpRequest) -> JsonResponse:
    """A worker reports their open cases at the end of a month by SMS."""
    return _respond(request, WebhookKind.CASELOAD)
