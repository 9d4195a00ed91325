"""The reads of duplicate detection, each through ``sswis.access.duplicates_policy``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sswis.access.duplicates_policy import pairs_visible, require_duplicates_review
from sswis.duplicates.linkage import COMPARISON_TITLES, Level, levels_of
from sswis.duplicates.models import CandidatePair, DuplicateRun, LinkageModel, PairStatus, RunStatus

PAIR_RELATED = ("worker_a", "worker_b", "reviewed_by", "surviving")


def latest_run() -> DuplicateRun | None:
    """The newest run that finished: its open pairs are the review queue."""
    return DuplicateRun.objects.filter(status=RunStatus.SUCCESS).order_by("-finished_at", "-id").first()


def pairs_for_review(*, user: Any, status: str = PairStatus.OPEN) -> QuerySet[CandidatePair]:
    """The pairs of the latest finished run with ``status`` (``open`` by default) that ``user`` may
    review, most probable first. ``PermissionDenied`` for anyone but a reviewer."""
    require_duplicates_review(user=user)
    run = latest_run()
    queryset = CandidatePair.objects.filter(run=run, status=status) if run else CandidatePair.objects.none()
    return pairs_visible(user=user, queryset=queryset.select_related(*PAIR_RELATED)).order_by(
        "-probability", "id"
    )


def pair_for_review(*, user: Any, pair_id: int) -> CandidatePair | None:
    """One pair of any run the user may review, or ``None`` (missing or outside their area)."""
    require_duplicates_review(user=user)
    queryset = CandidatePair.objects.filter(pk=pair_id).select_related(*PAIR_RELATED)
    return pairs_visible(user=user, queryset=queryset).first()


def runs_list(*, user: Any) -> QuerySet[DuplicateRun]:
    require_duplicates_review(user=user)
    return DuplicateRun.objects.select_related("user", "model").order_by("-created_at", "-id")


def run_detail(*, user: Any, run_id: int) -> DuplicateRun | None:
    require_duplicates_review(user=user)
    return DuplicateRun.objects.select_related("user", "model").filter(pk=run_id).first()


def model_in_force(*, user: Any) -> LinkageModel | None:
    require_duplicates_review(user=user)
    return LinkageModel.objects.select_related("trained_by").order_by("-trained_at", "-id").first()


def model_weights(*, model: LinkageModel) -> list[dict[str, Any]]:
    """Each comparison of the model with its levels, most specific first: ``[{"comparison": name,
    "title": words, "levels": [{"level": label, "match_weight": w, "m_probability": m,
    "u_probability": u}]}]`` (the null level, worth 0, is left out)."""
    tables = levels_of(model.splink_settings)
    result = []
    for comparison in model.splink_settings["comparisons"]:
        name = comparison["output_column_name"]
        not_null = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        table: dict[int, Level] = tables[name]
        rows = []
        for position, level in enumerate(not_null):
            known = table[len(not_null) - 1 - position]
            rows.append(
                {
                    "level": known.label,
                    "match_weight": known.match_weight,
                    "m_probability": level.get("m_probability"),
                    "u_probability": level.get("u_probability"),
                }
            )
        result.append({"comparison": name, "title": str(COMPARISON_TITLES.get(name, name)), "levels": rows})
    return result


def pairs_as_json(*, pairs: list[CandidatePair]) -> dict[str, Any]:
    """The command's and the API's JSON: ``{"pairs": [{"worker_ids": [A, B], "probability": P,
    "reasons": {...}, "cluster": n}], "clusters": [[worker ids], ...]}`` with A, B the workers' IDs."""
    clusters: dict[int, set[str]] = {}
    items = []
    for pair in pairs:
        ids = [pair.worker_a.worker_id, pair.worker_b.worker_id]
        items.append({"worker_ids": ids, "probability": pair.probability, "reasons": pair.reasons})
        clusters.setdefault(pair.cluster, set()).update(ids)
    return {"pairs": items, "clusters": [sorted(members) for _number, members in sorted(clusters.items())]}
