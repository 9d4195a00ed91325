"""National exams' input forms, shared by the pages and the API like a registration's (``steps``): a new
session (``SessionForm``), and the steps on a session (``EXAM_STEPS``), each the form of one service of
``exams`` whose refusal comes back on the form (page) or as a 400 naming the field (API).

A candidate is named by their worker ID among the workers the acting user may identify
(``workers_identifiable``); a result or a withdrawal names the entry (``attempt``, its id) among the
session's. Nothing here decides who may act: the services ask ``access``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

from sswis.access.regulation_policy import workers_identifiable
from sswis.forms_base import CheckedForm, CodeLookupField
from sswis.regulation import exams
from sswis.regulation.models import Register
from sswis.regulation.models_exams import SCORE, ExamAttempt, ExamSession
from sswis.regulation.steps import day_field


def score_field(label: Any, *, minimum: str = "0") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=SCORE["max_digits"],
        decimal_places=SCORE["decimal_places"],
        min_value=Decimal(minimum),
    )


class SessionMarksForm(CheckedForm):
    """A session's day and marks (a correction of a session keeps its register and code)."""

    held_on = day_field(gettext_lazy("Held on"))
    pass_mark = score_field(gettext_lazy("Pass mark"))
    max_score = score_field(gettext_lazy("Maximum score"), minimum="0.01")


class SessionForm(SessionMarksForm):
    """A new session of a register's exam: the register (by code, among ``registers``: those the user
    keeps), a code not yet used in that register, the day and the marks."""

    register = CodeLookupField(
        label=gettext_lazy("Register"), queryset=Register.objects.none(), to_field_name="code"
    )
    code = forms.CharField(
        label=gettext_lazy("Session code"),
        max_length=50,
        help_text=gettext_lazy("Unique in the register, e.g. 2025-1."),
    )
    field_order = ["register", "code", "held_on", "pass_mark", "max_score"]

    def __init__(self, *args: Any, registers: QuerySet[Register], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = registers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        register, code = data.get("register"), (data.get("code") or "").strip()
        # A new session only: exam_session_set would change the existing one of that code.
        if register is not None and code and register.exam_sessions.filter(code=code).exists():
            self.add_error(
                "code",
                gettext("The register %(register)s already has a session %(code)s.")
                % {"register": register.code, "code": code},
            )
        return data


def session_create(*, actor: Any, data: dict[str, Any]) -> ExamSession:
    """Create the session a valid ``SessionForm`` describes (``exam_session_set``)."""
    return exams.exam_session_set(
        actor=actor,
        register=data["register"],
        code=data["code"],
        held_on=data["held_on"],
        pass_mark=data["pass_mark"],
        max_score=data["max_score"],
    )


class EnterForm(CheckedForm):
    worker_id = forms.CharField(
        label=gettext_lazy("Worker ID"),
        max_length=64,
        help_text=gettext_lazy("The candidate's worker ID in the registry."),
    )


def _candidate_label(attempt: ExamAttempt) -> str:
    if attempt.score is None:
        return str(attempt.worker)
    return gettext("%(worker)s: %(score)s") % {"worker": attempt.worker, "score": attempt.score}


class _AttemptForm(CheckedForm):
    """A form naming one of the session's entries (``attempt``: its id). Entries with a result are among
    the choices too: their service then says why the step is refused (a result is recorded)."""

    attempt = forms.ModelChoiceField(label=gettext_lazy("Candidate"), queryset=ExamAttempt.objects.none())

    def __init__(self, *args: Any, session: ExamSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attempt"]
        field.queryset = session.attempts.select_related("worker", "session").order_by(  # type: ignore[attr-defined]
            "worker__family_name", "worker__given_name", "pk"
        )
        field.label_from_instance = _candidate_label  # type: ignore[attr-defined]


class ResultForm(_AttemptForm):
    score = score_field(gettext_lazy("Score"))


class WithdrawForm(_AttemptForm):
    pass


def _candidate(actor: Any, worker_id: str) -> Any:
    worker = workers_identifiable(user=actor).filter(worker_id=worker_id.strip()).first()
    if worker is None:
        raise ValidationError({"worker_id": gettext("No worker has this worker ID.")})
    return worker


@dataclass(frozen=True)
class ExamStep:
    """One step on an exam session: its title, its form and the call of its service with the form's
    cleaned data."""

    title: Any
    form: type[forms.Form]
    run: Callable[[Any, ExamSession, dict[str, Any]], Any]


EXAM_STEPS: dict[str, ExamStep] = {
    "enter": ExamStep(
        gettext_lazy("Enter a candidate"),
        EnterForm,
        lambda actor, session, data: exams.exam_candidate_enter(
            actor=actor, session=session, worker=_candidate(actor, data["worker_id"])
        ),
    ),
    "result": ExamStep(
        gettext_lazy("Record a result"),
        ResultForm,
        lambda actor, session, data: exams.exam_result_record(
            actor=actor, attempt=data["attempt"], score=data["score"]
        ),
    ),
    "withdraw": ExamStep(
        gettext_lazy("Withdraw a candidate"),
        WithdrawForm,
        lambda actor, session, data: exams.exam_candidate_withdraw(actor=actor, attempt=data["attempt"]),
    ),
    "correct": ExamStep(
        gettext_lazy("Correct the day and marks"),
        SessionMarksForm,
        lambda actor, session, data: exams.exam_session_set(
            actor=actor, register=session.register, code=session.code, **data
        ),
    ),
}


def exam_step_form(name: str, *, session: ExamSession, data: Any = None, prefixed: bool = True) -> forms.Form:
    """The form of step ``name`` on ``session`` (bound to ``data`` when given); on a page each step's
    fields are prefixed by its name, the API sends them bare. The correction starts from the session's
    day and marks."""
    form_class = EXAM_STEPS[name].form
    prefix = name if prefixed else None
    if issubclass(form_class, _AttemptForm):
        return form_class(data, prefix=prefix, session=session)
    if form_class is SessionMarksForm:
        initial = {"held_on": session.held_on, "pass_mark": session.pass_mark, "max_score": session.max_score}
        return form_class(data, prefix=prefix, initial=initial)
    return form_class(data, prefix=prefix)
