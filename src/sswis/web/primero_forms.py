"""The Primero pages' forms: the month and dry run of a sync, the hand-over directory's filters."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy

from sswis.forms_base import CheckedForm
from sswis.registry.models import Cadre, Organisation
from sswis.support.caseloads import month_parse
from sswis.web.forms import CodeChoiceField, FilterForm


class SyncForm(CheckedForm):
    """A sync to run: the month (default the current one) and whether it is a dry run."""

    month = forms.CharField(
        label=gettext_lazy("Month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=gettext_lazy("YYYY-MM; empty: the current month."),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: say what would change, write nothing"), required=False
    )

    def clean_month(self) -> datetime.date | None:
        text = self.cleaned_data.get("month") or ""
        if not text.strip():
            return None
        try:
            return month_parse(text)
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from problem


class HandoverFilterForm(FilterForm):
    """``?location=CODE&organisation=CODE&cadre=CODE`` of the hand-over directory (the location is chosen
    by the page's location picker)."""

    organisation = CodeChoiceField(
        Organisation.objects.order_by("name"),
        required=False,
        label=gettext_lazy("Organisation"),
        empty_label=gettext_lazy("Any organisation"),
    )
    cadre = CodeChoiceField(
        Cadre.objects.order_by("name"),
        required=False,
        label=gettext_lazy("Cadre"),
        empty_label=gettext_lazy("Any cadre"),
    )
