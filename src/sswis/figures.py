"""A number as the active language writes it, for every app (pages, command line): one rounding rule.

(Not ``numbers.py``: run from this folder, as ``makemessages`` is, that name would hide Python's own
``numbers`` module.)"""

from __future__ import annotations

from django.utils.formats import number_format


def rounded_number_text(value: float, *, places: int) -> str:
    """``value`` rounded to ``places`` decimals (as ``f"{value:.1f}"`` rounds), with the active language's
    decimal mark and thousands grouping (``1,696.0``; ``1 696,0`` in French); Latin digits."""
    # number_format cuts the decimals it is given beyond ``places``: round first, correctly.
    return number_format(round(value, places), decimal_pos=places, use_l10n=True, force_grouping=True)
