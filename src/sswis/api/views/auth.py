"""Obtaining an API token with a username and password, under django-axes' login lockout."""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from sswis.api import serializers
from sswis.api.views.base import ServiceAPIView


class TokenObtainView(ServiceAPIView):
    """Exchange a username and password for the user's API token (created on first use).

    The credentials go through Django's ``authenticate`` with the underlying ``HttpRequest``, so
    django-axes counts failures and, once an account is locked out, refuses even the right password
    (its middleware answers 429).
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes: list[type[BaseThrottle]] = []

    @extend_schema(
        request=serializers.TokenRequestSerializer,
        responses={
            200: serializers.TokenSerializer,
            400: OpenApiResponse(description="Wrong credentials or inactive account."),
            429: OpenApiResponse(description="Locked out after too many failed attempts."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        credentials = serializers.TokenRequestSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        # Axes reads and flags the Django request (its middleware turns the flag into the lockout answer).
        user = authenticate(
            request._request,
            username=credentials.validated_data["username"],
            password=credentials.validated_data["password"],
        )
        if user is None:
            raise ValidationError(
                {"non_field_errors": ["Unable to log in with the username and password given."]}
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
