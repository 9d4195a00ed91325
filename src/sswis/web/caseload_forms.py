"""The caseloads' forms: the list's filters, one caseload, the grid's choice (month, kind, organisation or
location) and its figures, a norm, and the distribution's choice. Choices offer only what the user may use;
the services check again."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sswis.geo.models import Location
from sswis.registry.models import Cadre, Organisation, Worker
from sswis.support.caseloads import month_parse
from sswis.support.models import CASELOAD_KIND_ALL
from sswis.web.forms import CheckedForm, CodeChoiceField, FilterForm, LocationChoiceField

MAXIMUM_OPEN_CASES = 100_000


class MonthInput(forms.TextInput):
    """A native month picker (``YYYY-MM``)."""

    input_type = "month"


class MonthField(forms.CharField):
    """A month written ``YYYY-MM``, cleaned to its first day."""

    widget = MonthInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Month"))
        super().__init__(max_length=7, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return f"{value:%Y-%m}" if isinstance(value, datetime.date) else value

    def clean(self, value: Any) -> datetime.date | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return month_parse(text)
        except ValueError as problem:
            raise ValidationError(str(problem), code="invalid") from None


def last_month() -> datetime.date:
    """The first day of the month before this one: the month whose caseloads are usually entered."""
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _kind_field(*, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Kind"),
        required=required,
        max_length=50,
        help_text=gettext_lazy("The kind of caseload; empty: all."),
    )


def _location_field(locations: QuerySet[Location]) -> LocationChoiceField:
    return LocationChoiceField(
        locations, required=False, label=gettext_lazy("Location"), empty_label=gettext_lazy("Every location")
    )


class CaseloadFilterForm(FilterForm):
    worker = forms.CharField(label=gettext_lazy("Worker ID"), required=False, max_length=64)
    month = MonthField(required=False)
    kind = _kind_field()
    location = forms.ModelChoiceField(queryset=Location.objects.none(), required=False)

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"] = _location_field(locations)


class CaseloadForm(CheckedForm):
    """One worker's open cases of a kind at the end of a month."""

    worker_id = forms.CharField(label=gettext_lazy("Worker ID"), max_length=64)
    month = MonthField()
    kind = _kind_field()
    open_cases = forms.IntegerField(
        label=gettext_lazy("Open cases"), min_value=0, max_value=MAXIMUM_OPEN_CASES
    )

    def __init__(self, *args: Any, workers: QuerySet[Worker], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workers = workers

    def clean_worker_id(self) -> Worker:
        worker = self.workers.filter(worker_id=self.cleaned_data["worker_id"].strip()).first()
        if worker is None:
            raise ValidationError(gettext_lazy("None of the workers you see has this worker ID."))
        return worker


class GridChoiceForm(FilterForm):
    """Whose caseloads to enter: a month and kind, and an organisation and/or a location."""

    month = MonthField(required=False)
    kind = _kind_field()
    organisation = CodeChoiceField(
        Organisation.objects.none(),
        required=False,
        label=gettext_lazy("Organisation"),
        empty_label=gettext_lazy("Any organisation"),
    )
    location = forms.ModelChoiceField(queryset=Location.objects.none(), required=False)

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation], locations: QuerySet[Location], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["location"] = _location_field(locations)


class GridForm(forms.Form):
    """The grid's figures: one optional whole number per worker (``open_cases_<worker pk>``); a field left
    empty changes nothing."""

    def __init__(self, *args: Any, workers: list[Worker], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workers = workers
        for worker in workers:
            self.fields[self.name_of(worker)] = forms.IntegerField(
                label=f"{worker.given_name} {worker.family_name} ({worker.worker_id})",
                required=False,
                min_value=0,
                max_value=MAXIMUM_OPEN_CASES,
            )

    @staticmethod
    def name_of(worker: Worker) -> str:
        return f"open_cases_{worker.pk}"

    def figures(self) -> dict[Worker, int]:
        """The workers given a figure, with it (after ``is_valid``)."""
        return {
            worker: self.cleaned_data[self.name_of(worker)]
            for worker in self.workers
            if self.cleaned_data.get(self.name_of(worker)) is not None
        }


class NormForm(CheckedForm):
    cadre = CodeChoiceField(Cadre.objects.order_by("code"), label=gettext_lazy("Cadre"))
    kind = _kind_field()
    maximum_open_cases = forms.IntegerField(
        label=gettext_lazy("Most open cases"), min_value=1, max_value=MAXIMUM_OPEN_CASES
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Where the norm comes from, e.g. a national standard or CWLA."),
    )


class DistributionForm(FilterForm):
    month = MonthField(required=False)
    kind = _kind_field()
    location = forms.ModelChoiceField(queryset=Location.objects.none(), required=False)
    cadre = CodeChoiceField(
        Cadre.objects.order_by("code"),
        required=False,
        label=gettext_lazy("Cadre in the chart"),
        empty_label=gettext_lazy("The first with figures"),
    )

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"] = _location_field(locations)


def kind_of(form: forms.Form) -> str:
    """The kind chosen on a validated form (``all`` when empty)."""
    return (form.cleaned_data.get("kind") or "").strip() or CASELOAD_KIND_ALL
