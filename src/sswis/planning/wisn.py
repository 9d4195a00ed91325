"""WHO's Workload Indicators of Staffing Need (WISN), as ``contracts/planning.md`` section 2 defines it.

A study is for one cadre at one location (or kind of workplace) in one year. Every step is kept in the
result, in the order of WHO's manual, so that a planner can check it by hand:

1. available working time ``AWT = (working_days - (public_holidays + annual_leave + sick_leave +
   other_leave)) * hours_per_day`` hours;
2. for each main activity, the standard workload ``AWT / unit_time_hours`` (a standard given as units
   per hour has ``unit_time_hours = 1 / rate_per_hour``) and the staff it needs, ``annual_workload /
   standard_workload``; ``A`` is their sum;
3. the category allowance factor ``CAF = 1 / (1 - sum CAS% / 100)`` with ``CAS% = hours / AWT * 100``;
4. the individual allowance factor ``IAF = sum (hours * staff) / AWT``;
5. ``required_staff = A * CAF + IAF``;
6. ``difference = existing - required``, ``wisn_ratio = existing / required`` and ``workload_pressure =
   (1 - wisn_ratio) * 100``.

Figures are unrounded floats; pages round for display only. ``wisn_ratio`` and ``workload_pressure`` are
``None`` when nothing is required (no workload and no allowance): the contract divides by the required
staff, and a ratio to nothing is no figure.

Bad input raises :class:`PlanInputError` naming the field (``activities[2].unit_time_hours``); nothing
is computed from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sswis.planning.inputs import PlanInputError, number_value, object_list, text_value

MAXIMUM_WORKING_DAYS = 366
MAXIMUM_HOURS_PER_DAY = 24


@dataclass(frozen=True)
class WorkingTime:
    working_days: float
    public_holidays: float
    annual_leave: float
    sick_leave: float
    other_leave: float
    hours_per_day: float


@dataclass(frozen=True)
class Activity:
    """A main activity: its annual workload and its standard, as hours per unit (``rate_per_hour``, when
    given instead, is turned into hours per unit)."""

    name: str
    annual_workload: float
    unit_time_hours: float


@dataclass(frozen=True)
class CategoryAllowance:
    """Support work every worker of the cadre does, in hours per year."""

    name: str
    hours_per_year: float


@dataclass(frozen=True)
class IndividualAllowance:
    """Work that only ``staff`` workers do, in hours per year per worker."""

    name: str
    hours_per_year: float
    staff: float


@dataclass(frozen=True)
class WisnStudy:
    cadre: str
    location: str
    year: int
    working_time: WorkingTime
    activities: tuple[Activity, ...]
    category_allowances: tuple[CategoryAllowance, ...] = ()
    individual_allowances: tuple[IndividualAllowance, ...] = ()
    existing_staff: float | None = None  # None: the registry's count of the cadre at the location


@dataclass(frozen=True)
class ActivityResult:
    name: str
    annual_workload: float
    unit_time_hours: float
    standard_workload: float
    required_staff: float


@dataclass(frozen=True)
class AllowanceResult:
    name: str
    hours_per_year: float
    percent: float  # CAS% of a category allowance; for an individual one, hours * staff / AWT * 100
    staff: float | None = None


@dataclass(frozen=True)
class WisnResult:
    """Every step of the calculation, unrounded."""

    available_working_time_hours: float
    activities: tuple[ActivityResult, ...]
    activities_required_staff: float  # A
    category_allowances: tuple[AllowanceResult, ...]
    category_allowance_percent: float  # the sum of CAS%
    category_allowance_factor: float  # CAF
    individual_allowances: tuple[AllowanceResult, ...]
    individual_allowance_factor: float  # IAF
    required_staff: float
    existing_staff: float
    difference: float
    wisn_ratio: float | None
    workload_pressure: float | None


def wisn_study_parse(*, data: Any) -> WisnStudy:
    """The study described by ``data`` (the contract's JSON document, already decoded).

    Raises :class:`PlanInputError` naming the first field at fault: a missing or non-numeric value, a
    negative one, a time or standard that is not more than 0, working days or hours that no year or day
    has, leave that leaves no working day, an activity with both or neither of ``unit_time_hours`` and
    ``rate_per_hour``. Codes (cadre, location) are checked against the registry by the caller.
    """
    if not isinstance(data, dict):
        raise PlanInputError("study", _("the study is an object with named values."))
    cadre, location = text_value(data, "cadre", "cadre"), text_value(data, "location", "location")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise PlanInputError("year", _("give the year as a whole number, e.g. 2025."))
    time_data = data.get("working_time")
    if not isinstance(time_data, dict):
        raise PlanInputError("working_time", _("this value is missing."))
    values = {
        key: number_value(
            time_data, key, f"working_time.{key}", positive=key in ("working_days", "hours_per_day")
        )
        for key in (
            "working_days",
            "public_holidays",
            "annual_leave",
            "sick_leave",
            "other_leave",
            "hours_per_day",
        )
    }
    working_time = WorkingTime(**values)
    if working_time.working_days > MAXIMUM_WORKING_DAYS:
        raise PlanInputError(
            "working_time.working_days",
            _("a year has at most %(days)s days, not %(value)s.")
            % {"days": MAXIMUM_WORKING_DAYS, "value": working_time.working_days},
        )
    if working_time.hours_per_day > MAXIMUM_HOURS_PER_DAY:
        raise PlanInputError(
            "working_time.hours_per_day",
            _("a day has at most %(hours)s hours, not %(value)s.")
            % {"hours": MAXIMUM_HOURS_PER_DAY, "value": working_time.hours_per_day},
        )
    if available_working_time(working_time) <= 0:
        raise PlanInputError(
            "working_time", _("holidays and leave take every working day: no working time is left.")
        )
    activities = []
    for index, item in enumerate(object_list(data, "activities", required=True)):
        field = f"activities[{index}]"
        has_time, has_rate = item.get("unit_time_hours") is not None, item.get("rate_per_hour") is not None
        if has_time == has_rate:
            raise PlanInputError(field, _("give either unit_time_hours or rate_per_hour (one of them)."))
        if has_time:
            unit_time = number_value(item, "unit_time_hours", f"{field}.unit_time_hours", positive=True)
        else:
            unit_time = 1 / number_value(item, "rate_per_hour", f"{field}.rate_per_hour", positive=True)
        activities.append(
            Activity(
                name=text_value(item, "name", f"{field}.name"),
                annual_workload=number_value(item, "annual_workload", f"{field}.annual_workload"),
                unit_time_hours=unit_time,
            )
        )
    category = [
        CategoryAllowance(
            name=text_value(item, "name", f"category_allowances[{index}].name"),
            hours_per_year=number_value(
                item, "hours_per_year", f"category_allowances[{index}].hours_per_year"
            ),
        )
        for index, item in enumerate(object_list(data, "category_allowances", required=False))
    ]
    individual = [
        IndividualAllowance(
            name=text_value(item, "name", f"individual_allowances[{index}].name"),
            hours_per_year=number_value(
                item, "hours_per_year", f"individual_allowances[{index}].hours_per_year"
            ),
            staff=number_value(item, "staff", f"individual_allowances[{index}].staff"),
        )
        for index, item in enumerate(object_list(data, "individual_allowances", required=False))
    ]
    existing = None
    if data.get("existing_staff") is not None:
        existing = number_value(data, "existing_staff", "existing_staff")
    study = WisnStudy(
        cadre=cadre,
        location=location,
        year=year,
        working_time=working_time,
        activities=tuple(activities),
        category_allowances=tuple(category),
        individual_allowances=tuple(individual),
        existing_staff=existing,
    )
    _category_percent_checked(study)
    return study


def available_working_time(working_time: WorkingTime) -> float:
    """AWT in hours: working days less holidays and leave, times the hours of a day."""
    leave = (
        working_time.public_holidays
        + working_time.annual_leave
        + working_time.sick_leave
        + working_time.other_leave
    )
    return (working_time.working_days - leave) * working_time.hours_per_day


def _category_percent_checked(study: WisnStudy) -> float:
    """The sum of the CAS%; :class:`PlanInputError` when it is 100% or more (no time would be left)."""
    awt = available_working_time(study.working_time)
    percent = sum(allowance.hours_per_year / awt * 100 for allowance in study.category_allowances)
    if percent >= 100:
        raise PlanInputError(
            "category_allowances",
            _(
                "together they take %(percent)s%% of the available working time; they must take less than 100%%."
            )
            % {"percent": round(percent, 2)},
        )
    return percent


def wisn_compute(*, study: WisnStudy, existing_staff: float) -> WisnResult:
    """Every step of the study's calculation with ``existing_staff`` workers in post (the study's own
    figure when it gives one; the caller passes the registry's count otherwise)."""
    awt = available_working_time(study.working_time)
    activities = []
    for activity in study.activities:
        standard = awt / activity.unit_time_hours
        activities.append(
            ActivityResult(
                name=activity.name,
                annual_workload=activity.annual_workload,
                unit_time_hours=activity.unit_time_hours,
                standard_workload=standard,
                required_staff=activity.annual_workload / standard,
            )
        )
    activities_required = sum(activity.required_staff for activity in activities)
    category_percent = _category_percent_checked(study)
    category_factor = 1 / (1 - category_percent / 100)
    individual_factor = sum(a.hours_per_year * a.staff for a in study.individual_allowances) / awt
    required = activities_required * category_factor + individual_factor
    ratio = existing_staff / required if required > 0 else None
    return WisnResult(
        available_working_time_hours=awt,
        activities=tuple(activities),
        activities_required_staff=activities_required,
        category_allowances=tuple(
            AllowanceResult(
                name=a.name, hours_per_year=a.hours_per_year, percent=a.hours_per_year / awt * 100
            )
            for a in study.category_allowances
        ),
        category_allowance_percent=category_percent,
        category_allowance_factor=category_factor,
        individual_allowances=tuple(
            AllowanceResult(
                name=a.name,
                hours_per_year=a.hours_per_year,
                percent=a.hours_per_year * a.staff / awt * 100,
                staff=a.staff,
            )
            for a in study.individual_allowances
        ),
        individual_allowance_factor=individual_factor,
        required_staff=required,
        existing_staff=existing_staff,
        difference=existing_staff - required,
        wisn_ratio=ratio,
        workload_pressure=(1 - ratio) * 100 if ratio is not None else None,
    )


def wisn_result_as_json(*, result: WisnResult) -> dict[str, Any]:
    """The contract's JSON document of a result (unrounded)."""
    existing: float | int = result.existing_staff
    if float(existing).is_integer():
        existing = int(existing)
    return {
        "available_working_time_hours": result.available_working_time_hours,
        "activities": [
            {"name": a.name, "standard_workload": a.standard_workload, "required_staff": a.required_staff}
            for a in result.activities
        ],
        "category_allowance_factor": result.category_allowance_factor,
        "individual_allowance_factor": result.individual_allowance_factor,
        "required_staff": result.required_staff,
        "existing_staff": existing,
        "difference": result.difference,
        "wisn_ratio": result.wisn_ratio,
        "workload_pressure": result.workload_pressure,
    }
