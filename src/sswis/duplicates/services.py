"""The writes of duplicate detection: runs, the trained model, and the review of candidate pairs.

* :func:`duplicate_run_create` / :func:`duplicate_run_queue` / :func:`duplicate_run_execute` — record a
  run, queue it for the background worker, or run it here (the command line): read the workers into DuckDB,
  train the model when asked or when none is stored yet, score the blocked pairs, store those at or above
  the threshold with their reasons and clusters. A pair rejected by any earlier review is never stored
  again.
* :func:`pair_confirm` — the two records are one person: merge ``merged`` into ``surviving`` through the
  registry's merge service, and close the pair, in one transaction.
* :func:`pair_reject` — two different people: close the pair with the reviewer's reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.duplicates_policy import pairs_visible, require_duplicates_review, require_duplicates_run
from sswis.auditing import instance_save_audited
from sswis.duplicates.linkage import clusters_of, levels_of, model_train, pairs_predict, reasons_of
from sswis.duplicates.models import CandidatePair, DuplicateRun, LinkageModel, PairStatus, RunStatus
from sswis.registry.models import Worker
from sswis.text import text_problem, text_problem_message

if TYPE_CHECKING:
    import duckdb

REASON_MAX = 2000


def threshold_checked(*, value: Any) -> float:
    """``value`` as a match probability strictly between 0 and 1; ``ValidationError`` otherwise."""
    try:
        threshold = float(value)
    except (TypeError, ValueError) as problem:
        raise ValidationError(
            {"threshold": _("The threshold must be a number between 0 and 1.")}
        ) from problem
    if not 0 < threshold < 1:
        raise ValidationError({"threshold": _("The threshold must be a number between 0 and 1.")})
    return threshold


@transaction.atomic
def duplicate_run_create(*, actor: Any, threshold: Any, train: bool, origin: str) -> DuplicateRun:
    """Record a run to make. ``actor`` ``None``: the command line (the server's operator). Raises
    ``PermissionDenied`` for anyone but a national data manager and ``ValidationError`` for a bad
    threshold (nothing written)."""
    if actor is not None:
        require_duplicates_run(user=actor)
    run = DuplicateRun(user=actor, origin=origin, threshold=threshold_checked(value=threshold), train=train)
    run.save()
    return run


def _stage(run: DuplicateRun, stage: str, progress: float) -> None:
    run.stage, run.progress = stage[:100], progress
    run.save(update_fields=["stage", "progress"])


def model_store(*, database: duckdb.DuckDBPyConnection, workers: int, actor: Any) -> LinkageModel:
    """Train the model on the DuckDB table ``workers`` and store it with its author and training time."""
    started = time.monotonic()
    settings = model_train(database=database, workers=workers)
    model = LinkageModel(
        splink_settings=settings,
        trained_by=actor,
        workers_count=workers,
        seconds=round(time.monotonic() - started, 3),
    )
    instance_save_audited(model, actor=actor)
    return model


def rejected_pairs() -> set[tuple[int, int]]:
    """Every pair of workers (smaller primary key first) a reviewer said are different people."""
    return set(
        CandidatePair.objects.filter(status=PairStatus.REJECTED).values_list("worker_a_id", "worker_b_id")
    )


def duplicate_run_execute(
    *, run: DuplicateRun, progress: Callable[[str, float], None] | None = None
) -> DuplicateRun:
    """Make ``run`` (module docstring): ``success`` with its pairs, or ``failed`` with the error (no pair).

    Training needs at least two workers; with none stored and too few workers the run fails with that
    reason. ``progress(stage, fraction)`` is told each stage too (the command line prints it).
    """

    def step(stage: str, fraction: float) -> None:
        _stage(run, stage, fraction)
        if progress is not None:
            progress(stage, fraction)

    # DuckDB, pyarrow and the name tools are loaded here, by the process that runs the search, not by
    # every process that imports this module (docs/load.md, memory).
    import duckdb

    from sswis.duplicates.reading import workers_load

    run.status, run.started_at = RunStatus.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    database = duckdb.connect()
    try:
        step(_("Reading the workers"), 0.05)
        workers = workers_load(database=database, today=timezone.localdate())
        run.workers_count = workers
        model = None if run.train else LinkageModel.objects.order_by("-trained_at", "-id").first()
        if model is None:
            step(_("Training the model"), 0.2)
            model = model_store(database=database, workers=workers, actor=run.user)
        run.model = model
        step(_("Comparing the pairs"), 0.5)
        predictions = pairs_predict(
            database=database, settings=model.splink_settings, threshold=run.threshold
        )
        step(_("Storing the pairs"), 0.9)
        _pairs_store(run=run, predictions=predictions, levels=levels_of(model.splink_settings))
    except ValueError as problem:
        return _failed(run, str(problem))
    except Exception as problem:
        _failed(run, _("The run stopped (%(error)s).") % {"error": problem})
        raise
    finally:
        database.close()
    run.status, run.finished_at, run.progress, run.stage = RunStatus.SUCCESS, timezone.now(), 1.0, _("Done")
    run.save(
        update_fields=[
            "status", "finished_at", "progress", "stage", "workers_count", "model",
            "pairs_count", "clusters_count", "skipped_rejected",
        ]
    )  # fmt: skip
    return run


@transaction.atomic
def _pairs_store(run: DuplicateRun, predictions: list[Any], levels: dict[str, Any]) -> None:
    rejected = rejected_pairs()
    kept = [item for item in predictions if (item.unique_id_a, item.unique_id_b) not in rejected]
    clusters = clusters_of([(item.unique_id_a, item.unique_id_b) for item in kept])
    CandidatePair.objects.bulk_create(
        (
            CandidatePair(
                run=run,
                worker_a_id=item.unique_id_a,
                worker_b_id=item.unique_id_b,
                probability=round(item.probability, 6),
                match_weight=round(item.match_weight, 3),
                reasons=reasons_of(weights=item.weights, gammas=item.gammas, levels=levels),
                cluster=clusters[item.unique_id_a],
            )
            for item in kept
        ),
        batch_size=2000,
    )
    run.pairs_count, run.clusters_count = len(kept), len(set(clusters.values()))
    run.skipped_rejected = len(predictions) - len(kept)


def _failed(run: DuplicateRun, error: str) -> DuplicateRun:
    run.status, run.finished_at, run.error = RunStatus.FAILED, timezone.now(), error
    run.save(update_fields=["status", "finished_at", "error"])
    return run


def duplicate_run_queue(*, run: DuplicateRun) -> DuplicateRun:
    """Queue ``run`` for the background worker (``sswis db_worker``); with the immediate task backend
    (tests) it has run when this returns. A run that cannot be queued is failed with the reason."""
    from sswis.duplicates.tasks import duplicate_run_task  # the task module imports this one

    try:
        duplicate_run_task.enqueue(run_id=run.pk)
    except Exception as error:  # the task backend's own errors
        _failed(run, _("The run could not be queued (%(error)s).") % {"error": error})
    run.refresh_from_db()
    return run


def _reason_checked(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    problem = text_problem(reason, multiline=True)
    if problem is not None:
        raise ValidationError({"reason": text_problem_message(label=_("Reason"), problem=problem)})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(count)d characters.") % {"count": REASON_MAX}})
    return reason


def _open_pair_locked(*, actor: Any, pair: CandidatePair) -> CandidatePair:
    """The pair, locked and read fresh; ``PermissionDenied`` when the actor may not review it and
    ``ValidationError`` when it has been reviewed already."""
    if actor is not None:
        require_duplicates_review(user=actor)
        if not pairs_visible(user=actor, queryset=CandidatePair.objects.filter(pk=pair.pk)).exists():
            raise PermissionDenied(_("This pair is outside your area."))
    locked = CandidatePair.objects.select_for_update().get(pk=pair.pk)
    if locked.status != PairStatus.OPEN:
        raise ValidationError(
            {
                "status": _("This pair has been reviewed already (%(status)s).")
                % {"status": locked.get_status_display()}
            }
        )
    return locked


@transaction.atomic
def pair_confirm(*, actor: Any, pair: CandidatePair, surviving: Worker, reason: str) -> CandidatePair:
    """The pair's two records are one person: ``surviving`` (one of the two) stays, the other is merged
    into it by ``sswis.registry.merging.worker_merge``, and the pair is closed as confirmed — all or
    nothing. Refused (nothing written) with ``PermissionDenied`` outside the actor's area and
    ``ValidationError`` for a survivor that is not one of the pair, a pair already reviewed, a bad reason
    or any conflict the merge finds."""
    from sswis.registry.merging import worker_merge

    locked = _open_pair_locked(actor=actor, pair=pair)
    if surviving.pk not in (locked.worker_a_id, locked.worker_b_id):
        raise ValidationError({"surviving": _("The surviving record must be one of the pair's two workers.")})
    reason = _reason_checked(reason, required=False) or _("Duplicate confirmed in the review queue.")
    merged_id = locked.worker_b_id if surviving.pk == locked.worker_a_id else locked.worker_a_id
    merged = Worker.objects.get(pk=merged_id)
    worker_merge(actor=actor, surviving=surviving, merged=merged, reason=reason)
    locked.status, locked.surviving = PairStatus.CONFIRMED, surviving
    locked.reviewed_by, locked.reviewed_at, locked.review_reason = actor, timezone.now(), reason
    instance_save_audited(
        locked,
        actor=actor,
        update_fields=["status", "surviving", "reviewed_by", "reviewed_at", "review_reason"],
    )
    return locked


@transaction.atomic
def pair_reject(*, actor: Any, pair: CandidatePair, reason: str) -> CandidatePair:
    """The pair's records are two different people: close it with ``reason`` (required). A rejected pair
    is never proposed again by later runs. Refused as :func:`pair_confirm` is."""
    locked = _open_pair_locked(actor=actor, pair=pair)
    locked.status = PairStatus.REJECTED
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    locked.review_reason = _reason_checked(reason, required=True)
    instance_save_audited(
        locked, actor=actor, update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"]
    )
    return locked
