"""Merging two worker records that are the same person, and undoing it (issue 16, "Duplicates").

``worker_merge`` moves every row that points to the ``merged`` worker to the ``surviving`` one, records
exactly which rows moved in a :class:`~sswis.registry.models_merging.WorkerMerge`, and marks the merged
record ``merged_into`` the survivor. The merged record is kept (never deleted): its worker ID, national ID
and history stay, and lead to the survivor. ``worker_unmerge`` moves exactly the recorded rows back.

The registry does not know the other domains (imports flow down), so each app that has a foreign key to
``Worker`` registers it here from its ``AppConfig.ready()`` with :func:`worker_mover_register`; the
registry moves the rows of every registered reference the same way (one audited save per row, with the
actor as author and the merge's reason), after a check for conflicts:

- every unique constraint of the model that includes the worker's foreign key (and a one-to-one field)
  is checked as it would stand after the move: two rows that would become one person's twice (the same
  caseload month, the same survey round, the same exam session...) refuse the merge, naming both rows;
  the data manager decides which is right and corrects the other first;
- on a model with two references to workers (a supervisor and a supervisee), a row that would link the
  person with themself refuses the merge;
- a domain's own rule (a ``check`` given at registration, such as one live registration per register)
  refuses it too.

Every refusal is a ``ValidationError`` listing all the conflicts found; nothing is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access import merging_policy
from sswis.registry.models import Assignment, Worker
from sswis.registry.models_merging import WorkerMerge
from sswis.text import text_problem, text_problem_message

# (source worker, target worker, primary keys of the rows that would move) -> messages naming conflicts
MoveCheck = Callable[[Worker, Worker, list[Any]], list[str]]


@dataclass(frozen=True)
class WorkerMover:
    """A foreign key ``field`` of ``model`` to ``Worker`` whose rows follow a merge (and an unmerge)."""

    model: type[models.Model]
    field: str
    check: MoveCheck | None = None

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"

    @property
    def attname(self) -> str:
        return _attname(self.model, self.field)


def _attname(model: type[models.Model], field: str) -> str:
    """The column attribute of ``model.field`` (``worker_id`` for ``worker``)."""
    return str(getattr(model._meta.get_field(field), "attname", field))


_MOVERS: dict[str, WorkerMover] = {}


def worker_mover_register(*, model: type[models.Model], field: str, check: MoveCheck | None = None) -> None:
    """Register ``model.field`` (a foreign key or one-to-one field to ``Worker``) to move with merges.

    Called from the owning app's ``AppConfig.ready()``. Registering the same field again replaces it (a
    reloaded app). Raises ``ValueError`` for a field that does not point to ``Worker``.
    """
    target = model._meta.get_field(field)
    if not target.is_relation or target.related_model is not Worker:
        raise ValueError(f"{model._meta.label}.{field} is not a reference to a worker")
    mover = WorkerMover(model=model, field=field, check=check)
    _MOVERS[mover.key] = mover


def worker_movers() -> tuple[WorkerMover, ...]:
    """Every registered reference to workers, in registration order."""
    return tuple(_MOVERS.values())


def worker_live(worker: Worker) -> Worker:
    """The live record of ``worker``: itself, or the survivor its merges lead to (following a chain)."""
    seen = {worker.pk}
    while worker.merged_into_id is not None:
        worker = Worker.objects.get(pk=worker.merged_into_id)
        if worker.pk in seen:  # impossible by the merge rules; never loop forever on bad data
            break
        seen.add(worker.pk)
    return worker


def _label(worker: Worker) -> str:
    return f"{worker.full_name} ({worker.worker_id})"


def _unique_sets(model: type[models.Model]) -> list[tuple[tuple[str, ...], Any, str]]:
    """The model's unique field sets: (field names, condition or None, constraint name)."""
    sets: list[tuple[tuple[str, ...], Any, str]] = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append((tuple(constraint.fields), constraint.condition, constraint.name))
    for together in model._meta.unique_together:
        sets.append((tuple(together), None, "unique_together"))
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            sets.append(((field.name,), None, field.name))
    return sets


def _mapper(*, by_attname: dict[str, set[Any]], target_pk: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function giving a row's values (``values()`` dict with ``pk``) as they would be after the move."""

    def mapped(row: dict[str, Any]) -> dict[str, Any]:
        after = dict(row)
        for attname, pks in by_attname.items():
            if row["pk"] in pks:
                after[attname] = target_pk
        return after

    return mapped


def _conflicts(*, plan: dict[str, list[Any]], source: Worker, target: Worker) -> list[str]:
    """Messages for every row that would break a unique rule, link the person with themself, or break a
    domain's own rule if the rows of ``plan`` (mover key -> primary keys) moved from ``source`` to
    ``target``."""
    messages: list[str] = []
    by_model: dict[type[models.Model], list[WorkerMover]] = defaultdict(list)
    for mover in worker_movers():
        by_model[mover.model].append(mover)
    for model, movers in by_model.items():
        moving = {mover.field: set(plan.get(mover.key, ())) for mover in movers}
        if not any(moving.values()):
            continue
        name = str(model._meta.verbose_name_plural)
        fields = [mover.field for mover in movers]

        by_attname = {_attname(model, field): moving[field] for field in fields}
        mapped = _mapper(by_attname=by_attname, target_pk=target.pk)

        if len(fields) > 1:
            attnames = [_attname(model, field) for field in fields]
            moved_pks = set().union(*moving.values())
            for row in model._default_manager.filter(pk__in=moved_pks).values("pk", *attnames):
                after = mapped(row)
                if len({after[attname] for attname in attnames}) < len(attnames):
                    messages.append(
                        _("%(kind)s: %(row)s would link %(worker)s with themself.")
                        % {
                            "kind": name,
                            "row": model._default_manager.get(pk=row["pk"]),
                            "worker": _label(target),
                        }
                    )
        for unique_fields, condition, _constraint in _unique_sets(model):
            worker_fields = [field for field in fields if field in unique_fields]
            if not worker_fields:
                continue
            attnames = [_attname(model, field) for field in unique_fields]
            involved = models.Q()
            for field in worker_fields:
                involved |= models.Q(**{f"{_attname(model, field)}__in": [source.pk, target.pk]})
            rows = model._default_manager.filter(involved)
            if condition is not None:
                rows = rows.filter(condition)
            groups: dict[tuple[Any, ...], list[tuple[Any, bool]]] = defaultdict(list)
            for row in rows.values("pk", *attnames):
                after = mapped(row)
                moves = any(row["pk"] in moving[field] for field in worker_fields)
                groups[tuple(after[attname] for attname in attnames)].append((row["pk"], moves))
            for members in groups.values():
                if len(members) > 1 and any(moves for _pk, moves in members):
                    shown = [str(model._default_manager.get(pk=pk)) for pk, _moves in members]
                    messages.append(
                        _(
                            "%(kind)s: %(rows)s would become the same person's twice (%(fields)s); correct one first."
                        )
                        % {
                            "kind": name,
                            "rows": "; ".join(shown),
                            "fields": ", ".join(
                                str(getattr(model._meta.get_field(f), "verbose_name", f))
                                for f in unique_fields
                            ),
                        }
                    )
    for mover in worker_movers():
        pks = plan.get(mover.key, [])
        if pks and mover.check is not None:
            messages.extend(mover.check(source, target, pks))
    return messages


def _move(*, plan: dict[str, list[Any]], target: Worker, actor: Any, reason: str) -> None:
    """Point every row of ``plan`` at ``target``, one audited save each (the actor and the reason in the
    row's history); ``updated_at`` changes, so the FHIR directory sees the row again."""
    for mover in worker_movers():
        pks = plan.get(mover.key, [])
        if not pks:
            continue
        has_updated_at = any(field.name == "updated_at" for field in mover.model._meta.concrete_fields)
        for row in mover.model._default_manager.filter(pk__in=pks).order_by("pk"):
            setattr(row, mover.attname, target.pk)
            row._history_user = actor  # type: ignore[attr-defined]
            row._change_reason = _audit_reason(reason)  # type: ignore[attr-defined]
            row.save(update_fields=[mover.field, *(["updated_at"] if has_updated_at else [])])


def _merge_problems(*, surviving: Worker, merged: Worker) -> list[str]:
    if surviving.pk == merged.pk:
        return [_("A worker cannot be merged with themself: choose two different records.")]
    problems = []
    if merged.merged_into_id is not None:
        problems.append(
            _("%(worker)s is already merged into another record; undo that merge first.")
            % {"worker": _label(merged)}
        )
    if surviving.merged_into_id is not None:
        problems.append(
            _(
                "%(worker)s is itself merged into another record and cannot survive a merge; merge into %(live)s."
            )
            % {"worker": _label(surviving), "live": _label(worker_live(surviving))}
        )
    return problems


AUDIT_REASON_LENGTH = 100  # django-simple-history's ``history_change_reason`` column


def _audit_reason(reason: str) -> str:
    """The reason as the audit rows can hold it: whole up to 100 characters, else cut with an ellipsis.
    The merge row keeps the whole reason (``WorkerMerge.reason``, ``unmerge_reason``), audited as a field;
    PostgreSQL refuses a longer value outright (SQLite would keep it)."""
    if len(reason) <= AUDIT_REASON_LENGTH:
        return reason
    return reason[: AUDIT_REASON_LENGTH - 1] + "…"


def _reason_checked(reason: str) -> str:
    """The reason without surrounding spaces; refused when empty or holding a control character."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason (why these two records are the same person).")})
    problem = text_problem(reason, multiline=True)
    if problem is not None:
        raise ValidationError({"reason": text_problem_message(label=_("Reason"), problem=problem)})
    return reason


@transaction.atomic
def worker_merge(*, actor: Any, surviving: Worker, merged: Worker, reason: str) -> WorkerMerge:
    """Merge ``merged`` into ``surviving``: the same person recorded twice.

    Guarantees, all in one transaction: every row of every registered reference (assignments, and the
    other domains' registrations, completions, supervision, caseloads...) that points to ``merged`` points
    to ``surviving`` afterwards, each saved with an audit record naming ``actor`` and ``reason``; the
    assignments' copy of the worker's sex is read again from the survivor; ``merged`` is marked
    ``merged_into`` the survivor with ``merged_at`` and keeps its identifiers and history; the returned
    ``WorkerMerge`` lists every moved row.

    Refused with ``ValidationError`` (nothing written): the same record twice; a record already merged
    away (either side); an empty reason; any conflict found by the movers' checks (see the module).
    Refused with ``PermissionDenied`` (``sswis.access.merging_policy``): an actor who may not merge, or
    either record outside the actor's scope.
    """
    merging_policy.require_merge_role(user=actor)
    reason = _reason_checked(reason)
    # Lock both rows (ordered, so that two merges of the same pair cannot deadlock) and read them fresh.
    locked = {
        w.pk: w
        for w in Worker.objects.select_for_update().filter(pk__in=[surviving.pk, merged.pk]).order_by("pk")
    }
    surviving = locked.get(surviving.pk, surviving)
    merged = locked.get(merged.pk, merged)
    problems = _merge_problems(surviving=surviving, merged=merged)
    if problems:
        raise ValidationError({"merged": problems})
    merging_policy.require_merge(user=actor, surviving=surviving, merged=merged)
    plan: dict[str, list[Any]] = {}
    for mover in worker_movers():
        pks = list(
            mover.model._default_manager.filter(**{mover.attname: merged.pk})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if pks:
            plan[mover.key] = pks
    conflicts = _conflicts(plan=plan, source=merged, target=surviving)
    if conflicts:
        raise ValidationError({"merged": conflicts})
    now = timezone.now()
    merge = WorkerMerge(
        surviving=surviving, merged=merged, reason=reason, merged_at=now, merged_by=actor, moved=plan
    )
    merge._history_user = actor  # type: ignore[attr-defined]
    merge._change_reason = _audit_reason(reason)  # type: ignore[attr-defined]
    merge.save()
    _move(plan=plan, target=surviving, actor=actor, reason=reason)
    merged.merged_into = surviving
    merged.merged_at = now
    merged._history_user = actor  # type: ignore[attr-defined]
    merged._change_reason = _audit_reason(reason)  # type: ignore[attr-defined]
    merged.save(update_fields=["merged_into", "merged_at", "updated_at"])
    return merge


def merge_unmerge_problems(*, merge: WorkerMerge) -> list[str]:
    """Why ``merge`` cannot be undone now (empty when it can): already undone, or a later merge still in
    force moved the survivor (with the rows this merge gave it) into another record."""
    if merge.unmerged_at is not None:
        return [_("This merge was already undone.")]
    later = (
        WorkerMerge.objects.filter(
            merged_id=merge.surviving_id, unmerged_at__isnull=True, merged_at__gte=merge.merged_at
        )
        .exclude(pk=merge.pk)
        .select_related("surviving")
        .first()
    )
    if later is not None:
        return [
            _(
                "A later merge depends on this one: %(worker)s was merged into %(live)s; undo that merge first."
            )
            % {"worker": _label(merge.surviving), "live": _label(later.surviving)}
        ]
    return []


@transaction.atomic
def worker_unmerge(*, actor: Any, merge: WorkerMerge, reason: str) -> None:
    """Undo ``merge``: the rows it moved (and still on the survivor) go back to the merged record, which is
    live again; rows recorded on the survivor after the merge stay with it; rows deleted since stay gone.

    All in one transaction, each moved row saved with an audit record naming ``actor`` and ``reason``; the
    merge is kept with ``unmerged_at``/``unmerged_by``/``unmerge_reason``. Refused with ``ValidationError``
    (nothing written): an empty reason, a merge already undone, a later merge that depends on it, or a
    row that would conflict on the merged record (a unique rule, a domain's check). Refused with
    ``PermissionDenied``: an actor who may not undo it (``merging_policy.require_unmerge``).
    """
    merging_policy.require_merge_role(user=actor)
    reason = _reason_checked(reason)
    merge = WorkerMerge.objects.select_for_update().select_related("surviving", "merged").get(pk=merge.pk)
    merging_policy.require_unmerge(user=actor, merge=merge)
    problems = merge_unmerge_problems(merge=merge)
    if problems:
        raise ValidationError({"merge": problems})
    surviving, merged = merge.surviving, merge.merged
    plan: dict[str, list[Any]] = {}
    for mover in worker_movers():
        recorded = merge.moved.get(mover.key, [])
        if not recorded:
            continue
        # Only rows still on the survivor: one moved on since (to another worker, by an edit) stays where it is.
        pks = list(
            mover.model._default_manager.filter(pk__in=recorded, **{mover.attname: surviving.pk})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if pks:
            plan[mover.key] = pks
    conflicts = _conflicts(plan=plan, source=surviving, target=merged)
    if conflicts:
        raise ValidationError({"merge": conflicts})
    _move(plan=plan, target=merged, actor=actor, reason=reason)
    merged.merged_into = None
    merged.merged_at = None
    merged._history_user = actor  # type: ignore[attr-defined]
    merged._change_reason = _audit_reason(reason)  # type: ignore[attr-defined]
    merged.save(update_fields=["merged_into", "merged_at", "updated_at"])
    merge.unmerged_at = timezone.now()
    merge.unmerged_by = actor
    merge.unmerge_reason = reason
    merge._history_user = actor  # type: ignore[attr-defined]
    merge._change_reason = _audit_reason(reason)  # type: ignore[attr-defined]
    merge.save(update_fields=["unmerged_at", "unmerged_by", "unmerge_reason"])


# The registry's own reference: assignments (their copy of the worker's sex is read again from the new
# worker by ``Assignment.save``, since the worker is among the saved fields).
worker_mover_register(model=Assignment, field="worker")
