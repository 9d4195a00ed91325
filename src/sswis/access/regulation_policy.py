"""Who may see and change the regulation of the profession (``sswis.regulation``).

=========================== ============================================ =====================================
role                        registrations seen                           changes
=========================== ============================================ =====================================
national data manager       every body's; every body's exams and         bodies, registers, every step
                            complaints (not complainants, case files)
registrar of a body         their body's registers, exams, complaints    their body's registers, registrations,
                                                                         licences, CPD, exams, cases
subnational officer         of the workers they see (read only); no      none
                            exams, no complaints
organisation focal point    of the workers they see (read only); same    none
worker (own login)          their own                                    CPD evidence of their own
analyst, administrator      none (the regulation's aggregates only)      none
=========================== ============================================ =====================================

A registrar looks people up by their identity fields (names, birth date, sex, national id, contacts) to
register them, across the country, but never sees their employment (assignments, posts, organisations):
the regulation pages show identity fields only. A complaint's complainant and case file are for the
registrar's office of the body alone (``may_see_case_file``).

This module names the regulation's fields (``register__body_id``) but imports none of its models: the
regulation domain imports this app, not the other way round.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext

from sswis.access.models import Role
from sswis.access.policy import (
    EXAM_AND_CASE_READERS,
    REGISTER_READERS,
    Scope,
    scope_of,
    workers_visible,
)
from sswis.registry.models import Worker

REGULATION_READERS = REGISTER_READERS


def may_read_regulation(*, user: Any) -> bool:
    """Whether ``user`` may open the registrations pages at all (each list is then narrowed)."""
    return scope_of(user).role in REGULATION_READERS


def require_regulation_read(*, user: Any) -> Scope:
    """Refuse anyone who may not read registrations: analysts, administrators, workers (who have their own
    page), outsiders."""
    scope = scope_of(user)
    if scope.role not in REGULATION_READERS:
        raise PermissionDenied(gettext("Your role gives no access to the registers."))
    return scope


def may_change_regulation(*, user: Any, body_id: int | None) -> bool:
    """Whether ``user`` may change what belongs to the body ``body_id`` (``None``: a new body, or the list
    of bodies itself): a national data manager anywhere, a registrar in their own body only."""
    scope = scope_of(user)
    if scope.is_national:
        return True
    return scope.role == Role.REGISTRAR and body_id is not None and scope.regulatory_body_id == body_id


def require_regulation_change(*, user: Any, body_id: int | None) -> None:
    """Refuse a change to the body ``body_id``'s registers, registrations, licences, CPD, charges, exams
    or cases to anyone but a national data manager or that body's registrar; ``body_id=None`` (a new
    body) to anyone but a national data manager."""
    if may_change_regulation(user=user, body_id=body_id):
        return
    raise PermissionDenied(
        gettext("Only the body's registrar or a national data manager may change its registers.")
    )


def bodies_changeable(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Regulatory bodies whose registers, registrations, exams and cases ``user`` may change: a national
    data manager all, a registrar their own, nobody else any (``may_change_regulation``, as a query)."""
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.role == Role.REGISTRAR:
        return queryset.filter(pk=scope.regulatory_body_id or 0)
    return queryset.none()


def registers_changeable(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Registers ``user`` may change (record applications to, hold exams of): a national data manager
    all, a registrar their body's, nobody else any."""
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.role == Role.REGISTRAR:
        return queryset.filter(body_id=scope.regulatory_body_id or 0)
    return queryset.none()


def bodies_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Regulatory bodies ``user`` may list: a registrar their own, other readers all."""
    scope = scope_of(user)
    if scope.role == Role.REGISTRAR:
        return queryset.filter(pk=scope.regulatory_body_id or 0)
    if scope.role not in REGULATION_READERS:
        return queryset.none()
    return queryset


def registers_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Registers ``user`` may list: a registrar their body's, other readers all."""
    scope = scope_of(user)
    if scope.role == Role.REGISTRAR:
        return queryset.filter(body_id=scope.regulatory_body_id or 0)
    if scope.role not in REGULATION_READERS:
        return queryset.none()
    return queryset


def registrations_visible(*, user: Any, queryset: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    """Registrations (or rows reached from one through ``prefix``, e.g. ``"registration__"``) that
    ``user`` may see: national all; a registrar their body's; an officer or a focal point those of the
    workers they see; a worker their own; nobody else any."""
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.role == Role.REGISTRAR:
        return queryset.filter(**{f"{prefix}register__body_id": scope.regulatory_body_id or 0})
    if scope.role == Role.WORKER:
        return queryset.filter(**{f"{prefix}worker_id": scope.worker_id or 0})
    if scope.role in REGULATION_READERS:
        return queryset.filter(**{f"{prefix}worker__in": workers_visible(user=user)})
    return queryset.none()


def workers_identifiable(*, user: Any, queryset: QuerySet[Worker] | None = None) -> QuerySet[Worker]:
    """Workers whose identity fields ``user`` may see to register them: a national data manager and a
    registrar every worker (the registrar's pages show identity fields only, never employment), other
    readers the workers they see anyway."""
    scope = scope_of(user)
    base = Worker.objects.all() if queryset is None else queryset
    if scope.is_national or scope.role == Role.REGISTRAR:
        return base
    if scope.role in REGULATION_READERS:
        return workers_visible(user=user, queryset=base)
    return base.none()


def is_register_keeper(*, user: Any) -> bool:
    """Whether ``user`` keeps registers: a national data manager (every body's) or a registrar (their
    body's). They alone open the national exams, the complaints, the registers' figures, their set-up and
    the CPD imports; what each sees there is narrowed to their bodies."""
    return scope_of(user).role in EXAM_AND_CASE_READERS


def require_register_keeper(*, user: Any) -> Scope:
    """Refuse what only register keepers open (``is_register_keeper``) to anyone else: officers and focal
    points (who read registrations) do not, nor do workers, analysts, administrators or outsiders."""
    scope = scope_of(user)
    if not is_register_keeper(user=user):
        raise PermissionDenied(
            gettext(
                "Only a registrar or a national data manager opens the registers' exams, complaints, figures and set-up."
            )
        )
    return scope


def exams_and_cases_visible(*, user: Any, queryset: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    """Complaints (``prefix=""``), exam sessions (``prefix="register__"``) or other rows of a body reached
    through ``prefix`` that ``user`` may see: a national data manager all, a registrar their body's,
    nobody else any. Whether the complainant and the case file are shown is ``may_see_case_file``."""
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.role == Role.REGISTRAR:
        return queryset.filter(**{f"{prefix}body_id": scope.regulatory_body_id or 0})
    return queryset.none()


def may_see_case_file(*, user: Any, body_id: int) -> bool:
    """Whether ``user`` may see a complaint's complainant and case file: the registrar's office of the body
    ``body_id`` only (not a national data manager, who sees the case and its outcome without them)."""
    scope = scope_of(user)
    return scope.role == Role.REGISTRAR and scope.regulatory_body_id == body_id


def own_worker_id(*, user: Any) -> int:
    """The worker record of a worker's own login; refuses every other user."""
    scope = scope_of(user)
    if scope.role != Role.WORKER or scope.worker_id is None:
        raise PermissionDenied(
            gettext("This page is for workers who were given a login to their own record.")
        )
    return scope.worker_id
