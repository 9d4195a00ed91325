"""SMS through RapidPro, for a national data manager (``/support/sms/``): the webhook tokens (make one, shown
once; revoke one), the webhook's calls of the last 30 days counted by status and the latest ones, and the
history of the reminders sent as RapidPro broadcasts. Everyone else is refused (403)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sswis.forms_base import CheckedForm
from sswis.rapidpro.selectors import (
    RECENT_DAYS,
    reminders_listed,
    webhook_calls_counted,
    webhook_calls_recent,
    webhook_tokens_listed,
)
from sswis.rapidpro.tokens import webhook_token_create, webhook_token_revoke
from sswis.web.decorators import sms_managers_required
from sswis.web.forms import form_add_service_errors

NAV = "sms"
"""Login required; only a national data manager passes."""


class TokenForm(CheckedForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        help_text=gettext_lazy("Which RapidPro workspace or flows will use it, e.g. “Check-in flows”."),
    )


def _page(
    request: HttpRequest, *, form: TokenForm | None = None, secret: str = "", status: int = 200
) -> HttpResponse:
    webhook = {
        kind: request.build_absolute_uri(reverse(f"rapidpro:webhook_{kind}"))
        for kind in ("session", "caseload")
    }
    context: dict[str, Any] = {
        "nav": NAV,
        "form": form or TokenForm(),
        "secret": secret,
        "tokens": webhook_tokens_listed(user=request.user),
        "counts": webhook_calls_counted(user=request.user),
        "recent_days": RECENT_DAYS,
        "calls": webhook_calls_recent(user=request.user),
        "reminders": reminders_listed(user=request.user),
        "webhook": webhook,
    }
    return render(request, "web/support/rapidpro.html", context, status=status)


@sms_managers_required
def rapidpro_view(request: HttpRequest) -> HttpResponse:
    return _page(request)


@sms_managers_required
@require_POST
def token_create_view(request: HttpRequest) -> HttpResponse:
    """Make a token; the page shows it this once (it is not kept, only its digest)."""
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = webhook_token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The token %(name)s is made.") % {"name": token.name})
            return _page(request, secret=secret)
    return _page(request, form=form, status=400)


@sms_managers_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(webhook_tokens_listed(user=request.user), pk=pk)
    webhook_token_revoke(actor=request.user, token=token)
    messages.success(
        request,
        _("The token %(name)s is revoked: RapidPro's calls with it are refused.") % {"name": token.name},
    )
    return redirect("web:rapidpro")
