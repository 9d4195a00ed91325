"""The retention page's pickers: the year (default: the last whole year) and the location."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sswis.forms_base import CheckedForm, CodeLookupField
from sswis.geo.models import Location
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR
from sswis.support.retention import last_whole_year


class RetentionForm(CheckedForm):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    location = CodeLookupField(
        queryset=Location.objects.all(), to_field_name="code", label=_("Location"), required=False
    )

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations.order_by("path")  # type: ignore[attr-defined]

    def chosen_year(self) -> int:
        return (self.cleaned_data.get("year") if self.is_valid() else None) or last_whole_year()
