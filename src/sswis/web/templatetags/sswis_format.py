"""Template filters of the pages that format figures the same way everywhere, in the reader's language."""

from __future__ import annotations

from django import template

from sswis.imports.report import severity_text
from sswis.web.numbers import count_text, percent_text

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """A share from 0 to 1 as a percentage with one decimal (``0.4`` -> ``40.0%``, ``40,0 %`` in French);
    ``""`` for ``None``."""
    if share is None:
        return ""
    return percent_text(share)


@register.filter
def count(value: int | None) -> str:
    """A whole number as the language writes it (``12,345``; ``12 345`` in French; Arabic-Indic digits in Arabic)."""
    return count_text(value)


@register.filter
def severity(code: str) -> str:
    """An import problem's severity (``error`` or ``warning``) in the reader's language."""
    return severity_text(code)
