"""The base of every form, on the pages and wherever a service's input is validated by a form (the
registration steps, ``sswis.regulation.steps``): the text rule (``sswis.text``: no control characters) and the
date rule (``sswis.registry.dates``: a plausible date) on every field, naming the field by its label."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils.translation import gettext_lazy

from sswis.registry.dates import PlausibleDateValidator, validators_have_date_check
from sswis.text import (
    PrintableTextValidator,
    text_problem,
    text_problem_message,
    validators_have_text_check,
)


def form_fields_guard(fields: Mapping[str, forms.Field]) -> None:
    """Put the text rule (``sswis.text``) on every text field and the date rule (``sswis.registry.dates``)
    on every date field of a form, each naming the field by its label; a field that has it keeps one."""
    for name, field in fields.items():
        label = field.label or pretty_name(name)
        if isinstance(field, forms.CharField) and not validators_have_text_check(field.validators):
            multiline = isinstance(field.widget, forms.Textarea)
            field.validators.append(PrintableTextValidator(label=label, multiline=multiline))
        elif isinstance(field, forms.DateField) and not validators_have_date_check(field.validators):
            field.validators.append(PlausibleDateValidator(label=label))


class CheckedForm(forms.Form):
    """The base of every form of the pages: the text and date rules apply to all its fields, also to
    those a subclass adds in ``__init__`` (they are put on when the form is validated)."""

    def full_clean(self) -> None:
        form_fields_guard(self.fields)
        super().full_clean()


class DateInput(forms.DateInput):
    """A native date picker; the value is always ISO ``YYYY-MM-DD`` as browsers require."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CodeLookupField(forms.ModelChoiceField):
    """A row chosen by a text key (a code): text with a refused character is refused before it is looked
    up (PostgreSQL cannot even compare text holding U+0000)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and (refused := text_problem(value)) is not None:
            label = str(self.label) if self.label else str(gettext_lazy("The code"))
            raise ValidationError(text_problem_message(label=label, problem=refused), code="unprintable")
        return super().to_python(value)
