"""Template filters of the pages that format figures the same way everywhere."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """A share from 0 to 1 as a percentage with one decimal (``0.4`` -> ``40.0%``); ``""`` for ``None``."""
    if share is None:
        return ""
    return f"{share * 100:.1f}%"
