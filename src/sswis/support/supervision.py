"""The writes of supervision: the country's rules, supervision relationships and sessions.

Every function takes a keyword-only ``actor`` (the author of the audit record), runs in one transaction,
checks with ``sswis.access.support_policy`` that the actor may change the records of both workers (the
rules: a national data manager) and refuses bad input with a ``ValidationError`` naming the field,
writing nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.support_policy import require_rules_change, require_workers_change
from sswis.auditing import instance_apply_changes
from sswis.registry.models import Worker
from sswis.support.models import (
    RecordSource,
    SupervisionKind,
    SupervisionMode,
    SupervisionRelationship,
    SupervisionRules,
    SupervisionSession,
)
from sswis.text import text_problem, text_problem_message

RULES_FIELDS = (
    "supervisees_when_only_duty",
    "supervisees_otherwise",
    "must_be_registered",
    "minimum_experience_years",
    "supervision_course",
    "auxiliary_mentor_years",
)
RELATIONSHIP_FIELDS = ("end_date", "kind", "mode", "supervision_only_duty")
SESSION_FIELDS = ("duration_minutes", "kind", "topics")


def rules_current() -> SupervisionRules:
    """The country's supervision rules: the one stored row, or the guidelines' defaults (1 supervisor to
    10 supervisees when supervising is their only duty, 6 otherwise; registered; 2 years of experience;
    auxiliary mentors with 5 years) when none is stored yet (not saved: reading writes nothing)."""
    return SupervisionRules.objects.order_by("pk").first() or SupervisionRules()


@transaction.atomic
def rules_change(*, actor: Any, changes: dict[str, Any]) -> SupervisionRules:
    """Change the country's supervision rules (a national data manager); the first change stores them."""
    require_rules_change(user=actor)
    rules = SupervisionRules.objects.select_for_update().order_by("pk").first() or SupervisionRules()
    instance_apply_changes(rules, actor=actor, changes=changes, allowed_fields=RULES_FIELDS)
    return rules


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This day is in the future.")})


def _two_workers(supervisor: Worker, supervisee: Worker) -> None:
    if supervisor.pk == supervisee.pk:
        raise ValidationError({"supervisee": _("A worker cannot supervise themselves.")})


def _choice(value: str, choices: type[SupervisionKind] | type[SupervisionMode], field: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            {
                field: _("Unknown value %(value)s: choose one of %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)}
            }
        )
    return value


@transaction.atomic
def relationship_create(
    *,
    actor: Any,
    supervisor: Worker,
    supervisee: Worker,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    kind: str = SupervisionKind.SUPPORTIVE,
    mode: str = SupervisionMode.INDIVIDUAL,
    supervision_only_duty: bool = False,
) -> SupervisionRelationship:
    """Record that ``supervisor`` supervises ``supervisee`` from ``start_date`` (to ``end_date``; empty:
    still running). Refused: a worker supervising themselves, an end before the start, a start in the
    future, and a second relationship of the same two workers starting the same day."""
    require_workers_change(user=actor, workers=[supervisor, supervisee])
    _two_workers(supervisor, supervisee)
    _not_future(start_date, "start_date")
    if SupervisionRelationship.objects.filter(
        supervisor=supervisor, supervisee=supervisee, start_date=start_date
    ).exists():
        raise ValidationError(
            {
                "start_date": _("%(supervisor)s already supervises %(supervisee)s from %(day)s.")
                % {
                    "supervisor": supervisor.worker_id,
                    "supervisee": supervisee.worker_id,
                    "day": start_date.isoformat(),
                }
            }
        )
    relationship = SupervisionRelationship(supervisor=supervisor, supervisee=supervisee)
    changes = {
        "start_date": start_date,
        "end_date": end_date,
        "kind": _choice(kind, SupervisionKind, "kind"),
        "mode": _choice(mode, SupervisionMode, "mode"),
        "supervision_only_duty": supervision_only_duty,
    }
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The end cannot be before the start.")})
    instance_apply_changes(relationship, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return relationship


@transaction.atomic
def relationship_change(
    *, actor: Any, relationship: SupervisionRelationship, changes: dict[str, Any]
) -> SupervisionRelationship:
    """Change a relationship's end, kind, mode or whether supervising is the supervisor's only duty (the
    two workers and the start identify it: end it and start another instead)."""
    require_workers_change(user=actor, workers=[relationship.supervisor, relationship.supervisee])
    if "kind" in changes:
        _choice(changes["kind"], SupervisionKind, "kind")
    if "mode" in changes:
        _choice(changes["mode"], SupervisionMode, "mode")
    end_date = changes.get("end_date", relationship.end_date)
    if end_date is not None and end_date < relationship.start_date:
        raise ValidationError({"end_date": _("The end cannot be before the start.")})
    instance_apply_changes(relationship, actor=actor, changes=changes, allowed_fields=RELATIONSHIP_FIELDS)
    return relationship


def relationship_end(
    *, actor: Any, relationship: SupervisionRelationship, end_date: datetime.date
) -> SupervisionRelationship:
    """Record the relationship's last day."""
    return relationship_change(actor=actor, relationship=relationship, changes={"end_date": end_date})


def _topics_checked(topics: str) -> str:
    topics = topics.strip()
    problem = text_problem(topics)
    if problem is not None:
        raise ValidationError({"topics": text_problem_message(label=_("Topics"), problem=problem)})
    return topics


@transaction.atomic
def session_record(
    *,
    actor: Any,
    supervisor: Worker,
    supervisee: Worker,
    date: datetime.date,
    duration_minutes: int | None = None,
    kind: str = SupervisionKind.SUPPORTIVE,
    topics: str = "",
    source: str = RecordSource.ENTERED,
) -> SupervisionSession:
    """Record a supervision session of ``supervisor`` with ``supervisee`` on ``date``. Refused: a worker
    with themselves, a day in the future, and a second session of the same two workers on the same day."""
    require_workers_change(user=actor, workers=[supervisor, supervisee])
    _two_workers(supervisor, supervisee)
    _not_future(date, "date")
    if SupervisionSession.objects.filter(supervisor=supervisor, supervisee=supervisee, date=date).exists():
        raise ValidationError(
            {
                "date": _("A session of %(supervisor)s with %(supervisee)s on %(day)s is already recorded.")
                % {
                    "supervisor": supervisor.worker_id,
                    "supervisee": supervisee.worker_id,
                    "day": date.isoformat(),
                }
            }
        )
    session = SupervisionSession(supervisor=supervisor, supervisee=supervisee)
    changes = {
        "date": date,
        "duration_minutes": duration_minutes,
        "kind": _choice(kind, SupervisionKind, "kind"),
        "topics": _topics_checked(topics),
        "source": source,
    }
    instance_apply_changes(session, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return session


@transaction.atomic
def session_change(*, actor: Any, session: SupervisionSession, changes: dict[str, Any]) -> SupervisionSession:
    """Change a session's duration, kind or topics."""
    require_workers_change(user=actor, workers=[session.supervisor, session.supervisee])
    if "kind" in changes:
        _choice(changes["kind"], SupervisionKind, "kind")
    if "topics" in changes:
        changes = {**changes, "topics": _topics_checked(changes["topics"])}
    instance_apply_changes(session, actor=actor, changes=changes, allowed_fields=SESSION_FIELDS)
    return session


@transaction.atomic
def session_delete(*, actor: Any, session: SupervisionSession) -> None:
    """Remove a session recorded in error; its audit record keeps it, with who removed it."""
    require_workers_change(user=actor, workers=[session.supervisor, session.supervisee])
    session._history_user = actor  # type: ignore[attr-defined]
    session.delete()
