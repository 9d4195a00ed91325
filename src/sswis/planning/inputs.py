"""Reading a plan's inputs (a WISN study, a scenario) from decoded JSON: each helper names the field at
fault in a :class:`PlanInputError`, so that the command line, the API and the pages all say where the
problem is and store nothing."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _


class PlanInputError(ValueError):
    """An input that cannot be used: ``field`` names it (``cadres.SW.attrition_rate``), the message says
    why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def number_value(
    data: dict[str, Any], key: str, field: str, *, positive: bool = False, minimum: float = 0.0
) -> float:
    """``data[key]`` as a finite number, at least ``minimum`` (default 0; more than 0 when ``positive``)."""
    if key not in data or data[key] is None:
        raise PlanInputError(field, _("this value is missing."))
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PlanInputError(field, _("%(value)r is not a number.") % {"value": value})
    if positive and value <= 0:
        raise PlanInputError(field, _("it must be more than 0, not %(value)s.") % {"value": value})
    if minimum == 0 and value < 0:
        raise PlanInputError(field, _("it may not be negative (%(value)s).") % {"value": value})
    if value < minimum:
        raise PlanInputError(
            field, _("it must be at least %(minimum)s, not %(value)s.") % {"minimum": minimum, "value": value}
        )
    return float(value)


def whole_number_value(data: dict[str, Any], key: str, field: str, *, lowest: int, highest: int) -> int:
    """``data[key]`` as a whole number from ``lowest`` to ``highest``."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanInputError(field, _("give a whole number, e.g. %(example)s.") % {"example": lowest})
    if not lowest <= value <= highest:
        raise PlanInputError(
            field,
            _("it must be from %(lowest)s to %(highest)s, not %(value)s.")
            % {"lowest": lowest, "highest": highest, "value": value},
        )
    return value


def text_value(data: dict[str, Any], key: str, field: str) -> str:
    """``data[key]`` as a non-empty text, stripped."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PlanInputError(field, _("give a name (text)."))
    return value.strip()


def object_list(data: dict[str, Any], key: str, *, required: bool) -> list[dict[str, Any]]:
    """``data[key]`` as a list of objects (at least one when ``required``; none when absent and not)."""
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise PlanInputError(key, _("give a list of at least one item."))
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise PlanInputError(f"{key}[{index}]", _("each item is an object with named values."))
    return value


def unknown_keys_refused(data: dict[str, Any], *, known: tuple[str, ...], field: str) -> None:
    """Refuse a key the input does not define (a misspelt ``atrition_rate`` must not be silently
    ignored): ``field`` is where ``data`` sits (``""`` for the document itself)."""
    for key in data:
        if key not in known:
            where = f"{field}.{key}" if field else str(key)
            raise PlanInputError(
                where,
                _("there is no such value; the values are: %(known)s.") % {"known": ", ".join(known)},
            )
