"""Granting roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from sswis.access.models import Role, UserScope
from sswis.geo.models import Location
from sswis.registry.models import Organisation


@transaction.atomic
def user_scope_grant(
    *,
    actor: Any,
    user: Any,
    role: Role,
    location: Location | None = None,
    organisation: Organisation | None = None,
) -> UserScope:
    """Give ``user`` a role (replacing any previous one). Scoped roles must name their location/organisation."""
    if role == Role.SUBNATIONAL_OFFICER and location is None:
        raise ValidationError({"location": "A subnational officer needs the location they cover."})
    if role == Role.ORGANISATION_FOCAL_POINT and organisation is None:
        raise ValidationError({"organisation": "An organisation focal point needs their organisation."})
    scope = UserScope.objects.filter(user=user).first() or UserScope(user=user)
    scope.role = role
    scope.location = location if role == Role.SUBNATIONAL_OFFICER else None
    scope.organisation = organisation if role == Role.ORGANISATION_FOCAL_POINT else None
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
        user_scope_grant(actor=actor, user=user, role=role, location=location, organisation=organisation)
    return user
