"""Values of FHIR search parameters: tokens, strings, references and dates, parsed into ORM conditions.

A parameter may be given several times (every occurrence must match: AND) and each occurrence may list
values separated by commas (any may match: OR); ``\\,`` is a literal comma. A value the directory cannot
read is refused with a 400 naming the parameter and the value (:func:`sswis.fhir.http.invalid`).
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from sswis.fhir.http import invalid
from sswis.text import text_problem


def split_values(name: str, raw: str) -> list[str]:
    """The comma-separated values of one occurrence (``\\,`` is a comma inside a value); refuses
    control characters and empty values."""
    problem = text_problem(raw)
    if problem is not None:
        raise invalid(
            gettext("The parameter %(name)s contains a character that is not allowed: %(code)s.")
            % {"name": name, "code": problem.code_point}
        )
    values = [part.replace("\\,", ",") for part in re.split(r"(?<!\\),", raw)]
    if any(not value for value in values):
        raise invalid(gettext("The parameter %(name)s has an empty value.") % {"name": name})
    return values


@dataclass(frozen=True)
class Token:
    """``system|code``, ``|code`` (no system), ``system|`` (any code of the system) or ``code``."""

    system: str | None  # None: any system; "": explicitly none
    code: str | None  # None: any code


def token(value: str) -> Token:
    if "|" not in value:
        return Token(system=None, code=value)
    system, _, code = value.partition("|")
    return Token(system=system, code=code or None)


def boolean(name: str, value: str) -> bool:
    """A token of type boolean (``true``/``false``)."""
    if value not in ("true", "false"):
        raise invalid(
            gettext("The parameter %(name)s takes true or false, not %(value)s.")
            % {"name": name, "value": value}
        )
    return value == "true"


def reference_id(name: str, value: str, type_name: str) -> uuid.UUID | None:
    """The id a reference value names: ``Type/id``, an absolute URL ending so, or ``id``. ``None`` when
    it names another resource type or an id sswis never gives (a reference that matches nothing)."""
    parts = value.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] != type_name:
        return None
    try:
        return uuid.UUID(parts[-1])
    except ValueError:
        return None


def uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def string_condition(columns: tuple[str, ...], modifier: str, value: str) -> Q:
    """A string parameter over ``columns`` (any may match): starts with ``value`` ignoring case
    (FHIR's default), ``:exact`` equal, ``:contains`` anywhere ignoring case."""
    lookup = {"": "istartswith", "exact": "exact", "contains": "icontains"}[modifier]
    condition = Q()
    for column in columns:
        condition |= Q(**{f"{column}__{lookup}": value})
    return condition


NOTHING = Q(pk__in=[])

DATE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb")


def _add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    month = moment.month - 1 + months
    return moment.replace(year=moment.year + month // 12, month=month % 12 + 1)


def date_range(name: str, value: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants ``[start, end)`` a date value covers at the precision it is given (a year, a month,
    a day, a minute, a second or a fraction of one). Without a zone, the server's time zone."""
    match = DATE.match(value)
    if match is None:
        raise invalid(
            gettext(
                "The parameter %(name)s takes a date such as 2026-01-31 or 2026-01-31T10:00:00Z, not %(value)s."
            )
            % {"name": name, "value": value}
        )
    parts = match.groupdict()
    zone: datetime.tzinfo = timezone.get_current_timezone()
    if parts["zone"] == "Z":
        zone = datetime.UTC
    elif parts["zone"]:
        sign = 1 if parts["zone"][0] == "+" else -1
        hours, minutes = int(parts["zone"][1:3]), int(parts["zone"][4:6])
        zone = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
    fraction = parts["fraction"] or ""
    try:
        start = datetime.datetime(
            int(parts["year"]),
            int(parts["month"] or 1),
            int(parts["day"] or 1),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            int(fraction.ljust(6, "0")) if fraction else 0,
            tzinfo=zone,
        )
    except ValueError:
        raise invalid(
            gettext("The parameter %(name)s names a date that does not exist: %(value)s.")
            % {"name": name, "value": value}
        ) from None
    if parts["month"] is None:
        end = start.replace(year=start.year + 1)
    elif parts["day"] is None:
        end = _add_months(start, 1)
    elif parts["hour"] is None:
        end = start + datetime.timedelta(days=1)
    elif parts["second"] is None:
        end = start + datetime.timedelta(minutes=1)
    elif not fraction:
        end = start + datetime.timedelta(seconds=1)
    else:
        end = start + datetime.timedelta(microseconds=10 ** (6 - len(fraction)))
    return start, end


def date_condition(name: str, column: str, value: str) -> Q:
    """A date parameter (``_lastUpdated``) over an instant ``column``, with its prefix: the instant is in
    (``eq``), not in (``ne``), after (``gt``, ``sa``), before (``lt``, ``eb``), from the start of (``ge``)
    or up to the end of (``le``) the value's range."""
    prefix = value[:2] if value[:2] in PREFIXES else "eq"
    start, end = date_range(name, value[2:] if value[:2] in PREFIXES else value)
    conditions: dict[str, Callable[[], Q]] = {
        "eq": lambda: Q(**{f"{column}__gte": start, f"{column}__lt": end}),
        "ne": lambda: Q(**{f"{column}__lt": start}) | Q(**{f"{column}__gte": end}),
        "gt": lambda: Q(**{f"{column}__gte": end}),
        "sa": lambda: Q(**{f"{column}__gte": end}),
        "lt": lambda: Q(**{f"{column}__lt": start}),
        "eb": lambda: Q(**{f"{column}__lt": start}),
        "ge": lambda: Q(**{f"{column}__gte": start}),
        "le": lambda: Q(**{f"{column}__lt": end}),
    }
    return conditions[prefix]()
