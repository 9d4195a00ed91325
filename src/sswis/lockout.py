"""Login lockout (django-axes) with a second limit per address, and a lockout answer that suits who asks.

Axes counts failures per user name and address (``AXES_LOCKOUT_PARAMETERS``) and locks that pair out
after ``AXES_FAILURE_LIMIT``. That alone lets one address try a few wrong passwords on each of hundreds of
user names. :class:`AddressLimitHandler` also locks an address out, for every user name, once it has
``SSWIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS`` failures within the cool-off period (``AXES_COOLOFF_TIME``),
whichever user names they named. A successful login resets only its own user name's count at that
address, so one valid account does not reopen the address.

:func:`lockout_response` is ``AXES_LOCKOUT_CALLABLE``: API clients (``/api/``) get JSON with 429 and
``Retry-After``; the browser gets the translated lockout page, also 429.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LOCKOUT_STATUS = 429


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address within the cool-off period, over all user names."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    cool_off = get_cool_off(request)
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def address_locked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.SSWIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS


class AddressLimitHandler(AxesDatabaseHandler):
    """Axes' database handler, with the per-address limit on top of the per-user-name one."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if address_locked(request):
            request.axes_locked_by_address = True
            return True
        return False

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False) or self.is_whitelisted(request):
            return
        if address_locked(request):
            request.axes_locked_out = True
            request.axes_locked_by_address = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The answer to a locked-out login: JSON for the API, the lockout page for the browser."""
    by_address = bool(getattr(request, "axes_locked_by_address", False))
    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0
    if request.path.startswith("/api/"):
        if by_address:
            detail = _("Too many failed log-in attempts from this address.")
        else:
            detail = _("Too many failed log-in attempts for this user name from this address.")
        if minutes:
            detail += " " + ngettext(
                "Try again in %(minutes)d minute.", "Try again in %(minutes)d minutes.", minutes
            ) % {"minutes": minutes}
        response: HttpResponse = JsonResponse({"detail": detail}, status=LOCKOUT_STATUS)
    else:
        context = {
            "by_address": by_address,
            "username": get_client_username(request, credentials) or "",
            "failure_limit": (
                settings.SSWIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS
                if by_address
                else get_failure_limit(request, credentials)
            ),
            "minutes": minutes,
        }
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=LOCKOUT_STATUS)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response
