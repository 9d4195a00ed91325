"""Security headers that Django 5.2 does not set by itself: the content security policy, and no caching
of responses that may carry personal data; and what guards the pages open to everyone (the public
register): a rate limit per client address, and asking search engines not to index them."""

from __future__ import annotations

from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage


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


def client_address(request: HttpRequest) -> str:
    """The client's address as the login lockout sees it (django-axes: ``AXES_CLIENT_IP_CALLABLE`` or
    django-ipware when configured, else ``REMOTE_ADDR``), so that a deployment behind a proxy configures
    it once for both."""
    return get_client_ip_address(request) or ""


def address_rate_limited(request: HttpRequest, *, group: str, rate: str) -> int | None:
    """Count this request against the client address's ``rate`` (``"30/m"``: 30 a minute) in ``group``;
    ``None`` while within it, else the seconds until the count starts again (at least 1).

    Counted by django-ratelimit in the cache ``RATELIMIT_USE_CACHE`` (fixed windows). An empty ``rate``
    limits nothing."""
    if not rate:
        return None
    usage = get_usage(
        request, group=group, key=lambda _group, request: client_address(request), rate=rate, increment=True
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


def rate_limited_message(seconds: int) -> str:
    """What a client over its rate is told (translated)."""
    return ngettext(
        "Too many searches from this address. Try again in %(seconds)d second.",
        "Too many searches from this address. Try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


PUBLIC_REGISTER_RATE_GROUP = "sswis.public_register"
"""The public register's page and API count against one limit per address."""

PUBLIC_ROBOTS = "noindex, nofollow"
"""What search engines are asked of a public page (``X-Robots-Tag``, ``<meta name="robots">``) unless
``SSWIS_PUBLIC_REGISTER_INDEXABLE``."""


def public_page_robots(response: HttpResponseBase) -> HttpResponseBase:
    """Ask search engines not to index a public page (the public register), unless the country chose to
    let them (``SSWIS_PUBLIC_REGISTER_INDEXABLE``)."""
    if not settings.SSWIS_PUBLIC_REGISTER_INDEXABLE:
        response["X-Robots-Tag"] = PUBLIC_ROBOTS
    return response
