"""One WISN study applied to many locations, each with its own workload volumes, and the locations
ranked by workload pressure (WHO's comparison of facilities).

The volumes come from a CSV table (UTF-8, a byte order mark allowed): a ``location`` column with the
location codes, an optional ``existing_staff`` column, and one column per main activity of the study,
headed with the activity's name exactly, holding that location's annual workload. The study's working
time, activity standards and allowances apply everywhere. ``existing_staff`` left empty (or no such
column) is the registry's count of the study's cadre at the location in the study's year
(``workforce.count``, one indicators computation for all the locations).

Refused, naming the row and column, writing and computing nothing: a missing ``location`` column or
activity column, a column that is not an activity of the study, an unknown or repeated location, a
value that is not a number or is negative, an empty table. Locations come out by workload pressure,
highest first (the most understaffed); those without a requirement (nothing to do) last, by code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from sswis.geo.models import Location
from sswis.indicators.selectors import COUNT, indicators_compute
from sswis.planning.inputs import PlanInputError
from sswis.planning.wisn import Activity, WisnResult, WisnStudy, wisn_compute

LOCATION_COLUMN = "location"
EXISTING_COLUMN = "existing_staff"
MAXIMUM_ROWS = 10_000


@dataclass(frozen=True)
class LocationWorkload:
    location: str
    volumes: tuple[float, ...]  # per activity of the study, in its order
    existing_staff: float | None


@dataclass(frozen=True)
class LocationResult:
    location: str
    name: str
    result: WisnResult


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PlanInputError(where, _("%(value)r is not a number.") % {"value": text}) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise PlanInputError(where, _("%(value)r is not a number.") % {"value": text})
    if value < 0:
        raise PlanInputError(where, _("it may not be negative (%(value)s).") % {"value": text})
    return value


def workloads_parse(*, study: WisnStudy, text: str) -> list[LocationWorkload]:
    """The locations' volumes in ``text`` (the CSV table described above); ``PlanInputError`` naming
    ``row N, column C`` (rows counted from 1 for the header) for the first problem."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in next(reader, [])]
    if LOCATION_COLUMN not in header:
        raise PlanInputError(_("row 1"), _("there is no %(column)r column.") % {"column": LOCATION_COLUMN})
    names = [activity.name for activity in study.activities]
    for name in names:
        if name not in header:
            raise PlanInputError(
                _("row 1"), _("there is no column for the activity %(name)r.") % {"name": name}
            )
    for column in header:
        if column not in (LOCATION_COLUMN, EXISTING_COLUMN, *names):
            raise PlanInputError(
                _("row 1, column %(column)s") % {"column": column},
                _("this is not an activity of the study."),
            )
    position = {column: index for index, column in enumerate(header)}
    known = set(Location.objects.values_list("code", flat=True))
    workloads: list[LocationWorkload] = []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if number > MAXIMUM_ROWS:
            raise PlanInputError(_("row %(row)s") % {"row": number}, _("the table has too many rows."))
        cells = [*row, *([""] * (len(header) - len(row)))]

        def where(column: str, row_number: int = number) -> str:
            return _("row %(row)s, column %(column)s") % {"row": row_number, "column": column}

        code = cells[position[LOCATION_COLUMN]].strip()
        if code not in known:
            raise PlanInputError(
                where(LOCATION_COLUMN), _("there is no location with the code %(code)r.") % {"code": code}
            )
        if code in seen:
            raise PlanInputError(where(LOCATION_COLUMN), _("%(code)s is given twice.") % {"code": code})
        seen.add(code)
        existing_text = cells[position[EXISTING_COLUMN]].strip() if EXISTING_COLUMN in position else ""
        workloads.append(
            LocationWorkload(
                location=code,
                volumes=tuple(_number(cells[position[name]].strip(), where(name)) for name in names),
                existing_staff=_number(existing_text, where(EXISTING_COLUMN)) if existing_text else None,
            )
        )
    if not workloads:
        raise PlanInputError(_("row 2"), _("the table has no location."))
    return workloads


def wisn_locations_evaluate(*, study: WisnStudy, workloads: list[LocationWorkload]) -> list[LocationResult]:
    """The study at each location with its own volumes, ranked by workload pressure (highest first)."""
    counts: dict[str, int] = {}
    if any(workload.existing_staff is None for workload in workloads):
        for row in indicators_compute(year=study.year, by=("cadre",), indicators=[COUNT]):
            if row.indicator == COUNT and row.group == {"cadre": study.cadre}:
                counts[row.location] = int(row.numerator or 0)
    names = dict(
        Location.objects.filter(code__in=[w.location for w in workloads]).values_list("code", "name")
    )
    results = []
    for workload in workloads:
        activities = tuple(
            Activity(name=activity.name, annual_workload=volume, unit_time_hours=activity.unit_time_hours)
            for activity, volume in zip(study.activities, workload.volumes, strict=True)
        )
        local = replace(study, location=workload.location, activities=activities)
        existing = workload.existing_staff
        if existing is None:
            existing = float(counts.get(workload.location, 0))
        results.append(
            LocationResult(
                location=workload.location,
                name=names.get(workload.location, workload.location),
                result=wisn_compute(study=local, existing_staff=existing),
            )
        )
    return sorted(
        results,
        key=lambda item: (
            item.result.workload_pressure is None,
            -(item.result.workload_pressure or 0.0),
            item.location,
        ),
    )


def wisn_locations_as_json(*, results: list[LocationResult]) -> dict[str, object]:
    """``{"locations": [{"location", "required_staff", "existing_staff", "difference", "wisn_ratio",
    "workload_pressure"}]}`` in rank order, unrounded."""
    return {
        "locations": [
            {
                "location": item.location,
                "required_staff": item.result.required_staff,
                "existing_staff": item.result.existing_staff,
                "difference": item.result.difference,
                "wisn_ratio": item.result.wisn_ratio,
                "workload_pressure": item.result.workload_pressure,
            }
            for item in results
        ]
    }
