"""Saving model rows with their audit trail: the acting user becomes the author of the history record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from simple_history.models import HistoricalRecords


def instance_save_audited(
    instance: models.Model, *, actor: Any, update_fields: list[str] | None = None
) -> None:
    """Save ``instance`` and record ``actor`` (a user, or ``None`` for the system) as the change's author."""
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.save(update_fields=update_fields)


def instance_apply_changes(
    instance: models.Model, *, actor: Any, changes: Mapping[str, Any], allowed_fields: Iterable[str]
) -> list[str]:
    """Set the fields in ``changes`` that differ, validate the row, save only those; return their names.

    A new (unsaved) instance gets every field in ``changes`` and is inserted.

    Raises ``ValidationError`` for a field outside ``allowed_fields`` or an invalid value, writing nothing.
    Nothing is saved (and no history is recorded) when no value differs.
    """
    allowed = set(allowed_fields)
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError({name: gettext("This field cannot be changed here.") for name in unknown})
    if instance._state.adding:
        changed = list(changes)
    else:
        changed = [name for name, value in changes.items() if getattr(instance, name) != value]
        if not changed:
            return []
    for name in changed:
        setattr(instance, name, changes[name])
    instance.full_clean()
    if instance._state.adding:
        instance_save_audited(instance, actor=actor)
        return changed
    has_updated_at = any(field.name == "updated_at" for field in instance._meta.fields)
    instance_save_audited(
        instance, actor=actor, update_fields=[*changed, *(["updated_at"] if has_updated_at else [])]
    )
    return changed


class AuditHistory(HistoricalRecords):
    """``HistoricalRecords`` whose history table is indexed only for how the audit trail is read.

    django-simple-history indexes every history column whose original is indexed or unique (codes, UUIDs,
    foreign keys, ``updated_at``, names): ten or eleven indexes per history table, each updated for every
    history row written. The audit trail is read by the original row's id (``instance.history``,
    ``Model.history.filter(id__in=...)``), ordered by ``history_date``; records are also found by
    author. So only those keep an index: the history's own primary key, the original row's id,
    ``history_date`` and ``history_user``. Measured with ``bench/import.py --workers 1000000``: writing the
    history rows of an import is the larger half of its database time with every index.
    """

    def copy_fields(self, model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
        fields: dict[str, models.Field[Any, Any]] = super().copy_fields(model)
        original_pk = model._meta.pk.name if model._meta.pk is not None else "id"
        for name, field in fields.items():
            if name != original_pk:
                field.db_index = False  # type: ignore[attr-defined]  # a Field attribute the stubs lack
        return fields
