"""The webhook's tokens: made and revoked by a national data manager, checked on every call.

A token is 43 random URL-safe characters (256 bits), shown once when made; only its SHA-256 digest is kept
(the secret is random, so a plain digest is as good as a slow hash and lets a call be checked with one
indexed query). Each token gets its own system user, ``sms-<name>``: no password, no role, the author of
the audit records of the sessions and caseloads that arrive with the token. Revoking a token deactivates
that user too.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sswis.access.rapidpro_policy import require_sms_manage
from sswis.auditing import instance_save_audited
from sswis.rapidpro.models import WebhookToken
from sswis.text import text_problem, text_problem_message

AUTH_PREFIX = "Token"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _username_for(name: str) -> str:
    users = get_user_model().objects
    base = "sms-" + (slugify(name)[:60].strip("-") or "token")
    username, number = base, 1
    while users.filter(username=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


@transaction.atomic
def webhook_token_create(*, actor: Any, name: str) -> tuple[WebhookToken, str]:
    """Make a token named ``name`` (unique) with its system user; return it and its secret (shown once)."""
    require_sms_manage(user=actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the flow or the RapidPro workspace.")})
    problem = text_problem(name)
    if problem is not None:
        raise ValidationError({"name": text_problem_message(label=_("Name"), problem=problem)})
    if WebhookToken.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A token with this name already exists.")})
    user = get_user_model().objects.create_user(username=_username_for(name), password=None)
    user.first_name = "SMS"
    user.last_name = name[:150]
    user.save(update_fields=["first_name", "last_name"])
    secret = secrets.token_urlsafe(32)
    token = WebhookToken(name=name, digest=token_digest(secret), user=user, created_by=actor)
    token.full_clean()
    instance_save_audited(token, actor=actor)
    return token, secret


@transaction.atomic
def webhook_token_revoke(*, actor: Any, token: WebhookToken) -> WebhookToken:
    """Revoke ``token``: its calls are refused from now on, its system user is deactivated. Revoking a
    revoked token changes nothing."""
    require_sms_manage(user=actor)
    token = WebhookToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    instance_save_audited(token, actor=actor, update_fields=["revoked_at"])
    token.user.is_active = False
    token.user.save(update_fields=["is_active"])
    return token


def webhook_token_of(header: str) -> WebhookToken | None:
    """The token named by an ``Authorization: Token <secret>`` header (revoked or not), or ``None``."""
    prefix, _space, secret = header.strip().partition(" ")
    secret = secret.strip()
    if prefix != AUTH_PREFIX or not secret or len(secret) > 200:
        return None
    return WebhookToken.objects.select_related("user").filter(digest=token_digest(secret)).first()


def webhook_token_used(token: WebhookToken) -> None:
    """Note when the token was last used (no history record: it is not a change of the token)."""
    WebhookToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
