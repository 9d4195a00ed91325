"""Granting roles; a user's language; making and revoking API tokens."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken, get_digest_token
from knox.settings import CONSTANTS

from sswis.access.models import Role, UserLanguage, UserScope
from sswis.access.policy import scope_of
from sswis.auditing import instance_save_audited
from sswis.geo.models import Location
from sswis.registry.models import Organisation, Worker


@transaction.atomic
def user_scope_grant(
    *,
    actor: Any,
    user: Any,
    role: Role,
    location: Location | None = None,
    organisation: Organisation | None = None,
    regulatory_body: Any = None,
    worker: Worker | None = None,
    training_institution: Any = None,
) -> UserScope:
    """Give ``user`` a role (replacing any previous one). Scoped roles must name what they cover: a
    subnational officer their location, a focal point their organisation, a registrar their regulatory
    body (``regulation.RegulatoryBody``), a worker's own login their worker record (one login per worker), a
    training institution focal point their institution (``training.TrainingInstitution``)."""
    if role == Role.SUBNATIONAL_OFFICER and location is None:
        raise ValidationError({"location": _("A subnational officer needs the location they cover.")})
    if role == Role.ORGANISATION_FOCAL_POINT and organisation is None:
        raise ValidationError({"organisation": _("An organisation focal point needs their organisation.")})
    if role == Role.REGISTRAR and regulatory_body is None:
        raise ValidationError({"regulatory_body": _("A registrar needs the regulatory body they work for.")})
    if role == Role.INSTITUTION_FOCAL_POINT and training_institution is None:
        raise ValidationError(
            {"training_institution": _("A training institution focal point needs their institution.")}
        )
    if role == Role.WORKER and worker is None:
        raise ValidationError({"worker": _("A worker's login needs the worker's record.")})
    if role == Role.WORKER and UserScope.objects.filter(worker=worker).exclude(user=user).exists():
        raise ValidationError({"worker": _("This worker already has a login.")})
    scope = UserScope.objects.filter(user=user).first() or UserScope(user=user)
    scope.role = role
    scope.location = location if role == Role.SUBNATIONAL_OFFICER else None
    scope.organisation = organisation if role == Role.ORGANISATION_FOCAL_POINT else None
    scope.regulatory_body = regulatory_body if role == Role.REGISTRAR else None
    scope.worker = worker if role == Role.WORKER else None
    scope.training_institution = training_institution if role == Role.INSTITUTION_FOCAL_POINT else None
    scope._history_user = actor  # type: ignore[attr-defined]
    scope.save()
    user.__dict__.pop("_sswis_scope", None)
    return scope


def user_create_with_role(
    *,
    actor: Any,
    username: str,
    password: str,
    role: Role,
    location: Location | None = None,
    organisation: Organisation | None = None,
    regulatory_body: Any = None,
    worker: Worker | None = None,
    training_institution: Any = None,
    is_staff: bool = False,
) -> Any:
    """Create (or reset) a login with a role. Used by the demo and by administrators' scripts."""
    user_model = get_user_model()
    with transaction.atomic():
        user, _ = user_model.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_staff = is_staff
        user.is_superuser = role == Role.SYSTEM_ADMINISTRATOR
        user.save()
        user_scope_grant(
            actor=actor,
            user=user,
            role=role,
            location=location,
            organisation=organisation,
            regulatory_body=regulatory_body,
            worker=worker,
            training_institution=training_institution,
        )
    return user


def user_language_set(*, actor: Any, user: Any, language: str) -> UserLanguage:
    """Keep ``language`` as the interface language of ``user`` (audited; ``actor`` is who chose it).

    Raises ``ValidationError`` for a code not in ``settings.LANGUAGES``, writing nothing."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    chosen = UserLanguage.objects.filter(user=user).first() or UserLanguage(user=user)
    if chosen.pk is not None and chosen.language == language:
        return chosen
    chosen.language = language
    instance_save_audited(chosen, actor=actor)
    return chosen


# --- API tokens (django-rest-knox) ---------------------------------------------------------------------


def api_token_ttl_default() -> datetime.timedelta:
    """How long a new token is valid unless told otherwise: ``SSWIS_API_TOKEN_TTL_DAYS`` days."""
    return datetime.timedelta(days=settings.SSWIS_API_TOKEN_TTL_DAYS)


@transaction.atomic
def api_token_create(
    *, actor: Any, user: Any, expires_in: datetime.timedelta | None = None
) -> tuple[AuthToken, str]:
    """Make a new API token for ``user``; return the stored row and the token itself.

    The token is returned here and nowhere else: only its SHA-512 digest is stored (and knox's lookup
    key, its first characters), so nobody, a system administrator included, can read it later. It
    expires ``expires_in`` from now (default :func:`api_token_ttl_default`); a period under one minute
    or an inactive user is refused with ``ValidationError`` and nothing is written. ``actor`` (``None``
    for the command line) is recorded as the author in the audit trail.
    """
    period = api_token_ttl_default() if expires_in is None else expires_in
    if period < datetime.timedelta(minutes=1):
        raise ValidationError({"expires_in": _("A token must be valid for at least one minute.")})
    if not user.is_active:
        raise ValidationError(
            {"user": _("%(user)s is not an active user and may not have a token.") % {"user": user}}
        )
    digest, secret = get_digest_token()
    token = AuthToken(
        digest=digest,
        token_key=secret[: CONSTANTS.TOKEN_KEY_LENGTH],
        user=user,
        expiry=timezone.now() + period,
    )
    instance_save_audited(token, actor=actor)
    return token, secret


def _require_token_owner_or_administrator(*, actor: Any, user: Any) -> None:
    """Only the token's own user, a system administrator or the command line (``None``) revokes it."""
    if actor is None or actor.pk == user.pk or scope_of(actor).role == Role.SYSTEM_ADMINISTRATOR:
        return
    raise PermissionDenied(_("You may revoke only your own API tokens."))


@transaction.atomic
def api_token_revoke(*, actor: Any, token: AuthToken) -> None:
    """Revoke one token at once (the row is deleted; the audit trail keeps who revoked it and when).

    ``PermissionDenied`` unless ``actor`` is the token's user, a system administrator or ``None``.
    """
    _require_token_owner_or_administrator(actor=actor, user=token.user)
    token._history_user = actor
    token.delete()


@transaction.atomic
def api_tokens_revoke_all(*, actor: Any, user: Any) -> int:
    """Revoke every token of ``user`` (expired ones too); return how many there were.

    Same permission as :func:`api_token_revoke`; each revocation is audited with ``actor``.
    """
    _require_token_owner_or_administrator(actor=actor, user=user)
    tokens = list(AuthToken.objects.filter(user=user).select_for_update())
    for token in tokens:
        token._history_user = actor
        token.delete()
    return len(tokens)
