"""The duplicates API's shapes: a candidate pair (with both records side by side), a review decision, a
run (and one to start) and the model's match weights."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.api.supervision_serializers import StrictBooleanField
from sswis.duplicates.linkage import DEFAULT_THRESHOLD
from sswis.duplicates.models import CandidatePair, DuplicateRun, LinkageModel
from sswis.registry.models import Worker
from sswis.text import PrintableTextValidator


class PairWorkerSerializer(serializers.ModelSerializer[Worker]):
    """One side of a pair: the fields the reviewer compares."""

    class Meta:
        model = Worker
        fields = [
            "worker_id",
            "given_name",
            "family_name",
            "sex",
            "birth_date",
            "national_id",
            "phone",
            "email",
        ]
        read_only_fields = fields


class CandidatePairSerializer(serializers.ModelSerializer[CandidatePair]):
    """A pair: ``worker_ids`` [A, B] (the workers' IDs), its probability, match weight, reasons
    (``{comparison: {"level", "match_weight"}}``), cluster, both records, and its review."""

    worker_ids = serializers.SerializerMethodField()
    workers = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()
    surviving: serializers.SlugRelatedField[Worker] = serializers.SlugRelatedField(
        slug_field="worker_id", read_only=True
    )

    class Meta:
        model = CandidatePair
        fields = [
            "id", "worker_ids", "probability", "match_weight", "reasons", "cluster", "workers", "status",
            "surviving", "reviewed_by", "reviewed_at", "review_reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_worker_ids(self, pair: CandidatePair) -> list[str]:
        return [pair.worker_a.worker_id, pair.worker_b.worker_id]

    def get_workers(self, pair: CandidatePair) -> list[dict[str, Any]]:
        return [PairWorkerSerializer(pair.worker_a).data, PairWorkerSerializer(pair.worker_b).data]

    def get_reviewed_by(self, pair: CandidatePair) -> str | None:
        return pair.reviewed_by.get_username() if pair.reviewed_by is not None else None


class PairConfirmSerializer(serializers.Serializer[Any]):
    """``{"surviving": worker ID (one of the pair's two), "reason": text}``."""

    surviving = serializers.CharField(
        max_length=64, validators=[PrintableTextValidator(label=gettext_lazy("surviving"))]
    )
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        validators=[PrintableTextValidator(label=gettext_lazy("reason"), multiline=True)],
    )


class PairRejectSerializer(serializers.Serializer[Any]):
    """``{"reason": text}`` (required)."""

    reason = serializers.CharField(
        max_length=2000, validators=[PrintableTextValidator(label=gettext_lazy("reason"), multiline=True)]
    )


class DuplicateRunSerializer(serializers.ModelSerializer[DuplicateRun]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    user = serializers.SerializerMethodField()

    class Meta:
        model = DuplicateRun
        fields = [
            "id", "user", "origin", "threshold", "train", "status", "stage", "progress", "created_at",
            "started_at", "finished_at", "workers_count", "pairs_count", "clusters_count", "skipped_rejected",
            "error",
        ]  # fmt: skip
        read_only_fields = fields

    def get_user(self, run: DuplicateRun) -> str | None:
        return run.user.get_username() if run.user is not None else None


class DuplicateRunStartSerializer(serializers.Serializer[Any]):
    """``{"threshold": P, "train": bool}`` (defaults: the command's threshold, no training)."""

    threshold = serializers.FloatField(min_value=0.0001, max_value=0.9999, default=DEFAULT_THRESHOLD)
    train = StrictBooleanField(default=False)


class LevelSerializer(serializers.Serializer[Any]):
    level = serializers.CharField()
    match_weight = serializers.FloatField()
    m_probability = serializers.FloatField(allow_null=True)
    u_probability = serializers.FloatField(allow_null=True)


class ComparisonSerializer(serializers.Serializer[Any]):
    comparison = serializers.CharField()
    title = serializers.CharField()
    levels = LevelSerializer(many=True)


class LinkageModelSerializer(serializers.ModelSerializer[LinkageModel]):
    """The model in force: when, by whom, on how many workers, and each comparison's levels (the Splink
    settings themselves under ``splink_settings``)."""

    trained_by = serializers.SerializerMethodField()
    comparisons = ComparisonSerializer(many=True, read_only=True, source="weights")

    class Meta:
        model = LinkageModel
        fields = ["trained_at", "trained_by", "workers_count", "seconds", "comparisons", "splink_settings"]
        read_only_fields = fields

    def get_trained_by(self, model: LinkageModel) -> str | None:
        return model.trained_by.get_username() if model.trained_by is not None else None
