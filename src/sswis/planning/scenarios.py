"""A projection scenario's parameters (contract ``planning.md`` section 3), read from its JSON document.

The document (``sswis plan scenario FILE``, the API, the page) is::

    {"code": "trend", "name": "Current trend", "base_year": 2024, "horizon": 10,
     "child_population_growth": 0.025, "currency": "USD",
     "cadres": {"SW": {"attrition_rate": 0.05, "retirement_age": 60, "graduates": 40,
                       "absorption_rate": 0.5, "recruitment": 10, "target_per_100k": 30,
                       "salary": 4800, "on_cost_rate": 0.2, "salary_growth": 0.03,
                       "training_cost_per_entrant": 1500}},
     "task_shifting": [{"from": "SW", "to": "PSW", "share": 0.3, "replacement_factor": 1}]}

Defaults where a value is absent: horizon 10, child population growth 0, per cadre no attrition, a
retirement age of 60, no graduates or recruitment, every graduate absorbed (absorption rate 1), no
salary, on-costs, salary growth or training cost, and no target (no requirement of its own), a
replacement factor of 1. A cadre named only in ``task_shifting`` is projected with those defaults: its
requirement is the share shifted to it.

Refused, naming the field: a key the document does not define (a misspelt value must not be silently
ignored), a missing code, name or base year, a horizon outside 1-30 years, a negative rate, a share or
an absorption or attrition rate above 1, a list of graduates or recruits that is not one number per
year, a cadre shifting work to itself or shifting more than all of its requirement. Codes are checked
against the registry by the caller (``selectors.scenario_checked``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR
from sswis.planning.inputs import (
    PlanInputError,
    number_value,
    object_list,
    text_value,
    unknown_keys_refused,
    whole_number_value,
)

ESTIMATED = "estimated"
MAXIMUM_HORIZON = 30
DEFAULT_HORIZON = 10
DEFAULT_RETIREMENT_AGE = 60
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$")
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")

DOCUMENT_KEYS = (
    "code",
    "name",
    "base_year",
    "horizon",
    "child_population_growth",
    "currency",
    "cadres",
    "task_shifting",
    "location",
)
CADRE_KEYS = (
    "attrition_rate",
    "retirement_age",
    "graduates",
    "absorption_rate",
    "recruitment",
    "target_per_100k",
    "salary",
    "on_cost_rate",
    "salary_growth",
    "training_cost_per_entrant",
)
SHIFT_KEYS = ("from", "to", "share", "replacement_factor")


@dataclass(frozen=True)
class CadrePlan:
    """One cadre's parameters. ``attrition_rate`` is ``None`` when it is to be estimated from the
    registry; ``graduates`` and ``recruitment`` hold one figure per projection year t = 1..T."""

    attrition_rate: float | None = 0.0
    retirement_age: int = DEFAULT_RETIREMENT_AGE
    graduates: tuple[float, ...] = ()
    absorption_rate: float = 1.0
    recruitment: tuple[float, ...] = ()
    target_per_100k: float | None = None
    salary: float = 0.0
    on_cost_rate: float = 0.0
    salary_growth: float = 0.0
    training_cost_per_entrant: float = 0.0


@dataclass(frozen=True)
class TaskShift:
    """A share of one cadre's requirement done by another, ``replacement_factor`` of them per worker."""

    from_cadre: str
    to_cadre: str
    share: float
    replacement_factor: float = 1.0


@dataclass(frozen=True)
class ScenarioParameters:
    code: str
    name: str
    base_year: int
    horizon: int
    child_population_growth: float
    currency: str
    cadres: dict[str, CadrePlan]  # every cadre projected, by code (those named only by a shift too)
    task_shifting: tuple[TaskShift, ...] = ()
    location: str = ""  # where the scenario is kept (scope of who may change it); "" is the country
    document: dict[str, Any] = field(default_factory=dict, compare=False)  # as given, for storing

    @property
    def years(self) -> range:
        """t = 0..T."""
        return range(self.horizon + 1)


def _yearly(data: dict[str, Any], key: str, field: str, horizon: int) -> tuple[float, ...]:
    """A number for every year t = 1..T: one number repeated, or a list of exactly T numbers."""
    value = data.get(key)
    if value is None:
        return (0.0,) * horizon
    if isinstance(value, list):
        if len(value) != horizon:
            raise PlanInputError(
                field,
                _("give one number for every year of the horizon (%(horizon)s), not %(count)s.")
                % {"horizon": horizon, "count": len(value)},
            )
        return tuple(number_value({key: item}, key, f"{field}[{index}]") for index, item in enumerate(value))
    return (number_value(data, key, field),) * horizon


def _rate(
    data: dict[str, Any], key: str, field: str, *, default: float, highest: float | None = 1.0
) -> float:
    if data.get(key) is None:
        return default
    value = number_value(data, key, field)
    if highest is not None and value > highest:
        raise PlanInputError(
            field,
            _("it is a share: at most %(highest)s, not %(value)s.") % {"highest": highest, "value": value},
        )
    return value


def _cadre_plan(data: Any, field: str, horizon: int) -> CadrePlan:
    if not isinstance(data, dict):
        raise PlanInputError(field, _("each cadre's parameters are an object with named values."))
    unknown_keys_refused(data, known=CADRE_KEYS, field=field)
    attrition: float | None
    if data.get("attrition_rate") == ESTIMATED:
        attrition = None
    else:
        attrition = _rate(data, "attrition_rate", f"{field}.attrition_rate", default=0.0)
    retirement_age = DEFAULT_RETIREMENT_AGE
    if data.get("retirement_age") is not None:
        retirement_age = whole_number_value(
            data, "retirement_age", f"{field}.retirement_age", lowest=15, highest=100
        )
    target = None
    if data.get("target_per_100k") is not None:
        target = number_value(data, "target_per_100k", f"{field}.target_per_100k")
    return CadrePlan(
        attrition_rate=attrition,
        retirement_age=retirement_age,
        graduates=_yearly(data, "graduates", f"{field}.graduates", horizon),
        absorption_rate=_rate(data, "absorption_rate", f"{field}.absorption_rate", default=1.0),
        recruitment=_yearly(data, "recruitment", f"{field}.recruitment", horizon),
        target_per_100k=target,
        salary=_rate(data, "salary", f"{field}.salary", default=0.0, highest=None),
        on_cost_rate=_rate(data, "on_cost_rate", f"{field}.on_cost_rate", default=0.0, highest=None),
        salary_growth=_rate(data, "salary_growth", f"{field}.salary_growth", default=0.0),
        training_cost_per_entrant=_rate(
            data, "training_cost_per_entrant", f"{field}.training_cost_per_entrant", default=0.0, highest=None
        ),
    )


def _shifts(data: dict[str, Any]) -> tuple[TaskShift, ...]:
    shifts = []
    shifted_share: dict[str, float] = {}
    for index, item in enumerate(object_list(data, "task_shifting", required=False)):
        field = f"task_shifting[{index}]"
        unknown_keys_refused(item, known=SHIFT_KEYS, field=field)
        from_cadre, to_cadre = (
            text_value(item, "from", f"{field}.from"),
            text_value(item, "to", f"{field}.to"),
        )
        if from_cadre == to_cadre:
            raise PlanInputError(f"{field}.to", _("a cadre cannot shift work to itself."))
        share = _rate(item, "share", f"{field}.share", default=-1.0)
        if share < 0:
            raise PlanInputError(f"{field}.share", _("this value is missing."))
        shifted_share[from_cadre] = shifted_share.get(from_cadre, 0.0) + share
        if shifted_share[from_cadre] > 1 + 1e-12:
            raise PlanInputError(
                f"{field}.share",
                _("%(cadre)s would shift more than all of its requirement (shares add up to more than 1).")
                % {"cadre": from_cadre},
            )
        factor = 1.0
        if item.get("replacement_factor") is not None:
            factor = number_value(item, "replacement_factor", f"{field}.replacement_factor", positive=True)
        shifts.append(
            TaskShift(from_cadre=from_cadre, to_cadre=to_cadre, share=share, replacement_factor=factor)
        )
    return tuple(shifts)


def scenario_parse(*, data: Any) -> ScenarioParameters:
    """The scenario described by ``data`` (the contract's JSON document, decoded). Raises
    :class:`PlanInputError` naming the first field at fault."""
    if not isinstance(data, dict):
        raise PlanInputError("scenario", _("the scenario is an object with named values."))
    unknown_keys_refused(data, known=DOCUMENT_KEYS, field="")
    code = text_value(data, "code", "code")
    if not CODE_PATTERN.match(code):
        raise PlanInputError(
            "code",
            _("use up to 50 letters, digits, dots, dashes or underscores, starting with a letter or digit."),
        )
    name = text_value(data, "name", "name")
    if len(name) > 200:
        raise PlanInputError("name", _("use at most 200 characters."))
    base_year = whole_number_value(data, "base_year", "base_year", lowest=FIRST_YEAR, highest=LAST_YEAR)
    horizon = DEFAULT_HORIZON
    if data.get("horizon") is not None:
        horizon = whole_number_value(data, "horizon", "horizon", lowest=1, highest=MAXIMUM_HORIZON)
    growth = 0.0
    if data.get("child_population_growth") is not None:
        # A child population may shrink: a negative growth rate is a real scenario, down to -100%.
        growth = number_value(data, "child_population_growth", "child_population_growth", minimum=-0.99)
        if growth > 1:
            raise PlanInputError("child_population_growth", _("it is a yearly rate: at most 1."))
    currency = ""
    if data.get("currency") is not None:
        currency = data["currency"] if isinstance(data["currency"], str) else ""
        if not CURRENCY_PATTERN.match(currency):
            raise PlanInputError("currency", _("give the currency's three-letter code, e.g. USD."))
    location = ""
    if data.get("location") is not None:
        location = text_value(data, "location", "location")
    cadres_data = data.get("cadres")
    if not isinstance(cadres_data, dict) or not cadres_data:
        raise PlanInputError("cadres", _("give the parameters of at least one cadre, by its code."))
    cadres = {
        str(cadre): _cadre_plan(plan, f"cadres.{cadre}", horizon)
        for cadre, plan in sorted(cadres_data.items())
    }
    shifts = _shifts(data)
    for shift in shifts:
        for shifted in (shift.from_cadre, shift.to_cadre):
            cadres.setdefault(shifted, _cadre_plan({}, f"cadres.{shifted}", horizon))
    return ScenarioParameters(
        code=code,
        name=name,
        base_year=base_year,
        horizon=horizon,
        child_population_growth=growth,
        currency=currency,
        cadres=dict(sorted(cadres.items())),
        task_shifting=shifts,
        location=location,
        document=data,
    )
