"""The profile's choices on the pages: location (by code), year, language, for publication, format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sswis.forms_base import CheckedForm
from sswis.geo.models import Location
from sswis.reports.models import ReportFormat


class ProfileForm(CheckedForm):
    """``location`` a location's code (default: the reader's own, else the country), ``year`` (default:
    the last whole year), ``language`` one of the interface's (default: the page's), ``publication``."""

    location = forms.CharField(label=_("Location (code)"), required=False, max_length=64)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=())
    publication = forms.BooleanField(label=_("For publication (small cells withheld)"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False, choices=ReportFormat.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = list(settings.LANGUAGES)

    def clean_location(self) -> Location | None:
        code = self.cleaned_data.get("location") or ""
        if not code:
            return None
        location = Location.objects.filter(code=code).first()
        if location is None:
            raise forms.ValidationError(_("No location has the code %(code)s."), params={"code": code})
        return location

    def clean_year(self) -> int:
        year = self.cleaned_data.get("year")
        return year if year is not None else timezone.localdate().year - 1
