"""The writes of caseloads: a worker's open cases at the end of a month, and the norms per cadre.

A caseload is one per worker, month and kind (contract ``support.md``, "Caseloads"): setting it again
replaces it (a later sync or import wins). Every function is audited with its ``actor``, runs in one
transaction and refuses bad input with a ``ValidationError`` naming the field, writing nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.support_policy import require_rules_change, require_workers_change
from sswis.auditing import instance_apply_changes
from sswis.registry.models import Cadre, Worker
from sswis.support.models import CASELOAD_KIND_ALL, Caseload, CaseloadNorm, RecordSource
from sswis.text import text_problem, text_problem_message


def month_parse(text: str) -> datetime.date:
    """The first day of the month ``YYYY-MM``; ``ValueError`` with a sentence otherwise."""
    text = text.strip()
    try:
        if len(text) != 7 or text[4] != "-":
            raise ValueError
        return datetime.date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        raise ValueError(
            _("%(value)s is not a month: write YYYY-MM, e.g. 2025-12.") % {"value": text}
        ) from None


def _kind_checked(kind: str) -> str:
    kind = kind.strip() or CASELOAD_KIND_ALL
    problem = text_problem(kind)
    if problem is not None:
        raise ValidationError({"kind": text_problem_message(label=_("Kind"), problem=problem)})
    return kind


@transaction.atomic
def caseload_set(
    *,
    actor: Any,
    worker: Worker,
    month: datetime.date,
    open_cases: int,
    kind: str = CASELOAD_KIND_ALL,
    source: str = RecordSource.ENTERED,
) -> tuple[Caseload, bool]:
    """Set ``worker``'s open cases of ``kind`` at the end of ``month`` (its first day); returns the caseload
    and whether it changed. Refused: a month that has not begun, a negative count."""
    require_workers_change(user=actor, workers=[worker])
    if month.day != 1:
        month = month.replace(day=1)
    if month > timezone.localdate():
        raise ValidationError({"month": _("This month has not begun.")})
    if open_cases < 0:
        raise ValidationError({"open_cases": _("The number of open cases cannot be negative.")})
    kind = _kind_checked(kind)
    caseload = Caseload.objects.select_for_update().filter(
        worker=worker, month=month, kind=kind
    ).first() or Caseload(worker=worker, month=month, kind=kind)
    if not caseload._state.adding and caseload.open_cases == open_cases:
        return caseload, False  # the same figure again (from any source): unchanged, no history record
    instance_apply_changes(
        caseload,
        actor=actor,
        changes={"open_cases": open_cases, "source": source},
        allowed_fields=("open_cases", "source"),
    )
    return caseload, True


@transaction.atomic
def caseload_remove(*, actor: Any, caseload: Caseload) -> None:
    """Remove a caseload entered in error; its audit record keeps it."""
    require_workers_change(user=actor, workers=[caseload.worker])
    caseload._history_user = actor  # type: ignore[attr-defined]
    caseload.delete()


@transaction.atomic
def caseload_norm_set(
    *, actor: Any, cadre: Cadre, maximum_open_cases: int, kind: str = CASELOAD_KIND_ALL, source: str = ""
) -> CaseloadNorm:
    """Set the most open cases of ``kind`` a worker of ``cadre`` should carry (a national data manager)."""
    require_rules_change(user=actor)
    kind = _kind_checked(kind)
    norm = CaseloadNorm.objects.select_for_update().filter(cadre=cadre, kind=kind).first() or CaseloadNorm(
        cadre=cadre, kind=kind
    )
    instance_apply_changes(
        norm,
        actor=actor,
        changes={"maximum_open_cases": maximum_open_cases, "source": source.strip()},
        allowed_fields=("maximum_open_cases", "source"),
    )
    return norm


@transaction.atomic
def caseload_norm_remove(*, actor: Any, norm: CaseloadNorm) -> None:
    require_rules_change(user=actor)
    norm._history_user = actor  # type: ignore[attr-defined]
    norm.delete()
