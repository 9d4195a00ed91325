"""The reports API's answers and the request of a profile."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.reports.models import ProfileReport, ReportFormat


class ProfileRequestSerializer(serializers.Serializer[dict[str, Any]]):
    """What to make: the profile of ``location`` (a code) for ``year``, in ``language``, as ``format``."""

    location = serializers.CharField(max_length=64, help_text=gettext_lazy("a location's code"))
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES], default=settings.LANGUAGE_CODE
    )
    format = serializers.ChoiceField(choices=ReportFormat.values, default=ReportFormat.PDF)
    publication = serializers.BooleanField(
        default=False, help_text=gettext_lazy("withhold every small cell, for publishing")
    )


class ProfileReportSerializer(serializers.ModelSerializer[ProfileReport]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    user = serializers.CharField(
        source="user.username",
        allow_null=True,
        default=None,
        help_text=gettext_lazy("empty: the command line"),
    )
    location = serializers.CharField(source="location.code")
    url = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField(help_text=gettext_lazy("empty until the file is made"))

    class Meta:
        model = ProfileReport
        fields = [
            "id",
            "url",
            "user",
            "origin",
            "location",
            "year",
            "language",
            "format",
            "publication",
            "status",
            "progress",
            "stage",
            "fingerprint",
            "data_stamp",
            "data_updated_at",
            "size",
            "pages",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "download",
        ]

    def get_url(self, report: ProfileReport) -> str:
        return reverse("api:report-profile-detail", kwargs={"report_uuid": report.uuid})

    def get_download(self, report: ProfileReport) -> str | None:
        if report.status != "finished" or not report.file:
            return None
        return reverse("api:report-profile-download", kwargs={"report_uuid": report.uuid})
