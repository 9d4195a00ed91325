"""Choosing the language of the interface, from every page (the login page too)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access.services import user_language_set
from sswis.web.forms import LanguageForm
from sswis.web.middleware import SESSION_LANGUAGE_KEY


@require_POST
def language_choose_view(request: HttpRequest) -> HttpResponse:
    """Switch to the language posted and go back to ``next`` (a page of this site only).

    The choice is kept in a cookie for this browser and, for a signed-in user, with their account
    (audited) and in their session, so that it follows them to another browser at their next login.
    A language not offered changes nothing and says so.
    """
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("web:dashboard" if request.user.is_authenticated else "web:login")
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the languages offered."))
        return redirect(next_url)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_language_set(actor=request.user, user=request.user, language=language)
        request.session[SESSION_LANGUAGE_KEY] = language
    translation.activate(language)
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",  # = settings.LANGUAGE_COOKIE_SAMESITE, spelt out for the type checker
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
