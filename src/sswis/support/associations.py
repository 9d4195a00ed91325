"""The writes of professional associations and of workers' memberships in them.

Every function takes a keyword-only ``actor`` (the author of the audit record), runs in one transaction and
refuses bad input with a ``ValidationError`` naming the field, writing nothing. Associations are added and
changed by a national data manager (``support_policy.require_association_change``); a worker's memberships
by whoever may change that worker's support records (``support_policy.require_workers_change``: a national
data manager, an officer or a focal point for the workers they see).

A worker's memberships of one association never share a day: a membership that would overlap another of
the same worker in the same association is refused, naming the other one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.support_policy import require_association_change, require_workers_change
from sswis.auditing import instance_apply_changes
from sswis.geo.models import Location
from sswis.registry.models import Worker
from sswis.support.models_associations import Association, AssociationScope, Membership, MembershipKind

ASSOCIATION_FIELDS = ("code", "name", "scope", "region", "founded", "website")
RESERVED_CODES = frozenset({"new", "figures", "workers", "memberships"})
"""Words of the associations' addresses (``/support/associations/new/``...): no association's code."""
MEMBERSHIP_FIELDS = ("member_from", "member_until", "number", "kind")


def _stripped(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}


def _choice(value: Any, choices: type[AssociationScope] | type[MembershipKind], field: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            {
                field: _("Unknown value %(value)s: choose one of %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)}
            }
        )
    return str(value)


def _code_checked(code: Any) -> None:
    """A code is a part of the association's address: no ``/``, none of ``RESERVED_CODES``."""
    if not isinstance(code, str):
        return
    if "/" in code or code.lower() in RESERVED_CODES:
        raise ValidationError(
            {
                "code": _("A code cannot contain / nor be one of %(words)s.")
                % {"words": ", ".join(sorted(RESERVED_CODES))}
            }
        )


def _region_checked(scope: str, region: Location | None) -> None:
    """A regional association needs its region; a national one has none."""
    if scope == AssociationScope.REGIONAL and region is None:
        raise ValidationError({"region": _("A regional association needs the region it covers.")})
    if scope == AssociationScope.NATIONAL and region is not None:
        raise ValidationError(
            {"region": _("A national association covers the whole country: leave the region empty.")}
        )


@transaction.atomic
def association_create(
    *,
    actor: Any,
    code: str,
    name: str,
    scope: str = AssociationScope.NATIONAL,
    region: Location | None = None,
    founded: int | None = None,
    website: str = "",
) -> Association:
    """Add a professional association (a national data manager). Refused: a code or a name another
    association has, a regional association without its region, a national one with a region."""
    require_association_change(user=actor)
    _code_checked(code.strip())
    scope = _choice(scope, AssociationScope, "scope")
    _region_checked(scope, region)
    association = Association()
    changes = _stripped(
        {
            "code": code,
            "name": name,
            "scope": scope,
            "region": region,
            "founded": founded,
            "website": website,
        }
    )
    instance_apply_changes(association, actor=actor, changes=changes, allowed_fields=ASSOCIATION_FIELDS)
    return association


@transaction.atomic
def association_change(*, actor: Any, association: Association, changes: Mapping[str, Any]) -> list[str]:
    """Change an association's code, name, scope, region, year founded or website (a national data
    manager); returns the names of the fields that changed. A national association made regional needs its
    region in the same change; a regional one made national loses its region. Refused: a founding year
    after the first day of one of its memberships."""
    require_association_change(user=actor)
    changes = _stripped(changes)
    if "code" in changes:
        _code_checked(changes["code"])
    if "scope" in changes:
        changes["scope"] = _choice(changes["scope"], AssociationScope, "scope")
        if changes["scope"] == AssociationScope.NATIONAL and "region" not in changes:
            changes["region"] = None
    _region_checked(changes.get("scope", association.scope), changes.get("region", association.region))
    founded = changes.get("founded", association.founded)
    if founded is not None and association.pk is not None:
        earlier = (
            association.memberships.filter(member_from__year__lt=founded).order_by("member_from").first()
        )
        if earlier is not None:
            raise ValidationError(
                {
                    "founded": _("A membership of this association starts on %(day)s, before %(year)s.")
                    % {"day": earlier.member_from.isoformat(), "year": founded}
                }
            )
    return instance_apply_changes(
        association, actor=actor, changes=changes, allowed_fields=ASSOCIATION_FIELDS
    )


# --- memberships ------------------------------------------------------------------------------------------


def _overlapping(
    *,
    worker: Worker,
    association: Association,
    member_from: datetime.date,
    member_until: datetime.date | None,
    exclude_pk: int | None = None,
) -> Membership | None:
    """Another membership of ``worker`` in ``association`` sharing a day with ``member_from``..``member_until``."""
    others = Membership.objects.filter(worker=worker, association=association).exclude(
        member_until__lt=member_from
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if member_until is not None:
        others = others.exclude(member_from__gt=member_until)
    return others.order_by("member_from").first()


def _overlap_message(other: Membership) -> str:
    if other.member_until is None:
        return _("It overlaps the membership from %(start)s, which has no end.") % {
            "start": other.member_from.isoformat()
        }
    return _("It overlaps the membership from %(start)s to %(end)s.") % {
        "start": other.member_from.isoformat(),
        "end": other.member_until.isoformat(),
    }


def _period_checked(
    *,
    association: Association,
    member_from: datetime.date,
    member_until: datetime.date | None,
) -> None:
    if member_from > timezone.localdate():
        raise ValidationError({"member_from": _("This day is in the future.")})
    if association.founded is not None and member_from.year < association.founded:
        raise ValidationError(
            {
                "member_from": _("The association was founded in %(year)s, after this day.")
                % {"year": association.founded}
            }
        )
    if member_until is not None and member_until < member_from:
        raise ValidationError({"member_until": _("The membership cannot end before it begins.")})


def _number_checked(*, association: Association, number: str, exclude_pk: int | None = None) -> None:
    if not number:
        return
    others = Membership.objects.filter(association=association, number=number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    holder = others.select_related("worker").first()
    if holder is not None:
        raise ValidationError(
            {
                "number": _("Membership number %(number)s of this association is already %(worker)s's.")
                % {"number": number, "worker": holder.worker.worker_id}
            }
        )


def _worker_locked(worker: Worker) -> None:
    """One membership change of a worker at a time, so that two at once cannot both pass the overlap check."""
    Worker.objects.select_for_update().filter(pk=worker.pk).first()


@transaction.atomic
def membership_create(
    *,
    actor: Any,
    worker: Worker,
    association: Association,
    member_from: datetime.date,
    member_until: datetime.date | None = None,
    number: str = "",
    kind: str = MembershipKind.FULL,
) -> Membership:
    """Record that ``worker`` is a member of ``association`` from ``member_from`` (to ``member_until``;
    empty: still a member). Refused: a start in the future or before the association was founded, an end
    before the start, a period sharing a day with another membership of the worker in the association, and a
    membership number another member of the association has."""
    require_workers_change(user=actor, workers=[worker])
    _worker_locked(worker)
    _period_checked(association=association, member_from=member_from, member_until=member_until)
    other = _overlapping(
        worker=worker, association=association, member_from=member_from, member_until=member_until
    )
    if other is not None:
        raise ValidationError({"member_from": _overlap_message(other)})
    _number_checked(association=association, number=number.strip())
    membership = Membership(worker=worker, association=association)
    changes = {
        "member_from": member_from,
        "member_until": member_until,
        "number": number.strip(),
        "kind": _choice(kind, MembershipKind, "kind"),
    }
    instance_apply_changes(membership, actor=actor, changes=changes, allowed_fields=MEMBERSHIP_FIELDS)
    return membership


@transaction.atomic
def membership_change(*, actor: Any, membership: Membership, changes: Mapping[str, Any]) -> list[str]:
    """Change a membership's dates, number or kind (the worker and the association identify it: record
    another membership instead); returns the names of the fields that changed. The same refusals as
    :func:`membership_create`."""
    require_workers_change(user=actor, workers=[membership.worker])
    _worker_locked(membership.worker)
    changes = _stripped(changes)
    if "kind" in changes:
        _choice(changes["kind"], MembershipKind, "kind")
    member_from = changes.get("member_from", membership.member_from)
    member_until = changes.get("member_until", membership.member_until)
    if "member_from" in changes or "member_until" in changes:
        _period_checked(
            association=membership.association, member_from=member_from, member_until=member_until
        )
        other = _overlapping(
            worker=membership.worker,
            association=membership.association,
            member_from=member_from,
            member_until=member_until,
            exclude_pk=membership.pk,
        )
        if other is not None:
            field = "member_from" if "member_from" in changes else "member_until"
            raise ValidationError({field: _overlap_message(other)})
    if "number" in changes:
        _number_checked(
            association=membership.association, number=changes["number"], exclude_pk=membership.pk
        )
    return instance_apply_changes(membership, actor=actor, changes=changes, allowed_fields=MEMBERSHIP_FIELDS)


def membership_end(*, actor: Any, membership: Membership, member_until: datetime.date) -> Membership:
    """Record the membership's last day."""
    membership_change(actor=actor, membership=membership, changes={"member_until": member_until})
    return membership
