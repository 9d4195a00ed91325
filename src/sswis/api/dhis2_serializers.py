"""The DHIS2 API's shapes: a push (list and detail, with its conflicts) and a push to start."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.dhis2.models import Dhis2Push, Dhis2PushConflict, PushFormat
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR


class ImportCountSerializer(serializers.Serializer[Any]):
    imported = serializers.IntegerField()
    updated = serializers.IntegerField()
    ignored = serializers.IntegerField()
    deleted = serializers.IntegerField()


class Dhis2PushSerializer(serializers.ModelSerializer[Dhis2Push]):
    """A push: who, when, the server (without credentials), the year, the format, whether a dry run, DHIS2's
    status and counts, what was not sent, the error of a failed one."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    user = serializers.SerializerMethodField()
    import_count = serializers.SerializerMethodField()

    class Meta:
        model = Dhis2Push
        fields = [
            "id",
            "user",
            "origin",
            "url",
            "year",
            "format",
            "dry_run",
            "status",
            "created_at",
            "started_at",
            "finished_at",
            "http_status",
            "values_sent",
            "import_count",
            "message",
            "unmapped",
            "error",
        ]
        read_only_fields = fields

    def get_user(self, push: Dhis2Push) -> str | None:
        return push.user.get_username() if push.user is not None else None

    def get_import_count(self, push: Dhis2Push) -> dict[str, int]:
        return {
            "imported": push.imported,
            "updated": push.updated,
            "ignored": push.ignored,
            "deleted": push.deleted,
        }


class Dhis2ConflictSerializer(serializers.ModelSerializer[Dhis2PushConflict]):
    """A conflict of DHIS2's import summary and the value it concerns (``index``: its position in the
    message sent; null when DHIS2 named none)."""

    class Meta:
        model = Dhis2PushConflict
        fields = [
            "object",
            "value",
            "error_code",
            "property",
            "index",
            "data_element",
            "org_unit",
            "category_option_combo",
            "attribute_option_combo",
            "sent_value",
            "location",
            "figure",
        ]
        read_only_fields = fields


class Dhis2PushDetailSerializer(Dhis2PushSerializer):
    conflicts = Dhis2ConflictSerializer(many=True, read_only=True)

    class Meta(Dhis2PushSerializer.Meta):
        fields = [*Dhis2PushSerializer.Meta.fields, "rejected_indexes", "conflicts"]
        read_only_fields = fields


class Dhis2PushStartSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    format = serializers.ChoiceField(choices=PushFormat.choices, default=PushFormat.JSON)
    dry_run = serializers.BooleanField(
        default=False, help_text=gettext_lazy("DHIS2 checks the values and imports nothing")
    )


class Dhis2ExportQuerySerializer(serializers.Serializer[Any]):
    """``?year=&format=`` of the export."""

    year = serializers.IntegerField(
        min_value=FIRST_YEAR, max_value=LAST_YEAR, help_text=gettext_lazy("e.g. 2024")
    )
    format = serializers.ChoiceField(choices=PushFormat.choices, default=PushFormat.JSON)
