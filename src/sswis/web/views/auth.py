"""Logging in and out (Django's authentication views; django-axes locks out repeated failures)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


class LoginView(auth_views.LoginView):
    """The login page. A signed-in visitor goes straight on to the dashboard."""

    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, with CSRF) and return to the login page with a confirmation."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response
