"""Template filters of the pages that format figures the same way everywhere, in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from sswis.geo.models import Setting
from sswis.imports.report import severity_text
from sswis.presentation.number_text import count_text, decimal_text, percent_text

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


@register.filter
def decimal(value: float | None, places: int = 1) -> str:
    """A figure rounded for reading to ``places`` decimals (default 1) as the language writes it
    (``1,234.5``; ``1 234,5`` in French); ``"—"`` for ``None`` (not known)."""
    if value is None:
        return "—"
    return decimal_text(value, places=int(places))


@register.filter
def setting(code: str) -> str:
    """A location setting (``urban``, ``rural``, ``mixed``, ``unknown``) in the reader's language."""
    return str(Setting(code).label) if code in Setting.values else gettext("Unknown")


@register.filter
def wisn_rows(form: Any, prefix: str) -> Any:
    """The rows of fields of a WISN study form's table ``prefix`` (activity, category, individual)."""
    return form.rows(prefix)


@register.filter
def wisn_headings(form: Any, prefix: str) -> Any:
    """The column headings of a WISN study form's table ``prefix``."""
    return form.headings(prefix)
