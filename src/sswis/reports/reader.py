"""Who a profile is made for, and the indicator rows as that reader gets them.

The figures are always the indicators' own (``sswis.indicators.selectors``): ``indicators_for_reader`` for a
user (small cells withheld where ``access.policy.sees_every_figure`` is false for them), and for the command
line (no user: the server's operator) ``indicators_compute_years``, which gives every figure, as every
command of sswis does. A profile **for publication** then has the small-cell rule
(``sswis.indicators.disclosure``) applied at every location, whoever reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sswis.access.reports_policy import profile_shows_every_figure
from sswis.geo.models import Location
from sswis.indicators.disclosure import rows_small_cells_withheld, small_cell_minimum
from sswis.indicators.rows import COUNT, IndicatorRow
from sswis.indicators.selectors import indicators_compute_years, indicators_for_reader


@dataclass(frozen=True)
class Reader:
    """``user``: who the profile is made for (``None``: the command line); ``publication``: every small
    cell withheld."""

    user: Any
    publication: bool

    def shows_every_figure(self, location: Location) -> bool:
        return profile_shows_every_figure(user=self.user, location=location, publication=self.publication)

    def rows(
        self,
        *,
        years: Sequence[int],
        by: Sequence[str],
        location: Location,
        depth: int,
        indicators: Sequence[str],
    ) -> list[IndicatorRow]:
        """The rows of ``indicators`` as this reader gets them; in a split (``by``) with the rows of
        ``workforce.count`` too, since its small cells are decided from the counts. Without a split no row
        is withheld for the counts (``sswis.indicators.disclosure``), so they are computed only when asked:
        the six years of the turnover trend cost a count of the workforce each."""
        others = tuple(indicator for indicator in indicators if indicator != COUNT)
        asked = (COUNT, *others) if by or COUNT in indicators else others
        if self.user is None:
            rows = indicators_compute_years(
                years=years, by=by, location=location, depth=depth, indicators=asked
            )
        else:
            rows = indicators_for_reader(
                user=self.user, years=years, by=by, location=location, depth=depth, indicators=asked
            )
        if self.publication:
            rows = rows_small_cells_withheld(rows=rows, by=by, minimum=small_cell_minimum())
        return rows
