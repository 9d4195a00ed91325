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
from django.utils.translation import gettext as _

from sswis.access import policy
from sswis.auditing import instance_apply_changes, instance_save_audited
from sswis.concurrency import version_expect
from sswis.geo.models import Location
from sswis.registry.dates import date_range_problem
from sswis.registry.models import Assignment, Cadre, ExitReason, Organisation, Post, Worker

WORKER_FIELDS = (
    "worker_id",
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "disability",
    "education_level",
    "education_field",
    "national_id",
    "phone",
    "email",
    "primero_user_name",
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


def _post_problems(*, terms: AssignmentTerms, ignore: Assignment | None = None) -> dict[str, str]:
    post = terms.post
    if post is None:
        return {}
    problems: dict[str, str] = {}
    if (post.organisation_id, post.location_id, post.cadre_id) != (
        terms.organisation.pk,
        terms.location.pk,
        terms.cadre.pk,
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
        raise ValidationError({"organisation": _("Give the worker's first assignment within your scope.")})
    if first_assignment is not None:
        policy.require_assignment_start(
            user=actor,
            worker=None,
            organisation=first_assignment.organisation,
            location=first_assignment.location,
        )
    worker = Worker(**fields)
    worker.full_clean()
    instance_save_audited(worker, actor=actor)
    if first_assignment is not None:
        _assignment_create(actor=actor, worker=worker, terms=first_assignment)
    return worker


@transaction.atomic
def worker_update(*, actor: Any, worker: Worker, version: int | None = None, **changes: Any) -> Worker:
    """Change a worker's details. Only changed fields are written; nothing is saved if nothing changed.

    ``version``: the version the change is based on (a form's, an ``If-Match``'s); a worker changed since
    is refused with ``EditConflict`` (as is any save of an instance loaded before a change).
    """
    policy.require_worker_change(user=actor, worker=worker)
    version_expect(worker, version=version)
    instance_apply_changes(worker, actor=actor, changes=changes, allowed_fields=WORKER_FIELDS)
    return worker


@transaction.atomic
def assignment_start(*, actor: Any, worker: Worker, terms: AssignmentTerms) -> Assignment:
    """Start a new assignment for ``worker``.

    Refuses (``PermissionDenied``) an assignment outside the actor's scope and a worker the actor may not
    see (``policy.require_assignment_start``: moving a worker into one's organisation or area from
    outside it is for a national data manager). Refuses (``ValidationError``): a post of another
    organisation/location/cadre, a post that does not exist on the start date or is already filled on it,
    an FTE outside (0, 1], a duplicate identity.
    """
    policy.require_assignment_start(
        user=actor, worker=worker, organisation=terms.organisation, location=terms.location
    )
    return _assignment_create(actor=actor, worker=worker, terms=terms)


def _assignment_create(*, actor: Any, worker: Worker, terms: AssignmentTerms) -> Assignment:
    """Validate and save a new assignment; the caller has checked the actor's scope."""
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
    instance_save_audited(assignment, actor=actor)
    return assignment


@transaction.atomic
def assignment_end(
    *,
    actor: Any,
    assignment: Assignment,
    end_date: datetime.date,
    exit_reason: ExitReason | str,
    version: int | None = None,
) -> Assignment:
    """End an open assignment on ``end_date`` (inclusive: the last day in the role) with a reason.

    Refuses an assignment that has already ended, an end outside 1900-2100 or before the start, and an
    unknown reason; and (``EditConflict``) one changed since ``version``.
    """
    policy.require_assignment_change(
        user=actor, organisation=assignment.organisation, location=assignment.location
    )
    version_expect(assignment, version=version)
    if assignment.end_date is not None:
        raise ValidationError(
            {"end_date": f"This assignment already ended on {assignment.end_date.isoformat()}."}
        )
    out_of_range = date_range_problem(label=_("End date"), value=end_date)
    if out_of_range is not None:
        raise ValidationError({"end_date": out_of_range})
    if end_date < assignment.start_date:
        raise ValidationError(
            {
                "end_date": f"The end date must not be before the start date ({assignment.start_date.isoformat()})."
            }
        )
    if exit_reason not in ExitReason.values:
        raise ValidationError({"exit_reason": _("Choose an exit reason from the list.")})
    assignment.end_date = end_date
    assignment.exit_reason = str(exit_reason)
    instance_save_audited(assignment, actor=actor, update_fields=["end_date", "exit_reason", "updated_at"])
    return assignment


@transaction.atomic
def assignment_transfer(
    *,
    actor: Any,
    assignment: Assignment,
    last_day: datetime.date,
    terms: AssignmentTerms,
    version: int | None = None,
) -> Assignment:
    """Transfer: end ``assignment`` on ``last_day`` with reason ``transferred`` and start ``terms``.

    ``terms.start_date`` must be after ``last_day``. Both changes happen or neither does. The actor must
    be allowed to change both the old and the new assignment. ``version`` as for ``assignment_end``.
    """
    if terms.start_date <= last_day:
        raise ValidationError(
            {"start_date": "The new assignment must start after the last day of the old one."}
        )
    assignment_end(
        actor=actor,
        assignment=assignment,
        end_date=last_day,
        exit_reason=ExitReason.TRANSFERRED,
        version=version,
    )
    return assignment_start(actor=actor, worker=assignment.worker, terms=terms)


ASSIGNMENT_TERMS_FIELDS = ("paid", "fte", "child_protection", "post", "end_date", "exit_reason")


@transaction.atomic
def assignment_update(
    *, actor: Any, assignment: Assignment, version: int | None = None, **changes: Any
) -> Assignment:
    """Correct the terms of an assignment (paid, FTE, child protection, post, end date, exit reason).

    Where, with whom and in which cadre someone works, and since when, identify the assignment: to change
    those, end it and start another (``assignment_transfer``) so that history is kept. A new post is
    checked like in ``assignment_start``; an exit reason needs an end date. An assignment changed since
    ``version`` is refused (``EditConflict``).
    """
    policy.require_assignment_change(
        user=actor, organisation=assignment.organisation, location=assignment.location
    )
    version_expect(assignment, version=version)
    if "post" in changes and changes["post"] != assignment.post:
        terms = AssignmentTerms(
            organisation=assignment.organisation,
            location=assignment.location,
            cadre=assignment.cadre,
            start_date=assignment.start_date,
            paid=assignment.paid,
            post=changes["post"],
        )
        problems = _post_problems(terms=terms, ignore=assignment)
        if problems:
            raise ValidationError(problems)
    end_date = changes.get("end_date", assignment.end_date)
    if changes.get("exit_reason", assignment.exit_reason) and end_date is None:
        raise ValidationError({"exit_reason": _("An exit reason needs an end date.")})
    instance_apply_changes(assignment, actor=actor, changes=changes, allowed_fields=ASSIGNMENT_TERMS_FIELDS)
    return assignment


ORGANISATION_FIELDS = ("code", "name", "type", "sector", "location", "parent", "manages_location")
CADRE_FIELDS = ("code", "name", "category", "isco08")
POST_FIELDS = (
    "code",
    "organisation",
    "location",
    "cadre",
    "grade",
    "funded",
    "established_on",
    "abolished_on",
)


@transaction.atomic
def organisation_create(*, actor: Any, **fields: Any) -> Organisation:
    """Add an organisation to the reference list (system administrators and national data managers)."""
    policy.require_reference_lists(user=actor)
    organisation = Organisation()
    instance_apply_changes(organisation, actor=actor, changes=fields, allowed_fields=ORGANISATION_FIELDS)
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: Any, organisation: Organisation, version: int | None = None, **changes: Any
) -> Organisation:
    """Change an organisation of the reference list; refuses making it its own ancestor, and
    (``EditConflict``) an organisation changed since ``version``."""
    policy.require_reference_lists(user=actor)
    version_expect(organisation, version=version)
    parent = changes.get("parent", organisation.parent)
    seen = {organisation.pk}
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": _("An organisation cannot be part of itself.")})
        seen.add(parent.pk)
        parent = parent.parent
    instance_apply_changes(organisation, actor=actor, changes=changes, allowed_fields=ORGANISATION_FIELDS)
    return organisation


@transaction.atomic
def cadre_create(*, actor: Any, **fields: Any) -> Cadre:
    """Add a cadre (the country's own job title) to the reference list."""
    policy.require_reference_lists(user=actor)
    cadre = Cadre()
    instance_apply_changes(cadre, actor=actor, changes=fields, allowed_fields=CADRE_FIELDS)
    return cadre


@transaction.atomic
def cadre_update(*, actor: Any, cadre: Cadre, version: int | None = None, **changes: Any) -> Cadre:
    """Change a cadre of the reference list; refuses (``EditConflict``) one changed since ``version``."""
    policy.require_reference_lists(user=actor)
    version_expect(cadre, version=version)
    instance_apply_changes(cadre, actor=actor, changes=changes, allowed_fields=CADRE_FIELDS)
    return cadre


@transaction.atomic
def post_create(*, actor: Any, **fields: Any) -> Post:
    """Add a post to the establishment, in the actor's scope (as for assignments)."""
    post = Post(**{name: value for name, value in fields.items() if name in ("organisation", "location")})
    policy.require_post_change(user=actor, post=None, organisation=post.organisation, location=post.location)
    instance_apply_changes(post, actor=actor, changes=fields, allowed_fields=POST_FIELDS)
    return post


@transaction.atomic
def post_update(*, actor: Any, post: Post, version: int | None = None, **changes: Any) -> Post:
    """Change a post; both the post as stored and its new organisation/location must be in the actor's
    scope (``policy.require_post_change``). A post changed since ``version`` is refused (``EditConflict``)."""
    policy.require_post_change(
        user=actor,
        post=post,
        organisation=changes.get("organisation", post.organisation),
        location=changes.get("location", post.location),
    )
    version_expect(post, version=version)
    instance_apply_changes(post, actor=actor, changes=changes, allowed_fields=POST_FIELDS)
    return post
