"""Numbers on the pages and in the charts as the reader's language writes them: ``1,234.5`` in English,
``1 234,5`` in French, Arabic-Indic digits in Arabic (or Latin digits with
``SSWIS_LATIN_DIGITS=1``). Files for other programs (CSV, the API, JSON) never go through here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats, translation
from django.utils.translation import gettext as _

from sswis.figures import rounded_number_text

ARABIC_INDIC_DIGITS = "".join(chr(0x0660 + digit) for digit in range(10))
ARABIC_DECIMAL_SEPARATOR = "\u066b"
ARABIC_THOUSANDS_SEPARATOR = "\u066c"
ARABIC_PERCENT_SIGN = "\u066a"
_TO_ARABIC = str.maketrans(
    {
        **{str(digit): ARABIC_INDIC_DIGITS[digit] for digit in range(10)},
        ",": ARABIC_DECIMAL_SEPARATOR,  # Django's Arabic formats: "," decimal, "." thousands
        ".": ARABIC_THOUSANDS_SEPARATOR,
        "%": ARABIC_PERCENT_SIGN,
    }
)


def digits_are_arabic() -> bool:
    """Whether numbers are written in Arabic-Indic digits: on Arabic pages, unless ``LATIN_DIGITS``."""
    return not settings.LATIN_DIGITS and (translation.get_language() or "").split("-")[0] == "ar"


def digits_localized(text: str) -> str:
    """``text`` (a number written by Django's formats for the active language) in the active language's
    digits. Only for text that is nothing but a number: codes and names are never passed here."""
    return text.translate(_TO_ARABIC) if digits_are_arabic() else text


def count_text(value: int | None) -> str:
    """A whole number with the language's thousands grouping and digits (``12,345``, ``12 345``)."""
    if value is None:
        return ""
    return digits_localized(str(intcomma(value)))


def decimal_text(value: float, *, places: int = 1) -> str:
    """``value`` rounded to ``places`` decimals (as ``f"{value:.1f}"`` rounds), with the language's
    decimal mark, thousands grouping and digits."""
    return digits_localized(rounded_number_text(value, places=places))


def percent_text(share: float) -> str:
    """A share (0 to 1) as a percentage with one decimal, as the language writes it (``12.5%``)."""
    text = _("%(number)s%%") % {"number": decimal_text(share * 100)}
    return text.replace("%", ARABIC_PERCENT_SIGN) if digits_are_arabic() else text


def chart_number_locale() -> dict[str, Any]:
    """The d3-format locale of the charts' axes and legends, from the same formats as the pages."""
    locale: dict[str, Any] = {
        "decimal": str(formats.get_format("DECIMAL_SEPARATOR")),
        "thousands": str(formats.get_format("THOUSAND_SEPARATOR")),
        "grouping": [3],
        "currency": ["", ""],
    }
    if digits_are_arabic():
        locale.update(
            decimal=ARABIC_DECIMAL_SEPARATOR,
            thousands=ARABIC_THOUSANDS_SEPARATOR,
            numerals=list(ARABIC_INDIC_DIGITS),
            percent=ARABIC_PERCENT_SIGN,
        )
    return locale
