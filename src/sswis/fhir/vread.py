"""vread: a resource as it was at one of its versions, rebuilt from the audit history.

Scope: a reader gets the versions of resources they may see today. A resource that no longer exists
cannot be placed in anyone's scope any more, so its old versions (and the 410 of its deletion) are given
to readers who see the whole country only; others get a 404, as for any resource outside their scope.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext

from sswis.access import fhir_policy
from sswis.access.policy import scope_of
from sswis.fhir.http import FhirError
from sswis.fhir.kinds import ResourceKind
from sswis.fhir.render import (
    location_resource,
    organization_resource,
    practitioner_resource,
    practitioner_role_resource,
    workers_active_today,
)
from sswis.fhir.versions import RowsAsOf, rows_as_of


def _render(kind: ResourceKind, rows: RowsAsOf, user: Any) -> dict[str, Any]:
    primary: Any = rows.primary
    today = timezone.localdate()
    if kind.name == "Practitioner":
        registrations, completions = rows.dependents
        return practitioner_resource(
            primary,
            registrations=registrations,  # type: ignore[arg-type]
            completions=completions,  # type: ignore[arg-type]
            # Whether the worker works today is today's fact, not the version's.
            active=primary.pk in workers_active_today(worker_ids=[primary.pk], today=today),
            birth_date=fhir_policy.birth_date_visible(user=user),
        )
    if kind.name == "PractitionerRole":
        return practitioner_role_resource(primary, today=today)
    if kind.name == "Organization":
        return organization_resource(primary)
    [managing] = rows.dependents
    return location_resource(primary, managing=managing[0] if managing else None)  # type: ignore[arg-type]


def version_render(
    *, kind: ResourceKind, identifier: uuid.UUID, instant: datetime.datetime, user: Any, visible: Model | None
) -> dict[str, Any] | None:
    """The resource ``kind``/``identifier`` as of the version at ``instant``, or ``None`` (a 404) when
    no row of it was saved at exactly that instant or the reader may not see it. Raises a 410
    ``FhirError`` when the resource had been deleted by then. ``visible``: the current row when the
    reader sees it (``None``: deleted, or out of their scope)."""
    if visible is None:
        if kind.model._default_manager.filter(uuid=identifier).exists():
            return None  # exists, out of the reader's scope
        if not scope_of(user).is_national:
            return None
    rows = rows_as_of(kind=kind, uuid=identifier, instant=instant)
    if rows is None:
        return None
    if rows.deleted:
        raise FhirError(
            status=410,
            code="deleted",
            message=gettext("%(type)s/%(id)s was deleted by then.") % {"type": kind.name, "id": identifier},
        )
    if rows.primary is None or not rows.exists_at:
        return None
    try:
        return _render(kind, rows, user)
    except ObjectDoesNotExist:  # a row it named is gone for good (deleted with it)
        return None
