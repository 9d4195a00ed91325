"""Complaints' input forms, shared by the pages and the API like a registration's (``steps``): receiving a
complaint (``ReceiveForm``) and the steps of its case (``COMPLAINT_STEPS``), each the form of one service
of ``discipline`` whose refusal comes back on the form (page) or as a 400 naming the field (API).

A complaint names the worker complained about by a registration number of the body or a worker ID (among
the workers the acting user may identify). The case file is the registrar's office's alone
(``may_see_case_file``): only that office is offered, and may take, the step adding to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

from sswis.access.regulation_policy import may_see_case_file, workers_identifiable
from sswis.forms_base import CheckedForm, CodeLookupField, DateInput
from sswis.regulation import discipline
from sswis.regulation.models import Registration, RegulatoryBody
from sswis.regulation.models_discipline import (
    MONEY,
    Appeal,
    AppealDecision,
    CaseFileEntryKind,
    ComplainantKind,
    Complaint,
    ComplaintStage,
    Outcome,
    SanctionKind,
)
from sswis.regulation.steps import day_field


def _text(
    label: Any, *, max_length: int | None = None, rows: int = 0, required: bool = True
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget)


def _optional_day(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), required=False)


@contextmanager
def _fields_named(names: Mapping[str, str]) -> Iterator[None]:
    """A service's refusal of ``registration``/``worker`` named as the form's fields, so that the page
    shows it on the field and the API names what the request sent."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {names.get(name, name): errors for name, errors in error.error_dict.items()}
        ) from error


class ReceiveForm(CheckedForm):
    """A complaint received: the body (by code, among ``bodies``: those the user keeps), the worker
    complained about (a registration number of the body, or a worker ID, or both), who complains, when,
    and what about."""

    body = CodeLookupField(
        label=gettext_lazy("Regulatory body"), queryset=RegulatoryBody.objects.none(), to_field_name="code"
    )
    registration_number = _text(gettext_lazy("Registration number"), max_length=50, required=False)
    worker_id = forms.CharField(
        label=gettext_lazy("Worker ID"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("The registration number, the worker ID, or both."),
    )
    complainant_kind = forms.ChoiceField(label=gettext_lazy("Complainant"), choices=ComplainantKind.choices)
    complainant_name = _text(gettext_lazy("Complainant's name"), max_length=200, required=False)
    complainant_contact = _text(gettext_lazy("Complainant's contact"), max_length=200, required=False)
    received_on = day_field(gettext_lazy("Received on"))
    summary = _text(gettext_lazy("Summary"), rows=4)

    def __init__(self, *args: Any, bodies: QuerySet[RegulatoryBody], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("registration_number") and not data.get("worker_id"):
            self.add_error(
                "registration_number",
                gettext("Give the registration number or the worker ID complained about."),
            )
        return data


def complaint_receive_from(*, actor: Any, data: Mapping[str, Any]) -> Complaint:
    """Receive the complaint a valid ``ReceiveForm`` describes (``complaint_receive``): its registration
    looked up among the body's by number (with the worker ID, when several registers of the body use
    that number), its worker among those ``actor`` may identify."""
    body: RegulatoryBody = data["body"]
    number, worker_id = data.get("registration_number", "").strip(), data.get("worker_id", "").strip()
    worker = None
    if worker_id:
        worker = workers_identifiable(user=actor).filter(worker_id=worker_id).first()
        if worker is None:
            raise ValidationError({"worker_id": gettext("No worker has this worker ID.")})
    registration = None
    if number:
        found = Registration.objects.filter(register__body=body, number=number).select_related("register")
        if worker is not None:
            found = found.filter(worker=worker)
        matches = list(found[:2])
        if not matches:
            message = (
                gettext("%(body)s has no registration numbered %(number)s.")
                if worker is None
                else gettext("%(body)s has no registration numbered %(number)s of %(worker)s.")
            )
            raise ValidationError(
                {"registration_number": message % {"body": body.code, "number": number, "worker": worker}}
            )
        if len(matches) > 1:
            raise ValidationError(
                {
                    "registration_number": gettext(
                        "Several registers of %(body)s have a registration %(number)s: give the worker ID too."
                    )
                    % {"body": body.code, "number": number}
                }
            )
        registration = matches[0]
    with _fields_named({"worker": "worker_id", "registration": "registration_number"}):
        return discipline.complaint_receive(
            actor=actor,
            body=body,
            registration=registration,
            worker=worker,
            complainant_kind=data["complainant_kind"],
            complainant_name=data.get("complainant_name", ""),
            complainant_contact=data.get("complainant_contact", ""),
            received_on=data["received_on"],
            summary=data["summary"],
        )


class InvestigateForm(CheckedForm):
    on = day_field(gettext_lazy("Investigation began on"))


class HearingForm(CheckedForm):
    hearing_on = day_field(gettext_lazy("Hearing on"))


class CaseFileForm(CheckedForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CaseFileEntryKind.choices)
    recorded_on = day_field(gettext_lazy("Recorded on"))
    title = _text(gettext_lazy("Title"), max_length=200, required=False)
    text = _text(gettext_lazy("Text"), rows=4)


def _amount() -> forms.DecimalField:
    return forms.DecimalField(
        label=gettext_lazy("Amount of the fine"),
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        required=False,
    )


class _SanctionTermsForm(CheckedForm):
    """The terms of a sanction, each given only when the sanction takes it (``sanction_apply`` says
    which): a fine's amount; a suspension's or conditions' period; the conditions' text."""

    amount = _amount()
    starts_on = _optional_day(gettext_lazy("Sanction from (default: the day of the decision)"))
    ends_on = _optional_day(gettext_lazy("Sanction until (suspension, conditions)"))
    conditions = _text(gettext_lazy("Conditions on practice"), rows=2, required=False)


class DecideForm(_SanctionTermsForm):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=Outcome.choices)
    decided_on = day_field(gettext_lazy("Decided on"))
    registration = forms.ModelChoiceField(
        label=gettext_lazy("Registration sanctioned"),
        queryset=Registration.objects.none(),
        required=False,
        help_text=gettext_lazy("Only when the complaint names none and the worker has several."),
    )
    field_order = ["outcome", "decided_on", "registration", "amount", "starts_on", "ends_on", "conditions"]

    def __init__(self, *args: Any, complaint: Complaint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if complaint.registration_id is not None:
            del self.fields["registration"]  # the complaint names it
        else:
            self.fields["registration"].queryset = Registration.objects.filter(  # type: ignore[attr-defined]
                worker_id=complaint.worker_id,
                register__body_id=complaint.body_id,
                registered_on__isnull=False,
            ).select_related("register")


class AppealForm(CheckedForm):
    lodged_on = day_field(gettext_lazy("Lodged on"))
    grounds = _text(gettext_lazy("Grounds"), rows=3)


class AppealDecideForm(_SanctionTermsForm):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=AppealDecision.choices)
    decided_on = day_field(gettext_lazy("Decided on"))
    kind = forms.ChoiceField(
        label=gettext_lazy("Varied to"),
        choices=[("", gettext_lazy("(only when varied)")), *SanctionKind.choices],
        required=False,
    )
    field_order = ["decision", "decided_on", "kind", "amount", "starts_on", "ends_on", "conditions"]


def _terms(data: Mapping[str, Any]) -> dict[str, Any]:
    """A sanction's terms from a form's cleaned data: those not given are ``None`` (no conditions: ``""``)."""
    terms = {name: data.get(name) for name in ("amount", "starts_on", "ends_on")}
    return terms | {"conditions": data.get("conditions", "")}


def _case_file_add(actor: Any, complaint: Complaint, data: dict[str, Any]) -> Any:
    return discipline.case_file_entry_add(actor=actor, complaint=complaint, **data)


def _decide(actor: Any, complaint: Complaint, data: dict[str, Any]) -> Any:
    return discipline.complaint_decide(
        actor=actor,
        complaint=complaint,
        outcome=data["outcome"],
        decided_on=data["decided_on"],
        registration=data.get("registration"),
        **_terms(data),
    )


def _appeal_decide(actor: Any, complaint: Complaint, data: dict[str, Any]) -> Any:
    appeal = Appeal.objects.filter(complaint=complaint).first()
    if appeal is None:
        raise ValidationError({"decision": gettext("No appeal was lodged against this complaint's outcome.")})
    return discipline.appeal_decide(
        actor=actor,
        appeal=appeal,
        decision=data["decision"],
        decided_on=data["decided_on"],
        kind=data.get("kind") or None,
        **_terms(data),
    )


@dataclass(frozen=True)
class ComplaintStep:
    """One step of a complaint's case: its title, the stages it applies to, its form, the call of its
    service with the form's cleaned data, and whether only the registrar's office takes it."""

    title: Any
    stages: tuple[str, ...]
    form: type[forms.Form]
    run: Callable[[Any, Complaint, dict[str, Any]], Any]
    case_file: bool = False


COMPLAINT_STEPS: dict[str, ComplaintStep] = {
    "investigate": ComplaintStep(
        gettext_lazy("Open the investigation"),
        (ComplaintStage.RECEIVED,),
        InvestigateForm,
        lambda actor, c, data: discipline.complaint_investigate(actor=actor, complaint=c, on=data["on"]),
    ),
    "hearing": ComplaintStep(
        gettext_lazy("Set the hearing"),
        (ComplaintStage.INVESTIGATION, ComplaintStage.HEARING),
        HearingForm,
        lambda actor, c, data: discipline.complaint_hearing_set(
            actor=actor, complaint=c, hearing_on=data["hearing_on"]
        ),
    ),
    "case_file": ComplaintStep(
        gettext_lazy("Add to the case file"),
        tuple(ComplaintStage.values),
        CaseFileForm,
        _case_file_add,
        case_file=True,
    ),
    "decide": ComplaintStep(
        gettext_lazy("Decide the outcome"),
        (ComplaintStage.INVESTIGATION, ComplaintStage.HEARING),
        DecideForm,
        _decide,
    ),
    "appeal": ComplaintStep(
        gettext_lazy("Lodge an appeal"),
        (ComplaintStage.DECIDED,),
        AppealForm,
        lambda actor, c, data: discipline.appeal_lodge(actor=actor, complaint=c, **data),
    ),
    "appeal_decide": ComplaintStep(
        gettext_lazy("Decide the appeal"),
        (ComplaintStage.APPEALED,),
        AppealDecideForm,
        _appeal_decide,
    ),
}


def complaint_steps_open(*, complaint: Complaint, user: Any) -> list[str]:
    """The steps ``user`` may be offered on ``complaint`` now: those of its stage (an appeal only against
    a sanction, not a dismissal), the case file's only to the body's registrar's office."""
    shown = may_see_case_file(user=user, body_id=complaint.body_id)
    return [
        name
        for name, step in COMPLAINT_STEPS.items()
        if complaint.stage in step.stages
        and (shown or not step.case_file)
        and not (name == "appeal" and complaint.outcome == Outcome.DISMISSED)
    ]


def complaint_step_check(name: str, *, complaint: Complaint, user: Any) -> None:
    """Refuse (``PermissionDenied``) the case file's step to anyone but the body's registrar's office. A
    step out of the complaint's order is refused by its service, saying why (its stage, or a dismissal
    that cannot be appealed); who may change the body's cases at all is the services' to check too."""
    if COMPLAINT_STEPS[name].case_file and not may_see_case_file(user=user, body_id=complaint.body_id):
        raise PermissionDenied(gettext("Only the body's registrar's office keeps the case file."))


def complaint_step_form(
    name: str, *, complaint: Complaint, data: Any = None, prefixed: bool = True
) -> forms.Form:
    """The form of step ``name`` on ``complaint`` (bound to ``data`` when given); on a page each step's
    fields are prefixed by its name, the API sends them bare."""
    form_class = COMPLAINT_STEPS[name].form
    prefix = name if prefixed else None
    if form_class is DecideForm:
        return DecideForm(data, prefix=prefix, complaint=complaint)
    return form_class(data, prefix=prefix)
