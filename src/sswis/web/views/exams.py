"""The national exams' pages: the sessions of the registers the user keeps, a new session, and one session
with its candidates and results and the steps on it (``regulation.exam_steps.EXAM_STEPS``).

For a registrar (their body's registers) and a national data manager (every body's) only
(``access.regulation_policy``); officers, focal points, workers and analysts get 403. A refused step is
shown on its form (400) and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import regulation_policy
from sswis.regulation.exam_steps import EXAM_STEPS, SessionForm, exam_step_form, session_create
from sswis.regulation.models import Register
from sswis.regulation.models_exams import ExamSession
from sswis.regulation.selectors_exams import exam_session_candidates, exam_sessions_counted
from sswis.web.decorators import register_keepers_required
from sswis.web.forms import form_add_service_errors
from sswis.web.views.common import page_of


def _sessions(user: Any) -> QuerySet[ExamSession]:
    return regulation_policy.exams_and_cases_visible(
        user=user, queryset=ExamSession.objects.all(), prefix="register__"
    )


def _changeable_registers(user: Any) -> QuerySet[Register]:
    return regulation_policy.registers_changeable(user=user, queryset=Register.objects.select_related("body"))


@register_keepers_required
def exam_list_view(request: HttpRequest) -> HttpResponse:
    """The exam sessions of the registers the user keeps, latest first, with how many candidates each
    has and how many passed; 50 a page."""
    sessions = exam_sessions_counted(queryset=_sessions(request.user))
    return render(
        request,
        "web/regulation/exams.html",
        {
            "nav": "exams",
            "page_obj": page_of(request, sessions),
            "may_create": _changeable_registers(request.user).exists(),
        },
    )


@register_keepers_required
def exam_session_new_view(request: HttpRequest) -> HttpResponse:
    """Create a session of a register's exam the user keeps (``exam_session_set``), then show it."""
    registers = _changeable_registers(request.user)
    if not registers.exists():
        raise PermissionDenied(_("Only a registrar or a national data manager holds exam sessions."))
    form = SessionForm(request.POST or None, registers=registers)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The exam session is created."))
            return redirect("web:exam_detail", pk=session.pk)
    return render(
        request,
        "web/regulation/exam_new.html",
        {"nav": "exams", "form": form},
        status=400 if form.errors else 200,
    )


def _visible_session(request: HttpRequest, pk: int) -> ExamSession:
    return get_object_or_404(_sessions(request.user).select_related("register__body"), pk=pk)


def _detail(
    request: HttpRequest, session: ExamSession, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    changeable = regulation_policy.may_change_regulation(user=request.user, body_id=session.register.body_id)
    candidates = exam_session_candidates(session=session)
    steps = []
    if changeable:
        for name, step in EXAM_STEPS.items():
            pending = any(candidate.score is None for candidate in candidates)
            if name in ("result", "withdraw") and not pending and name not in forms:
                continue  # no entry without a result
            steps.append((name, step, forms.get(name) or exam_step_form(name, session=session)))
    return render(
        request,
        "web/regulation/exam.html",
        {"nav": "exams", "session": session, "candidates": candidates, "steps": steps},
        status=status,
    )


@register_keepers_required
def exam_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One session: its register, day and marks, the candidates with their results, and the steps."""
    return _detail(request, _visible_session(request, pk), {})


@register_keepers_required
@require_POST
def exam_step_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take one step (``EXAM_STEPS``) on a session; refused (403) to anyone but the body's registrar or a
    national data manager; a refusal is shown on the step's form (400) and writes nothing."""
    if step not in EXAM_STEPS:
        raise Http404
    session = _visible_session(request, pk)
    regulation_policy.require_regulation_change(user=request.user, body_id=session.register.body_id)
    form = exam_step_form(step, session=session, data=request.POST)
    if form.is_valid():
        try:
            EXAM_STEPS[step].run(request.user, session, form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": EXAM_STEPS[step].title})
            return redirect("web:exam_detail", pk=session.pk)
    session.refresh_from_db()
    return _detail(request, session, {step: form}, status=400)
