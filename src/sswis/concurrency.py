"""No lost update: every editable row has a ``version`` that each write increments, checked atomically.

The one mechanism behind every way an existing row is edited:

- :class:`Versioned` (abstract model): ``version`` starts at 1. Every ``save()`` of an existing row first
  runs ``UPDATE ... SET version = v + 1 WHERE pk = ... AND version = v`` (``v`` the version the instance
  was loaded with), inside the same transaction as the save: a row changed since the instance was read
  is refused with :class:`EditConflict`, and two writers of the same row are serialised by the row lock
  that this update takes (PostgreSQL) or by the write lock (SQLite). It is not a read-compare-then-write.
- The bulk import writer (``sswis.imports.writing``) increments it in its own ``UPDATE``
  (:func:`version_increment_sql`); queryset updates of derived columns (a location's ``path``, the copied
  ``worker_sex``) are not edits and leave it alone.
- Services take ``version=``, the version a form or API client loaded, and call :func:`version_expect`
  before writing; the web forms carry it in a hidden field (:class:`VersionedForm`), the admin in
  :class:`VersionCheckedModelForm`, and the API in the ``ETag`` (:func:`representation_etag`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VERSION_FIELD = "version"
# Bookkeeping columns: never named as "what the other person changed".
_NOT_CHANGES = {VERSION_FIELD, "updated_at", "created_at", "path", "depth"}


@dataclass(frozen=True)
class ChangeSince:
    """Who changed a row last after a given version, when, and which of its fields differ since then."""

    user: str  # "" when not known (the system, or no history)
    when: datetime.datetime | None
    fields: tuple[str, ...]  # verbose names, in model order


def change_since(*, instance: models.Model, version: int) -> ChangeSince:
    """What the audit trail says about the changes made to ``instance``'s row after ``version``.

    Read from its django-simple-history records (which copy ``version``); without history only the
    fact of the change is known. Fields are compared between the last record at or before ``version``
    and the newest one; an import, a form and the API all leave such records.
    """
    history = getattr(type(instance), "history", None)
    if history is None or instance.pk is None:
        return ChangeSince(user="", when=None, fields=())
    records = history.model.objects.filter(id=instance.pk).order_by("-history_date", "-history_id")
    latest = records.filter(version__gt=version).select_related("history_user").first()
    if latest is None:
        return ChangeSince(user="", when=None, fields=())
    loaded = records.filter(version__lte=version).first()
    changed: list[str] = []
    if loaded is not None:
        tracked = {field.attname for field in history.model._meta.concrete_fields}
        for field in type(instance)._meta.concrete_fields:
            if (
                field.attname in tracked
                and field.name not in _NOT_CHANGES
                and not field.primary_key
                and getattr(loaded, field.attname) != getattr(latest, field.attname)
            ):
                changed.append(str(field.verbose_name))
    user = latest.history_user
    return ChangeSince(
        user=user.get_username() if user is not None else "", when=latest.history_date, fields=tuple(changed)
    )


class EditConflict(Exception):
    """A write of a row that was changed after the writer loaded it (``expected`` is the version loaded,
    ``current`` the stored one). Nothing was written. ``message`` says what changed, by whom and when."""

    def __init__(self, *, instance: models.Model, expected: int, current: int) -> None:
        self.instance = instance
        self.expected = expected
        self.current = current
        self.change = change_since(instance=instance, version=expected)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One translated sentence: which record, changed by whom, when, which fields (as far as known)."""
        record = str(self.instance._meta.verbose_name)
        change = self.change
        when = date_format(timezone.localtime(change.when), "Y-m-d H:i T") if change.when else ""
        if change.user and when:
            text = _("This %(record)s was changed by %(user)s at %(when)s, after you loaded it.") % {
                "record": record,
                "user": change.user,
                "when": when,
            }
        elif when:
            text = _("This %(record)s was changed at %(when)s, after you loaded it.") % {
                "record": record,
                "when": when,
            }
        else:
            text = _("This %(record)s was changed after you loaded it.") % {"record": record}
        if change.fields:
            text += " " + _("Changed: %(fields)s.") % {"fields": ", ".join(change.fields)}
        return text

    @property
    def form_message(self) -> str:
        """The message for a form shown again with what the user typed."""
        return " ".join(
            [
                self.message,
                _(
                    "Nothing was saved; your entries are kept below. Open the record again to see the "
                    "current values, then make your change there."
                ),
            ]
        )


def version_expect(instance: models.Model, *, version: int | None) -> None:
    """Refuse (``EditConflict``) a write based on ``version`` when ``instance`` was loaded at another one.

    ``None`` means the caller did not say (an API client without ``If-Match``): the instance's own
    version is still checked atomically when it is saved. The atomic check is the save's; this one
    refuses early, before anything is validated or written.
    """
    if version is None or instance.pk is None:
        return
    current = getattr(instance, VERSION_FIELD)
    if version != current:
        raise EditConflict(instance=instance, expected=version, current=current)


class Versioned(models.Model):
    """A row whose every save increments ``version``, refused when it was changed since it was loaded."""

    version = models.PositiveIntegerField(
        gettext_lazy("version"),
        default=1,
        editable=False,
        help_text=gettext_lazy("Incremented by every change; a change based on an older version is refused."),
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; for an existing row, first claim the next version (``EditConflict`` when the stored
        version is not the one this instance holds). A new row is inserted at its version (1).

        The claim and the save run in one transaction: the claim's ``UPDATE`` locks the row, so a second
        writer with the same version waits and is then refused. ``update_fields`` gets ``version``.
        """
        update_fields = kwargs.get("update_fields")
        if self._state.adding or self.pk is None or kwargs.get("force_insert") or update_fields == []:
            super().save(*args, **kwargs)
            return
        if update_fields is not None and VERSION_FIELD not in update_fields:
            kwargs["update_fields"] = [*update_fields, VERSION_FIELD]
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        manager = type(self)._base_manager.using(using)
        loaded: int = self.version
        with transaction.atomic(using=using, savepoint=False):
            if not manager.filter(pk=self.pk, version=loaded).update(version=loaded + 1):
                current = manager.filter(pk=self.pk).values_list(VERSION_FIELD, flat=True).first()
                if current is not None:
                    raise EditConflict(instance=self, expected=loaded, current=current)
                super().save(*args, **kwargs)  # the row is gone: Django inserts it again, as before
                return
            self.version = loaded + 1
            try:
                super().save(*args, **kwargs)
            except BaseException:
                self.version = loaded
                raise


def version_increment_sql(*, model: type[models.Model], quote: Any) -> str:
    """``, "version" = "version" + 1`` for the ``SET`` list of a bulk ``UPDATE`` of ``model``'s rows
    (``""`` for a model without a version), so a bulk write is an edit like any other."""
    if not issubclass(model, Versioned):
        return ""
    return f", {quote(VERSION_FIELD)} = {quote(VERSION_FIELD)} + 1"


def representation_etag(*, version: int, representation: Any) -> str:
    """A strong entity tag (quoted) of one API representation of a versioned row: its version and a
    digest of the representation, so it changes with every write of the row and with every change of
    what the response shows (a related code, a post's ``is_filled`` for the reference date)."""
    text = json.dumps(representation, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f'"{version}-{digest}"'


class VersionedForm(forms.Form):
    """A form that edits one existing row: ``version`` (hidden) is the version it was loaded with
    (give it as ``initial``); pass ``cleaned_data["version"]`` to the service as ``version=``."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": gettext_lazy(
                "The form does not say which version it was loaded with: open it again."
            ),
            "invalid": gettext_lazy("The form's version is not valid: open it again."),
            "min_value": gettext_lazy("The form's version is not valid: open it again."),
        },
    )


class VersionCheckedModelForm(forms.ModelForm):
    """The admin's model form: ``loaded_version`` (hidden) holds the version the page was loaded with,
    and ``clean()`` refuses the save when the stored version differs, with the conflict's message.

    The stored version is read under a row lock (``SELECT ... FOR UPDATE`` within the admin's transaction;
    SQLite's write transactions are serialised anyway) and given to the instance, whose save claims it:
    nobody can write the row between the check and the save. Works for the change form and for
    django-simple-history's revert form (whose instance holds the old version).
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.instance._state.adding:
            self.fields["loaded_version"].initial = self._stored_version(lock=False)

    def _stored_version(self, *, lock: bool) -> int | None:
        model = type(self.instance)
        rows = model._base_manager.filter(pk=self.instance.pk)
        if lock and connections[router.db_for_write(model)].in_atomic_block:
            rows = rows.select_for_update()
        version: int | None = rows.values_list(VERSION_FIELD, flat=True).first()
        return version

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.instance.pk is None or self.instance._state.adding:
            return cleaned
        loaded = cleaned.get("loaded_version")
        if loaded is None:
            raise ValidationError(
                _("The form does not say which version it was loaded with: open it again."),
                code="version_missing",
            )
        current = self._stored_version(lock=True)
        if current is not None and current != loaded:
            conflict = EditConflict(instance=self.instance, expected=loaded, current=current)
            raise ValidationError(conflict.form_message, code="edit_conflict")
        setattr(self.instance, VERSION_FIELD, loaded)
        return cleaned
