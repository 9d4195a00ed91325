"""The DHIS2 page's forms: a push (year, format, dry run), an export (year, format), a mapping file."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sswis.dhis2.models import PushFormat
from sswis.forms_base import CheckedForm
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR


def _last_year() -> int:
    return timezone.localdate().year - 1


class ExportForm(CheckedForm):
    """``?year=&format=`` of an export (also the API's)."""

    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, initial=_last_year
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=PushFormat.choices, initial=PushFormat.JSON, required=False
    )

    def clean_format(self) -> str:
        return self.cleaned_data.get("format") or PushFormat.JSON


class PushForm(ExportForm):
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: DHIS2 checks the values and imports nothing"), required=False
    )


class MappingForm(CheckedForm):
    file = forms.FileField(
        label=gettext_lazy("Mapping file"), help_text=gettext_lazy("CSV or JSON, as in docs/dhis2.md.")
    )
