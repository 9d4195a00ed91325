"""The public register page: anyone, signed in or not, searches the people on the registers by name or
registration number (``sswis.regulation.public``); rate limited per client address, and kept out of
search engines unless the country chose otherwise (``sswis.security``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from sswis.regulation.public import NAME_MINIMUM_LENGTH, PUBLIC_RESULTS_LIMIT, public_register_search
from sswis.security import (
    PUBLIC_REGISTER_RATE_GROUP,
    PUBLIC_ROBOTS,
    address_rate_limited,
    public_page_robots,
    rate_limited_message,
)
from sswis.web.forms import CheckedForm


class PublicRegisterSearchForm(CheckedForm):
    q = forms.CharField(label=gettext_lazy("Name or registration number"), required=False, max_length=200)


@require_safe
def public_register_view(request: HttpRequest) -> HttpResponse:
    """The search form and, for a search (``?q=``), at most ``PUBLIC_RESULTS_LIMIT`` entries on today's
    date. A refused search shows its message by the field; over the rate: 429 with the message and
    ``Retry-After``. Open to everyone: no login, no personal data beyond the names of people on a register."""
    form = PublicRegisterSearchForm(request.GET)
    entries = None
    refusal = ""
    wait = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        wait = address_rate_limited(
            request, group=PUBLIC_REGISTER_RATE_GROUP, rate=settings.SSWIS_PUBLIC_REGISTER_RATE
        )
        if wait is not None:
            refusal = rate_limited_message(wait)
        else:
            try:
                entries = public_register_search(query=form.cleaned_data["q"], day=timezone.localdate())
            except ValidationError as problem:
                form.add_error("q", problem.message_dict["q"])
    context = {
        "form": form,
        "entries": entries,
        "refusal": refusal,
        "limit": PUBLIC_RESULTS_LIMIT,
        "minimum": NAME_MINIMUM_LENGTH,
        "robots": "" if settings.SSWIS_PUBLIC_REGISTER_INDEXABLE else PUBLIC_ROBOTS,
    }
    response = render(
        request, "web/public_register/search.html", context, status=200 if wait is None else 429
    )
    if wait is not None:
        response["Retry-After"] = str(wait)
    public_page_robots(response)
    return response
