"""THE rules for plausible dates and years, used wherever one enters: models (every ``DateField`` and
year field of sswis), forms, API fields and query parameters, the template import and field surveys.

* Every date lies from 1900-01-01 to 2100-12-31 and every year from 1900 to 2100: wider than any
  workforce record, and it catches typing mistakes such as 0224 or 20244.
* A birth date is not in the future (today in ``settings.TIME_ZONE``).
* An assignment starts on or after the worker's 15th birthday (:data:`MINIMUM_WORKING_AGE`). The 15th
  birthday of someone born on 29 February is 1 March of that year when it is not a leap year.

The predicates (:func:`date_in_range`, :func:`birthday`, ...) are shared; the ``*_problem`` functions
give the translated message for forms, serializers and services; the import has its own wording of the
same rules in ``sswis.imports.messages`` (listed in ``docs/mapping-template.md``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sswis.text import model_field_add_validator

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
EARLIEST_DATE = datetime.date(EARLIEST_YEAR, 1, 1)
LATEST_DATE = datetime.date(LATEST_YEAR, 12, 31)
MINIMUM_WORKING_AGE = 15

YEAR_FIELD_NAMES = frozenset({"year"})
"""Integer model fields holding a calendar year (``PopulationEstimate.year``): they get the year rule."""


def date_in_range(value: datetime.date) -> bool:
    """Whether ``value`` lies from 1900-01-01 to 2100-12-31 (a ``datetime`` is judged by its date)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return EARLIEST_DATE <= value <= LATEST_DATE


def year_in_range(value: int) -> bool:
    return EARLIEST_YEAR <= value <= LATEST_YEAR


def birthday(*, birth_date: datetime.date, age: int) -> datetime.date:
    """The day someone born on ``birth_date`` turns ``age`` (29 February -> 1 March in other years)."""
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:  # 29 February in a year that is not a leap year
        return datetime.date(birth_date.year + age, 3, 1)


def old_enough_on(*, birth_date: datetime.date, day: datetime.date) -> bool:
    """Whether someone born on ``birth_date`` is at least :data:`MINIMUM_WORKING_AGE` on ``day``."""
    return day >= birthday(birth_date=birth_date, age=MINIMUM_WORKING_AGE)


def today() -> datetime.date:
    return timezone.localdate()


def date_range_problem(*, label: str, value: datetime.date) -> str | None:
    """The message when ``value`` is outside 1900-2100, else ``None``."""
    if date_in_range(value):
        return None
    return _("%(field)s %(value)s is not between %(earliest)s and %(latest)s; check the year.") % {
        "field": label,
        "value": value.isoformat(),
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


def year_range_problem(*, label: str, value: int) -> str | None:
    """The message when the year ``value`` is outside 1900-2100, else ``None``."""
    if year_in_range(value):
        return None
    return _("%(field)s %(value)s is not a year from %(earliest)d to %(latest)d.") % {
        "field": label,
        "value": value,
        "earliest": EARLIEST_YEAR,
        "latest": LATEST_YEAR,
    }


def birth_date_problem(*, birth_date: datetime.date | None, on: datetime.date | None = None) -> str | None:
    """The message when a birth date is in the future (after ``on``, default today), else ``None``."""
    if birth_date is None:
        return None
    day = on or today()
    if birth_date <= day:
        return None
    return _("The birth date %(birth)s is in the future (today is %(today)s).") % {
        "birth": birth_date.isoformat(),
        "today": day.isoformat(),
    }


def working_age_problem(*, birth_date: datetime.date | None, start_date: datetime.date | None) -> str | None:
    """The message when an assignment starting on ``start_date`` starts before the worker born on
    ``birth_date`` is 15, else ``None`` (also when either date is unknown)."""
    if birth_date is None or start_date is None or old_enough_on(birth_date=birth_date, day=start_date):
        return None
    return _(
        "The assignment starts on %(start)s, before the worker is %(age)d years old: born on %(birth)s, "
        "they are %(age)d on %(birthday)s."
    ) % {
        "start": start_date.isoformat(),
        "age": MINIMUM_WORKING_AGE,
        "birth": birth_date.isoformat(),
        "birthday": birthday(birth_date=birth_date, age=MINIMUM_WORKING_AGE).isoformat(),
    }


@deconstructible
class PlausibleDateValidator:
    """Refuses a date outside 1900-2100, naming the field (``label``) and the date."""

    code = "implausible_date"

    def __init__(self, *, label: Any = "") -> None:
        self.label = label

    def __call__(self, value: Any) -> None:
        if not isinstance(value, datetime.date):
            return
        problem = date_range_problem(label=capfirst(str(self.label)) or _("The date"), value=value)
        if problem is not None:
            raise ValidationError(problem, code=self.code, params={"value": value.isoformat()})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlausibleDateValidator) and str(self.label) == str(other.label)

    def __hash__(self) -> int:
        return hash(str(self.label))


@deconstructible
class PlausibleYearValidator:
    """Refuses a year outside 1900-2100, naming the field (``label``) and the year."""

    code = "implausible_year"

    def __init__(self, *, label: Any = "") -> None:
        self.label = label

    def __call__(self, value: Any) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            return
        problem = year_range_problem(label=capfirst(str(self.label)) or _("The year"), value=value)
        if problem is not None:
            raise ValidationError(problem, code=self.code, params={"value": value})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlausibleYearValidator) and str(self.label) == str(other.label)

    def __hash__(self) -> int:
        return hash(str(self.label))


def validators_have_date_check(validators: Any) -> bool:
    """Whether a list of validators holds a date or year range check (used by the guard tests)."""
    return any(isinstance(v, PlausibleDateValidator | PlausibleYearValidator) for v in validators)


def model_field_is_date(field: Any) -> bool:
    """Dates people give: ``DateField`` (not ``DateTimeField``, which the system stamps)."""
    return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


def model_field_is_year(field: Any) -> bool:
    return isinstance(field, models.IntegerField) and field.name in YEAR_FIELD_NAMES


def model_date_fields_guard(model: type[models.Model]) -> None:
    """Put the date rule on every ``DateField`` of ``model`` and the year rule on its year fields."""
    for field in model._meta.concrete_fields:
        if model_field_is_date(field):
            model_field_add_validator(field, PlausibleDateValidator(label=field.verbose_name))
        elif model_field_is_year(field):
            model_field_add_validator(field, PlausibleYearValidator(label=field.verbose_name))
