"""Writes to the registry. The only way workers and assignments change outside bulk imports.

Each function is atomic, checks the actor's scope through ``sswis.access``, validates the whole row and
records the change in the audit history with the actor as its author. Invalid input raises
``ValidationError`` (field -> message) and writes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sswis.access import policy
from sswis.geo.models import Location
from sswis.registry.models import Assignment, Cadre, ExitReason, Organisation, Post, Worker

WORKER_FIELDS = (
    "worker_id", "given_name", "family_name", "sex", "birth_date", "disability", "education_level",
    "education_field", "national_id", "phone", "email", "primero_user_name",
)


@dataclass(frozen=True)
class AssignmentTerms:
    """What a new assignment is: where, for whom, in which cadre, from when, on which terms."""

    organisation: Organisation
    location: Location
    cadre: Cadre
    start_date: datetime.date
    paid: bool
    post: Post | None = None
    fte: Decimal = Decimal("1")
    child_protection: bool = True


def _save(instance: Any, *, actor: Any, update_fields: list[str] | None = None) -> None:
    instance._history_user = actor
    instance.save(update_fields=update_fields)


def _post_problems(*, terms: AssignmentTerms, ignore: Assignment | None = None) -> dict[str, str]:
    post = terms.post
    if post is None:
        return {}
    problems: dict[str, str] = {}
    if (post.organisation_id, post.location_id, post.cadre_id) != (
        terms.organisation.pk, terms.location.pk, terms.cadre.pk,
    ):
        problems["post"] = (
            f"Post {post.code} belongs to {post.organisation.code} at {post.location.code} in cadre "
            f"{post.cadre.code}; the assignment's organisation, location and cadre must be the same."
        )
    elif not post.exists_on(terms.start_date):
        problems["post"] = f"Post {post.code} does not exist on {terms.start_date.isoformat()}."
    else:
        occupied = Assignment.objects.filter(post=post, start_date__lte=terms.start_date).exclude(
            end_date__lt=terms.start_date
        )
        if ignore is not None:
            occupied = occupied.exclude(pk=ignore.pk)
        holder = occupied.select_related("worker").first()
        if holder is not None:
            problems["post"] = (
                f"Post {post.code} is already filled by {holder.worker.worker_id} on "
                f"{terms.start_date.isoformat()}; end that assignment first."
            )
    return problems


@transaction.atomic
def worker_register(*, actor: Any, first_assignment: AssignmentTerms | None = None, **fields: Any) -> Worker:
    """Register a person; ``fields`` are ``Worker`` fields (``worker_id``, ``given_name``, ...).

    Users other than the national data manager must give a ``first_assignment`` inside their scope,
    otherwise the person would be invisible to them right after registration.
    """
    policy.require_worker_change(user=actor, worker=None)
    unknown = set(fields) - set(WORKER_FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown worker field." for name in sorted(unknown)})
    if first_assignment is None and not policy.scope_of(actor).is_national:
        raise ValidationError({"organisation": "Give the worker's first assignment within your scope."})
    worker = Worker(**fields)
    worker.full_clean()
    _save(worker, actor=actor)
    if first_assignment is not None:
        assignment_start(actor=actor, worker=worker, terms=first_assignment)
    return worker


@transaction.atomic
def worker_update(*, actor: Any, worker: Worker, **changes: Any) -> Worker:
    """Change a worker's details. Only changed fields are written; nothing is saved if nothing changed."""
    policy.require_worker_change(user=actor, worker=worker)
    unknown = set(changes) - set(WORKER_FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown worker field." for name in sorted(unknown)})
    changed = [name for name, value in changes.items() if getattr(worker, name) != value]
    if not changed:
        return worker
    for name in changed:
        setattr(worker, name, changes[name])
    worker.full_clean()
    _save(worker, actor=actor, update_fields=[*changed, "updated_at"])
    return worker


@transaction.atomic
def assignment_start(*, actor: Any, worker: Worker, terms: AssignmentTerms) -> Assignment:
    """Start a new assignment for ``worker``.

    Refuses (``ValidationError``): a post of another organisation/location/cadre, a post that does not
    exist on the start date or is already filled on it, an FTE outside (0, 1], a duplicate identity.
    """
    policy.require_assignment_change(user=actor, organisation=terms.organisation, location=terms.location)
    problems = _post_problems(terms=terms)
    if problems:
        raise ValidationError(problems)
    assignment = Assignment(
        worker=worker,
        organisation=terms.organisation,
        location=terms.location,
        cadre=terms.cadre,
        post=terms.post,
        start_date=terms.start_date,
        paid=terms.paid,
        fte=terms.fte,
        child_protection=terms.child_protection,
    )
    assignment.full_clean()
    _save(assignment, actor=actor)
    return assignment


@transaction.atomic
def assignment_end(
    *, actor: Any, assignment: Assignment, end_date: datetime.date, exit_reason: ExitReason | str
) -> Assignment:
    """End an open assignment on ``end_date`` (inclusive: the last day in the role) with a reason.

    Refuses an assignment that has already ended, an end before the start, and an unknown reason.
    """
    policy.require_assignment_change(user=actor, organisation=assignment.organisation, location=assignment.location)
    if assignment.end_date is not None:
        raise ValidationError({"end_date": f"This assignment already ended on {assignment.end_date.isoformat()}."})
    if end_date < assignment.start_date:
        raise ValidationError(
            {"end_date": f"The end date must not be before the start date ({assignment.start_date.isoformat()})."}
        )
    if exit_reason not in ExitReason.values:
        raise ValidationError({"exit_reason": "Choose an exit reason from the list."})
    assignment.end_date = end_date
    assignment.exit_reason = str(exit_reason)
    _save(assignment, actor=actor, update_fields=["end_date", "exit_reason", "updated_at"])
    return assignment


@transaction.atomic
def assignment_transfer(
    *, actor: Any, assignment: Assignment, last_day: datetime.date, terms: AssignmentTerms
) -> Assignment:
    """Transfer: end ``assignment`` on ``last_day`` with reason ``transferred`` and start ``terms``.

    ``terms.start_date`` must be after ``last_day``. Both changes happen or neither does. The actor must
    be allowed to change both the old and the new assignment.
    """
    if terms.start_date <= last_day:
        raise ValidationError({"start_date": "The new assignment must start after the last day of the old one."})
    assignment_end(actor=actor, assignment=assignment, end_date=last_day, exit_reason=ExitReason.TRANSFERRED)
    return assignment_start(actor=actor, worker=assignment.worker, terms=terms)
