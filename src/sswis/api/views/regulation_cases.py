"""National exams and complaints through the API, with the same forms and services as the pages
(``regulation.exam_steps``, ``regulation.complaint_steps``): the exam sessions (paginated) and a new one,
one session with its candidates and each step on it (``POST .../{id}/{step}/``); the complaints (paginated,
``?stage=``) and a new one, one complaint's case and each step of it.

For a registrar (their body's) and a national data manager (every body's) only: anyone else gets 403,
another body's session or complaint is a 404. A complaint's complainant and case file are in its answer
for the body's registrar's office alone (``complainant_*`` and ``case_file`` are ``null`` for anyone else,
and lists never have them). Bad input is a 400 naming the field; a refused step writes nothing."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import regulation_policy
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import REGISTER_KEEPERS
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin, form_cleaned_data, form_data
from sswis.regulation.complaint_steps import (
    COMPLAINT_STEPS,
    ReceiveForm,
    complaint_receive_from,
    complaint_step_check,
    complaint_step_form,
    complaint_steps_open,
)
from sswis.regulation.exam_steps import EXAM_STEPS, SessionForm, exam_step_form, session_create
from sswis.regulation.models import Register, RegulatoryBody
from sswis.regulation.models_discipline import Complaint, ComplaintStage
from sswis.regulation.models_exams import ExamSession
from sswis.regulation.selectors_discipline import (
    ComplaintCase,
    complaint_case,
    complaint_cases_by_id,
    complaint_ids,
)
from sswis.regulation.selectors_exams import exam_session_candidates, exam_sessions_counted


def _decimals_as_text(value: Any) -> Any:
    """``value`` with every ``Decimal`` in it as text (``"50.00"``), as the API's serializers give them."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _decimals_as_text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_decimals_as_text(item) for item in value]
    return value


# --- exams ------------------------------------------------------------------------------------------------


class ExamSessionListedSerializer(serializers.ModelSerializer[ExamSession]):
    register = serializers.CharField(source="register.code")
    body = serializers.CharField(source="register.body.code")
    candidates = serializers.IntegerField(help_text=gettext_lazy("workers entered (every entry an attempt)"))
    passes = serializers.IntegerField(help_text=gettext_lazy("candidates who scored at least the pass mark"))

    class Meta:
        model = ExamSession
        fields = [
            "id",
            "register",
            "body",
            "code",
            "held_on",
            "pass_mark",
            "max_score",
            "candidates",
            "passes",
        ]


class ExamSessionRequestSerializer(serializers.Serializer[Any]):
    """What a new session is given (validated by ``regulation.exam_steps.SessionForm``)."""

    register = serializers.CharField(help_text=gettext_lazy("a register's code"))
    code = serializers.CharField(max_length=50, help_text=gettext_lazy("unique in the register"))
    held_on = serializers.DateField()
    pass_mark = serializers.DecimalField(max_digits=7, decimal_places=2)
    max_score = serializers.DecimalField(max_digits=7, decimal_places=2)


def _sessions(request: Request) -> QuerySet[ExamSession]:
    return regulation_policy.exams_and_cases_visible(
        user=request.user, queryset=ExamSession.objects.all(), prefix="register__"
    )


def _session_json(session: ExamSession) -> dict[str, Any]:
    found = {
        "id": session.pk,
        "register": session.register.code,
        "body": session.register.body.code,
        "code": session.code,
        "held_on": session.held_on,
        "pass_mark": session.pass_mark,
        "max_score": session.max_score,
        "attempts_limit": session.register.exam_attempts_limit,
        "candidates": [
            {
                "attempt": attempt.pk,
                "worker_id": attempt.worker.worker_id,
                "given_name": attempt.worker.given_name,
                "family_name": attempt.worker.family_name,
                "score": attempt.score,
                "passed": attempt.passed,
            }
            for attempt in exam_session_candidates(session=session)
        ],
        "steps": list(EXAM_STEPS),
    }
    return dict(_decimals_as_text(found))


class ExamSessionListView(ServiceErrorsMixin, generics.ListAPIView[ExamSession]):
    """The exam sessions of the registers the user keeps, latest first, with their candidates and passes
    counted; a new session (POST) of a register the user keeps."""

    permission_classes = REGISTER_KEEPERS
    pagination_class = ApiPagination
    serializer_class = ExamSessionListedSerializer

    def get_queryset(self) -> Any:
        return exam_sessions_counted(queryset=_sessions(self.request))

    @extend_schema(request=ExamSessionRequestSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        """Create a session; 400 naming the field (a register the user does not keep is not a choice)."""
        registers = regulation_policy.registers_changeable(
            user=request.user, queryset=Register.objects.select_related("body")
        )
        form = SessionForm(form_data(request), registers=registers)
        session = session_create(actor=request.user, data=form_cleaned_data(form))
        session.refresh_from_db()  # the marks as stored (50.00, not the 50 given)
        return Response(_session_json(session), status=status.HTTP_201_CREATED)


def _session(request: Request, pk: int) -> ExamSession:
    return get_object_or_404(_sessions(request).select_related("register__body"), pk=pk)


class ExamSessionDetailView(ServiceAPIView):
    """One session: its register, day and marks, the register's limit of attempts, the candidates with
    their scores (``null`` until recorded) and whether they passed, and the steps."""

    permission_classes = REGISTER_KEEPERS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_session_json(_session(request, pk)))


class ExamSessionStepView(ServiceAPIView):
    """Take one step on a session: ``enter`` ``{"worker_id"}``, ``result`` ``{"attempt", "score"}``,
    ``withdraw`` ``{"attempt"}``, ``correct`` ``{"held_on", "pass_mark", "max_score"}`` (until a result is
    recorded). Refused (403) to anyone but the body's registrar or a national data manager; bad input or a
    refusal is a 400 and writes nothing; the answer is the session after the step."""

    permission_classes = REGISTER_KEEPERS

    @extend_schema(
        operation_id="regulation_exam_step", request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT
    )
    def post(self, request: Request, pk: int, step: str) -> Response:
        if step not in EXAM_STEPS:
            raise NotFound(gettext("There is no step %(step)r.") % {"step": step})
        session = _session(request, pk)
        regulation_policy.require_regulation_change(user=request.user, body_id=session.register.body_id)
        form = exam_step_form(step, session=session, data=form_data(request), prefixed=False)
        EXAM_STEPS[step].run(request.user, session, form_cleaned_data(form))
        session.refresh_from_db()
        return Response(_session_json(session))


# --- complaints -------------------------------------------------------------------------------------------


class ComplaintListedSerializer(serializers.Serializer[ComplaintCase]):
    """A complaint in a list (never its complainant or case file)."""

    id = serializers.IntegerField()
    body = serializers.CharField(source="body_code")
    worker_id = serializers.CharField(source="worker_code")
    worker_name = serializers.CharField()
    registration_id = serializers.IntegerField(allow_null=True)
    register = serializers.CharField(source="register_code")
    registration_number = serializers.CharField()
    received_on = serializers.DateField()
    # Plain text, not enums: the choice lists are the model's, documented there.
    stage = serializers.CharField(help_text=", ".join(ComplaintStage.values))
    outcome = serializers.CharField(help_text=gettext_lazy("empty until decided"))
    decided_on = serializers.DateField(allow_null=True)


class ComplaintRequestSerializer(serializers.Serializer[Any]):
    """What a complaint received is given (validated by ``regulation.complaint_steps.ReceiveForm``)."""

    body = serializers.CharField(help_text=gettext_lazy("the regulatory body's code"))
    registration_number = serializers.CharField(required=False, max_length=50)
    worker_id = serializers.CharField(
        required=False,
        max_length=64,
        help_text=gettext_lazy("the registration number, the worker ID, or both"),
    )
    complainant_kind = serializers.CharField(help_text=gettext_lazy("public, employer or anonymous"))
    complainant_name = serializers.CharField(required=False, max_length=200)
    complainant_contact = serializers.CharField(required=False, max_length=200)
    received_on = serializers.DateField()
    summary = serializers.CharField()


def _complaints(request: Request) -> QuerySet[Complaint]:
    return regulation_policy.exams_and_cases_visible(user=request.user, queryset=Complaint.objects.all())


def _case_json(case: ComplaintCase, *, steps: list[str]) -> dict[str, Any]:
    found = asdict(case)
    found["worker_id"] = found.pop("worker_code")  # the registry's worker ID, as elsewhere in the API
    return dict(_decimals_as_text(found | {"steps": steps}))


def _complaint_answer(request: Request, complaint: Complaint) -> dict[str, Any]:
    shown = regulation_policy.may_see_case_file(user=request.user, body_id=complaint.body_id)
    case = complaint_case(complaint_id=complaint.pk, may_see_case_file=shown)
    assert case is not None  # the complaint exists
    return _case_json(case, steps=complaint_steps_open(complaint=complaint, user=request.user))


class ComplaintListView(ServiceErrorsMixin, generics.ListAPIView[Any]):
    """The complaints to the bodies the user keeps, latest received first (``?stage=``); a complaint
    received (POST) by a body the user keeps."""

    permission_classes = REGISTER_KEEPERS
    pagination_class = ApiPagination
    serializer_class = ComplaintListedSerializer

    def get_queryset(self) -> Any:
        stage = self.request.query_params.get("stage", "")
        if stage and stage not in ComplaintStage.values:
            raise ValidationError(
                {
                    "stage": [
                        gettext("Choose one of: %(values)s.") % {"values": ", ".join(ComplaintStage.values)}
                    ]
                }
            )
        return complaint_ids(queryset=_complaints(self.request), stage=stage)

    def paginate_queryset(self, queryset: Any) -> Any:
        # A page of ids, read as cases (a fixed number of queries whatever the page's size).
        page = super().paginate_queryset(queryset)
        return complaint_cases_by_id(complaint_ids=list(page or []), may_see_case_file=False)

    @extend_schema(parameters=[OpenApiParameter("stage", str, enum=ComplaintStage.values)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ComplaintRequestSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        """Receive a complaint; 400 naming the field (a body the user does not keep is not a choice)."""
        bodies = regulation_policy.bodies_changeable(user=request.user, queryset=RegulatoryBody.objects.all())
        form = ReceiveForm(form_data(request), bodies=bodies)
        complaint = complaint_receive_from(actor=request.user, data=form_cleaned_data(form))
        return Response(_complaint_answer(request, complaint), status=status.HTTP_201_CREATED)


def _complaint(request: Request, pk: int) -> Complaint:
    return get_object_or_404(_complaints(request), pk=pk)


class ComplaintDetailView(ServiceAPIView):
    """One complaint's case: the worker, the summary, each stage's day, the outcome, the sanctions with
    their periods, the appeal (and its deadline), the steps that apply now; the complainant and the case
    file for the body's registrar's office only (``case_file_shown``; ``null`` otherwise)."""

    permission_classes = REGISTER_KEEPERS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_complaint_answer(request, _complaint(request, pk)))


class ComplaintStepView(ServiceAPIView):
    """Take one step of a complaint's case: ``investigate`` ``{"on"}``, ``hearing`` ``{"hearing_on"}``,
    ``case_file`` ``{"kind", "recorded_on", "title", "text"}`` (the registrar's office only), ``decide``
    ``{"outcome", "decided_on", "registration", "amount", "starts_on", "ends_on", "conditions"}``, ``appeal``
    ``{"lodged_on", "grounds"}``, ``appeal_decide`` ``{"decision", "decided_on", "kind", "amount",
    "starts_on", "ends_on", "conditions"}`` — a sanction's terms only those it takes. Refused (403) to anyone
    but the body's registrar or a national data manager; a step out of order, bad input or another refusal
    is a 400 and writes nothing; the answer is the case after the step."""

    permission_classes = REGISTER_KEEPERS

    @extend_schema(
        operation_id="regulation_complaint_step", request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT
    )
    def post(self, request: Request, pk: int, step: str) -> Response:
        if step not in COMPLAINT_STEPS:
            raise NotFound(gettext("There is no step %(step)r.") % {"step": step})
        complaint = _complaint(request, pk)
        regulation_policy.require_regulation_change(user=request.user, body_id=complaint.body_id)
        complaint_step_check(step, complaint=complaint, user=request.user)
        form = complaint_step_form(step, complaint=complaint, data=form_data(request), prefixed=False)
        COMPLAINT_STEPS[step].run(request.user, complaint, form_cleaned_data(form))
        complaint.refresh_from_db()
        return Response(_complaint_answer(request, complaint))
