"""From training to the workforce: how many graduate, per programme, cadre and year, and how many are
expected to graduate in the years a projection covers (``contracts/planning.md``, ``graduates_t``).

Definitions (``docs/training.md``, "From training to planning"):

* **graduates** of a programme in year Y: its completions dated in Y, for pre-service programmes only
  (``PRE_SERVICE_KINDS``: in-service and online courses train people already in the workforce). A
  programme preparing for n cadres gives each of them 1/n of every graduate; one preparing for none is
  counted with no cadre (``None``), and no projection gets its graduates.
* **expected graduates**: an intake of year y of a pre-service programme of d months graduates in year
  ``y + ceil(d / 12)``, times the programme's **completion rate**. A programme without a duration gives
  no expected graduates (its intakes cannot be placed in a year).
* **completion rate** of a programme, as of a base year Y0: over the last three graduation years G <= Y0
  with data (the matching intake, of year ``G - ceil(d / 12)``, records students, and the programme has
  completions dated in G), the completions of those years divided by the students of their matching
  intakes; 1 when no year has data. Not capped: more completions than students enrolled (students who
  repeated a year) give a rate above 1.
* The programmes counted can be narrowed to those of the institutions located at a place or below it
  (``within``); the whole country otherwise, institutions without a location included.

Everything is a handful of grouped queries; no person is read.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from sswis.geo.models import Location
from sswis.training.models import PRE_SERVICE_KINDS, Completion, Intake, Programme

RATE_YEARS = 3
"""How many graduation years with data the completion rate looks back over."""


@dataclass(frozen=True)
class GraduateRow:
    """Graduates of a programme in a year, for one cadre (``None``: the programme prepares for none): the
    cadre's share, 1/n of each graduate of a programme preparing for n cadres."""

    year: int
    programme: str
    cadre: str | None
    graduates: float

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "programme": self.programme,
            "cadre": self.cadre,
            "graduates": self.graduates,
        }


GRADUATE_COLUMNS = ("year", "programme", "cadre", "graduates")


def _pre_service(within: Location | None) -> QuerySet[Programme]:
    programmes = Programme.objects.filter(kind__in=sorted(PRE_SERVICE_KINDS))
    if within is not None:
        programmes = programmes.filter(institution__location__path__startswith=within.path)
    return programmes


def _cadres_of(programme_ids: list[int]) -> dict[int, list[str]]:
    """Each programme's cadre codes, sorted (one query)."""
    through = Programme.cadres.through
    cadres: dict[int, list[str]] = defaultdict(list)
    for programme_id, code in (
        through.objects.filter(programme_id__in=programme_ids)
        .order_by("cadre__code")
        .values_list("programme_id", "cadre__code")
    ):
        cadres[programme_id].append(code)
    return cadres


def _completions_by_year(
    programme_ids: list[int], *, first: int | None = None, last: int | None = None
) -> dict[int, dict[int, int]]:
    """Completions per programme and calendar year (one grouped query)."""
    completions = Completion.objects.filter(programme_id__in=programme_ids)
    if first is not None:
        completions = completions.filter(completed_on__year__gte=first)
    if last is not None:
        completions = completions.filter(completed_on__year__lte=last)
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for programme_id, year, count in (
        completions.annotate(year=ExtractYear("completed_on"))
        .order_by()
        .values_list("programme_id", "year")
        .annotate(count=Count("pk"))
    ):
        counts[programme_id][int(year)] = count
    return counts


def _shares(cadres: list[str]) -> list[tuple[str | None, float]]:
    if not cadres:
        return [(None, 1.0)]
    return [(code, 1.0 / len(cadres)) for code in cadres]


def graduates_recorded(
    *, first_year: int | None = None, last_year: int | None = None, within: Location | None = None
) -> list[GraduateRow]:
    """The graduates of every pre-service programme, per year (``first_year`` to ``last_year`` when given)
    and cadre, by year, programme code and cadre code (no cadre first). Three queries."""
    programmes = dict(_pre_service(within).values_list("pk", "code"))
    ids = list(programmes)
    cadres = _cadres_of(ids)
    rows = [
        GraduateRow(year=year, programme=programmes[programme_id], cadre=cadre, graduates=count * share)
        for programme_id, by_year in _completions_by_year(ids, first=first_year, last=last_year).items()
        for year, count in by_year.items()
        for cadre, share in _shares(cadres.get(programme_id, []))
    ]
    return sorted(rows, key=lambda row: (row.year, row.programme, row.cadre or ""))


def years_to_graduate(duration_months: int) -> int:
    """The years from an intake to its graduation: ``ceil(duration_months / 12)`` (at least 1)."""
    return max(math.ceil(duration_months / 12), 1)


def completion_rate(
    *, intakes: dict[int, int], completions: dict[int, int], offset: int, base_year: int
) -> tuple[float, list[int]]:
    """The completion rate as of ``base_year`` (module docstring) from a programme's ``intakes`` and
    ``completions`` (year -> students) with ``offset`` years from intake to graduation, and the graduation
    years it was computed over (latest first; none: the rate is 1)."""
    years = sorted(
        (
            year
            for year, count in completions.items()
            if year <= base_year and count > 0 and intakes.get(year - offset, 0) > 0
        ),
        reverse=True,
    )[:RATE_YEARS]
    if not years:
        return 1.0, []
    return sum(completions[year] for year in years) / sum(intakes[year - offset] for year in years), years


@dataclass(frozen=True)
class ProgrammeExpectation:
    """A programme's expected graduates over a projection's years, before they are shared among its cadres."""

    programme: str
    cadres: tuple[str, ...]
    years_to_graduate: int
    completion_rate: float
    rate_years: tuple[int, ...]  # the graduation years the rate was computed over (none: rate 1)
    graduates: tuple[float, ...]  # one per year Y0 + 1 .. Y0 + T


@dataclass(frozen=True)
class ExpectedGraduates:
    """Expected graduates for the years ``base_year + 1 .. base_year + horizon``: per programme, and per
    cadre (each cadre's share of the programmes preparing for it)."""

    base_year: int
    horizon: int
    programmes: list[ProgrammeExpectation]
    by_cadre: dict[str, tuple[float, ...]] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return [self.base_year + t for t in range(1, self.horizon + 1)]


def graduates_expected(*, base_year: int, horizon: int, within: Location | None = None) -> ExpectedGraduates:
    """The graduates expected from the recorded intakes of pre-service programmes (module docstring) in
    each year ``base_year + t``, t = 1..``horizon``; unrounded. Four queries."""
    programmes = list(
        _pre_service(within)
        .filter(duration_months__isnull=False)
        .order_by("code")
        .values_list("pk", "code", "duration_months")
    )
    ids = [pk for pk, _code, _duration in programmes]
    cadres = _cadres_of(ids)
    intakes: dict[int, dict[int, int]] = defaultdict(dict)
    for programme_id, year, enrolled in Intake.objects.filter(programme_id__in=ids).values_list(
        "programme_id", "year", "enrolled"
    ):
        intakes[programme_id][year] = enrolled
    completions = _completions_by_year(ids, last=base_year)
    years = [base_year + t for t in range(1, horizon + 1)]
    expectations = []
    by_cadre: dict[str, list[float]] = {}
    for pk, code, duration in programmes:
        offset = years_to_graduate(duration or 0)  # never None: filtered above
        rate, rate_years = completion_rate(
            intakes=intakes[pk], completions=completions.get(pk, {}), offset=offset, base_year=base_year
        )
        expected = tuple(intakes[pk].get(year - offset, 0) * rate for year in years)
        programme_cadres = tuple(cadres.get(pk, []))
        expectations.append(
            ProgrammeExpectation(
                programme=code,
                cadres=programme_cadres,
                years_to_graduate=offset,
                completion_rate=rate,
                rate_years=tuple(rate_years),
                graduates=expected,
            )
        )
        for cadre, share in _shares(list(programme_cadres)):
            if cadre is None:
                continue
            totals = by_cadre.setdefault(cadre, [0.0] * horizon)
            for index, value in enumerate(expected):
                totals[index] += value * share
    return ExpectedGraduates(
        base_year=base_year,
        horizon=horizon,
        programmes=expectations,
        by_cadre={cadre: tuple(values) for cadre, values in sorted(by_cadre.items())},
    )
