"""Setting up a body: its CPD providers (accredited for a period) and their activities, each written by one
audited service, refused with a message and nothing written when wrong; and the forms the pages and the API
share to set up the body itself, its registers and their rules, providers and activities (``SETUP_FORMS``).
Who may: a national data manager (a new body, any body), a body's registrar (their body's)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sswis.access.regulation_policy import require_regulation_change
from sswis.auditing import instance_apply_changes
from sswis.forms_base import CheckedForm, DateInput
from sswis.registry.models import Cadre, EducationLevel
from sswis.regulation.models import CpdActivity, CpdProvider, LicenceValidity, Register, RegulatoryBody
from sswis.regulation.services import register_set, regulatory_body_set


@transaction.atomic
def cpd_provider_set(
    *,
    actor: Any,
    body: RegulatoryBody,
    code: str,
    name: str,
    accredited_from: datetime.date,
    accredited_until: datetime.date | None = None,
) -> CpdProvider:
    """Accredit the provider ``code`` with ``body`` for a period (or change it). Refused when the period
    ends before it begins, or the code is another body's provider."""
    require_regulation_change(user=actor, body_id=body.pk)
    provider = CpdProvider.objects.filter(code=code.strip()).first() or CpdProvider()
    if provider.pk is not None and provider.body_id != body.pk:
        raise ValidationError({"code": _("This code is another body's provider.")})
    if accredited_until is not None and accredited_until < accredited_from:
        raise ValidationError({"accredited_until": _("The accreditation cannot end before it begins.")})
    changes = {
        "body": body,
        "code": code.strip(),
        "name": name.strip(),
        "accredited_from": accredited_from,
        "accredited_until": accredited_until,
    }
    instance_apply_changes(provider, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return provider


@transaction.atomic
def cpd_activity_set(
    *,
    actor: Any,
    provider: CpdProvider,
    code: str,
    title: str,
    category: str,
    points: Decimal,
    held_on: datetime.date,
) -> CpdActivity:
    """Add the activity ``code`` of ``provider`` (or change it while nobody attended it). Refused when the
    provider was not accredited on the day it is held, or its points would change attendances already
    recorded (points that count toward renewal are never changed after the fact)."""
    require_regulation_change(user=actor, body_id=provider.body_id)
    activity = CpdActivity.objects.filter(code=code.strip()).first() or CpdActivity()
    if activity.pk is not None and activity.provider_id != provider.pk:
        raise ValidationError({"code": _("This code is another provider's activity.")})
    if (
        activity.pk is not None
        and activity.records.exists()
        and (activity.points, activity.category)
        != (
            points,
            category.strip(),
        )
    ):
        raise ValidationError(
            {"points": _("Attendance is recorded: its points and category can no longer change.")}
        )
    if held_on < provider.accredited_from or (
        provider.accredited_until is not None and held_on > provider.accredited_until
    ):
        raise ValidationError({"held_on": _("The provider is not accredited on that day.")})
    changes = {
        "provider": provider,
        "code": code.strip(),
        "title": title.strip(),
        "category": category.strip(),
        "points": points,
        "held_on": held_on,
    }
    instance_apply_changes(activity, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return activity


class BodyForm(CheckedForm):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=50)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    currency = forms.CharField(
        label=gettext_lazy("Currency (ISO 4217)"), max_length=3, min_length=3, initial="USD"
    )
    appeal_days = forms.IntegerField(
        label=gettext_lazy("Days to appeal a decision"), min_value=1, max_value=365, initial=30
    )


class RegisterForm(CheckedForm):
    body = forms.ModelChoiceField(
        label=gettext_lazy("Regulatory body"), queryset=RegulatoryBody.objects.none()
    )
    code = forms.CharField(label=gettext_lazy("Code"), max_length=50)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    cadres = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Cadres who may register"), queryset=Cadre.objects.order_by("code"), required=False,
        to_field_name="code", help_text=gettext_lazy("None chosen: any cadre."),
    )  # fmt: skip
    minimum_education = forms.ChoiceField(
        label=gettext_lazy("Minimum education"),
        choices=[("", gettext_lazy("None")), *EducationLevel.choices],
        required=False,
    )
    exam_required = forms.BooleanField(
        label=gettext_lazy("A passed national exam is required"), required=False
    )
    exam_attempts_limit = forms.IntegerField(
        label=gettext_lazy("Exam attempts allowed"), min_value=1, required=False,
        help_text=gettext_lazy("Empty: no limit."),
    )  # fmt: skip
    licence_validity = forms.ChoiceField(
        label=gettext_lazy("Licence validity"), choices=LicenceValidity.choices
    )
    licence_months = forms.IntegerField(
        label=gettext_lazy("Licence months"), min_value=1, max_value=120, initial=12
    )
    renewal_month = forms.IntegerField(
        label=gettext_lazy("Renewal month"), min_value=1, max_value=12, initial=1
    )
    renewal_day = forms.IntegerField(label=gettext_lazy("Renewal day"), min_value=1, max_value=28, initial=1)
    cpd_points_per_cycle = forms.DecimalField(
        label=gettext_lazy("CPD points a cycle"),
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        initial=0,
    )
    cpd_required_categories = forms.CharField(
        label=gettext_lazy("CPD categories required each cycle"), required=False, max_length=500,
        help_text=gettext_lazy("Separated by commas, e.g. ethics"),
    )  # fmt: skip
    renewal_fee = forms.DecimalField(
        label=gettext_lazy("Renewal fee"), min_value=Decimal(0), max_digits=14, decimal_places=2, initial=0
    )
    late_fine = forms.DecimalField(
        label=gettext_lazy("Late fine"), min_value=Decimal(0), max_digits=14, decimal_places=2, initial=0
    )
    grace_days = forms.IntegerField(
        label=gettext_lazy("Grace period (days)"), min_value=0, max_value=365, initial=0
    )
    restoration_fee = forms.DecimalField(
        label=gettext_lazy("Restoration fee"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        initial=0,
    )
    cpd_exempt_from_age = forms.IntegerField(
        label=gettext_lazy("No CPD asked from the age of"), min_value=1, max_value=100, required=False
    )

    def clean_cpd_required_categories(self) -> list[str]:
        text = self.cleaned_data.get("cpd_required_categories") or ""
        return [category.strip() for category in text.split(",") if category.strip()]


class ProviderForm(CheckedForm):
    body = forms.ModelChoiceField(
        label=gettext_lazy("Regulatory body"), queryset=RegulatoryBody.objects.none()
    )
    code = forms.CharField(label=gettext_lazy("Code"), max_length=50)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    accredited_from = forms.DateField(label=gettext_lazy("Accredited from"), widget=DateInput())
    accredited_until = forms.DateField(
        label=gettext_lazy("Accredited until"), widget=DateInput(), required=False
    )


class ActivityForm(CheckedForm):
    provider = forms.ModelChoiceField(label=gettext_lazy("Provider"), queryset=CpdProvider.objects.none())
    code = forms.CharField(label=gettext_lazy("Code"), max_length=50)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    category = forms.CharField(
        label=gettext_lazy("Category"), max_length=50, help_text=gettext_lazy("e.g. ethics")
    )
    points = forms.DecimalField(
        label=gettext_lazy("Points"), min_value=Decimal("0.01"), max_digits=6, decimal_places=2
    )
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=DateInput())


def _register_save(actor: Any, data: dict[str, Any]) -> Register:
    rules = {name: value for name, value in data.items() if name not in ("body", "code", "name", "cadres")}
    return register_set(
        actor=actor, body=data["body"], code=data["code"], name=data["name"], cadres=data["cadres"], **rules
    )


@dataclass(frozen=True)
class SetupForm:
    """What can be set up: its form and the one service that saves the form's cleaned data."""

    title: Any
    form: type[forms.Form]
    save: Callable[[Any, dict[str, Any]], Any]


SETUP_FORMS: dict[str, SetupForm] = {
    "body": SetupForm(
        gettext_lazy("Regulatory body"),
        BodyForm,
        lambda actor, data: regulatory_body_set(actor=actor, **data),
    ),
    "register": SetupForm(gettext_lazy("Register and its rules"), RegisterForm, _register_save),
    "provider": SetupForm(
        gettext_lazy("CPD provider"), ProviderForm, lambda actor, data: cpd_provider_set(actor=actor, **data)
    ),
    "activity": SetupForm(
        gettext_lazy("CPD activity"), ActivityForm, lambda actor, data: cpd_activity_set(actor=actor, **data)
    ),
}


def setup_form(
    name: str, *, bodies: Any, data: Any = None, initial: dict[str, Any] | None = None, prefixed: bool = True
) -> forms.Form:
    """The form ``name`` offering ``bodies`` (those the user may change) and their providers."""
    form = SETUP_FORMS[name].form(data, initial=initial, prefix=name if prefixed else None)
    if "body" in form.fields:
        form.fields["body"].queryset = bodies  # type: ignore[attr-defined]
    if "provider" in form.fields:
        form.fields["provider"].queryset = CpdProvider.objects.filter(body__in=bodies).order_by("code")  # type: ignore[attr-defined]
    return form


def register_initial(register: Register) -> dict[str, Any]:
    """A register's current values as the register form's initial data (to change its rules)."""
    initial: dict[str, Any] = {
        field: getattr(register, field)
        for field in (
            "code", "name", "minimum_education", "exam_required", "exam_attempts_limit", "licence_validity",
            "licence_months", "renewal_month", "renewal_day", "cpd_points_per_cycle", "renewal_fee", "late_fine",
            "grace_days", "restoration_fee", "cpd_exempt_from_age",
        )
    }  # fmt: skip
    initial["body"] = register.body_id
    initial["cadres"] = list(register.cadres.values_list("code", flat=True))
    initial["cpd_required_categories"] = ", ".join(register.cpd_required_categories)
    return initial
