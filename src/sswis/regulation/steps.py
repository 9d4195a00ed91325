"""The steps of a registration's life, each the input form of one service (``STEPS``): the registration
page and the API validate a step's input with the same form and call the same service, whose refusal comes
back on the form (page) or as a 400 naming the field (API)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sswis.forms_base import CheckedForm, DateInput
from sswis.regulation import self_service, services
from sswis.regulation.models import CpdActivity, CpdEvidence, Registration, RegistrationStatus


def _today() -> datetime.date:
    return timezone.localdate()


def day_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), initial=_today)


class ReviewForm(CheckedForm):
    documents_checked = forms.BooleanField(label=gettext_lazy("The documents are checked"), required=False)


class ApproveForm(CheckedForm):
    number = forms.CharField(label=gettext_lazy("Registration number"), max_length=50)
    registered_on = day_field(gettext_lazy("Registered on"))


class ReasonForm(CheckedForm):
    on = day_field(gettext_lazy("From"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DayForm(CheckedForm):
    on = day_field(gettext_lazy("From"))


class LicenceForm(CheckedForm):
    valid_from = day_field(gettext_lazy("Valid from"))
    number = forms.CharField(label=gettext_lazy("Licence number"), max_length=50, required=False)


class PaymentForm(CheckedForm):
    charge = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    paid_on = day_field(gettext_lazy("Paid on"))
    reference = forms.CharField(label=gettext_lazy("Receipt reference"), max_length=100, required=False)


class CpdForm(CheckedForm):
    activity = forms.ModelChoiceField(label=gettext_lazy("Activity"), queryset=CpdActivity.objects.none())
    completed_on = day_field(gettext_lazy("Completed on"))

    def __init__(self, *args: Any, body_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (  # type: ignore[attr-defined]
            CpdActivity.objects.filter(provider__body_id=body_id)
            .select_related("provider")
            .order_by("-held_on", "code")
        )


class EvidenceAcceptForm(CpdForm):
    evidence = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, body_id: int, **kwargs: Any) -> None:
        super().__init__(*args, body_id=body_id, **kwargs)
        del self.fields["completed_on"]  # the evidence's own day


class EvidenceRejectForm(CheckedForm):
    evidence = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


def _evidence_of(registration: Registration, pk: int) -> Any:
    from django.core.exceptions import ValidationError

    evidence = CpdEvidence.objects.filter(worker_id=registration.worker_id, pk=pk).first()
    if evidence is None:
        raise ValidationError({"evidence": gettext_lazy("This evidence is not the worker's.")})
    return evidence


def _charge_of(registration: Registration, pk: int) -> Any:
    from django.core.exceptions import ValidationError

    charge = registration.charges.filter(pk=pk).first()
    if charge is None:
        raise ValidationError({"charge": gettext_lazy("This charge is not one of the registration's.")})
    return charge


@dataclass(frozen=True)
class Step:
    """One step of a registration's life: its title, the statuses it applies to, its form and the call of
    its service with the form's cleaned data."""

    title: Any
    statuses: tuple[str, ...]
    form: type[forms.Form]
    run: Callable[[Any, Registration, dict[str, Any]], Any]


_REGISTERED = (RegistrationStatus.REGISTERED,)
STEPS: dict[str, Step] = {
    "review": Step(
        gettext_lazy("Review the application"),
        (RegistrationStatus.APPLIED,),
        ReviewForm,
        lambda actor, r, data: services.registration_review(actor=actor, registration=r, **data),
    ),
    "approve": Step(
        gettext_lazy("Register the applicant"),
        (RegistrationStatus.APPLIED,),
        ApproveForm,
        lambda actor, r, data: services.registration_approve(actor=actor, registration=r, **data),
    ),
    "refuse": Step(
        gettext_lazy("Refuse"),
        (RegistrationStatus.APPLIED,),
        ReasonForm,
        lambda actor, r, data: services.registration_refuse(
            actor=actor, registration=r, reason=data["reason"], on=data["on"]
        ),
    ),
    "licence": Step(
        gettext_lazy("Issue a licence"),
        _REGISTERED,
        LicenceForm,
        lambda actor, r, data: services.licence_issue(actor=actor, registration=r, **data),
    ),
    "charges": Step(
        gettext_lazy("Raise the renewal fee (and a late fine)"),
        _REGISTERED,
        DayForm,
        lambda actor, r, data: services.renewal_charges_raise(actor=actor, registration=r, on=data["on"]),
    ),
    "renew": Step(
        gettext_lazy("Renew"),
        _REGISTERED,
        DayForm,
        lambda actor, r, data: services.registration_renew(actor=actor, registration=r, on=data["on"]),
    ),
    "payment": Step(
        gettext_lazy("Record a payment"),
        tuple(RegistrationStatus.values),
        PaymentForm,
        lambda actor, r, data: services.payment_record(
            actor=actor,
            charge=_charge_of(r, data["charge"]),
            amount=data["amount"],
            paid_on=data["paid_on"],
            reference=data["reference"],
        ),
    ),
    "cpd": Step(
        gettext_lazy("Record CPD attendance"),
        tuple(RegistrationStatus.values),
        CpdForm,
        lambda actor, r, data: services.cpd_record_add(actor=actor, worker=r.worker, **data),
    ),
    "evidence_accept": Step(
        gettext_lazy("Accept CPD evidence as an activity's attendance"),
        tuple(RegistrationStatus.values),
        EvidenceAcceptForm,
        lambda actor, r, data: self_service.cpd_evidence_accept(
            actor=actor, evidence=_evidence_of(r, data["evidence"]), activity=data["activity"]
        ),
    ),
    "evidence_reject": Step(
        gettext_lazy("Reject CPD evidence"),
        tuple(RegistrationStatus.values),
        EvidenceRejectForm,
        lambda actor, r, data: self_service.cpd_evidence_reject(
            actor=actor, evidence=_evidence_of(r, data["evidence"]), reason=data["reason"]
        ),
    ),
    "lapse": Step(
        gettext_lazy("Lapse"),
        _REGISTERED,
        DayForm,
        lambda actor, r, data: services.registration_lapse(actor=actor, registration=r, since=data["on"]),
    ),
    "restoration_fee": Step(
        gettext_lazy("Raise the restoration fee"),
        (RegistrationStatus.LAPSED,),
        forms.Form,
        lambda actor, r, data: services.restoration_charge_raise(actor=actor, registration=r),
    ),
    "restore": Step(
        gettext_lazy("Restore"),
        (RegistrationStatus.LAPSED,),
        DayForm,
        lambda actor, r, data: services.registration_restore(actor=actor, registration=r, since=data["on"]),
    ),
    "remove": Step(
        gettext_lazy("Remove (on request or death)"),
        (RegistrationStatus.REGISTERED, RegistrationStatus.SUSPENDED, RegistrationStatus.LAPSED),
        ReasonForm,
        lambda actor, r, data: services.registration_remove(
            actor=actor, registration=r, since=data["on"], reason=data["reason"]
        ),
    ),
}


def step_form(
    name: str, *, registration: Registration, data: Any = None, prefixed: bool = True
) -> forms.Form:
    """The form of step ``name`` for ``registration`` (bound to ``data`` when given). On a page each step's
    fields are prefixed by its name (several forms on one page); the API sends them bare."""
    form_class = STEPS[name].form
    prefix = name if prefixed else None
    if issubclass(form_class, CpdForm):
        return form_class(data, prefix=prefix, body_id=registration.register.body_id)
    return form_class(data, prefix=prefix)
