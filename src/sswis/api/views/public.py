"""The public register (``GET /api/v1/public/register/?q=``): open to everyone, without authentication;
the same entries as the page ``/register/`` (``sswis.regulation.public``), rate limited per client address
together with it, and kept out of search engines unless the country chose otherwise."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from sswis.api.public_serializers import PublicEntrySerializer, PublicRegisterQuerySerializer
from sswis.api.views.base import ServiceAPIView
from sswis.regulation.public import public_register_search
from sswis.security import (
    PUBLIC_REGISTER_RATE_GROUP,
    address_rate_limited,
    public_page_robots,
    rate_limited_message,
)


class PublicRegisterView(ServiceAPIView):
    """Search the public register by name or registration number."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes: list[type[BaseThrottle]] = []

    @extend_schema(
        parameters=[PublicRegisterQuerySerializer],
        responses={
            200: PublicEntrySerializer(many=True),
            400: OpenApiResponse(description=gettext_lazy("A name too short, or a character not allowed.")),
            429: OpenApiResponse(description=gettext_lazy("Too many searches from this address.")),
        },
        auth=[],
    )
    def get(self, request: Request) -> Response:
        """At most 20 entries, in the register's order (people matched by family name first), each with
        the name, the register, the number, the status today, the end of the licence and the conditions
        or sanctions in force; nothing else about the person. Not paginated."""
        query = PublicRegisterQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text = query.validated_data.get("q", "")
        entries = []
        if text.strip():
            wait = address_rate_limited(
                request._request, group=PUBLIC_REGISTER_RATE_GROUP, rate=settings.SSWIS_PUBLIC_REGISTER_RATE
            )
            if wait is not None:
                return Response(
                    {"detail": rate_limited_message(wait)},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                    headers={"Retry-After": str(wait)},
                )
            entries = public_register_search(query=text, day=timezone.localdate())
        return Response(PublicEntrySerializer(entries, many=True).data)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        """Every answer, refusals too, asks search engines not to index it (``public_page_robots``)."""
        return public_page_robots(super().finalize_response(request, response, *args, **kwargs))
