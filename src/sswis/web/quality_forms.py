"""The forms of the quality-assurance score's pages (``/quality/``): the year chooser, the recording of a
criterion's score, and the framework inventory's instruments. Each change form validates what the browser
sends and hands it to one service of ``sswis.quality.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sswis.forms_base import CheckedForm, DateInput
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR
from sswis.quality.models import SCORE_MAXIMUM, SCORE_MINIMUM, InstrumentKind, InstrumentStatus
from sswis.registry.models import Cadre
from sswis.web.forms import FilterForm


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), required=required)


class QualityYearForm(FilterForm):
    """The year whose scores the page shows (``?year=``)."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)


class ScoreRecordForm(CheckedForm):
    """One criterion's score of record: the score, its evidence, and the reason for another score than the
    proposal."""

    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        choices=[(score, str(score)) for score in range(SCORE_MINIMUM, SCORE_MAXIMUM + 1)],
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What shows this score: documents, reviews, figures. Give a text, a link or a file."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        max_length=5100,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Web addresses of the evidence, one a line."),
    )
    file = forms.FileField(
        label=_("Evidence file"), required=False, help_text=_("Replaces a file kept earlier.")
    )
    reason = forms.CharField(
        label=_("Reason for another score than the proposal"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the score differs from the score sswis proposes."),
    )

    def links_given(self) -> list[str]:
        return [
            line.strip() for line in str(self.cleaned_data.get("links") or "").splitlines() if line.strip()
        ]


class InstrumentForm(CheckedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=InstrumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    reference = forms.CharField(label=_("Reference or number"), max_length=100, required=False)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=200, required=False)
    adopted_on = _date(_("Adopted on"))
    in_force_from = _date(_("In force from"))
    in_force_until = _date(_("In force until"))
    status = forms.ChoiceField(label=_("Status"), choices=InstrumentStatus.choices)
    whole_workforce = forms.BooleanField(label=_("Covers the whole workforce"), required=False, initial=True)
    cadres = forms.ModelMultipleChoiceField(
        Cadre.objects.order_by("code"),
        label=_("Cadres covered"),
        required=False,
        to_field_name="code",
        help_text=_("Only when it does not cover the whole workforce."),
    )
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("The instrument's text; replaces a file kept earlier.")
    )

    def changes(self) -> dict[str, Any]:
        """The instrument's fields (without the cadres and the file)."""
        data = dict(self.cleaned_data)
        for name in ("cadres", "file"):
            data.pop(name, None)
        for name in ("reference", "issuing_body", "link", "notes"):
            data[name] = data.get(name) or ""
        return data


class InstrumentEndForm(CheckedForm):
    until = _date(_("Last day in force"), required=True)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (InstrumentStatus.REPEALED.value, InstrumentStatus.REPEALED.label),
            (InstrumentStatus.UNDER_REVIEW.value, InstrumentStatus.UNDER_REVIEW.label),
            (InstrumentStatus.ADOPTED.value, InstrumentStatus.ADOPTED.label),
        ],
    )
