"""One result row of the indicators, shared by the computation, the small-cell rule and the output."""

from __future__ import annotations

from dataclasses import dataclass

from sswis.indicators.definitions import INDICATORS

COUNT = "workforce.count"
PER_100K = "workforce.per_100k_children"
FEMALE_SHARE = "workforce.female_share"
VACANCY_RATE = "posts.vacancy_rate"
LICENSED_SHARE = "workforce.licensed_share"
CERTIFIED_SHARE = "workforce.certified_share"
SUPERVISED_SHARE = "support.supervised_share"
SUPERVISORS_OVER_NORM = "support.supervisors_over_norm"
SESSIONS_PER_SUPERVISEE = "support.sessions_per_supervisee"
CASELOAD_MEAN = "support.caseload_mean"
CASELOAD_OVER_NORM_SHARE = "support.caseload_over_norm_share"
# The workforce indicators (contract indicators.md) first, in its order; the support's follow (``support.*``,
# contract support.md), which the dashboard does not show.
WORKFORCE_INDICATORS = (COUNT, PER_100K, FEMALE_SHARE, VACANCY_RATE, LICENSED_SHARE, CERTIFIED_SHARE)
assert tuple(INDICATORS)[: len(WORKFORCE_INDICATORS)] == WORKFORCE_INDICATORS


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One indicator for one year, location and group (``{}``: not disaggregated).

    ``workforce.count``: ``numerator == value`` (the count) and ``denominator is None``. The ratios carry
    both parts, and ``value`` is ``None`` when the contract says so (unknown or zero denominator).

    ``withheld`` (small cells, ``sswis.indicators.disclosure``): the figure describes too few people for
    the reader, so ``numerator`` and ``value`` are ``None``, and so is ``denominator`` of a share; the
    child population of a per-100,000 row is kept (it describes no worker). Rows computed for a reader
    who sees every figure (and for the command line) are never withheld.
    """

    indicator: str
    location: str  # location code
    group: dict[str, str]
    numerator: int | None
    denominator: int | float | None  # a float for support.turnover_rate: an average headcount
    value: float | int | None
    year: int
    withheld: bool = False

    @property
    def whole_denominator(self) -> int | None:
        """The denominator of an indicator whose denominator is a count (every one but
        ``support.turnover_rate``, whose average headcount may end in .5)."""
        if isinstance(self.denominator, float):
            raise TypeError(f"{self.indicator} has a fractional denominator.")
        return self.denominator
