"""The completions of institutions' and platforms' lists that matched no worker
(``training.completion_lists``): who sees them, matching one to a worker, setting one aside.

A kept row is ``pending`` until someone matches it to a worker (it then is that worker's completion) or sets
it aside with a reason; it is never deleted. Who may see and change them:
``training_policy.unmatched_completions_visible`` and ``training_policy.require_institution_change`` (a
national data manager all; an institution's focal point those of their institution's programmes).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from sswis.access import training_policy
from sswis.auditing import instance_apply_changes, instance_save_audited
from sswis.registry.models import Worker
from sswis.training.models import Completion, CompletionSource, UnmatchedCompletion


def unmatched_completions_visible(*, user: Any) -> QuerySet[UnmatchedCompletion]:
    """The unmatched completions ``user`` may see (``training_policy.unmatched_completions_visible``), newest
    first, with their programme, institution and the completion they were matched to."""
    queryset = UnmatchedCompletion.objects.select_related(
        "programme__institution", "matched__worker"
    ).order_by("-created_at", "-id")
    return training_policy.unmatched_completions_visible(user=user, queryset=queryset)


def unmatched_completion_list(*, user: Any, status: str = "") -> QuerySet[UnmatchedCompletion]:
    """:func:`unmatched_completions_visible`, only those ``pending`` (neither matched nor set aside),
    ``matched`` or ``set_aside`` when ``status`` says so (``""``: all)."""
    rows = unmatched_completions_visible(user=user)
    if status == "pending":
        return rows.filter(matched__isnull=True, set_aside_reason="")
    if status == "matched":
        return rows.filter(matched__isnull=False)
    if status == "set_aside":
        return rows.filter(matched__isnull=True).exclude(set_aside_reason="")
    return rows


UNMATCHED_STATUSES = ("pending", "matched", "set_aside")


def unmatched_status(unmatched: UnmatchedCompletion) -> str:
    """``pending``, ``matched`` or ``set_aside``."""
    if unmatched.matched_id is not None:
        return "matched"
    return "set_aside" if unmatched.set_aside_reason else "pending"


def _still_pending(unmatched: UnmatchedCompletion) -> None:
    if unmatched.matched_id is not None:
        raise ValidationError(gettext("This completion is already matched to a worker."))
    if unmatched.set_aside_reason:
        raise ValidationError(
            gettext("This completion was set aside: %(reason)s") % {"reason": unmatched.set_aside_reason}
        )


@transaction.atomic
def unmatched_completion_match(*, actor: Any, unmatched: UnmatchedCompletion, worker: Worker) -> Completion:
    """Match a kept completion to ``worker``: it becomes the worker's completion of its programme on its day
    (``source`` ``platform``, with its certificate number), or, when the worker has that completion already,
    that one; the kept row is linked to it. Both writes are audited with ``actor``.

    Refused (``PermissionDenied``) to anyone but a national data manager or the focal point of the
    programme's institution; a row already matched or set aside is a ``ValidationError``; a certificate
    number other than the stored completion's is a ``ValidationError`` naming ``worker``."""
    unmatched = (
        UnmatchedCompletion.objects.select_for_update().select_related("programme").get(pk=unmatched.pk)
    )
    training_policy.require_institution_change(user=actor, institution_id=unmatched.programme.institution_id)
    _still_pending(unmatched)
    completion = Completion.objects.filter(
        worker=worker, programme=unmatched.programme, completed_on=unmatched.completed_on
    ).first()
    if completion is None:
        completion = Completion(
            worker=worker,
            programme=unmatched.programme,
            completed_on=unmatched.completed_on,
            certificate_number=unmatched.certificate_number,
            source=CompletionSource.PLATFORM,
        )
        completion.full_clean()
        instance_save_audited(completion, actor=actor)
    elif unmatched.certificate_number and completion.certificate_number not in (
        "",
        unmatched.certificate_number,
    ):
        raise ValidationError(
            {
                "worker": gettext(
                    "Worker %(worker)s has this completion with certificate '%(stored)s', not '%(given)s'."
                )
                % {
                    "worker": worker.worker_id,
                    "stored": completion.certificate_number,
                    "given": unmatched.certificate_number,
                }
            }
        )
    elif unmatched.certificate_number and not completion.certificate_number:
        instance_apply_changes(
            completion,
            actor=actor,
            changes={"certificate_number": unmatched.certificate_number},
            allowed_fields=("certificate_number",),
        )
    unmatched.matched = completion
    instance_save_audited(unmatched, actor=actor, update_fields=["matched", "updated_at"])
    return completion


@transaction.atomic
def unmatched_completion_set_aside(
    *, actor: Any, unmatched: UnmatchedCompletion, reason: str
) -> UnmatchedCompletion:
    """Set a kept completion aside, with the ``reason`` (e.g. "not a social service worker"): it is kept, no
    longer waiting to be matched. Audited with ``actor``.

    Refused (``PermissionDenied``) to anyone but a national data manager or the focal point of the
    programme's institution; a row already matched or set aside, or an empty reason, or one with a character
    that is not allowed or longer than 500 characters, is a ``ValidationError`` naming ``set_aside_reason``."""
    unmatched = (
        UnmatchedCompletion.objects.select_for_update().select_related("programme").get(pk=unmatched.pk)
    )
    training_policy.require_institution_change(user=actor, institution_id=unmatched.programme.institution_id)
    _still_pending(unmatched)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"set_aside_reason": gettext("Say why the completion is set aside.")})
    instance_apply_changes(
        unmatched, actor=actor, changes={"set_aside_reason": reason}, allowed_fields=("set_aside_reason",)
    )
    return unmatched
