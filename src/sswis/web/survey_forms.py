"""The form of field-survey imports in the browser: where the submissions come from, the survey round of
their perception answers, and whether to write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sswis.surveys.models import SurveyRound
from sswis.surveys.queued import EXPORT_SUFFIXES, SOURCE_FIELDS
from sswis.web.forms import CheckedForm, CodeLookupField


class SubmissionsImportForm(CheckedForm):
    """One source and what it needs: an export file; or a KoboToolbox server, the form's asset UID and an
    API token; or an ODK Central server, project, form and a user's name and password. Secrets are
    password fields, never shown again."""

    source = forms.ChoiceField(
        label=_("Where the submissions are"),
        choices=[
            ("file", _("An export file (.csv, .xlsx or .json) downloaded from KoboToolbox or ODK Central")),
            ("kobo", _("KoboToolbox, read now through its API")),
            ("central", _("ODK Central, read now through its API")),
        ],
        initial="file",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Export file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.json"}),
    )
    kobo_url = forms.URLField(
        label=_("KoboToolbox server"),
        required=False,
        assume_scheme="https",
        help_text=_("e.g. https://kf.kobotoolbox.org"),
    )
    asset = forms.CharField(label=_("Form's asset UID"), required=False, max_length=100)
    token = forms.CharField(
        label=_("API token"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Used once to read the submissions; sswis does not keep it."),
    )
    central_url = forms.URLField(label=_("ODK Central server"), required=False, assume_scheme="https")
    project = forms.IntegerField(label=_("Project number"), required=False, min_value=1)
    form_id = forms.CharField(label=_("Form ID"), required=False, max_length=200)
    username = forms.CharField(label=_("ODK Central user (e-mail)"), required=False, max_length=200)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Used once to read the submissions; sswis does not keep it."),
    )
    survey_round = CodeLookupField(
        label=_("Survey round of the perception answers"),
        queryset=SurveyRound.objects.order_by("-starts_on", "code"),
        to_field_name="code",
        required=False,
        empty_label=_("None: the form has no perception questions"),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check everything, import nothing"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and not upload.name.lower().endswith(EXPORT_SUFFIXES):
            raise ValidationError(_("Choose a .csv, .xlsx or .json export file."))
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for name in SOURCE_FIELDS.get(cleaned.get("source", ""), ()):
            if name not in self.errors and cleaned.get(name) in (None, ""):
                self.add_error(name, _("Needed for this source."))
        return cleaned
