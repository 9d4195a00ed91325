"""The planning pages' charts: lines over the years (supply against requirement) and stacked yearly
bars (cost), drawn like every chart of sswis (``sswis.presentation.charts``: server-side SVG through the one
renderer, accessible, no JavaScript). Right to left, the years run from right to left and the value axis
is on the right. The page shows the same figures as a table."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe

from sswis.presentation.charts import TEXT_COLOUR, _accessible, _direction, _render

if TYPE_CHECKING:
    import altair as alt  # imported by the functions that draw (sswis.presentation.charts says why)

# Distinguishable for colour-blind readers (Okabe-Ito), each at least 3:1 on white.
SERIES_COLOURS = ["#1d5a8c", "#d55e00", "#009e73", "#cc79a7", "#0072b2", "#8c6d00"]


@dataclass(frozen=True)
class Series:
    """One named line or stack: a value per year (``None``: not known that year)."""

    name: str
    values: tuple[float | None, ...]


def _year_axis(years: tuple[int, ...], right_to_left: bool) -> alt.X:
    import altair as alt

    labels = [str(year) for year in years]
    return alt.X(
        "year:O",
        title=None,
        sort=labels,
        scale=alt.Scale(domain=labels, reverse=right_to_left),
        axis=alt.Axis(labelAngle=0, labelFontSize=12, labelColor=TEXT_COLOUR),
    )


def _value_axis(axis_title: str, right_to_left: bool) -> alt.Y:
    import altair as alt

    return alt.Y(
        "value:Q",
        title=axis_title,
        scale=alt.Scale(zero=True, nice=True),
        axis=alt.Axis(
            format="~s",
            orient="right" if right_to_left else "left",
            labelFontSize=12,
            titleFontSize=13,
            tickCount=5,
            labelColor=TEXT_COLOUR,
        ),
    )


def _colour(names: list[str]) -> alt.Color:
    import altair as alt

    return alt.Color(
        "series:N",
        title=None,
        sort=names,
        scale=alt.Scale(domain=names, range=SERIES_COLOURS[: len(names)]),
        legend=alt.Legend(orient="bottom", labelFontSize=12, labelColor=TEXT_COLOUR),
    )


def lines_chart_svg(
    *, title: str, years: Sequence[int], series: Sequence[Series], axis_title: str
) -> SafeString:
    """One line per series over ``years``, with a legend; empty string when no series has a figure."""
    if not any(value is not None for line in series for value in line.values):
        return mark_safe("")
    return _accessible(_lines(tuple(years), tuple(series), axis_title, *_direction()), title=title)


def stacked_bars_svg(
    *, title: str, years: Sequence[int], series: Sequence[Series], axis_title: str
) -> SafeString:
    """A bar per year, stacked by series, with a legend; empty string when every value is 0 or unknown."""
    if not any(value for stack in series for value in stack.values):
        return mark_safe("")
    return _accessible(_stacked(tuple(years), tuple(series), axis_title, *_direction()), title=title)


def _values(years: tuple[int, ...], series: tuple[Series, ...]) -> list[dict[str, object]]:
    return [
        {"year": str(year), "series": line.name, "value": value}
        for line in series
        for year, value in zip(years, line.values, strict=True)
        if value is not None
    ]


@functools.lru_cache(maxsize=128)
def _lines(
    years: tuple[int, ...], series: tuple[Series, ...], axis_title: str, right_to_left: bool, locale: str
) -> str:
    import altair as alt

    names = [line.name for line in series]
    chart = (
        alt.Chart(alt.Data(values=_values(years, series)))
        .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=40))
        .encode(
            x=_year_axis(years, right_to_left), y=_value_axis(axis_title, right_to_left), color=_colour(names)
        )
        .properties(width=360, height=200)
        .configure_view(stroke=None)
        .configure(font="sans-serif", background="white")
    )
    return _render(chart.to_dict(), locale)


@functools.lru_cache(maxsize=128)
def _stacked(
    years: tuple[int, ...], series: tuple[Series, ...], axis_title: str, right_to_left: bool, locale: str
) -> str:
    import altair as alt

    names = [stack.name for stack in series]
    chart = (
        alt.Chart(alt.Data(values=_values(years, series)))
        .mark_bar()
        .encode(
            x=_year_axis(years, right_to_left),
            y=alt.Y(
                "sum(value):Q",
                title=axis_title,
                stack="zero",
                axis=alt.Axis(
                    format="~s",
                    orient="right" if right_to_left else "left",
                    labelFontSize=12,
                    titleFontSize=13,
                    tickCount=5,
                    labelColor=TEXT_COLOUR,
                ),
            ),
            color=_colour(names),
            order=alt.Order("series:N"),
        )
        .properties(width=360, height=200)
        .configure_view(stroke=None)
        .configure(font="sans-serif", background="white")
    )
    return _render(chart.to_dict(), locale)
