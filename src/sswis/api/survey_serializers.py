"""Serializers of the field-survey endpoints: the import of submissions and the questionnaire's query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.api.fields import CodeRelatedField
from sswis.api.serializers import UploadedFileField
from sswis.surveys.models import SurveyRound
from sswis.surveys.queued import EXPORT_SUFFIXES, SOURCE_FIELDS, SOURCES
from sswis.text import PrintableTextValidator

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _text(help_text: StrOrPromise, **options: Any) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=help_text,
        validators=[PrintableTextValidator(label="")],
        **options,
    )


class SubmissionsImportSerializer(serializers.Serializer[Any]):
    """Field submissions to import and where they are: an export file (multipart form data), or a
    KoboToolbox or ODK Central server read now with the credentials given (used once, never kept)."""

    source = serializers.ChoiceField(  # type: ignore[assignment]  # a field, not Field.source
        choices=list(SOURCES), help_text=gettext_lazy("file, kobo or central.")
    )
    file = UploadedFileField(
        required=False,
        help_text=gettext_lazy("source=file: a .csv, .xlsx or .json export of KoboToolbox or ODK Central."),
    )
    kobo_url = serializers.URLField(
        required=False, allow_blank=True, default="", help_text=gettext_lazy("source=kobo: the server.")
    )
    asset = _text(gettext_lazy("source=kobo: the form's asset UID."))
    token = _text(gettext_lazy("source=kobo: an API token (not kept)."), write_only=True)
    central_url = serializers.URLField(
        required=False, allow_blank=True, default="", help_text=gettext_lazy("source=central: the server.")
    )
    project = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text=gettext_lazy("source=central: the project."),
    )
    form_id = _text(gettext_lazy("source=central: the form ID."))
    username = _text(gettext_lazy("source=central: the user's e-mail."))
    password = _text(gettext_lazy("source=central: the user's password (not kept)."), write_only=True)
    round = CodeRelatedField(
        queryset=SurveyRound.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy(
            "Code of the survey round of the perception answers (none: the form has none)."
        ),
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy("true: check everything and write nothing.")
    )

    def validate_file(self, value: Any) -> Any:
        if value is not None and not value.name.lower().endswith(EXPORT_SUFFIXES):
            raise serializers.ValidationError(_("Give a .csv, .xlsx or .json export file."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        missing = {
            name: ["Needed for this source."]
            for name in SOURCE_FIELDS[attrs["source"]]
            if attrs.get(name) in (None, "")
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class XLSFormQuerySerializer(serializers.Serializer[Any]):
    """Query parameters of the questionnaire download."""

    perceptions = serializers.ChoiceField(
        choices=["true", "false"],
        default="false",
        help_text=gettext_lazy("true: with the perceptions section."),
    )
