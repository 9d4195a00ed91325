"""Who may see and change the development of the workforce (``sswis.training``).

=========================== ============================================ =====================================
role                        sees                                         changes
=========================== ============================================ =====================================
national data manager       everything                                   institutions, programmes, intakes,
                                                                         completions, frameworks, practicum
institution focal point     their institution's programmes, instructors, the same, of their institution only
                            intakes, completions, students, placements
subnational officer         completions and competencies of the workers  competency assessments of the
                            they see; placements at organisations in     workers they see; the practicum
                            their subtree                                places offered by organisations
                                                                         located in their subtree
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


def require_instructors_read(*, user: Any, institution_id: int) -> None:
    """Refuse the list of an institution's instructors (persons) to anyone but those who may change the
    institution (:func:`may_change_institution`)."""
    if not may_change_institution(user=user, institution_id=institution_id):
        raise PermissionDenied(
            gettext("Only the institution's focal point or a national data manager may see its instructors.")
        )


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


def reads_practicum_people(*, user: Any) -> bool:
    """Whether ``user`` may open the practicum's lists of students and placements (which rows:
    :func:`students_visible`, :func:`placements_visible`): a national data manager, a subnational officer,
    an organisation focal point or an institution focal point."""
    scope = scope_of(user)
    return scope.role in PERSON_ROLES or scope.role == Role.INSTITUTION_FOCAL_POINT


def require_practicum_people(*, user: Any) -> Scope:
    """Refuse the practicum's students and placements to anyone but the roles of
    :func:`reads_practicum_people`."""
    if not reads_practicum_people(user=user):
        raise PermissionDenied(
            gettext("Your role gives no access to the practicum's students and placements.")
        )
    return scope_of(user)


def require_offer_role(*, user: Any) -> None:
    """Refuse, before anything else, anyone who may set no organisation's practicum offers (see
    :func:`offers_changeable`)."""
    if not may_set_offers(user=user):
        raise PermissionDenied(
            gettext(
                "Only a national data manager, a subnational officer or an organisation's focal point may set "
                "the practicum places organisations offer."
            )
        )


def offers_changeable(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Organisations whose practicum offers (places a year) ``user`` may set: a national data manager
    every one, a subnational officer those located in their subtree, an organisation focal point their
    own; nobody else any (an institution asks the organisations for places, it does not set them)."""
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.role == Role.SUBNATIONAL_OFFICER and scope.location_path:
        return queryset.filter(location__path__startswith=scope.location_path)
    if scope.role == Role.ORGANISATION_FOCAL_POINT:
        return queryset.filter(pk=scope.organisation_id or 0)
    return queryset.none()


def may_set_offers(*, user: Any) -> bool:
    """Whether ``user`` may set some organisation's practicum offers (the role only; which organisations:
    :func:`offers_changeable`)."""
    scope = scope_of(user)
    return scope.role in PERSON_ROLES


def require_offer_change(*, user: Any, organisation: Any) -> None:
    """Refuse setting the practicum places ``organisation`` offers to anyone but a national data manager,
    the subnational officer of its location or its focal point."""
    scope = scope_of(user)
    if (
        scope.is_national
        or (scope.role == Role.ORGANISATION_FOCAL_POINT and organisation.pk == scope.organisation_id)
        or (
            scope.role == Role.SUBNATIONAL_OFFICER
            and scope.location_path
            and organisation.location.path.startswith(scope.location_path)
        )
    ):
        return
    raise PermissionDenied(
        gettext(
            "Only a national data manager, the subnational officer of the organisation's area or its focal "
            "point may set the practicum places it offers."
        )
    )


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


COMPLETION_READERS = frozenset({*PERSON_ROLES, Role.INSTITUTION_FOCAL_POINT})
"""Who may open the completions (persons' records) at all; which ones: :func:`completions_visible`. A
worker's own login sees their own on their own page, not on the training's pages."""


def may_read_completions(*, user: Any) -> bool:
    """Whether ``user`` may open the list of completions: a national data manager, a subnational officer
    or an organisation focal point (those of the workers they see), an institution focal point (those of
    their institution's programmes). Analysts, registrars, administrators, workers and outsiders not."""
    return scope_of(user).role in COMPLETION_READERS


def require_completions_read(*, user: Any) -> Scope:
    """Refuse the completions' pages and API to anyone :func:`may_read_completions` does not let in."""
    scope = scope_of(user)
    if scope.role not in COMPLETION_READERS:
        raise PermissionDenied(gettext("Your role gives no access to the training of persons."))
    return scope


def workers_for_completion(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Workers ``user`` may record a completion of, named by their worker ID: a national data manager and
    an institution focal point any worker of the registry (a graduate is found by the worker ID the
    certificate names; the focal point then sees that worker's identity through the completion only);
    nobody else any (officers and organisation focal points read completions, they do not record them)."""
    scope = scope_of(user)
    if scope.is_national or scope.role == Role.INSTITUTION_FOCAL_POINT:
        return queryset
    return queryset.none()


def workers_competencies_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Workers whose competencies (completions, assessments, what they lack) ``user`` may see: those a
    national data manager, subnational officer or organisation focal point sees as persons
    (``workers_visible``), a worker's own login their own record; nobody else any."""
    scope = scope_of(user)
    if scope.role == Role.WORKER:
        return queryset.filter(pk=scope.worker_id or 0)
    if scope.role in PERSON_ROLES:
        return workers_visible(user=user, queryset=queryset)
    return queryset.none()


def require_competencies_people(*, user: Any) -> Scope:
    """Refuse the pages about a person's competencies to anyone who sees no person (analysts, system
    administrators, registrars, institution focal points, outsiders); a worker's own login passes (their
    own record only: ``workers_competencies_visible``)."""
    scope = scope_of(user)
    if scope.role in PERSON_ROLES or scope.role == Role.WORKER:
        return scope
    raise PermissionDenied(
        gettext("Your role gives access to aggregate figures only, not to people's records.")
    )


def require_worker_competencies_read(*, user: Any, worker: Any) -> None:
    """Refuse reading ``worker``'s competencies to anyone ``workers_competencies_visible`` leaves them out for."""
    visible = workers_competencies_visible(
        user=user, queryset=apps.get_model("registry", "Worker")._default_manager.all()
    )
    if not visible.filter(pk=worker.pk).exists():
        raise PermissionDenied(gettext("This worker is outside your scope."))


def require_missing_workers_read(*, user: Any, location: Any) -> Scope:
    """Refuse the list of the workers who lack a required competency to anyone who sees no person, and to
    a subnational officer for a location outside their area (a focal point's list holds their
    organisation's workers only: ``workers_visible``)."""
    scope = scope_of(user)
    if scope.role not in PERSON_ROLES:
        raise PermissionDenied(
            gettext("Your role gives access to aggregate figures only, not to people's records.")
        )
    if scope.role == Role.SUBNATIONAL_OFFICER and not scope.covers_location(location):
        raise PermissionDenied(gettext("This location is outside your area."))
    return scope
