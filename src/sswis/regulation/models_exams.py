"""National exams: sessions of a register's exam and the workers entered for them (their attempts).

A session is held on a day with a pass mark and a maximum score; a candidate passes when their score is
at least the pass mark. Every entry counts as an attempt towards the register's limit
(``Register.exam_attempts_limit``), whether or not the candidate sat the exam. Every change is audited.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.text import PrintableTextValidator

SCORE = {"max_digits": 7, "decimal_places": 2}


class ExamSession(models.Model):
    """One sitting of a register's national exam: its code (unique in the register), the day it is held,
    the pass mark and the maximum score (both scores, e.g. 50 of 100)."""

    register = models.ForeignKey(
        "regulation.Register", on_delete=models.PROTECT, related_name="exam_sessions"
    )
    code = models.CharField(_("code"), max_length=50, validators=[PrintableTextValidator()])
    held_on = models.DateField(_("held on"))
    pass_mark = models.DecimalField(
        _("pass mark"),
        validators=[MinValueValidator(Decimal("0"))],
        **SCORE,  # type: ignore[arg-type]
    )
    max_score = models.DecimalField(
        _("maximum score"),
        validators=[MinValueValidator(Decimal("0.01"))],
        **SCORE,  # type: ignore[arg-type]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["register", "held_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["register", "code"], name="exam_session_code_unique"),
            models.CheckConstraint(
                name="exam_session_pass_mark", condition=models.Q(pass_mark__lte=models.F("max_score"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.held_on})"


class ExamAttempt(models.Model):
    """A worker entered for a session: one attempt at the register's exam. ``score`` is empty until the
    result is recorded (once)."""

    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="attempts")
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="exam_attempts")
    score = models.DecimalField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        **SCORE,  # type: ignore[arg-type]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditHistory()

    class Meta:
        ordering = ["session", "worker", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "worker"], name="exam_attempt_unique"),
            models.CheckConstraint(name="exam_attempt_score", condition=models.Q(score__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.worker_id} {self.score if self.score is not None else '-'}"

    @property
    def passed(self) -> bool | None:
        """Whether the score reaches the session's pass mark; ``None`` while no result is recorded."""
        if self.score is None:
            return None
        return self.score >= self.session.pass_mark
