"""Numbers on the pages as the reader's language writes them: ``1,234.5`` in English, ``1 234,5`` in
French. Counts use ``intcomma`` (which follows the language too); decimals and shares use these."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def decimal_text(value: float, *, places: int = 1) -> str:
    """``value`` rounded to ``places`` decimals (as ``f"{value:.1f}"`` rounds), with the language's
    decimal mark and thousands grouping."""
    # number_format cuts the decimals it is given beyond ``places``: round first, correctly.
    return number_format(round(value, places), decimal_pos=places, use_l10n=True, force_grouping=True)


def percent_text(share: float) -> str:
    """A share (0 to 1) as a percentage with one decimal, as the language writes it (``12.5%``)."""
    return _("%(number)s%%") % {"number": decimal_text(share * 100)}
