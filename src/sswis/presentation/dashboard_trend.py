"""The dashboard's trend: a location's workforce, workers per 100,000 children and vacancy rate over
every year with data, with the change from the year before (the indicator rows of each year, exactly
as for that year alone). ``TREND_INDICATORS`` are the indicators it draws: the page asks for those
only."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sswis.geo.models import Location
from sswis.indicators.rows import COUNT, PER_100K, VACANCY_RATE, IndicatorRow
from sswis.presentation.charts import Point, trend_chart_svg
from sswis.presentation.dashboard import NOT_KNOWN
from sswis.presentation.number_text import count_text, decimal_text, percent_text

TREND_INDICATORS = (COUNT, PER_100K, VACANCY_RATE)


@dataclass(frozen=True)
class TrendYear:
    """One year of the trend: each figure, its text and its change from the year before (``""``
    when this or the year before is not known, or for the first year)."""

    year: int
    workers: int
    per_100k: float | None
    vacancy: float | None
    workers_change: str
    per_100k_change: str
    vacancy_change: str

    @property
    def workers_text(self) -> str:
        return count_text(self.workers)

    @property
    def per_100k_text(self) -> str:
        return str(NOT_KNOWN) if self.per_100k is None else decimal_text(self.per_100k)

    @property
    def vacancy_text(self) -> str:
        return str(NOT_KNOWN) if self.vacancy is None else percent_text(self.vacancy)


@dataclass(frozen=True)
class Trend:
    """The trend of one location: the years (oldest first) and a chart per indicator."""

    years: list[TrendYear]
    charts: list[tuple[str, SafeString]]


def _signed(value: float, text: Callable[[float], str]) -> str:
    if value > 0:
        return f"+{text(value)}"
    if value < 0:
        return f"\u2212{text(-value)}"  # a minus sign, not a hyphen
    return text(0)


def _change(now: float | None, before: float | None, text: Callable[[float], str]) -> str:
    if now is None or before is None:
        return ""
    return _signed(now - before, text)


def trend_build(
    *, location: Location, rows_by_year: Mapping[int, Sequence[IndicatorRow]], charts: bool = True
) -> Trend:
    """The trend of ``location`` from the undisaggregated rows of each year (``rows_by_year``, any
    order; the trend is oldest first)."""
    years: list[TrendYear] = []
    previous: TrendYear | None = None
    for year in sorted(rows_by_year):
        plain = {
            row.indicator: row
            for row in rows_by_year[year]
            if row.location == location.code and not row.group
        }
        workers = int(plain[COUNT].numerator or 0)
        per_100k = plain[PER_100K].value
        vacancy = plain[VACANCY_RATE].value
        current = TrendYear(
            year=year,
            workers=workers,
            per_100k=per_100k,
            vacancy=vacancy,
            workers_change=_change(
                workers, previous.workers if previous else None, lambda v: count_text(int(v))
            ),
            per_100k_change=_change(per_100k, previous.per_100k if previous else None, decimal_text),
            vacancy_change=_change(
                vacancy,
                previous.vacancy if previous else None,
                lambda v: _("%(points)s points") % {"points": decimal_text(v * 100)},
            ),
        )
        years.append(current)
        previous = current
    drawn: list[tuple[str, SafeString]] = []
    if charts and years:
        span = f"{location.name}, {years[0].year}\u2013{years[-1].year}"
        drawn = [
            (
                _("Workers counted"),
                trend_chart_svg(
                    title=_("Workers counted, %(span)s") % {"span": span},
                    points=[Point(y.year, y.workers, y.workers_text) for y in years],
                    axis_title=_("Workers"),
                ),
            ),
            (
                _("Workers per 100,000 children"),
                trend_chart_svg(
                    title=_("Workers per 100,000 children, %(span)s") % {"span": span},
                    points=[Point(y.year, y.per_100k, y.per_100k_text) for y in years],
                    axis_title=_("Per 100,000 children"),
                ),
            ),
            (
                _("Vacancy rate"),
                trend_chart_svg(
                    title=_("Vacancy rate of funded posts, %(span)s") % {"span": span},
                    points=[Point(y.year, y.vacancy, y.vacancy_text) for y in years],
                    axis_title=_("Vacant funded posts"),
                    share=True,
                ),
            ),
        ]
    return Trend(years=years, charts=drawn)
