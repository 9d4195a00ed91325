"""Who may see and change the development of the workforce (``sswis.training``).

=========================== ============================================ =====================================
role                        sees                                         changes
=========================== ============================================ =====================================
national data manager       everything                                   institutions, programmes, intakes,
                                                                         completions, frameworks, practicum
institution focal point     their institution's programmes, instructors, the same, of their institution only
                            intakes, completions, students, placements
subnational officer         completions and competencies of the workers  competency assessments of the
                            they see; placements at organisations in     workers they see
                            their subtree
organisation focal point    the same, of their organisation              the same, of their organisation
analyst, registrar          the catalogue (institutions, programmes,     none
                            frameworks) and aggregates only
system administrator        the catalogue                                competency frameworks (a reference
                                                                         list)
worker (own login)          their own completions and competencies       none
outsider                    nothing                                      nothing
=========================== ============================================ =====================================

The catalogue (institutions, their accreditation, programmes, intakes, competency frameworks) describes
no person and is open to every role but a worker's own login. Instructors, students, completions,
placements and assessments are about persons and are narrowed here.

This module names the training's fields (``programme__institution_id``) but imports none of its models:
the training domain imports this app, not the other way round.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext

from sswis.access.models import Role
from sswis.access.policy import PERSON_ROLES, Scope, scope_of, workers_visible


def may_read_catalogue(*, user: Any) -> bool:
    """Whether ``user`` may open the training pages at all: every role but a worker's own login."""
    return scope_of(user).sees_aggregates


def require_catalogue_read(*, user: Any) -> Scope:
    """Refuse outsiders and workers' own logins (who see their completions on their own page)."""
    scope = scope_of(user)
    if not scope.sees_aggregates:
        raise PermissionDenied(gettext("Your role gives no access to training."))
    return scope


def may_change_institution(*, user: Any, institution_id: int | None) -> bool:
    """Whether ``user`` may change what belongs to the institution ``institution_id`` (``None``: a new
    institution, a programme of none, or the list itself): a national data manager anywhere, an
    institution focal point their own only."""
    scope = scope_of(user)
    if scope.is_national:
        return True
    return (
        scope.role == Role.INSTITUTION_FOCAL_POINT
        and institution_id is not None
        and scope.training_institution_id == institution_id
    )


def require_institution_change(*, user: Any, institution_id: int | None) -> None:
    """Refuse a change to an institution's programmes, instructors, intakes, completions, students or
    placements to anyone but a national data manager or that institution's focal point."""
    if may_change_institution(user=user, institution_id=institution_id):
        return
    raise PermissionDenied(
        gettext("Only the institution's focal point or a national data manager may change its training.")
    )


def institutions_changeable(*, user: Any, queryset: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    """Institutions (or rows reached from one through ``prefix``, e.g. ``"institution__"``) ``user`` may
    change: a national data manager all, an institution focal point their own, nobody else any."""
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.role == Role.INSTITUTION_FOCAL_POINT:
        return queryset.filter(**{f"{prefix}id": scope.training_institution_id or 0})
    return queryset.none()


def is_training_manager(*, user: Any) -> bool:
    """A national data manager or an institution focal point: may open the pages that change training."""
    scope = scope_of(user)
    return scope.is_national or scope.role == Role.INSTITUTION_FOCAL_POINT


def require_training_manager(*, user: Any) -> Scope:
    """Refuse the pages that change training to anyone but a national data manager or an institution
    focal point."""
    scope = scope_of(user)
    if not (scope.is_national or scope.role == Role.INSTITUTION_FOCAL_POINT):
        raise PermissionDenied(
            gettext("Only an institution's focal point or a national data manager may change training.")
        )
    return scope


def instructors_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Instructors (persons) ``user`` may list: those of the institutions they may change."""
    return institutions_changeable(user=user, queryset=queryset, prefix="institution__")


def completions_visible(*, user: Any, queryset: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    """Completions (or rows reached from one through ``prefix``) ``user`` may see: national all; an
    institution focal point those of their institution's programmes; an officer or an organisation focal
    point those of the workers they see; a worker their own; nobody else any."""
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.role == Role.INSTITUTION_FOCAL_POINT:
        return queryset.filter(**{f"{prefix}programme__institution_id": scope.training_institution_id or 0})
    if scope.role == Role.WORKER:
        return queryset.filter(**{f"{prefix}worker_id": scope.worker_id or 0})
    if scope.role in PERSON_ROLES:
        return queryset.filter(**{f"{prefix}worker__in": workers_visible(user=user)})
    return queryset.none()


def unmatched_completions_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Completions of institutions' and platforms' lists that matched no worker (``UnmatchedCompletion``,
    which name persons) ``user`` may see and match or set aside: national all; an institution focal point
    those of their institution's programmes; nobody else any (not even an officer: the person is not known
    to be one of their workers)."""
    return institutions_changeable(user=user, queryset=queryset, prefix="programme__institution__")


def students_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Students ``user`` may see: national all; an institution focal point their institution's; an
    officer or an organisation focal point those placed (ever) at an organisation they cover; nobody
    else any."""
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.role == Role.INSTITUTION_FOCAL_POINT:
        return queryset.filter(programme__institution_id=scope.training_institution_id or 0)
    if scope.role in PERSON_ROLES:
        return queryset.filter(
            pk__in=placements_visible(user=user, queryset=_placements()).values("student_id")
        )
    return queryset.none()


def _placements() -> QuerySet[Any]:
    # By name: the training domain imports this app, not the other way round.
    return apps.get_model("training", "Placement")._default_manager.all()


def placements_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Practicum placements ``user`` may see: national all; an institution focal point their students';
    a subnational officer those at organisations located in their subtree; an organisation focal point
    those at their organisation; nobody else any."""
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.role == Role.INSTITUTION_FOCAL_POINT:
        return queryset.filter(student__programme__institution_id=scope.training_institution_id or 0)
    if scope.role == Role.SUBNATIONAL_OFFICER and scope.location_path:
        return queryset.filter(organisation__location__path__startswith=scope.location_path)
    if scope.role == Role.ORGANISATION_FOCAL_POINT:
        return queryset.filter(organisation_id=scope.organisation_id or 0)
    return queryset.none()


def may_change_frameworks(*, user: Any) -> bool:
    """Competency frameworks are a reference list: a system administrator or a national data manager."""
    return scope_of(user).manages_reference_lists


def require_framework_change(*, user: Any) -> None:
    """Refuse a change to a competency framework to anyone but an administrator or a national data manager."""
    if not may_change_frameworks(user=user):
        raise PermissionDenied(
            gettext(
                "Only a system administrator or a national data manager may change competency frameworks."
            )
        )


def require_assessment_record(*, user: Any, worker: Any) -> None:
    """Refuse recording a competency assessment of ``worker`` to anyone who may not see them as a person
    (national data manager, subnational officer or organisation focal point in scope)."""
    scope = scope_of(user)
    if scope.role in PERSON_ROLES and workers_visible(user=user).filter(pk=worker.pk).exists():
        return
    raise PermissionDenied(gettext("You may record competencies only of the workers you manage."))
