"""The audit trail of a worker as the worker page shows it: who changed what, when, before and after.

Built from the django-simple-history records of the worker and of the assignments the viewer may see
(the caller passes those, already filtered by ``sswis.access``). Two queries for the records plus at
most one per kind of related row named in a change; no query per record.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext, pgettext_lazy

from sswis.registry.models import Assignment, Worker

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
ACTION_LABELS = {
    "created": pgettext_lazy("audit action", "created"),
    "changed": pgettext_lazy("audit action", "changed"),
    "deleted": pgettext_lazy("audit action", "deleted"),
}


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after a change, as text."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditEntry:
    """One historical record: when, by whom, what kind of change, on what, and the changed fields."""

    when: datetime.datetime
    author: str
    action: str  # created, changed or deleted (a code, for styles)
    action_label: str  # the action in the active language
    subject: str
    changes: tuple[FieldChange, ...]
    reason: str


def _author(record: Any) -> str:
    user = record.history_user
    if user is not None:
        return str(user.get_username())
    # Rows written without an acting user come from the system itself (migrations, scripts).
    return pgettext("author of a change", "system")


def _text(field: Any, value: Any, related: dict[tuple[type, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation and field.related_model is not None:
        return related.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _related_names(
    model: type[models.Model], deltas: Iterable[tuple[Any, list[Any]]]
) -> dict[tuple[type, Any], str]:
    """Look up the rows named by foreign keys in the changes, one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for _, changes in deltas:
        for change in changes:
            field = model._meta.get_field(change.field)
            if field.is_relation and field.related_model is not None:
                for value in (change.old, change.new):
                    if value is not None:
                        wanted[field.related_model].add(value)
    names: dict[tuple[type, Any], str] = {}
    for related_model, ids in wanted.items():
        for row in related_model._default_manager.filter(pk__in=ids):
            names[(related_model, row.pk)] = str(getattr(row, "code", row))
    return names


def _entries(
    model: type[models.Model], records: Sequence[Any], subject_of: dict[Any, str]
) -> list[AuditEntry]:
    """Pair each record with the previous record of the same row and describe the difference."""
    previous: dict[Any, Any] = {}
    deltas: list[tuple[Any, list[Any]]] = []
    for record in records:  # oldest first
        before = previous.get(record.id)
        changes = record.diff_against(before).changes if before is not None else []
        deltas.append((record, changes))
        previous[record.id] = record
    related = _related_names(model, deltas)
    entries = []
    for record, changes in deltas:
        fields = [model._meta.get_field(change.field) for change in changes]
        entries.append(
            AuditEntry(
                when=record.history_date,
                author=_author(record),
                action=ACTIONS.get(record.history_type, record.history_type),
                action_label=str(
                    ACTION_LABELS.get(ACTIONS.get(record.history_type, ""), record.history_type)
                ),
                subject=subject_of.get(record.id, gettext("Assignment")),
                changes=tuple(
                    FieldChange(
                        field=str(getattr(field, "verbose_name", field.name)),
                        before=_text(field, change.old, related),
                        after=_text(field, change.new, related),
                    )
                    for field, change in zip(fields, changes, strict=True)
                ),
                reason=record.history_change_reason or "",
            )
        )
    return entries


def worker_audit_trail(*, worker: Worker, assignments: Sequence[Assignment]) -> list[AuditEntry]:
    """Every recorded change of ``worker`` and of ``assignments`` (those the viewer may see), newest first."""
    worker_records = list(
        worker.history.select_related("history_user").order_by("history_date", "history_id")
    )
    assignment_records = list(
        Assignment.history.filter(id__in=[a.pk for a in assignments])
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    subjects = {
        a.pk: gettext("Assignment: %(cadre)s at %(organisation)s, %(location)s, from %(start)s")
        % {
            "cadre": a.cadre.name,
            "organisation": a.organisation.name,
            "location": a.location.name,
            "start": date_format(a.start_date, "SHORT_DATE_FORMAT"),
        }
        for a in assignments
    }
    entries = _entries(Worker, worker_records, {worker.pk: gettext("Personal details")})
    entries += _entries(Assignment, assignment_records, subjects)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
