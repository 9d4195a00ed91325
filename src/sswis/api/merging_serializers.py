"""The serializers of the worker merges' API (``/api/v1/workers/merges/``): a merge as shown, what a merge
and an unmerge accept. Workers are named by their worker IDs."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.registry.models_merging import WorkerMerge
from sswis.text import PrintableTextValidator


def _text(label: Any, max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, validators=[PrintableTextValidator(label=label, multiline=True)], **kwargs
    )


class WorkerMergeSerializer(serializers.ModelSerializer[WorkerMerge]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    surviving = serializers.CharField(source="surviving.worker_id", read_only=True)
    merged = serializers.CharField(source="merged.worker_id", read_only=True)
    merged_by = serializers.SerializerMethodField()
    unmerged_by = serializers.SerializerMethodField()
    moved = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()),
        read_only=True,
        help_text=gettext_lazy("The rows moved, by model and field: their primary keys."),
    )

    class Meta:
        model = WorkerMerge
        fields = [
            "id",
            "surviving",
            "merged",
            "reason",
            "merged_at",
            "merged_by",
            "moved",
            "unmerged_at",
            "unmerged_by",
            "unmerge_reason",
        ]
        read_only_fields = fields

    def get_merged_by(self, merge: WorkerMerge) -> str | None:
        return merge.merged_by.get_username() if merge.merged_by else None

    def get_unmerged_by(self, merge: WorkerMerge) -> str | None:
        return merge.unmerged_by.get_username() if merge.unmerged_by else None


class WorkerMergeInputSerializer(serializers.Serializer[Any]):
    surviving = _text(
        gettext_lazy("Surviving"), 64, help_text=gettext_lazy("Worker ID of the record that stays.")
    )
    merged = _text(
        gettext_lazy("Merged"), 64, help_text=gettext_lazy("Worker ID of the record merged into it.")
    )
    reason = _text(gettext_lazy("Reason"), 2000)


class WorkerUnmergeInputSerializer(serializers.Serializer[Any]):
    reason = _text(gettext_lazy("Reason"), 2000)
