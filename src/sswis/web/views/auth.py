"""Logging in and out (Django's authentication views; django-axes locks out repeated failures)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from sswis.access.policy import scope_of


class LoginView(auth_views.LoginView):
    """The login page. A signed-in visitor goes straight on to the dashboard, or to the page asked for; a
    worker's own login to their own page (the dashboard is not theirs)."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        if scope_of(self.request.user).is_worker_login:
            return str(reverse("web:own_record"))
        return str(super().get_default_redirect_url())


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, with CSRF) and return to the login page with a confirmation."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response
