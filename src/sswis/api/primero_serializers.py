"""The Primero API's answers: a sync of the history, and a worker of the hand-over directory in the shape
of Primero's ``GET /api/v2/users/transfer-to`` (``{"data": [{"id", "user_name", "full_name", "code",
"position", "location", "agency", "disabled", "services"}]}``, answered as :data:`TRANSFER_TO`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from sswis.primero.models import PrimeroSync
from sswis.support.handover import HandoverWorker


class UnmatchedOwnerSerializer(serializers.Serializer[Any]):
    user_name = serializers.CharField()
    open_cases = serializers.IntegerField()


class AmbiguousOwnerSerializer(UnmatchedOwnerSerializer):
    workers = serializers.IntegerField(help_text=gettext_lazy("how many workers carry this user name"))


class PrimeroSyncSerializer(serializers.ModelSerializer[PrimeroSync]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    user = serializers.CharField(
        source="user.username",
        allow_null=True,
        default=None,
        help_text=gettext_lazy("empty: the command line"),
    )
    month = serializers.DateField(format="%Y-%m", help_text=gettext_lazy("YYYY-MM"))
    unmatched = UnmatchedOwnerSerializer(many=True)
    ambiguous = AmbiguousOwnerSerializer(many=True)

    class Meta:
        model = PrimeroSync
        fields = [
            "id",
            "user",
            "origin",
            "url",
            "month",
            "dry_run",
            "status",
            "created_at",
            "started_at",
            "finished_at",
            "open_cases",
            "pages",
            "matched",
            "created",
            "updated",
            "unchanged",
            "cleared",
            "unmatched",
            "ambiguous",
            "error",
        ]
        read_only_fields = fields


class TransferToUserSerializer(serializers.Serializer[Any]):
    """A worker who can take the case, as Primero lists a user a case can be transferred to."""

    id = serializers.UUIDField(source="worker_uuid", help_text=gettext_lazy("the worker's UUID in sswis"))
    user_name = serializers.CharField(help_text=gettext_lazy("the Primero user name: transfer to this user"))
    full_name = serializers.CharField()
    code = serializers.CharField(source="worker_id", help_text=gettext_lazy("the worker ID in sswis"))
    position = serializers.CharField(source="cadre_name", help_text=gettext_lazy("the cadre"))
    location = serializers.CharField(source="location_code", help_text=gettext_lazy("the location's code"))
    agency = serializers.CharField(
        source="organisation_code", help_text=gettext_lazy("the organisation's code")
    )
    disabled = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    cadre = serializers.CharField(source="cadre_code", help_text=gettext_lazy("the cadre's code"))
    agency_name = serializers.CharField(source="organisation_name")
    location_name = serializers.CharField()

    def get_disabled(self, worker: HandoverWorker) -> bool:
        return False  # only workers with an active assignment are listed

    def get_services(self, worker: HandoverWorker) -> list[str]:
        return []


TRANSFER_TO = inline_serializer(name="TransferTo", fields={"data": TransferToUserSerializer(many=True)})
"""The answer's shape (for the schema): ``{"data": [user, ...]}``, as Primero's."""
