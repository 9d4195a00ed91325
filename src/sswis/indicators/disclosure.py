"""Small cells (statistical disclosure control), exactly as the indicators contract (version 2) says.

Readers who may see only aggregates never get a figure that describes fewer than ``k`` people by a
personal attribute (``k``: setting ``SSWIS_SMALL_CELL_MIN``, default 5):

* In a split by a personal dimension (``Dimension.personal`` in ``definitions.py``: sex, education; a
  later one only sets the flag), alone or combined with others, a row of ``workforce.count`` or
  ``workforce.per_100k_children`` whose numerator is 1 to ``k - 1`` is withheld. A numerator of 0
  describes nobody and is not withheld (such groups are left out of the output anyway).
* Complementary rule: when only one row of a location's split is withheld, the smallest other
  non-zero row of that split is withheld too (among equal numerators the first in output order), so the
  withheld figure cannot be recovered by subtracting the others from the location's total. The split is
  all the group rows of one indicator at one location and year; count and per-100,000 rows have the
  same numerators and are withheld together.
* ``workforce.female_share`` is withheld where 1 to ``k - 1`` workers of known sex are counted (with
  none, its value is empty anyway and it describes nobody).
* Counts by location, cadre, category, employer, paid status, sector and setting, and the vacancy rate
  (posts, not people), are never withheld.

A withheld row keeps its indicator, location, group and year; its ``numerator`` and ``value`` are
``None``, and so is the ``denominator`` of a share (the female share's is a count of workers); the
per-100,000 row keeps its denominator, the child population, which describes no worker.

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

from sswis.indicators.definitions import PERSONAL_DIMENSIONS, dimensions_checked
from sswis.indicators.rows import COUNT, FEMALE_SHARE, PER_100K, IndicatorRow

_SPLIT_INDICATORS = (COUNT, PER_100K)


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

    ``minimum`` is ``k``; ``shown_in_full`` holds the codes of the locations whose rows the reader may
    see in full (they are returned unchanged). Rows already withheld stay withheld. Raises
    ``ValueError`` for a ``minimum`` below 1 or an unknown dimension.
    """
    if minimum < 1:
        raise ValueError(
            _("The smallest cell shown must be at least 1, not %(minimum)d.") % {"minimum": minimum}
        )
    personal_split = bool(set(dimensions_checked(by)) & PERSONAL_DIMENSIONS)

    withheld_groups: dict[tuple[int, str], set[tuple[str, ...]]] = {}
    if personal_split:
        # Every split of workforce.count, per year and location, in output order.
        cells: dict[tuple[int, str], list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for row in rows:
            if row.indicator == COUNT and row.group and row.location not in shown_in_full:
                cells[(row.year, row.location)].append((tuple(row.group.values()), row.numerator or 0))
        for where, split in cells.items():
            small = {group for group, count in split if 1 <= count < minimum}
            if len(small) == 1:
                others = [
                    (count, order)
                    for order, (group, count) in enumerate(split)
                    if count > 0 and group not in small
                ]
                if others:
                    small.add(split[min(others)[1]][0])
            if small:
                withheld_groups[where] = small

    controlled: list[IndicatorRow] = []
    for row in rows:
        if row.withheld or row.location in shown_in_full:
            controlled.append(row)
        elif row.indicator in _SPLIT_INDICATORS and row.group:
            if tuple(row.group.values()) in withheld_groups.get((row.year, row.location), ()):
                row = dataclasses.replace(row, numerator=None, value=None, withheld=True)
            controlled.append(row)
        elif row.indicator == FEMALE_SHARE and 1 <= (row.denominator or 0) < minimum:
            controlled.append(
                dataclasses.replace(row, numerator=None, denominator=None, value=None, withheld=True)
            )
        else:
            controlled.append(row)
    return controlled
