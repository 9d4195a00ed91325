"""National exams' reads: a session's candidates and results, a worker's attempts at a register's exam and
how many they have used, and whether they passed it by a day."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models

from sswis.regulation.models_exams import ExamAttempt, ExamSession

if TYPE_CHECKING:
    from sswis.registry.models import Worker
    from sswis.regulation.models import Register


def exam_attempts_used(*, register: Register, worker: Worker) -> int:
    """How many times ``worker`` was entered for a session of ``register``'s exam (every entry counts,
    sat or not, passed or not)."""
    return ExamAttempt.objects.filter(session__register=register, worker=worker).count()


def worker_exam_attempts(*, register: Register, worker: Worker) -> list[ExamAttempt]:
    """``worker``'s attempts at ``register``'s exam, oldest session first, with their sessions."""
    return list(
        ExamAttempt.objects.filter(session__register=register, worker=worker)
        .select_related("session")
        .order_by("session__held_on", "session__code", "pk")
    )


def worker_exam_pass(
    *, register: Register, worker: Worker, day: datetime.date | None = None
) -> ExamAttempt | None:
    """``worker``'s first pass (score at least the pass mark) in a session of ``register`` held on or
    before ``day`` (any day when ``None``); ``None`` when there is none (a later pass does not count for
    an earlier day)."""
    passes = ExamAttempt.objects.filter(
        session__register=register, worker=worker, score__gte=models.F("session__pass_mark")
    )
    if day is not None:
        passes = passes.filter(session__held_on__lte=day)
    return passes.select_related("session").order_by("session__held_on", "pk").first()


def exam_session_candidates(*, session: ExamSession) -> list[ExamAttempt]:
    """The workers entered for ``session`` with their results (``score`` ``None`` until recorded), by
    family name; one query whatever their number."""
    return list(
        session.attempts.select_related("worker", "session").order_by(
            "worker__family_name", "worker__given_name", "pk"
        )
    )


def exam_sessions_counted(*, queryset: models.QuerySet[ExamSession]) -> models.QuerySet[ExamSession]:
    """The sessions of ``queryset``, latest first, each with its register and body, ``candidates`` (the
    workers entered) and ``passes`` (their scores at least the pass mark) counted: one query whatever
    their number (a page of it: the page's slice)."""
    return (
        queryset.select_related("register__body")
        .annotate(
            candidates=models.Count("attempts"),
            passes=models.Count("attempts", filter=models.Q(attempts__score__gte=models.F("pass_mark"))),
        )
        .order_by("-held_on", "code", "pk")
    )


def exam_sessions(*, register: Register) -> list[ExamSession]:
    """``register``'s exam sessions, latest first, each with ``candidates`` and ``passes`` counted (one
    query)."""
    return list(exam_sessions_counted(queryset=register.exam_sessions.all()))
