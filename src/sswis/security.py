"""Security headers that Django 5.2 does not set by itself: the content security policy, and no caching
of responses that may carry personal data."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class ContentSecurityPolicyMiddleware:
    """Add the ``Content-Security-Policy`` header from ``SSWIS_CONTENT_SECURITY_POLICY`` to every response.

    A response that already carries the header (a page that needs a narrower policy) keeps its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "SSWIS_CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class NoStoreMiddleware:
    """Send ``Cache-Control: no-store`` (Django's never-cache headers) on every response that may carry
    personal data, so that no browser, shared computer or proxy keeps a copy.

    The rule, simple on purpose (see docs/security.md): every response to a signed-in user (a session or
    an API token) and every API response, whatever its status, except static files (scripts, styles,
    fonts: the same for everyone, and served with WhiteNoise's long cache headers).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        # request.user is set by AuthenticationMiddleware, and by DRF after it authenticated a token.
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or request.path.startswith("/api/") or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)
        return response
