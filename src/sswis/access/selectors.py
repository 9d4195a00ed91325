"""Reads of the access app: a user's chosen language; their API tokens, described without their secret."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from knox.models import AuthToken

from sswis.access.models import UserLanguage

TOKEN_ID_LENGTH = 12


def user_language_of(*, user: Any) -> str | None:
    """The interface language ``user`` chose, or ``None`` if they never chose one."""
    return UserLanguage.objects.filter(user=user).values_list("language", flat=True).first()


def api_token_id(token: AuthToken) -> str:
    """The public name of a token: the start of its SHA-512 digest, which tells nothing of the token.

    Listings and revocation use it, never knox's lookup key (that is the token's own first characters).
    """
    return token.digest[:TOKEN_ID_LENGTH]


def api_tokens_of(*, user: Any) -> QuerySet[AuthToken]:
    """The user's tokens, newest first (expired ones included until knox deletes them)."""
    return AuthToken.objects.filter(user=user).order_by("-created", "digest")


def api_token_find(*, user: Any, token_id: str) -> AuthToken:
    """The token of ``user`` whose id (:func:`api_token_id`) is ``token_id``.

    ``ValidationError`` naming the id when the user has no such token (another user's token is not
    found either) or when the id is shorter than the ids listed.
    """
    if len(token_id) < TOKEN_ID_LENGTH:
        raise ValidationError(
            {
                "token_id": _("A token id has %(length)d characters; %(given)r is shorter.")
                % {"length": TOKEN_ID_LENGTH, "given": token_id}
            }
        )
    token = api_tokens_of(user=user).filter(digest__startswith=token_id.lower()).first()
    if token is None:
        raise ValidationError(
            {
                "token_id": _("%(user)s has no API token with id %(given)r.")
                % {"user": user.get_username(), "given": token_id}
            }
        )
    return token
