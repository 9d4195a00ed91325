"""API tokens: obtaining one with a username and password (under django-axes' login lockout), and
revoking the token in use or all of one's tokens. Tokens are django-rest-knox's: stored as a digest."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from sswis.access.services import api_token_create, api_token_revoke, api_tokens_revoke_all
from sswis.api import serializers
from sswis.api.views.base import ServiceAPIView


class TokenObtainView(ServiceAPIView):
    """Exchange a username and password for a new API token, valid ``SSWIS_API_TOKEN_TTL_DAYS`` days.

    Every call makes a new token (the earlier ones stay valid until they expire or are revoked); the
    token is in this answer only. The credentials go through Django's ``authenticate`` with the
    underlying ``HttpRequest``, so django-axes counts failures and, once locked out, refuses even the
    right password (429 with a JSON message).
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes: list[type[BaseThrottle]] = []

    @extend_schema(
        request=serializers.TokenRequestSerializer,
        responses={
            200: serializers.TokenSerializer,
            400: OpenApiResponse(description=gettext_lazy("Wrong credentials or inactive account.")),
            429: OpenApiResponse(description=gettext_lazy("Locked out after too many failed attempts.")),
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
                {"non_field_errors": [_("Unable to log in with the username and password given.")]}
            )
        token, secret = api_token_create(actor=user, user=user)
        return Response(serializers.TokenSerializer({"token": secret, "expiry": token.expiry}).data)


class TokenRevokeView(ServiceAPIView):
    """Revoke the token this request is authenticated with; it is refused from then on (204)."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes: list[type[BaseThrottle]] = []

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description=gettext_lazy("The token is revoked.")),
            401: OpenApiResponse(description=gettext_lazy("No valid token given.")),
        },
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.auth, AuthToken):
            raise NotAuthenticated(_("Send the token to revoke as the header Authorization: Token <token>."))
        api_token_revoke(actor=request.user, token=request.auth)
        return Response(status=204)


class TokenRevokeAllView(ServiceAPIView):
    """Revoke every API token of the signed-in user (by token, or by session with CSRF); says how many."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes: list[type[BaseThrottle]] = []

    @extend_schema(
        request=None,
        responses={
            200: serializers.TokensRevokedSerializer,
            401: OpenApiResponse(description=gettext_lazy("Not signed in.")),
        },
    )
    def post(self, request: Request) -> Response:
        count = api_tokens_revoke_all(actor=request.user, user=request.user)
        return Response(serializers.TokensRevokedSerializer({"revoked": count}).data)
