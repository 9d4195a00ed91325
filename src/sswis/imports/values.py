"""Reading one cell's text as the value its column holds (fast checks, no model validation).

:func:`column_parser` builds, once per column, a function ``text -> value`` that raises
``ValueError(message)`` with the clerk-facing message when the text is not acceptable. It is only
called for non-empty text; :func:`column_empty_value` gives the value an empty cell stands for.
The checks mirror the model fields and database constraints (lengths, choices, ranges, decimals), so
that a row that passes is never refused by the database.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from sswis.imports.messages import message
from sswis.imports.schema import (
    BOOLEAN_FALSE,
    BOOLEAN_TRUE,
    CODE_SEPARATOR,
    Column,
    Kind,
    column_maximum_is_technical,
    column_range_words,
)
from sswis.registry.dates import date_in_range

Parser = Callable[[str], Any]

_DATE_CACHE_SIZE = 100_000  # distinct dates remembered per column (a century of days is 36,525)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_email_validator = EmailValidator()
# A strict subset of what EmailValidator accepts (dot-atom name, ASCII host names, letters-only TLD).
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def _range_problem(column: Column, value: Any, text: str) -> str | None:
    """The message when ``value`` is outside the column's limits, else ``None``."""
    low, high = column.minimum, column.maximum
    below = low is not None and (value <= low if column.minimum_exclusive else value < low)
    above = high is not None and value > high
    if not below and not above:
        return None
    if above and column_maximum_is_technical(column=column):
        return message("too_big", label=column.title, value=text)
    return message("out_of_range", label=column.title, value=text, range=column_range_words(column=column))


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def column_parser(*, column: Column) -> Parser:
    """The function reading a non-empty cell of ``column``; it raises ``ValueError`` with the message."""
    label = column.title
    kind = column.kind
    max_length = column.max_length
    has_range = column.minimum is not None or column.maximum is not None

    def check_length(text: str) -> str:
        if max_length is not None and len(text) > max_length:
            raise ValueError(message("too_long", label=label, length=len(text), max_length=max_length))
        return text

    if kind in (Kind.TEXT, Kind.CODE):
        if column.pattern:
            compiled = re.compile(column.pattern)

            def parse_pattern(text: str) -> str:
                if not compiled.fullmatch(text):
                    raise ValueError(
                        message(
                            "bad_pattern", label=label, value=text, pattern_meaning=column.pattern_meaning
                        )
                    )
                return check_length(text)

            return parse_pattern
        return check_length if max_length is not None else str

    if kind == Kind.CODE_LIST:

        def parse_codes(text: str) -> tuple[str, ...]:
            codes: dict[str, None] = {}  # in the order written, each once
            for part in text.split(CODE_SEPARATOR):
                code = part.strip()
                if not code:
                    continue
                if max_length is not None and len(code) > max_length:
                    raise ValueError(
                        message(
                            "list_code_too_long",
                            label=label,
                            code=code,
                            length=len(code),
                            max_length=max_length,
                        )
                    )
                codes[code] = None
            return tuple(codes)

        return parse_codes

    if kind == Kind.EMAIL:

        def parse_email(text: str) -> str:
            check_length(text)
            if _PLAIN_EMAIL.fullmatch(text):
                return text  # the common shape, which Django's validator accepts: spare its cost
            try:
                _email_validator(text)
            except ValidationError:
                raise ValueError(message("bad_email", value=text)) from None
            return text

        return parse_email

    if kind == Kind.ENUMERATION:
        allowed = {choice: choice for choice in column.choices}
        listed = ", ".join(column.choices)

        def parse_choice(text: str) -> str:
            found = allowed.get(text) or allowed.get(text.lower())
            if found is None:
                raise ValueError(message("bad_choice", label=label, value=text, choices=listed))
            return found

        return parse_choice

    if kind == Kind.BOOLEAN:
        truth = dict.fromkeys(BOOLEAN_TRUE, True) | dict.fromkeys(BOOLEAN_FALSE, False)

        def parse_boolean(text: str) -> bool:
            found = truth.get(text.lower())
            if found is None:
                raise ValueError(message("bad_boolean", label=label, value=text))
            return found

        return parse_boolean

    if kind == Kind.DATE:
        fromisoformat = datetime.date.fromisoformat
        date_match = _DATE.fullmatch

        known: dict[str, datetime.date] = {}  # the same dates come back often: one object each

        def parse_date(text: str) -> datetime.date:
            found = known.get(text)
            if found is not None:
                return found
            # fromisoformat alone would also take "20240131" and week dates; the contract is YYYY-MM-DD.
            if date_match(text):
                try:
                    value = fromisoformat(text)
                except ValueError:
                    pass
                else:
                    if not date_in_range(value):
                        raise ValueError(message("date_out_of_range", label=label, value=text))
                    if len(known) < _DATE_CACHE_SIZE:
                        known[text] = value
                    return value
            raise ValueError(message("bad_date", label=label, value=text))

        return parse_date

    if kind == Kind.INTEGER:

        def parse_integer(text: str) -> int:
            if not _INTEGER.fullmatch(text):
                raise ValueError(message("bad_integer", label=label, value=text))
            value = int(text)
            if has_range and (problem := _range_problem(column, value, text)):
                raise ValueError(problem)
            return value

        return parse_integer

    if kind == Kind.DECIMAL:
        places = column.decimal_places

        def parse_decimal(text: str) -> Decimal:
            try:
                value = Decimal(text)
            except InvalidOperation:
                raise ValueError(message("bad_decimal", label=label, value=text)) from None
            if not value.is_finite():
                raise ValueError(message("bad_decimal", label=label, value=text))
            if has_range and (problem := _range_problem(column, value, text)):
                raise ValueError(problem)
            # Cheap test on the text first: most values ("1", "0.5") have few digits after the dot.
            dot = text.find(".")
            long_text = (dot >= 0 and len(text) - dot - 1 > (places or 0)) or "e" in text or "E" in text
            if places is not None and long_text and _decimals(value) > places:
                # "0.50000" has trailing zeros only: not more precise than 0.5.
                value = value.normalize()
                if _decimals(value) > places:
                    raise ValueError(message("too_many_decimals", label=label, value=text, places=places))
            return value

        return parse_decimal

    raise AssertionError(f"unknown kind {kind}")  # pragma: no cover


def column_empty_value(*, column: Column) -> Any:
    """The value an empty cell of ``column`` stands for: its default, else the field's "unknown"."""
    if column.default:
        return column_parser(column=column)(column.default)
    if column.kind in (Kind.DATE, Kind.INTEGER, Kind.DECIMAL, Kind.BOOLEAN):
        return None
    if column.kind == Kind.CODE_LIST:
        return ()
    return ""
