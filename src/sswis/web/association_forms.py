"""The forms of the professional associations' pages (``/support/associations/``): each change form validates
what the browser sends and hands it to one service of ``sswis.support.associations``; the pickers of the
membership figures and of the members on a day."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sswis.forms_base import CheckedForm, CodeLookupField, DateInput
from sswis.geo.models import Location
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR
from sswis.registry.models import Cadre
from sswis.support.models_associations import EARLIEST_FOUNDED, Association, AssociationScope, MembershipKind
from sswis.web.forms import CodeChoiceField, FilterForm, LocationChoiceField


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), required=required)


class AssociationForm(CheckedForm):
    code = forms.CharField(label=_("Code"), max_length=50)
    name = forms.CharField(label=_("Name"), max_length=200)
    scope = forms.ChoiceField(label=_("Scope"), choices=AssociationScope.choices)
    region = LocationChoiceField(
        Location.objects.all(),
        label=_("Region"),
        required=False,
        help_text=_("The part of the country a regional association covers; empty for a national one."),
    )
    founded = forms.IntegerField(
        label=_("Year founded"), min_value=EARLIEST_FOUNDED, max_value=2200, required=False
    )
    website = forms.URLField(label=_("Website"), max_length=300, required=False, assume_scheme="https")

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["website"] = data.get("website") or ""
        return data


class MembershipForm(CheckedForm):
    """A membership's period, number and kind; the page adds who (a worker ID) or which association."""

    member_from = _date(_("Member from"))
    member_until = _date(_("Member until"), required=False)
    number = forms.CharField(label=_("Membership number"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("Kind of membership"), choices=MembershipKind.choices)


class WorkerMembershipForm(MembershipForm):
    """A membership of the association whose page it is on, of the worker named by their ID."""

    field_order = ["worker_id", "member_from", "member_until", "number", "kind"]
    worker_id = forms.CharField(label=_("Worker ID"), max_length=64)


class AssociationMembershipForm(MembershipForm):
    """A membership of the worker whose page it is on, of the association chosen by its code."""

    field_order = ["association", "member_from", "member_until", "number", "kind"]
    association = CodeChoiceField(Association.objects.none(), label=_("Association"))

    def __init__(self, *args: Any, associations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations  # type: ignore[attr-defined]


class MembershipEndForm(CheckedForm):
    member_until = _date(_("Last day of the membership"))


class MembersDayForm(FilterForm):
    """The day whose members an association's page lists (default today)."""

    day = _date(_("Members on"), required=False)

    def chosen_day(self) -> datetime.date:
        return self.cleaned("day") or timezone.localdate()


class FiguresForm(CheckedForm):
    """The pickers of the membership figures: year (default this year), location (default the user's own),
    association (default any), cadre (default all)."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    location = CodeLookupField(
        queryset=Location.objects.all(), to_field_name="code", label=_("Location"), required=False
    )
    association = CodeLookupField(
        queryset=Association.objects.none(), to_field_name="code", label=_("Association"), required=False
    )
    cadre = CodeLookupField(
        queryset=Cadre.objects.order_by("code"), to_field_name="code", label=_("Cadre"), required=False
    )

    def __init__(self, *args: Any, locations: Any, associations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations.order_by("path")  # type: ignore[attr-defined]
        self.fields["association"].queryset = associations  # type: ignore[attr-defined]

    def chosen_year(self) -> int:
        return (self.cleaned_data.get("year") if self.is_valid() else None) or timezone.localdate().year
