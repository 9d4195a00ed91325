"""Retention and attrition of the workforce (issue 13 item 4): the reads behind the retention page and
its API. Aggregates only: no worker comes back, and small cells are withheld from readers who may not
see every figure of the location (``access.policy.sees_every_figure``; ``k`` from
``indicators.disclosure.small_cell_minimum``).

For a year Y and a location (its subtree):

* **turnover** — the contract's ``support.turnover_rate`` (``support.md``, "Turnover";
  ``sswis.indicators.turnover``): workers counted in Y who are not active on 31 December (separated),
  over the average of those active on 1 January and on 31 December; per year (the indicator itself,
  several years), and for Y per location directly below, per cadre and per organisation of the
  reference assignment, and per **exit reason** of the separated (the reason of their child protection
  assignment that ended last; ``not_recorded`` when blank): a reason's rate is its separated over the
  location's whole average headcount, so the reasons add up to the turnover;
* **tenure** — the counted workers of Y in bands of completed years on 31 December Y since the start of
  their first child protection assignment: ``under_1`` (0: started in Y), ``1_2`` (1), ``2_5`` (2 to 4),
  ``5_10`` (5 to 9), ``10_plus`` (10 or more);
* **retention curves** — per entry cohort (the year of the start of a worker's first child protection
  assignment, located there), Y - 9 to Y: its size, and the share of it active on 31 December of the
  entry year + 1, 2, 3 and 5 (anywhere); none where that day is after 31 December Y;
* **vacancy duration** — the funded posts vacant on 31 December Y (the registry's vacancy, as
  ``posts.vacancy_rate``), and since how many days: median and mean, in all, per location directly below
  and per cadre of the post;
* **estimated attrition** — planning's own estimate (``sswis.planning.attrition``, contract
  ``planning.md`` section 3) for base year Y, per cadre, country-wide.

Small cells, for a reader who may not see every figure of the location: turnover per location and per
cadre are never withheld (counts by location and cadre, as the indicators'); an organisation's row is
withheld when any of its counts (counted, active on 1 January or on 31 December, separated) is 1 to
k - 1, an exit reason's when its separated are, a tenure band's when its workers are, and in each of
these splits, when only one row is withheld so, the smallest other non-zero one too (so no withheld
figure comes back by subtraction); a cohort is withheld when its size is 1 to k - 1, and a retention
figure of a cohort when those still active or those gone are. Posts are not people: the vacancy
durations are never withheld, nor planning's country-wide estimate (counts by cadre).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access import policy, support_policy
from sswis.geo.models import Location
from sswis.indicators.computation import Tree
from sswis.indicators.definitions import TURNOVER_RATE, reference_period
from sswis.indicators.disclosure import small_cell_minimum
from sswis.indicators.selectors import indicators_for_reader
from sswis.indicators.turnover import Headcounts
from sswis.planning.attrition import AttritionEstimate, attrition_estimates
from sswis.registry.models import Cadre, ExitReason, Organisation
from sswis.support.retention_queries import (
    NOT_RECORDED,
    RETENTION_YEARS,
    TENURE_BANDS,
    cohort_parts,
    tenure_parts,
    turnover_parts,
    vacancy_parts,
)

TREND_YEARS = 6  # the turnover of the year and the five before it


def last_whole_year() -> int:
    """The pages' and the API's default year: the last one whose 31 December is past."""
    return timezone.localdate().year - 1


@dataclass(frozen=True)
class TurnoverLine:
    """One line of a turnover split: ``key`` is a code (location, cadre, organisation, exit reason).
    For an exit reason ``counted``, ``active_first`` and ``active_last`` are ``None`` and ``rate`` is its
    separated over the location's average headcount. Withheld: every figure ``None``."""

    key: str
    label: str
    counted: int | None
    active_first: int | None
    active_last: int | None
    separated: int | None
    rate: float | None
    withheld: bool = False

    @property
    def average(self) -> float | None:
        if self.active_first is None or self.active_last is None:
            return None
        return (self.active_first + self.active_last) / 2


@dataclass(frozen=True)
class TenureBand:
    key: str
    label: str
    workers: int | None
    share: float | None
    withheld: bool = False


@dataclass(frozen=True)
class Cohort:
    """An entry cohort: its size and, per years after entry (``RETENTION_YEARS``), the workers still
    active and their share (``None`` where not reached yet, or withheld)."""

    year: int
    size: int | None
    still_active: dict[int, int | None]
    share: dict[int, float | None]
    withheld: bool = False


@dataclass(frozen=True)
class VacancyLine:
    """Vacant funded posts whose days vacant are known, their mean and median days vacant."""

    key: str
    label: str
    posts: int
    mean_days: float | None
    median_days: float | None


@dataclass(frozen=True)
class VacancyDurations:
    whole: VacancyLine
    by_location: list[VacancyLine]
    by_cadre: list[VacancyLine]
    unknown: int  # vacant posts never filled and without an establishment date


@dataclass
class Retention:
    year: int
    location: Location
    trend: list[tuple[int, float | None, int | None, float | None]]  # year, rate, separated, average
    whole: TurnoverLine
    by_location: list[TurnoverLine] = field(default_factory=list)
    by_cadre: list[TurnoverLine] = field(default_factory=list)
    by_organisation: list[TurnoverLine] = field(default_factory=list)
    by_exit_reason: list[TurnoverLine] = field(default_factory=list)
    tenure: list[TenureBand] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    vacancy: VacancyDurations | None = None
    attrition: list[AttritionEstimate] = field(default_factory=list)
    minimum: int = 1
    withheld: bool = False  # some figures withheld from this reader


def _line(key: str, label: str, counts: Headcounts) -> TurnoverLine:
    return TurnoverLine(
        key=key,
        label=label,
        counted=counts.counted,
        active_first=counts.first,
        active_last=counts.last,
        separated=counts.separated,
        rate=counts.rate,
    )


def _tenure_labels() -> dict[str, str]:
    return {
        "under_1": _("Under 1 year"),
        "1_2": _("1 to 2 years"),
        "2_5": _("2 to 5 years"),
        "5_10": _("5 to 10 years"),
        "10_plus": _("10 years or more"),
    }


def exit_reason_label(code: str) -> str:
    if code == NOT_RECORDED:
        return _("Not recorded")
    return str(dict(ExitReason.choices).get(code, code))


def retention_compute(*, year: int, location: Location) -> Retention:
    """Every figure of the retention page for ``year`` and ``location``, in full (no cell withheld): for
    the command line, the tests and ``retention_for_reader``. Raises ``ValueError`` for a year the
    indicators refuse. About ten queries whatever the data (the location tree, the turnover, tenure,
    cohorts, vacancy, the names of cadres and organisations, planning's estimate: one a year)."""
    reference_period(year=year)
    tree = Tree.load()
    subtree = set(tree.selected(root=location.pk, depth=None))
    scope = sorted(subtree) if tree.parent.get(location.pk) is not None else []
    below = {pk: pk for pk in tree.children.get(location.pk, [])}

    whole = Headcounts()
    per_location: dict[int, Headcounts] = defaultdict(Headcounts)
    per_cadre: dict[int, Headcounts] = defaultdict(Headcounts)
    per_organisation: dict[int, Headcounts] = defaultdict(Headcounts)
    per_reason: dict[str, int] = defaultdict(int)
    for place, cadre, organisation, reason, counted, first, last in turnover_parts(year=year, scope=scope):
        if place not in subtree:
            continue
        whole.add(counted, first, last)
        child = next((pk for pk in tree.chain[place] if pk in below), None)
        if child is not None:
            per_location[child].add(counted, first, last)
        per_cadre[cadre].add(counted, first, last)
        per_organisation[organisation].add(counted, first, last)
        if reason:
            per_reason[reason] += counted - last
    cadres = {pk: (code, name) for pk, code, name in Cadre.objects.values_list("pk", "code", "name")}
    organisations = {
        pk: (code, name)
        for pk, code, name in Organisation.objects.filter(pk__in=per_organisation).values_list(
            "pk", "code", "name"
        )
    }
    names = dict(Location.objects.filter(pk__in=below).values_list("pk", "name"))
    result = Retention(
        year=year, location=location, trend=[], whole=_line(location.code, location.name, whole)
    )
    result.by_location = [
        _line(tree.code[pk], names.get(pk, tree.code[pk]), per_location.get(pk, Headcounts()))
        for pk in tree.children.get(location.pk, [])
    ]
    result.by_cadre = sorted(
        (_line(cadres[pk][0], cadres[pk][1], counts) for pk, counts in per_cadre.items()),
        key=lambda line: line.key,
    )
    result.by_organisation = sorted(
        (_line(*organisations[pk], counts) for pk, counts in per_organisation.items()),
        key=lambda line: line.label,
    )
    order = [*ExitReason.values, NOT_RECORDED]
    result.by_exit_reason = [
        TurnoverLine(
            key=reason,
            label=exit_reason_label(reason),
            counted=None,
            active_first=None,
            active_last=None,
            separated=per_reason[reason],
            rate=per_reason[reason] / whole.average if whole.first + whole.last else None,
        )
        for reason in sorted(per_reason, key=order.index)
    ]
    result.tenure = _tenure(year=year, subtree=subtree, scope=scope)
    result.cohorts = _cohorts(year=year, location=location)
    result.vacancy = _vacancy(year=year, location=location, tree=tree, cadres=cadres, names=names)
    result.attrition = list(
        attrition_estimates(base_year=year, cadres=[code for code, _ in cadres.values()]).values()
    )
    result.attrition.sort(key=lambda estimate: estimate.cadre)
    return result


def _tenure(*, year: int, subtree: set[int], scope: Sequence[int]) -> list[TenureBand]:
    workers = [0] * len(TENURE_BANDS)
    for place, band, count in tenure_parts(year=year, scope=scope):
        if place in subtree:
            workers[band] += count
    total = sum(workers)
    labels = _tenure_labels()
    return [
        TenureBand(key=code, label=labels[code], workers=n, share=n / total if total else None)
        for (code, _fewest), n in zip(TENURE_BANDS, workers, strict=True)
    ]


def _cohorts(*, year: int, location: Location) -> list[Cohort]:
    sizes: dict[int, int] = {}
    active: dict[int, dict[int, int]] = defaultdict(dict)
    for cohort, after, size, still in cohort_parts(year=year, location=location):
        if after == 0:
            sizes[cohort] = size
        else:
            active[cohort][after] = still
    cohorts = []
    for cohort in sorted(sizes):
        size = sizes[cohort]
        still_active: dict[int, int | None] = {after: active[cohort].get(after) for after in RETENTION_YEARS}
        share = {after: (n / size if n is not None else None) for after, n in still_active.items()}
        cohorts.append(Cohort(year=cohort, size=size, still_active=still_active, share=share))
    return cohorts


def _vacancy(
    *, year: int, location: Location, tree: Tree, cadres: dict[int, tuple[str, str]], names: dict[int, str]
) -> VacancyDurations:
    def line(key: str, label: str, posts: int, total: int | None, middle: Any) -> VacancyLine:
        return VacancyLine(
            key=key,
            label=label,
            posts=posts,
            mean_days=total / posts if posts and total is not None else None,
            median_days=float(middle) if middle is not None else None,
        )

    whole = line(location.code, location.name, 0, None, None)
    by_location: dict[int, VacancyLine] = {}
    by_cadre: list[VacancyLine] = []
    unknown = 0
    for kind, key, posts, total, middle in vacancy_parts(year=year, location=location):
        if kind == 0:
            whole = line(location.code, location.name, posts, total, middle)
        elif key is None:  # kind 3: the posts whose days are not known
            unknown = posts
        elif kind == 1:
            by_location[key] = line(tree.code[key], names.get(key, tree.code[key]), posts, total, middle)
        else:
            by_cadre.append(line(cadres[key][0], cadres[key][1], posts, total, middle))
    return VacancyDurations(
        whole=whole,
        by_location=[by_location[pk] for pk in tree.children.get(location.pk, []) if pk in by_location],
        by_cadre=sorted(by_cadre, key=lambda item: item.key),
        unknown=unknown,
    )


# --- for a reader --------------------------------------------------------------------------------------


def retention_for_reader(*, user: Any, year: int, location: Location) -> Retention:
    """``retention_compute`` as ``user`` may see it, with the turnover of ``year`` and the five years
    before it (the indicator, as the API's indicators give it to this reader). Raises
    ``PermissionDenied`` for outsiders and workers' own logins, ``ValueError`` for a bad year."""
    support_policy.require_support_read(user=user)
    result = retention_compute(year=year, location=location)
    years = [y for y in range(year - TREND_YEARS + 1, year + 1) if y >= 1900]
    rows = indicators_for_reader(
        user=user, years=years, location=location, depth=0, indicators=[TURNOVER_RATE]
    )
    by_year = {row.year: row for row in rows if row.location == location.code and not row.group}
    result.trend = [
        (y, by_year[y].value, by_year[y].numerator, _float(by_year[y].denominator))
        if y in by_year
        else (y, None, None, None)
        for y in years
    ]
    if policy.sees_every_figure(user=user, location=location):
        return result
    return retention_small_cells_withheld(result, minimum=small_cell_minimum())


def _float(value: float | int | None) -> float | None:
    return None if value is None else float(value)


def _small(value: int | None, minimum: int) -> bool:
    return value is not None and 1 <= value < minimum


def _complemented(sizes: list[int], small: set[int]) -> set[int]:
    """``small`` (indexes) and, when it holds exactly one, the index of the smallest other non-zero size."""
    if len(small) == 1:
        others = [(size, index) for index, size in enumerate(sizes) if size > 0 and index not in small]
        if others:
            small = {*small, min(others)[1]}
    return small


def _withheld_lines(
    lines: list[Any],
    *,
    is_small: Callable[[Any], bool],
    size: Callable[[Any], int],
    blank: Callable[[Any], Any],
) -> list[Any]:
    small = _complemented(
        [size(line) for line in lines], {i for i, line in enumerate(lines) if is_small(line)}
    )
    return [blank(line) if index in small else line for index, line in enumerate(lines)]


def retention_small_cells_withheld(result: Retention, *, minimum: int) -> Retention:
    """``result`` with its small cells withheld (module docstring); ``result`` itself is not changed."""

    def blank_turnover(line: TurnoverLine) -> TurnoverLine:
        return replace(
            line, counted=None, active_first=None, active_last=None, separated=None, rate=None, withheld=True
        )

    shown = replace(result, minimum=minimum)
    shown.by_organisation = _withheld_lines(
        result.by_organisation,
        is_small=lambda line: any(
            _small(n, minimum) for n in (line.counted, line.active_first, line.active_last, line.separated)
        ),
        size=lambda line: line.counted or 0,
        blank=blank_turnover,
    )
    shown.by_exit_reason = _withheld_lines(
        result.by_exit_reason,
        is_small=lambda line: _small(line.separated, minimum),
        size=lambda line: line.separated or 0,
        blank=blank_turnover,
    )
    shown.tenure = _withheld_lines(
        result.tenure,
        is_small=lambda band: _small(band.workers, minimum),
        size=lambda band: band.workers or 0,
        blank=lambda band: replace(band, workers=None, share=None, withheld=True),
    )
    cohorts = []
    for cohort in result.cohorts:
        if _small(cohort.size, minimum):
            cohorts.append(
                replace(
                    cohort,
                    size=None,
                    still_active=dict.fromkeys(RETENTION_YEARS),
                    share=dict.fromkeys(RETENTION_YEARS),
                    withheld=True,
                )
            )
            continue
        size = cohort.size or 0
        hidden = {
            after
            for after, still in cohort.still_active.items()
            if still is not None and (_small(still, minimum) or _small(size - still, minimum))
        }
        cohorts.append(
            replace(
                cohort,
                still_active={a: None if a in hidden else n for a, n in cohort.still_active.items()},
                share={a: None if a in hidden else s for a, s in cohort.share.items()},
                withheld=bool(hidden),
            )
        )
    shown.cohorts = cohorts
    shown.withheld = (
        any(line.withheld for line in (*shown.by_organisation, *shown.by_exit_reason))
        or any(band.withheld for band in shown.tenure)
        or any(cohort.withheld for cohort in shown.cohorts)
    )
    return shown
