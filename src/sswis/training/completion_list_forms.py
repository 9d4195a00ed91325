"""The forms that check what the page and the API give the completions lists' services
(``training.completion_lists``): matching a kept completion to a worker by their worker ID, setting one
aside with a reason. Shared by the page and the API (``api.views.base.form_data``), so both refuse the same
input with the same words, naming the field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sswis.forms_base import CheckedForm
from sswis.registry.models import Worker


class UnmatchedMatchForm(CheckedForm):
    """The worker a kept completion is theirs: by worker ID (``cleaned_data["worker_id"]`` is the worker)."""

    worker_id = forms.CharField(label=_("Worker ID"), max_length=64)

    def clean_worker_id(self) -> Worker:
        worker_id: str = self.cleaned_data["worker_id"].strip()
        worker = Worker.objects.filter(worker_id=worker_id).first()
        if worker is None:
            raise ValidationError(
                gettext("No worker has the worker ID %(worker_id)s.") % {"worker_id": worker_id}
            )
        return worker


class UnmatchedSetAsideForm(CheckedForm):
    """Why a kept completion is set aside."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("e.g. not a social service worker, a test account, a duplicate"),
    )
