"""Small cells (statistical disclosure control), exactly as the indicators contract (version 2) says.

Readers who may see only aggregates never get a figure that describes fewer than ``k`` people by a
personal attribute (``k``: setting ``SSWIS_SMALL_CELL_MIN``, default 5):

* In a split by a personal dimension (``Dimension.personal`` in ``definitions.py``: sex, education,
  licensed, certified; a later one only sets the flag), alone or combined with others, a row of
  ``workforce.count`` or ``workforce.per_100k_children`` whose numerator is 1 to ``k - 1`` is withheld. A numerator of 0
  describes nobody and is not withheld (such groups are left out of the output anyway).
* Complementary rule: when only one row of a location's split is withheld, the smallest other
  non-zero row of that split is withheld too (among equal numerators the first in output order), so the
  withheld figure cannot be recovered by subtracting the others from the location's total. The split is
  all the group rows of one indicator at one location and year; count and per-100,000 rows have the
  same numerators and are withheld together.
* ``workforce.female_share`` is withheld where 1 to ``k - 1`` workers of known sex are counted (with
  none, its value is empty anyway and it describes nobody).
* An attribute share (``workforce.licensed_share``, ``workforce.certified_share``,
  ``support.supervised_share``: ``IndicatorDefinition.attribute``) counts people by a personal attribute
  in every row, whatever the split. Its row of a group (``{}`` included) is withheld
  when the group's workers with the attribute (the numerator) *or* those without it (the group's
  ``workforce.count`` minus the numerator: that count is shown, so the difference could be taken) are 1
  to ``k - 1``, and when the group's count row is withheld. The complementary rule then applies to the
  share's group rows of the location as to a split (their numerators add up to the ``{}`` row's).
* ``support.turnover_rate`` in a split by a personal attribute: its own rule, in
  ``sswis.indicators.turnover`` (a group's row goes with its count row, and with any of its separated,
  still active or active on 1 January that is 1 to ``k - 1``; then the complementary rule).
* The other support figures (contract ``support.md``) come from supervision and caseload records,
  personal data, and are never split. A share of people (``support.supervisors_over_norm``,
  ``support.caseload_over_norm_share``) is withheld, as an attribute share's ``{}`` row, when those
  it counts (the numerator) or the others it divides by (denominator minus numerator) are 1 to ``k - 1``;
  a mean over people (``support.sessions_per_supervisee``, ``support.caseload_mean``) when the people
  it is taken over (the denominator) are 1 to ``k - 1``: the mean of one worker's caseload is that
  worker's caseload.
* Counts by location, cadre, category, employer, paid status, sector and setting, and the vacancy rate
  (posts, not people), are never withheld.

A withheld row keeps its indicator, location, group and year; its ``numerator`` and ``value`` are
``None``, and so is the ``denominator`` of a share (the female share's is a count of workers, an
attribute share's the location's count); the per-100,000 row keeps its denominator, the child
population, which describes no worker.

Who gets withheld figures is decided by ``sswis.access.policy.sees_every_figure``; this module only
applies the rule to the locations it is told to.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from sswis.indicators.definitions import INDICATORS, PERSONAL_DIMENSIONS, dimensions_checked
from sswis.indicators.rows import (
    CASELOAD_MEAN,
    CASELOAD_OVER_NORM_SHARE,
    COUNT,
    FEMALE_SHARE,
    PER_100K,
    SESSIONS_PER_SUPERVISEE,
    SUPERVISORS_OVER_NORM,
    IndicatorRow,
)
from sswis.indicators.turnover import TURNOVER_RATE, turnover_withheld

_SPLIT_INDICATORS = (COUNT, PER_100K)
_PEOPLE_SHARES = (SUPERVISORS_OVER_NORM, CASELOAD_OVER_NORM_SHARE)  # withheld by numerator or rest
_PEOPLE_MEANS = (SESSIONS_PER_SUPERVISEE, CASELOAD_MEAN)  # withheld by denominator
_ATTRIBUTE_SHARES = frozenset(indicator.id for indicator in INDICATORS.values() if indicator.attribute)

Where = tuple[int, str]  # year, location code
GroupKey = tuple[str, ...]  # the group's values; () for the location's {} row


def small_cell_minimum() -> int:
    """``k``: the setting ``SSWIS_SMALL_CELL_MIN`` (environment variable of the same name, default 5).

    Raises ``ImproperlyConfigured`` unless it is a whole number of at least 1 (1 withholds nothing).
    """
    minimum = getattr(settings, "SSWIS_SMALL_CELL_MIN", 5)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise ImproperlyConfigured(
            _("SSWIS_SMALL_CELL_MIN must be a whole number of at least 1, not %(value)r.")
            % {"value": minimum}
        )
    return minimum


def rows_small_cells_withheld(
    *,
    rows: Sequence[IndicatorRow],
    by: Sequence[str],
    minimum: int,
    shown_in_full: Collection[str] = frozenset(),
) -> list[IndicatorRow]:
    """``rows`` (as computed for ``by``) with the small cells withheld, in the same order.

    What is withheld is decided from the ``workforce.count`` rows, which must be among ``rows`` (a
    caller showing other indicators only drops them afterwards): an attribute share's group row without
    its count row is withheld.

    ``minimum`` is ``k``; ``shown_in_full`` holds the codes of the locations whose rows the reader may
    see in full (they are returned unchanged). Rows already withheld stay withheld. Raises
    ``ValueError`` for a ``minimum`` below 1 or an unknown dimension.
    """
    if minimum < 1:
        raise ValueError(
            _("The smallest cell shown must be at least 1, not %(minimum)d.") % {"minimum": minimum}
        )
    personal_split = bool(set(dimensions_checked(by)) & PERSONAL_DIMENSIONS)
    hidden = [row for row in rows if not row.withheld and row.location not in shown_in_full]

    withheld_groups: dict[Where, set[GroupKey]] = {}
    if personal_split:
        # Every split of workforce.count, per year and location, in output order.
        cells: dict[Where, list[tuple[GroupKey, int]]] = defaultdict(list)
        for row in hidden:
            if row.indicator == COUNT and row.group:
                cells[(row.year, row.location)].append((tuple(row.group.values()), row.numerator or 0))
        withheld_groups = _complemented(cells, minimum=minimum)
    withheld_shares = {
        indicator: _attribute_share_withheld(
            rows=hidden, indicator=indicator, minimum=minimum, withheld_counts=withheld_groups
        )
        for indicator in _ATTRIBUTE_SHARES
    }
    if personal_split:  # support.turnover_rate: its own rule (sswis.indicators.turnover)
        withheld_shares[TURNOVER_RATE] = turnover_withheld(
            rows=hidden, minimum=minimum, withheld_counts=withheld_groups
        )

    controlled: list[IndicatorRow] = []
    for row in rows:
        if (
            not row.withheld
            and row.location not in shown_in_full
            and _withheld(
                row, minimum=minimum, withheld_groups=withheld_groups, withheld_shares=withheld_shares
            )
        ):
            # The per-100,000 row keeps the child population (it describes no worker); a share's
            # denominator counts workers and goes with its numerator.
            denominator = row.denominator if row.indicator == PER_100K else None
            row = dataclasses.replace(row, numerator=None, denominator=denominator, value=None, withheld=True)
        controlled.append(row)
    return controlled


def _withheld(
    row: IndicatorRow,
    *,
    minimum: int,
    withheld_groups: dict[Where, set[GroupKey]],
    withheld_shares: dict[str, dict[Where, set[GroupKey]]],
) -> bool:
    """Whether ``row`` (of a location the reader sees aggregates of only) is withheld."""
    where, group = (row.year, row.location), tuple(row.group.values())
    if row.indicator in _SPLIT_INDICATORS:
        return bool(row.group) and group in withheld_groups.get(where, ())
    if row.indicator == FEMALE_SHARE:
        return 1 <= (row.denominator or 0) < minimum
    if row.indicator in withheld_shares:
        return group in withheld_shares[row.indicator].get(where, ())
    if row.indicator in _PEOPLE_SHARES:
        having, total = row.numerator or 0, row.denominator or 0
        return 1 <= having < minimum or 1 <= total - having < minimum
    if row.indicator in _PEOPLE_MEANS:
        return 1 <= (row.denominator or 0) < minimum
    return False


def _complemented(
    cells: dict[Where, list[tuple[GroupKey, int]]], *, minimum: int
) -> dict[Where, set[GroupKey]]:
    """Per year and location, the groups of a split (``(group, numerator)`` in output order) to withhold:
    those of 1 to ``k - 1``, and when that is only one, the smallest other non-zero one too (among equal
    numerators the first in output order)."""
    withheld: dict[Where, set[GroupKey]] = {}
    for where, split in cells.items():
        small = {group for group, count in split if 1 <= count < minimum}
        withheld[where] = _with_complement(split, small)
    return {where: groups for where, groups in withheld.items() if groups}


def _with_complement(split: list[tuple[GroupKey, int]], small: set[GroupKey]) -> set[GroupKey]:
    """``small`` and, when it holds exactly one group, the smallest other non-zero group of ``split``."""
    small = set(small)
    if len(small) == 1:
        others = [
            (count, order) for order, (group, count) in enumerate(split) if count > 0 and group not in small
        ]
        if others:
            small.add(split[min(others)[1]][0])
    return small


def _attribute_share_withheld(
    *,
    rows: Sequence[IndicatorRow],
    indicator: str,
    minimum: int,
    withheld_counts: dict[Where, set[GroupKey]],
) -> dict[Where, set[GroupKey]]:
    """The groups (``()``: the ``{}`` row) of the attribute share ``indicator`` to withhold, per year and
    location: those whose workers with or without the attribute are 1 to ``k - 1``, those whose count row
    is withheld, and the complement among the group rows (module docstring).

    The workers of a group are its ``workforce.count`` row's numerator (the ``{}`` row's are its own
    denominator); a group row without its count row among ``rows`` is withheld, as nothing tells how
    many lack the attribute."""
    counted: dict[tuple[Where, GroupKey], int] = {}
    shares: dict[Where, list[tuple[GroupKey, int, int | None]]] = defaultdict(list)
    for row in rows:
        where, group = (row.year, row.location), tuple(row.group.values())
        if row.indicator == COUNT:
            counted[(where, group)] = row.numerator or 0
        elif row.indicator == indicator:
            shares[where].append((group, row.numerator or 0, row.whole_denominator if not group else None))
    withheld: dict[Where, set[GroupKey]] = {}
    for where, split in shares.items():
        small: set[GroupKey] = set()
        for group, having, denominator in split:
            total = denominator if not group else counted.get((where, group))
            if (
                total is None
                or 1 <= having < minimum
                or 1 <= total - having < minimum
                or group in withheld_counts.get(where, ())
            ):
                small.add(group)
        groups = [(group, having) for group, having, _ in split if group]
        withheld[where] = _with_complement(groups, small - {()}) | (small & {()})
    return {where: groups for where, groups in withheld.items() if groups}
