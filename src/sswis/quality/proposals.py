"""The proposed scores of criteria 2, 3 and 4 for a year, from the data (contract ``quality-score.md``).

Every figure is the country's, at the root location (the first root by code, as the support indicators
place a supervisor with nowhere else to be), for year Y, and comes from the indicators' own computation,
never a recount:

* criterion 2: ``support.supervised_share`` and ``support.supervisors_over_norm`` of the root
  (``sswis.indicators``); ``sessions`` is the one figure the indicators do not have: of the same workers
  (counted in Y, ``indicators.counted``, and supervised on the reference date, the SQL of
  ``indicators.supervised``), those with a supervision session dated 1 October to 31 December of Y, with
  any supervisor (as ``support.sessions_per_supervisee`` counts sessions);
* criterion 3: ``workforce.count`` of the root split by ``category`` and ``licensed`` (licensed as in
  ``indicators.md``); a register "requires CPD points for renewal" when its rules ask more than 0 points a
  cycle (``Register.cpd_points_per_cycle``, what ``regulation.selectors`` checks at renewal);
* criterion 4: ``workforce.count`` and ``workforce.per_100k_children`` of every district (the locations
  at ``geo.selectors.reporting_depth``): covered when the count is at least 1 and the child population of
  Y is known (the per-100,000 row's denominator, which follows the indicators' parent rule); and
  ``workforce.count`` of the root split by ``employer``.

Registers are looked at as they are now (a register has no dates); relationships "recorded at all" are
any relationship of any day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from sswis.geo.models import Location
from sswis.geo.selectors import districts, reporting_depth
from sswis.indicators.counted import counted_condition
from sswis.indicators.definitions import reference_period, year_checked
from sswis.indicators.rows import COUNT, PER_100K, SUPERVISED_SHARE, SUPERVISORS_OVER_NORM, IndicatorRow
from sswis.indicators.selectors import indicators_compute
from sswis.indicators.supervised import supervised_workers_sql
from sswis.quality.models import Criterion
from sswis.quality.rules import hris_score, licensing_score, share, supervision_score
from sswis.registry.models import Assignment, Worker
from sswis.regulation.models import Register
from sswis.support.models import SupervisionRelationship, SupervisionSession

PROFESSIONAL = "professional"  # CadreCategory.PROFESSIONAL
LICENSED = "licensed"  # the ``licensed`` dimension's group of licensed workers
GOVERNMENT, NON_GOVERNMENT = "government", "non_government"  # the ``employer`` dimension's groups
QUARTER_START = (10, 1)  # sessions count from 1 October of Y to the reference date, 31 December


@dataclass(frozen=True)
class Proposal:
    """One criterion's proposed score and the figures it comes from (JSON-ready: numbers, booleans,
    lists of codes; shares as floats, decided on exactly)."""

    criterion: str
    proposed: int
    reasons: dict[str, Any]


def _root() -> Location | None:
    return Location.objects.filter(depth=0).order_by("code").first()


def _whole(rows: Iterable[IndicatorRow], indicator: str) -> IndicatorRow | None:
    return next((row for row in rows if row.indicator == indicator and not row.group), None)


def _root_rows(
    *, year: int, root: Location | None, indicators: tuple[str, ...], by: tuple[str, ...] = ()
) -> list[IndicatorRow]:
    if root is None:
        return []
    return indicators_compute(year=year, location=root, depth=0, by=by, indicators=indicators)


def supervision_propose(*, year: int, root: Location | None = None) -> Proposal:
    """Criterion 2 for ``year`` (``root``: the country's root, found when not given)."""
    root = root if root is not None else _root()
    rows = _root_rows(year=year, root=root, indicators=(SUPERVISED_SHARE, SUPERVISORS_OVER_NORM))
    supervised_row, over_row = _whole(rows, SUPERVISED_SHARE), _whole(rows, SUPERVISORS_OVER_NORM)
    supervised_workers = supervised_row.numerator or 0 if supervised_row else 0
    counted = supervised_row.whole_denominator or 0 if supervised_row else 0
    supervisors_over = over_row.numerator or 0 if over_row else 0
    supervisors = over_row.whole_denominator or 0 if over_row else 0
    with_session = _supervised_with_quarter_session(year=year, root=root)
    relationships = SupervisionRelationship.objects.exists()
    supervised, over = share(supervised_workers, counted), share(supervisors_over, supervisors)
    sessions = share(with_session, supervised_workers)
    proposed = supervision_score(
        relationships=relationships, supervised=supervised, over=over, sessions=sessions
    )
    return Proposal(
        Criterion.SUPERVISION.value,
        proposed,
        {
            "relationships_recorded": relationships,
            "counted_workers": counted,
            "supervised_workers": supervised_workers,
            "supervised": float(supervised),
            "supervisors": supervisors,
            "supervisors_over_norm": supervisors_over,
            "over": float(over),
            "supervised_with_session_october_december": with_session,
            "sessions": float(sessions),
        },
    )


def _supervised_with_quarter_session(*, year: int, root: Location | None) -> int:
    """Of the workers counted in ``year`` (in ``root``'s subtree) and supervised on the reference date,
    how many have a supervision session dated 1 October to 31 December of ``year``. One query."""
    if root is None:
        return 0
    day = reference_period(year=year).reference_date
    counted = Assignment.objects.filter(counted_condition(year=year), location__path__startswith=root.path)
    supervised_sql = supervised_workers_sql(day="%s", ordered=False)  # the day twice: start and end
    in_quarter = SupervisionSession.objects.filter(
        supervisee=OuterRef("pk"), date__gte=datetime.date(year, *QUARTER_START), date__lte=day
    )
    found = (
        Worker.objects.filter(pk__in=counted.values("worker_id"))
        .filter(pk__in=RawSQL(supervised_sql, [day, day]))
        .aggregate(with_session=Count("pk", filter=Q(Exists(in_quarter))))
    )
    return int(found["with_session"] or 0)


def licensing_propose(*, year: int, root: Location | None = None) -> Proposal:
    """Criterion 3 for ``year``."""
    root = root if root is not None else _root()
    rows = _root_rows(year=year, root=root, indicators=(COUNT,), by=("category", "licensed"))
    professional_rows = [row for row in rows if row.group.get("category") == PROFESSIONAL]
    professionals = sum(row.numerator or 0 for row in professional_rows)
    licensed = sum(row.numerator or 0 for row in professional_rows if row.group.get("licensed") == LICENSED)
    registers = list(Register.objects.order_by("code").values_list("code", "cpd_points_per_cycle"))
    with_cpd = [code for code, points in registers if points > 0]
    licensed_share = share(licensed, professionals)
    proposed = licensing_score(register=bool(registers), share=licensed_share, cpd_renewal=bool(with_cpd))
    return Proposal(
        Criterion.LICENSING.value,
        proposed,
        {
            "registers": [code for code, _points in registers],
            "professionals": professionals,
            "licensed_professionals": licensed,
            "share": float(licensed_share),
            "registers_with_cpd_for_renewal": with_cpd,
            "cpd_renewal": bool(with_cpd),
        },
    )


def hris_propose(*, year: int, root: Location | None = None) -> Proposal:
    """Criterion 4 for ``year``."""
    root = root if root is not None else _root()
    depth = reporting_depth()
    district_codes = [district.code for district in districts()]
    covered: list[str] = []
    if district_codes:
        rows = indicators_compute(year=year, depth=depth, indicators=(COUNT, PER_100K))
        counts = {
            row.location: row.numerator or 0 for row in rows if row.indicator == COUNT and not row.group
        }
        known = {row.location for row in rows if row.indicator == PER_100K and row.denominator is not None}
        covered = [code for code in district_codes if counts.get(code, 0) >= 1 and code in known]
    employer_rows = _root_rows(year=year, root=root, indicators=(COUNT,), by=("employer",))
    by_employer = {row.group.get("employer"): row.numerator or 0 for row in employer_rows if row.group}
    government, non_government = by_employer.get(GOVERNMENT, 0), by_employer.get(NON_GOVERNMENT, 0)
    coverage = share(len(covered), len(district_codes))
    both = government > 0 and non_government > 0
    return Proposal(
        Criterion.HRIS.value,
        hris_score(coverage=coverage, both_employers=both),
        {
            "reporting_depth": depth,
            "districts": len(district_codes),
            "covered_districts": len(covered),
            "coverage": float(coverage),
            "districts_not_covered": [code for code in district_codes if code not in set(covered)],
            "government_workers": government,
            "non_government_workers": non_government,
            "both_employers": both,
        },
    )


def proposals_compute(*, year: int) -> dict[str, Proposal]:
    """The proposals of criteria 2, 3 and 4 for ``year``, keyed by the contract's names (``supervision``,
    ``licensing``, ``hris``), in that order. ``ValueError`` for a year outside 1900-2100 (the years the
    command line and the pages accept), before any query."""
    year_checked(text=str(year))
    root = _root()
    return {
        Criterion.SUPERVISION.value: supervision_propose(year=year, root=root),
        Criterion.LICENSING.value: licensing_propose(year=year, root=root),
        Criterion.HRIS.value: hris_propose(year=year, root=root),
    }


def proposals_as_json(*, year: int, proposals: dict[str, Proposal]) -> dict[str, Any]:
    """The contract's document: ``{"year": Y, "criteria": {"supervision": {"proposed": n, "reasons":
    {...}}, "licensing": {...}, "hris": {...}}}``."""
    return {
        "year": year,
        "criteria": {
            name: {"proposed": proposal.proposed, "reasons": proposal.reasons}
            for name, proposal in proposals.items()
        },
    }
