"""National exams' writes, each one atomic and audited with its author, refusing bad input with a message
and writing nothing (``ValidationError``): a register's exam sessions, entering candidates (within the
register's limit of attempts), withdrawing an entry, and recording a result once.

A candidate passes when their score is at least the session's pass mark; a pass in a session held on or
before a day meets a register's exam rule that day (``registration_eligibility``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sswis.access.regulation_policy import require_regulation_change
from sswis.auditing import instance_apply_changes, instance_save_audited
from sswis.registry.models import Worker
from sswis.regulation.models import Register
from sswis.regulation.models_exams import ExamAttempt, ExamSession
from sswis.regulation.selectors_exams import exam_attempts_used, worker_exam_pass


@transaction.atomic
def exam_session_set(
    *,
    actor: Any,
    register: Register,
    code: str,
    held_on: datetime.date,
    pass_mark: Decimal,
    max_score: Decimal,
) -> ExamSession:
    """Create the session ``code`` of ``register``'s exam, or change its day and marks. Refused: a pass
    mark above the maximum score, a negative pass mark, a maximum score of 0 or less, and any change once
    a result is recorded (the results were judged against that day and those marks)."""
    require_regulation_change(user=actor, body_id=register.body_id)
    code = code.strip()
    session = ExamSession.objects.filter(register=register, code=code).first() or ExamSession(
        register=register
    )
    changes = {"code": code, "held_on": held_on, "pass_mark": pass_mark, "max_score": max_score}
    if (
        not session._state.adding
        and any(getattr(session, name) != value for name, value in changes.items())
        and session.attempts.filter(score__isnull=False).exists()
    ):
        raise ValidationError(
            {
                "code": _("Results of session %(code)s are recorded: its day and marks can no longer change.")
                % {"code": code}
            }
        )
    if pass_mark > max_score:
        raise ValidationError(
            {
                "pass_mark": _("The pass mark (%(pass_mark)s) cannot be above the maximum score (%(max)s).")
                % {"pass_mark": pass_mark, "max": max_score}
            }
        )
    instance_apply_changes(session, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return session


@transaction.atomic
def exam_candidate_enter(*, actor: Any, session: ExamSession, worker: Worker) -> ExamAttempt:
    """Enter ``worker`` for ``session``: one more attempt at the register's exam. Refused when they are
    already entered for it, already passed the register's exam, or have used every attempt the register
    allows (``Register.exam_attempts_limit``; the message names the limit and the attempts used)."""
    require_regulation_change(user=actor, body_id=session.register.body_id)
    # Two entries of the same worker at once cannot both pass the limit.
    Worker.objects.select_for_update().filter(pk=worker.pk).first()
    register = session.register
    if session.attempts.filter(worker=worker).exists():
        raise ValidationError(
            {
                "worker": _("%(worker)s is already entered for session %(session)s.")
                % {"worker": worker, "session": session.code}
            }
        )
    passed = worker_exam_pass(register=register, worker=worker)
    if passed is not None:
        raise ValidationError(
            {
                "worker": _("%(worker)s already passed this exam, in session %(session)s.")
                % {"worker": worker, "session": passed.session.code}
            }
        )
    limit = register.exam_attempts_limit
    used = exam_attempts_used(register=register, worker=worker)
    if limit is not None and used >= limit:
        raise ValidationError(
            {
                "worker": ngettext(
                    "The register %(register)s allows %(limit)d attempt at its exam; %(worker)s has used "
                    "%(used)d.",
                    "The register %(register)s allows %(limit)d attempts at its exam; %(worker)s has used "
                    "%(used)d.",
                    limit,
                )
                % {"register": register.code, "limit": limit, "worker": worker, "used": used}
            }
        )
    attempt = ExamAttempt(session=session, worker=worker)
    attempt.full_clean()
    instance_save_audited(attempt, actor=actor)
    return attempt


@transaction.atomic
def exam_candidate_withdraw(*, actor: Any, attempt: ExamAttempt) -> None:
    """Withdraw an entry made by mistake (it no longer counts as an attempt). Refused once its result is
    recorded."""
    require_regulation_change(user=actor, body_id=attempt.session.register.body_id)
    attempt = ExamAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.score is not None:
        raise ValidationError(
            {"attempt": _("A result is recorded for this entry: it can no longer be withdrawn.")}
        )
    attempt._history_user = actor  # type: ignore[attr-defined]  # the author of the deletion's record
    attempt.delete()


@transaction.atomic
def exam_result_record(*, actor: Any, attempt: ExamAttempt, score: Decimal) -> ExamAttempt:
    """Record a candidate's score: passed when it is at least the session's pass mark. Refused: a
    negative score, a score above the session's maximum, and a second result for the same entry."""
    require_regulation_change(user=actor, body_id=attempt.session.register.body_id)
    # Locked: two results recorded at once cannot both pass the check below.
    locked = ExamAttempt.objects.select_for_update().select_related("session", "worker").get(pk=attempt.pk)
    session = locked.session
    if locked.score is not None:
        raise ValidationError(
            {
                "score": _("A result (%(score)s) is already recorded for %(worker)s in session %(session)s.")
                % {"score": locked.score, "worker": locked.worker, "session": session.code}
            }
        )
    if score < 0:
        raise ValidationError({"score": _("A score cannot be negative (%(score)s).") % {"score": score}})
    if score > session.max_score:
        raise ValidationError(
            {
                "score": _("The score %(score)s is above the maximum score of session %(session)s (%(max)s).")
                % {"score": score, "session": session.code, "max": session.max_score}
            }
        )
    locked.score = score
    locked.full_clean()
    instance_save_audited(locked, actor=actor, update_fields=["score", "updated_at"])
    attempt.score = locked.score
    return locked
