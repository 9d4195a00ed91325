"""The support indicators (contract ``support.md``, version 1) computed in the database.

Same year, reference date and counted workers as the workforce indicators (``contracts/indicators.md``):

* ``support.supervised_share`` is an attribute share like the licensed share: the set of the workers
  supervised on the reference date (``sswis.indicators.supervised``) is LEFT JOINed to the workforce
  query (``computation.WORKER_SETS``), so it splits like ``workforce.count`` and adds up over the tree.
* ``support.sessions_per_supervisee``, ``support.caseload_mean`` and ``support.caseload_over_norm_share``
  come from one grouped query (``worker_support_sql``): the reference assignments of the workers who are
  supervised on the reference date or have a December caseload (the indicators' own pick, restricted to
  them), with their sessions of the year, their December ``all`` caseload and their reference cadre's
  ``all`` norm joined, added up per reference location. Python rolls both parts of each figure up the
  tree, so a region's numerator and denominator are the sums of its districts' (and of its own).
* ``support.supervisors_over_norm`` comes from one grouped query (``supervisors_sql``) over the
  supervisors with a supervisee on the reference date: per supervisor whether their distinct supervisees
  exceed their norm, grouped by where they are placed (their reference location, else the location of
  their latest-starting assignment active that day, else nothing: the root).

No worker, relationship, session or caseload row comes into Python: only counts per location.

Decisions the contract leaves open (``docs/support.md``, "Indicators"):

* a supervisor's norm is the only-duty norm (10 by default) when at least one of their relationships
  active on the reference date says that supervising is their only duty, otherwise the other norm (6);
  the norms are the country's ``SupervisionRules`` (the first stored row, as ``rules_current``), else
  the model's defaults;
* a supervisor not counted is placed at their latest-starting assignment active on the reference date
  (any assignment, child protection or not); among equals the larger FTE, then the lowest id; with no
  such assignment at the root of the location tree (the first root by code, if there are several);
* sessions count with any supervisor (not only the one of an active relationship), dated 1 January to
  31 December of the year, both included;
* only the ``{}`` rows: these four are not split (the contract splits the supervised share only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from sswis.indicators.computation import (
    Tree,
    aggregate_rows,
    reference_assignments_sql,
    reference_parameters,
    table_name,
)
from sswis.indicators.definitions import ReferencePeriod
from sswis.indicators.rows import (
    CASELOAD_MEAN,
    CASELOAD_OVER_NORM_SHARE,
    SESSIONS_PER_SUPERVISEE,
    SUPERVISORS_OVER_NORM,
    IndicatorRow,
)
from sswis.indicators.supervised import (
    relationship_active,
    supervised_workers_sql,
    support_model,
    support_table,
)
from sswis.registry.models import Assignment

# CASELOAD_KIND_ALL of the support domain (a test checks that they are the same).
KIND_ALL = "all"
# The support indicators computed here (the supervised share is an attribute share: ``selectors``).
SUPPORT_INDICATORS = (SUPERVISORS_OVER_NORM, SESSIONS_PER_SUPERVISEE, CASELOAD_MEAN, CASELOAD_OVER_NORM_SHARE)
_CASELOAD_INDICATORS = (CASELOAD_MEAN, CASELOAD_OVER_NORM_SHARE)
_DAY = "%(reference_date)s"


def _counts() -> dict[int, int]:
    return defaultdict(int)


@dataclass
class Support:
    """Both parts of each support figure per location, rolled up the tree (a location's figure counts
    everything below it and itself)."""

    supervisors: dict[int, int] = field(default_factory=_counts)  # with a supervisee on the day
    supervisors_over: dict[int, int] = field(default_factory=_counts)  # over their norm
    supervisees: dict[int, int] = field(default_factory=_counts)  # counted and supervised on the day
    sessions: dict[int, int] = field(default_factory=_counts)  # their sessions dated in the year
    caseload_workers: dict[int, int] = field(default_factory=_counts)  # counted, with a December caseload
    open_cases: dict[int, int] = field(default_factory=_counts)  # their open cases
    normed: dict[int, int] = field(default_factory=_counts)  # of those, with a norm for their cadre
    over_norm: dict[int, int] = field(default_factory=_counts)  # of those, over it

    def parts(self, indicator: str) -> tuple[dict[int, int], dict[int, int]]:
        """The numerator and denominator of ``indicator`` (one of ``SUPPORT_INDICATORS``) per location."""
        return {
            SUPERVISORS_OVER_NORM: (self.supervisors_over, self.supervisors),
            SESSIONS_PER_SUPERVISEE: (self.sessions, self.supervisees),
            CASELOAD_MEAN: (self.open_cases, self.caseload_workers),
            CASELOAD_OVER_NORM_SHARE: (self.over_norm, self.normed),
        }[indicator]


def _quoted(column: str) -> str:
    return str(connection.ops.quote_name(column))


def worker_support_sql(*, sessions: bool, caseloads: bool, scope: Sequence[int] = ()) -> str:
    """One row per reference location: with ``sessions`` the counted workers supervised on the reference
    date and their sessions dated in the year; with ``caseloads`` the counted workers with a December
    ``all`` caseload, their open cases, those of them whose reference cadre has an ``all`` norm and those
    over it. Only the reference rows of the workers concerned are picked (``reference_assignments_sql``
    with ``workers``). Every join gives at most one row per worker (the supervised set is distinct, the
    sessions are grouped, a caseload is unique per worker, month and kind, a norm per cadre and kind)."""
    assert sessions or caseloads
    supervised = supervised_workers_sql(day=_DAY, ordered=False)
    caseload, norm, session = (
        support_table("Caseload"),
        support_table("CaseloadNorm"),
        support_table("SupervisionSession"),
    )
    concerned: list[str] = []
    selected: list[str] = []
    joins: list[str] = []
    if sessions:
        concerned.append(supervised)
        day = _quoted("date")
        selected += [
            "COUNT(sv.worker_id)",
            "COALESCE(SUM(CASE WHEN sv.worker_id IS NOT NULL THEN se.sessions END), 0)",
        ]
        joins += [
            f"LEFT JOIN ({supervised}) sv ON sv.worker_id = r.worker_id",
            f"LEFT JOIN (SELECT x.supervisee_id AS worker_id, COUNT(*) AS sessions FROM {session} x "
            f"WHERE x.{day} >= %(first_day)s AND x.{day} <= %(reference_date)s GROUP BY x.supervisee_id) se "
            "ON se.worker_id = r.worker_id",
        ]
    if caseloads:
        concerned.append(
            f"SELECT k.worker_id FROM {caseload} k WHERE k.month = %(december)s AND k.kind = %(kind_all)s"
        )
        selected += [
            "COUNT(c.open_cases)",
            "COALESCE(SUM(c.open_cases), 0)",
            "COUNT(CASE WHEN c.open_cases IS NOT NULL THEN n.maximum_open_cases END)",
            "COUNT(CASE WHEN c.open_cases > n.maximum_open_cases THEN 1 END)",
        ]
        joins += [
            f"LEFT JOIN {caseload} c ON c.worker_id = r.worker_id AND c.month = %(december)s "
            "AND c.kind = %(kind_all)s",
            f"LEFT JOIN {norm} n ON n.cadre_id = r.cadre_id AND n.kind = %(kind_all)s",
        ]
    reference = reference_assignments_sql(
        columns=["a.worker_id", "a.location_id", *(["a.cadre_id"] if caseloads else [])],
        scope=scope,
        workers=" UNION ".join(concerned),
    )
    return f"SELECT r.location_id, {', '.join(selected)} FROM ({reference}) r {' '.join(joins)} GROUP BY r.location_id"


def _norm(name: str) -> str:
    """SQL of the country's norm ``name`` (a field of ``SupervisionRules``): the first stored row's, else
    the ``%(name)s`` parameter (the field's default, ``support_parameters``)."""
    rules = support_table("SupervisionRules")
    return f"COALESCE((SELECT q.{name} FROM {rules} q ORDER BY q.id LIMIT 1), %({name})s)"


def supervisors_sql() -> str:
    """One row per (reference location, location of the latest-starting active assignment, over the
    norm) with its number of supervisors: every worker with a supervisee in a relationship active on the
    reference date, their distinct supervisees compared with their norm (module docstring). A location
    is null when the supervisor has no such assignment (not counted; no active assignment)."""
    relationship, assignment = support_table("SupervisionRelationship"), table_name(Assignment)
    only_duty = "MAX(CASE WHEN x.supervision_only_duty THEN 1 ELSE 0 END) = 1"
    norm = f"CASE WHEN {only_duty} THEN {_norm('supervisees_when_only_duty')} ELSE {_norm('supervisees_otherwise')} END"
    supervisors = (
        f"SELECT x.supervisor_id, CASE WHEN COUNT(DISTINCT x.supervisee_id) > {norm} THEN 1 ELSE 0 END "
        f"AS over_norm FROM {relationship} x WHERE {relationship_active('x', day=_DAY)} GROUP BY x.supervisor_id"
    )
    active_supervisors = (
        f"SELECT y.supervisor_id FROM {relationship} y WHERE {relationship_active('y', day=_DAY)}"
    )
    reference = reference_assignments_sql(
        columns=["a.worker_id", "a.location_id"], workers=active_supervisors
    )
    latest_active = (
        "SELECT p.worker_id, p.location_id FROM (SELECT b.worker_id, b.location_id, ROW_NUMBER() OVER "
        "(PARTITION BY b.worker_id ORDER BY b.start_date DESC, b.fte DESC, b.id) AS place_rank "
        f"FROM {assignment} b WHERE b.start_date <= {_DAY} AND (b.end_date IS NULL OR b.end_date >= {_DAY}) "
        f"AND b.worker_id IN ({active_supervisors})) p WHERE p.place_rank = 1"
    )
    return (
        f"SELECT ref.location_id, act.location_id, s.over_norm, COUNT(*) FROM ({supervisors}) s "
        f"LEFT JOIN ({reference}) ref ON ref.worker_id = s.supervisor_id "
        f"LEFT JOIN ({latest_active}) act ON act.worker_id = s.supervisor_id GROUP BY 1, 2, 3"
    )


def support_parameters(period: ReferencePeriod, *, scope: Sequence[int] = ()) -> dict[str, Any]:
    """The named parameters of ``worker_support_sql`` and ``supervisors_sql``."""
    rules = support_model("SupervisionRules")
    return {
        **reference_parameters(period, scope=scope),
        "december": period.reference_date.replace(day=1),
        "kind_all": KIND_ALL,
        **{
            name: rules._meta.get_field(name).default
            for name in ("supervisees_when_only_duty", "supervisees_otherwise")
        },
    }


def support_rolled_up(
    *, tree: Tree, period: ReferencePeriod, indicators: Sequence[str], scope: Sequence[int]
) -> Support:
    """Both parts of each support figure of ``indicators`` per location, rolled up: at most two queries
    (none for indicators that need none of them). ``scope`` (the subtree's locations, or empty) limits the
    workers read for the per-worker figures, as for the workforce; the supervisors are always all read
    (one placed inside may have no candidate assignment there)."""
    support = Support()
    sessions = SESSIONS_PER_SUPERVISEE in indicators
    caseloads = any(indicator in indicators for indicator in _CASELOAD_INDICATORS)
    if sessions or caseloads:
        sql = worker_support_sql(sessions=sessions, caseloads=caseloads, scope=scope)
        targets = [
            *([support.supervisees, support.sessions] if sessions else []),
            *(
                [support.caseload_workers, support.open_cases, support.normed, support.over_norm]
                if caseloads
                else []
            ),
        ]
        for location_id, *values in aggregate_rows(
            sql=sql, parameters=support_parameters(period, scope=scope)
        ):
            for pk in tree.chain[location_id]:
                for target, value in zip(targets, values, strict=True):
                    target[pk] += int(value or 0)
    if SUPERVISORS_OVER_NORM in indicators:
        root = tree.preorder[0] if tree.preorder else None
        for reference_location, active_location, over, count in aggregate_rows(
            sql=supervisors_sql(), parameters=support_parameters(period)
        ):
            placed = reference_location or active_location or root
            if placed is None:
                continue
            for pk in tree.chain[placed]:
                support.supervisors[pk] += count
                if over:
                    support.supervisors_over[pk] += count
    return support


def support_rows(
    *, indicator: str, code: str, location_id: int, support: Support, year: int
) -> list[IndicatorRow]:
    """The ``{}`` row of ``indicator`` (one of ``SUPPORT_INDICATORS``) at one location: numerator,
    denominator and their ratio (null when the denominator is 0)."""
    numerators, denominators = support.parts(indicator)
    numerator, denominator = numerators.get(location_id, 0), denominators.get(location_id, 0)
    value = numerator / denominator if denominator else None
    return [IndicatorRow(indicator, code, {}, numerator, denominator, value, year)]
